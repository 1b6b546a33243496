"""ezla.check_certificates: a clinic's directory of certificates watched at once; the
Prometheus text read back by prometheus_client's own parser."""

from __future__ import annotations

import datetime
import json
import pathlib

import pytest
from prometheus_client.parser import text_string_to_metric_families

import ezla
from ezla.testing import make_test_ca, make_test_doctor

from conftest import FAST_ITERATIONS, PASSWORD

UTC = datetime.timezone.utc
AT = datetime.datetime(2026, 1, 5, tzinfo=UTC)


def _doctor(ca, not_before: datetime.datetime, days: int, **kwargs) -> ezla.Identity:
    return make_test_doctor(ca, key_type="p256", not_before=not_before, days=days, **kwargs)


@pytest.fixture(scope="module")
def old_ca() -> ezla.testing.TestCa:
    """A CA valid at AT (the session's CA starts now)."""
    return make_test_ca(
        "ezla monitor test CA", not_before=datetime.datetime(2020, 1, 1, tzinfo=UTC), days=7300
    )


@pytest.fixture(scope="module")
def clinic(tmp_path_factory, old_ca) -> pathlib.Path:
    """`fresh.pfx` valid, `renew.pfx` 27 days left (renewal window), `expired.pfx`, the CA as
    `ca.pem`, `notes.txt` (not checked), `sub/late.pfx` (only when recursive)."""
    ca = old_ca
    d = tmp_path_factory.mktemp("clinic")
    (d / "sub").mkdir()
    people = {
        "fresh.pfx": _doctor(ca, datetime.datetime(2026, 1, 1, tzinfo=UTC), 1826),
        "renew.pfx": _doctor(
            ca, datetime.datetime(2021, 2, 1, tzinfo=UTC), 1826, pesel="02070803628"
        ),
        "expired.pfx": _doctor(ca, datetime.datetime(2020, 6, 1, tzinfo=UTC), 365),
        "sub/late.pfx": _doctor(ca, datetime.datetime(2025, 6, 1, tzinfo=UTC), 1826),
    }
    for name, identity in people.items():
        (d / name).write_bytes(identity.to_pfx(PASSWORD, iterations=FAST_ITERATIONS))
    (d / "ca.pem").write_bytes(ca.certificate.to_pem())
    (d / "notes.txt").write_text("not a certificate")
    return d


def test_a_directory_in_name_order_with_the_worst_status(clinic):
    summary = ezla.check_certificates([clinic], password=PASSWORD, at=AT)
    assert [pathlib.Path(r.source).name for r in summary.rows] == [
        "ca.pem",
        "expired.pfx",
        "fresh.pfx",
        "renew.pfx",
    ]
    assert [r.status for r in summary.rows] == ["valid", "expired", "valid", "renewal-window"]
    assert summary.worst == "CRITICAL"
    assert summary.exit_code == 2
    assert len(summary) == 4
    assert summary.at == AT
    assert (summary.renewal_window_days, summary.warning_days) == (28, 14)
    renew = summary.rows[3]
    assert renew.monitor_status == "WARNING"
    assert renew.days_left == 27
    assert renew.not_after == datetime.datetime(2026, 2, 1, tzinfo=UTC)
    assert renew.pesel == "02070803628"
    assert renew.subject is not None and "serialNumber=PNOPL-02070803628" in renew.subject
    assert renew.certificate is not None and renew.serial_hex == renew.certificate.serial_hex
    assert renew.integrity_protected is True
    assert renew.revocation is None
    assert renew.error_code is None and renew.error_name is None
    assert summary.rows[0].pesel is None
    assert summary.rows[0].integrity_protected is None
    # Recursively, the subdirectory's files come after the directory's own.
    summary = ezla.check_certificates(str(clinic), password=PASSWORD, at=AT, recursive=True)
    assert pathlib.Path(summary.rows[-1].source).parts[-2:] == ("sub", "late.pfx")


def test_unreadable_sources_are_rows(clinic, tmp_path):
    broken = tmp_path / "broken.pfx"
    broken.write_bytes((clinic / "fresh.pfx").read_bytes()[:300])
    summary = ezla.check_certificates(
        [clinic / "fresh.pfx", broken, tmp_path / "missing.pem", tmp_path / "empty-dir"],
        password=PASSWORD,
        at=AT,
    )
    (tmp_path / "empty").mkdir()
    rows = summary.rows
    assert [r.status for r in rows] == ["valid", "unreadable", "unreadable", "unreadable"]
    assert (rows[1].error_code, rows[1].error_name) == (202, "Pkcs12Corrupt")
    assert rows[2].error_name == "Io" and "missing.pem" in (rows[2].error_message or "")
    assert rows[1].certificate is None and rows[1].days_left is None
    assert summary.worst == "UNKNOWN" and summary.exit_code == 3
    empty = ezla.check_certificates(tmp_path / "empty", at=AT)
    assert [r.error_name for r in empty.rows] == ["NoCertificate"]
    # A wrong password is the file's problem, not an exception.
    wrong = ezla.check_certificates([clinic / "fresh.pfx"], password="nie to", at=AT)
    assert wrong.rows[0].error_name == "BadPassword"
    assert wrong.rows[0].error_code == ezla.BadPassword("x").code == 200


