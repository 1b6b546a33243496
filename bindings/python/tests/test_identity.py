"""Opening .pfx files: modern and legacy, from bytes and from paths; wrong passwords; limits."""

from __future__ import annotations

import pathlib

import pytest

import ezla
from conftest import FAST_ITERATIONS, PASSWORD, require_tool, run


def test_from_pfx(pfx, doctor, ca):
    identity = ezla.Identity.from_pfx(pfx, PASSWORD)
    assert identity.certificate == doctor.certificate
    assert identity.chain == [ca.certificate]
    assert identity.friendly_name == "Anna Nowak"
    assert identity.private_key.public_key_der == doctor.certificate.public_key_der
    assert repr(identity).startswith("<Identity subject=")
    assert "RSA-2048" in repr(identity)


def test_from_pfx_accepts_bytearray_and_memoryview(pfx):
    assert ezla.Identity.from_pfx(bytearray(pfx), PASSWORD).certificate.pesel == "02070803628"


def test_from_file_takes_str_and_pathlike(pfx, tmp_path):
    path = tmp_path / "lekarz.pfx"
    path.write_bytes(pfx)
    a = ezla.Identity.from_file(path, PASSWORD)
    b = ezla.Identity.from_file(str(path), PASSWORD)
    assert a.certificate == b.certificate


def test_from_file_missing_is_a_transport_error(tmp_path):
    with pytest.raises(ezla.TransportError) as info:
        ezla.Identity.from_file(tmp_path / "nie-ma.pfx", PASSWORD)
    assert isinstance(info.value, OSError)
    assert info.value.code == 800
    assert "nie-ma.pfx" in str(info.value)


def test_from_file_refuses_endless_input():
    import os

    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(ezla.EzlaError) as info:
        ezla.Identity.from_file("/dev/zero", PASSWORD)
    assert info.value.code in (1, 202)


def test_from_pfx_does_not_take_paths(pfx, tmp_path):
    path = tmp_path / "x.pfx"
    path.write_bytes(pfx)
    with pytest.raises(TypeError):
        ezla.Identity.from_pfx(path, PASSWORD)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ezla.Identity.from_pfx(str(path), PASSWORD)  # type: ignore[arg-type]


def test_bad_password(pfx):
    with pytest.raises(ezla.BadPassword) as info:
        ezla.Identity.from_pfx(pfx, "zle-haslo")
    err = info.value
    assert err.code == 200 and err.name == "BadPassword"
    assert isinstance(err, ezla.KeyStoreError)
    assert "zle-haslo" not in str(err)
    with pytest.raises(ezla.BadPassword):
        ezla.Identity.from_pfx(pfx, None)


