"""RFC 3161 time-stamps, XAdES-T and CAdES-T against the simulator's TSA (``ezla-sim serve
--tls``, its ``/tsa`` over HTTPS with the simulator's TLS CA): tokens checked for their data
and TSA, signature time-stamps added to signed documents without touching the signed bytes,
and typed refusals. ``openssl ts -verify`` also judges a token when openssl is installed.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import shutil
import subprocess
from typing import Iterator

import pytest

import ezla
from ezla.testing import make_test_ca, make_test_doctor
from test_zus import simulator_binary

KEDU = (
    b'<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1"><ZUSZLA id_dokumentu="9"><II>'
    b"<p1>68071892605</p1></II></ZUSZLA></KEDU>"
)


class Tsa:
    def __init__(self, binary: pathlib.Path, state: pathlib.Path) -> None:
        self.process = subprocess.Popen(
            [str(binary), "serve", "--state", str(state), "--tls"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError(f"ezla-sim did not start: {line!r}")
        zus_url = line.split("listening on", 1)[1].strip()
        self.url = zus_url.split("/ws/", 1)[0] + "/tsa"
        self.tls_ca = (state / "tls-ca.pem").read_bytes()
        self.ca = ezla.Certificate.from_pem((state / "ca" / "ca.crt").read_bytes())
        self.state = state

    def client(self, **kwargs) -> ezla.TsaClient:
        return ezla.TsaClient(self.url, ca=self.tls_ca, **kwargs)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def tsa(tmp_path_factory) -> Iterator[Tsa]:
    t = Tsa(simulator_binary(), tmp_path_factory.mktemp("ezla-sim-tsa"))
    yield t
    t.stop()


def test_a_token_is_stamped_checked_and_refused_for_other_data(tsa: Tsa, tmp_path) -> None:
    client = tsa.client(trust=[tsa.ca])
    assert client.url == tsa.url
    token, stamp = client.stamp(b"a PDF printout")
    assert stamp.trusted and stamp.trust == "chain"
    assert stamp.digest == "SHA-256"
    assert stamp.policy == "1.3.6.1.4.1.32473.3161.1"
    assert stamp.nonce is not None and stamp.serial
    assert abs(stamp.time - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(minutes=5)
    assert stamp.tsa.subject.startswith("CN=ezla-sim TSA")
    again = ezla.verify_timestamp(token, data=b"a PDF printout", trust=[tsa.ca])
    assert again.serial == stamp.serial and again.trusted
    import hashlib

    by_hash = ezla.verify_timestamp(token, hash=hashlib.sha256(b"a PDF printout").digest())
    assert by_hash.trust == "untrusted"
    with pytest.raises(ezla.TimestampError) as info:
        ezla.verify_timestamp(token, data=b"another printout")
    assert info.value.code == 421 and info.value.name == "TimestampMismatch"
    with pytest.raises(ezla.TimestampError) as info:
        ezla.verify_timestamp(token, data=b"a PDF printout", policy="1.2.3.4")
    assert info.value.code == 421
    with pytest.raises(ezla.InvalidInput):
        ezla.verify_timestamp(token)
    with pytest.raises(ezla.EzlaError) as info:
        ezla.verify_timestamp(b"\x30\x03\x02\x01\x01", data=b"x")
    assert info.value.name == "DerMalformed"
    if shutil.which("openssl"):
        (tmp_path / "data").write_bytes(b"a PDF printout")
        (tmp_path / "token.der").write_bytes(token)
        (tmp_path / "ca.pem").write_bytes(tsa.ca.to_pem())
        out = subprocess.run(
            ["openssl", "ts", "-verify", "-data", "data", "-in", "token.der", "-token_in",
             "-CAfile", "ca.pem"], cwd=tmp_path, capture_output=True, text=True)
        assert "Verification: OK" in out.stdout + out.stderr, out.stdout + out.stderr
    elif os.environ.get("EZLA_REQUIRE_TOOLS") == "1":
        pytest.fail("openssl is required (EZLA_REQUIRE_TOOLS=1)")


def test_the_tsa_refuses_a_policy_it_does_not_have(tsa: Tsa) -> None:
    with pytest.raises(ezla.TimestampError) as info:
        tsa.client(policy="1.3.6.1.4.1.32473.3161.99").stamp(b"x")
    assert info.value.code == 420 and "unacceptedPolicy" in str(info.value)


def test_bad_client_arguments_are_value_errors() -> None:
    for kwargs in ({"digest": "md5"}, {"timeout": 0.0}, {"policy": "not an oid"}):
        with pytest.raises(ValueError):
            ezla.TsaClient("https://tsa.invalid/tsa", **kwargs)  # type: ignore[arg-type]


def test_an_untrusted_tls_server_is_a_transport_error(tsa: Tsa) -> None:
    with pytest.raises(ezla.TransportError):
        ezla.TsaClient(tsa.url).stamp(b"x")  # the system roots do not know the simulator


def test_xades_t_added_later_is_checked_and_judged_at_the_stamp(tsa: Tsa) -> None:
    ca = make_test_ca()
    doctor = make_test_doctor(ca)
    signed = ezla.sign_xades(KEDU, doctor)
    stamped = ezla.add_xades_timestamp(signed, tsa.client())
    start = stamped.index(b"<xades:UnsignedProperties>")
    end = stamped.index(b"</xades:UnsignedProperties>") + len(b"</xades:UnsignedProperties>")
    assert stamped[:start] + stamped[end:] == signed
    report = ezla.verify_xades(stamped, trust=[ca.certificate], tsa_trust=[tsa.ca])
    assert len(report.timestamps) == 1
    assert report.timestamps[0].trusted
    assert abs(report.judged_at - report.timestamps[0].time) < datetime.timedelta(seconds=1)
    untrusted = ezla.verify_xades(stamped, trust=[ca.certificate])
    assert untrusted.timestamps[0].trust == "untrusted"
    assert ezla.verify_xades(signed).timestamps == []
    assert len(ezla.verify_xades_all(stamped, tsa_trust=[tsa.ca])[0].timestamps) == 1


def test_cades_t_added_later_is_checked(tsa: Tsa) -> None:
    ca = make_test_ca()
    doctor = make_test_doctor(ca, key_type="p256")
    signature = ezla.sign_cms(b"a PDF printout", doctor, detached=True, pem=True)
    stamped = ezla.add_cms_timestamp(signature, tsa.client())
    assert stamped[:1] == b"\x30"  # DER
    report = ezla.verify_cms(stamped, content=b"a PDF printout", trust=[ca.certificate],
                             tsa_trust=[tsa.ca])
    assert report.trust == "chain"
    assert [t.trusted for t in report.timestamps] == [True]
    assert abs(report.judged_at - report.timestamps[0].time) < datetime.timedelta(seconds=1)
    plain = ezla.verify_cms(signature, content=b"a PDF printout")
    assert plain.timestamps == []
    with pytest.raises(ezla.EzlaError):
        ezla.add_cms_timestamp(b"not a signature", tsa.client())
