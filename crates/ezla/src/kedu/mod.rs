//! e-ZLA documents: the typed model of the KEDU ZLA certificate, its validation, and its XML.
//!
//! An e-ZLA (*elektroniczne zaświadczenie lekarskie*) is a KEDU XML document in the namespace
//! [`KED_ZLA_NS`], whose body `ZUSZLA` has the sections I–VIII. Each certificate is a pair:
//! the ORYGINAŁ, and the KOPIA for the payer, which never carries the ICD-10 code. Both are
//! written from one [`Zla`] model. Mistakes are corrected by a cancellation ([`azla`]) and a
//! new certificate.
//!
//! * [`Zla`] — the model, with a JSON form (serde, [`Zla::from_json`]).
//! * [`Zla::validate`] — every problem at once, errors and warnings, each with its field path.
//! * [`Zla::to_xml`] / [`Zla::from_xml`] — the exact XML ZUS expects, and back.
//! * [`check`] — validate a document read from XML.
//! * [`plan`] — split a requested period into retroactive and current certificates, one pair
//!   per payer.
//!
//! ```
//! use ezla::kedu::{Wariant, WriteOptions, Zla};
//! use time::macros::date;
//!
//! let zla = Zla::from_json(r#"{
//!   "ubezpieczony": { "pesel": "44051401359", "imie": "Jan", "nazwisko": "Kowalski",
//!                     "kod_ubezpieczenia": "zus" },
//!   "adres": { "kod_pocztowy": "00950", "miejscowosc": "Warszawa", "ulica": "Długa",
//!              "nr_domu": "5" },
//!   "niezdolnosc": { "okres": { "od": "2026-11-30", "do": "2026-12-06" },
//!                    "wskazanie": "moze_chodzic", "kod_choroby": "J06" },
//!   "platnik": { "rodzaj": "nip", "identyfikator": "1234563218" },
//!   "placowka": { "nazwa": "Przychodnia", "kod_pocztowy": "00950",
//!                 "miejscowosc": "Warszawa", "nr_domu": "1" },
//!   "lekarz": { "npwz": "5425740", "imie": "Anna", "nazwisko": "Nowak" },
//!   "wystawienie": { "data_wystawienia": "2026-12-01" }
//! }"#)?;
//! let today = date!(2026 - 12 - 01);
//! let validation = zla.validate(today);
//! assert!(validation.is_valid(), "{:?}", validation.errors());
//!
//! let options = WriteOptions::default().with_today(today);
//! let oryginal = zla.to_xml(Wariant::Oryginal, &options)?;
//! let kopia = zla.to_xml(Wariant::Kopia, &options)?;
//! assert!(String::from_utf8_lossy(&oryginal).contains("<p8>J06</p8>"));
//! assert!(!String::from_utf8_lossy(&kopia).contains("J06")); // the payer never sees it
//!
//! let (back, wariant) = Zla::from_xml(&kopia)?;
//! assert_eq!(wariant, Wariant::Kopia);
//! assert_eq!(back.niezdolnosc.and_then(|n| n.kod_choroby), None);
//! # Ok::<(), ezla::Error>(())
//! ```
//!
//! There is no public XSD for the document; the field map and the rules come from ZUS's WSDL,
//! ZUS-validated samples and ZUS's answers, and where they are our inference the rule says so
//! ([`Problem::inferred`]). `docs/kedu.md` lists every field and rule with its source.

pub mod azla;
pub mod codes;
mod model;
pub mod plan;
mod read;
mod tekst;
mod validate;
mod write;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_tekst;

use serde::{Deserialize, Serialize};
use time::Date;

