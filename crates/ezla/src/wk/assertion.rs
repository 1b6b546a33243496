//! Checking the decrypted assertion (wk-saml.md §2.4 step 5) and reading the [`Identity`].
//!
//! The assertion is not signed: it is trusted because the `Response` signature covers its
//! ciphertext. It is still parsed strictly, as a document of its own: one `saml2:Assertion`
//! with `Issuer`, `Subject`, `Conditions`, `AuthnStatement` and `AttributeStatement`, no
//! comments, no processing instructions, no second assertion.

use time::{Date, OffsetDateTime};

use super::config::Loa;
use super::identity::Identity;
use super::layer::{check_issuer, id_and_version, malformed, no_comments_or_pis};
use super::ns::{NATURAL_PERSON, SAML};
use crate::error::WkError;
use crate::pl::Pesel;
use crate::xml::{Document, Element, ParseOptions, datetime};
use crate::{Error, Result};

/// The SAML bearer confirmation method.
pub const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// What the assertion must say.
#[derive(Clone, Copy, Debug)]
pub struct AssertionExpectations<'c> {
    /// login.gov.pl's `Issuer`.
    pub issuer: &'c str,
    /// Our entity ID (the `Audience`).
    pub entity_id: &'c str,
    /// Our ACS URL (the `Recipient`).
    pub acs_url: &'c str,
    /// The pending AuthnRequest ID (`InResponseTo`).
    pub authn_request_id: &'c str,
    /// The minimum level of assurance.
    pub min_loa: Loa,
    /// The instant to check the windows at.
    pub now: OffsetDateTime,
    /// Allowed clock difference.
    pub clock_skew: time::Duration,
}

fn time_attr(e: Element<'_, '_>, name: &str) -> Result<Option<OffsetDateTime>> {
    match e.attribute(name) {
        None => Ok(None),
        Some(v) => datetime::parse(v)
            .map(Some)
            .ok_or_else(|| malformed(e.path(), format!("{name} {v:?} is not an xsd:dateTime"))),
    }
}

fn one<'d, 'a>(parent: Element<'d, 'a>, ns: &str, name: &str) -> Result<Element<'d, 'a>> {
    let mut it = parent.children().filter(|c| c.is(ns, name));
    match (it.next(), it.next()) {
        (Some(e), None) => Ok(e),
        (None, _) => Err(malformed(parent.path(), format!("no {name}"))),
        _ => Err(Error::Wk(WkError::UnexpectedContent {
            at: parent.path(),
            detail: format!("more than one {name}"),
        })),
    }
}

/// `xs:date`, with an optional time zone (`Z` or `±hh:mm`), which is ignored.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let date = text.get(..10)?;
    let zone = &text[10..];
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes().get(3) == Some(&b':'));
    if !zone_ok {
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(date, &format).ok()
}

