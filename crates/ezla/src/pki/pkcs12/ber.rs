//! BER to DER normalisation for PKCS#12 input.
//!
//! Some tools (NSS/Firefox, old Windows and Java versions) write PKCS#12 files in BER:
//! indefinite lengths, constructed OCTET STRINGs split into segments, non-minimal lengths.
//! The `der` crate reads DER only, so each layer of a PKCS#12 file is normalised first:
//! definite minimal lengths, constructed string types joined into one primitive value.
//! Contents of primitive values are copied verbatim, so a certificate inside a bag keeps its
//! exact bytes and the MAC is computed over the same octets the writer used.
//!
//! The parser is iterative over siblings and recursive over nesting, with a depth limit;
//! every declared length is checked against the input before use, so truncated or hostile
//! input fails cleanly.

use zeroize::Zeroizing;

use crate::pki::encode::push_len;

/// Deepest nesting accepted. PKCS#12 layers are shallow (about 8 levels per layer).
const MAX_DEPTH: usize = 40;

/// Why BER input could not be normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BerError(pub(crate) String);

impl std::fmt::Display for BerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, BerError> {
    Err(BerError(msg.into()))
}

/// Rewrites one BER element covering all of `input` as DER. Output is zeroized on drop, as
/// it may hold decrypted key material.
pub(crate) fn to_der(input: &[u8]) -> Result<Zeroizing<Vec<u8>>, BerError> {
    let mut out = Zeroizing::new(Vec::with_capacity(input.len()));
    let end = element(input, 0, 0, &mut out)?;
    if end != input.len() {
        return err(format!(
            "{} bytes of trailing data after the outer element",
            input.len() - end
        ));
    }
    Ok(out)
}

struct Header {
    /// The identifier octets, verbatim.
    ident: std::ops::Range<usize>,
    constructed: bool,
    /// Universal tag number, if the class is universal.
    universal: Option<u32>,
    /// `None` for an indefinite length.
    len: Option<usize>,
    /// Offset of the contents.
    body: usize,
}