/// Problems and their severity live in [`crate::error`] (ZUS's validation results use them
/// too); re-exported here where validation reports them.
pub use crate::error::{Problem, Severity};
pub use model::{
    Adres, IdDokumentu, Lekarz, Niezdolnosc, Okres, Opieka, Placowka, Platnik, SeriaNumer,
    Ubezpieczony, Wystawienie, Zla,
};
pub use read::DokumentZla;
pub use validate::{
    DNI_WSTECZ, E_ZLA_OD, MAX_UZASADNIENIE, OKRES_ZASILKOWY, OKRES_ZASILKOWY_DLUGI, Validation,
};

use crate::error::DocumentError;
use crate::error::Format;
use crate::{Error, Result};
use validate::Purpose;

/// The namespace of KEDU ZLA documents.
pub const KED_ZLA_NS: &str = "http://www.zus.pl/2015/KED_ZLA_1";

/// Which document of the pair (`I/p2`): ORYGINAŁ, or KOPIA for the payer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Wariant {
    /// ORYGINAŁ: the full certificate, for ZUS; carries the ICD-10 code.
    Oryginal,
    /// KOPIA: the payer's copy, without the ICD-10 code.
    Kopia,
}

impl Wariant {
    /// The value of `I/p2`: `ORYGINAŁ` or `KOPIA`.
    pub const fn napis(self) -> &'static str {
        match self {
            Wariant::Oryginal => "ORYGINAŁ",
            Wariant::Kopia => "KOPIA",
        }
    }

    /// The `kolejnosc` attribute: `0` for the ORYGINAŁ, `1` for the KOPIA (as in
    /// ZUS-validated pairs; inferred).
    pub const fn kolejnosc(self) -> &'static str {
        match self {
            Wariant::Oryginal => "0",
            Wariant::Kopia => "1",
        }
    }
}

impl std::fmt::Display for Wariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.napis())
    }
}

/// The program header of a KEDU document (`naglowek.KEDU/program`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Program {
    /// The software's producer (`producent`).
    pub producent: String,
    /// The program's symbol (`symbol`; ZUS-validated documents use `eZLA`).
    pub symbol: String,
    /// The program's version (`wersja`).
    pub wersja: String,
}

impl Default for Program {
    fn default() -> Self {
        Program {
            producent: "ezla".to_owned(),
            symbol: "eZLA".to_owned(),
            wersja: "1.0".to_owned(),
        }
    }
}

/// How [`Zla::to_xml`] writes a document.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteOptions {
    /// `naglowek.KEDU/program/producent`. Default: `ezla`.
    pub producent: String,
    /// `naglowek.KEDU/program/symbol`. Default: `eZLA`.
    pub symbol: String,
    /// `naglowek.KEDU/program/wersja`. Default: `1.0`.
    pub wersja: String,
    /// The day the model is validated against. Default: today's date in Poland
    /// ([`crate::pl::czas::today`]).
    pub today: Option<Date>,
    /// Write this issue date (`VIII/p1`) instead of the model's.
    pub data_wystawienia: Option<Date>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        let p = Program::default();
        WriteOptions {
            producent: p.producent,
            symbol: p.symbol,
            wersja: p.wersja,
            today: None,
            data_wystawienia: None,
        }
    }
}

impl WriteOptions {
    /// Sets the program header.
    pub fn with_program(mut self, program: Program) -> Self {
        self.producent = program.producent;
        self.symbol = program.symbol;
        self.wersja = program.wersja;
        self
    }

    /// Sets the day the model is validated against.
    pub fn with_today(mut self, today: Date) -> Self {
        self.today = Some(today);
        self
    }

    /// Writes this issue date instead of the model's.
    pub fn with_data_wystawienia(mut self, date: Date) -> Self {
        self.data_wystawienia = Some(date);
        self
    }

