//! Parsing KEDU ZLA XML back into the model, strictly: the `KED_ZLA_1` namespace, known
//! elements only, in schema order, each at most once. An enveloped `ds:Signature` after
//! `ZUSZLA` is allowed (and not verified here: see [`crate::xades`]).

use super::codes::{
    KodLiterowy, KodPokrewienstwa, KodUbezpieczenia, RodzajIdentyfikatora, Wskazanie,
};
use super::model::{
    Adres, IdDokumentu, Lekarz, Niezdolnosc, Okres, Opieka, Placowka, Platnik, SeriaNumer,
    Ubezpieczony, Wystawienie, Zla, parse_date,
};
use super::tekst::{pokaz, skroc};
use super::{KED_ZLA_NS, Program, Wariant};
use crate::error::DocumentError;
use crate::xml::{Document, Element};
use crate::{Error, Result};

const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Everything read from a KEDU ZLA document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DokumentZla {
    /// The certificate.
    pub zla: Zla,
    /// Which document of the pair it is (`I/p2`).
    pub wariant: Wariant,
    /// The program header (`naglowek.KEDU/program`).
    pub program: Program,
    /// The `kolejnosc` attribute as written, if any.
    pub kolejnosc: Option<String>,
    /// Whether the document carries an enveloped `ds:Signature`.
    pub podpisany: bool,
}

/// A [`DocumentError::Malformed`](crate::error::DocumentError::Malformed) at `el`: its path, each name cut to a short prefix, and
/// only the first two and last three names of a path deeper than a KEDU document's.
pub(super) fn malformed(el: &Element<'_, '_>, detail: impl std::fmt::Display) -> Error {
    Error::Document(DocumentError::Malformed {
        detail: format!("{}: {detail}", sciezka(el)),
    })
}

/// The path of `el` for messages (see [`malformed`]). The ancestors are walked iteratively.
fn sciezka(el: &Element<'_, '_>) -> String {
    let names: Vec<&str> = el
        .node
        .ancestors()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    let mut out = String::new();
    for (i, name) in names.iter().rev().enumerate() {
        if names.len() > 6 && (2..names.len() - 3).contains(&i) {
            if i == 2 {
                out.push_str("/…");
            }
            continue;
        }
        out.push('/');
        out.push_str(&skroc(name));
    }
    out
}

pub(super) type Slots<'d, 'a> = Vec<Option<Element<'d, 'a>>>;

/// The children of `el` sorted into `names`, in order, each at most once; anything else
/// (unknown elements, text, elements out of order) is refused.
fn slots<'d, 'a: 'd>(el: Element<'d, 'a>, names: &[&str]) -> Result<Slots<'d, 'a>> {
    slots_in(el, KED_ZLA_NS, names)
}

/// [`slots`] for elements in the namespace `ns`.
pub(super) fn slots_in<'d, 'a: 'd>(
    el: Element<'d, 'a>,
    ns: &str,
    names: &[&str],
) -> Result<Slots<'d, 'a>> {
    let mut out: Slots<'d, 'a> = vec![None; names.len()];
    let mut last: Option<usize> = None;
    for node in el.node.children() {
        if node.is_text() {
            if node.text().is_some_and(|t| !t.trim().is_empty()) {
                return Err(malformed(&el, "unexpected text between elements"));
            }
            continue;
        }
        let Some(child) = Element::new(node) else {
            continue; // comments and processing instructions
        };
        if child.namespace() != Some(ns) {
            return Err(malformed(
                &child,
                format!(
                    "element in namespace {}, expected {ns}",
                    pokaz(child.namespace().unwrap_or(""))
                ),
            ));
        }
        let Some(i) = names.iter().position(|n| *n == child.local_name()) else {
            return Err(malformed(&child, "unknown element"));
        };
        if last.is_some_and(|l| l >= i) {
            return Err(malformed(
                &child,
                "element repeated or out of order (expected order: ".to_owned()
                    + &names.join(", ")
                    + ")",
            ));
        }
        last = Some(i);
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(child);
        }
    }
    Ok(out)
}

