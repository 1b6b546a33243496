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
        (300, ezla.CertificateExpired, None),
        (302, ezla.UntrustedCertificate, None),
        (400, ezla.InvalidSignature, None),
        (401, ezla.InvalidDigest, None),
        (404, ezla.SignatureWrapping, None),
        (413, ezla.AlreadySigned, ValueError),
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
