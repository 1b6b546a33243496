"""Revocation checking from Python: ``RevocationChecker`` with CRLs given as bytes or files,
or fetched from the certificate's distribution point (a one-file HTTP server on loopback);
``verify_xades(..., revocation=)`` and ``verify_cms(..., revocation=)`` report the CRL used,
and a revoked certificate raises ``CertificateRevoked`` with its time and reason. openssl
(``crl -inform DER``) reads the CRLs the test CA makes.
"""

from __future__ import annotations

import datetime
import http.server
import pathlib
import shutil
import subprocess
import threading
from typing import Iterator, List, Tuple

import pytest

import ezla
from ezla.testing import TestCa as _TestCa

KEDU = (
    b'<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="9"><II>'
    b"<p1>68071892605</p1></II></ZUSZLA></KEDU>"
)
UTC = datetime.timezone.utc


def now() -> datetime.datetime:
    return datetime.datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def ca() -> _TestCa:
    return _TestCa.generate("ezla revocation CA", not_before=now() - datetime.timedelta(days=30))


def doctor(ca: _TestCa, crl_url: str | None = None) -> ezla.Identity:
    return ca.issue_doctor(key_type="p256", not_before=now() - datetime.timedelta(days=2),
                           crl_url=crl_url)


def test_a_good_certificate_reports_the_crl(ca: _TestCa) -> None:
    who = doctor(ca)
    signed = ezla.sign_xades(KEDU, who)
    checker = ezla.RevocationChecker([ca.issue_crl(number=5)])
    report = ezla.verify_xades(signed, trust=[ca.certificate], revocation=checker)
    info = report.revocation
    assert info is not None
    assert info.status == "good"
    assert info.source_kind == "given" and info.source == "crls[0]"
    assert info.crl_number == "05"
    assert info.crl_issuer == ca.certificate.subject
    assert info.judged_by == "verification_time"
    assert info.revoked_at is None and info.reason is None
    assert info.crl_next_update is not None and info.crl_next_update > info.crl_this_update
    assert info.to_dict()["status"] == "good"
    assert report.to_dict()["revocation"]["crl_number"] == "05"
    assert ezla.verify_xades(signed, trust=[ca.certificate]).revocation is None


def test_a_revoked_certificate_raises_with_time_and_reason(ca: _TestCa) -> None:
    who = doctor(ca)
    revoked_at = now() - datetime.timedelta(hours=1)
    crl = ca.issue_crl([(who.certificate, revoked_at, "keyCompromise")])
    # The thief backdates the signing time: it does not count.
    signed = ezla.sign_xades(KEDU, who, signing_time=revoked_at - datetime.timedelta(hours=5))
    checker = ezla.RevocationChecker([crl])
    with pytest.raises(ezla.CertificateRevoked) as e:
        ezla.verify_xades(signed, trust=[ca.certificate], revocation=checker)
    assert e.value.code == 306 and e.value.name == "CertificateRevoked"
    assert e.value.revoked_at == revoked_at
    assert e.value.reason == "keyCompromise"
    assert e.value.serial == who.certificate.serial_hex
    assert isinstance(e.value, ezla.CertificateError)
    # Judged at an instant before the revocation, it passes and says so.
    report = ezla.verify_xades(signed, trust=[ca.certificate], revocation=checker,
                               at=revoked_at - datetime.timedelta(minutes=30))
    assert report.revocation is not None
    assert report.revocation.status == "revoked_later"
    assert report.revocation.revoked_at == revoked_at
    assert report.revocation.judged_by == "requested"
    # On its own.
    with pytest.raises(ezla.CertificateRevoked):
        checker.check(who.certificate, ca.certificate)
    info = checker.check(who.certificate, ca.certificate, at=revoked_at - datetime.timedelta(seconds=1))
    assert info.status == "revoked_later" and info.reason == "keyCompromise"


def test_cms_checks_revocation_too(ca: _TestCa) -> None:
    who = doctor(ca)
    signature = ezla.sign_cms(b"a printout", who)
    good = ezla.verify_cms(signature, trust=[ca.certificate],
                           revocation=ezla.RevocationChecker([ca.issue_crl()]))
    assert good.revocation is not None and good.revocation.status == "good"
    crl = ca.issue_crl([(who.certificate, now() - datetime.timedelta(minutes=1), None)])
    with pytest.raises(ezla.CertificateRevoked) as e:
        ezla.verify_cms(signature, trust=[ca.certificate], revocation=ezla.RevocationChecker([crl]))
    assert e.value.reason is None