fn header(input: &[u8], pos: usize) -> Result<Header, BerError> {
    let at = |i: usize| -> Result<u8, BerError> {
        input
            .get(i)
            .copied()
            .ok_or_else(|| BerError(format!("truncated at byte {i}")))
    };
    let first = at(pos)?;
    let constructed = first & 0x20 != 0;
    let class = first >> 6;
    let mut p = pos + 1;
    let mut number = u32::from(first & 0x1f);
    if number == 0x1f {
        number = 0;
        loop {
            let b = at(p)?;
            p += 1;
            if p - pos > 5 {
                return err(format!("tag number too large at byte {pos}"));
            }
            number = (number << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let ident = pos..p;
    let l = at(p)?;
    p += 1;
    let len = if l < 0x80 {
        Some(usize::from(l))
    } else if l == 0x80 {
        if !constructed {
            return err(format!(
                "indefinite length on a primitive value at byte {pos}"
            ));
        }
        None
    } else {
        let n = usize::from(l & 0x7f);
        if n > 4 {
            return err(format!("length of {n} octets at byte {pos}"));
        }
        let mut v: usize = 0;
        for _ in 0..n {
            v = (v << 8) | usize::from(at(p)?);
            p += 1;
        }
        Some(v)
    };
    if let Some(len) = len
        && len > input.len().saturating_sub(p)
    {
        return err(format!(
            "element at byte {pos} declares {len} bytes but only {} remain",
            input.len().saturating_sub(p)
        ));
    }
    Ok(Header {
        ident,
        constructed,
        universal: (class == 0).then_some(number),
        len,
        body: p,
    })
}

/// String types whose constructed BER form is joined into one primitive value.
fn is_string_type(number: u32) -> bool {
    matches!(
        number,
        3 | 4 | 12 | 18 | 19 | 20 | 21 | 22 | 25 | 26 | 27 | 28 | 30
    )
}

/// Normalises the element at `pos` into `out`; returns the offset after it.
fn element(input: &[u8], pos: usize, depth: usize, out: &mut Vec<u8>) -> Result<usize, BerError> {
    if depth > MAX_DEPTH {
        return err(format!("nesting deeper than {MAX_DEPTH} levels"));
    }
    let h = header(input, pos)?;
    if h.universal == Some(0) {
        return err(format!("end-of-contents out of place at byte {pos}"));
    }
    if !h.constructed {
        // Checked in `header`: the contents fit.
        let len = h.len.unwrap_or(0);
        out.extend_from_slice(&input[h.ident.clone()]);
        push_len(out, len);
        out.extend_from_slice(&input[h.body..h.body + len]);
        return Ok(h.body + len);
    }
    // Normalise the children into a scratch buffer, then emit with a definite length.
    let mut children = Zeroizing::new(Vec::new());
    let mut p = h.body;
    let end = match h.len {
        Some(len) => {
            let end = h.body + len;
            while p < end {
                p = element(&input[..end], p, depth + 1, &mut children)?;
            }
            end
        }
        None => loop {
            match (input.get(p), input.get(p + 1)) {
                (Some(0), Some(0)) => break p + 2,
                (None, _) | (_, None) => {
                    return err(format!(
                        "indefinite-length element at byte {pos} has no end-of-contents"
                    ));
                }
                _ => p = element(input, p, depth + 1, &mut children)?,
            }
        },
    };
    match h.universal {
        Some(number) if is_string_type(number) => {
            let joined = join_segments(&children, number)?;
            out.push(input[h.ident.start] & !0x20);
            out.extend_from_slice(&input[h.ident.start + 1..h.ident.end]);
            push_len(out, joined.len());
            out.extend_from_slice(&joined);
        }
        _ => {
            out.extend_from_slice(&input[h.ident.clone()]);
            push_len(out, children.len());
            out.extend_from_slice(&children);
        }
    }
    Ok(end)
}

/// Joins the (already normalised, hence primitive) segments of a constructed string.
fn join_segments(children: &[u8], number: u32) -> Result<Zeroizing<Vec<u8>>, BerError> {
    let mut joined = Zeroizing::new(Vec::with_capacity(children.len()));
    let mut p = 0;
    let mut unused_bits = 0u8;
    while p < children.len() {
        let h = header(children, p)?;
        if h.universal != Some(number) || h.constructed {
            return err("a constructed string holds a segment of another type");
        }
        let len = h.len.unwrap_or(0);
        let body = &children[h.body..h.body + len];
        if number == 3 {
            // BIT STRING segments each start with their unused-bits count; only the last
            // may be non-zero.
            if unused_bits != 0 {
                return err("a BIT STRING segment other than the last has unused bits");
            }
            let (&count, bits) = body
                .split_first()
                .ok_or_else(|| BerError("empty BIT STRING segment".into()))?;
            unused_bits = count;
            joined.extend_from_slice(bits);
        } else {
            joined.extend_from_slice(body);
        }
        p = h.body + len;
    }
    if number == 3 {
        joined.insert(0, unused_bits);
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    #[test]
    fn der_passes_through_unchanged() {
        let der = hex::decode("30 0a 02 01 03 04 03 01 02 03 05 00");
        assert_eq!(*to_der(&der).expect("der"), der);
    }

    #[test]
    fn indefinite_lengths_and_constructed_strings_are_normalised() {
        // SEQUENCE (indef) { [0] (indef) { OCTET STRING (constructed, indef) { 01 02 | 03 } } }
        let ber = hex::decode("30 80 a0 80 24 80 04 02 01 02 04 01 03 00 00 00 00 00 00");
        assert_eq!(
            *to_der(&ber).expect("ber"),
            hex::decode("30 07 a0 05 04 03 01 02 03")
        );
        // Non-minimal long-form length.
        let ber = hex::decode("04 82 00 02 aa bb");
        assert_eq!(*to_der(&ber).expect("ber"), hex::decode("04 02 aa bb"));
        // Constructed BIT STRING.
        let ber = hex::decode("23 80 03 02 00 aa 03 02 04 b0 00 00");
        assert_eq!(*to_der(&ber).expect("ber"), hex::decode("03 03 04 aa b0"));
        // Long outputs get long-form lengths.
        let mut ber = hex::decode("24 80 04 81 c8");
        ber.extend(std::iter::repeat_n(7u8, 200));
        ber.extend(hex::decode("04 01 07 00 00"));
        let der = to_der(&ber).expect("long");
        assert_eq!(&der[..3], &hex::decode("04 81 c9")[..]);
        assert_eq!(der.len(), 3 + 201);
    }

    #[test]
    fn hostile_input_fails_cleanly() {
        let cases = [
            "",                                 // nothing
            "30",                               // no length
            "30 05 02 01",                      // truncated contents
            "30 84 ff ff ff ff",                // absurd length
            "30 89 01 02 03 04 05 06 07 08 09", // length of 9 octets
            "30 80 02 01 01",                   // no end-of-contents
            "04 80 00 00",                      // indefinite primitive
            "24 80 02 01 01 00 00",             // string segment of another type
            "30 03 02 01 01 00",                // trailing data
            "1f ff ff ff ff 7f 00",             // huge tag number
            "30 02 00 00",                      // stray end-of-contents
        ];
        for case in cases {
            assert!(to_der(&hex::decode(case)).is_err(), "{case}");
        }
        // Deep nesting stops at the limit instead of exhausting the stack.
        let mut deep = Vec::new();
        for _ in 0..10_000 {
            deep.extend([0x30, 0x80]);
        }
        for _ in 0..10_000 {
            deep.extend([0, 0]);
        }
        assert!(to_der(&deep).expect_err("deep").0.contains("nesting"));
    }
}
