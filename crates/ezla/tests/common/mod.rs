//! Helpers shared by the integration tests of the `ezla` crate.
#![allow(dead_code)] // each test binary uses a different subset

/// `../shared/vectors` beside the repository, or `$EZLA_VECTORS`; `None` (with a printed
/// notice) when absent (the one definition, shared with the unit and interop tests).
pub(crate) use ezla_vectors::vectors_dir;

/// The DER inside the first PEM block of `bytes`.
pub(crate) fn pem_decode(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("-----BEGIN")?;
    let body_start = text[start..].find('\n')? + start + 1;
    let end = text[body_start..].find("-----END")? + body_start;
    let b64: String = text[body_start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}
