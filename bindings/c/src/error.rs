//! Result codes and detailed error objects.

use std::ffi::{CString, c_char};

pub(crate) use crate::text::c_string;

use ezla_core::error::{ErrorFamily, ZusError};
use ezla_core::{Error, ErrorCode};

/// The result of every fallible function: `EZLA_RESULT_OK` (0) on success, otherwise a
/// stable code from `docs/errors.md`. The numbers are the Rust `ezla::ErrorCode` and the
/// Python `EzlaError.code`, and never change once released.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_result {
    /// Success.
    Ok = 0,
    /// Invalid argument (1).
    InvalidArgument = 1,
    /// NULL parameter (2).
    NullParameter = 2,
    /// Output buffer too small (3).
    BufferTooSmall = 3,
    /// Input is not valid UTF-8 (4).
    InvalidUtf8 = 4,
    /// Malformed XML (100).
    XmlMalformed = 100,
    /// DTD or entity declaration refused (101).
    XmlDtdForbidden = 101,
    /// XML limit exceeded (102).
    XmlLimitExceeded = 102,
    /// Malformed DER (110).
    DerMalformed = 110,
    /// Malformed PEM (111).
    PemMalformed = 111,
    /// Malformed base64 (112).
    Base64Malformed = 112,
    /// Malformed JSON (113).
    JsonMalformed = 113,
    /// Unrecognised format (114).
    UnknownFormat = 114,
    /// Unsupported algorithm or feature (120).
    Unsupported = 120,
    /// Wrong password (200).
    BadPassword = 200,
    /// PKCS#12 integrity check failed (201).
    MacMismatch = 201,
    /// Corrupt PKCS#12 file (202).
    Pkcs12Corrupt = 202,
    /// Iteration count above the configured limit (203).
    IterationLimitExceeded = 203,
    /// No private key (204).
    NoPrivateKey = 204,
    /// No certificate (205).
    NoCertificate = 205,
    /// Certificate does not match the key (206).
    KeyCertificateMismatch = 206,
    /// Unsupported key type or size (207).
    UnsupportedKey = 207,
    /// Signing failed (208).
    SigningFailed = 208,
    /// PKCS#12 file has no integrity protection (209).
    Pkcs12Unprotected = 209,
    /// Not a usable PKCS#11 module (220).
    Pkcs11ModuleInvalid = 220,
    /// Token not found (221).
    TokenNotFound = 221,
    /// Key not found on the token (222).
    TokenKeyNotFound = 222,
    /// No certificate for the token key (223).
    TokenCertificateNotFound = 223,
    /// Wrong PIN (224).
    PinIncorrect = 224,
    /// PIN locked (225).
    PinLocked = 225,
    /// No PIN given (226).
    PinUnavailable = 226,
    /// Token removed (227).
    TokenRemoved = 227,
    /// Token operation failed (228).
    TokenFailed = 228,
    /// Certificate expired (300).
    CertificateExpired = 300,
    /// Certificate not yet valid (301).
    CertificateNotYetValid = 301,
    /// Certificate not trusted (302).
    CertificateUntrusted = 302,
    /// Invalid certificate chain (303).
    CertificateChainInvalid = 303,
    /// Unknown critical extension (304).
    UnknownCriticalExtension = 304,
    /// Key usage does not allow this use (305).
    CertificateKeyUsage = 305,
    /// Certificate revoked (306).
    CertificateRevoked = 306,
    /// CRL of another issuer (307).
    CrlIssuerMismatch = 307,
    /// CRL signature invalid (308).
    CrlSignatureInvalid = 308,
    /// CRL out of date (309).
    CrlExpired = 309,
    /// CRL not yet valid (310).
    CrlNotYetValid = 310,
    /// Revocation status unknown (311).
    RevocationUnknown = 311,
    /// Invalid signature value (400).
    SignatureInvalid = 400,
    /// Digest mismatch (401).
    DigestMismatch = 401,
    /// No signature (402).
    SignatureMissing = 402,
    /// More than one signature (403).
    SignatureAmbiguous = 403,
    /// Signature does not cover the expected element (404).
    ReferenceMismatch = 404,
    /// Duplicate ID (405).
    DuplicateId = 405,
    /// No verification key (406).
    KeyNotFound = 406,
    /// Malformed signature (407).
    SignatureMalformed = 407,
    /// Invalid XAdES signed properties (410).
    XadesPropertiesInvalid = 410,
    /// SigningCertificate does not match the signer (411).
    SigningCertificateMismatch = 411,
    /// Invalid signing time (412).
    SigningTimeInvalid = 412,
    /// Document already signed (413).
    AlreadySigned = 413,
    /// Unsigned content in the signature (414).
    UnsignedContent = 414,
    /// Time-stamp request refused by the TSA (420).
    TimestampRejected = 420,
    /// Time-stamp does not match (421).
    TimestampMismatch = 421,
    /// Not a time-stamping certificate (422).
    TsaCertificateInvalid = 422,
    /// Invalid e-ZLA document (500).
    DocumentInvalid = 500,
    /// Not a recognised e-ZLA document (501).
    DocumentMalformed = 501,
    /// SOAP Fault from ZUS (600).
    ZusFault = 600,
    /// ZUS session expired or unknown (601).
    ZusSessionExpired = 601,
    /// ZUS refused the request (602).
    ZusRejected = 602,
    /// ZUS refused the login (603).
    ZusLoginRefused = 603,
    /// ZUS validation refused the documents (604).
    ZusValidationRefused = 604,
    /// Daily limit of patient look-ups reached (605).
    ZusDailyLimitExceeded = 605,
    /// Malformed ZUS response (606).
    ZusResponseMalformed = 606,
    /// ZUS did not accept the documents sent (607).
    ZusSendRefused = 607,
    /// ZUS does not allow the action (608).
    ZusNotAllowed = 608,
    /// Non-success SAML status from login.gov.pl (700).
    SamlStatus = 700,
    /// Malformed SAML message (701).
    SamlMalformed = 701,
    /// Unexpected SAML issuer (702).
    SamlIssuerMismatch = 702,
    /// InResponseTo does not match the request (703).
    SamlInResponseToMismatch = 703,
    /// Unknown or expired login request (704).
    SamlUnknownRequest = 704,
    /// Assertion decryption failed (705).
    SamlDecryptionFailed = 705,
    /// Unencrypted assertion (706).
    SamlUnencryptedAssertion = 706,
    /// Unexpected content in a SAML message (707).
    SamlUnexpectedContent = 707,
    /// Recipient is not the ACS URL (708).
    SamlRecipientMismatch = 708,
    /// SAML message expired or not yet valid (709).
    SamlExpired = 709,
    /// Assertion audience mismatch (710).
    SamlAudienceMismatch = 710,
    /// Level of assurance too low (711).
    SamlLoaTooLow = 711,
    /// Replayed artifact or assertion (712).
    SamlReplay = 712,
    /// Invalid subject confirmation (713).
    SamlSubjectConfirmation = 713,
    /// Missing or invalid person attribute (714).
    SamlAttributeInvalid = 714,
    /// SAML state store error (715).
    SamlStore = 715,
    /// I/O error (800).
    Io = 800,
    /// Invalid URL (810).
    InvalidUrl = 810,
    /// Connection failed (811).
    ConnectFailed = 811,
    /// Connection lost (812).
    ConnectionLost = 812,
    /// TLS handshake failed (820).
    TlsHandshakeFailed = 820,
    /// Server certificate not trusted (821).
    TlsCertificateUntrusted = 821,
    /// Server certificate not valid for the name (822).
    TlsNameMismatch = 822,
    /// Timed out (830).
    Timeout = 830,
    /// Unexpected HTTP status (840).
    HttpStatus = 840,
    /// Response too large (841).
    ResponseTooLarge = 841,
    /// Journal error (880).
    Journal = 880,
    /// Internal error (900).
    Internal = 900,
    /// Panic caught at the API boundary (901).
    Panic = 901,
}