def test_certificates_and_labelled_pairs(doctor, ca):
    summary = ezla.check_certificates(
        [doctor.certificate, ("the CA", ca.certificate)], warning_days=3000
    )
    assert [r.source for r in summary.rows] == ["certificate 1", "the CA"]
    assert [r.status for r in summary.rows] == ["expiring", "valid"]
    assert summary.worst == "WARNING"
    alone = ezla.check_certificates(doctor.certificate)
    assert [(r.source, r.status) for r in alone.rows] == [("certificate 1", "valid")]
    assert alone.exit_code == 0
    with pytest.raises(ezla.InvalidInput, match="item 2"):
        ezla.check_certificates([doctor.certificate, 42])
    with pytest.raises(ezla.InvalidInput):
        ezla.check_certificates(42)


def test_warning_days_moves_a_certificate_into_warning(old_ca, tmp_path):
    # 40 days left at AT.
    identity = _doctor(old_ca, datetime.datetime(2025, 2, 14, tzinfo=UTC), 365)
    path = tmp_path / "doctor.pfx"
    path.write_bytes(identity.to_pfx(PASSWORD, iterations=FAST_ITERATIONS))
    plain = ezla.check_certificates([path], password=PASSWORD, at=AT)
    assert (plain.rows[0].status, plain.rows[0].days_left, plain.exit_code) == ("valid", 40, 0)
    warned = ezla.check_certificates([path], password=PASSWORD, at=AT, warning_days=45)
    assert (warned.rows[0].status, warned.worst, warned.exit_code) == ("expiring", "WARNING", 1)
    assert warned.warning_days == 45


def test_json_is_cert_checks(clinic):
    summary = ezla.check_certificates([clinic], password=PASSWORD, at=AT)
    v = json.loads(summary.to_json())
    assert v["at"] == "2026-01-05T00:00:00Z"
    assert v["exit_status"] == 2 and v["worst"] == "CRITICAL"
    assert v["policy"] == {"renewal_window_days": 28, "warning_days": 14}
    renew = v["results"][3]
    assert renew["file"] == str(clinic / "renew.pfx")
    assert (renew["status"], renew["days_left"]) == ("renewal-window", 27)
    assert renew["pesel"] == "02070803628"
    assert renew["not_after"] == "2026-02-01T00:00:00Z"
    table = summary.to_table().splitlines()
    assert table[0].startswith("STATUS") and len(table) == 5
    assert table[2].startswith("expired")


def test_prometheus_text_parses_with_prometheus_client(clinic, tmp_path):
    # A file name with every character the format escapes in label values.
    odd = tmp_path / 'we"ird\\na\nme.pfx'
    odd.write_bytes((clinic / "renew.pfx").read_bytes())
    missing = tmp_path / "missing.pfx"
    summary = ezla.check_certificates(
        [clinic, odd, missing], password=PASSWORD, at=AT
    )
    families = {f.name: f for f in text_string_to_metric_families(summary.to_prometheus())}
    assert set(families) == {
        "ezla_certificate_days_left",
        "ezla_certificate_not_after_seconds",
        "ezla_certificate_status",
        "ezla_certificate_check_error",
        "ezla_certificate_check_errors",
        "ezla_certificate_check_exit_code",
        "ezla_certificate_check_timestamp_seconds",
    }
    assert all(f.type == "gauge" for f in families.values())
    days = {s.labels["file"]: s for s in families["ezla_certificate_days_left"].samples}
    assert set(days) == {str(clinic / n) for n in ("ca.pem", "expired.pfx", "fresh.pfx", "renew.pfx")} | {
        str(odd)
    }
    weird = days[str(odd)]
    assert weird.value == 27
    assert weird.labels["pesel"] == "02070803628"
    assert weird.labels["subject"].startswith("CN=Jan Kowalski,serialNumber=PNOPL-02070803628")
    row = next(r for r in summary.rows if r.source == str(odd))
    assert weird.labels["serial"] == row.serial_hex
    assert "pesel" not in days[str(clinic / "ca.pem")].labels
    assert days[str(clinic / "expired.pfx")].value < 0
    not_after = {
        s.labels["file"]: s.value for s in families["ezla_certificate_not_after_seconds"].samples
    }
    assert not_after[str(odd)] == datetime.datetime(2026, 2, 1, tzinfo=UTC).timestamp()
    status = [s for s in families["ezla_certificate_status"].samples if s.labels["file"] == str(odd)]
    assert {s.labels["status"]: s.value for s in status} == {
        "ok": 0,
        "renewal_window": 1,
        "expiring": 0,
        "expired": 0,
        "not_yet_valid": 0,
    }
    (error,) = families["ezla_certificate_check_error"].samples
    assert error.labels == {"file": str(missing), "code": "800", "name": "Io"}
    assert families["ezla_certificate_check_errors"].samples[0].value == 1
    assert families["ezla_certificate_check_exit_code"].samples[0].value == summary.exit_code == 2
    assert families["ezla_certificate_check_timestamp_seconds"].samples[0].value == AT.timestamp()