    fn check(&self) -> Result<()> {
        for (argument, value, pole) in [
            ("producent", &self.producent, validate::PRODUCENT),
            ("symbol", &self.symbol, validate::SYMBOL),
            ("wersja", &self.wersja, validate::SYMBOL),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid_argument(argument, "must not be empty"));
            }
            let n = value.chars().count();
            if n > pole.max() {
                return Err(Error::invalid_argument(
                    argument,
                    format!(
                        "{n} characters, at most {}: {}",
                        pole.max(),
                        tekst::pokaz(value)
                    ),
                ));
            }
            if let Some((i, c, why)) = value
                .chars()
                .enumerate()
                .find_map(|(i, c)| Some((i, c, tekst::niedozwolony(c)?)))
            {
                return Err(Error::invalid_argument(
                    argument,
                    format!(
                        "character {} is U+{:04X}, {why}, which the program header does not \
                         allow: {}",
                        i + 1,
                        u32::from(c),
                        tekst::pokaz(value)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// How many characters of the offending JSON line an error quotes.
const LINIA_ZNAKOW: usize = 60;

/// A JSON error with serde's message (field, line, column) and the offending line quoted,
/// which names the field when serde's message does not (`invalid type: ...`).
///
/// serde quotes values and keys in full (`unknown field `…``, `invalid type: string "…"`):
/// the message is cut to short prefixes ([`tekst::skroc_komunikat`]), and so is the quoted
/// line, so that a 10 MB value does not come back in the error.
pub(crate) fn json_error(json: &str, e: &serde_json::Error, what: &str) -> Error {
    let mut detail = tekst::skroc_komunikat(&e.to_string());
    let line = json
        .lines()
        .nth(e.line().saturating_sub(1))
        .map(str::trim)
        .filter(|l| !l.is_empty() && e.line() > 0);
    if let Some(line) = line {
        detail.push_str(&format!(": `{}`", tekst::skroc_do(line, LINIA_ZNAKOW)));
    }
    Error::malformed(Format::Json, what, detail)
}

/// The paths of the JSON form's lists (the only places an array belongs); see
/// [`require_objects`].
const ZLA_LISTS: &[&str] = &["niezdolnosc.kody_literowe"];

/// serde reads a struct from a JSON array too, taking the fields by position: `[]` would
/// be an empty model, and `"lekarz": ["Jan", "Kowalski", …]` would fill the doctor's fields
/// in declaration order, whatever the sender meant. The JSON form names every field, so
/// the document must be an object, and so must every value that is not one of `lists` (dot
/// paths) or a scalar.
pub(crate) fn require_objects(json: &str, what: &str, lists: &[&str]) -> Result<()> {
    require_object(json, what)?;
    // Syntax errors are left to the typed parse, which reports them with line and column.
    let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else {
        return Ok(());
    };
    let mut path = String::new();
    no_arrays_outside(&value, &mut path, lists).map_err(|at| {
        Error::malformed(
            Format::Json,
            what,
            format!("`{at}` is a JSON array; it must be an object with named fields"),
        )
    })
}

/// The path of the first array that is not at one of `lists`.
fn no_arrays_outside(
    value: &serde_json::Value,
    path: &mut String,
    lists: &[&str],
) -> std::result::Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&tekst::skroc(key));
                no_arrays_outside(child, path, lists)?;
                path.truncate(len);
            }
            Ok(())
        }
        serde_json::Value::Array(_) if !lists.contains(&path.as_str()) => Err(path.clone()),
        // The items of a list are codes (strings); the typed parse checks them.
        _ => Ok(()),
    }
}

/// The document must be an object (see [`require_objects`]).
fn require_object(json: &str, what: &str) -> Result<()> {
    match json
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .chars()
        .next()
    {
        Some('{') => Ok(()),
        Some(c) => Err(Error::malformed(
            Format::Json,
            what,
            format!(
                "expected a JSON object (`{{ … }}`), found {}",
                tekst::pokaz(c.encode_utf8(&mut [0; 4]))
            ),
        )),
        None => Err(Error::malformed(Format::Json, what, "empty input")),
    }
}

