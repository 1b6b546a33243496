//! The one error model of ezla.
//!
//! Every fallible function returns [`Result<T>`](Result), whose error is [`Error`]. Like
//! rustls's, it is nested by family: [`Error::Xml`], [`Error::Format`], [`Error::Key`],
//! [`Error::Certificate`], [`Error::Signature`], [`Error::Document`], [`Error::Zus`],
//! [`Error::Transport`] and [`Error::Wk`] each carry a small enum of their own ([`XmlError`], [`FormatError`],
//! [`KeyError`], [`CertificateError`], [`SignatureError`], [`DocumentError`], [`ZusError`],
//! [`TransportError`], [`WkError`]) with the context a person needs to fix the problem (which file, which
//! reference, which certificate, which field, which ZUS operation, which URL). The protocol
//! families still to come (CMS) get their own variant and enum as they land,
//! each in a file of this module.
//!
//! Each error maps to an [`ErrorCode`], a stable number shared by the C library
//! (`EZLA_RESULT_*`) and the Python package (`EzlaError.code`). Numbers are grouped by
//! [`ErrorFamily`] in hundreds and never change once released; retired numbers stay reserved.
//! [`ErrorCode::family`] is the one place that groups them: the C `ezla_result_is_*` helpers
//! and the Python exception classes are derived from it. The table lives in `docs/errors.md`
//! and a test keeps it in step with this file.

use std::fmt;
use std::path::PathBuf;

use time::OffsetDateTime;

mod certificate;
mod document;
mod format;
mod key;
mod problem;
mod signature;
mod transport;
mod wk;
mod zus;

pub use certificate::CertificateError;
pub use document::DocumentError;
pub use format::{Format, FormatError, XmlError};
pub use key::KeyError;
pub use problem::{Problem, Severity};
pub use signature::SignatureError;
pub use transport::{BODY_START_LEN, TimeoutPhase, TlsFailure, TransportError};
pub use wk::{SamlStatus, WkError};
pub use zus::{BladWalidacji, Rezultat, RodzajBledu, SoapFault, ZusError};

/// Shorthand for `std::result::Result<T, ezla::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $name:ident = $num:literal, $family:ident, $text:literal; )*) => {
        /// Stable numeric error codes, shared with C (`EZLA_RESULT_*`) and Python (`.code`).
        ///
        /// Grouped by family: 1–99 caller misuse, 100–199 input formats, 200–299 keys and key
        /// stores, 300–399 certificates, 400–499 signatures, 500–599 e-ZLA documents, 600–699
        /// the ZUS channel, 700–799 login.gov.pl, 800–899 I/O and transport, 900–999 internal.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $name = $num, )*
        }

        impl ErrorCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$name, )* ];

            /// The code's name as written in the error table (`CamelCase`).
            pub const fn name(self) -> &'static str {
                match self { $( ErrorCode::$name => stringify!($name), )* }
            }

            /// A short, static description of the code.
            pub const fn description(self) -> &'static str {
                match self { $( ErrorCode::$name => $text, )* }
            }

            /// The family the code belongs to.
            pub const fn family(self) -> ErrorFamily {
                match self { $( ErrorCode::$name => ErrorFamily::$family, )* }
            }

            /// The code for a number, if the number is assigned.
            pub const fn from_u32(n: u32) -> Option<ErrorCode> {
                match n { $( $num => Some(ErrorCode::$name), )* _ => None }
            }
        }
    };
}

