"""Every sentence elyguide shows a person, in Finnish, Swedish and English."""

from __future__ import annotations

_MESSAGES: dict[str, dict[str, str]] = {
    "region": {"fi": "maakunta", "sv": "landskap", "en": "region"},
    "responsible_on": {"fi": "Vastuussa {date}", "sv": "Ansvarig {date}", "en": "Responsible on {date}"},
    "ely_until": {"fi": "ELY-keskus 31.12.2025 asti", "sv": "NTM-central till 31.12.2025", "en": "ELY Centre until 31.12.2025"},
    "successor_from": {"fi": "Seuraaja 1.1.2026 alkaen", "sv": "Efterträdare från 1.1.2026", "en": "Successor from 1.1.2026"},
    "no_centre": {"fi": "ei keskusta tälle päivälle", "sv": "ingen central för detta datum", "en": "no centre for this date"},
    "how_to_contact": {"fi": "Yhteystiedot", "sv": "Kontaktuppgifter", "en": "How to contact"},
    "phone": {"fi": "Puhelin", "sv": "Telefon", "en": "Phone"},
    "letter": {"fi": "Kirje", "sv": "Brev", "en": "Letter"},
    "email": {"fi": "Sähköposti", "sv": "E-post", "en": "E-mail"},
    "web": {"fi": "Verkossa", "sv": "På webben", "en": "Web"},
    "switchboard": {"fi": "vaihde", "sv": "växel", "en": "switchboard"},
    "general": {"fi": "yleinen numero", "sv": "allmänt nummer", "en": "general number"},
    "registry": {"fi": "kirjaamo", "sv": "registratur", "en": "registry"},
    "postal": {"fi": "postiosoite", "sv": "postadress", "en": "postal address"},
    "sender": {"fi": "keskuksen lähettäjäosoite", "sv": "centralens avsändaradress", "en": "the centre's sender address"},
    "publisher": {"fi": "tiedotteiden julkaisijaosoite", "sv": "adress i pressmeddelandena", "en": "address in its press releases"},
    "no_verified_phone": {"fi": "ei varmennettua numeroa – tarkista: {url}", "sv": "inget verifierat nummer – kontrollera: {url}", "en": "no verified number – check: {url}"},
    "no_verified_letter": {"fi": "ei varmennettua osoitetta – tarkista: {url}", "sv": "ingen verifierad adress – kontrollera: {url}", "en": "no verified address – check: {url}"},
    "no_verified_email": {"fi": "ei varmennettua osoitetta – tarkista: {url}", "sv": "ingen verifierad adress – kontrollera: {url}", "en": "no verified address – check: {url}"},
    "fact_source": {"fi": "lähde: {title}{date}; tarkistettu {verified}", "sv": "källa: {title}{date}; kontrollerad {verified}", "en": "source: {title}{date}; checked {verified}"},
    "source_dated": {"fi": ", {date}", "sv": ", {date}", "en": ", {date}"},
    "secondary": {"fi": "toissijainen lähde – varmista ennen käyttöä", "sv": "sekundär källa – kontrollera före användning", "en": "secondary source – confirm before use"},
    "ceased": {
        "fi": "ELY-keskukset lakkasivat 31.12.2025; nämä yhteystiedot ovat historiallisia. Nykyiset asiat: {successor}.",
        "sv": "NTM-centralerna upphörde 31.12.2025; kontaktuppgifterna är historiska. Aktuella ärenden: {successor}.",
        "en": "The ELY Centres ceased on 31.12.2025; these contacts are historical. For current matters: {successor}.",
    },
    "matched_as": {"fi": "Tunnistettu: {chain} ({how})", "sv": "Tolkat som: {chain} ({how})", "en": "Matched: {chain} ({how})"},
    "kind_code": {"fi": "kuntanumero", "sv": "kommunnummer", "en": "municipality code"},
    "kind_postal_code": {"fi": "postinumero", "sv": "postnummer", "en": "postal code"},
    "kind_alias": {"fi": "virallinen nimi", "sv": "officiellt namn", "en": "official name"},
    "kind_long_form": {"fi": "virallinen pitkä muoto", "sv": "officiell lång form", "en": "official long form"},
    "kind_inflected": {"fi": "taivutettu muoto", "sv": "finsk böjd form", "en": "Finnish case form"},
    "kind_prefix": {"fi": "nimen alku", "sv": "början av namnet", "en": "start of the name"},
    "kind_postal_locality": {"fi": "postitoimipaikka", "sv": "postanstalt", "en": "postal locality"},
    "kind_fuzzy": {"fi": "kirjoitusvirhe? samankaltaisuus {score} %", "sv": "stavfel? likhet {score} %", "en": "typo? similarity {score}%"},
    "kind_former": {"fi": "entinen kunta, liitetty {merged}", "sv": "tidigare kommun, sammanslagen {merged}", "en": "former municipality, merged {merged}"},
    "label_former": {"fi": "entinen kunta", "sv": "tidigare kommun", "en": "former municipality"},
    "label_postal_locality": {"fi": "postitoimipaikka", "sv": "postanstalt", "en": "postal locality"},
    "ambiguous": {"fi": "”{query}” voi tarkoittaa useaa kuntaa:", "sv": "”{query}” kan avse flera kommuner:", "en": "“{query}” could mean several municipalities:"},
    "ambiguous_hint": {"fi": "Tarkenna kysymystä, esimerkiksi kuntanumerolla.", "sv": "Precisera frågan, till exempel med kommunnumret.", "en": "Be more specific, for example with the municipality code."},
    "not_found": {"fi": "”{query}”: kuntaa ei löytynyt.", "sv": "”{query}”: ingen kommun hittades.", "en": "“{query}”: no municipality found."},
    "did_you_mean": {"fi": "Tarkoititko:", "sv": "Menade du:", "en": "Did you mean:"},
    "outside": {
        "fi": "{name} on Ahvenanmaalla, joka ei kuulu tämän palvelun piiriin.",
        "sv": "{name} ligger på Åland, som inte omfattas av den här tjänsten.",
        "en": "{name} is on Åland, which this service does not cover.",
    },
    "handled_by": {"fi": "Kotoutumisesta vastaa: {name}", "sv": "Integrationen sköts av: {name}", "en": "Integration there: {name}"},
    "no_contact_aland": {"fi": "Varmennettuja yhteystietoja ei ole; katso: {url}", "sv": "Inga verifierade kontaktuppgifter; se: {url}", "en": "No verified contact details; see: {url}"},
    "ceded": {
        "fi": "{name} oli kunta luovutetulla alueella ({year}); sillä ei ole nykyistä suomalaista kuntaa eikä siksi vastuukeskusta.",
        "sv": "{name} var en kommun i det avträdda området ({year}); den har ingen nuvarande finländsk kommun och därför ingen ansvarig central.",
        "en": "{name} was a municipality in the area ceded in {year}; it has no current Finnish municipality, so no centre answers for it.",
    },
    "merged_before": {
        "fi": "Huom. {name} oli vielä oma kuntansa {date}; se liitettiin kuntaan {into} {merged}.",
        "sv": "Obs. {name} var ännu en egen kommun {date}; den slogs samman med {into} {merged}.",
        "en": "Note: {name} was still a municipality of its own on {date}; it merged into {into} on {merged}.",
    },
    "same_region": {"fi": "Se kuului samaan maakuntaan, joten vastuukeskus on sama.", "sv": "Den hörde till samma landskap, så den ansvariga centralen är densamma.", "en": "It lay in the same region, so the responsible centre is the same."},
    "other_region": {"fi": "Se kuului silloin eri maakuntaan ({region}); tarkista vastuukeskus sen mukaan.", "sv": "Den hörde då till ett annat landskap ({region}); kontrollera den ansvariga centralen utifrån det.", "en": "It then lay in another region ({region}); check the responsible centre for that region."},
    "service_free": {"fi": "Palvelu on maksuton.", "sv": "Tjänsten är avgiftsfri.", "en": "The service is free of charge."},
    "service_area": {"fi": "Alue: {area}. Kielet: {languages}.", "sv": "Område: {area}. Språk: {languages}.", "en": "Area: {area}. Languages: {languages}."},
    "language_names": {"fi": "suomi, ruotsi", "sv": "finska, svenska", "en": "Finnish, Swedish"},
    "note": {"fi": "Huom.", "sv": "Obs.", "en": "Note:"},
    "batch_not_found": {"fi": "ei löytynyt", "sv": "hittades inte", "en": "not found"},
    "batch_ambiguous": {"fi": "monitulkintainen", "sv": "tvetydig", "en": "ambiguous"},
    "batch_outside": {"fi": "Ahvenanmaa: palvelun ulkopuolella", "sv": "Åland: utanför tjänsten", "en": "Åland: outside the service"},
    "batch_ceded": {"fi": "luovutettu alue: ei nykyistä kuntaa", "sv": "avträtt område: ingen nuvarande kommun", "en": "ceded area: no current municipality"},
    "serves": {"fi": "Kunnat ({count})", "sv": "Kommuner ({count})", "en": "Municipalities ({count})"},
    "regions_served": {"fi": "Maakunnat", "sv": "Landskap", "en": "Regions"},
    "offices": {"fi": "Toimipaikat", "sv": "Verksamhetsställen", "en": "Offices"},
    "main_office": {"fi": "päätoimipaikka", "sv": "huvudkontor", "en": "main office"},
    "valid": {"fi": "Toiminnassa", "sv": "Verksam", "en": "Active"},
    "valid_from": {"fi": "{start} alkaen", "sv": "från {start}", "en": "from {start}"},
    "valid_between": {"fi": "{start}–{end}", "sv": "{start}–{end}", "en": "{start} – {end}"},
    "predecessor_of": {"fi": "Edeltäjä", "sv": "Föregångare", "en": "Predecessor"},
    "successor_of": {"fi": "Seuraajat", "sv": "Efterträdare", "en": "Successors"},
}


def message(message_id: str, lang: str, **values) -> str:
    return _MESSAGES[message_id][lang].format(**values)


def format_date(iso: str | None, lang: str) -> str:
    """27.11.2026 in Finnish and Swedish; ISO in English, which has no single common form."""
    if not iso:
        return ""
    if lang == "en" or len(iso) != 10:
        return iso
    year, month, day = iso.split("-")
    return f"{int(day)}.{int(month)}.{year}"
