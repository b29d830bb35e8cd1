from elyguide.launch import run

run()
