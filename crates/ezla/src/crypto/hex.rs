//! Hexadecimal text. ezla's API (certificate fingerprints, the verification report, the C and
//! Python bindings, JSON output) uses one form: lower case, no separators. The colon-separated
//! upper case that OpenSSL prints ([`colon_upper`]) is for display to people only.

/// Lower-case hex without separators: the API form (`"9f86d0…"`).
pub fn lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Upper-case hex without separators (`#`-hex values of distinguished names, serials).
pub fn upper(bytes: &[u8]) -> String {
    lower(bytes).to_ascii_uppercase()
}

/// Upper-case hex pairs separated by colons, as OpenSSL prints fingerprints (`"9F:86:D0…"`):
/// for display only.
pub fn colon_upper(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, pair) in upper(bytes).as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.extend(pair.iter().map(|&c| char::from(c)));
    }
    out
}

/// Hex text (either case, no separators) back to bytes; `None` unless it is an even number
/// of hex digits.
pub fn try_decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

/// Test vectors written as hex, whitespace allowed (`"30 0a 02 01"`).
///
/// # Panics
///
/// On text that is not an even number of hex digits: for literals in tests only.
#[cfg(test)]
pub(crate) fn decode(text: &str) -> Vec<u8> {
    let digits: String = text.split_whitespace().collect();
    assert!(digits.len().is_multiple_of(2), "odd number of hex digits");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digits"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_agree() {
        let bytes = [0x00, 0x9f, 0xa0, 0xff];
        assert_eq!(lower(&bytes), "009fa0ff");
        assert_eq!(upper(&bytes), "009FA0FF");
        assert_eq!(colon_upper(&bytes), "00:9F:A0:FF");
        assert_eq!(colon_upper(&[]), "");
        assert_eq!(decode("00 9f\nA0ff"), bytes);
        assert_eq!(try_decode("009FA0ff"), Some(bytes.to_vec()));
        assert_eq!(try_decode(""), Some(vec![]));
        assert_eq!(try_decode("0"), None);
        assert_eq!(try_decode("0g"), None);
        assert_eq!(try_decode("é0"), None);
    }
}
