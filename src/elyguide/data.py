"""Everything elyguide knows, as one Dataset: plain sections, and model objects built from them
on first use.

The data lives in two YAML files, municipalities.yaml and centres.yaml. They ship inside the
package; `--data-dir` or ELYGUIDE_DATA_DIR points at another copy (an organisation's updated
contacts), which is validated exactly like the shipped data. index.py loads them (from the
compiled cache when it is current) and hands the sections to a Dataset; a lookup then builds
only the few model objects its answer needs. Contacts fetched from the national service
registry (`elyguide refresh`, userdata.py) are laid over the current centres here.

>>> from elyguide.index import load_dataset
>>> load_dataset().municipality("297").name.fi
'Kuopio'
"""

from __future__ import annotations

import os

from .errors import DataError, UsageError
from .schema import Checker

MUNICIPALITIES_FILE = "municipalities.yaml"
CENTRES_FILE = "centres.yaml"
DATA_FILES = (MUNICIPALITIES_FILE, CENTRES_FILE)
DATA_DIR_ENV = "ELYGUIDE_DATA_DIR"

_HERE = os.path.dirname(os.path.abspath(__file__))


def packaged_data_dir() -> str:
    """The data shipped with elyguide: inside the package, or data/ of a source checkout."""
    inside = os.path.join(_HERE, "data")
    if os.path.isfile(os.path.join(inside, MUNICIPALITIES_FILE)):
        return inside
    # An editable install imports the package from src/, next to the repository's data/.
    return os.path.join(os.path.dirname(os.path.dirname(_HERE)), "data")


def resolve_data_dir(data_dir=None, variables=None) -> tuple[str, bool]:
    """The data folder to use and whether the user chose it: the argument, else
    ELYGUIDE_DATA_DIR, else the shipped data. An empty choice is a usage error; a folder that
    is not there is a data error."""
    variables = os.environ if variables is None else variables
    chosen = data_dir if data_dir is not None else variables.get(DATA_DIR_ENV) or None
    if chosen is None:
        return packaged_data_dir(), False
    text = os.fspath(chosen)
    if not text.strip():
        raise UsageError("empty_data_dir")
    directory = os.path.abspath(text)
    if not os.path.isdir(directory):
        raise DataError(directory, "", ("data_not_a_directory", {}) if os.path.exists(directory) else ("data_dir_not_found", {}))
    return directory, True


