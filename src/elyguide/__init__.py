"""elyguide: which regional state centre guides a Finnish municipality on immigration and integration."""

__version__ = "0.1.0"
