//! Polish identifiers in a certificate subject.
//!
//! Personal certificates name their holder in the subject's `serialNumber` attribute, in the
//! *semantics identifier* form of ETSI EN 319 412-1 §5.1.3: a three-letter type, a
//! two-letter country, a hyphen and the identifier, e.g. `PNOPL-44051401359` (PESEL),
//! `TINPL-1234563218` (NIP), `IDCPL-ABA300000` (identity card), `PASPL-…` (passport). Legal
//! persons use `organizationIdentifier` (§5.1.4): `VATPL-…` (NIP), `NTRPL-…` (KRS). Older
//! certificates carry a bare 11-digit PESEL.
//!
//! Each identifier found is reported with the outcome of its check-digit validation; the
//! check-digit rules themselves live in [`crate::pl`].

use std::fmt;

use super::name::{AttributeType, Name};
use crate::pl::{Nip, Pesel};

/// What an identifier identifies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentifierKind {
    /// PESEL (`PNOPL-…` or a bare 11-digit value).
    Pesel,
    /// NIP as a personal tax number (`TINPL-…`).
    Nip,
    /// NIP as an organisation's VAT number (`VATPL-…`).
    VatNip,
    /// Polish identity card number (`IDCPL-…`).
    IdentityCard,
    /// Passport number (`PASPL-…`).
    Passport,
    /// National trade register number, e.g. KRS (`NTRPL-…`).
    TradeRegister,
    /// Another ETSI type code with country `PL` (e.g. `PSD`, `LEI`).
    Other(String),
}

