"""Exceptions raised by ezla.

Every exception derives from :class:`EzlaError`, whose ``code`` is the stable number of the
error table (``docs/errors.md``), the same number the Rust ``ezla::ErrorCode`` and the C
``EZLA_RESULT_*`` constants use. Subclasses group the codes by family and, where it helps,
carry machine-readable attributes.

A class that stands for exactly one code is named after it, so ``type(e).__name__ ==
e.name`` (``DigestMismatch``, ``CertificateUntrusted``, ...); the family classes
(``ParseError``, ``KeyStoreError``, ``InvalidSignature``, ...) keep their names. The names
these classes had before (``InvalidDigest``, ``UntrustedCertificate``, ``UnprotectedPfx``,
``UnsupportedAlgorithm``) remain as aliases: the same class objects.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Dict, List, Optional, Type

if TYPE_CHECKING:
    from ezla._ezla import BladWalidacji, Problem

__all__ = [
    "EzlaError",
    "InvalidInput",
    "ParseError",
    "Unsupported",
    "KeyStoreError",
    "BadPassword",
    "KeyCertificateMismatch",
    "SigningFailed",
    "Pkcs12Unprotected",
    "CertificateError",
    "CertificateExpired",
    "CertificateNotYetValid",
    "CertificateUntrusted",
    "CertificateChainInvalid",
    "CertificateRevoked",
    "CrlError",
    "RevocationUnknown",
    "SignatureError",
    "InvalidSignature",
    "DigestMismatch",
    "SignatureWrapping",
    "UnsignedContent",
    "TimestampError",
    "AlreadySigned",
    "ValidationError",
    "ZusError",
    "SamlError",
    "TransportError",
    "InternalError",
    # the former names, kept as aliases (the same class objects)
    "UnsupportedAlgorithm",
    "UnprotectedPfx",
    "UntrustedCertificate",
    "InvalidDigest",
]


class EzlaError(Exception):
    """Base class of every ezla error.

    Attributes:
        code: the stable error number (``docs/errors.md``).
        name: the code's name in the error table, e.g. ``"BadPassword"``.
        message: the human-readable message (also ``str(error)``).

    ``code`` and ``name`` default to the class's own code for a class named after one
    (``DigestMismatch("x").code == 401``), and to 900 ``Internal`` otherwise.
    """

    # The code and name an instance gets when none is given.
    _default_code: ClassVar[int] = 900
    _default_name: ClassVar[str] = "Internal"

    def __init__(self, message: str, code: Optional[int] = None,
                 name: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = type(self)._default_code if code is None else code
        self.name = type(self)._default_name if name is None else name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, name={self.name!r}, message={self.message!r})"


class InvalidInput(EzlaError, ValueError):
    """An argument is unusable (codes 1–99)."""


class ParseError(EzlaError, ValueError):
    """The input is not well-formed XML, DER, PEM, base64 or JSON, or not an e-ZLA document
    of a known shape (codes 100–119 and 501)."""


class Unsupported(EzlaError):
    """An algorithm, transform or feature ezla does not support; the message names it
    (code 120, ``Unsupported``; formerly ``UnsupportedAlgorithm``, still an alias)."""

    _default_code = 120
    _default_name = "Unsupported"


class KeyStoreError(EzlaError):
    """A key, a key store (PKCS#12, PKCS#8) or a signer cannot be used (codes 200–299)."""


class BadPassword(KeyStoreError):
    """The password does not open the ``.pfx`` file or key (code 200)."""

    _default_code = 200
    _default_name = "BadPassword"


class KeyCertificateMismatch(KeyStoreError):
    """The certificate is not for the private key: a key and a certificate paired that do
    not belong together, or a ``.pfx`` whose certificates match none of its keys, or a
    signer whose key is not the certificate's (code 206)."""

    _default_code = 206
    _default_name = "KeyCertificateMismatch"


class SigningFailed(KeyStoreError):
    """The signer failed to sign, or returned a signature that does not verify with the
    certificate's public key: a different key on the token or in the callback, or a faulty
    signer. Nothing is returned in that case (code 208)."""

    _default_code = 208
    _default_name = "SigningFailed"


class Pkcs12Unprotected(KeyStoreError):
    """The ``.pfx`` file has no integrity protection (no MAC): it could have been altered and
    the password was not checked. Refused unless ``allow_unprotected=True`` is passed
    (code 209, ``Pkcs12Unprotected``; formerly ``UnprotectedPfx``, still an alias)."""

    _default_code = 209
    _default_name = "Pkcs12Unprotected"


class CertificateError(EzlaError):
    """A certificate is unusable: expired, not yet valid, untrusted (codes 300–399)."""


class CertificateExpired(CertificateError):
    """The certificate expired before the instant of use (code 300).

    Attributes:
        not_after: the end of the certificate's validity (timezone-aware), when known.
    """

    def __init__(self, message: str, code: int = 300, name: str = "CertificateExpired",
                 not_after: Optional[datetime.datetime] = None) -> None:
        super().__init__(message, code, name)
        self.not_after = not_after


class CertificateNotYetValid(CertificateError):
    """The certificate is not valid yet (code 301).

    Attributes:
        not_before: the start of the certificate's validity (timezone-aware), when known.
    """

    def __init__(self, message: str, code: int = 301, name: str = "CertificateNotYetValid",
                 not_before: Optional[datetime.datetime] = None) -> None:
        super().__init__(message, code, name)
        self.not_before = not_before


class CertificateUntrusted(CertificateError):
    """No path leads from the certificate to a trust anchor (code 302), or the chain is
    invalid (code 303, the subclass :class:`CertificateChainInvalid`). Formerly
    ``UntrustedCertificate``, still an alias; ``except CertificateUntrusted`` catches both
    codes, as ``except UntrustedCertificate`` did."""

    _default_code = 302
    _default_name = "CertificateUntrusted"


class CertificateChainInvalid(CertificateUntrusted):
    """A certificate of the chain is unusable: a broken signature, a non-CA issuer, a path
    length exceeded (code 303)."""

    _default_code = 303
    _default_name = "CertificateChainInvalid"


class CertificateRevoked(CertificateError):
    """The certificate is on its issuer's CRL, revoked at or before the instant judged (a
    trusted time-stamp's, ``at``, or now — never the claimed signing time) (code 306).

    Attributes:
        revoked_at: when it was revoked (timezone-aware), when known.
        reason: the CRL reason (RFC 5280 name such as ``"keyCompromise"``), when given.
        serial: the certificate's serial number (upper-case hex), when known.
    """

    def __init__(self, message: str, code: int = 306, name: str = "CertificateRevoked",
                 revoked_at: Optional[datetime.datetime] = None, reason: Optional[str] = None,
                 serial: Optional[str] = None) -> None:
        super().__init__(message, code, name)
        self.revoked_at = revoked_at
        self.reason = reason
        self.serial = serial


class CrlError(CertificateError):
    """A CRL cannot be used to judge revocation: another issuer's (307), its signature does
    not verify (308), out of date (309), not yet valid (310). ``.name`` tells which."""


class RevocationUnknown(CertificateError):
    """Revocation checking was asked for but no CRL covers the certificate (code 311)."""

    _default_code = 311
    _default_name = "RevocationUnknown"


class SignatureError(EzlaError):
    """A signature problem (codes 400–499)."""


class InvalidSignature(SignatureError):
    """The signature does not verify, is malformed, or its XAdES properties are wrong
    (codes 400–412 and 414, except the subclasses below)."""


class DigestMismatch(InvalidSignature):
    """A reference's digest does not match: the signed data was altered (code 401,
    ``DigestMismatch``; formerly ``InvalidDigest``, still an alias)."""

    _default_code = 401
    _default_name = "DigestMismatch"


class SignatureWrapping(InvalidSignature):
    """The signature does not cover what the caller reads, or an ID is duplicated: the
    signature-wrapping family (codes 404 and 405)."""


class UnsignedContent(InvalidSignature):
    """The signature carries content no reference covers, such as a second body in a
    ``ds:Object``, which the ZUS profiles do not allow (code 414)."""

    _default_code = 414
    _default_name = "UnsignedContent"


class TimestampError(InvalidSignature):
    """An RFC 3161 time-stamp was refused (codes 420–422): the TSA refused the request
    (``TimestampRejected``, its status and failure named in the message), a token does not
    fit what it should stamp (``TimestampMismatch``: another imprint, nonce or policy), or it
    is signed by a certificate that is not a time-stamping one (``TsaCertificateInvalid``)."""


class AlreadySigned(SignatureError, ValueError):
    """The document already carries a signature and co-signing was not requested (code 413)."""

    _default_code = 413
    _default_name = "AlreadySigned"


class ValidationError(EzlaError, ValueError):
    """An e-ZLA document breaks one or more rules (code 500).

    Attributes:
        problems: every problem found (errors, and the warnings found with them), as
            :class:`ezla.Problem` objects with ``path``, ``element``, ``message``,
            ``severity`` (``"error"`` or ``"warning"``), ``rule`` and ``inferred``.
    """

    def __init__(self, message: str, code: int = 500, name: str = "DocumentInvalid",
                 problems: Optional[List["Problem"]] = None) -> None:
        super().__init__(message, code, name)
        self.problems = problems or []

    @property
    def errors(self) -> List["Problem"]:
        """The problems that are errors (ZUS refuses the document for these)."""
        return [p for p in self.problems if p.severity == "error"]


class ZusError(EzlaError):
    """An error reported by the ZUS channel (codes 600–699): a SOAP Fault (600), a session
    ZUS no longer knows (601), a refused request (602), a refused login (603), a refused
    validation (604), the daily limit of patient look-ups (605), a malformed response (606).
    ``name`` tells them apart (``ZusFault``, ``ZusSessionExpired``, ...).

    Attributes:
        zus_code: ZUS's own error code (``KodBledu``; for a Fault the ``faultcode``), when
            given.
        zus_text: ZUS's own error text (``OpisBledu``; for a Fault the ``faultstring``),
            when given.
        problems: for a refused validation (604) or send (607), every finding ZUS gave, as
            :class:`ezla.zus.BladWalidacji` objects with ``nr_ref``, ``rodzaj`` (``"BLAD"``
            or ``"OSTRZEZENIE"``), ``kod``, ``opis`` and ``lokalizacja``; empty otherwise.
    """

    def __init__(self, message: str, code: int = 600, name: str = "Zus",
                 zus_code: Optional[str] = None, zus_text: Optional[str] = None,
                 problems: Optional[List["BladWalidacji"]] = None) -> None:
        super().__init__(message, code, name)
        self.zus_code = zus_code
        self.zus_text = zus_text
        self.problems = problems or []

    @property
    def errors(self) -> List["BladWalidacji"]:
        """The findings that are errors (``BLAD``): why ZUS refused."""
        return [p for p in self.problems if p.rodzaj == "BLAD"]


#: The check of the service provider each login.gov.pl code stands for (``SamlError.check``).
_SAML_CHECKS: Dict[int, str] = {
    700: "status",
    701: "structure",
    702: "issuer",
    703: "in_response_to",
    704: "pending_request",
    705: "decryption",
    706: "encryption",
    707: "unexpected_content",
    708: "recipient",
    709: "validity",
    710: "audience",
    711: "loa",
    712: "replay",
    713: "subject_confirmation",
    714: "attributes",
    715: "store",
}


class SamlError(EzlaError):
    """A login.gov.pl (SAML) message failed a check of the service provider, or
    login.gov.pl refused the login (codes 700–799). ``name`` is the code's name
    (``SamlAudienceMismatch``, ``SamlReplay``, ...). A signature that does not verify with
    the pinned certificate raises :class:`InvalidSignature` instead (codes 400–499).

    Attributes:
        check: which check failed: ``"status"`` (login.gov.pl answered with a status other
            than Success: see the status attributes), ``"structure"``, ``"issuer"``,
            ``"in_response_to"``, ``"pending_request"`` (unknown, used or expired RelayState),
            ``"decryption"``, ``"encryption"`` (a plaintext assertion),
            ``"unexpected_content"``, ``"recipient"``, ``"validity"``, ``"audience"``,
            ``"loa"``, ``"replay"``, ``"subject_confirmation"``, ``"attributes"`` or
            ``"store"``.
        status_code: for ``"status"``: the top-level ``StatusCode`` URI, verbatim (e.g.
            ``urn:oasis:names:tc:SAML:2.0:status:Responder``); None otherwise.
        second_status_code: for ``"status"``: the nested (second-level) ``StatusCode`` URI
            (e.g. ``...:status:AuthnFailed``), when given.
        status_message: for ``"status"``: the ``StatusMessage``, when given.
    """

    def __init__(self, message: str, code: int = 700, name: str = "SamlStatus",
                 status_code: Optional[str] = None, second_status_code: Optional[str] = None,
                 status_message: Optional[str] = None) -> None:
        super().__init__(message, code, name)
        self.check: str = _SAML_CHECKS.get(self.code, "other")
        self.status_code = status_code
        self.second_status_code = second_status_code
        self.status_message = status_message


class TransportError(EzlaError, OSError):
    """Reading a file or talking to a server failed (codes 800–899).

    800 is a file error; 810–899 are HTTP transport failures (invalid URL, connect failed,
    connection lost, TLS handshake / untrusted certificate / name mismatch, timeout, an
    unusable HTTP status, a response over the size cap): ``.code`` and ``.name`` tell which.
    """


class InternalError(EzlaError):
    """A bug in ezla (codes 900–999): please report it."""


#: Former names, kept so that existing ``except`` clauses keep working.
UnsupportedAlgorithm = Unsupported
UnprotectedPfx = Pkcs12Unprotected
UntrustedCertificate = CertificateUntrusted
InvalidDigest = DigestMismatch


#: The classes raised for a code of one of the core's families (``ezla::ErrorFamily::name``)
#: when no class stands for the code itself. The grouping of codes into families comes from
#: the native module; a test keeps these keys equal to its list of families.
_FAMILY_CLASSES: Dict[str, Type[EzlaError]] = {
    "usage": InvalidInput,
    "format": ParseError,
    "keys": KeyStoreError,
    "certificates": CertificateError,
    "signatures": InvalidSignature,
    "e-ZLA documents": ValidationError,
    "ZUS channel": ZusError,
    "login.gov.pl": SamlError,
    "I/O": TransportError,
    "internal": InternalError,
}

#: The classes that stand for one code (or, for ``SignatureWrapping`` and ``ParseError``, a
#: few codes outside their family's class).
_CODE_CLASSES: Dict[int, Type[EzlaError]] = {
    120: Unsupported,
    200: BadPassword,
    206: KeyCertificateMismatch,
    208: SigningFailed,
    209: Pkcs12Unprotected,
    300: CertificateExpired,
    301: CertificateNotYetValid,
    302: CertificateUntrusted,
    303: CertificateChainInvalid,
    306: CertificateRevoked,
    307: CrlError,
    308: CrlError,
    309: CrlError,
    310: CrlError,
    311: RevocationUnknown,
    401: DigestMismatch,
    404: SignatureWrapping,
    405: SignatureWrapping,
    413: AlreadySigned,
    414: UnsignedContent,
    420: TimestampError,
    421: TimestampError,
    422: TimestampError,
    500: ValidationError,
    501: ParseError,
}


def _class_for(code: int, family: str) -> Type[EzlaError]:
    return _CODE_CLASSES.get(code) or _FAMILY_CLASSES.get(family, InternalError)


def _from_native(code: int, name: str, family: str, message: str,
                 extra: Dict[str, Any]) -> EzlaError:
    """The single conversion point from the native module's errors (not public)."""
    cls = _class_for(code, family)
    return cls(message, code, name, **extra) if extra else cls(message, code, name)
