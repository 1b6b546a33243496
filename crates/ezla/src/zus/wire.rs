//! The plumbing under every operation: the checked view of a response element ([`Node`]),
//! the common judgement of a response (Fault, namespace, daily limit, `Rezultat`), and the
//! checks of request values against the WSDL's simple types.

use time::Date;

use super::{BodyNamespace, Operation, RezultatRule};
use crate::error::{Error, Result, Rezultat, ZusError};
use crate::soap::{self, Body, Fault};
use crate::xml::{Element, ParseOptions};

/// A response element, with the operation it answers (for error messages).
///
/// Children are looked up by local name only: before any lookup, the parse has checked that
/// every element under the operation's response element is unqualified or in the response
/// element's own namespace.
#[derive(Clone, Copy)]
pub struct Node<'d, 'a> {
    pub(crate) e: Element<'d, 'a>,
    pub(crate) op: &'static str,
}

pub(crate) fn malformed(op: &'static str, path: String, detail: impl Into<String>) -> Error {
    Error::Zus(ZusError::ResponseMalformed {
        operation: op,
        path,
        detail: detail.into(),
    })
}

impl<'d, 'a: 'd> Node<'d, 'a> {
    /// A `ResponseMalformed` error at this element.
    pub(crate) fn malformed(&self, detail: impl Into<String>) -> Error {
        malformed(self.op, self.e.path(), detail)
    }

    /// Child elements with this local name.
    pub(crate) fn all(&self, name: &'static str) -> Vec<Node<'d, 'a>> {
        self.e
            .children()
            .filter(|c| c.local_name() == name)
            .map(|e| Node { e, op: self.op })
            .collect()
    }

    /// The child with this local name, if any; more than one is malformed.
    pub(crate) fn opt(&self, name: &'static str) -> Result<Option<Node<'d, 'a>>> {
        let mut all = self.all(name).into_iter();
        match (all.next(), all.next()) {
            (first, None) => Ok(first),
            (_, Some(second)) => Err(second.malformed(format!("{name} repeated"))),
        }
    }

    /// The child with this local name; none, or more than one, is malformed.
    pub(crate) fn req(&self, name: &'static str) -> Result<Node<'d, 'a>> {
        self.opt(name)?
            .ok_or_else(|| self.malformed(format!("{name} missing")))
    }

    /// The element's text; child elements are malformed (a value was expected).
    pub(crate) fn text(&self) -> Result<String> {
        if let Some(child) = self.e.children().next() {
            return Err(Node {
                e: child,
                op: self.op,
            }
            .malformed("element where text expected"));
        }
        Ok(self.e.text())
    }

    /// The text of the child `name`, if present.
    pub(crate) fn opt_text(&self, name: &'static str) -> Result<Option<String>> {
        self.opt(name)?.map(|n| n.text()).transpose()
    }

    /// The text of the required child `name`.
    pub(crate) fn req_text(&self, name: &'static str) -> Result<String> {
        self.req(name)?.text()
    }

    /// The texts of every child `name`.
    pub(crate) fn texts(&self, name: &'static str) -> Result<Vec<String>> {
        self.all(name).iter().map(|n| n.text()).collect()
    }

    /// An `xsd:boolean` (`true` `false` `1` `0`, surrounding whitespace ignored).
    pub(crate) fn boolean(&self) -> Result<bool> {
        match self.text()?.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(self.malformed(format!("{other:?} is not an xsd:boolean"))),
        }
    }

    /// The optional boolean child `name`.
    pub(crate) fn opt_bool(&self, name: &'static str) -> Result<Option<bool>> {
        self.opt(name)?.map(|n| n.boolean()).transpose()
    }

    /// The required boolean child `name`.
    pub(crate) fn req_bool(&self, name: &'static str) -> Result<bool> {
        self.req(name)?.boolean()
    }

    /// The optional integer child `name` (`xsd:long`, `xsd:integer`).
    pub(crate) fn opt_long(&self, name: &'static str) -> Result<Option<i64>> {
        let Some(n) = self.opt(name)? else {
            return Ok(None);
        };
        let text = n.text()?;
        text.trim()
            .parse()
            .map(Some)
            .map_err(|_| n.malformed(format!("{text:?} is not an integer")))
    }

    /// An `xsd:date`: `YYYY-MM-DD`, optionally followed by a time zone (`Z`, `+01:00`),
    /// which is dropped.
    pub(crate) fn date(&self) -> Result<Date> {
        let text = self.text()?;
        let t = text.trim();
        let (day, zone) = t.split_at(t.len().min(10));
        let zone_ok = zone.is_empty()
            || zone == "Z"
            || (zone.len() == 6
                && matches!(zone.as_bytes().first(), Some(b'+' | b'-'))
                && zone.as_bytes().get(3) == Some(&b':'));
        parse_date(day)
            .filter(|_| zone_ok)
            .ok_or_else(|| self.malformed(format!("{text:?} is not an xsd:date")))
    }

    /// The optional date child `name`.
    pub(crate) fn opt_date(&self, name: &'static str) -> Result<Option<Date>> {
        self.opt(name)?.map(|n| n.date()).transpose()
    }

    /// The required date child `name`.
    pub(crate) fn req_date(&self, name: &'static str) -> Result<Date> {
        self.req(name)?.date()
    }

    /// A value of one of the WSDL's enumerations.
    pub(crate) fn enumerated<T: WireEnum>(&self) -> Result<T> {
        let text = self.text()?;
        T::from_wire(&text)
            .ok_or_else(|| self.malformed(format!("{text:?} is not a value of {}", T::TYPE_NAME)))
    }

    /// The optional enumerated child `name`.
    pub(crate) fn opt_enum<T: WireEnum>(&self, name: &'static str) -> Result<Option<T>> {
        self.opt(name)?.map(|n| n.enumerated()).transpose()
    }

    /// The required enumerated child `name`.
    pub(crate) fn req_enum<T: WireEnum>(&self, name: &'static str) -> Result<T> {
        self.req(name)?.enumerated()
    }

    /// The `Rezultat` child (`KodBledu`, `OpisBledu`), required.
    pub(crate) fn rezultat(&self) -> Result<Rezultat> {
        let r = self.req("Rezultat")?;
        Ok(Rezultat {
            kod_bledu: r.req_text("KodBledu")?,
            opis_bledu: r.req_text("OpisBledu")?,
        })
    }
}

