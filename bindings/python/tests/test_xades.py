"""XAdES signing and verification, with independent verifiers (signxml, xmlsec1)."""

from __future__ import annotations

import datetime
import re

import pytest

import ezla
from conftest import SMALL_DOC, require_tool, run

UTC = datetime.timezone.utc
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"


@pytest.mark.parametrize("profile", ["zus", "zus-legacy", "xades-bes"])
def test_sign_and_verify_each_profile(doctor, profile):
    signed = ezla.sign_xades(SMALL_DOC, doctor, profile=profile)
    assert isinstance(signed, bytes)
    # The original bytes are kept; the signature is spliced in before the end tag.
    head = SMALL_DOC[: SMALL_DOC.index(b"</KEDU>")]
    assert signed.startswith(head)
    assert signed.endswith(b"</KEDU>\n")
    report = ezla.verify_xades(signed)
    assert isinstance(report, ezla.VerificationReport)
    assert report.profile == profile
    assert report.trust == "untrusted" and not report.trusted
    assert report.signer.pesel == "02070803628"
    assert report.signer.subject == doctor.certificate.subject
    assert report.signer.issuer == doctor.certificate.issuer
    assert report.signer.serial_number == doctor.certificate.serial_number
    assert report.signer.not_after == doctor.certificate.not_after
    assert report.signer.not_before == doctor.certificate.not_before
    assert report.signer.sha256_fingerprint.lower() == doctor.certificate.fingerprint().hex()
    assert report.document_element == "{http://www.zus.pl/2015/KED_ZLA_1}KEDU"
    assert report.signature_algorithm == ("RSA-SHA1" if profile == "zus-legacy" else "RSA-SHA256")
    assert len(report.references) == 2
    types = [r.type_uri for r in report.references]
    assert "http://uri.etsi.org/01903#SignedProperties" in types
    doc_ref = next(r for r in report.references if r.uri == "")
    assert "KEDU" in doc_ref.covers
    assert doc_ref.transforms and doc_ref.digest.startswith("SHA")
    assert report.signing_certificate == "v1"
    assert report.signature_id
    assert report.canonicalization.startswith("http")
    assert report.signature_policy is None
    assert abs(report.signing_time - datetime.datetime.now(UTC)) < datetime.timedelta(minutes=5)
    assert "VerificationReport" in repr(report) and "SignerInfo" in repr(report.signer)
    assert "ReferenceInfo" in repr(report.references[0])
    data = report.to_dict()
    assert data["profile"] == profile and data["signer"]["pesel"] == "02070803628"


def test_ec_key(ec_doctor):
    signed = ezla.sign_xades(SMALL_DOC, ec_doctor)
    assert ezla.verify_xades(signed).signature_algorithm == "ECDSA-SHA256"
    with pytest.raises(ezla.KeyStoreError) as info:
        ezla.sign_xades(SMALL_DOC, ec_doctor, profile="zus-legacy")
    assert info.value.code == 207


def test_deterministic_signature(doctor):
    t = doctor.certificate.not_before + datetime.timedelta(days=3, microseconds=-1)
    t = t.replace(microsecond=0)
    a = ezla.sign_xades(SMALL_DOC, doctor, signing_time=t, id_prefix="zla1", signing_certificate="v2")
    b = ezla.sign_xades(SMALL_DOC, doctor, signing_time=t, id_prefix="zla1", signing_certificate="v2")
    assert a == b
    assert b'Id="zla1-Signature"' in a
    # The signing time lies days ahead of now: checked as of then (now it is refused).
    with pytest.raises(ezla.InvalidSignature):
        ezla.verify_xades(a)
    report = ezla.verify_xades(a, at=t)
    assert report.signing_time == t
    assert report.signing_certificate == "v2"
    assert report.signature_id == "zla1-Signature"
    with pytest.raises(ezla.InvalidInput):
        ezla.sign_xades(SMALL_DOC, doctor, id_prefix="1 bad")


def test_bad_option_values(doctor):
    with pytest.raises(ezla.InvalidInput, match="profile"):
        ezla.sign_xades(SMALL_DOC, doctor, profile="cades")
    with pytest.raises(ezla.InvalidInput, match="signing_certificate"):
        ezla.sign_xades(SMALL_DOC, doctor, signing_certificate="v3")
    with pytest.raises(ezla.InvalidInput, match="timezone-aware"):
        ezla.sign_xades(SMALL_DOC, doctor, signing_time=datetime.datetime(2026, 1, 1))
    with pytest.raises(TypeError):
        ezla.sign_xades(SMALL_DOC, doctor, "xades-bes")  # type: ignore[misc]
    with pytest.raises(TypeError):
        ezla.sign_xades(SMALL_DOC.decode(), doctor)  # type: ignore[arg-type]


