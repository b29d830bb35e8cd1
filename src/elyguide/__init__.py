"""elyguide: which regional state centre guides a Finnish municipality on immigration,
integration and refugee reception, and how to contact it.

>>> import elyguide
>>> result = elyguide.find("Kouvolassa", on="2026-01-01")
>>> result.municipality.name.fi, result.centre.id, result.ely_centre.id
('Kouvola', 'evk-kaakkois-suomi', 'ely-kaakkois-suomi')

The functions return immutable named tuples (see README, "Python API"). Importing elyguide
imports neither Typer nor Rich; the names below are imported on first use, so that the
command line can answer without loading what it does not need.
"""

__version__ = "0.2.0"

_EXPORTS = {
    "find": "api", "municipalities": "api", "centres": "api", "find_centre": "api", "centre_for": "api",
    "find_region": "api", "served_municipalities": "api", "about": "api", "MunicipalityRow": "api",
    "load_dataset": "index", "compile_data": "index", "Dataset": "data",
    "ElyguideError": "errors", "UsageError": "errors", "DataError": "errors", "NotFoundError": "errors",
    "AmbiguousError": "errors", "ExitStatus": "errors",
    "FindResult": "model", "Match": "model", "Candidate": "model", "Municipality": "model", "Region": "model",
    "FormerMunicipality": "model", "Centre": "model", "Phone": "model", "PostalAddress": "model", "Email": "model",
    "WebPage": "model", "Source": "model", "Names": "model", "Warning": "model", "Reason": "model",
    "RegionAnswer": "model", "Province": "model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'elyguide' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"elyguide.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