/// `YYYY-MM-DD` exactly.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// `YYYY-MM-DD`.
pub(crate) fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// One of the WSDL's string enumerations.
pub trait WireEnum: Sized + Copy + 'static {
    /// The enumeration's name in the WSDL.
    const TYPE_NAME: &'static str;
    /// The value as written on the wire.
    fn as_wire(self) -> &'static str;
    /// The value for its wire form.
    fn from_wire(s: &str) -> Option<Self>;
}

/// How ZUS's text says the session is gone: the inferred rule of
/// [`ZusError::SessionExpired`].
pub(crate) fn says_session_gone(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["brak sesji", "sesja wygas", "sesja nie istnieje"]
        .iter()
        .any(|p| lower.contains(p))
}

/// A Fault as an error: `SessionExpired` when its text says so, otherwise `Fault`.
pub(crate) fn fault_error(op: &'static str, fault: Fault) -> Error {
    let gone =
        says_session_gone(&fault.string) || fault.detail.as_deref().is_some_and(says_session_gone);
    if gone {
        return Error::Zus(ZusError::SessionExpired {
            operation: op,
            text: fault.string,
        });
    }
    Error::Zus(ZusError::Fault {
        operation: op,
        fault,
    })
}

/// A non-success `Rezultat` as an error: `SessionExpired` when its text says so, otherwise
/// `Rejected`.
pub(crate) fn rezultat_error(op: &'static str, rezultat: Rezultat) -> Error {
    if says_session_gone(&rezultat.opis_bledu) {
        return Error::Zus(ZusError::SessionExpired {
            operation: op,
            text: rezultat.opis_bledu,
        });
    }
    Error::Zus(ZusError::Rejected {
        operation: op,
        rezultat,
    })
}

/// `Ok` for a success `Rezultat`, the error otherwise.
pub(crate) fn check(op: &'static str, rezultat: Rezultat) -> Result<()> {
    if rezultat.is_success() {
        Ok(())
    } else {
        Err(rezultat_error(op, rezultat))
    }
}

/// The limits responses are parsed under: the defaults, with a response capped at 16 MiB.
fn options() -> ParseOptions {
    ParseOptions::default()
}

/// Parses and judges the response to `O` (see [`Operation::parse`]).
pub(crate) fn parse<O: Operation>(envelope: &[u8], ns: BodyNamespace) -> Result<O::Response> {
    let op = O::NAME;
    let env = soap::Envelope::parse(envelope, &options())?;
    let element = match env.body() {
        Err(e) => return Err(malformed(op, e.path, e.detail)),
        Ok(Body::Fault(fault)) => return Err(fault_error(op, fault)),
        Ok(Body::Element(e)) => e,
    };
    let wanted = format!("{op}Response");
    let found_ns = element.namespace().unwrap_or("");
    if BodyNamespace::from_uri(found_ns).is_none() {
        return Err(malformed(
            op,
            element.path(),
            format!(
                "body element {{{found_ns}}}{} is in neither ZUS namespace (configured {}, \
                 also accepted {})",
                element.local_name(),
                ns.uri(),
                ns.other().uri()
            ),
        ));
    }
    if element.local_name() != wanted {
        return Err(malformed(
            op,
            element.path(),
            format!("body element {}; {wanted} expected", element.local_name()),
        ));
    }
    for d in element.node.descendants().skip(1).filter_map(Element::new) {
        if let Some(inner) = d.namespace()
            && inner != found_ns
        {
            return Err(malformed(
                op,
                d.path(),
                format!(
                    "element in namespace {inner}; only unqualified elements or the \
                         response's namespace {found_ns} are accepted"
                ),
            ));
        }
    }
    let node = Node { e: element, op };
    if let Some(limit) = node.opt("PrzekroczonyDziennyLimitDostepow")? {
        let text = limit.text()?;
        let reached = match text.trim().to_lowercase().as_str() {
            "true" | "1" | "tak" => true,
            "false" | "0" | "nie" | "" => false,
            _ => return Err(limit.malformed(format!("{text:?} is not a yes or no"))),
        };
        if reached {
            let rezultat = node.opt("Rezultat")?.map(|_| node.rezultat()).transpose()?;
            return Err(Error::Zus(ZusError::DailyLimitExceeded {
                operation: op,
                rezultat: rezultat.unwrap_or_default(),
            }));
        }
    }
    if O::REZULTAT == RezultatRule::Check {
        check(op, node.rezultat()?)?;
    }
    O::read(node)
}