def test_trust_anchors(doctor, ca, other_ca):
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    for trust in ([ca.certificate], [ca.certificate.to_pem()], [ca.certificate.to_der()]):
        report = ezla.verify_xades(signed, trust=trust)
        assert report.trust == "chain" and report.trusted
        assert report.chain == [ca.certificate.subject]
    with pytest.raises(ezla.UntrustedCertificate) as info:
        ezla.verify_xades(signed, trust=[other_ca.certificate])
    assert isinstance(info.value, ezla.CertificateError)
    with pytest.raises(ezla.InvalidInput, match="empty"):
        ezla.verify_xades(signed, trust=[])
    with pytest.raises(TypeError):
        ezla.verify_xades(signed, trust=ca.certificate.to_pem())
    with pytest.raises(TypeError):
        ezla.verify_xades(signed, trust=[42])


def test_trust_store(doctor, ca, other_ca, tmp_path):
    store = ezla.TrustStore([ca.certificate, other_ca.certificate.to_pem(), ca.certificate.to_der()])
    assert len(store) == 2  # duplicates dropped
    assert store.certificates == [ca.certificate, other_ca.certificate]
    assert repr(store) == "<TrustStore 2 certificate(s)>"
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    assert ezla.verify_xades(signed, trust=store).trust == "chain"
    assert ezla.verify_xades_all(signed, trust=store)[0].trusted
    assert ezla.verify_xmldsig(ezla.sign_xmldsig(SMALL_DOC, doctor), trust=store).trusted
    assert doctor.certificate.verify_chain(trust=store)[-1] == ca.certificate
    only_other = ezla.TrustStore.from_pem(other_ca.certificate.to_pem())
    with pytest.raises(ezla.UntrustedCertificate):
        ezla.verify_xades(signed, trust=only_other)
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca.certificate.to_pem() + other_ca.certificate.to_pem())
    assert len(ezla.TrustStore.from_file(bundle)) == 2
    assert len(ezla.TrustStore.from_file(str(bundle))) == 2
    with pytest.raises(ezla.TransportError):
        ezla.TrustStore.from_file(tmp_path / "none.pem")
    with pytest.raises(ezla.ParseError):
        ezla.TrustStore.from_pem(b"no certificates here")
    with pytest.raises(ezla.InvalidInput):
        ezla.TrustStore([])


def test_trust_checks_the_instant(doctor, ca):
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    later = doctor.certificate.not_after + datetime.timedelta(days=1)
    with pytest.raises(ezla.CertificateExpired):
        ezla.verify_xades(signed, trust=[ca.certificate], at=later)


def test_pinned_signer_certificate(doctor, ec_doctor):
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    assert ezla.verify_xades(signed, signer_certificate=doctor.certificate).trust == "pinned"
    assert ezla.verify_xades(signed, signer_certificate=doctor.certificate.to_pem()).trusted
    with pytest.raises(ezla.SignatureError):
        ezla.verify_xades(signed, signer_certificate=ec_doctor.certificate)


def test_tampered_content_is_an_invalid_digest(doctor):
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    tampered = signed.replace("łóżko".encode(), "grypa".encode())
    assert tampered != signed
    with pytest.raises(ezla.InvalidDigest) as info:
        ezla.verify_xades(tampered)
    err = info.value
    assert err.code == 401
    assert isinstance(err, ezla.InvalidSignature) and isinstance(err, ezla.EzlaError)


def test_tampered_signature_value_is_invalid(doctor):
    signed = ezla.sign_xades(SMALL_DOC, doctor).decode()
    m = re.search(r"(<ds:SignatureValue[^>]*>)([^<]+)", signed)
    assert m
    value = m.group(2)
    flipped = ("B" if value[10] != "B" else "C")
    bad = signed[: m.start(2) + 10] + flipped + signed[m.start(2) + 11 :]
    with pytest.raises(ezla.InvalidSignature) as info:
        ezla.verify_xades(bad.encode())
    assert info.value.code in (400, 407)


def test_tampered_signed_properties(doctor):
    signed = ezla.sign_xades(SMALL_DOC, doctor).decode()
    bad = re.sub(r"(<xades:SigningTime>)\d{4}", r"\g<1>2001", signed)
    assert bad != signed
    with pytest.raises(ezla.InvalidDigest):
        ezla.verify_xades(bad.encode())


