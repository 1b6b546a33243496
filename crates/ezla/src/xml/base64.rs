//! Base64 as XML carries it (`xs:base64Binary`: `DigestValue`, `X509Certificate`, SOAP and
//! SAML payloads).

use base64::Engine as _;

use crate::error::Format;
use crate::{Error, Result};

/// Decodes base64 text as XML carries it: line breaks and spaces between the characters are
/// allowed (XML-DSig and most producers wrap at 64 or 76 columns). `what` names the element
/// in the error.
pub fn decode(what: &str, text: &str) -> Result<Vec<u8>> {
    let engine = &base64::engine::general_purpose::STANDARD;
    let bytes = text.as_bytes();
    let result = if bytes.iter().any(u8::is_ascii_whitespace) {
        let compact: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        engine.decode(compact)
    } else {
        engine.decode(bytes)
    };
    result.map_err(|e| Error::malformed(Format::Base64, what, e.to_string()))
}

/// Encodes bytes as base64 on one line (no line breaks), as ezla writes it everywhere.
pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_whitespace() {
        assert_eq!(encode(b"ezla"), "ZXpsYQ==");
        assert_eq!(decode("x", "ZXps\n YQ==\r\n").expect("decodes"), b"ezla");
        let e = decode("DigestValue", "ZXpsYQ=").expect_err("bad padding");
        assert_eq!(e.code(), crate::ErrorCode::Base64Malformed);
        assert!(e.to_string().contains("DigestValue"), "{e}");
    }
}
