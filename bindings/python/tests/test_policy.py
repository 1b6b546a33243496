"""Verification and signing policy: a future signing time, unsigned content in a ZUS
signature's ds:Object, and a .pfx without integrity protection."""

from __future__ import annotations

import datetime

import pytest

import ezla
from conftest import PASSWORD, SMALL_DOC, require_tool, run

UTC = datetime.timezone.utc


def _element(data: bytes, at: int) -> tuple[int, int]:
    """(header length, total length) of the DER element at `at`."""
    n = data[at + 1]
    header = 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[at + 2 : at + 2 + k], "big")
        header += k
    return header, header + n


def _without_mac(pfx: bytes) -> bytes:
    """The PFX with its MacData cut off: version and authSafe only."""
    outer, _ = _element(pfx, 0)
    _, version = _element(pfx, outer)
    _, auth = _element(pfx, outer + version)
    body = pfx[outer : outer + version + auth]
    length = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    return b"\x30" + (bytes([len(body)]) if len(body) < 0x80 else bytes([0x80 | len(length)]) + length) + body


def test_signing_time_after_the_verification_instant(doctor):
    t = doctor.certificate.not_before.replace(microsecond=0) + datetime.timedelta(days=1)
    signed = ezla.sign_xades(SMALL_DOC, doctor, signing_time=t)
    assert ezla.verify_xades(signed, at=t - datetime.timedelta(minutes=4)).signing_time == t
    with pytest.raises(ezla.InvalidSignature) as info:
        ezla.verify_xades(signed, at=t - datetime.timedelta(minutes=6))
    assert info.value.code == 412
    assert "clock skew" in str(info.value)
    wide = datetime.timedelta(minutes=10)
    assert ezla.verify_xades(signed, at=t - datetime.timedelta(minutes=6), max_clock_skew=wide)
    assert ezla.verify_xades_all(signed, at=t - datetime.timedelta(minutes=6), max_clock_skew=wide)
    with pytest.raises(ezla.InvalidSignature):
        ezla.verify_xades_all(signed, at=t - datetime.timedelta(minutes=6))
    with pytest.raises(ezla.InvalidInput):
        ezla.verify_xades(signed, max_clock_skew=datetime.timedelta(seconds=-1))
    with pytest.raises(ezla.InvalidInput):
        ezla.verify_xades(signed, max_clock_skew=300)  # type: ignore[arg-type]


def test_unsigned_content_in_the_object_is_refused(doctor):
    signed = ezla.sign_xades(SMALL_DOC, doctor)
    ezla.verify_xades(signed)
    end = signed.index(b"</ds:Object>") + len(b"</ds:Object>")
    body = SMALL_DOC[SMALL_DOC.index(b"<ZUSZLA") : SMALL_DOC.index(b"</KEDU>")]
    tampered = signed[:end] + b"<ds:Object>" + body + b"</ds:Object>" + signed[end:]
    with pytest.raises(ezla.UnsignedContent) as info:
        ezla.verify_xades(tampered)
    assert info.value.code == 414 and isinstance(info.value, ezla.InvalidSignature)


def test_a_pfx_without_a_mac_opens_only_when_allowed(pfx, doctor, tmp_path):
    nomac = _without_mac(pfx)
    with pytest.raises(ezla.UnprotectedPfx) as info:
        ezla.Identity.from_pfx(nomac, PASSWORD)
    assert info.value.code == 209 and isinstance(info.value, ezla.KeyStoreError)
    assert "no MAC" in str(info.value) and "allow_unprotected" in str(info.value)
    opened = ezla.Identity.from_pfx(nomac, PASSWORD, allow_unprotected=True)
    assert opened.certificate == doctor.certificate
    with pytest.raises(ezla.BadPassword):
        ezla.Identity.from_pfx(nomac, "wrong", allow_unprotected=True)
    path = tmp_path / "nomac.pfx"
    path.write_bytes(nomac)
    with pytest.raises(ezla.UnprotectedPfx):
        ezla.Identity.from_file(path, PASSWORD)
    assert ezla.Identity.from_file(path, PASSWORD, allow_unprotected=True).certificate == doctor.certificate
    # Inspecting describes it.
    info_nomac = ezla.inspect_pfx(nomac, PASSWORD)
    assert not info_nomac.integrity_protected and info_nomac.mac_digest is None
    assert ezla.inspect_pfx(pfx, PASSWORD).integrity_protected


def test_a_pfx_with_nothing_encrypted_and_no_mac_takes_any_password(pfx, tmp_path):
    openssl = require_tool("openssl")
    src = tmp_path / "doctor.pfx"
    src.write_bytes(pfx)
    env = {"PW": PASSWORD}
    pem = tmp_path / "doctor.pem"
    out = run([openssl, "pkcs12", "-in", src, "-passin", "env:PW", "-nodes", "-out", pem], env=env)
    assert out.returncode == 0, out.stderr
    plain = tmp_path / "plain.pfx"
    out = run(
        [openssl, "pkcs12", "-export", "-in", pem, "-passout", "env:PW", "-out", plain,
         "-keypbe", "NONE", "-certpbe", "NONE", "-nomac"],
        env=env,
    )
    assert out.returncode == 0, out.stderr
    with pytest.raises(ezla.UnprotectedPfx) as info:
        ezla.Identity.from_file(plain, "anything")
    assert "any password" in str(info.value)
    # Accepted explicitly, nothing checks the password.
    assert ezla.Identity.from_file(plain, "anything", allow_unprotected=True).certificate.pesel
