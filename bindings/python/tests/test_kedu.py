"""e-ZLA documents: the model from dicts and dataclass-like objects, validation, the
ORYGINAŁ / KOPIA pair, reading back, and signing the result."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
from typing import NamedTuple, Optional

import pytest

import ezla

TODAY = datetime.date(2026, 12, 1)

ZLA = {
    "ubezpieczony": {"pesel": "44051401359", "imie": "Jan", "nazwisko": "Kowalski",
                     "kod_ubezpieczenia": "zus"},
    "adres": {"kod_pocztowy": "00950", "miejscowosc": "Warszawa", "ulica": "Długa",
              "nr_domu": "5"},
    "niezdolnosc": {"okres": {"od": "2026-11-30", "do": "2026-12-06"},
                    "wskazanie": "moze_chodzic", "kod_choroby": "J06"},
    "platnik": {"rodzaj": "nip", "identyfikator": "1234563218"},
    "placowka": {"nazwa": "Przychodnia", "kod_pocztowy": "00950", "miejscowosc": "Warszawa",
                 "nr_domu": "1"},
    "lekarz": {"npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak"},
    "wystawienie": {"data_wystawienia": "2026-12-01"},
}


def broken() -> dict:
    data = copy.deepcopy(ZLA)
    data["ubezpieczony"]["pesel"] = "44051401358"
    data["niezdolnosc"]["okres"]["do"] = "2026-11-01"
    return data


def test_from_dict_validate_and_write_the_pair():
    zla = ezla.Zla.from_dict(ZLA)
    assert repr(zla) == '<Zla ubezpieczony="Jan Kowalski">'
    problems = zla.validate(TODAY)
    assert all(isinstance(p, ezla.Problem) for p in problems)
    assert not [p for p in problems if p.is_error]
    assert zla.is_valid(TODAY)
    oryginal = zla.oryginal_xml(today=TODAY)
    kopia = zla.kopia_xml(today=TODAY)
    assert oryginal == zla.to_xml(today=TODAY)
    assert kopia == zla.to_xml(kopia=True, today=TODAY)
    assert "<p2>ORYGINAŁ</p2>".encode() in oryginal and b"<p2>KOPIA</p2>" in kopia
    assert b"<p8>J06</p8>" in oryginal
    assert b"J06" not in kopia  # the payer never sees the ICD-10 code
    back, wariant = ezla.Zla.from_xml(kopia)
    assert wariant == "kopia"
    assert back.to_dict()["niezdolnosc"].get("kod_choroby") is None
    assert ezla.Zla.from_xml(oryginal)[1] == "oryginal"
    assert ezla.Zla.from_pair(oryginal, kopia) == zla
    assert zla != back and zla != "not a Zla"


def test_json_round_trip():
    zla = ezla.Zla.from_dict(ZLA)
    assert ezla.Zla.from_json(zla.to_json()) == zla
    data = zla.to_dict()
    assert data["ubezpieczony"]["pesel"] == "44051401359"
    assert ezla.Zla.from_dict(data) == zla


def test_problems_carry_path_element_rule():
    zla = ezla.Zla.from_dict(broken())
    assert not zla.is_valid(TODAY)
    errors = {p.path: p for p in zla.validate(TODAY) if p.is_error}
    assert set(errors) == {"ubezpieczony.pesel", "niezdolnosc.okres.do"}
    pesel = errors["ubezpieczony.pesel"]
    assert pesel.severity == "error"
    assert pesel.element == "KEDU/ZUSZLA/II/p1"
    assert pesel.rule == "pesel" and pesel.inferred is False
    assert "check digit" in pesel.message
    assert str(pesel).startswith("error: ubezpieczony.pesel")
    assert repr(pesel).startswith("<Problem error pesel")
    assert pesel.to_dict() == {"path": "ubezpieczony.pesel", "element": "KEDU/ZUSZLA/II/p1",
                               "message": pesel.message, "severity": "error", "rule": "pesel",
                               "inferred": False}
    warnings = [p for p in zla.validate(TODAY) if not p.is_error]
    assert warnings and all(p.severity == "warning" for p in warnings)


def test_writing_an_invalid_model_raises_validation_error_with_every_problem():
    zla = ezla.Zla.from_dict(broken())
    with pytest.raises(ezla.ValidationError) as info:
        zla.oryginal_xml(today=TODAY)
    err = info.value
    assert err.code == 500 and err.name == "DocumentInvalid"
    assert isinstance(err, ValueError)
    assert {p.path for p in err.errors} == {"ubezpieczony.pesel", "niezdolnosc.okres.do"}
    assert len(err.problems) > len(err.errors)  # the warnings come along
    assert "2 error(s)" in str(err)


def test_today_is_a_date():
    zla = ezla.Zla.from_dict(ZLA)
    with pytest.raises(TypeError):
        zla.validate(datetime.datetime(2026, 12, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        zla.validate("2026-12-01")  # type: ignore[arg-type]
    # An issue date in the future is an error.
    assert not zla.is_valid(datetime.date(2026, 11, 1))
    assert zla.validate() is not None  # default: today in Poland


def test_write_options():
    zla = ezla.Zla.from_dict(ZLA)
    xml = zla.oryginal_xml(today=TODAY, producent="Gabinet 1.0", symbol="eZLA", wersja="2.1",
                           data_wystawienia=datetime.date(2026, 11, 30))
    assert b"<producent>Gabinet 1.0</producent>" in xml and b"<wersja>2.1</wersja>" in xml
    assert b"2026-11-30" in xml
    with pytest.raises(ezla.InvalidInput):
        zla.oryginal_xml(today=TODAY, producent=" ")


def test_parse_errors():
    with pytest.raises(ezla.ParseError) as info:
        ezla.Zla.from_dict({"nieznane_pole": 1})
    assert info.value.code == 113 and "nieznane_pole" in str(info.value)
    with pytest.raises(ezla.ParseError):
        ezla.Zla.from_json("{")
    # A section given as a list (a plain tuple, say) is refused, not read by position.
    with pytest.raises(ezla.ParseError) as positional:
        ezla.Zla.from_dict({"lekarz": ("Jan", "Kowalski", "5425740")})
    assert positional.value.code == 113 and "`lekarz`" in str(positional.value)
    with pytest.raises(ezla.ParseError) as info2:
        ezla.Zla.from_xml(b"<a/>")
    assert info2.value.code == 501
    with pytest.raises(ezla.ParseError) as info3:
        ezla.Zla.from_xml(b"<a>")
    assert info3.value.code == 100
    kopia = ezla.Zla.from_dict(ZLA).kopia_xml(today=TODAY)
    with pytest.raises(ezla.ParseError):
        ezla.Zla.from_pair(kopia, kopia)
    with pytest.raises(TypeError):
        ezla.Zla.from_dict(["not", "a", "dict"])
    with pytest.raises(TypeError):
        ezla.Zla.from_dict({"wystawienie": {"data_wystawienia": datetime.datetime(2026, 12, 1)}})
    with pytest.raises(TypeError):
        ezla.Zla.from_dict({"lekarz": object()})


class Kod(enum.Enum):
    ZUS = "zus"


@dataclasses.dataclass
class Ubezpieczony:
    pesel: str
    imie: str
    nazwisko: str
    kod_ubezpieczenia: Kod = Kod.ZUS


class Okres(NamedTuple):
    od: datetime.date
    do: datetime.date


@dataclasses.dataclass
class Niezdolnosc:
    okres: Okres
    wskazanie: str
    kod_choroby: Optional[str] = None


class Pydanticish:
    """Anything with model_dump(), as pydantic models have."""

    def __init__(self, **fields: object) -> None:
        self.fields = fields

    def model_dump(self) -> dict:
        return dict(self.fields)


def test_dataclass_like_objects():
    data = dict(ZLA)
    data["ubezpieczony"] = Ubezpieczony("44051401359", "Jan", "Kowalski")
    data["niezdolnosc"] = Niezdolnosc(
        Okres(datetime.date(2026, 11, 30), datetime.date(2026, 12, 6)), "moze_chodzic", "J06")
    data["lekarz"] = Pydanticish(npwz="5425740", imie="Anna", nazwisko="Nowak", tytul=None)
    assert ezla.Zla.from_dict(data) == ezla.Zla.from_dict(ZLA)

    @dataclasses.dataclass
    class Whole:
        ubezpieczony: Ubezpieczony
        niezdolnosc: Niezdolnosc
        wystawienie: dict

    whole = ezla.Zla.from_dict(Whole(data["ubezpieczony"], data["niezdolnosc"],
                                     {"data_wystawienia": TODAY}))
    assert whole.to_dict()["wystawienie"]["data_wystawienia"] == "2026-12-01"


def test_check_zla(sample):
    problems = ezla.check_zla(sample, today=TODAY)
    assert not [p for p in problems if p.is_error]
    written = ezla.Zla.from_dict(ZLA).oryginal_xml(today=TODAY)
    assert not [p for p in ezla.check_zla(written, today=TODAY) if p.is_error]
    with pytest.raises(ezla.ParseError):
        ezla.check_zla(b"<KEDU/>")


def test_sign_the_pair_and_read_back_what_was_signed(doctor, ca):
    zla = ezla.Zla.from_dict(ZLA)
    for kopia in (False, True):
        signed = ezla.sign_xades(zla.to_xml(kopia=kopia, today=TODAY), doctor)
        report = ezla.verify_xades(signed, trust=[ca.certificate])
        assert report.document_element.endswith("}KEDU")
        back, wariant = ezla.Zla.from_xml(signed)
        assert wariant == ("kopia" if kopia else "oryginal")
        assert back.to_dict()["ubezpieczony"]["pesel"] == "44051401359"


def test_validation_error_from_the_conversion_point():
    with pytest.raises(ezla.ValidationError) as info:
        ezla._ezla._raise_for_code(500)
    [problem] = info.value.problems
    assert isinstance(problem, ezla.Problem) and problem.path == "ubezpieczony.pesel"
    assert info.value.errors == [problem]


def test_to_xml_pair():
    zla = ezla.Zla.from_dict(ZLA)
    oryginal, kopia = zla.to_xml_pair(today=TODAY)
    assert (oryginal, kopia) == (zla.oryginal_xml(today=TODAY), zla.kopia_xml(today=TODAY))
    with pytest.raises(ezla.ValidationError):
        ezla.Zla.from_dict(broken()).to_xml_pair(today=TODAY)


def issued() -> ezla.Zla:
    data = copy.deepcopy(ZLA)
    data["seria_numer"] = {"seria": "ZW", "numer": "1234567"}
    return ezla.Zla.from_dict(data)


def test_azla_for_a_certificate():
    doctor = {"npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak"}
    azla = ezla.Azla.for_zla(issued(), przyczyna="U", lekarz=doctor, data=TODAY)
    assert repr(azla) == '<Azla anulowane_zla="ZW 1234567">'
    data = azla.to_dict()
    assert data["anulowane_zla"] == {"seria": "ZW", "numer": "1234567"}
    assert data["data"] == "2026-12-01"
    assert not [p for p in azla.validate(TODAY) if p.is_error]
    xml = azla.to_xml(today=TODAY)
    assert b"<KEDU" in xml and b"1234567" in xml
    assert ezla.Azla.from_xml(xml) == azla
    assert ezla.Azla.from_json(azla.to_json()) == azla
    assert ezla.Azla.from_dict(data) == azla
    # By name as well as by ZUS code.
    by_name = ezla.Azla.for_zla(issued(), przyczyna="dane_ubezpieczonego", lekarz=doctor,
                                data=TODAY)
    assert by_name == azla


def test_azla_errors():
    doctor = {"npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak"}
    with pytest.raises(ezla.InvalidInput):  # no series and number yet
        ezla.Azla.for_zla(ezla.Zla.from_dict(ZLA), przyczyna="U", lekarz=doctor)
    with pytest.raises(ezla.ParseError):
        ezla.Azla.for_zla(issued(), przyczyna="nonsense", lekarz=doctor)
    with pytest.raises(ezla.ParseError):
        ezla.Azla.for_zla(issued(), przyczyna="U", lekarz={"nieznane": 1})
    # Reason I (another reason) needs a justification.
    other = ezla.Azla.for_zla(issued(), przyczyna="I", lekarz=doctor, data=TODAY)
    assert [p for p in other.validate(TODAY) if p.is_error]
    with pytest.raises(ezla.ValidationError):
        other.to_xml(today=TODAY)
    with pytest.raises(ezla.ParseError):
        ezla.Azla.from_json("{")


def test_split_period():
    d = datetime.date
    parts = ezla.split_period(d(2026, 12, 1), d(2026, 12, 20), d(2026, 12, 10))
    assert parts == [("wsteczne", d(2026, 12, 1), d(2026, 12, 6)),
                     ("biezace", d(2026, 12, 7), d(2026, 12, 20))]
    assert ezla.split_period(d(2026, 12, 9), d(2026, 12, 20), d(2026, 12, 10)) == [
        ("biezace", d(2026, 12, 9), d(2026, 12, 20))]
    with pytest.raises(ezla.InvalidInput):
        ezla.split_period(d(2026, 12, 20), d(2026, 12, 1), d(2026, 12, 10))
    with pytest.raises(TypeError):
        ezla.split_period("2026-12-01", d(2026, 12, 2), d(2026, 12, 3))  # type: ignore[arg-type]


def test_plan_zla_per_part_and_payer():
    data = copy.deepcopy(ZLA)
    data["niezdolnosc"]["okres"] = {"od": "2026-11-20", "do": "2026-12-06"}
    data["wystawienie"]["uzasadnienie_wsteczne"] = "Pacjent był nieprzytomny."
    template = ezla.Zla.from_dict(data)
    payers = [{"rodzaj": "nip", "identyfikator": "1234563218"},
              {"rodzaj": "nip", "identyfikator": "5260250274"}]
    plan = ezla.plan_zla(template, payers)
    assert [kind for kind, _ in plan] == ["wsteczne", "wsteczne", "biezace", "biezace"]
    assert [z.to_dict()["platnik"]["identyfikator"] for _, z in plan] == [
        "1234563218", "5260250274", "1234563218", "5260250274"]
    assert plan[0][1].to_dict()["niezdolnosc"]["okres"] == {"od": "2026-11-20", "do": "2026-11-27"}
    assert plan[2][1].to_dict()["niezdolnosc"]["okres"] == {"od": "2026-11-28", "do": "2026-12-06"}
    assert len(ezla.plan_zla(template)) == 2  # the template's own payer
    with pytest.raises(ezla.InvalidInput):
        ezla.plan_zla(ezla.Zla.from_dict({"platnik": payers[0]}))
    with pytest.raises(ezla.ParseError):
        ezla.plan_zla(template, [{"nieznane": 1}])
