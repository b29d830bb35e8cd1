"""A local stand-in for the Statistics Finland classification API, serving a synthetic classification.

No test may reach the internet: this serves, on 127.0.0.1 (a free port, a daemon thread), the
URL forms and JSON shapes that scripts/fetch_sources.py reads (research note
/work/shared/sources/centres/ptv-open-api-research.md, section 8):

  {prefix}/classifications/{id}/classificationItems?...&lang=fi|sv|en
      a JSON array of {classification, localId "<id>/<code>", level, code, order, modifiedDate,
      parentItemLocalId, parentCode, classificationItemNames [{langName, lang, name}],
      explanatoryNotes, classificationIndexEntry}, for kunta_1_, maakunta_1_ and evk_1_YYYY0101
  {prefix}/correspondenceTables/{src}%23{tgt}/maps?content=data...
      a JSON array of {correspondenceTable, sourceLocalId, targetLocalId, sourceItem, targetItem}
      (level serialized as a float, as the live API does)
  {prefix}/correspondenceTables/{src}%23{tgt}/maps          (no query)
      a JSON array of map URLs ending in /maps/<source code>/<target code>
  {prefix}/correspondenceTables/kunta_1_{Y-1}0101%23kunta_1_{Y}0101/maps...
      the municipality changes from the year before (every old code to its code in Y), only
      when the server is given `changes`; otherwise 404, as for a table not published

Usage:

    from statfi_server import Municipality, Area, StatfiServer, synthetic_2027

    with StatfiServer(**synthetic_2027()) as server:          # or pass your own lists
        server.fail("maps?content=data", 500)                  # make a URL form fail
        run(["statfi", "--year", "2027", "--base-url", server.base_url])
        server.requests                                        # paths asked for, in order

The data is synthetic: the names are real municipality names but the 2027 changes are invented.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/api/classifications/v2"
LANG_NAMES = {"fi": "suomi", "sv": "ruotsi", "en": "englanti"}


@dataclass(frozen=True)
class Area:
    """A region (maakunta) or an elinvoimakeskus (evk). A region carries the evk its municipalities belong to."""

    code: str
    fi: str
    sv: str
    en: str
    evk: str | None = None


@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str
    en: str
    region: str
    evk: str | None = None  # default: the region's evk


def synthetic_2027() -> dict:
    """A small kunta_1_20270101 that differs from 2026 by one merger and one rename (both invented):

    - merger: Ylöjärvi (980) joined Tampere (837) on 2027-01-01, so 980 is absent;
    - rename: Koski Tl (284) is called Koski in 2027 (sv Koskis unchanged).

    Plus Helsinki, Espoo, Turku and Maarianhamina - Mariehamn (Åland, region 21, evk 02)."""
    regions = [
        Area("01", "Uusimaa", "Nyland", "Uusimaa", evk="01"),
        Area("02", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland", evk="02"),
        Area("06", "Pirkanmaa", "Birkaland", "Pirkanmaa", evk="04"),
        Area("21", "Ahvenanmaa", "Åland", "Åland", evk="02"),
    ]
    evks = [
        Area("01", "Uudenmaan elinvoimakeskus", "Nylands livskraftscentral", "Uusimaa (synthetic English name)"),
        Area("02", "Lounais-Suomen elinvoimakeskus", "Sydvästra Finlands livskraftscentral", "Southwest Finland (synthetic English name)"),
        Area("04", "Sisä-Suomen elinvoimakeskus", "Inre Finlands livskraftscentral", "Inland Finland (synthetic English name)"),
    ]
    municipalities = [
        Municipality("049", "Espoo", "Esbo", "Espoo", "01"),
        Municipality("091", "Helsinki", "Helsingfors", "Helsinki", "01"),
        Municipality("284", "Koski", "Koskis", "Koski", "02"),
        Municipality("478", "Maarianhamina - Mariehamn", "Mariehamn", "Mariehamn", "21"),
        Municipality("837", "Tampere", "Tammerfors", "Tampere", "06"),
        Municipality("853", "Turku", "Åbo", "Turku", "02"),
    ]
    return {"municipalities": municipalities, "regions": regions, "evks": evks, "year": 2027}


class StatfiServer:
    """Serve one year's synthetic kunta, maakunta and evk classifications and their correspondences."""

    def __init__(self, municipalities: list[Municipality], regions: list[Area], evks: list[Area], year: int = 2027, prefix: str = PREFIX,
                 changes: list[tuple[str, str]] | None = None):
        self.year = year
        self.changes = changes  # (code the year before, code this year) pairs, or None: not published
        self.prefix = prefix.rstrip("/")
        self.municipalities = list(municipalities)
        self.regions = list(regions)
        self.evks = list(evks)
        self.requests: list[str] = []  # raw request paths (with query), in order
        self.routes: dict[str, tuple[int, bytes]] = {}  # exact raw path -> (status, body): overrides
        self._failures: list[list] = []  # [substring, status, body, times_left or None]
        self._lock = threading.Lock()
        region_evk = {r.code: r.evk for r in self.regions}
        self.evk_of = {m.code: m.evk or region_evk.get(m.region) for m in self.municipalities}
        self._server: ThreadingHTTPServer | None = None

    # ----------------------------------------------------------------- identities and URLs
    def cid(self, name: str, year: int | None = None) -> str:
        return f"{name}_1_{year or self.year}0101"

    def previous_kunta(self) -> str:
        return self.cid("kunta", self.year - 1)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    def items_path(self, name: str, lang: str) -> str:
        return f"{self.prefix}/classifications/{self.cid(name)}/classificationItems?content=data&meta=max&lang={lang}&format=json"

    def maps_path(self, target: str, data_form: bool = True) -> str:
        path = f"{self.prefix}/correspondenceTables/{self.cid('kunta')}%23{self.cid(target)}/maps"
        return path + "?content=data&meta=min&lang=fi" if data_form else path

    # ------------------------------------------------------------------------- fault setup
    def fail(self, substring: str, status: int, body: bytes = b"", times: int | None = None) -> None:
        """Answer every request whose raw path contains substring with this status and body
        (the first `times` such requests only, if given)."""
        with self._lock:
            self._failures.append([substring, status, body, times])

    def replace(self, raw_path: str, body: bytes, status: int = 200) -> None:
        """Serve exactly these bytes for this raw path (e.g. invalid JSON)."""
        self.routes[raw_path] = (status, body)

    # ---------------------------------------------------------------------------- payloads
    def classification(self, name: str, lang: str) -> list[dict]:
        areas = {"kunta": self.municipalities, "maakunta": self.regions, "evk": self.evks}[name]
        cid = self.cid(name)
        label = {"kunta": "Kunnat", "maakunta": "Maakunnat", "evk": "Elinvoimakeskukset"}[name]
        header = {
            "localId": cid,
            "internationalRecommendation": False,
            "nationalRecommendation": False,
            "classificationName": [{"langName": LANG_NAMES[lang], "lang": lang, "name": f"{label} {self.year} (synthetic)"}],
            "classificationDescription": [{"langName": LANG_NAMES[lang], "lang": lang, "description": "synthetic test data"}],
        }
        return [
            {
                "classification": header,
                "localId": f"{cid}/{area.code}",
                "level": 1,
                "code": area.code,
                "order": order,
                "modifiedDate": f"{self.year - 1}-11-21T09:52:04Z",
                "parentItemLocalId": None,
                "parentCode": None,
                "classificationItemNames": [{"langName": LANG_NAMES[lang], "lang": lang, "name": getattr(area, lang)}],
                "explanatoryNotes": [],
                "classificationIndexEntry": [{"text": []}],
            }
            for order, area in enumerate(areas, 1)
        ]

    def pairs(self, target: str) -> list[tuple[str, str]]:
        if target == "changes":
            return list(self.changes or ())
        if target == "maakunta":
            return [(m.code, m.region) for m in self.municipalities]
        return [(m.code, self.evk_of[m.code]) for m in self.municipalities]

    def table(self, target: str) -> tuple[str, str]:
        """The source and target classification ids of a correspondence table."""
        if target == "changes":
            return self.previous_kunta(), self.cid("kunta")
        return self.cid("kunta"), self.cid(target)

    def maps(self, target: str) -> list[dict]:
        src, tgt = self.table(target)
        names = {"kunta": {m.code: m.fi for m in self.municipalities}, "changes": {m.code: m.fi for m in self.municipalities},
                 "maakunta": {r.code: r.fi for r in self.regions},
                 "evk": {e.code: e.fi for e in self.evks}}
        table = {"localId": f"{src}#{tgt}", "correspondenceTableTexts": f"Kunta - {target} {self.year} (synthetic)"}

        def item(name, code):
            return {"level": 1.0, "code": code, "classificationItemNames": [{"langName": "suomi", "lang": "fi", "name": names[name].get(code, "?")}]}

        return [
            {"correspondenceTable": table, "sourceLocalId": f"{src}/{s}", "targetLocalId": f"{tgt}/{t}",
             "sourceItem": item("changes" if target == "changes" else "kunta", s), "targetItem": item(target, t)}
            for s, t in self.pairs(target)
        ]

    def map_urls(self, target: str) -> list[str]:
        src, tgt = self.table(target)
        base = f"{self.base_url}/correspondenceTables/{src}%23{tgt}/maps"
        return [f"{base}/{s}/{t}" for s, t in self.pairs(target)]

    def body(self, raw_path: str) -> tuple[int, bytes]:
        """What the server answers for a raw path (before failures and overrides)."""
        path, _, query = raw_path.partition("?")
        params = urllib.parse.parse_qs(query)
        path = urllib.parse.unquote(path)
        if not path.startswith(self.prefix + "/"):
            return 404, b'{"error": "not found"}'
        parts = path[len(self.prefix) + 1:].split("/")
        if len(parts) == 3 and parts[0] == "classifications" and parts[2] == "classificationItems":
            lang = params.get("lang", ["fi"])[0]
            for name in ("kunta", "maakunta", "evk"):
                if parts[1] == self.cid(name) and lang in LANG_NAMES:
                    return 200, _json(self.classification(name, lang))
        if len(parts) == 3 and parts[0] == "correspondenceTables" and parts[2] == "maps":
            for target in ("maakunta", "evk", "changes"):
                if parts[1] == "#".join(self.table(target)) and (target != "changes" or self.changes is not None):
                    if params.get("content") == ["data"]:
                        return 200, _json(self.maps(target))
                    return 200, _json(self.map_urls(target))
        return 404, b'{"error": "not found"}'

    def respond(self, raw_path: str) -> tuple[int, bytes]:
        with self._lock:
            self.requests.append(raw_path)
            for failure in self._failures:
                substring, status, body, times = failure
                if substring in raw_path and (times is None or times > 0):
                    if times is not None:
                        failure[3] = times - 1
                    return status, body
        if raw_path in self.routes:
            return self.routes[raw_path]
        return self.body(raw_path)

    # ----------------------------------------------------------------------------- running
    def start(self) -> "StatfiServer":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                status, body = owner.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "StatfiServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