impl IdentifierKind {
    /// A short English label.
    pub fn label(&self) -> &str {
        match self {
            IdentifierKind::Pesel => "PESEL",
            IdentifierKind::Nip => "NIP",
            IdentifierKind::VatNip => "NIP (VAT)",
            IdentifierKind::IdentityCard => "identity card",
            IdentifierKind::Passport => "passport",
            IdentifierKind::TradeRegister => "trade register (KRS)",
            IdentifierKind::Other(code) => code,
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The outcome of check-digit validation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CheckDigit {
    /// The identifier is well-formed and its check digit matches.
    Valid,
    /// The identifier is malformed or its check digit does not match.
    Invalid {
        /// Why.
        reason: String,
    },
    /// The identifier has no check digit ezla knows how to verify.
    NotApplicable,
}

impl CheckDigit {
    /// Whether the check succeeded.
    pub fn is_valid(&self) -> bool {
        matches!(self, CheckDigit::Valid)
    }
}

/// A Polish identifier found in a subject name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolishIdentifier {
    /// The attribute it was found in (`serialNumber` or `organizationIdentifier`).
    pub attribute: AttributeType,
    /// The attribute's whole value, e.g. `PNOPL-44051401359`.
    pub raw: String,
    /// The ETSI type code (`PNO`, `TIN`, ...), or `None` for a bare PESEL.
    pub etsi_type: Option<String>,
    /// What it identifies.
    pub kind: IdentifierKind,
    /// The identifier without the `XXXPL-` prefix.
    pub value: String,
    /// Check-digit validation.
    pub check: CheckDigit,
}

impl PolishIdentifier {
    /// The PESEL, if this is a PESEL with a valid check digit.
    pub fn pesel(&self) -> Option<Pesel> {
        match self.kind {
            IdentifierKind::Pesel => Pesel::parse(&self.value).ok(),
            _ => None,
        }
    }

    /// The NIP, if this is a NIP (personal or VAT) with a valid check digit.
    pub fn nip(&self) -> Option<Nip> {
        match self.kind {
            IdentifierKind::Nip | IdentifierKind::VatNip => Nip::parse(&self.value).ok(),
            _ => None,
        }
    }
}

/// Every Polish identifier in `name`'s `serialNumber` and `organizationIdentifier`
/// attributes, in encoding order. Values in other forms, or for other countries, are not
/// reported.
pub fn identifiers_in(name: &Name) -> Vec<PolishIdentifier> {
    let mut out = Vec::new();
    for attribute in [
        AttributeType::SerialNumber,
        AttributeType::OrganizationIdentifier,
    ] {
        for raw in name.get_all(attribute) {
            if let Some(id) = parse(attribute, raw) {
                out.push(id);
            }
        }
    }
    out
}

/// Reads one attribute value as a Polish identifier.
pub fn parse(attribute: AttributeType, raw: &str) -> Option<PolishIdentifier> {
    let trimmed = raw.trim();
    // ETSI form: 3 letters, "PL", "-", the identifier.
    let bytes = trimmed.as_bytes();
    if bytes.len() > 6 && bytes[5] == b'-' && bytes[..5].is_ascii() {
        let (code, country, value) = (&trimmed[..3], &trimmed[3..5], &trimmed[6..]);
        if country == "PL" && code.bytes().all(|b| b.is_ascii_uppercase()) {
            let kind = match code {
                "PNO" => IdentifierKind::Pesel,
                "TIN" => IdentifierKind::Nip,
                "VAT" => IdentifierKind::VatNip,
                "IDC" => IdentifierKind::IdentityCard,
                "PAS" => IdentifierKind::Passport,
                "NTR" => IdentifierKind::TradeRegister,
                other => IdentifierKind::Other(other.to_string()),
            };
            return Some(PolishIdentifier {
                attribute,
                raw: raw.to_string(),
                etsi_type: Some(code.to_string()),
                check: check(&kind, value),
                kind,
                value: value.to_string(),
            });
        }
        return None;
    }
    // A bare PESEL: exactly 11 digits, only in serialNumber.
    if attribute == AttributeType::SerialNumber
        && trimmed.len() == 11
        && trimmed.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(PolishIdentifier {
            attribute,
            raw: raw.to_string(),
            etsi_type: None,
            check: check(&IdentifierKind::Pesel, trimmed),
            kind: IdentifierKind::Pesel,
            value: trimmed.to_string(),
        });
    }
    None
}

fn check(kind: &IdentifierKind, value: &str) -> CheckDigit {
    let verdict = |r: Result<(), String>| match r {
        Ok(()) => CheckDigit::Valid,
        Err(reason) => CheckDigit::Invalid { reason },
    };
    match kind {
        IdentifierKind::Pesel => {
            verdict(Pesel::parse(value).map(|_| ()).map_err(|e| e.to_string()))
        }
        IdentifierKind::Nip | IdentifierKind::VatNip => {
            verdict(Nip::parse(value).map(|_| ()).map_err(|e| e.to_string()))
        }
        IdentifierKind::IdentityCard => verdict(identity_card(value)),
        _ => CheckDigit::NotApplicable,
    }
}

/// Polish identity card numbers: three letters, then a check digit and five digits. The
/// check digit is Σ wᵢ·vᵢ mod 10 over the other eight characters, letters valued A=10 … Z=35,
/// weights 7, 3, 1 | 7, 3, 1, 7, 3.
fn identity_card(value: &str) -> Result<(), String> {
    let b = value.as_bytes();
    if b.len() != 9
        || !b[..3].iter().all(u8::is_ascii_uppercase)
        || !b[3..].iter().all(u8::is_ascii_digit)
    {
        return Err("an identity card number is three capital letters and six digits".into());
    }
    let v = |c: u8| -> u32 {
        if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        }
    };
    let weights = [7, 3, 1, 0, 7, 3, 1, 7, 3];
    let sum: u32 = b.iter().zip(weights).map(|(&c, w)| v(c) * w).sum();
    if sum % 10 == v(b[3]) {
        Ok(())
    } else {
        Err("identity card check digit does not match".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etsi_forms_and_bare_pesel() {
        let name = Name::builder()
            .serial_number("PNOPL-44051401359")
            .serial_number("TINPL-1234563218")
            .serial_number("IDCPL-ABA300000")
            .serial_number("PASPL-EA1234567")
            .serial_number("44051401359")
            .serial_number("PNODE-123456789")
            .serial_number("1234")
            .add(AttributeType::OrganizationIdentifier, "VATPL-5260250274")
            .build()
            .expect("name");
        let ids = identifiers_in(&name);
        let summary: Vec<(IdentifierKind, &str, bool)> = ids
            .iter()
            .map(|i| (i.kind.clone(), i.value.as_str(), i.check.is_valid()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (IdentifierKind::Pesel, "44051401359", true),
                (IdentifierKind::Nip, "1234563218", true),
                (IdentifierKind::IdentityCard, "ABA300000", true),
                (IdentifierKind::Passport, "EA1234567", false),
                (IdentifierKind::Pesel, "44051401359", true),
                (IdentifierKind::VatNip, "5260250274", true),
            ]
        );
        assert_eq!(ids[3].check, CheckDigit::NotApplicable);
        assert_eq!(ids[0].etsi_type.as_deref(), Some("PNO"));
        assert_eq!(ids[4].etsi_type, None);
        assert_eq!(
            ids[0].pesel().map(|p| p.to_string()).as_deref(),
            Some("44051401359")
        );
        assert_eq!(
            ids[1].nip().map(|n| n.to_string()).as_deref(),
            Some("1234563218")
        );
    }

    #[test]
    fn invalid_check_digits_are_reported_not_dropped() {
        for (raw, kind) in [
            ("PNOPL-44051401358", IdentifierKind::Pesel),
            ("44051401358", IdentifierKind::Pesel),
            ("TINPL-1234563219", IdentifierKind::Nip),
            ("IDCPL-ABA400000", IdentifierKind::IdentityCard),
            ("IDCPL-AB1300000", IdentifierKind::IdentityCard),
        ] {
            let id = parse(AttributeType::SerialNumber, raw).expect(raw);
            assert_eq!(id.kind, kind, "{raw}");
            assert!(
                matches!(id.check, CheckDigit::Invalid { .. }),
                "{raw}: {:?}",
                id.check
            );
            assert_eq!(id.pesel(), None);
        }
        assert_eq!(parse(AttributeType::SerialNumber, "PNOPL-"), None);
        assert_eq!(parse(AttributeType::SerialNumber, "żółwPL-1"), None);
        assert_eq!(
            parse(AttributeType::OrganizationIdentifier, "44051401359"),
            None
        );
    }
}