error_codes! {
    // 1–99: caller misuse
    /// An argument is unusable: empty, out of range, or inconsistent with another.
    InvalidArgument = 1, Usage, "invalid argument";
    /// A required pointer argument was NULL (C API only).
    NullParameter = 2, Usage, "NULL parameter";
    /// A caller-provided output buffer is too small (C API only).
    BufferTooSmall = 3, Usage, "output buffer too small";
    /// Text input is not valid UTF-8.
    InvalidUtf8 = 4, Usage, "input is not valid UTF-8";

    // 100–199: input formats
    /// XML is not well-formed.
    XmlMalformed = 100, Format, "malformed XML";
    /// XML carries a DOCTYPE, an entity declaration or an external reference, which are refused.
    XmlDtdForbidden = 101, Format, "DTD or entity declaration refused";
    /// XML exceeds a configured size, depth or count limit.
    XmlLimitExceeded = 102, Format, "XML limit exceeded";
    /// DER/ASN.1 structure is malformed or truncated.
    DerMalformed = 110, Format, "malformed DER";
    /// PEM armour is malformed.
    PemMalformed = 111, Format, "malformed PEM";
    /// Base64 text is malformed.
    Base64Malformed = 112, Format, "malformed base64";
    /// JSON is malformed or does not match the expected shape.
    JsonMalformed = 113, Format, "malformed JSON";
    /// The data is in none of the formats accepted here.
    UnknownFormat = 114, Format, "unrecognised format";
    /// An algorithm, transform or feature is not supported; the message names it.
    Unsupported = 120, Format, "unsupported algorithm or feature";

    // 200–299: keys and key stores
    /// The password does not open the PKCS#12 file or encrypted key.
    BadPassword = 200, Key, "wrong password";
    /// The PKCS#12 MAC does not match although the contents decrypt: the file was altered.
    MacMismatch = 201, Key, "PKCS#12 integrity check failed";
    /// The PKCS#12 file is corrupt or truncated.
    Pkcs12Corrupt = 202, Key, "corrupt PKCS#12 file";
    /// A key-derivation iteration count exceeds the configured cap.
    IterationLimitExceeded = 203, Key, "iteration count above the configured limit";
    /// No private key was found where one is required.
    NoPrivateKey = 204, Key, "no private key";
    /// No certificate was found where one is required.
    NoCertificate = 205, Key, "no certificate";
    /// A certificate does not belong to the private key it is paired with.
    KeyCertificateMismatch = 206, Key, "certificate does not match the key";
    /// The key's type or size cannot be used for this operation.
    UnsupportedKey = 207, Key, "unsupported key type or size";
    /// The signer (backend, token or callback) failed to produce a signature.
    SigningFailed = 208, Key, "signing failed";
    /// The PKCS#12 file has no integrity protection (no MAC) and the caller did not accept
    /// that explicitly.
    Pkcs12Unprotected = 209, Key, "PKCS#12 file has no integrity protection";
    // 220–239: PKCS#11 tokens (smart cards, HSMs)
    /// The file is not a usable PKCS#11 module: missing, not a shared library, no
    /// `C_GetFunctionList`, or its `C_Initialize` failed.
    Pkcs11ModuleInvalid = 220, Key, "not a usable PKCS#11 module";
    /// No token (or more than one) matches the requested label or serial number.
    TokenNotFound = 221, Key, "token not found";
    /// No private key (or more than one) on the token matches the requested label or id.
    TokenKeyNotFound = 222, Key, "key not found on the token";
    /// The token key has no certificate on the token and none was given.
    TokenCertificateNotFound = 223, Key, "no certificate for the token key";
    /// The token refused the PIN.
    PinIncorrect = 224, Key, "wrong PIN";
    /// The token's PIN is locked (too many wrong PINs): unblock it with the PUK or SO PIN.
    PinLocked = 225, Key, "PIN locked";
    /// No PIN was available: the callback declined, or the environment variable is unset.
    PinUnavailable = 226, Key, "no PIN given";
    /// The token was removed, or its session or module went away, during the operation.
    TokenRemoved = 227, Key, "token removed";
    /// Another PKCS#11 failure; the message names the function and the `CKR_` value.
    TokenFailed = 228, Key, "token operation failed";

    // 300–399: certificates
    /// The certificate expired before the instant of use.
    CertificateExpired = 300, Certificate, "certificate expired";
    /// The certificate is not valid yet at the instant of use.
    CertificateNotYetValid = 301, Certificate, "certificate not yet valid";
    /// No path leads from the certificate to a trust anchor.
    CertificateUntrusted = 302, Certificate, "certificate not trusted";
    /// A certificate in the chain carries an invalid signature or is otherwise unusable.
    CertificateChainInvalid = 303, Certificate, "invalid certificate chain";
    /// The certificate has a critical extension ezla does not understand.
    UnknownCriticalExtension = 304, Certificate, "unknown critical extension";
    /// The certificate's key usage does not allow this use.
    CertificateKeyUsage = 305, Certificate, "key usage does not allow this use";
    /// The certificate was revoked (it is on its issuer's CRL) at or before the instant judged.
    CertificateRevoked = 306, Certificate, "certificate revoked";
    /// The CRL was issued by someone other than the certificate's issuer.
    CrlIssuerMismatch = 307, Certificate, "CRL of another issuer";
    /// The CRL's signature does not verify with the issuer's key (or the issuer may not sign CRLs).
    CrlSignatureInvalid = 308, Certificate, "CRL signature invalid";
    /// The CRL's `nextUpdate` has passed: a newer CRL must be fetched.
    CrlExpired = 309, Certificate, "CRL out of date";
    /// The CRL's `thisUpdate` lies in the future.
    CrlNotYetValid = 310, Certificate, "CRL not yet valid";
    /// No CRL covers the certificate, so its revocation status cannot be told.
    RevocationUnknown = 311, Certificate, "revocation status unknown";

    // 400–499: signatures
    /// The signature value does not verify.
    SignatureInvalid = 400, Signature, "invalid signature value";
    /// A reference's digest does not match the referenced data.
    DigestMismatch = 401, Signature, "digest mismatch";
    /// No signature was found where one is required.
    SignatureMissing = 402, Signature, "no signature";
    /// More signatures were found than the operation allows.
    SignatureAmbiguous = 403, Signature, "more than one signature";
    /// The signature does not cover the element the caller asked about (signature wrapping).
    ReferenceMismatch = 404, Signature, "signature does not cover the expected element";
    /// Two elements in the document carry the same ID.
    DuplicateId = 405, Signature, "duplicate ID";
    /// No key to verify with: none supplied and none usable in KeyInfo.
    KeyNotFound = 406, Signature, "no verification key";
    /// The signature's structure is malformed (missing or misplaced elements).
    SignatureMalformed = 407, Signature, "malformed signature";
    /// XAdES qualifying properties are missing, misplaced or not covered by the signature.
    XadesPropertiesInvalid = 410, Signature, "invalid XAdES signed properties";
    /// The XAdES SigningCertificate does not identify the certificate that verified.
    SigningCertificateMismatch = 411, Signature, "SigningCertificate does not match the signer";
    /// The XAdES SigningTime is malformed or outside the signer's validity.
    SigningTimeInvalid = 412, Signature, "invalid signing time";
    /// The document is already signed and co-signing was not requested.
    AlreadySigned = 413, Signature, "document already signed";
    /// The signature carries content no reference covers where the profile allows none (e.g.
    /// a second body in a `ds:Object`).
    UnsignedContent = 414, Signature, "unsigned content in the signature";
    /// The time-stamping authority refused the request (RFC 3161 `PKIStatusInfo`: rejection,
    /// waiting or a revocation status); the error carries the status, the failure bits and
    /// the TSA's text.
    TimestampRejected = 420, Signature, "time-stamp request refused by the TSA";
    /// A time-stamp token does not fit what it should stamp: another message imprint, nonce
    /// or policy than requested, or a TSA name that is not its certificate's.
    TimestampMismatch = 421, Signature, "time-stamp does not match";
    /// A time-stamp token is signed with a certificate that is not a time-stamping one
    /// (RFC 3161 §2.3: the one critical extended key usage `timeStamping`).
    TsaCertificateInvalid = 422, Signature, "not a time-stamping certificate";

    // 500–599: e-ZLA documents
    /// The e-ZLA document breaks one or more rules; the error lists every problem.
    DocumentInvalid = 500, Document, "invalid e-ZLA document";
    /// The XML is not an e-ZLA (KEDU) document of a known shape.
    DocumentMalformed = 501, Document, "not a recognised e-ZLA document";

    // 600–699: the ZUS channel
    /// ZUS answered with a SOAP Fault; the error carries faultcode, faultstring and detail.
    ZusFault = 600, Zus, "SOAP Fault from ZUS";
    /// ZUS no longer knows the session (`IdSesji`): log in again.
    ZusSessionExpired = 601, Zus, "ZUS session expired or unknown";
    /// ZUS's result (`Rezultat`) is not success; the error carries KodBledu and OpisBledu.
    ZusRejected = 602, Zus, "ZUS refused the request";
    /// ZUS refused the login (`zalogujPodpisem` returned an empty `IdSesji`).
    ZusLoginRefused = 603, Zus, "ZUS refused the login";
    /// ZUS's validation refused the documents (`RezultatWalidacji` NEGATYWNY); the error
    /// lists every `BladWalidacji`.
    ZusValidationRefused = 604, Zus, "ZUS validation refused the documents";
    /// The doctor reached ZUS's daily limit of patient look-ups.
    ZusDailyLimitExceeded = 605, Zus, "daily limit of patient look-ups reached";
    /// ZUS's response is not what the operation returns (wrong element, namespace or shape).
    ZusResponseMalformed = 606, Zus, "malformed ZUS response";
    /// ZUS answered a send and did not accept some of the documents.
    ZusSendRefused = 607, Zus, "ZUS did not accept the documents sent";
    /// ZUS does not allow the action on the certificate (e.g. a cancellation).
    ZusNotAllowed = 608, Zus, "ZUS does not allow the action";

    // 700–799: login.gov.pl
    /// login.gov.pl answered with a non-success SAML status; the error carries the top-level
    /// and second-level codes and the message.
    SamlStatus = 700, LoginGovPl, "non-success SAML status from login.gov.pl";
    /// The SAML message does not have the structure of its type.
    SamlMalformed = 701, LoginGovPl, "malformed SAML message";
    /// An Issuer is not the configured login.gov.pl entity.
    SamlIssuerMismatch = 702, LoginGovPl, "unexpected SAML issuer";
    /// An InResponseTo does not name the request it answers.
    SamlInResponseToMismatch = 703, LoginGovPl, "InResponseTo does not match the request";
    /// No pending login request matches (unknown, already used or expired).
    SamlUnknownRequest = 704, LoginGovPl, "unknown or expired login request";
    /// The encrypted assertion cannot be decrypted.
    SamlDecryptionFailed = 705, LoginGovPl, "assertion decryption failed";
    /// An assertion arrived in plaintext.
    SamlUnencryptedAssertion = 706, LoginGovPl, "unencrypted assertion";
    /// Content the profile does not allow (a hidden or second assertion, a comment or
    /// processing instruction, unexpected elements).
    SamlUnexpectedContent = 707, LoginGovPl, "unexpected content in a SAML message";
    /// The subject confirmation's Recipient is not the ACS URL.
    SamlRecipientMismatch = 708, LoginGovPl, "Recipient is not the ACS URL";
    /// A validity window does not contain the present instant.
    SamlExpired = 709, LoginGovPl, "SAML message expired or not yet valid";
    /// The assertion is not meant for this service provider (Audience).
    SamlAudienceMismatch = 710, LoginGovPl, "assertion audience mismatch";
    /// The level of assurance is below the requested one.
    SamlLoaTooLow = 711, LoginGovPl, "level of assurance too low";
    /// An artifact or assertion was used before (replay).
    SamlReplay = 712, LoginGovPl, "replayed artifact or assertion";
    /// No usable bearer subject confirmation.
    SamlSubjectConfirmation = 713, LoginGovPl, "invalid subject confirmation";
    /// A person attribute is missing or invalid.
    SamlAttributeInvalid = 714, LoginGovPl, "missing or invalid person attribute";
    /// The pending-request or replay store failed.
    SamlStore = 715, LoginGovPl, "SAML state store error";

    // 800–899: I/O and transport
    /// Reading or writing a file failed.
    Io = 800, Io, "I/O error";
    /// The URL cannot be used (scheme, host or syntax).
    InvalidUrl = 810, Io, "invalid URL";
    /// No connection could be opened to the server.
    ConnectFailed = 811, Io, "connection failed";
    /// The connection broke during the exchange (reset, closed early, not HTTP/1.1).
    ConnectionLost = 812, Io, "connection lost";
    /// The TLS handshake failed (protocol, alert, malformed message).
    TlsHandshakeFailed = 820, Io, "TLS handshake failed";
    /// The server's TLS certificate does not chain to a trusted root.
    TlsCertificateUntrusted = 821, Io, "server certificate not trusted";
    /// The server's TLS certificate is not valid for the expected server name.
    TlsNameMismatch = 822, Io, "server certificate not valid for the name";
    /// A connect, response or overall timeout ran out.
    Timeout = 830, Io, "timed out";
    /// The server answered with an HTTP status the caller cannot use.
    HttpStatus = 840, Io, "unexpected HTTP status";
    /// The response body is larger than the configured cap.
    ResponseTooLarge = 841, Io, "response too large";
    /// The durable journal (the record of documents sent to ZUS) cannot be read or written, or
    /// refused a step that would lose or duplicate a document.
    Journal = 880, Io, "journal error";

    // 900–999: internal
    /// A bug in ezla: please report it.
    Internal = 900, Internal, "internal error";
    /// A panic was caught at the language boundary (C and Python APIs).
    Panic = 901, Internal, "panic caught at the API boundary";
}

