//! Input that is not in a format ezla accepts: malformed or refused XML, malformed DER, PEM,
//! base64 or JSON, unknown formats, unsupported algorithms (codes 100–199).
//!
//! XML has its own enum, [`XmlError`], because the XML layer raises it for every consumer
//! (e-ZLA documents, signatures, and later SOAP envelopes and SAML messages) and callers branch
//! on "refused" (a DTD, a limit) versus "malformed".

use std::fmt;

use super::ErrorCode;

/// XML that ezla refuses to read.
#[derive(Debug)]
#[non_exhaustive]
pub enum XmlError {
    /// The XML is not well-formed.
    Malformed {
        /// What was being read ("document", "SignedInfo", "XPath expression", ...).
        what: String,
        /// What is wrong, with a byte offset where known.
        detail: String,
    },
    /// The XML carries a DOCTYPE, an entity declaration or an external reference.
    DtdForbidden {
        /// Byte offset of the construct, where known.
        offset: Option<usize>,
    },
    /// The XML exceeds a configured limit.
    LimitExceeded {
        /// Which limit ("size", "depth", "nodes", "attributes").
        limit: &'static str,
        /// The configured maximum.
        max: usize,
    },
}

impl XmlError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            XmlError::Malformed { .. } => ErrorCode::XmlMalformed,
            XmlError::DtdForbidden { .. } => ErrorCode::XmlDtdForbidden,
            XmlError::LimitExceeded { .. } => ErrorCode::XmlLimitExceeded,
        }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Malformed { what, detail } => write!(f, "malformed XML in {what}: {detail}"),
            XmlError::DtdForbidden { offset } => {
                f.write_str(
                    "XML with a DOCTYPE, entity declaration or external reference is refused",
                )?;
                if let Some(offset) = offset {
                    write!(f, " (at byte {offset})")?;
                }
                Ok(())
            }
            XmlError::LimitExceeded { limit, max } => {
                write!(f, "XML exceeds the {limit} limit of {max}")
            }
        }
    }
}

/// Input in a binary or text format other than XML that ezla cannot read.
#[derive(Debug)]
#[non_exhaustive]
pub enum FormatError {
    /// Malformed input in one of the accepted formats.
    Malformed {
        /// The format, which also selects the error code.
        format: Format,
        /// What was being read ("certificate", "PKCS#12 file", ...).
        what: String,
        /// What is wrong, with a byte offset or line where known.
        detail: String,
    },
    /// The data is in none of the formats accepted here.
    Unknown {
        /// What was being read.
        what: String,
        /// The formats that would have been accepted.
        expected: &'static str,
    },
    /// An algorithm, transform or feature that ezla does not support.
    Unsupported {
        /// The kind of thing ("PKCS#12 encryption", "signature method", "transform").
        what: &'static str,
        /// Its identifier: an OID (with its name when known) or a URI.
        name: String,
    },
}

impl FormatError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            FormatError::Malformed { format, .. } => format.code(),
            FormatError::Unknown { .. } => ErrorCode::UnknownFormat,
            FormatError::Unsupported { .. } => ErrorCode::Unsupported,
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Malformed {
                format,
                what,
                detail,
            } => write!(f, "malformed {} in {what}: {detail}", format.name()),
            FormatError::Unknown { what, expected } => {
                write!(
                    f,
                    "{what} is not in a recognised format (expected {expected})"
                )
            }
            FormatError::Unsupported { what, name } => write!(f, "unsupported {what}: {name}"),
        }
    }
}

/// The formats named by [`FormatError::Malformed`] (XML has [`XmlError::Malformed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// DER / ASN.1.
    Der,
    /// PEM armour.
    Pem,
    /// Base64 text.
    Base64,
    /// JSON.
    Json,
}

impl Format {
    fn code(self) -> ErrorCode {
        match self {
            Format::Der => ErrorCode::DerMalformed,
            Format::Pem => ErrorCode::PemMalformed,
            Format::Base64 => ErrorCode::Base64Malformed,
            Format::Json => ErrorCode::JsonMalformed,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Der => "DER",
            Format::Pem => "PEM",
            Format::Base64 => "base64",
            Format::Json => "JSON",
        }
    }
}