impl Zla {
    /// Reads the JSON form. Errors: [`ErrorCode::JsonMalformed`](crate::ErrorCode) with
    /// serde's message, which names the field and gives the line and column.
    pub fn from_json(json: &str) -> Result<Zla> {
        require_objects(json, "e-ZLA JSON", ZLA_LISTS)?;
        serde_json::from_str(json).map_err(|e| json_error(json, &e, "e-ZLA JSON"))
    }

    /// The JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        // Serialising these plain data types cannot fail (string keys, no maps).
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every problem of the model as a whole, from which both documents are written.
    /// `today` is the day to judge dates against (issue date not in the future, etc.).
    pub fn validate(&self, today: Date) -> Validation {
        validate::validate(self, today, Purpose::Model)
    }

    /// Every problem of a *document* of the pair, as read from XML: a KOPIA needs no ICD-10
    /// code and must not carry one; only that document's identifier is expected.
    pub fn validate_as(&self, wariant: Wariant, today: Date) -> Validation {
        validate::validate(self, today, Purpose::Read(wariant))
    }

    /// Writes the ORYGINAŁ or the KOPIA (which leaves out `IV/p8`, the ICD-10 code).
    ///
    /// The model is validated first (against `options.today`, default today in Poland); a model
    /// with errors is refused with [`DocumentError::Invalid`](crate::error::DocumentError::Invalid) listing every problem. Warnings
    /// do not block writing.
    pub fn to_xml(&self, wariant: Wariant, options: &WriteOptions) -> Result<Vec<u8>> {
        options.check()?;
        let mut model = std::borrow::Cow::Borrowed(self);
        if let Some(d) = options.data_wystawienia {
            model
                .to_mut()
                .wystawienie
                .get_or_insert_with(Wystawienie::default)
                .data_wystawienia = Some(d);
        }
        let today = options.today.unwrap_or_else(crate::pl::czas::today);
        validate::validate(&model, today, Purpose::Write(wariant)).into_result()?;
        Ok(write::write(&model, wariant, options))
    }

    /// Writes both documents of the pair: `(ORYGINAŁ, KOPIA)`. See [`Zla::to_xml`].
    pub fn to_xml_pair(&self, options: &WriteOptions) -> Result<(Vec<u8>, Vec<u8>)> {
        Ok((
            self.to_xml(Wariant::Oryginal, options)?,
            self.to_xml(Wariant::Kopia, options)?,
        ))
    }

    /// Parses a KEDU ZLA document (signed or not). Errors:
    /// [`DocumentError::Malformed`](crate::error::DocumentError::Malformed) for a document of an unknown shape, XML errors
    /// (`XmlMalformed`, `XmlDtdForbidden`, ...) for XML that is not well-formed or not safe.
    ///
    /// The model carries only this document's identifier, and a KOPIA has no ICD-10 code.
    pub fn from_xml(xml: &[u8]) -> Result<(Zla, Wariant)> {
        let d = read::read(xml)?;
        Ok((d.zla, d.wariant))
    }

    /// Parses a document with its header and attributes; see [`Zla::from_xml`].
    pub fn read_xml(xml: &[u8]) -> Result<DokumentZla> {
        read::read(xml)
    }