def test_bad_crls_are_typed(ca: _TestCa, tmp_path: pathlib.Path) -> None:
    who = doctor(ca)
    other = _TestCa.generate("another CA")
    cases = [
        (other.issue_crl(), "CrlIssuerMismatch", 307),
        (_TestCa.generate("ezla revocation CA").issue_crl(), "CrlSignatureInvalid", 308),
        (ca.issue_crl(this_update=now() - datetime.timedelta(days=3)), "CrlExpired", 309),
        (ca.issue_crl(this_update=now() + datetime.timedelta(hours=2)), "CrlNotYetValid", 310),
    ]
    for crl, name, code in cases:
        with pytest.raises(ezla.CrlError) as e:
            ezla.RevocationChecker([crl]).check(who.certificate, ca.certificate)
        assert (e.value.name, e.value.code) == (name, code)
    with pytest.raises(ezla.RevocationUnknown):
        ezla.RevocationChecker().check(who.certificate, ca.certificate)
    with pytest.raises(ezla.ParseError):
        ezla.RevocationChecker([b"not a CRL"])
    path = tmp_path / "ca.crl"
    path.write_bytes(ca.issue_crl([(who.certificate, now(), "superseded")]))
    for item in (path, str(path)):
        with pytest.raises(ezla.CertificateRevoked):
            ezla.RevocationChecker([item]).check(who.certificate, ca.certificate,
                                                 at=now() + datetime.timedelta(seconds=1))
    with pytest.raises(ezla.TransportError):
        ezla.RevocationChecker([tmp_path / "missing.crl"])
    with pytest.raises(ezla.InvalidInput):
        ezla.RevocationChecker([42])  # type: ignore[list-item]
    with pytest.raises(ezla.InvalidInput):
        ezla.RevocationChecker(ca=b"x")
    with pytest.raises(ezla.InvalidInput):
        ezla.verify_xades(ezla.sign_xades(KEDU, who), trust=[ca.certificate],
                          revocation="yes")  # type: ignore[arg-type]
    with pytest.raises(ezla.InvalidInput):
        ca.issue_crl([(who.certificate, now(), "lost")])


class _Served:
    """A CRL served at /ca.crl on loopback, replaceable, with the requests counted."""

    def __init__(self) -> None:
        self.body = b""
        self.requests: List[str] = []
        served = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                served.requests.append(self.path)
                ok = self.path == "/ca.crl" and served.body
                self.send_response(200 if ok else 404)
                self.send_header("Content-Type", "application/pkix-crl")
                body = served.body if ok else b""
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ca.crl"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def served() -> Iterator[_Served]:
    s = _Served()
    yield s
    s.close()


def test_the_distribution_point_is_fetched_and_cached(ca: _TestCa, served: _Served) -> None:
    who = doctor(ca, crl_url=served.url)
    assert served.url in who.certificate.crl_distribution_points
    signed = ezla.sign_xades(KEDU, who)
    checker = ezla.RevocationChecker(fetch=True)
    assert checker.fetches
    with pytest.raises(ezla.TransportError) as e:
        ezla.verify_xades(signed, trust=[ca.certificate], revocation=checker)
    assert e.value.name == "HttpStatus"
    served.body = ca.issue_crl()
    first = ezla.verify_xades(signed, trust=[ca.certificate], revocation=checker).revocation
    second = ezla.verify_xades(signed, trust=[ca.certificate], revocation=checker).revocation
    assert first is not None and second is not None
    assert (first.source_kind, first.source) == ("fetched", served.url)
    assert second.source_kind == "cached"
    assert served.requests == ["/ca.crl", "/ca.crl"]
    # A new checker (a new process) sees the revocation at once.
    served.body = ca.issue_crl([(who.certificate, now(), "keyCompromise")], number=2)
    with pytest.raises(ezla.CertificateRevoked):
        ezla.verify_xades(signed, trust=[ca.certificate],
                          revocation=ezla.RevocationChecker(fetch=True),
                          at=now() + datetime.timedelta(seconds=2))


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_openssl_reads_the_test_cas_crls(ca: _TestCa, tmp_path: pathlib.Path) -> None:
    who = doctor(ca)
    path = tmp_path / "ca.crl"
    path.write_bytes(ca.issue_crl([(who.certificate, now(), "cessationOfOperation")], number=9))
    out = subprocess.run(["openssl", "crl", "-inform", "DER", "-in", str(path), "-noout", "-text"],
                         capture_output=True, text=True, check=True).stdout
    assert f"Serial Number: {who.certificate.serial_hex}" in out
    assert "Cessation Of Operation" in out
    assert "X509v3 CRL Number" in out


def test_check_certificates_reports_revocation(ca: _TestCa, tmp_path: pathlib.Path) -> None:
    good, stolen = doctor(ca), doctor(ca)
    revoked_at = now() - datetime.timedelta(minutes=5)
    crl = ca.issue_crl([(stolen.certificate, revoked_at, "keyCompromise")])
    checker = ezla.RevocationChecker([crl])
    (tmp_path / "good.crt").write_bytes(good.certificate.to_pem())
    (tmp_path / "stolen.crt").write_bytes(stolen.certificate.to_pem())
    summary = ezla.check_certificates(tmp_path, revocation=checker, issuers=[ca.certificate])
    rows = {pathlib.Path(r.source).name: r for r in summary.rows}
    assert rows["good.crt"].revocation == "not-revoked"
    assert rows["stolen.crt"].revocation == "revoked"
    assert rows["stolen.crt"].revoked_at == revoked_at
    assert rows["stolen.crt"].revocation_detail == "keyCompromise"
    assert rows["stolen.crt"].monitor_status == "CRITICAL"
    assert summary.exit_code == 2
    assert 'ezla_certificate_revoked{file="' in summary.to_prometheus()
    # Without the issuer at hand: UNKNOWN, and why.
    unknown = ezla.check_certificates(tmp_path / "good.crt", revocation=checker)
    assert unknown.rows[0].revocation == "unknown"
    assert (unknown.rows[0].revocation_detail or "").startswith("RevocationUnknown: ")
    assert unknown.exit_code == 3
    # Without revocation=, nothing is checked; issuers= alone is a mistake.
    assert ezla.check_certificates(tmp_path).rows[0].revocation is None
    with pytest.raises(ezla.InvalidInput):
        ezla.check_certificates(tmp_path, issuers=[ca.certificate])