class Dataset:
    """The sections of the data (plain data, as parsed or compiled) and the model built from
    them. Model objects are built on first use and kept; `prebuilt` holds those already built
    when the YAML was validated."""

    def __init__(self, sections, origin: str, *, source_file: str, from_cache: bool, prebuilt: dict | None = None,
                 refreshed=None, notes: tuple = ()):
        self.sections = sections
        self.origin = origin
        self.from_cache = from_cache
        self.refreshed = refreshed  # userdata.Refreshed, or None
        self.notes = notes  # (message id, values) pairs the command line shows on stderr
        self._check = Checker(source_file)
        self._built: dict[str, dict] = {kind: dict(objects) for kind, objects in (prebuilt or {}).items()}
        for kind in ("region", "municipality", "former", "centre", "charge", "province"):
            self._built.setdefault(kind, {})

    # ---------------------------------------------------------------------- metadata
    @property
    def municipalities_meta(self) -> dict:
        return self.sections["municipalities_meta"]

    @property
    def centres_meta(self) -> dict:
        return self.sections["centres_meta"]

    @property
    def covers_from(self) -> str:
        return self.centres_meta["covers_from"]

    @property
    def ely_until(self) -> str:
        return self.centres_meta["ely_until"]

    # ---------------------------------------------------------------------- the model, by code
    def _get(self, kind: str, section: str, code, build):
        built = self._built[kind]
        if code in built:
            return built[code]
        raw = self.sections[section].get(code) if code is not None else None
        value = None if raw is None else build(raw, f"{section} ({code})")
        built[code] = value
        return value

    # Each method returns an object built before at once; it imports its builder only to
    # build a new one (an import statement costs a microsecond even when nothing is loaded).
    def region(self, code: str):
        built = self._built["region"].get(code)
        if built is not None:
            return built
        from .schema_municipalities import build_region

        return self._get("region", "regions", code, lambda raw, where: build_region(raw, self._check, where))

    def municipality(self, code: str):
        built = self._built["municipality"].get(code)
        if built is not None:
            return built
        from .schema_municipalities import build_municipality

        return self._get("municipality", "municipalities", code,
                         lambda raw, where: build_municipality(raw, self._check, where, self.region))

    def former(self, code: str):
        built = self._built["former"].get(code)
        if built is not None:
            return built
        from .schema_municipalities import build_former

        return self._get("former", "former_municipalities", code,
                         lambda raw, where: build_former(raw, self._check, where, self.municipality, self.sections["regions"]))

    def municipality_on(self, code: str, date: str):
        """The municipality as it was on `date`: its name and region of that day."""
        municipality = self.municipality(code)
        if municipality is None or (not municipality.names_before and not municipality.region_changes):
            return municipality
        name = next((names for until, names in municipality.names_before if date <= until), municipality.name)
        region = municipality.region.code
        for change in reversed(municipality.region_changes):
            if date < change.date:
                region = change.old
        if name is municipality.name and region == municipality.region.code:
            return municipality
        return municipality._replace(name=name, region=self.region(region))

    def province(self, province_id: str):
        return self.provinces().get(province_id)

    def charge(self, prefix: str):
        from .schema_centres import build_charge

        return self._get("charge", "call_charges", prefix, lambda raw, where: build_charge(raw, self._check, where))

    def centre(self, centre_id: str):
        """A centre, with contacts from the registry laid over it when it is current."""
        built = self._built["centre"].get(centre_id)
        if built is not None:
            return built
        from .schema_centres import build_centre

        def build(raw, where):
            centre = build_centre(raw, self._check, where, charge_of=self.charge, municipality_of=self.municipality,
                                  region_of=self.region)
            return self.refreshed.apply(centre) if self.refreshed is not None else centre

        return self._get("centre", "centres", centre_id, build)

    def postal_code(self, code: str):
        from .model import Names, PostalCode

        row = self.sections["postal_codes"].get(code)
        return None if row is None else PostalCode(code=code, municipality=row[0], type=row[1], locality=Names(fi=row[2], sv=row[3]))

    # ---------------------------------------------------------------------- everything of a kind
    def municipalities(self) -> dict:
        return {code: self.municipality(code) for code in self.sections["municipalities"]}

    def former_municipalities(self) -> dict:
        return {code: self.former(code) for code in self.sections["former_municipalities"]}

    def regions(self) -> dict:
        return {code: self.region(code) for code in self.sections["regions"]}

    def centres(self) -> dict:
        return {centre_id: self.centre(centre_id) for centre_id in self.sections["centres"]}

    def provinces(self) -> dict:
        built = self._built["province"]
        if not built:
            from .schema_municipalities import build_province

            raw = self.sections.get("provinces") or {}
            for kind in ("old", "historical"):
                for i, record in enumerate(raw.get(kind) or ()):
                    province = build_province(record, self._check, f"provinces.{kind}[{i}]", kind, self.sections["regions"])
                    built[province.id] = province
        return built

    @property
    def place_names(self) -> dict:
        return self.sections["place_names"]

    @property
    def service(self):
        from .schema_centres import build_service

        return self._single("service", build_service)

    @property
    def aland(self):
        from .schema_centres import build_aland

        return self._single("aland", build_aland)

    @property
    def contact_pages(self) -> dict:
        from .schema_centres import build_web_page

        return self._single("contact_pages", lambda raw, check: {lang: build_web_page(page, check, f"contact_pages.{lang}")
                                                                  for lang, page in raw.items()})

    def _single(self, name: str, build):
        built = self._built.setdefault(name, {})
        if None not in built:
            built[None] = build(self.sections[name], self._check)
        return built[None]

    def check_at(self, lang: str) -> str:
        """Where to check what is not verified: the centres' own contact page."""
        pages = self.contact_pages
        return (pages.get(lang) or pages["fi"]).url

    # ---------------------------------------------------------------------- centres on dates
    def centre_id_on(self, region: str, date: str) -> str | None:
        """The id of the centre serving a region on a date, or None (Åland)."""
        for start, end, centre_id in self.sections["periods"].get(region, ()):
            if start <= date and (end is None or date <= end):
                return centre_id
        return None

    def centre_on(self, region: str, date: str):
        centre_id = self.centre_id_on(region, date)
        return None if centre_id is None else self.centre(centre_id)

    def ely_centre_for(self, region: str):
        """The ELY-keskus that served a region until the ELY centres ceased."""
        return self.centre_on(region, self.ely_until)

    def successor_id(self, centre_id: str | None, region: str) -> str | None:
        """The centre that took `region` over from `centre_id`, if it handed it on."""
        return self.sections["successors"].get(centre_id, {}).get(region) if centre_id else None


def centre_periods(centres) -> dict:
    """Region code -> [[from, until or None, centre id], ...], in date order."""
    periods: dict[str, list] = {}
    for centre in centres:
        for period in centre.regions:
            periods.setdefault(period.region, []).append([period.start, period.end, centre.id])
    return {region: sorted(spans, key=lambda span: span[0]) for region, spans in periods.items()}
