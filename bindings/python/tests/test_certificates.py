"""Certificate view, expiry status, chains; private keys and certificate requests."""

from __future__ import annotations

import datetime
import hashlib

import pytest

import ezla

UTC = datetime.timezone.utc


def test_doctor_certificate_properties(doctor, ca):
    cert = doctor.certificate
    assert isinstance(cert, ezla.Certificate)
    assert cert.common_name == "Anna Nowak"
    assert cert.given_name == "Anna"
    assert cert.surname == "Nowak"
    assert cert.country == "PL"
    assert cert.subject_serial_number == "PNOPL-02070803628"
    assert cert.pesel == "02070803628"
    assert "CN=Anna Nowak" in cert.subject
    assert cert.issuer == ca.certificate.subject
    assert cert.organization is None
    assert cert.key_type == "RSA-2048"
    assert cert.key_size == 2048
    assert cert.signature_algorithm == "RSA-SHA256"
    assert set(cert.key_usage) == {"digitalSignature", "nonRepudiation"}
    assert cert.extended_key_usage == []
    assert not cert.is_ca
    assert not cert.is_self_issued
    assert cert.email_addresses == []
    assert all(u.startswith("http://ezla-test-ca.invalid") for u in cert.crl_distribution_points)
    assert cert.crl_distribution_points and cert.ocsp_urls
    assert isinstance(cert.serial_number, int) and cert.serial_number > 0
    assert int(cert.serial_hex.replace(":", ""), 16) == cert.serial_number
    assert cert.not_before.tzinfo is not None and cert.not_after.tzinfo is not None
    # Five years, like a ZUS certificate.
    assert 365 * 5 - 2 <= (cert.not_after - cert.not_before).days <= 365 * 5 + 2
    assert cert.public_key_der.startswith(b"\x30")
    assert repr(cert).startswith("<Certificate subject=")


def test_ca_certificate(ca):
    cert = ca.certificate
    assert cert.is_ca
    assert cert.is_self_issued
    assert "keyCertSign" in cert.key_usage
    assert cert.pesel is None


def test_pem_and_der_round_trip(doctor):
    cert = doctor.certificate
    pem = cert.to_pem()
    der = cert.to_der()
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----")
    assert ezla.Certificate.from_pem(pem) == cert
    assert ezla.Certificate.from_der(der) == cert
    assert ezla.Certificate.from_der(bytearray(der)) == cert
    assert hash(ezla.Certificate.from_der(der)) == hash(cert)
    assert cert.fingerprint() == hashlib.sha256(der).digest()
    assert cert.fingerprint("sha1") == hashlib.sha1(der).digest()
    assert cert.fingerprint("SHA-384") == hashlib.sha384(der).digest()
    with pytest.raises(ezla.InvalidInput):
        cert.fingerprint("md5")


def test_list_from_pem(doctor, ca):
    bundle = doctor.certificate.to_pem() + ca.certificate.to_pem()
    certs = ezla.Certificate.list_from_pem(bundle)
    assert certs == [doctor.certificate, ca.certificate]


@pytest.mark.parametrize(
    "data",
    [b"", b"not a certificate", b"\x30\x03\x02\x01\x00", b"-----BEGIN CERTIFICATE-----\n!!\n"],
)
def test_garbage_is_a_parse_error(data):
    with pytest.raises(ezla.ParseError) as info:
        if data.startswith(b"-----"):
            ezla.Certificate.from_pem(data)
        else:
            ezla.Certificate.from_der(data)
    assert 100 <= info.value.code < 200
    assert isinstance(info.value, ValueError)


def test_pem_without_certificate_is_an_error():
    with pytest.raises(ezla.EzlaError):
        ezla.Certificate.from_pem(b"just text")


def test_bytes_only():
    with pytest.raises(TypeError):
        ezla.Certificate.from_der("text")  # type: ignore[arg-type]


def test_status_over_the_lifetime(doctor):
    cert = doctor.certificate
    now = datetime.datetime.now(UTC)
    status = cert.status()
    assert isinstance(status, ezla.CertificateStatus)
    assert status.name == "valid"
    assert status.is_usable
    assert status.days_left >= 365 * 5 - 2
    assert status.not_after == cert.not_after
    assert status.renewal_opens < cert.not_after
    assert "valid" in str(status)
    assert repr(status).startswith("<CertificateStatus valid")
    assert cert.status(now) == cert.status(now)

    before = cert.status(cert.not_before - datetime.timedelta(days=1))
    assert before.name == "not-yet-valid" and not before.is_usable
    window = cert.status(cert.not_after - datetime.timedelta(days=20))
    assert window.name in ("renewal-window", "expiring")
    assert window.is_usable
    assert window.days_left in (19, 20)
    expiring = cert.status(cert.not_after - datetime.timedelta(days=3))
    assert expiring.name == "expiring"
    expired = cert.status(cert.not_after + datetime.timedelta(days=2))
    assert expired.name == "expired" and expired.days_left < 0 and not expired.is_usable


def test_status_policy_is_configurable(doctor):
    cert = doctor.certificate
    at = cert.not_after - datetime.timedelta(days=100)
    assert cert.status(at).name == "valid"
    assert cert.status(at, renewal_window_days=120).name == "renewal-window"
    assert cert.status(at, renewal_window_days=200, warning_days=150).name == "expiring"


def test_naive_datetimes_are_refused(doctor):
    with pytest.raises(ezla.InvalidInput, match="timezone-aware"):
        doctor.certificate.status(datetime.datetime(2030, 1, 1))
    with pytest.raises(TypeError):
        doctor.certificate.status("2030-01-01")  # type: ignore[arg-type]