def test_unsigned_and_malformed(doctor):
    with pytest.raises(ezla.InvalidSignature) as info:
        ezla.verify_xades(SMALL_DOC)
    assert info.value.code == 402
    with pytest.raises(ezla.ParseError) as info2:
        ezla.verify_xades(b"<a><b></a>")
    assert info2.value.code == 100
    with pytest.raises(ezla.ParseError):
        ezla.sign_xades(b"<a><b></a>", doctor)
    with pytest.raises(ezla.ParseError) as info3:
        ezla.verify_xades(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    assert info3.value.code == 101


def test_cosigning(doctor, ec_doctor):
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    with pytest.raises(ezla.AlreadySigned) as info:
        ezla.sign_xades(signed, ec_doctor)
    assert info.value.code == 413 and isinstance(info.value, ValueError)
    both = ezla.sign_xades(signed, ec_doctor, allow_cosigning=True)
    with pytest.raises(ezla.InvalidSignature) as info2:
        ezla.verify_xades(both)
    assert info2.value.code == 403
    assert ezla.verify_xades(both, allow_cosignatures=True).profile == "zus"
    reports = ezla.verify_xades_all(both)
    assert [r.signer.subject for r in reports] == [
        doctor.certificate.subject, ec_doctor.certificate.subject]
    assert [r.signature_algorithm for r in reports] == ["RSA-SHA256", "ECDSA-SHA256"]
    assert len(ezla.verify_xades_all(signed)) == 1
    with pytest.raises(ezla.InvalidSignature):
        ezla.verify_xades_all(SMALL_DOC)
    with pytest.raises(ezla.InvalidDigest):
        ezla.verify_xades_all(both.replace("łóżko".encode(), "grypa".encode()))
    with pytest.raises(ezla.SignatureError):
        ezla.verify_xades_all(both, signer_certificate=doctor.certificate)


def test_expired_certificate_does_not_sign(expired_doctor):
    with pytest.raises(ezla.CertificateExpired) as info:
        ezla.sign_xades(SMALL_DOC, expired_doctor)
    assert info.value.not_after == expired_doctor.certificate.not_after
    signed = ezla.sign_xades(SMALL_DOC, expired_doctor, allow_invalid_certificate=True)
    with pytest.raises(ezla.EzlaError):
        ezla.verify_xades(signed)


def test_include_chain(doctor, ca):
    signed = ezla.sign_xades(SMALL_DOC, doctor, include_chain=True)
    assert signed.count(b"X509Certificate>") == 4  # two certificates, open and close tags
    assert ezla.verify_xades(signed, trust=[ca.certificate]).trusted


def test_sample_document(sample, doctor, ca):
    signed = ezla.sign_xades(sample, doctor)
    report = ezla.verify_xades(signed, trust=[ca.certificate])
    assert report.profile == "zus"
    assert report.document_element.endswith("}KEDU")
    assert signed.startswith(sample[: sample.rindex(b"</KEDU>")])


def _signxml_verify(signed: bytes, cert_pem: bytes, *, xades: bool):
    signxml = pytest.importorskip("signxml")
    from signxml.xades import XAdESVerifier

    config = signxml.SignatureConfiguration(expect_references=2)
    verifier = XAdESVerifier() if xades else signxml.XMLVerifier()
    return verifier.verify(signed, x509_cert=cert_pem.decode(), expect_config=config)


@pytest.mark.parametrize("key", ["rsa", "ec"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_signxml_accepts_xades_bes(doctor, ec_doctor, key, version):
    identity = doctor if key == "rsa" else ec_doctor
    signed = ezla.sign_xades(SMALL_DOC, identity, profile="xades-bes", signing_certificate=version)
    results = _signxml_verify(signed, identity.certificate.to_pem(), xades=True)
    assert len(results) == 2
    # signxml returns what was signed: the document without the signature.
    assert any(b"ZUSZLA" in r.signed_data for r in results)
    results = _signxml_verify(signed, identity.certificate.to_pem(), xades=False)
    assert len(results) == 2


def test_signxml_rejects_tampering(doctor):
    signxml = pytest.importorskip("signxml")
    signed = ezla.sign_xades(SMALL_DOC, doctor, profile="xades-bes")
    tampered = signed.replace("łóżko".encode(), "grypa".encode())
    with pytest.raises(signxml.exceptions.InvalidSignature):
        _signxml_verify(tampered, doctor.certificate.to_pem(), xades=True)


def _xmlsec1(path, cert_path) -> "subprocess.CompletedProcess[str]":  # noqa: F821
    xmlsec1 = require_tool("xmlsec1")
    return run(
        [xmlsec1, "--verify", "--pubkey-cert-pem", str(cert_path),
         "--id-attr:Id", f"{XADES_NS}:SignedProperties", str(path)]
    )


@pytest.mark.parametrize("profile", ["zus", "zus-legacy", "xades-bes"])
def test_xmlsec1_accepts_output(doctor, profile, tmp_path, sample):
    cert = tmp_path / "cert.pem"
    cert.write_bytes(doctor.certificate.to_pem())
    for name, doc in (("small", SMALL_DOC), ("sample", sample)):
        path = tmp_path / f"{profile}-{name}.xml"
        path.write_bytes(ezla.sign_xades(doc, doctor, profile=profile))
        result = _xmlsec1(path, cert)
        assert result.returncode == 0 and "OK" in result.stderr, result.stderr


def test_xmlsec1_rejects_tampering(doctor, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_bytes(doctor.certificate.to_pem())
    path = tmp_path / "bad.xml"
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    path.write_bytes(signed.replace("łóżko".encode(), "grypa".encode()))
    result = _xmlsec1(path, cert)
    assert result.returncode != 0
