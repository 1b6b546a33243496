"""ezla.Pkcs11Signer on SoftHSM2 tokens made by tests/tools/softhsm-tokens.sh: XAdES with an
RSA-2048 and a P-256 token key (xmlsec1 checks the result when installed), and the typed
errors. Skipped with a notice when SoftHSM2, pkcs11-tool or openssl is missing, unless
``EZLA_REQUIRE_TOOLS=1``."""

from __future__ import annotations

import gc
import os
import pathlib
import shutil
import subprocess

import pytest

import ezla

from conftest import REPO, SMALL_DOC

MODULE = pathlib.Path(os.environ.get("SOFTHSM2_MODULE", "/usr/lib/softhsm/libsofthsm2.so"))


@pytest.fixture(scope="module")
def hsm(tmp_path_factory) -> pathlib.Path:
    missing = [t for t in ("softhsm2-util", "pkcs11-tool", "openssl") if shutil.which(t) is None]
    if missing or not MODULE.exists():
        message = f"SoftHSM2 tools missing ({', '.join(missing) or MODULE})"
        if os.environ.get("EZLA_REQUIRE_TOOLS") == "1":
            pytest.fail(message + "; EZLA_REQUIRE_TOOLS=1")
        print(f"note: {message}; skipping the PKCS#11 tests")
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("softhsm")
    subprocess.run(
        ["bash", str(REPO / "tests" / "tools" / "softhsm-tokens.sh"), str(directory)],
        check=True,
        capture_output=True,
    )
    # SoftHSM reads it when the module initialises (the first Pkcs11Signer of this process).
    os.environ["SOFTHSM2_CONF"] = str(directory / "softhsm2.conf")
    return directory


@pytest.mark.parametrize("key", ["rsa", "ec", "id:02"])
def test_signs_xades_on_the_token(hsm, key):
    signer = ezla.Pkcs11Signer(MODULE, token="ezla-test", key=key, pin="1234")
    assert signer.token_label == "ezla-test"
    assert not signer.always_authenticate
    assert "Theo Kania" in signer.certificate.subject
    signed = ezla.sign_xades(SMALL_DOC, signer)
    report = ezla.verify_xades(signed, signer_certificate=signer.certificate)
    assert report.signer.sha256_fingerprint == signer.certificate.fingerprint("sha256").hex()
    if shutil.which("xmlsec1"):
        path = hsm / f"signed-{key.replace(':', '-')}.xml"
        path.write_bytes(signed)
        pem = "rsa.crt.pem" if key == "rsa" else "ec.crt.pem"
        out = subprocess.run(
            ["xmlsec1", "--verify", "--pubkey-cert-pem", str(hsm / pem),
             "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", str(path)],
            capture_output=True, text=True,
        )
        assert out.returncode == 0, out.stderr


def test_pin_from_the_environment_and_always_authenticate(hsm, monkeypatch):
    monkeypatch.setenv("EZLA_TEST_PIN", "1234")
    signer = ezla.Pkcs11Signer(MODULE, token="ezla-test", key="aa", pin_env="EZLA_TEST_PIN")
    assert signer.always_authenticate
    for _ in range(2):
        ezla.verify_xades(ezla.sign_xades(SMALL_DOC, signer))


@pytest.mark.parametrize(
    "kwargs,code,name",
    [
        ({"token": "ezla-test", "key": "rsa", "pin": "0000"}, 224, "PinIncorrect"),
        ({"token": "no-such-token", "key": "rsa", "pin": "1234"}, 221, "TokenNotFound"),
        ({"token": "ezla-test", "key": "no-such-key", "pin": "1234"}, 222, "TokenKeyNotFound"),
        ({"token": "ezla-test", "key": "nocert", "pin": "1234"}, 223, "TokenCertificateNotFound"),
        ({"token": "ezla-test", "key": "rsa", "pin_env": "EZLA_TEST_PIN_UNSET"}, 226, "PinUnavailable"),
    ],
)
def test_token_errors_are_typed(hsm, kwargs, code, name):
    # The login is the application's, shared by its sessions: while another signer on the
    # token is alive the token checks no PIN. None is alive here.
    gc.collect()
    with pytest.raises(ezla.KeyStoreError) as info:
        ezla.Pkcs11Signer(MODULE, **kwargs)
    assert info.value.code == code
    assert info.value.name == name


def test_a_file_that_is_not_a_module(hsm):
    with pytest.raises(ezla.KeyStoreError) as info:
        ezla.Pkcs11Signer("/bin/ls", token="t", key="k")
    assert info.value.name == "Pkcs11ModuleInvalid"
    with pytest.raises(ValueError):
        ezla.Pkcs11Signer(MODULE, token="t", key="k", pin="1", pin_env="X")