impl From<ErrorCode> for ezla_result {
    fn from(code: ErrorCode) -> Self {
        ezla_result::from_u32(code as u32).unwrap_or(ezla_result::Internal)
    }
}

impl ezla_result {
    /// The variant for a number, if assigned.
    pub(crate) fn from_u32(n: u32) -> Option<Self> {
        if n == 0 {
            return Some(ezla_result::Ok);
        }
        ALL.iter().copied().find(|r| *r as u32 == n)
    }
}

/// Every non-OK result, for the consistency test with the core's `ErrorCode`.
pub(crate) const ALL: &[ezla_result] = &[
    ezla_result::InvalidArgument,
    ezla_result::NullParameter,
    ezla_result::BufferTooSmall,
    ezla_result::InvalidUtf8,
    ezla_result::XmlMalformed,
    ezla_result::XmlDtdForbidden,
    ezla_result::XmlLimitExceeded,
    ezla_result::DerMalformed,
    ezla_result::PemMalformed,
    ezla_result::Base64Malformed,
    ezla_result::JsonMalformed,
    ezla_result::UnknownFormat,
    ezla_result::Unsupported,
    ezla_result::BadPassword,
    ezla_result::MacMismatch,
    ezla_result::Pkcs12Corrupt,
    ezla_result::IterationLimitExceeded,
    ezla_result::NoPrivateKey,
    ezla_result::NoCertificate,
    ezla_result::KeyCertificateMismatch,
    ezla_result::UnsupportedKey,
    ezla_result::SigningFailed,
    ezla_result::Pkcs12Unprotected,
    ezla_result::Pkcs11ModuleInvalid,
    ezla_result::TokenNotFound,
    ezla_result::TokenKeyNotFound,
    ezla_result::TokenCertificateNotFound,
    ezla_result::PinIncorrect,
    ezla_result::PinLocked,
    ezla_result::PinUnavailable,
    ezla_result::TokenRemoved,
    ezla_result::TokenFailed,
    ezla_result::CertificateExpired,
    ezla_result::CertificateNotYetValid,
    ezla_result::CertificateUntrusted,
    ezla_result::CertificateChainInvalid,
    ezla_result::UnknownCriticalExtension,
    ezla_result::CertificateKeyUsage,
    ezla_result::CertificateRevoked,
    ezla_result::CrlIssuerMismatch,
    ezla_result::CrlSignatureInvalid,
    ezla_result::CrlExpired,
    ezla_result::CrlNotYetValid,
    ezla_result::RevocationUnknown,
    ezla_result::SignatureInvalid,
    ezla_result::DigestMismatch,
    ezla_result::SignatureMissing,
    ezla_result::SignatureAmbiguous,
    ezla_result::ReferenceMismatch,
    ezla_result::DuplicateId,
    ezla_result::KeyNotFound,
    ezla_result::SignatureMalformed,
    ezla_result::XadesPropertiesInvalid,
    ezla_result::SigningCertificateMismatch,
    ezla_result::SigningTimeInvalid,
    ezla_result::AlreadySigned,
    ezla_result::UnsignedContent,
    ezla_result::TimestampRejected,
    ezla_result::TimestampMismatch,
    ezla_result::TsaCertificateInvalid,
    ezla_result::DocumentInvalid,
    ezla_result::DocumentMalformed,
    ezla_result::ZusFault,
    ezla_result::ZusSessionExpired,
    ezla_result::ZusRejected,
    ezla_result::ZusLoginRefused,
    ezla_result::ZusValidationRefused,
    ezla_result::ZusDailyLimitExceeded,
    ezla_result::ZusResponseMalformed,
    ezla_result::ZusSendRefused,
    ezla_result::ZusNotAllowed,
    ezla_result::SamlStatus,
    ezla_result::SamlMalformed,
    ezla_result::SamlIssuerMismatch,
    ezla_result::SamlInResponseToMismatch,
    ezla_result::SamlUnknownRequest,
    ezla_result::SamlDecryptionFailed,
    ezla_result::SamlUnencryptedAssertion,
    ezla_result::SamlUnexpectedContent,
    ezla_result::SamlRecipientMismatch,
    ezla_result::SamlExpired,
    ezla_result::SamlAudienceMismatch,
    ezla_result::SamlLoaTooLow,
    ezla_result::SamlReplay,
    ezla_result::SamlSubjectConfirmation,
    ezla_result::SamlAttributeInvalid,
    ezla_result::SamlStore,
    ezla_result::Io,
    ezla_result::InvalidUrl,
    ezla_result::ConnectFailed,
    ezla_result::ConnectionLost,
    ezla_result::TlsHandshakeFailed,
    ezla_result::TlsCertificateUntrusted,
    ezla_result::TlsNameMismatch,
    ezla_result::Timeout,
    ezla_result::HttpStatus,
    ezla_result::ResponseTooLarge,
    ezla_result::Journal,
    ezla_result::Internal,
    ezla_result::Panic,
];