pub(super) fn slot<'d, 'a>(s: &Slots<'d, 'a>, i: usize) -> Option<Element<'d, 'a>> {
    s.get(i).copied().flatten()
}

/// The text of a leaf element.
pub(super) fn leaf(el: Element<'_, '_>) -> Result<String> {
    if el.children().next().is_some() {
        return Err(malformed(&el, "expected a value, found child elements"));
    }
    Ok(el.text())
}

pub(super) fn opt_text(s: &Slots<'_, '_>, i: usize) -> Result<Option<String>> {
    slot(s, i).map(leaf).transpose()
}

pub(super) fn text(s: &Slots<'_, '_>, i: usize) -> Result<String> {
    Ok(opt_text(s, i)?.unwrap_or_default())
}

pub(super) fn date(s: &Slots<'_, '_>, i: usize) -> Result<Option<time::Date>> {
    let Some(el) = slot(s, i) else {
        return Ok(None);
    };
    let t = leaf(el)?;
    parse_date(&t)
        .map(Some)
        .ok_or_else(|| malformed(&el, format!("{} is not a date (YYYY-MM-DD)", pokaz(&t))))
}

pub(super) fn code<T>(
    s: &Slots<'_, '_>,
    i: usize,
    what: &str,
    from: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    let Some(el) = slot(s, i) else {
        return Ok(None);
    };
    let t = leaf(el)?;
    from(&t)
        .map(Some)
        .ok_or_else(|| malformed(&el, format!("unknown {what} {}", pokaz(&t))))
}

fn boolean(s: &Slots<'_, '_>, i: usize) -> Result<bool> {
    let Some(el) = slot(s, i) else {
        return Ok(false);
    };
    match leaf(el)?.as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(malformed(&el, format!("{} is not a boolean", pokaz(other)))),
    }
}

fn okres(el: Option<Element<'_, '_>>) -> Result<Option<Okres>> {
    let Some(el) = el else { return Ok(None) };
    let s = slots(el, &["p1", "p2"])?;
    Ok(Some(Okres {
        od: date(&s, 0)?,
        do_: date(&s, 1)?,
    }))
}

/// `p1` series and `p2` number; an empty element means "not given".
fn seria_numer(el: Option<Element<'_, '_>>) -> Result<Option<SeriaNumer>> {
    let Some(el) = el else { return Ok(None) };
    if el.children().next().is_none() {
        if !el.text().trim().is_empty() {
            return Err(malformed(&el, "expected p1 (series) and p2 (number)"));
        }
        return Ok(None);
    }
    let s = slots(el, &["p1", "p2"])?;
    Ok(Some(SeriaNumer {
        seria: text(&s, 0)?,
        numer: text(&s, 1)?,
    }))
}

const P: [&str; 9] = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"];

