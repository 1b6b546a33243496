"""ExternalSigner: the private key stays outside ezla (smart card, HSM); here `cryptography`
holds it, which is also an independent check of what ezla asks to be signed."""

from __future__ import annotations

import threading

import pytest

import ezla
from conftest import SMALL_DOC
from ezla.testing import make_test_doctor

serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils  # noqa: E402


def _cryptography_key(identity: ezla.Identity):
    pem = identity.private_key.to_encrypted_pem("x", iterations=1000)
    return serialization.load_pem_private_key(pem, b"x")


def rsa_callback(key, calls):
    def sign(algorithm: str, message: bytes) -> bytes:
        calls.append(algorithm)
        digest = {"RSA-SHA256": hashes.SHA256(), "RSA-SHA1": hashes.SHA1()}[algorithm]
        return key.sign(message, padding.PKCS1v15(), digest)
    return sign


def test_rsa_external_signer(doctor, ca):
    calls = []
    signer = ezla.ExternalSigner(doctor.certificate, rsa_callback(_cryptography_key(doctor), calls),
                                 chain=[ca.certificate])
    assert signer.certificate == doctor.certificate and signer.chain == [ca.certificate]
    assert repr(signer).startswith("<ExternalSigner subject=")
    signed = ezla.sign_xades(SMALL_DOC, signer, include_chain=True)
    assert calls == ["RSA-SHA256"]
    report = ezla.verify_xades(signed, trust=[ca.certificate])
    assert report.signer.subject == doctor.certificate.subject
    legacy = ezla.sign_xades(SMALL_DOC, signer, profile="zus-legacy")
    assert calls[-1] == "RSA-SHA1"
    assert ezla.verify_xades(legacy).profile == "zus-legacy"
    plain = ezla.sign_xmldsig(SMALL_DOC, signer)
    assert ezla.verify_xmldsig(plain, trust=[ca.certificate]).trusted


def test_ec_external_signer(ec_doctor):
    key = _cryptography_key(ec_doctor)

    def sign(algorithm: str, message: bytes) -> bytes:
        assert algorithm == "ECDSA-SHA256"
        r, s = utils.decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    signed = ezla.sign_xades(SMALL_DOC, ezla.ExternalSigner(ec_doctor.certificate, sign))
    assert ezla.verify_xades(signed).signature_algorithm == "ECDSA-SHA256"


def test_callback_exception_propagates(doctor):
    class TokenRemoved(Exception):
        pass

    def sign(algorithm: str, message: bytes) -> bytes:
        raise TokenRemoved("the smart card was removed")

    with pytest.raises(TokenRemoved, match="smart card"):
        ezla.sign_xades(SMALL_DOC, ezla.ExternalSigner(doctor.certificate, sign))
    with pytest.raises(TokenRemoved):
        ezla.sign_xmldsig(SMALL_DOC, ezla.ExternalSigner(doctor.certificate, sign))


def test_bad_callback_results(doctor, ec_doctor):
    with pytest.raises(TypeError):
        ezla.sign_xades(SMALL_DOC, ezla.ExternalSigner(doctor.certificate, lambda a, m: "text"))
    # What the callback returns is checked against the certificate's key before it is
    # written: garbage never leaves the signer.
    wrong = ezla.ExternalSigner(doctor.certificate, lambda a, m: b"\x00" * 256)
    with pytest.raises(ezla.SigningFailed, match="does not verify"):
        ezla.sign_xades(SMALL_DOC, wrong)
    with pytest.raises(TypeError):
        ezla.ExternalSigner(doctor.certificate, "not callable")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ezla.sign_xades(SMALL_DOC, doctor.certificate)  # type: ignore[arg-type]


def test_a_callback_signing_with_another_key_raises_signing_failed(doctor, ca):
    other = make_test_doctor(ca, surname="Inny")
    assert other.certificate.key_type == doctor.certificate.key_type
    signer = ezla.ExternalSigner(doctor.certificate,
                                 lambda alg, msg: other.private_key.sign(msg, alg))
    for sign in (ezla.sign_xades, ezla.sign_xmldsig):
        with pytest.raises(ezla.SigningFailed) as info:
            sign(SMALL_DOC, signer)
        err = info.value
        # A signing error of its own (code 208), still a KeyStoreError for old callers.
        assert type(err) is ezla.SigningFailed and isinstance(err, ezla.KeyStoreError)
        assert (err.code, err.name) == (208, "SigningFailed")
        assert "does not verify with its public key" in str(err)


def test_a_private_key_that_does_not_match_raises_key_certificate_mismatch(doctor, ca):
    other = make_test_doctor(ca, surname="Inny")
    with pytest.raises(ezla.KeyCertificateMismatch) as info:
        ezla.Identity.from_key(other.private_key, doctor.certificate)
    err = info.value
    assert type(err) is ezla.KeyCertificateMismatch and isinstance(err, ezla.KeyStoreError)
    assert (err.code, err.name) == (206, "KeyCertificateMismatch")
    assert doctor.certificate.subject in str(err)


def test_key_must_match_certificate(doctor, ec_doctor):
    calls = []
    signer = ezla.ExternalSigner(ec_doctor.certificate, rsa_callback(_cryptography_key(doctor), calls))
    # The certificate's key is EC: the callback is asked for ECDSA and fails, or the
    # signature does not verify; either way no valid document comes out.
    with pytest.raises((ezla.EzlaError, KeyError)):
        ezla.verify_xades(ezla.sign_xades(SMALL_DOC, signer))


def test_threads_share_one_external_signer(doctor):
    key = _cryptography_key(doctor)
    calls: list = []
    good = ezla.ExternalSigner(doctor.certificate, rsa_callback(key, calls))
    errors = []

    def work():
        try:
            for _ in range(20):
                ezla.verify_xades(ezla.sign_xades(SMALL_DOC, good))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(calls) == 80


def test_private_key_sign_is_checked_by_cryptography(doctor, ec_doctor):
    rsa = _cryptography_key(doctor).public_key()
    key = doctor.private_key
    assert key.matches(doctor.certificate) and not key.matches(ec_doctor.certificate)
    message = "Zwolnienie lekarskie".encode()
    rsa.verify(key.sign(message), message, padding.PKCS1v15(), hashes.SHA256())
    rsa.verify(key.sign(message, "rsa-sha512"), message, padding.PKCS1v15(), hashes.SHA512())
    ecpub = _cryptography_key(ec_doctor).public_key()
    fixed = ec_doctor.private_key.sign(message)
    assert len(fixed) == 64
    der = utils.encode_dss_signature(int.from_bytes(fixed[:32], "big"),
                                     int.from_bytes(fixed[32:], "big"))
    ecpub.verify(der, message, ec.ECDSA(hashes.SHA256()))
    with pytest.raises(ezla.InvalidInput):
        key.sign(message, "MD5-RSA")
    with pytest.raises(ezla.KeyStoreError):
        key.sign(message, "ECDSA-SHA256")


def test_an_external_signer_can_wrap_a_private_key(doctor, ca):
    """The shape of a token integration: ezla asks, something else signs."""
    key = doctor.private_key
    signer = ezla.ExternalSigner(doctor.certificate, lambda alg, msg: key.sign(msg, alg))
    assert ezla.verify_xades(ezla.sign_xades(SMALL_DOC, signer), trust=[ca.certificate]).trusted