/// A detailed error: the code plus a message naming what went wrong (which file, field,
/// reference or certificate). Created by fallible functions when their `err_out` argument is
/// not NULL; free with [`ezla_error_free`]. Not thread-safe to free while another thread reads
/// it; otherwise immutable.
pub struct ezla_error {
    code: ezla_result,
    message: CString,
    /// ZUS's own code and text, for the ZUS errors that carry them.
    zus: Option<(CString, CString)>,
    /// ZUS's findings, for a refused validation or send.
    findings: Option<crate::records::ezla_zus_records>,
}

impl ezla_error {
    pub(crate) fn from_error(e: &Error) -> Self {
        let zus = match e {
            Error::Zus(z) => z
                .zus_code_and_text()
                .map(|(code, text)| (c_string(code), c_string(text))),
            _ => None,
        };
        let findings = match e {
            Error::Zus(
                ZusError::ValidationRefused { bledy, .. } | ZusError::SendRefused { bledy, .. },
            ) => Some(crate::records::ezla_zus_records::new(
                bledy.iter().map(crate::records::finding).collect(),
            )),
            _ => None,
        };
        ezla_error {
            code: e.code().into(),
            message: c_string(&e.to_string()),
            zus,
            findings,
        }
    }

    pub(crate) fn new(code: ezla_result, message: &str) -> Self {
        ezla_error {
            code,
            message: c_string(message),
            zus: None,
            findings: None,
        }
    }
}

