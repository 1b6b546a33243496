//! PEM armour (RFC 7468): reading every block of a text, and writing one.
//!
//! Reading is strict inside a block (the base64 must be valid, the `END` line must match the
//! `BEGIN` line) and tolerant outside blocks: explanatory text, such as the `Bag Attributes`
//! lines `openssl pkcs12` prints, is skipped, as RFC 7468 §5.2 allows.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::error::Format;
use crate::error::FormatError;
use crate::{Error, Result};

/// One decoded PEM block.
#[derive(Clone, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN ` and `-----` (`CERTIFICATE`, `ENCRYPTED PRIVATE KEY`, ...).
    pub label: String,
    /// The decoded contents (zeroized on drop: the block may be a private key).
    pub der: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for PemBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the contents: the block may be a private key.
        f.debug_struct("PemBlock")
            .field("label", &self.label)
            .field("len", &self.der.len())
            .finish()
    }
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// Whether `data` looks like PEM text (contains a `-----BEGIN ` line).
pub fn is_pem(data: &[u8]) -> bool {
    memchr::memmem::find(data, BEGIN.as_bytes()).is_some()
}

/// Decodes every PEM block in `data`; `what` names the input in errors.
///
/// Fails with [`FormatError::Malformed`] (format PEM) on text that is not UTF-8, a `BEGIN` line
/// without its `END`, invalid base64 inside a block, or when there is no block at all; and
/// with [`FormatError::Unsupported`] on the legacy OpenSSL encryption headers (`Proc-Type`).
pub fn decode_all(data: &[u8], what: &str) -> Result<Vec<PemBlock>> {
    let text = std::str::from_utf8(data)
        .map_err(|e| Error::malformed(Format::Pem, what, format!("not UTF-8 text ({e})")))?;
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix(BEGIN) else {
            continue;
        };
        let label = rest.strip_suffix(DASHES).ok_or_else(|| {
            Error::malformed(
                Format::Pem,
                what,
                format!("line {}: malformed BEGIN line", number + 1),
            )
        })?;
        let end_line = format!("{END}{label}{DASHES}");
        let mut body = Zeroizing::new(String::new());
        let mut closed = false;
        for (inner, line) in lines.by_ref() {
            let line = line.trim();
            if line == end_line {
                closed = true;
                break;
            }
            if line.starts_with(BEGIN) || line.starts_with(END) {
                return Err(Error::malformed(
                    Format::Pem,
                    what,
                    format!(
                        "line {}: expected `{end_line}` for the block opened on line {}",
                        inner + 1,
                        number + 1
                    ),
                ));
            }
            if line.starts_with("Proc-Type:") || line.starts_with("DEK-Info:") {
                return Err(Error::Format(FormatError::Unsupported {
                    what: "PEM encryption",
                    name: "legacy OpenSSL PEM encryption (Proc-Type/DEK-Info); convert the key \
                           to encrypted PKCS#8 (`openssl pkcs8 -topk8`)"
                        .into(),
                }));
            }
            body.push_str(line);
        }
        if !closed {
            return Err(Error::malformed(
                Format::Pem,
                what,
                format!(
                    "no `{end_line}` for the block opened on line {}",
                    number + 1
                ),
            ));
        }
        let der = Zeroizing::new(STANDARD.decode(body.as_bytes()).map_err(|e| {
            Error::malformed(
                Format::Pem,
                what,
                format!(
                    "invalid base64 in the {label} block opened on line {}: {e}",
                    number + 1
                ),
            )
        })?);
        if der.is_empty() {
            return Err(Error::malformed(
                Format::Pem,
                what,
                format!("the {label} block opened on line {} is empty", number + 1),
            ));
        }
        blocks.push(PemBlock {
            label: label.to_string(),
            der,
        });
    }
    if blocks.is_empty() {
        return Err(Error::malformed(Format::Pem, what, "no PEM block found"));
    }
    Ok(blocks)
}

/// Encodes `der` as one PEM block with 64-column lines and LF line endings.
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    out.push_str(BEGIN);
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        // base64 output is ASCII.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(END);
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn round_trip_and_explanatory_text() {
        let der: Vec<u8> = (0..=255u8).collect();
        let one = encode("CERTIFICATE", &der);
        let text = format!("Bag Attributes\n    friendlyName: x\n{one}\nsubject=...\n{one}");
        let blocks = decode_all(text.as_bytes(), "test").expect("decode");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(*blocks[1].der, der);
        assert!(is_pem(text.as_bytes()));
        assert!(!is_pem(&der));
        // CRLF line endings are fine.
        let crlf = one.replace('\n', "\r\n");
        assert_eq!(*decode_all(crlf.as_bytes(), "t").expect("crlf")[0].der, der);
    }

    #[test]
    fn garbage_is_a_pem_error() {
        let good = encode("CERTIFICATE", b"\x30\x00");
        let cases: Vec<(String, ErrorCode)> = vec![
            ("no pem here".into(), ErrorCode::PemMalformed),
            (good.replace("MAA=", "M!A="), ErrorCode::PemMalformed),
            (good.replace("-----END CERTIFICATE-----\n", ""), ErrorCode::PemMalformed),
            (
                good.replace("END CERTIFICATE", "END PRIVATE KEY"),
                ErrorCode::PemMalformed,
            ),
            (
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".into(),
                ErrorCode::PemMalformed,
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"
                    .into(),
                ErrorCode::Unsupported,
            ),
        ];
        for (text, code) in cases {
            let err = decode_all(text.as_bytes(), "test").expect_err(&text);
            assert_eq!(err.code(), code, "{text}: {err}");
        }
        let err = decode_all(b"\xff\xfe-----BEGIN X-----", "test").expect_err("binary");
        assert_eq!(err.code(), ErrorCode::PemMalformed);
    }
}
