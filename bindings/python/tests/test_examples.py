"""The examples in examples/python run end to end."""

from __future__ import annotations

import os
import sys

import pytest

import ezla
from conftest import PASSWORD, REPO, SMALL_DOC, run

EXAMPLES = REPO / "examples" / "python"


def example(name: str, *args: str, env: "dict[str, str] | None" = None):
    full_env = dict(os.environ, **(env or {}))
    return run([sys.executable, str(EXAMPLES / name), *args], env=full_env)


def test_sign_and_verify_with_test_ca(tmp_path):
    doc = tmp_path / "zla.xml"
    doc.write_bytes(SMALL_DOC)
    result = example("sign_and_verify.py", str(doc))
    assert result.returncode == 0, result.stderr
    assert "trust chain" in result.stdout
    ezla.verify_xades((tmp_path / "zla.signed.xml").read_bytes())


def test_sign_and_verify_with_a_pfx(tmp_path, doctor, pfx, ca):
    doc = tmp_path / "zla.xml"
    doc.write_bytes(SMALL_DOC)
    (tmp_path / "d.pfx").write_bytes(pfx)
    (tmp_path / "ca.pem").write_bytes(ca.certificate.to_pem())
    result = example("sign_and_verify.py", str(doc), str(tmp_path / "d.pfx"),
                     str(tmp_path / "ca.pem"), env={"EZLA_PFX_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert "PESEL 02070803628" in result.stdout


def test_certificate_status(tmp_path, pfx, expired_doctor):
    (tmp_path / "ok.pfx").write_bytes(pfx)
    result = example("certificate_status.py", str(tmp_path / "ok.pfx"),
                     env={"EZLA_PFX_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": valid," in result.stdout
    (tmp_path / "old.pfx").write_bytes(expired_doctor.to_pfx(PASSWORD, iterations=2048))
    result = example("certificate_status.py", str(tmp_path / "ok.pfx"), str(tmp_path / "old.pfx"),
                     env={"EZLA_PFX_PASSWORD": PASSWORD})
    assert result.returncode == 1
    assert ": expired," in result.stdout
    result = example("certificate_status.py", str(tmp_path / "ok.pfx"),
                     env={"EZLA_PFX_PASSWORD": "wrong"})
    assert result.returncode == 1 and "wrong password" in result.stdout


def test_renew_certificate(tmp_path):
    result = example("renew_certificate.py", str(tmp_path), env={"EZLA_KEY_PASSWORD": "pw"})
    assert result.returncode == 0, result.stderr
    identity = ezla.Identity.from_file(tmp_path / "doctor.pfx", "pw")
    assert identity.certificate.pesel == "44051401359"
    csr = ezla.CertificateRequest.from_pem((tmp_path / "doctor.csr").read_bytes())
    assert csr.public_key_der == identity.certificate.public_key_der


def test_sign_batch(tmp_path):
    doc = tmp_path / "zla.xml"
    doc.write_bytes(SMALL_DOC)
    result = example("sign_batch.py", str(doc), "--count", "20", "--threads", "2")
    assert result.returncode == 0, result.stderr
    assert "1 thread(s): 20 documents" in result.stdout
    assert "2 thread(s): 20 documents" in result.stdout


def test_issue_zla(tmp_path):
    result = example("issue_zla.py", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "warning: seria_numer" in result.stdout
    oryginal = (tmp_path / "zla-oryginal.xml").read_bytes()
    kopia = (tmp_path / "zla-kopia.xml").read_bytes()
    assert ezla.verify_xades(oryginal).signer.pesel == "44051401359"
    assert ezla.Zla.from_xml(kopia)[1] == "kopia"
    assert b"J06" in oryginal and b"J06" not in kopia
    bad = example("issue_zla.py", str(tmp_path / "bad"), env={"EZLA_PESEL": "44051401358"})
    assert bad.returncode == 1
    assert "error: ubezpieczony.pesel" in bad.stdout and "1 error(s)" in bad.stderr


def test_wsgi_service(doctor, ca):
    import importlib.util
    import io
    import json

    from test_kedu import ZLA

    spec = importlib.util.spec_from_file_location("wsgi_service", EXAMPLES / "wsgi_service.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.make_app(doctor, [ca.certificate.to_pem()])

    def call(method, path, body=b"", query=""):
        got = {}

        def start(status, headers):
            got["status"], got["headers"] = status, dict(headers)

        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                   "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
        data = b"".join(app(environ, start))
        assert got["headers"]["Content-Length"] == str(len(data))
        return got["status"], data

    import copy
    import datetime

    today = datetime.datetime.now(datetime.timezone.utc).date()
    zla = copy.deepcopy(ZLA)
    zla["wystawienie"]["data_wystawienia"] = today.isoformat()
    zla["niezdolnosc"]["okres"] = {"od": today.isoformat(),
                                   "do": (today + datetime.timedelta(days=6)).isoformat()}
    status, signed = call("POST", "/zla", json.dumps(zla).encode())
    assert status == "200 OK", signed
    assert ezla.verify_xades(signed, trust=[ca.certificate]).trusted
    status, kopia = call("POST", "/zla", json.dumps(zla).encode(), "kopia=1")
    assert status == "200 OK" and b"<p2>KOPIA</p2>" in kopia
    status, report = call("POST", "/verify", signed)
    assert status == "200 OK" and json.loads(report)["trust"] == "chain"
    status, report = call("POST", "/verify", signed.replace(b"Kowalski", b"Nowakowski"))
    assert status.startswith("422") and json.loads(report)["name"] == "DigestMismatch"
    bad = json.loads(json.dumps(zla))
    bad["ubezpieczony"]["pesel"] = "44051401358"
    status, problems = call("POST", "/zla", json.dumps(bad).encode())
    assert status.startswith("422")
    assert "ubezpieczony.pesel" in [p["path"] for p in json.loads(problems)["problems"]]
    assert call("POST", "/zla", b"{")[0].startswith("422")
    assert call("POST", "/zla", b"\xff")[0].startswith("400")
    assert call("GET", "/zla")[0].startswith("405")
    assert call("POST", "/nothing")[0].startswith("404")


@pytest.mark.parametrize("name", ["sign_and_verify.py", "certificate_status.py",
                                  "renew_certificate.py", "issue_zla.py"])
def test_usage_without_arguments(name):
    result = example(name)
    assert result.returncode == 2 and "python" in result.stderr


def test_zus_issue_against_the_simulator(tmp_path):
    import test_zus

    sim = test_zus.Simulator(test_zus.simulator_binary(), tmp_path / "sim")
    try:
        out = tmp_path / "upp"
        result = example(
            "zus_issue.py", str(test_zus.EXAMPLE), str(sim.state / "anna.pfx"),
            "--ca", str(sim.state / "tls-ca.pem"), "--journal", str(tmp_path / "j.sqlite"),
            "--today", "2026-12-01", "--out", str(out),
            env={"EZLA_ZUS_ENDPOINT": sim.url, "EZLA_PFX_PASSWORD": test_zus.PFX_PASSWORD})
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[-1] == "zus_issue: 1 certificate(s) issued, 0 warning(s)"
        assert [line.split()[0] for line in lines[:-1]] == ["ORYGINAL", "KOPIA"]
        receipts = sorted(out.glob("*.upp.xml"))
        assert len(receipts) == 2
        for r in receipts:
            ezla.verify_xades(r.read_bytes(), trust=[sim.document_ca])
        # A server the client does not trust: no document sent, the transport error named.
        other = tmp_path / "other-ca.pem"
        other.write_bytes(ezla.testing.make_test_ca().certificate.to_pem())
        result = example(
            "zus_issue.py", str(test_zus.EXAMPLE), str(sim.state / "anna.pfx"),
            "--ca", str(other), "--today", "2026-12-01", "--out", str(out),
            env={"EZLA_ZUS_ENDPOINT": sim.url, "EZLA_PFX_PASSWORD": test_zus.PFX_PASSWORD})
        assert result.returncode == 1
        assert "refused (502)" in result.stderr and "TlsCertificateUntrusted" in result.stderr
    finally:
        sim.stop()


def test_pkcs11_sign_on_softhsm(tmp_path):
    import shutil
    import subprocess

    module = os.environ.get("SOFTHSM2_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
    missing = [t for t in ("softhsm2-util", "pkcs11-tool", "openssl") if shutil.which(t) is None]
    if missing or not os.path.exists(module):
        if os.environ.get("EZLA_REQUIRE_TOOLS") == "1":
            pytest.fail(f"SoftHSM2 tools missing ({missing or module}); EZLA_REQUIRE_TOOLS=1")
        pytest.skip("SoftHSM2 tools missing")
    hsm = tmp_path / "softhsm"
    subprocess.run(["bash", str(REPO / "tests" / "tools" / "softhsm-tokens.sh"), str(hsm)],
                   check=True, capture_output=True)
    doc = tmp_path / "zla.xml"
    doc.write_bytes(SMALL_DOC)
    env = {"SOFTHSM2_CONF": str(hsm / "softhsm2.conf"), "EZLA_PIN": "1234"}
    for key in ("rsa", "ec"):
        out = tmp_path / f"signed-{key}.xml"
        result = example("pkcs11_sign.py", module, "ezla-test", key, str(doc), str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert f"key '{key}' on token 'ezla-test'" in result.stdout
        assert "trust pinned" in result.stdout
        ezla.verify_xades(out.read_bytes())
    wrong = dict(env, EZLA_PIN="0000")
    result = example("pkcs11_sign.py", module, "ezla-test", "rsa", str(doc),
                     str(tmp_path / "x.xml"), env=wrong)
    assert result.returncode == 1 and "PinIncorrect" in result.stderr, result.stderr


def test_cms_sign_with_and_without_a_time_stamp(tmp_path, pfx, ca):
    import shutil
    import subprocess

    import test_timestamps
    from test_zus import simulator_binary

    data = tmp_path / "printout.pdf"
    data.write_bytes(b"%PDF-1.7\n the e-ZLA printout \x00\x01\x02")
    (tmp_path / "doctor.pfx").write_bytes(pfx)
    (tmp_path / "ca.pem").write_bytes(ca.certificate.to_pem())
    env = {"EZLA_PFX_PASSWORD": PASSWORD}
    doctor = ["--pfx", str(tmp_path / "doctor.pfx"), "--ca", str(tmp_path / "ca.pem")]

    # CAdES-BES with a throw-away test doctor, no TSA.
    result = example("cms_sign.py", str(data))
    assert result.returncode == 0, result.stderr
    assert "trust: chain" in result.stdout and "time-stamp" not in result.stdout

    state = tmp_path / "sim"
    state.mkdir()
    tsa = test_timestamps.Tsa(simulator_binary(), state)
    try:
        stamped = ["--tsa", tsa.url, "--tsa-ca", str(state / "ca" / "ca.crt"),
                   "--tls-ca", str(state / "tls-ca.pem")]
        result = example("cms_sign.py", str(data), *doctor, *stamped, env=env)
        assert result.returncode == 0, result.stderr
        assert "time-stamp: " in result.stdout and "(trust: chain)" in result.stdout, result.stdout
        p7s = (tmp_path / "printout.pdf.p7s").read_bytes()
        report = ezla.verify_cms(p7s, content=data.read_bytes(), trust=[ca.certificate],
                                 tsa_trust=[tsa.ca])
        assert [t.trust for t in report.timestamps] == ["chain"]
        assert report.judged_at == report.timestamps[0].time
        if shutil.which("openssl"):
            checked = subprocess.run(
                ["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                 "-in", str(tmp_path / "printout.pdf.p7s"), "-content", str(data),
                 "-CAfile", str(tmp_path / "ca.pem"), "-out", os.devnull],
                capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
        elif os.environ.get("EZLA_REQUIRE_TOOLS") == "1":
            pytest.fail("openssl missing; EZLA_REQUIRE_TOOLS=1")

        # A TSA that does not chain to the anchors given is refused (1), a wrong password 2.
        untrusted = ["--tsa", tsa.url, "--tsa-ca", str(tmp_path / "ca.pem"),
                     "--tls-ca", str(state / "tls-ca.pem")]
        result = example("cms_sign.py", str(data), *doctor, *untrusted, env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "CertificateUntrusted" in result.stderr, result.stderr
        result = example("cms_sign.py", str(data), *doctor, env={"EZLA_PFX_PASSWORD": "wrong"})
        assert result.returncode == 2 and "BadPassword" not in result.stdout, result.stderr
        assert "code 200" in result.stderr, result.stderr
    finally:
        tsa.stop()
