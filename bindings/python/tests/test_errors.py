"""The error model: every core code maps to a documented exception class."""

import datetime

import pytest

import ezla
from ezla import exceptions
from ezla._ezla import _error_codes, _raise_for_code


def test_version():
    assert ezla.__version__.count(".") == 2


@pytest.mark.parametrize("code,name,description", _error_codes())
def test_every_code_raises_a_subclass_of_ezla_error(code, name, description):
    with pytest.raises(ezla.EzlaError) as info:
        _raise_for_code(code)
    err = info.value
    assert err.code == code
    assert err.name == name
    assert str(err)
    assert repr(err).startswith(type(err).__name__)


@pytest.mark.parametrize(
    "code,cls,builtin",
    [
        (1, ezla.InvalidInput, ValueError),
        (100, ezla.ParseError, ValueError),
        (120, ezla.UnsupportedAlgorithm, None),
        (200, ezla.BadPassword, None),
        (202, ezla.KeyStoreError, None),
        (209, ezla.UnprotectedPfx, None),
        (300, ezla.CertificateExpired, None),
        (302, ezla.UntrustedCertificate, None),
        (400, ezla.InvalidSignature, None),
        (401, ezla.InvalidDigest, None),
        (404, ezla.SignatureWrapping, None),
        (413, ezla.AlreadySigned, ValueError),
        (414, ezla.UnsignedContent, None),
        (500, ezla.ValidationError, ValueError),
        (501, ezla.ParseError, ValueError),
        (800, ezla.TransportError, OSError),
        (900, ezla.InternalError, None),
    ],
)
def test_families(code, cls, builtin):
    with pytest.raises(cls) as info:
        _raise_for_code(code)
    if builtin is not None:
        assert isinstance(info.value, builtin)


def test_certificate_expired_carries_not_after():
    with pytest.raises(ezla.CertificateExpired) as info:
        _raise_for_code(300)
    assert info.value.not_after == datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def test_unknown_code_is_a_value_error():
    with pytest.raises(ValueError):
        _raise_for_code(12345)


def test_exceptions_module_exports_everything():
    for name in exceptions.__all__:
        assert issubclass(getattr(ezla, name), ezla.EzlaError)


def test_zus_error_carries_zus_code_and_text():
    err = exceptions._from_native(600, "Zus", "ZUS refused the document",
                                  {"zus_code": "E123", "zus_text": "Błędny PESEL"})
    assert isinstance(err, ezla.ZusError) and isinstance(err, ezla.EzlaError)
    assert (err.code, err.zus_code, err.zus_text) == (600, "E123", "Błędny PESEL")
    plain = ezla.ZusError("timeout")
    assert plain.zus_code is None and plain.zus_text is None and plain.code == 600


@pytest.mark.parametrize(
    "code,cls",
    [(650, ezla.ZusError), (700, ezla.SamlError), (799, ezla.SamlError),
     (850, ezla.TransportError), (999, ezla.InternalError), (5000, ezla.InternalError)],
)
def test_families_of_codes_not_assigned_yet(code, cls):
    err = exceptions._from_native(code, "Future", "message", {})
    assert type(err) is cls and err.code == code and err.name == "Future"


def test_validation_error_defaults():
    err = ezla.ValidationError("bad")
    assert err.problems == [] and err.errors == [] and err.code == 500
    assert isinstance(err, ValueError)


def test_certificate_errors_default_attributes():
    assert ezla.CertificateExpired("x").not_after is None
    assert ezla.CertificateNotYetValid("x").not_before is None
    assert repr(ezla.BadPassword("x", 200, "BadPassword")) == (
        "BadPassword(code=200, name='BadPassword', message='x')")