    /// Parses both documents of a pair into one model: the ICD-10 code from the ORYGINAŁ, both
    /// identifiers. Fails with [`DocumentError::Malformed`](crate::error::DocumentError::Malformed) when the two documents differ in
    /// anything else.
    pub fn from_pair(oryginal: &[u8], kopia: &[u8]) -> Result<Zla> {
        let (o, wo) = Zla::from_xml(oryginal)?;
        let (k, wk) = Zla::from_xml(kopia)?;
        if wo != Wariant::Oryginal || wk != Wariant::Kopia {
            return Err(Error::Document(DocumentError::Malformed {
                detail: format!("expected an ORYGINAŁ and a KOPIA, got {wo} and {wk}"),
            }));
        }
        if k.niezdolnosc
            .as_ref()
            .is_some_and(|n| n.kod_choroby.is_some())
        {
            return Err(Error::Document(DocumentError::Malformed {
                detail: "/KEDU/ZUSZLA/IV/p8: the KOPIA carries the ICD-10 code".into(),
            }));
        }
        let mut merged = o;
        merged.id_dokumentu.kopia = k.id_dokumentu.kopia.clone();
        let mut without_icd = merged.clone();
        without_icd.id_dokumentu.oryginal = None;
        if let Some(n) = without_icd.niezdolnosc.as_mut() {
            n.kod_choroby = None;
        }
        if without_icd != k {
            return Err(Error::Document(DocumentError::Malformed {
                detail: "the ORYGINAŁ and the KOPIA describe different certificates".into(),
            }));
        }
        Ok(merged)
    }
}

/// Reads a KEDU ZLA document and validates it as that document of the pair
/// ([`Zla::validate_as`]), adding a warning when `kolejnosc` is not the usual one.
/// For `ezla kedu check`.
///
/// The program header (`naglowek.KEDU/program`) is held to the text rules of the header
/// [`WriteOptions`] writes (length, refused characters), as problems at `program.producent`,
/// `program.symbol` and `program.wersja`.
pub fn check(xml: &[u8], today: Date) -> Result<Validation> {
    let d = read::read(xml)?;
    let mut v = d.zla.validate_as(d.wariant, today);
    let mut header = validate::Ctx {
        prefix: "KEDU/naglowek.KEDU/program",
        problems: Vec::new(),
    };
    for (path, element, value, pole) in [
        (
            "program.producent",
            "producent",
            &d.program.producent,
            validate::PRODUCENT,
        ),
        (
            "program.symbol",
            "symbol",
            &d.program.symbol,
            validate::SYMBOL,
        ),
        (
            "program.wersja",
            "wersja",
            &d.program.wersja,
            validate::SYMBOL,
        ),
    ] {
        header.text(path, element, value, pole);
    }
    // The header comes first in the document, and so do its problems.
    v.problems.splice(0..0, header.problems);
    if d.kolejnosc.as_deref() != Some(d.wariant.kolejnosc()) {
        v.problems.push(Problem {
            path: "kolejnosc".into(),
            element: "KEDU/ZUSZLA/@kolejnosc".into(),
            message: format!(
                "kolejnosc is {}, ZUS-validated pairs use {} for the {}",
                d.kolejnosc.as_deref().map_or("absent".into(), tekst::pokaz),
                d.wariant.kolejnosc(),
                d.wariant
            ),
            severity: Severity::Warning,
            rule: "kolejnosc",
            inferred: true,
        });
    }
    Ok(v)
}

/// Checks where the signatures of a KEDU ZLA document sit, by the rule [`check`] and
/// [`Zla::read_xml`] apply: children of the `KEDU` element, after `ZUSZLA` (and nothing else
/// at that level but `naglowek.KEDU` before `ZUSZLA`). Signature verification checks that the
/// signature covers the document but not where it sits (an enveloped signature is excluded
/// from its own digest, so it can be moved without breaking it); `ezla verify` calls this so
/// that it never calls VALID a document `ezla kedu check` refuses for its signature's place.
///
/// Returns `Ok(true)` when the document element is `{KED_ZLA_NS}KEDU` and the rule holds,
/// `Ok(false)` for any other document (the rule does not apply), and the same
/// [`DocumentError::Malformed`] as [`check`] when it is broken.
pub fn check_signature_placement(xml: &[u8]) -> Result<bool> {
    let doc = crate::xml::Document::parse_bytes(xml)?;
    let Some(root) = crate::xml::Element::new(doc.root_element()) else {
        return Ok(false);
    };
    if !root.is(KED_ZLA_NS, "KEDU") {
        return Ok(false);
    }
    read::layout(root)?;
    Ok(true)
}
