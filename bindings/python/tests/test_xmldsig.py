"""Plain enveloped XML-DSig, checked by signxml and xmlsec1 too."""

from __future__ import annotations

import datetime

import pytest

import ezla
from conftest import SMALL_DOC, require_tool, run


def test_sign_and_verify(doctor, ca):
    signed = ezla.sign_xmldsig(SMALL_DOC, doctor)
    assert signed.startswith(SMALL_DOC[: SMALL_DOC.index(b"</KEDU>")])
    assert b"QualifyingProperties" not in signed
    report = ezla.verify_xmldsig(signed)
    assert isinstance(report, ezla.XmlDsigReport)
    assert report.trust == "untrusted" and not report.trusted
    assert report.signer == doctor.certificate
    assert report.chain == []
    assert report.signature_algorithm == "RSA-SHA256"
    assert report.canonicalization == "http://www.w3.org/2001/10/xml-exc-c14n#"
    assert report.document_element == "{http://www.zus.pl/2015/KED_ZLA_1}KEDU"
    [ref] = report.references
    assert ref["uri"] == "" and ref["type"] is None and ref["digest"] == "SHA-256"
    assert ref["covers"].startswith("the whole document") and "except signatures" in ref["covers"]
    assert "XmlDsigReport RSA-SHA256" in repr(report)

    trusted = ezla.verify_xmldsig(signed, trust=[ca.certificate])
    assert trusted.trust == "chain" and trusted.trusted
    pinned = ezla.verify_xmldsig(signed, signer_certificate=doctor.certificate.to_pem())
    assert pinned.trust == "pinned"


def test_ec_and_chain(ec_doctor, ca):
    signed = ezla.sign_xmldsig(SMALL_DOC, ec_doctor, include_chain=True)
    assert signed.count(b"<ds:X509Certificate>") == 2
    report = ezla.verify_xmldsig(signed, trust=[ca.certificate])
    assert report.signature_algorithm == "ECDSA-SHA256"
    assert report.chain == [ca.certificate]


def test_rejections(doctor, ec_doctor, other_ca, expired_doctor):
    signed = ezla.sign_xmldsig(SMALL_DOC, doctor)
    with pytest.raises(ezla.InvalidDigest):
        ezla.verify_xmldsig(signed.replace("łóżko".encode(), "grypa".encode()))
    with pytest.raises(ezla.UntrustedCertificate):
        ezla.verify_xmldsig(signed, trust=[other_ca.certificate])
    with pytest.raises(ezla.SignatureError):
        ezla.verify_xmldsig(signed, signer_certificate=ec_doctor.certificate)
    with pytest.raises(ezla.InvalidSignature) as info:
        ezla.verify_xmldsig(SMALL_DOC)
    assert info.value.code == 402
    with pytest.raises(ezla.AlreadySigned):
        ezla.sign_xmldsig(signed, doctor)
    with pytest.raises(ezla.CertificateExpired):
        ezla.sign_xmldsig(SMALL_DOC, expired_doctor)
    assert ezla.sign_xmldsig(SMALL_DOC, expired_doctor, allow_invalid_certificate=True)
    with pytest.raises(ezla.InvalidInput):
        ezla.verify_xmldsig(signed, trust=[])
    later = doctor.certificate.not_after + datetime.timedelta(days=1)
    with pytest.raises(ezla.CertificateExpired):
        ezla.verify_xmldsig(signed, trust=[doctor.chain[0]], at=later)


def test_xades_is_not_plain_xmldsig_and_vice_versa(doctor):
    # A XAdES signature is an XML-DSig signature: the plain verifier accepts it...
    xades = ezla.sign_xades(SMALL_DOC, doctor, profile="xades-bes")
    assert len(ezla.verify_xmldsig(xades).references) == 2
    # ...but a plain signature is not XAdES.
    with pytest.raises(ezla.InvalidSignature):
        ezla.verify_xades(ezla.sign_xmldsig(SMALL_DOC, doctor))


def test_signxml_accepts(doctor, sample):
    signxml = pytest.importorskip("signxml")
    for doc in (SMALL_DOC, sample):
        signed = ezla.sign_xmldsig(doc, doctor)
        result = signxml.XMLVerifier().verify(signed, x509_cert=doctor.certificate.to_pem().decode())
        assert b"ZUSZLA" in result.signed_data


def test_xmlsec1_accepts(doctor, tmp_path):
    xmlsec1 = require_tool("xmlsec1")
    (tmp_path / "c.pem").write_bytes(doctor.certificate.to_pem())
    (tmp_path / "s.xml").write_bytes(ezla.sign_xmldsig(SMALL_DOC, doctor))
    result = run([xmlsec1, "--verify", "--pubkey-cert-pem", str(tmp_path / "c.pem"),
                  str(tmp_path / "s.xml")])
    assert result.returncode == 0 and "OK" in result.stderr, result.stderr
