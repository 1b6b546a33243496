//! Distinguished names as XAdES writes them (`ds:X509IssuerName`, RFC 4514/2253 text) and
//! their comparison with a certificate's DER name.
//!
//! Implementations disagree on how to spell a DN (keywords, spacing, case, hex values), so
//! names are compared by meaning: the same attribute types in the same order, values equal
//! after case folding and whitespace collapsing (RFC 5280 §7.1, the usual `caseIgnoreMatch`).

use const_oid::ObjectIdentifier;
use der::Decode;
use der::asn1::{AnyRef, Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::{Tag, Tagged};

use crate::crypto::hex;

/// One attribute of a relative distinguished name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Atv {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) value: String,
}

/// A name in RFC 4514 order (most specific RDN first); each RDN is a set of attributes.
pub(crate) type Rdns = Vec<Vec<Atv>>;

const KEYWORDS: &[(&str, &str)] = &[
    ("CN", "2.5.4.3"),
    ("C", "2.5.4.6"),
    ("L", "2.5.4.7"),
    ("ST", "2.5.4.8"),
    ("S", "2.5.4.8"),
    ("STREET", "2.5.4.9"),
    ("O", "2.5.4.10"),
    ("OU", "2.5.4.11"),
    ("T", "2.5.4.12"),
    ("TITLE", "2.5.4.12"),
    ("SN", "2.5.4.4"),
    ("SURNAME", "2.5.4.4"),
    ("SERIALNUMBER", "2.5.4.5"),
    ("POSTALCODE", "2.5.4.17"),
    ("NAME", "2.5.4.41"),
    ("GIVENNAME", "2.5.4.42"),
    ("G", "2.5.4.42"),
    ("GN", "2.5.4.42"),
    ("INITIALS", "2.5.4.43"),
    ("GENERATIONQUALIFIER", "2.5.4.44"),
    ("DNQUALIFIER", "2.5.4.46"),
    ("PSEUDONYM", "2.5.4.65"),
    ("ORGANIZATIONIDENTIFIER", "2.5.4.97"),
    ("DC", "0.9.2342.19200300.100.1.25"),
    ("UID", "0.9.2342.19200300.100.1.1"),
    ("E", "1.2.840.113549.1.9.1"),
    ("EMAIL", "1.2.840.113549.1.9.1"),
    ("EMAILADDRESS", "1.2.840.113549.1.9.1"),
];

/// The RDNs of a certificate's name in RFC 4514 order, values as text (or `#hex` DER).
pub(crate) fn from_name(name: &crate::pki::Name) -> Rdns {
    let mut out: Rdns = name
        .rdns()
        .map(|rdn| {
            rdn.iter()
                .map(|a| Atv {
                    oid: a.oid(),
                    value: a
                        .value()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("#{}", hex::upper(a.value_der()))),
                })
                .collect()
        })
        .collect();
    out.reverse();
    out
}

fn any_to_string(v: &der::Any) -> String {
    let any = AnyRef::from(v);
    let text = match v.tag() {
        Tag::Utf8String => Utf8StringRef::try_from(any)
            .map(|s| s.as_str().to_string())
            .ok(),
        Tag::PrintableString => PrintableStringRef::try_from(any)
            .map(|s| s.as_str().to_string())
            .ok(),
        Tag::Ia5String => Ia5StringRef::try_from(any)
            .map(|s| s.as_str().to_string())
            .ok(),
        Tag::TeletexString => TeletexStringRef::try_from(any)
            .map(|s| s.as_str().to_string())
            .ok(),
        Tag::BmpString => {
            der::asn1::BmpString::from_der(&der::Encode::to_der(v).unwrap_or_default())
                .map(|s| s.to_string())
                .ok()
        }
        _ => None,
    };
    text.unwrap_or_else(|| {
        // Not a string type: RFC 4514 hex form of the DER.
        let der = der::Encode::to_der(v).unwrap_or_default();
        format!("#{}", hex::upper(&der))
    })
}

