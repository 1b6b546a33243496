"""CMS (CAdES-BES) signatures from Python: round trips, the errors, and openssl's verdict."""

import datetime
import pathlib

import pytest

import ezla

from conftest import require_tool, run

PDF = b"%PDF-1.7\n the e-ZLA printout \x00\x01\x02\r\n" * 100


def test_attached_and_detached_round_trip(doctor, ec_doctor, ca):
    for identity in (doctor, ec_doctor):
        signed = ezla.sign_cms(PDF, identity)
        report = ezla.verify_cms(signed, trust=[ca.certificate])
        assert report.attached and report.content == PDF
        assert report.trust == "chain" and report.ess_binding
        assert report.signer == identity.certificate
        assert report.signing_time is not None and report.signing_time.tzinfo is not None
        assert "CmsReport(" in repr(report)

        detached = ezla.sign_cms(PDF, identity, detached=True, digest="sha512", pem=True)
        assert detached.startswith(b"-----BEGIN CMS-----")
        report = ezla.verify_cms(detached, content=PDF)
        assert not report.attached and report.digest == "SHA-512"
        assert report.trust == "untrusted"
    assert ezla.verify_cms(ezla.sign_cms(PDF, doctor)).pesel == "02070803628"


def test_refusals_are_typed(doctor, other_ca):
    # A signing time within the certificate.
    when = doctor.certificate.not_before + datetime.timedelta(seconds=1)
    detached = ezla.sign_cms(PDF, doctor, detached=True, signing_time=when)
    assert ezla.verify_cms(detached, content=PDF).signing_time == when
    with pytest.raises(ezla.DigestMismatch):
        ezla.verify_cms(detached, content=PDF + b"!")
    with pytest.raises(ezla.InvalidSignature):
        ezla.verify_cms(detached)  # the content is missing
    with pytest.raises(ezla.CertificateError):
        ezla.verify_cms(detached, content=PDF, trust=[other_ca.certificate])
    with pytest.raises(ezla.ParseError):
        ezla.verify_cms(detached[:-5], content=PDF)
    with pytest.raises(ezla.InvalidInput):
        ezla.sign_cms(PDF, doctor, digest="md5")  # type: ignore[arg-type]


def test_openssl_verifies_what_python_signs(doctor, ca, tmp_path: pathlib.Path):
    openssl = require_tool("openssl")
    (tmp_path / "ca.pem").write_bytes(ca.certificate.to_pem())
    (tmp_path / "content.bin").write_bytes(PDF)
    (tmp_path / "sig.p7s").write_bytes(ezla.sign_cms(PDF, doctor, detached=True))
    out = run([openssl, "cms", "-verify", "-binary", "-inform", "DER",
               "-in", str(tmp_path / "sig.p7s"), "-content", str(tmp_path / "content.bin"),
               "-CAfile", str(tmp_path / "ca.pem"), "-out", str(tmp_path / "out.bin")])
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out.bin").read_bytes() == PDF
