"""The error model: every core code maps to a documented exception class."""

import datetime

import pytest

import ezla
from ezla import exceptions
from ezla._ezla import _error_codes, _error_families, _raise_for_code


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


def test_the_family_table_covers_exactly_the_core_families():
    # The grouping of codes comes from the core (ErrorCode::family); Python only names the
    # class of each family, and must name one for every family the core has.
    assert list(exceptions._FAMILY_CLASSES) == _error_families()
    assert len(set(_error_families())) == len(_error_families())


@pytest.mark.parametrize(
    "code,cls,builtin",
    [
        (1, ezla.InvalidInput, ValueError),
        (100, ezla.ParseError, ValueError),
        (120, ezla.Unsupported, None),
        (200, ezla.BadPassword, None),
        (202, ezla.KeyStoreError, None),
        (206, ezla.KeyCertificateMismatch, None),
        (208, ezla.SigningFailed, None),
        (209, ezla.Pkcs12Unprotected, None),
        (300, ezla.CertificateExpired, None),
        (302, ezla.CertificateUntrusted, None),
        (303, ezla.CertificateChainInvalid, None),
        (303, ezla.CertificateUntrusted, None),
        (400, ezla.InvalidSignature, None),
        (401, ezla.DigestMismatch, None),
        (404, ezla.SignatureWrapping, None),
        (413, ezla.AlreadySigned, ValueError),
        (414, ezla.UnsignedContent, None),
        (420, ezla.TimestampError, None),
        (422, ezla.TimestampError, None),
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


#: The classes that stand for a family of codes (a range, or several related codes) and keep
#: their family names; every other class stands for exactly one code and is named after it.
FAMILIES = {
    ezla.EzlaError, ezla.InvalidInput, ezla.ParseError, ezla.KeyStoreError,
    ezla.CertificateError, ezla.SignatureError, ezla.InvalidSignature, ezla.SignatureWrapping,
    ezla.ValidationError, ezla.ZusError, ezla.SamlError, ezla.TransportError,
    ezla.InternalError, ezla.TimestampError, ezla.CrlError,
}

#: Former class names and the classes they are now.
ALIASES = {
    "InvalidDigest": "DigestMismatch",
    "UntrustedCertificate": "CertificateUntrusted",
    "UnprotectedPfx": "Pkcs12Unprotected",
    "UnsupportedAlgorithm": "Unsupported",
}


def _raised_for_every_code():
    """{class: [code names it is raised for]} over the whole error table."""
    raised = {}
    for code, name, _ in _error_codes():
        try:
            _raise_for_code(code)
        except ezla.EzlaError as e:
            assert e.name == name
            raised.setdefault(type(e), []).append(name)
    return raised


def test_a_class_for_one_code_is_named_after_it():
    raised = _raised_for_every_code()
    one_code = {cls: names for cls, names in raised.items() if cls not in FAMILIES}
    # Every class of the table is covered: 206, 208, 302 and 303 included.
    for expected in ("KeyCertificateMismatch", "SigningFailed", "CertificateUntrusted",
                     "CertificateChainInvalid", "DigestMismatch", "Pkcs12Unprotected"):
        assert getattr(ezla, expected) in one_code, expected
    for cls, names in one_code.items():
        assert names == [cls.__name__], f"{cls.__name__} is raised for {names}"
        with pytest.raises(cls) as info:
            _raise_for_code(next(c for c, n, _ in _error_codes() if n == cls.__name__))
        assert type(info.value).__name__ == info.value.name


def test_every_exception_class_is_a_family_or_stands_for_one_code():
    public = {getattr(exceptions, n) for n in exceptions.__all__}
    raised = _raised_for_every_code()
    for cls in public - FAMILIES:
        if cls in (ezla.CertificateExpired, ezla.CertificateNotYetValid):
            assert raised[cls] == [cls.__name__]
            continue
        # Constructed by hand, a one-code class carries its own code and name.
        err = cls("by hand")
        assert (err.name, type(err).__name__) == (cls.__name__, cls.__name__)
        assert err.code == next(c for c, n, _ in _error_codes() if n == cls.__name__)


@pytest.mark.parametrize("old,new", sorted(ALIASES.items()))
def test_former_names_are_the_same_classes(old, new):
    assert getattr(ezla, old) is getattr(ezla, new)
    assert getattr(exceptions, old) is getattr(exceptions, new)
    assert old in ezla.__all__ and new in ezla.__all__
    assert old in exceptions.__all__ and new in exceptions.__all__
    with pytest.raises(getattr(ezla, old)):
        _raise_for_code(next(c for c, n, _ in _error_codes() if n == new))


def test_untrusted_certificate_still_catches_an_invalid_chain():
    with pytest.raises(ezla.UntrustedCertificate) as info:
        _raise_for_code(303)
    assert type(info.value) is ezla.CertificateChainInvalid


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
    err = exceptions._from_native(600, "Zus", "ZUS channel", "ZUS refused the document",
                                  {"zus_code": "E123", "zus_text": "Błędny PESEL"})
    assert isinstance(err, ezla.ZusError) and isinstance(err, ezla.EzlaError)
    assert (err.code, err.zus_code, err.zus_text) == (600, "E123", "Błędny PESEL")
    plain = ezla.ZusError("timeout")
    assert plain.zus_code is None and plain.zus_text is None and plain.code == 600


@pytest.mark.parametrize(
    "code,family,cls",
    [(650, "ZUS channel", ezla.ZusError), (700, "login.gov.pl", ezla.SamlError),
     (799, "login.gov.pl", ezla.SamlError), (850, "I/O", ezla.TransportError),
     (999, "internal", ezla.InternalError), (5000, "a family from the future", ezla.InternalError)],
)
def test_families_of_codes_not_assigned_yet(code, family, cls):
    # The native module names the family of every code it raises; a class for the family
    # is found even for a code this module has never seen.
    err = exceptions._from_native(code, "Future", family, "message", {})
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