/// Parses RFC 4514 (and RFC 2253, and the common `, `-separated spelling) text.
pub(crate) fn parse(text: &str) -> Option<Rdns> {
    let mut rdns: Rdns = Vec::new();
    let mut rdn: Vec<Atv> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i] == ' ' {
            *i += 1;
        }
    };
    if chars.iter().all(|c| c.is_whitespace()) {
        return Some(rdns);
    }
    loop {
        skip_ws(&mut i);
        // Attribute type.
        let start = i;
        while i < chars.len() && chars[i] != '=' {
            i += 1;
        }
        if i >= chars.len() {
            return None;
        }
        let ty: String = chars[start..i]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        i += 1; // '='
        let oid = attribute_oid(&ty)?;
        skip_ws(&mut i);
        // Attribute value.
        let mut value = String::new();
        let mut bytes: Vec<u8> = Vec::new();
        if i < chars.len() && chars[i] == '#' {
            let hs = i + 1;
            let mut he = hs;
            while he < chars.len() && chars[he].is_ascii_hexdigit() {
                he += 1;
            }
            let hexs: String = chars[hs..he].iter().collect();
            let der = (0..hexs.len())
                .step_by(2)
                .map(|k| u8::from_str_radix(hexs.get(k..k + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            let any = der::Any::from_der(&der).ok()?;
            value = any_to_string(&any);
            i = he;
        } else if i < chars.len() && chars[i] == '"' {
            // RFC 2253 §4 / RFC 1779 quoted value.
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                value.push(*chars.get(i)?);
                i += 1;
            }
            if chars.get(i) != Some(&'"') {
                return None;
            }
            i += 1;
        } else {
            let mut trailing_spaces = 0;
            while i < chars.len() && chars[i] != ',' && chars[i] != '+' && chars[i] != ';' {
                let c = chars[i];
                if c == '\\' {
                    i += 1;
                    let n = *chars.get(i)?;
                    if n.is_ascii_hexdigit()
                        && chars.get(i + 1).is_some_and(|m| m.is_ascii_hexdigit())
                    {
                        let b = u8::from_str_radix(&chars[i..i + 2].iter().collect::<String>(), 16)
                            .ok()?;
                        bytes.push(b);
                        i += 2;
                        trailing_spaces = 0;
                        continue;
                    }
                    flush(&mut bytes, &mut value)?;
                    value.push(n);
                    trailing_spaces = 0;
                } else {
                    flush(&mut bytes, &mut value)?;
                    value.push(c);
                    trailing_spaces = if c == ' ' { trailing_spaces + 1 } else { 0 };
                }
                i += 1;
            }
            flush(&mut bytes, &mut value)?;
            for _ in 0..trailing_spaces {
                value.pop();
            }
        }
        rdn.push(Atv { oid, value });
        skip_ws(&mut i);
        match chars.get(i) {
            None => {
                rdns.push(std::mem::take(&mut rdn));
                return Some(rdns);
            }
            Some('+') => i += 1,
            Some(',') | Some(';') => {
                rdns.push(std::mem::take(&mut rdn));
                i += 1;
            }
            _ => return None,
        }
    }
}

fn flush(bytes: &mut Vec<u8>, value: &mut String) -> Option<()> {
    if !bytes.is_empty() {
        value.push_str(std::str::from_utf8(bytes).ok()?);
        bytes.clear();
    }
    Some(())
}

fn attribute_oid(ty: &str) -> Option<ObjectIdentifier> {
    let upper = ty.to_ascii_uppercase();
    let dotted = upper.strip_prefix("OID.").unwrap_or(&upper);
    if dotted.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return ObjectIdentifier::new(dotted).ok();
    }
    KEYWORDS
        .iter()
        .find(|(k, _)| *k == upper)
        .and_then(|(_, o)| ObjectIdentifier::new(o).ok())
}

/// Case-folded, whitespace-collapsed form for comparison.
fn fold(v: &str) -> String {
    v.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two names mean the same.
pub(crate) fn equal(a: &Rdns, b: &Rdns) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.len() == y.len()
                && x.iter().all(|ax| {
                    y.iter()
                        .any(|ay| ax.oid == ay.oid && fold(&ax.value) == fold(&ay.value))
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atv(oid: &str, v: &str) -> Vec<Atv> {
        vec![Atv {
            oid: ObjectIdentifier::new_unwrap(oid),
            value: v.into(),
        }]
    }

    #[test]
    fn parses_the_usual_spellings() {
        let want = vec![
            atv("2.5.4.3", "ZUS CA, test"),
            atv("2.5.4.10", "Zakład Ubezpieczeń Społecznych"),
            atv("2.5.4.6", "PL"),
        ];
        for text in [
            "CN=ZUS CA\\, test,O=Zakład Ubezpieczeń Społecznych,C=PL",
            "CN=ZUS CA\\, test, O=Zakład Ubezpieczeń Społecznych, C=PL",
            "cn=ZUS CA\\2C test;o=Zak\\C5\\82ad Ubezpiecze\\C5\\84 Spo\\C5\\82ecznych;c=PL",
            "2.5.4.3=ZUS CA\\, test,OID.2.5.4.10=Zakład Ubezpieczeń Społecznych,C=#1302504C",
            "CN=\"ZUS CA, test\", O=\"Zakład Ubezpieczeń Społecznych\", C=PL",
        ] {
            let parsed = parse(text).unwrap_or_else(|| panic!("parse {text}"));
            assert!(equal(&parsed, &want), "{text}: {parsed:?}");
        }
        assert!(parse("CN").is_none());
        assert!(parse("XX=1").is_none());
    }

    #[test]
    fn certificate_names_reparse_from_their_rfc4514_text() {
        let name = crate::pki::Name::builder()
            .country("PL")
            .organization("Zakład \"Ubezpieczeń\", S.A.")
            .serial_number("PNOPL-68071892605")
            .common_name(" #lead+more ")
            .build()
            .expect("name");
        let text = name.to_rfc4514();
        assert!(
            equal(&parse(&text).expect("parse"), &from_name(&name)),
            "{text}"
        );
    }

    #[test]
    fn comparison_is_by_meaning() {
        let a = parse("CN=Jan  Kowalski,O=ZUS,C=PL").expect("a");
        let b = parse("cn=jan kowalski, o=zus, c=pl").expect("b");
        let c = parse("O=ZUS,CN=Jan Kowalski,C=PL").expect("c");
        assert!(equal(&a, &b));
        assert!(!equal(&a, &c), "order matters");
        assert!(!equal(&a, &parse("CN=Jan Kowalski,O=ZUS").expect("short")));
    }
}