/// The families error codes are grouped in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorFamily {
    /// 1–99: the caller used the API wrongly.
    Usage,
    /// 100–199: the input is not in a format ezla accepts.
    Format,
    /// 200–299: keys and key stores (PKCS#12, PKCS#8, signers).
    Key,
    /// 300–399: certificates and their validity.
    Certificate,
    /// 400–499: XML and CMS signatures.
    Signature,
    /// 500–599: e-ZLA documents.
    Document,
    /// 600–699: the ZUS channel.
    Zus,
    /// 700–799: login.gov.pl.
    LoginGovPl,
    /// 800–899: I/O and transport.
    Io,
    /// 900–999: internal errors.
    Internal,
}

impl ErrorFamily {
    /// Every family, in the order of their numbers.
    pub const ALL: &'static [ErrorFamily] = &[
        ErrorFamily::Usage,
        ErrorFamily::Format,
        ErrorFamily::Key,
        ErrorFamily::Certificate,
        ErrorFamily::Signature,
        ErrorFamily::Document,
        ErrorFamily::Zus,
        ErrorFamily::LoginGovPl,
        ErrorFamily::Io,
        ErrorFamily::Internal,
    ];

    /// The family's name as used in the error table.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorFamily::Usage => "usage",
            ErrorFamily::Format => "format",
            ErrorFamily::Key => "keys",
            ErrorFamily::Certificate => "certificates",
            ErrorFamily::Signature => "signatures",
            ErrorFamily::Document => "e-ZLA documents",
            ErrorFamily::Zus => "ZUS channel",
            ErrorFamily::LoginGovPl => "login.gov.pl",
            ErrorFamily::Io => "I/O",
            ErrorFamily::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