def test_corrupt_pfx(pfx):
    with pytest.raises(ezla.EzlaError) as info:
        ezla.Identity.from_pfx(pfx[: len(pfx) // 2], PASSWORD)
    assert 100 <= info.value.code < 300
    with pytest.raises(ezla.KeyStoreError) as info2:
        ezla.Identity.from_pfx(b"hello", PASSWORD)
    assert info2.value.code == 202


def test_iteration_cap(doctor):
    pfx = doctor.to_pfx(PASSWORD, iterations=50_000)
    with pytest.raises(ezla.KeyStoreError) as info:
        ezla.Identity.from_pfx(pfx, PASSWORD, max_iterations=10_000)
    assert info.value.code == 203
    assert ezla.Identity.from_pfx(pfx, PASSWORD, max_iterations=50_000).certificate == doctor.certificate


def test_inspect_pfx(pfx):
    info = ezla.inspect_pfx(pfx, PASSWORD)
    assert not info.is_legacy
    assert info.mac_digest == "SHA-256" and info.mac_iterations == FAST_ITERATIONS
    assert info.encryptions and all(not e["legacy"] for e in info.encryptions)
    assert {e["iterations"] for e in info.encryptions} == {FAST_ITERATIONS}
    assert info.key_count == 1 and len(info.certificates) == 2
    assert info.skipped == []
    with pytest.raises(ezla.BadPassword):
        ezla.inspect_pfx(pfx, "nope")


def test_to_pfx_friendly_name_and_default_iterations(doctor):
    assert ezla.DEFAULT_PFX_ITERATIONS >= 100_000
    pfx = doctor.to_pfx(PASSWORD, iterations=FAST_ITERATIONS, friendly_name="dr Nowak")
    assert ezla.Identity.from_pfx(pfx, PASSWORD).friendly_name == "dr Nowak"


def test_ec_identity(ec_doctor):
    pfx = ec_doctor.to_pfx("x", iterations=FAST_ITERATIONS)
    opened = ezla.Identity.from_pfx(pfx, "x")
    assert opened.certificate.key_type == "EC P-256"


def test_testing_helpers_defaults():
    from ezla import testing

    doctor = testing.make_test_doctor()
    assert doctor.certificate.pesel == testing.TEST_PESEL
    assert doctor.certificate.common_name == "Jan Kowalski"
    assert doctor.chain[0].is_ca
    assert "TEST CA" in doctor.chain[0].subject
    ca = testing.make_test_ca(days=10)
    assert (ca.certificate.not_after - ca.certificate.not_before).days == 10
    assert repr(ca).startswith("<TestCa subject=")
    with pytest.raises(ezla.InvalidInput):
        ca.issue_doctor(pesel="12345678901")
    with pytest.raises(ezla.InvalidInput):
        ca.issue_doctor(key_type="rsa1024")


@pytest.mark.parametrize(
    "name,args",
    [
        ("legacy-rc2", ["-legacy"]),
        ("legacy-3des", ["-legacy", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES"]),
        ("modern-openssl", []),
    ],
)
def test_opens_openssl_files(name, args, doctor, ca, tmp_path: pathlib.Path):
    """ezla opens what `openssl pkcs12 -export` writes, including legacy RC2/3DES files
    (the ones python-xmlsec cannot load)."""
    openssl = require_tool("openssl")
    key_pem = doctor.private_key.to_encrypted_pem("k", iterations=1000)
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(doctor.certificate.to_pem())
    (tmp_path / "ca.pem").write_bytes(ca.certificate.to_pem())
    out = tmp_path / f"{name}.pfx"
    result = run(
        [openssl, "pkcs12", "-export", *args, "-inkey", str(tmp_path / "key.pem"),
         "-passin", "pass:k", "-in", str(tmp_path / "cert.pem"), "-certfile",
         str(tmp_path / "ca.pem"), "-passout", "pass:" + PASSWORD, "-out", str(out)]
    )
    if result.returncode != 0 and "-legacy" in args:
        pytest.skip(f"this OpenSSL cannot write legacy files: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    identity = ezla.Identity.from_file(out, PASSWORD)
    assert identity.certificate == doctor.certificate
    assert identity.chain == [ca.certificate]
    info = ezla.inspect_pfx(out.read_bytes(), PASSWORD)
    assert info.is_legacy == name.startswith("legacy")
    assert info.key_count == 1
    assert set(info.certificates) == {doctor.certificate, ca.certificate}
    algorithms = " ".join(e["algorithm"] for e in info.encryptions)
    if name == "legacy-rc2":
        assert "RC2" in algorithms
    if name == "legacy-3des":
        assert "3DES" in algorithms or "DES-EDE3" in algorithms or "TripleDES" in algorithms
    if name == "modern-openssl":
        assert "AES" in algorithms and info.mac_digest == "SHA-256"
    assert repr(info).startswith("<PfxInfo legacy=")
    # Converting a legacy file gives a modern one.
    modern = ezla.inspect_pfx(identity.to_pfx(PASSWORD, iterations=FAST_ITERATIONS), PASSWORD)
    assert not modern.is_legacy
