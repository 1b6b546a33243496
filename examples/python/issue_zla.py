"""Issue an e-ZLA: build the certificate from Python data, validate it, write the
ORYGINAŁ (for ZUS) and the KOPIA (for the payer), and sign both.

    python issue_zla.py OUT_DIR [DOCTOR.pfx]

The .pfx password comes from EZLA_PFX_PASSWORD; without a .pfx a throw-away test doctor
signs (ezla.testing). Writes OUT_DIR/zla-oryginal.xml and OUT_DIR/zla-kopia.xml. Exit
status 1 lists every problem when the certificate is invalid.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import pathlib
import sys
from typing import List, Optional

import ezla


@dataclasses.dataclass
class Pacjent:  # any dataclass-like object (or a plain dict) of the JSON form's shape
    pesel: str
    imie: str
    nazwisko: str
    kod_ubezpieczenia: str = "zus"


def certificate(today: datetime.date, patient: Pacjent, icd10: Optional[str]) -> ezla.Zla:
    return ezla.Zla.from_dict({
        "ubezpieczony": patient,
        "adres": {"kod_pocztowy": "00950", "miejscowosc": "Warszawa", "ulica": "Długa",
                  "nr_domu": "5"},
        "niezdolnosc": {"okres": {"od": today, "do": today + datetime.timedelta(days=6)},
                        "wskazanie": "moze_chodzic", "kod_choroby": icd10},
        "platnik": {"rodzaj": "nip", "identyfikator": "1234563218"},
        "placowka": {"nazwa": "Przychodnia", "kod_pocztowy": "00950",
                     "miejscowosc": "Warszawa", "nr_domu": "1"},
        "lekarz": {"npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak"},
        "wystawienie": {"data_wystawienia": today},
    })


def main(argv: List[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    if len(argv) == 3:
        doctor = ezla.Identity.from_file(argv[2], os.environ.get("EZLA_PFX_PASSWORD"))
    else:
        from ezla.testing import make_test_doctor

        doctor = make_test_doctor()

    today = datetime.datetime.now(datetime.timezone.utc).date()
    patient = Pacjent(os.environ.get("EZLA_PESEL", "44051401359"), "Jan", "Kowalski")
    zla = certificate(today, patient, icd10="J06")
    for problem in zla.validate(today):
        print(problem)  # warnings (e.g. no series and number from ZUS yet) and errors
    try:
        pair = {"oryginal": zla.oryginal_xml(today=today), "kopia": zla.kopia_xml(today=today)}
    except ezla.ValidationError as e:
        print(f"not issued: {len(e.errors)} error(s)", file=sys.stderr)
        return 1
    for name, xml in pair.items():
        signed = ezla.sign_xades(xml, doctor)
        (out / f"zla-{name}.xml").write_bytes(signed)
        print(f"wrote {out / f'zla-{name}.xml'} ({len(signed)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
