"""ezla: issue Polish electronic sick-leave certificates (e-ZLA) to ZUS.

Open the doctor's ZUS certificate (``.pfx``) and watch its expiry, sign e-ZLA documents with
XAdES and verify signatures strictly. The work is done by the Rust library ``ezla``; this
package is a thin layer over it that releases the GIL during cryptography.
"""

from ezla._ezla import __version__
from ezla.exceptions import (
    AlreadySigned,
    BadPassword,
    CertificateError,
    CertificateExpired,
    CertificateNotYetValid,
    EzlaError,
    InternalError,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    KeyStoreError,
    ParseError,
    SamlError,
    SignatureError,
    SignatureWrapping,
    TransportError,
    UnsupportedAlgorithm,
    UntrustedCertificate,
    ValidationError,
    ZusError,
)

__all__ = [
    "__version__",
    "AlreadySigned",
    "BadPassword",
    "CertificateError",
    "CertificateExpired",
    "CertificateNotYetValid",
    "EzlaError",
    "InternalError",
    "InvalidDigest",
    "InvalidInput",
    "InvalidSignature",
    "KeyStoreError",
    "ParseError",
    "SamlError",
    "SignatureError",
    "SignatureWrapping",
    "TransportError",
    "UnsupportedAlgorithm",
    "UntrustedCertificate",
    "ValidationError",
    "ZusError",
]