/// The error's code.
///
/// Returns `EZLA_RESULT_NULL_PARAMETER` when `err` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_error_code(err: *const ezla_error) -> ezla_result {
    // SAFETY: NULL is checked; otherwise the caller passes a live error object.
    match unsafe { err.as_ref() } {
        Some(e) => e.code,
        None => ezla_result::NullParameter,
    }
}

/// The error's message: NUL-terminated UTF-8, valid until [`ezla_error_free`].
///
/// Returns NULL when `err` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_error_message(err: *const ezla_error) -> *const c_char {
    // SAFETY: NULL is checked; otherwise the caller passes a live error object.
    match unsafe { err.as_ref() } {
        Some(e) => e.message.as_ptr(),
        None => std::ptr::null(),
    }
}

/// ZUS's own error code, verbatim (`KodBledu`, or a SOAP Fault's `faultcode`), for an
/// error of the ZUS family that carries one (a Fault, a refused request or login, the
/// daily limit): NUL-terminated UTF-8, valid until [`ezla_error_free`]. NULL for other
/// errors and when `err` is NULL. A refused validation or send lists ZUS's findings in
/// the message instead.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_error_zus_code(err: *const ezla_error) -> *const c_char {
    // SAFETY: NULL is checked; otherwise the caller passes a live error object.
    match unsafe { err.as_ref() }.and_then(|e| e.zus.as_ref()) {
        Some((code, _)) => code.as_ptr(),
        None => std::ptr::null(),
    }
}

/// ZUS's own error text, verbatim (`OpisBledu`, or a SOAP Fault's `faultstring`), where
/// [`ezla_error_zus_code`] gives a code: NUL-terminated UTF-8, valid until
/// [`ezla_error_free`]. NULL otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_error_zus_text(err: *const ezla_error) -> *const c_char {
    // SAFETY: NULL is checked; otherwise the caller passes a live error object.
    match unsafe { err.as_ref() }.and_then(|e| e.zus.as_ref()) {
        Some((_, text)) => text.as_ptr(),
        None => std::ptr::null(),
    }
}

