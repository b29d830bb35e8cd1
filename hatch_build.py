"""Hatch build hook: ship data/*.yaml inside the package, with their compiled cache.

data/ stays at the top of the repository, where reviewers read it; the wheel carries it as
elyguide/data/. An editable install needs neither: it reads data/ from the checkout.

The cache (elyguide/data/compiled.json) holds the validated documents and everything a lookup
needs besides, so a lookup does not parse YAML. It is made here, once per wheel, from exactly
the YAML that goes into the same wheel; at run time elyguide uses it only while its checksums
of that YAML (and of itself) still match (see src/elyguide/index.py).
"""

from __future__ import annotations

import os
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileDataCache(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads data/*.yaml from the checkout directly
        sys.path.insert(0, os.path.join(self.root, "src"))
        try:
            from elyguide.index import compile_data
        finally:
            sys.path.pop(0)
        data = os.path.join(self.root, "data")
        for name in ("municipalities.yaml", "centres.yaml"):
            build_data["force_include"][os.path.join(data, name)] = f"elyguide/data/{name}"
        self._tmp = tempfile.mkdtemp(prefix="elyguide-build-")
        cache = compile_data(data, self._tmp)
        build_data["force_include"][cache] = f"elyguide/data/{os.path.basename(cache)}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