/// Checks the plaintext assertion and returns the identity.
///
/// Checks, in order: one `Assertion` of version 2.0 from `issuer`; a bearer
/// `SubjectConfirmation` whose data names our AuthnRequest (`InResponseTo`) and ACS URL
/// (`Recipient`) and has not expired; the `Conditions` window (with the skew); our entity ID
/// among the `Audience`s; the level of assurance at least `min_loa`; the four attributes,
/// with a PESEL whose check digit and birth date agree with `DateOfBirth`.
pub fn check_assertion(plaintext: &[u8], expect: &AssertionExpectations<'_>) -> Result<Identity> {
    let doc = Document::parse_bytes_with(plaintext, &ParseOptions::default())?;
    no_comments_or_pis(&doc)?;
    let a = Element::new(doc.root_element()).ok_or_else(|| malformed("/", "no element"))?;
    if !a.is(SAML, "Assertion") {
        return Err(malformed(
            a.path(),
            "the decrypted content is not a saml2:Assertion",
        ));
    }
    let assertion_id = id_and_version(a)?.to_string();
    if let Some(nested) = a
        .node
        .descendants()
        .skip(1)
        .filter_map(Element::new)
        .find(|e| e.is(SAML, "Assertion") || e.is(SAML, "EncryptedAssertion"))
    {
        return Err(Error::Wk(WkError::UnexpectedContent {
            at: nested.path(),
            detail: "an assertion inside the assertion".into(),
        }));
    }
    check_issuer(a, a.child(SAML, "Issuer"), expect.issuer)?;
    let skew = expect.clock_skew;
    let now = expect.now;

    // Subject and its bearer confirmation.
    let subject = one(a, SAML, "Subject")?;
    let name_id = one(subject, SAML, "NameID")?;
    let confirmations: Vec<_> = subject
        .children()
        .filter(|c| c.is(SAML, "SubjectConfirmation"))
        .collect();
    let confirmation = match confirmations.as_slice() {
        [one] => *one,
        [] => {
            return Err(Error::Wk(WkError::SubjectConfirmation {
                detail: "no SubjectConfirmation".into(),
            }));
        }
        _ => {
            return Err(Error::Wk(WkError::SubjectConfirmation {
                detail: format!(
                    "{} SubjectConfirmation elements; one expected",
                    confirmations.len()
                ),
            }));
        }
    };
    let method = confirmation.attribute("Method").unwrap_or("");
    if method != BEARER {
        return Err(Error::Wk(WkError::SubjectConfirmation {
            detail: format!("Method {method:?}, bearer expected"),
        }));
    }
    let data = one(confirmation, SAML, "SubjectConfirmationData").map_err(|_| {
        Error::Wk(WkError::SubjectConfirmation {
            detail: "no SubjectConfirmationData".into(),
        })
    })?;
    let irt = data.attribute("InResponseTo");
    if irt != Some(expect.authn_request_id) {
        return Err(Error::Wk(WkError::InResponseToMismatch {
            element: "SubjectConfirmationData".into(),
            expected: expect.authn_request_id.into(),
            found: irt.map(str::to_string),
        }));
    }
    let recipient = data.attribute("Recipient").unwrap_or("");
    if recipient != expect.acs_url {
        return Err(Error::Wk(WkError::RecipientMismatch {
            expected: expect.acs_url.into(),
            found: recipient.into(),
        }));
    }
    let data_end = time_attr(data, "NotOnOrAfter")?.ok_or_else(|| {
        Error::Wk(WkError::SubjectConfirmation {
            detail: "SubjectConfirmationData without NotOnOrAfter".into(),
        })
    })?;
    if now - skew >= data_end {
        return Err(Error::Wk(WkError::Expired {
            what: "SubjectConfirmationData",
            not_before: None,
            not_on_or_after: Some(data_end),
            now,
        }));
    }

    // Conditions and audience.
    let conditions = one(a, SAML, "Conditions")?;
    let not_before = time_attr(conditions, "NotBefore")?;
    let not_on_or_after = time_attr(conditions, "NotOnOrAfter")?
        .ok_or_else(|| malformed(conditions.path(), "no NotOnOrAfter"))?;
    if not_before.is_some_and(|nb| now + skew < nb) || now - skew >= not_on_or_after {
        return Err(Error::Wk(WkError::Expired {
            what: "Conditions",
            not_before,
            not_on_or_after: Some(not_on_or_after),
            now,
        }));
    }
    let mut audiences: Vec<String> = Vec::new();
    for restriction in conditions
        .children()
        .filter(|c| c.is(SAML, "AudienceRestriction"))
    {
        audiences.extend(
            restriction
                .children()
                .filter(|c| c.is(SAML, "Audience"))
                .map(|c| c.text()),
        );
    }
    if !audiences.iter().any(|x| x == expect.entity_id) {
        return Err(Error::Wk(WkError::AudienceMismatch {
            expected: expect.entity_id.into(),
            found: audiences,
        }));
    }

    // Authentication: LoA and means.
    let authn = one(a, SAML, "AuthnStatement")?;
    let context = one(authn, SAML, "AuthnContext")?;
    let class = one(context, SAML, "AuthnContextClassRef")?.text();
    let loa = Loa::from_uri(&class).ok_or_else(|| {
        Error::Wk(WkError::LoaTooLow {
            requested: expect.min_loa.uri().into(),
            found: class.clone(),
        })
    })?;
    if loa < expect.min_loa {
        return Err(Error::Wk(WkError::LoaTooLow {
            requested: expect.min_loa.uri().into(),
            found: class,
        }));
    }
    let authenticating_authorities = context
        .children()
        .filter(|c| c.is(SAML, "AuthenticatingAuthority"))
        .map(|c| c.text())
        .collect();

    // Attributes, selected by Name (not FriendlyName or xsi:type).
    let statement = one(a, SAML, "AttributeStatement")?;
    let attribute = |local: &str| -> Result<String> {
        let name = format!("{NATURAL_PERSON}/{local}");
        let mut found = statement
            .children()
            .filter(|c| c.is(SAML, "Attribute") && c.attribute("Name") == Some(name.as_str()));
        let invalid = |detail: &str| {
            Error::Wk(WkError::AttributeInvalid {
                name: local.into(),
                detail: detail.into(),
            })
        };
        let attr = match (found.next(), found.next()) {
            (Some(one), None) => one,
            (None, _) => return Err(invalid("missing")),
            _ => return Err(invalid("given more than once")),
        };
        let mut values = attr.children().filter(|c| c.is(SAML, "AttributeValue"));
        match (values.next(), values.next()) {
            (Some(v), None) => {
                if v.children().next().is_some() {
                    return Err(invalid("the value holds elements"));
                }
                Ok(v.text())
            }
            (None, _) => Err(invalid("no AttributeValue")),
            _ => Err(invalid("more than one AttributeValue")),
        }
    };
    let pesel_text = attribute("PersonIdentifier")?;
    let pesel = Pesel::parse(pesel_text.trim()).map_err(|e| {
        Error::Wk(WkError::AttributeInvalid {
            name: "PersonIdentifier".into(),
            detail: format!("not a valid PESEL: {e}"),
        })
    })?;
    let birth_text = attribute("DateOfBirth")?;
    let birth_date = parse_date(&birth_text).ok_or_else(|| {
        Error::Wk(WkError::AttributeInvalid {
            name: "DateOfBirth".into(),
            detail: format!("{birth_text:?} is not an xs:date"),
        })
    })?;
    if pesel.birth_date() != birth_date {
        return Err(Error::Wk(WkError::AttributeInvalid {
            name: "DateOfBirth".into(),
            detail: "does not match the birth date encoded in the PESEL".into(),
        }));
    }
    let given_name = attribute("CurrentGivenName")?;
    let family_name = attribute("CurrentFamilyName")?;

    Ok(Identity {
        pesel,
        given_name,
        family_name,
        birth_date,
        loa,
        authenticating_authorities,
        name_id: name_id.text(),
        name_id_format: name_id.attribute("Format").map(str::to_string),
        session_index: authn.attribute("SessionIndex").map(str::to_string),
        authn_instant: time_attr(authn, "AuthnInstant")?,
        assertion_id,
        not_on_or_after,
    })
}