/// Every finding of ZUS's validation, errors and warnings in ZUS's order, for an
/// `EZLA_RESULT_ZUS_VALIDATION_REFUSED` or `EZLA_RESULT_ZUS_SEND_REFUSED` error: records
/// with the fields `rodzaj` (`"BLAD"` or `"OSTRZEZENIE"`), `kod` (ZUS's `KodBledu`, e.g.
/// `"185"`), `opis` (ZUS's `OpisBledu`, verbatim), `lokalizacja` (where in the document,
/// when ZUS says) and `nr_ref` (the documents' references, joined by `","`). Borrowed:
/// valid until [`ezla_error_free`], never freed with `ezla_zus_records_free`. NULL for
/// other errors and when `err` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_error_zus_findings(
    err: *const ezla_error,
) -> *const crate::records::ezla_zus_records {
    // SAFETY: NULL is checked; otherwise the caller passes a live error object.
    match unsafe { err.as_ref() }.and_then(|e| e.findings.as_ref()) {
        Some(f) => f,
        None => std::ptr::null(),
    }
}

/// Frees an error object. `ezla_error_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_error_free(err: *mut ezla_error) {
    if !err.is_null() {
        // SAFETY: the pointer came from Box::into_raw in this library and is freed once.
        drop(unsafe { Box::from_raw(err) });
    }
}

/// A static, NUL-terminated description of a result code ("wrong password"); a generic
/// text for numbers that are not assigned. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_result_description(result: u32) -> *const c_char {
    match result {
        0 => c"success".as_ptr(),
        n => match ErrorCode::from_u32(n) {
            Some(code) => DESCRIPTIONS
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, d)| d.as_ptr())
                .unwrap_or(c"unknown result code".as_ptr()),
            None => c"unknown result code".as_ptr(),
        },
    }
}

/// A static, NUL-terminated name of a result code in the error table (`"BadPassword"`);
/// `"Ok"` for 0 and `"Unknown"` for numbers that are not assigned. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_result_name(result: u32) -> *const c_char {
    match result {
        0 => c"Ok".as_ptr(),
        n => match ErrorCode::from_u32(n) {
            Some(code) => NAMES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, d)| d.as_ptr())
                .unwrap_or(c"Unknown".as_ptr()),
            None => c"Unknown".as_ptr(),
        },
    }
}

/// The family an error code belongs to: the hundreds of `docs/errors.md`, the same grouping
/// as the Rust `ezla::ErrorFamily` and the Python exception classes. Returned as a
/// `uint32_t` by `ezla_result_family`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_error_family {
    /// Not an error: `EZLA_RESULT_OK`, or a number that is not assigned.
    None = 0,
    /// 1–99: the caller used the API wrongly.
    Usage = 1,
    /// 100–199: the input is not in a format ezla accepts, or uses something unsupported.
    Format = 2,
    /// 200–299: keys and key stores (PKCS#12, PKCS#8, signers).
    Key = 3,
    /// 300–399: certificates and their validity.
    Certificate = 4,
    /// 400–499: XML and CMS signatures.
    Signature = 5,
    /// 500–599: e-ZLA documents.
    Document = 6,
    /// 600–699: the ZUS channel.
    Zus = 7,
    /// 700–799: login.gov.pl.
    LoginGovPl = 8,
    /// 800–899: I/O and transport.
    Io = 9,
    /// 900–999: internal errors.
    Internal = 10,
}

