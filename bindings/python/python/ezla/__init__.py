"""ezla: issue Polish electronic sick-leave certificates (e-ZLA) to ZUS.

Open the doctor's ZUS certificate (``.pfx``) and watch its expiry, make certificate requests,
sign e-ZLA documents with XAdES and verify signatures strictly. The work is done by the Rust
library ``ezla``; this package is a thin layer over it that releases the GIL during
cryptography and parsing, so other Python threads keep running.

>>> import ezla
>>> identity = ezla.Identity.from_file("doctor.pfx", "hasło")          # doctest: +SKIP
>>> identity.certificate.status().name                                 # doctest: +SKIP
'valid'
>>> signed = ezla.sign_xades(document, identity)                       # doctest: +SKIP
>>> report = ezla.verify_xades(signed, trust=[ca_pem])                 # doctest: +SKIP
"""

from ezla._ezla import (
    DEFAULT_PFX_ITERATIONS,
    Azla,
    Certificate,
    CertificateRequest,
    CertificateStatus,
    CertificateSummary,
    CertificateSummaryRow,
    CmsReport,
    ExternalSigner,
    Identity,
    PfxInfo,
    Pkcs11Signer,
    PrivateKey,
    Problem,
    ReferenceInfo,
    RevocationChecker,
    RevocationInfo,
    SignerInfo,
    TimeStamp,
    TrustStore,
    TsaClient,
    VerificationReport,
    XmlDsigReport,
    Zla,
    __version__,
    add_cms_timestamp,
    add_xades_timestamp,
    check_certificates,
    check_zla,
    inspect_pfx,
    plan_zla,
    sign_cms,
    sign_xades,
    sign_xmldsig,
    split_period,
    verify_cms,
    verify_timestamp,
    verify_xades,
    verify_xades_all,
    verify_xmldsig,
)
from ezla.exceptions import (
    AlreadySigned,
    BadPassword,
    CertificateChainInvalid,
    CertificateRevoked,
    CrlError,
    RevocationUnknown,
    CertificateError,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateUntrusted,
    DigestMismatch,
    EzlaError,
    InternalError,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    KeyCertificateMismatch,
    KeyStoreError,
    ParseError,
    Pkcs12Unprotected,
    SamlError,
    SignatureError,
    SignatureWrapping,
    SigningFailed,
    TimestampError,
    TransportError,
    UnprotectedPfx,
    UnsignedContent,
    Unsupported,
    UnsupportedAlgorithm,
    UntrustedCertificate,
    ValidationError,
    ZusError,
)

# Test helpers (a throw-away CA): imported eagerly, so that `import ezla` is enough for
# `ezla.testing.make_test_ca()`. It costs nothing (the module only defines two functions
# over the native `TestCa`) and has no side effects: nothing is generated until called.
from ezla import testing

# The ZUS channel client, as `ezla.zus.Client`: imported eagerly for the same reason.
from ezla import zus

# The login.gov.pl service provider, as `ezla.wk.ServiceProvider`: likewise.
from ezla import wk

__all__ = [
    "__version__",
    "DEFAULT_PFX_ITERATIONS",
    # certificates and keys
    "Certificate",
    "CertificateRequest",
    "CertificateStatus",
    "Identity",
    "ExternalSigner",
    "Pkcs11Signer",
    "PrivateKey",
    "TrustStore",
    "inspect_pfx",
    "PfxInfo",
    # watching many certificates (a clinic's monitoring)
    "check_certificates",
    "CertificateSummary",
    "CertificateSummaryRow",
    # CMS (CAdES-BES), for what is signed besides XML
    "sign_cms",
    "verify_cms",
    "CmsReport",
    # RFC 3161 time-stamps, XAdES-T and CAdES-T
    "RevocationChecker",
    "RevocationInfo",
    "TsaClient",
    "TimeStamp",
    "verify_timestamp",
    "add_xades_timestamp",
    "add_cms_timestamp",
    # XAdES
    "sign_xades",
    "verify_xades",
    "verify_xades_all",
    "VerificationReport",
    "SignerInfo",
    "ReferenceInfo",
    # e-ZLA documents
    "Zla",
    "Problem",
    "check_zla",
    "Azla",
    "split_period",
    "plan_zla",
    # plain XML-DSig
    "sign_xmldsig",
    "verify_xmldsig",
    "XmlDsigReport",
    # exceptions
    "AlreadySigned",
    "BadPassword",
    "CertificateChainInvalid",
    "CertificateRevoked",
    "CrlError",
    "RevocationUnknown",
    "CertificateError",
    "CertificateExpired",
    "CertificateNotYetValid",
    "CertificateUntrusted",
    "DigestMismatch",
    "EzlaError",
    "InternalError",
    "InvalidInput",
    "InvalidSignature",
    "KeyCertificateMismatch",
    "KeyStoreError",
    "ParseError",
    "Pkcs12Unprotected",
    "SamlError",
    "SignatureError",
    "SignatureWrapping",
    "SigningFailed",
    "TimestampError",
    "TransportError",
    "UnsignedContent",
    "Unsupported",
    "ValidationError",
    "ZusError",
    # former exception names, aliases of the classes above
    "InvalidDigest",
    "UnprotectedPfx",
    "UnsupportedAlgorithm",
    "UntrustedCertificate",
]
