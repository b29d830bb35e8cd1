"""elyguide: which regional state centre guides a Finnish municipality on immigration,
integration and refugee reception, and how to contact it.

>>> import elyguide
>>> result = elyguide.find("Kouvolassa", on="2026-01-01")
>>> result.municipality.name.fi, result.centre.id, result.ely_centre.id
('Kouvola', 'evk-kaakkois-suomi', 'ely-kaakkois-suomi')

The functions return plain frozen dataclasses (see README, "Python API"). Importing elyguide
imports neither Typer nor Rich.
"""

__version__ = "0.1.0"

from .api import MunicipalityRow, about, centres, find, find_centre, find_region, municipalities
from .data import Dataset, load_dataset
from .errors import AmbiguousError, DataError, ElyguideError, ExitStatus, NotFoundError, UsageError
from .match import Candidate, Match
from .model import Centre, Email, FormerMunicipality, Municipality, Names, Phone, PostalAddress, Region, Source, WebPage
from .resolve import FindResult

__all__ = [
    "AmbiguousError", "Candidate", "Centre", "DataError", "Dataset", "ElyguideError", "Email", "ExitStatus", "FindResult",
    "FormerMunicipality", "Match", "Municipality", "MunicipalityRow", "Names", "NotFoundError", "Phone", "PostalAddress",
    "Region", "Source", "UsageError", "WebPage", "about", "centres", "find", "find_centre", "find_region", "load_dataset",
    "municipalities",
]