impl ezla_error_family {
    /// The C family of a core family. The core's enum is non-exhaustive, hence the wildcard;
    /// a test checks that every family in `ErrorFamily::ALL` has a C value of its own.
    fn of_family(family: ErrorFamily) -> Self {
        match family {
            ErrorFamily::Usage => Self::Usage,
            ErrorFamily::Format => Self::Format,
            ErrorFamily::Key => Self::Key,
            ErrorFamily::Certificate => Self::Certificate,
            ErrorFamily::Signature => Self::Signature,
            ErrorFamily::Document => Self::Document,
            ErrorFamily::Zus => Self::Zus,
            ErrorFamily::LoginGovPl => Self::LoginGovPl,
            ErrorFamily::Io => Self::Io,
            ErrorFamily::Internal => Self::Internal,
            _ => Self::Internal,
        }
    }

    fn of_result(result: u32) -> Self {
        ErrorCode::from_u32(result).map_or(Self::None, |c| Self::of_family(c.family()))
    }
}

/// The family of a result code (an `ezla_error_family` value): `EZLA_ERROR_FAMILY_NONE`
/// for `EZLA_RESULT_OK` and for numbers that are not assigned. The grouping comes from the
/// core (`ezla::ErrorCode::family`), as do the `ezla_result_is_*` helpers below.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_result_family(result: u32) -> u32 {
    ezla_error_family::of_result(result) as u32
}

/// Whether a result is an error of the certificate family (300–399): expired, not yet
/// valid, untrusted, an invalid chain. False for numbers that are not assigned.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_result_is_certificate_error(result: u32) -> bool {
    ezla_error_family::of_result(result) == ezla_error_family::Certificate
}

/// Whether a result is an error of the e-ZLA document family (500–599: an invalid or
/// unrecognised document). False for numbers that are not assigned.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_result_is_document_error(result: u32) -> bool {
    ezla_error_family::of_result(result) == ezla_error_family::Document
}

/// Whether a result is an error of the signature family (400–499). False for numbers that
/// are not assigned.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_result_is_signature_error(result: u32) -> bool {
    ezla_error_family::of_result(result) == ezla_error_family::Signature
}

/// The table name of a result number (`"SigningFailed"`), `"Ok"` or `"Unknown"`.
pub(crate) fn result_name(n: u32) -> &'static str {
    match n {
        0 => "Ok",
        n => ErrorCode::from_u32(n).map_or("Unknown", |c| c.name()),
    }
}

macro_rules! static_texts {
    ($name:ident, $f:ident) => {
        static $name: std::sync::LazyLock<Vec<(ErrorCode, CString)>> =
            std::sync::LazyLock::new(|| {
                ErrorCode::ALL
                    .iter()
                    .map(|c| (*c, c_string(c.$f())))
                    .collect()
            });
    };
}
static_texts!(DESCRIPTIONS, description);
static_texts!(NAMES, name);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_a_c_result_with_the_same_number() {
        for &code in ErrorCode::ALL {
            let r = ezla_result::from_u32(code as u32)
                .unwrap_or_else(|| panic!("{} ({}) has no ezla_result", code.name(), code as u32));
            assert_eq!(format!("{r:?}"), code.name());
        }
        for &r in ALL {
            assert!(
                ErrorCode::from_u32(r as u32).is_some(),
                "{r:?} is not a core code"
            );
        }
        assert_eq!(ALL.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn families_come_from_the_core() {
        assert_eq!(ezla_result_family(0), ezla_error_family::None as u32);
        assert_eq!(ezla_result_family(399), ezla_error_family::None as u32);
        let mut seen = std::collections::HashSet::new();
        // (by number: the C enum derives no Hash)
        for &family in ErrorFamily::ALL {
            let c = ezla_error_family::of_family(family);
            assert_ne!(c, ezla_error_family::None);
            assert!(seen.insert(c as u32), "{family:?} shares a C family");
        }
        for &code in ErrorCode::ALL {
            let n = code as u32;
            assert_eq!(
                ezla_result_family(n),
                ezla_error_family::of_family(code.family()) as u32
            );
            assert_eq!(
                ezla_result_is_certificate_error(n),
                code.family() == ErrorFamily::Certificate
            );
            assert_eq!(
                ezla_result_is_signature_error(n),
                code.family() == ErrorFamily::Signature
            );
            assert_eq!(
                ezla_result_is_document_error(n),
                code.family() == ErrorFamily::Document
            );
        }
    }
}