/// Parses a KEDU ZLA document with everything it carries.
pub(crate) fn read(xml: &[u8]) -> Result<DokumentZla> {
    let doc = Document::parse_bytes(xml)?;
    let root = Element::new(doc.root_element())
        .ok_or_else(|| Error::internal("document without a document element"))?;
    if !root.is(KED_ZLA_NS, "KEDU") {
        return Err(Error::Document(DocumentError::Malformed {
            detail: format!(
                "the document element is {{{}}}{}, expected {{{KED_ZLA_NS}}}KEDU",
                skroc(root.namespace().unwrap_or("")),
                skroc(root.local_name())
            ),
        }));
    }
    if let Some(v) = root.attribute("wersja_schematu")
        && v != "1"
    {
        return Err(malformed(
            &root,
            format!("unknown wersja_schematu {}", pokaz(v)),
        ));
    }
    let Layout {
        naglowek,
        zuszla,
        podpisany,
    } = layout(root)?;
    let program = match naglowek {
        None => Program::default(),
        Some(n) => {
            let s = slots(n, &["program"])?;
            match slot(&s, 0) {
                None => Program::default(),
                Some(p) => {
                    let s = slots(p, &["producent", "symbol", "wersja"])?;
                    Program {
                        producent: text(&s, 0)?,
                        symbol: text(&s, 1)?,
                        wersja: text(&s, 2)?,
                    }
                }
            }
        }
    };
    let z = zuszla.ok_or_else(|| malformed(&root, "no ZUSZLA element"))?;
    let id = z.attribute("id_dokumentu").map(str::to_owned);
    let kolejnosc = z.attribute("kolejnosc").map(str::to_owned);
    let sections = slots(z, &["I", "II", "III", "IV", "V", "VI", "VII", "VIII"])?;

    let i = slot(&sections, 0).ok_or_else(|| malformed(&z, "no section I"))?;
    let s1 = slots(i, &["p1", "p2"])?;
    let seria = seria_numer(slot(&s1, 0))?;
    let wariant = match opt_text(&s1, 1)?.as_deref() {
        Some("ORYGINAŁ") => Wariant::Oryginal,
        Some("KOPIA") => Wariant::Kopia,
        Some(other) => {
            return Err(malformed(
                &i,
                format!("p2 is {}, expected ORYGINAŁ or KOPIA", pokaz(other)),
            ));
        }
        None => return Err(malformed(&i, "no p2 (ORYGINAŁ or KOPIA)")),
    };

    let ubezpieczony = match slot(&sections, 1) {
        None => None,
        Some(el) => {
            let s = slots(el, &P[..6])?;
            Some(Ubezpieczony {
                pesel: opt_text(&s, 0)?,
                imie: text(&s, 1)?,
                nazwisko: text(&s, 2)?,
                kod_ubezpieczenia: code(&s, 3, "insurer code", KodUbezpieczenia::from_kod)?,
                paszport: opt_text(&s, 4)?,
                data_urodzenia: date(&s, 5)?,
            })
        }
    };

    let adres = match slot(&sections, 2) {
        None => None,
        Some(el) => {
            let s = slots(el, &P[..5])?;
            Some(Adres {
                kod_pocztowy: text(&s, 0)?,
                miejscowosc: text(&s, 1)?,
                ulica: opt_text(&s, 2)?,
                nr_domu: text(&s, 3)?,
                nr_lokalu: opt_text(&s, 4)?,
            })
        }
    };

    let niezdolnosc = match slot(&sections, 3) {
        None => None,
        Some(el) => {
            let s = slots(el, &P)?;
            let mut kody_literowe = Vec::new();
            for k in 3..7 {
                if let Some(kod) = code(&s, k, "letter code", KodLiterowy::from_kod)? {
                    kody_literowe.push(kod);
                }
            }
            let opieka = match slot(&s, 8) {
                None => None,
                Some(el) => {
                    let s = slots(el, &["p1", "p2"])?;
                    Some(Opieka {
                        kod_pokrewienstwa: code(&s, 0, "kinship code", KodPokrewienstwa::from_kod)?,
                        data_urodzenia: date(&s, 1)?,
                    })
                }
            };
            Some(Niezdolnosc {
                okres: okres(slot(&s, 0))?,
                pobyt_w_szpitalu: okres(slot(&s, 1))?,
                wskazanie: code(&s, 2, "indication", Wskazanie::from_kod)?,
                kody_literowe,
                kod_choroby: opt_text(&s, 7)?,
                opieka,
            })
        }
    };

    let platnik = match slot(&sections, 4) {
        None => None,
        Some(el) => {
            let s = slots(el, &P[..2])?;
            Some(Platnik {
                rodzaj: code(
                    &s,
                    0,
                    "payer identifier type",
                    RodzajIdentyfikatora::from_kod,
                )?,
                identyfikator: text(&s, 1)?,
            })
        }
    };

    let placowka = match slot(&sections, 5) {
        None => None,
        Some(el) => {
            let s = slots(el, &P[..6])?;
            Some(Placowka {
                nazwa: text(&s, 0)?,
                kod_pocztowy: text(&s, 1)?,
                miejscowosc: text(&s, 2)?,
                ulica: opt_text(&s, 3)?,
                nr_domu: text(&s, 4)?,
                nr_lokalu: opt_text(&s, 5)?,
            })
        }
    };

    let lekarz = match slot(&sections, 6) {
        None => None,
        Some(el) => {
            let s = slots(el, &P[..3])?;
            Some(Lekarz {
                npwz: text(&s, 0)?,
                imie: text(&s, 1)?,
                nazwisko: text(&s, 2)?,
            })
        }
    };

    let wystawienie = match slot(&sections, 7) {
        None => None,
        Some(el) => {
            let s = slots(el, &P[..8])?;
            Some(Wystawienie {
                data_wystawienia: date(&s, 0)?,
                data_elektronizacji: date(&s, 1)?,
                uzasadnienie_wsteczne: opt_text(&s, 2)?,
                anulowane_zla: seria_numer(slot(&s, 3))?,
                powiazane_zla: seria_numer(slot(&s, 4))?,
                pobyt_stacjonarny_zoz: boolean(&s, 5)?,
                ukryte_dla_platnika: boolean(&s, 6)?,
                nip_placowki: opt_text(&s, 7)?,
            })
        }
    };

    let id_dokumentu = match wariant {
        Wariant::Oryginal => IdDokumentu {
            oryginal: id,
            kopia: None,
        },
        Wariant::Kopia => IdDokumentu {
            oryginal: None,
            kopia: id,
        },
    };
    Ok(DokumentZla {
        zla: Zla {
            id_dokumentu,
            seria_numer: seria,
            ubezpieczony,
            adres,
            niezdolnosc,
            platnik,
            placowka,
            lekarz,
            wystawienie,
        },
        wariant,
        program,
        kolejnosc,
        podpisany,
    })
}

