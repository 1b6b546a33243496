"""The public surface: everything native is re-exported, typed and documented."""

from __future__ import annotations

import inspect

import ezla
from ezla import _ezla


#: Native names public in a submodule, with their public name there.
_ELSEWHERE = {
    "TestCa": (ezla.testing, "TestCa"),
    "ZusClient": (ezla.zus, "Client"),
    "BladWalidacji": (ezla.zus, "BladWalidacji"),
    "Receipted": (ezla.zus, "Receipted"),
    "IssuedCertificate": (ezla.zus, "IssuedCertificate"),
    "IssueReport": (ezla.zus, "IssueReport"),
    "WkConfig": (ezla.wk, "Config"),
    "WkLogin": (ezla.wk, "Login"),
    "WkIdentity": (ezla.wk, "Identity"),
    "WkServiceProvider": (ezla.wk, "ServiceProvider"),
    "wk_authn_request": (ezla.wk, "authn_request"),
    "wk_process_artifact_response": (ezla.wk, "process_artifact_response"),
}


def test_every_native_name_is_public_somewhere():
    for name in _ezla.__all__:
        if name.startswith("_"):
            continue
        where, public = _ELSEWHERE.get(name, (ezla, name))
        assert getattr(where, public) is getattr(_ezla, name), name
        assert public in where.__all__, name


def test_all_names_resolve_and_are_documented():
    for name in ezla.__all__:
        obj = getattr(ezla, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_public_classes_cannot_be_subclassed_or_mutated(doctor):
    import pytest

    with pytest.raises(TypeError):
        class Mine(ezla.Certificate):  # type: ignore[misc]
            pass
    with pytest.raises(AttributeError):
        doctor.certificate.subject = "CN=evil"  # type: ignore[misc]


def test_native_classes_say_they_are_ezla_classes():
    assert ezla.Certificate.__module__ == "ezla"
    assert ezla.testing.TestCa.__module__ == "ezla.testing"
    assert repr(ezla.Certificate).startswith("<class 'ezla.Certificate'")


def test_zus_is_reachable_from_import_ezla_and_names_itself():
    import subprocess
    import sys

    code = "import sys, ezla\nassert sys.modules['ezla.zus'] is ezla.zus\nprint(ezla.zus.Client)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "<class 'ezla.zus.Client'>"
    for name in ezla.zus.__all__:
        obj = getattr(ezla.zus, name)
        assert obj.__module__ == "ezla.zus" and obj.__name__ == name, name
        assert inspect.getdoc(obj), f"ezla.zus.{name} has no docstring"


def test_testing_is_reachable_from_import_ezla():
    """`import ezla` is enough for `ezla.testing.make_test_ca()` (issue 18): the newcomer's
    first script should not fail on a missing `import ezla.testing`."""
    import subprocess
    import sys

    code = (
        "import sys, ezla\n"
        "assert sys.modules['ezla.testing'] is ezla.testing\n"
        "ca = ezla.testing.make_test_ca()\n"
        "doctor = ezla.testing.make_test_doctor(ca)\n"
        "print(type(ca).__name__, doctor.certificate.issuer == ca.certificate.subject)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "TestCa True"


def test_pickling_data_but_never_keys(doctor, ca):
    import pickle

    import pytest

    from test_kedu import ZLA

    cert = pickle.loads(pickle.dumps(doctor.certificate))
    assert cert == doctor.certificate and cert.pesel == "02070803628"
    csr = ezla.CertificateRequest.create(doctor.private_key, common_name="X")
    assert pickle.loads(pickle.dumps(csr)).to_der() == csr.to_der()
    zla = ezla.Zla.from_dict(ZLA)
    assert pickle.loads(pickle.dumps(zla)) == zla
    # Secrets are not picklable.
    for secret in (doctor, doctor.private_key):
        with pytest.raises(TypeError):
            pickle.dumps(secret)


def test_stubs_refuse_a_misspelled_profile(tmp_path):
    """Profiles are `Literal` types in the stubs: mypy catches a typo before ZUS does."""
    import subprocess
    import sys

    import pytest

    pytest.importorskip("mypy")
    bad = tmp_path / "bad_profile.py"
    bad.write_text(
        "import ezla\n"
        "def f(doc: bytes, who: ezla.Identity) -> None:\n"
        "    ezla.sign_xades(doc, who, profile='zus')\n"
        "    ezla.sign_xades(doc, who, profile='zus-legasy')\n"
        "    ezla.PrivateKey.generate('rsa1024')\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary",
         str(bad)], capture_output=True, text=True, timeout=300)
    errors = [line for line in out.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, out.stdout + out.stderr
    assert "bad_profile.py:4:" in errors[0] and "'zus-legasy'" in errors[0], errors
    assert "bad_profile.py:5:" in errors[1] and "'rsa1024'" in errors[1], errors
