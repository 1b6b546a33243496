"""Fixtures generated at test time: a test CA, doctors, .pfx files. No keys are committed."""

from __future__ import annotations

import datetime
import pathlib
import shutil
import subprocess

import pytest

import ezla
from ezla.testing import make_test_ca, make_test_doctor

REPO = pathlib.Path(__file__).resolve().parents[3]
VECTORS = REPO.parent / "shared" / "vectors"
SAMPLE = VECTORS / "ezla" / "ked_zla_unsigned_oryginal_medfile.xml"

#: Low iteration counts keep fixtures fast; real files use ezla.DEFAULT_PFX_ITERATIONS.
FAST_ITERATIONS = 2048
PASSWORD = "hasło-Ż1"

SMALL_DOC = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="1">'
    b"<p1>Zwolnienie \xc5\x82\xc3\xb3\xc5\xbcko</p1></ZUSZLA></KEDU>\n"
)


@pytest.fixture(scope="session")
def ca() -> ezla.testing.TestCa:
    return make_test_ca("ezla pytest CA")


@pytest.fixture(scope="session")
def doctor(ca) -> ezla.Identity:
    return make_test_doctor(ca, given_name="Anna", surname="Nowak", pesel="02070803628")


@pytest.fixture(scope="session")
def ec_doctor(ca) -> ezla.Identity:
    return make_test_doctor(ca, given_name="Ewa", surname="Kurek", key_type="p256")


@pytest.fixture(scope="session")
def expired_doctor(ca) -> ezla.Identity:
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=800)
    return make_test_doctor(ca, surname="Stary", not_before=start, days=365)


@pytest.fixture(scope="session")
def other_ca() -> ezla.testing.TestCa:
    return make_test_ca("ezla pytest other CA")


@pytest.fixture(scope="session")
def pfx(doctor) -> bytes:
    return doctor.to_pfx(PASSWORD, iterations=FAST_ITERATIONS)


@pytest.fixture(scope="session")
def sample() -> bytes:
    if not SAMPLE.exists():
        pytest.skip(f"the e-ZLA sample {SAMPLE} is absent (shared vectors not mounted)")
    return SAMPLE.read_bytes()


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)
