"""Exceptions raised by ezla.

Every exception derives from :class:`EzlaError`, whose ``code`` is the stable number of the
error table (``docs/errors.md``), the same number the Rust ``ezla::ErrorCode`` and the C
``EZLA_RESULT_*`` constants use. Subclasses group the codes by family and, where it helps,
carry machine-readable attributes.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Type

if TYPE_CHECKING:
    from ezla._ezla import Problem

__all__ = [
    "EzlaError",
    "InvalidInput",
    "ParseError",
    "UnsupportedAlgorithm",
    "KeyStoreError",
    "BadPassword",
    "UnprotectedPfx",
    "CertificateError",
    "CertificateExpired",
    "CertificateNotYetValid",
    "UntrustedCertificate",
    "SignatureError",
    "InvalidSignature",
    "InvalidDigest",
    "SignatureWrapping",
    "UnsignedContent",
    "AlreadySigned",
    "ValidationError",
    "ZusError",
    "SamlError",
    "TransportError",
    "InternalError",
]


class EzlaError(Exception):
    """Base class of every ezla error.

    Attributes:
        code: the stable error number (``docs/errors.md``).
        name: the code's name in the error table, e.g. ``"BadPassword"``.
        message: the human-readable message (also ``str(error)``).
    """

    def __init__(self, message: str, code: int = 900, name: str = "Internal") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, name={self.name!r}, message={self.message!r})"


class InvalidInput(EzlaError, ValueError):
    """An argument is unusable (codes 1–99)."""


class ParseError(EzlaError, ValueError):
    """The input is not well-formed XML, DER, PEM, base64 or JSON, or not an e-ZLA document
    of a known shape (codes 100–119 and 501)."""


class UnsupportedAlgorithm(EzlaError):
    """An algorithm, transform or feature ezla does not support; the message names it
    (code 120)."""


class KeyStoreError(EzlaError):
    """A key or key store (PKCS#12, PKCS#8) cannot be used (codes 200–299)."""


class BadPassword(KeyStoreError):
    """The password does not open the ``.pfx`` file or key (code 200)."""


class UnprotectedPfx(KeyStoreError):
    """The ``.pfx`` file has no integrity protection (no MAC): it could have been altered and
    the password was not checked. Refused unless ``allow_unprotected=True`` is passed
    (code 209)."""


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


class UntrustedCertificate(CertificateError):
    """No path leads from the certificate to a trust anchor, or the chain is invalid
    (codes 302–303)."""


class SignatureError(EzlaError):
    """A signature problem (codes 400–499)."""


class InvalidSignature(SignatureError):
    """The signature does not verify, is malformed, or its XAdES properties are wrong
    (codes 400–412 and 414, except the subclasses below)."""


class InvalidDigest(InvalidSignature):
    """A reference's digest does not match: the signed data was altered (code 401)."""


class SignatureWrapping(InvalidSignature):
    """The signature does not cover what the caller reads, or an ID is duplicated: the
    signature-wrapping family (codes 404 and 405)."""


class UnsignedContent(InvalidSignature):
    """The signature carries content no reference covers, such as a second body in a
    ``ds:Object``, which the ZUS profiles do not allow (code 414)."""


class AlreadySigned(SignatureError, ValueError):
    """The document already carries a signature and co-signing was not requested (code 413)."""


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
    """An error reported by the ZUS channel (codes 600–699).

    Attributes:
        zus_code: ZUS's own error code (``KodBledu``), when given.
        zus_text: ZUS's own error text (``OpisBledu``), when given.
    """

    def __init__(self, message: str, code: int = 600, name: str = "Zus",
                 zus_code: Optional[str] = None, zus_text: Optional[str] = None) -> None:
        super().__init__(message, code, name)
        self.zus_code = zus_code
        self.zus_text = zus_text


class SamlError(EzlaError):
    """A login.gov.pl (SAML) message failed validation (codes 700–799)."""


class TransportError(EzlaError, OSError):
    """Reading a file or talking to a server failed (codes 800–899)."""


class InternalError(EzlaError):
    """A bug in ezla (codes 900–999): please report it."""


def _class_for(code: int) -> Type[EzlaError]:
    exact: Dict[int, Type[EzlaError]] = {
        120: UnsupportedAlgorithm,
        200: BadPassword,
        209: UnprotectedPfx,
        300: CertificateExpired,
        301: CertificateNotYetValid,
        302: UntrustedCertificate,
        303: UntrustedCertificate,
        401: InvalidDigest,
        404: SignatureWrapping,
        405: SignatureWrapping,
        413: AlreadySigned,
        414: UnsignedContent,
        500: ValidationError,
        501: ParseError,
    }
    if code in exact:
        return exact[code]
    for low, high, cls in (
        (1, 99, InvalidInput),
        (100, 199, ParseError),
        (200, 299, KeyStoreError),
        (300, 399, CertificateError),
        (400, 499, InvalidSignature),
        (500, 599, ValidationError),
        (600, 699, ZusError),
        (700, 799, SamlError),
        (800, 899, TransportError),
    ):
        if low <= code <= high:
            return cls
    return InternalError


def _from_native(code: int, name: str, message: str, extra: Dict[str, Any]) -> EzlaError:
    """The single conversion point from the native module's errors (not public)."""
    cls = _class_for(code)
    return cls(message, code, name, **extra) if extra else cls(message, code, name)