/// The children of a KEDU ZLA document element.
pub(super) struct Layout<'d, 'a> {
    /// `naglowek.KEDU`, if present.
    pub(super) naglowek: Option<Element<'d, 'a>>,
    /// `ZUSZLA`, if present.
    pub(super) zuszla: Option<Element<'d, 'a>>,
    /// Whether enveloped signatures follow `ZUSZLA`.
    pub(super) podpisany: bool,
}

/// Sorts the children of the `KEDU` element: `naglowek.KEDU` (optional), `ZUSZLA`, then the
/// enveloped `ds:Signature`s, which may sit nowhere else. Anything else, a signature before
/// `ZUSZLA` included, is refused with [`DocumentError::Malformed`](crate::error::DocumentError::Malformed). This is the one rule of
/// where a signature sits in an e-ZLA: [`super::check_signature_placement`] applies it to
/// signed documents being verified.
pub(super) fn layout<'d, 'a: 'd>(root: Element<'d, 'a>) -> Result<Layout<'d, 'a>> {
    layout_in(root, KED_ZLA_NS, "ZUSZLA")
}

/// [`layout`] for a KEDU document whose namespace is `ns` and whose body is `body` (the
/// AZLA's is `ZUSAZLA`); `Layout::zuszla` is that body.
pub(super) fn layout_in<'d, 'a: 'd>(
    root: Element<'d, 'a>,
    ns: &str,
    body: &str,
) -> Result<Layout<'d, 'a>> {
    // KEDU: naglowek.KEDU, the body, then an optional enveloped signature.
    let mut naglowek = None;
    let mut zuszla = None;
    let mut podpisany = false;
    for node in root.node.children() {
        if node.is_text() {
            if node.text().is_some_and(|t| !t.trim().is_empty()) {
                return Err(malformed(&root, "unexpected text between elements"));
            }
            continue;
        }
        let Some(child) = Element::new(node) else {
            continue;
        };
        if child.is(DSIG_NS, "Signature") && zuszla.is_some() {
            podpisany = true;
        } else if child.is(DSIG_NS, "Signature") {
            return Err(malformed(
                &child,
                format!("unexpected element: an enveloped ds:Signature must come after {body}"),
            ));
        } else if child.is(ns, "naglowek.KEDU") && naglowek.is_none() && zuszla.is_none() {
            naglowek = Some(child);
        } else if child.is(ns, body) && zuszla.is_none() && !podpisany {
            zuszla = Some(child);
        } else {
            return Err(malformed(&child, "unexpected element"));
        }
    }
    Ok(Layout {
        naglowek,
        zuszla,
        podpisany,
    })
}