def test_other_timezones_are_converted(doctor):
    cert = doctor.certificate
    warsaw = datetime.timezone(datetime.timedelta(hours=1))
    at = cert.not_after.astimezone(warsaw) + datetime.timedelta(seconds=1)
    assert cert.status(at).name == "expired"
    assert cert.status(at - datetime.timedelta(seconds=2)).name != "expired"


def test_check_valid(doctor, expired_doctor):
    doctor.certificate.check_valid()
    cert = expired_doctor.certificate
    with pytest.raises(ezla.CertificateExpired) as info:
        cert.check_valid()
    assert info.value.code == 300
    assert info.value.not_after == cert.not_after
    with pytest.raises(ezla.CertificateNotYetValid) as info2:
        doctor.certificate.check_valid(doctor.certificate.not_before - datetime.timedelta(hours=1))
    assert info2.value.not_before == doctor.certificate.not_before
    assert isinstance(info2.value, ezla.CertificateError)


def test_verify_chain(doctor, ca, other_ca):
    path = doctor.certificate.verify_chain(trust=[ca.certificate])
    assert path == [doctor.certificate, ca.certificate]
    path = doctor.certificate.verify_chain(trust=[ca.certificate.to_pem()])
    assert path[-1] == ca.certificate
    with pytest.raises(ezla.UntrustedCertificate) as info:
        doctor.certificate.verify_chain(trust=[other_ca.certificate.to_der()])
    assert info.value.code == 302
    with pytest.raises(TypeError):
        doctor.certificate.verify_chain(trust=ca.certificate.to_pem())


def test_private_key_generate_and_encrypt():
    key = ezla.PrivateKey.generate("p256")
    assert key.key_type == "EC P-256"
    assert repr(key) == "<PrivateKey EC P-256>"
    pem = key.to_encrypted_pem("sekret", iterations=1000)
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert b"sekret" not in pem
    again = ezla.PrivateKey.load(pem, "sekret")
    assert again.public_key_der == key.public_key_der
    with pytest.raises(ezla.BadPassword) as info:
        ezla.PrivateKey.load(pem, "wrong")
    assert info.value.code == 200
    with pytest.raises(ezla.InvalidInput):
        ezla.PrivateKey.load(pem)
    with pytest.raises(ezla.InvalidInput):
        key.to_encrypted_pem("sekret", iterations=10)
    with pytest.raises(ezla.InvalidInput) as info2:
        ezla.PrivateKey.generate("dsa1024")
    assert info2.value.code == 1


def test_certificate_request_and_issue(ca):
    key = ezla.PrivateKey.generate()
    assert key.key_type == "RSA-2048"
    csr = ezla.CertificateRequest.create(
        key, given_name="Piotr", surname="Zieliński", pesel="44051401359", email="p@example.pl"
    )
    assert csr.subject.startswith("C=PL") or "C=PL" in csr.subject
    assert "CN=Piotr Zieliński" in csr.subject
    assert "PNOPL-44051401359" in csr.subject
    assert csr.email_addresses == ["p@example.pl"]
    assert csr.public_key_der == key.public_key_der
    csr.verify_signature()
    pem = csr.to_pem()
    assert pem.startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
    assert ezla.CertificateRequest.from_pem(pem).to_der() == csr.to_der()
    assert ezla.CertificateRequest.from_der(csr.to_der()).subject == csr.subject
    assert "Zieliński" in repr(csr)

    cert = ca.issue_for_request(csr, days=30)
    assert cert.pesel == "44051401359"
    assert cert.email_addresses == ["p@example.pl"]
    assert cert.public_key_der == key.public_key_der
    assert 29 <= (cert.not_after - cert.not_before).days <= 30

    # Bundle key and certificate into a .pfx and open it again.
    identity = ezla.Identity.from_key(key, cert, [ca.certificate])
    assert identity.chain == [ca.certificate]
    assert identity.friendly_name == "Piotr Zieliński"
    pfx = identity.to_pfx("nowe", iterations=2048)
    opened = ezla.Identity.from_pfx(pfx, "nowe")
    assert opened.certificate == cert
    assert opened.private_key.public_key_der == key.public_key_der


def test_certificate_request_subject_rules():
    key = ezla.PrivateKey.generate("p256")
    with pytest.raises(ezla.InvalidInput, match="common_name"):
        ezla.CertificateRequest.create(key, surname="Nowak")
    with pytest.raises(ezla.InvalidInput, match="pesel"):
        ezla.CertificateRequest.create(key, common_name="X", pesel="44051401358")
    with pytest.raises(ezla.InvalidInput):
        ezla.CertificateRequest.create(key, common_name="X", pesel="44051401359", serial_number="Y")
    csr = ezla.CertificateRequest.create(
        key, common_name="Gabinet", organization="Przychodnia", organizational_unit="POZ",
        locality="Kielce", serial_number="VATPL-1234563218", country=None,
    )
    assert "O=Przychodnia" in csr.subject and "C=PL" not in csr.subject


def test_request_garbage():
    with pytest.raises(ezla.ParseError):
        ezla.CertificateRequest.from_der(b"\x30\x00")
    with pytest.raises(ezla.ParseError):
        ezla.CertificateRequest.from_pem(b"-----BEGIN CERTIFICATE REQUEST-----\n%%%\n-----END CERTIFICATE REQUEST-----\n")


def test_key_certificate_mismatch(doctor, ca):
    other = ezla.PrivateKey.generate("p256")
    with pytest.raises(ezla.KeyStoreError) as info:
        ezla.Identity.from_key(other, doctor.certificate)
    assert info.value.code == 206