impl From<ErrorCode> for u32 {
    fn from(code: ErrorCode) -> u32 {
        code as u32
    }
}

/// Everything that can go wrong in ezla.
///
/// Variants carry context; [`Error::code`] gives the stable number and [`Error::family`] its
/// family. New variants (and new variants of the family enums) may be added in minor
/// releases, so match with a wildcard arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument is unusable.
    InvalidArgument {
        /// Which argument.
        argument: &'static str,
        /// Why it is unusable.
        reason: String,
    },
    /// Text input is not valid UTF-8.
    InvalidUtf8 {
        /// What was being read.
        what: &'static str,
    },
    /// XML that ezla refuses to read (malformed, a DTD, over a limit).
    Xml(XmlError),
    /// Input in another format that ezla cannot read, or an unsupported algorithm.
    Format(FormatError),
    /// A key, key store or signer that cannot be used.
    Key(KeyError),
    /// A certificate that cannot be used.
    Certificate(CertificateError),
    /// A signature that does not verify, is malformed, or cannot be made.
    Signature(SignatureError),
    /// An e-ZLA document that breaks the rules or is not recognised.
    Document(DocumentError),
    /// ZUS did not do what was asked, or answered with something unexpected.
    Zus(ZusError),
    /// An HTTP exchange failed or its response cannot be used.
    Transport(TransportError),
    /// A login.gov.pl SAML message failed a check, or a SAML store failed.
    Wk(WkError),
    /// Reading or writing a file failed.
    Io {
        /// The file, where known.
        path: Option<PathBuf>,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The durable journal cannot be used, or refused a step.
    Journal {
        /// The journal's file, where there is one.
        path: Option<PathBuf>,
        /// What failed, or why the step was refused.
        detail: String,
    },
    /// A bug in ezla.
    Internal {
        /// What went wrong.
        detail: String,
    },
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidArgument { .. } => ErrorCode::InvalidArgument,
            Error::InvalidUtf8 { .. } => ErrorCode::InvalidUtf8,
            Error::Xml(e) => e.code(),
            Error::Format(e) => e.code(),
            Error::Key(e) => e.code(),
            Error::Certificate(e) => e.code(),
            Error::Signature(e) => e.code(),
            Error::Document(e) => e.code(),
            Error::Zus(e) => e.code(),
            Error::Transport(e) => e.code(),
            Error::Wk(e) => e.code(),
            Error::Io { .. } => ErrorCode::Io,
            Error::Journal { .. } => ErrorCode::Journal,
            Error::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// The family of this error's code.
    pub fn family(&self) -> ErrorFamily {
        self.code().family()
    }

    /// Shorthand for [`FormatError::Malformed`].
    pub fn malformed(format: Format, what: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::Format(FormatError::Malformed {
            format,
            what: what.into(),
            detail: detail.into(),
        })
    }

    /// Shorthand for [`XmlError::Malformed`].
    pub fn xml_malformed(what: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::Xml(XmlError::Malformed {
            what: what.into(),
            detail: detail.into(),
        })
    }

    /// Shorthand for [`FormatError::Unsupported`].
    pub fn unsupported(what: &'static str, name: impl Into<String>) -> Self {
        Error::Format(FormatError::Unsupported {
            what,
            name: name.into(),
        })
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid_argument(argument: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            argument,
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Internal`].
    pub fn internal(detail: impl Into<String>) -> Self {
        Error::Internal {
            detail: detail.into(),
        }
    }

    /// Shorthand for [`Error::Journal`].
    pub fn journal(path: Option<PathBuf>, detail: impl Into<String>) -> Self {
        Error::Journal {
            path,
            detail: detail.into(),
        }
    }

    /// Shorthand for [`Error::Io`] with a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }
}

/// RFC 3339 in whole seconds (the fields keep the exact instant).
fn fmt_time(t: &OffsetDateTime) -> String {
    use time::format_description::well_known::Rfc3339;
    let t = t.replace_nanosecond(0).unwrap_or(*t);
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument { argument, reason } => {
                write!(f, "invalid argument `{argument}`: {reason}")
            }
            Error::InvalidUtf8 { what } => write!(f, "{what} is not valid UTF-8"),
            Error::Xml(e) => e.fmt(f),
            Error::Format(e) => e.fmt(f),
            Error::Key(e) => e.fmt(f),
            Error::Certificate(e) => e.fmt(f),
            Error::Signature(e) => e.fmt(f),
            Error::Document(e) => e.fmt(f),
            Error::Zus(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Wk(e) => e.fmt(f),
            Error::Io { path, source } => match path {
                Some(path) => write!(f, "{}: {source}", path.display()),
                None => write!(f, "I/O error: {source}"),
            },
            Error::Journal { path, detail } => match path {
                Some(path) => write!(f, "journal {}: {detail}", path.display()),
                None => write!(f, "journal: {detail}"),
            },
            Error::Internal { detail } => write!(f, "internal error (please report): {detail}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Self {
        Error::Io { path: None, source }
    }
}

macro_rules! from_family {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Error::$variant(e)
            }
        }
    )*};
}
from_family!(
    Xml(XmlError),
    Format(FormatError),
    Key(KeyError),
    Certificate(CertificateError),
    Signature(SignatureError),
    Document(DocumentError),
    Zus(ZusError),
    Transport(TransportError),
    Wk(WkError),
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_in_their_family_range() {
        let mut previous = 0;
        for &code in ErrorCode::ALL {
            let n = code as u32;
            assert!(n > previous, "{} is out of order or repeated", code.name());
            previous = n;
            assert_eq!(ErrorCode::from_u32(n), Some(code));
            assert!(!code.description().is_empty());
            let range = match code.family() {
                ErrorFamily::Usage => 1..=99,
                ErrorFamily::Format => 100..=199,
                ErrorFamily::Key => 200..=299,
                ErrorFamily::Certificate => 300..=399,
                ErrorFamily::Signature => 400..=499,
                ErrorFamily::Document => 500..=599,
                ErrorFamily::Zus => 600..=699,
                ErrorFamily::LoginGovPl => 700..=799,
                ErrorFamily::Io => 800..=899,
                ErrorFamily::Internal => 900..=999,
            };
            assert!(
                range.contains(&n),
                "{} outside its family range",
                code.name()
            );
        }
        assert_eq!(ErrorCode::from_u32(0), None);
        assert_eq!(ErrorCode::from_u32(999), None);
    }

    #[test]
    fn display_carries_context() {
        let e = Error::Key(KeyError::IterationLimitExceeded {
            what: "MAC",
            iterations: 1_000_000_000,
            limit: 10_000_000,
        });
        assert_eq!(e.code(), ErrorCode::IterationLimitExceeded);
        let text = e.to_string();
        assert!(
            text.contains("1000000000") && text.contains("10000000"),
            "{text}"
        );
        let e = Error::unsupported("PKCS#12 encryption", "1.2.840.113549.1.12.1.1");
        assert!(e.to_string().contains("1.2.840.113549.1.12.1.1"));
    }
}
