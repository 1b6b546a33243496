//! Validation of the e-ZLA model: every problem at once, each with its field path.
//!
//! ZUS distinguishes errors (*BLAD*: the document is refused) from warnings (*OSTRZEZENIE*:
//! the document is accepted and the warning reported). [`Severity`] mirrors that. Each
//! [`Problem`] names the rule it breaks (`rule`, a stable identifier listed in `docs/kedu.md`)
//! and says whether the rule is **inferred** (our reading, not found in a ZUS source) or comes
//! from ZUS (the WSDL's simple types, ZUS's observed answers, the ZUS document rules).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::Wariant;
use super::model::{Adres, Okres, Placowka, SeriaNumer, Zla};
use crate::pl::{IdError, Nip, Pesel};

/// How serious a problem is, as ZUS distinguishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// ZUS refuses the document (*błąd*).
    Error,
    /// ZUS accepts the document and reports the warning (*ostrzeżenie*).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in a model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field's path in the model / JSON form, e.g. `ubezpieczony.pesel`.
    pub path: String,
    /// The XML element, as ZUS's `Lokalizacja` names it, e.g. `KEDU/ZUSZLA/II/p1`.
    pub element: String,
    /// What is wrong (English).
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// The rule's stable identifier (see `docs/kedu.md`).
    pub rule: &'static str,
    /// Whether the rule is our inference rather than taken from a ZUS source.
    pub inferred: bool,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}): {} [{}{}]",
            self.severity,
            self.path,
            self.element,
            self.message,
            self.rule,
            if self.inferred { ", inferred" } else { "" }
        )
    }
}

/// The result of validating a model: every problem found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// The problems, in document order.
    pub problems: Vec<Problem>,
}

impl Validation {
    /// Whether there is no error (warnings allowed): ZUS would accept the document.
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The errors.
    pub fn errors(&self) -> Vec<&Problem> {
        self.of(Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> Vec<&Problem> {
        self.of(Severity::Warning)
    }

    fn of(&self, severity: Severity) -> Vec<&Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .collect()
    }

    /// `Ok(self)` without errors, else [`Error::DocumentInvalid`](crate::Error::DocumentInvalid)
    /// listing every problem (warnings included).
    pub fn into_result(self) -> crate::Result<Validation> {
        if self.is_valid() {
            Ok(self)
        } else {
            Err(crate::Error::DocumentInvalid {
                problems: self.problems,
            })
        }
    }
}

/// What the model is being validated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// The model as a whole, from which both documents are written.
    Model,
    /// Writing one document of the pair.
    Write(Wariant),
    /// A document read from XML.
    Read(Wariant),
}

/// Days a certificate may reach back before its issue date without a justification.
pub const DNI_WSTECZ: i64 = 3;

/// Longest justification of a backdated certificate (WSDL `UzasadnienieZaswiadczeniaWstecznego`).
pub const MAX_UZASADNIENIE: usize = 3000;

/// Collects problems; `prefix` is the body element (`KEDU/ZUSZLA`).
pub(super) struct Ctx {
    pub(super) prefix: &'static str,
    pub(super) problems: Vec<Problem>,
}

/// Whether the rule is inferred, for readability at call sites.
pub(super) const INFERRED: bool = true;
pub(super) const ZUS: bool = false;

impl Ctx {
    fn push(
        &mut self,
        severity: Severity,
        path: &str,
        element: &str,
        rule: &'static str,
        inferred: bool,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            path: path.to_owned(),
            element: format!("{}/{element}", self.prefix),
            message: message.into(),
            severity,
            rule,
            inferred,
        });
    }

    pub(super) fn error(
        &mut self,
        path: &str,
        element: &str,
        rule: &'static str,
        inferred: bool,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, path, element, rule, inferred, message);
    }

    pub(super) fn warning(
        &mut self,
        path: &str,
        element: &str,
        rule: &'static str,
        inferred: bool,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, path, element, rule, inferred, message);
    }

    pub(super) fn missing(&mut self, path: &str, element: &str) {
        self.error(
            path,
            element,
            "wymagane",
            INFERRED,
            "required field is missing",
        );
    }

    pub(super) fn missing_section(&mut self, path: &str, element: &str) {
        self.error(
            path,
            element,
            "sekcja_wymagana",
            INFERRED,
            "required section is missing",
        );
    }

    /// Characters XML 1.0 cannot carry, and blank-only values.
    pub(super) fn text(&mut self, path: &str, element: &str, value: &str) -> bool {
        if let Some(c) = value.chars().find(|c| !xml_char(*c)) {
            self.error(
                path,
                element,
                "znaki_xml",
                ZUS,
                format!("character U+{:04X} cannot be written in XML", u32::from(c)),
            );
            return false;
        }
        true
    }

    /// A required text field.
    pub(super) fn required(&mut self, path: &str, element: &str, value: &str) -> bool {
        if value.trim().is_empty() {
            self.missing(path, element);
            return false;
        }
        self.text(path, element, value)
    }

    /// An optional text field: absent is fine, present must not be blank.
    pub(super) fn optional(&mut self, path: &str, element: &str, value: Option<&str>) -> bool {
        match value {
            None => false,
            Some(v) if v.trim().is_empty() => {
                self.error(
                    path,
                    element,
                    "puste",
                    INFERRED,
                    "optional field is present but blank: leave it out instead",
                );
                false
            }
            Some(v) => self.text(path, element, v),
        }
    }

    pub(super) fn date_in_range(&mut self, path: &str, element: &str, date: Date) {
        if !(1800..=9999).contains(&date.year()) {
            self.error(
                path,
                element,
                "data",
                INFERRED,
                format!("year {} is outside 1800–9999", date.year()),
            );
        }
    }
}

/// Whether XML 1.0 can carry the character.
fn xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The WSDL `ID` type: `[0-9a-zA-Z]*` (required here, so at least one character).
fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub(crate) fn validate(zla: &Zla, today: Date, purpose: Purpose) -> Validation {
    let mut c = Ctx {
        prefix: "KEDU/ZUSZLA",
        problems: Vec::new(),
    };
    id_dokumentu(&mut c, zla, purpose);
    seria_numer_i(&mut c, zla);
    ubezpieczony(&mut c, zla, today);
    match &zla.adres {
        None => c.missing_section("adres", "III"),
        Some(a) => adres(&mut c, a),
    }
    niezdolnosc(&mut c, zla, today, purpose);
    platnik(&mut c, zla);
    match &zla.placowka {
        None => c.missing_section("placowka", "VI"),
        Some(p) => placowka(&mut c, p),
    }
    lekarz(&mut c, zla);
    wystawienie(&mut c, zla, today);
    Validation {
        problems: c.problems,
    }
}

fn id_dokumentu(c: &mut Ctx, zla: &Zla, purpose: Purpose) {
    let ids = [
        (
            Wariant::Oryginal,
            "id_dokumentu.oryginal",
            &zla.id_dokumentu.oryginal,
        ),
        (
            Wariant::Kopia,
            "id_dokumentu.kopia",
            &zla.id_dokumentu.kopia,
        ),
    ];
    for (wariant, path, id) in ids {
        let relevant = match purpose {
            Purpose::Model => true,
            Purpose::Write(w) | Purpose::Read(w) => w == wariant,
        };
        match id {
            Some(id) if !is_id(id) => c.error(
                path,
                "@id_dokumentu",
                "id_dokumentu",
                ZUS,
                format!("`{id}` is not a KEDU document identifier (letters and digits)"),
            ),
            None if relevant => c.warning(
                path,
                "@id_dokumentu",
                "id_dokumentu",
                INFERRED,
                "no KEDU identifier: ZUS expects the one reserved with the series and number \
                 (warning 185)",
            ),
            _ => {}
        }
    }
}

pub(super) fn seria_numer(c: &mut Ctx, path: &str, element: &str, sn: &SeriaNumer) {
    if !(sn.seria.len() == 2 && sn.seria.bytes().all(|b| b.is_ascii_uppercase())) {
        c.error(
            &format!("{path}.seria"),
            &format!("{element}/p1"),
            "wzorzec",
            ZUS,
            format!("series `{}` must be two capital letters", sn.seria),
        );
    }
    if !all_digits(&sn.numer, 7) {
        c.error(
            &format!("{path}.numer"),
            &format!("{element}/p2"),
            "wzorzec",
            ZUS,
            format!("number `{}` must be seven digits", sn.numer),
        );
    }
}

fn seria_numer_i(c: &mut Ctx, zla: &Zla) {
    match &zla.seria_numer {
        // ZUS answers W145 (a warning) for a document without series and number.
        None => c.warning(
            "seria_numer",
            "I/p1",
            "seria_numer",
            ZUS,
            "series and number are required (ZUS warning W145)",
        ),
        Some(sn) => seria_numer(c, "seria_numer", "I/p1", sn),
    }
}

fn pesel_problem(e: &IdError) -> &'static str {
    match e {
        IdError::CheckDigit { .. } => "pesel",
        IdError::InvalidBirthDate => "pesel",
        _ => "wzorzec",
    }
}

fn ubezpieczony(c: &mut Ctx, zla: &Zla, today: Date) {
    let Some(u) = &zla.ubezpieczony else {
        c.missing_section("ubezpieczony", "II");
        return;
    };
    let mut pesel_date = None;
    match (&u.pesel, &u.paszport) {
        (None, None) => c.error(
            "ubezpieczony.pesel",
            "II/p1",
            "identyfikator_ubezpieczonego",
            INFERRED,
            "the insured person needs a PESEL or, without one, a passport number",
        ),
        (Some(_), Some(_)) => c.error(
            "ubezpieczony.paszport",
            "II/p5",
            "identyfikator_ubezpieczonego",
            INFERRED,
            "give either a PESEL or a passport number, not both",
        ),
        _ => {}
    }
    if let Some(p) = &u.pesel {
        match Pesel::parse(p) {
            Ok(p) => pesel_date = Some(p.birth_date()),
            Err(e) => c.error(
                "ubezpieczony.pesel",
                "II/p1",
                pesel_problem(&e),
                ZUS,
                format!("`{p}`: {e}"),
            ),
        }
    }
    if let Some(p) = &u.paszport {
        if c.optional("ubezpieczony.paszport", "II/p5", Some(p)) && !is_id(p) {
            c.error(
                "ubezpieczony.paszport",
                "II/p5",
                "wzorzec",
                ZUS,
                "a passport series and number has only letters and digits",
            );
        }
        if u.data_urodzenia.is_none() && u.pesel.is_none() {
            c.error(
                "ubezpieczony.data_urodzenia",
                "II/p6",
                "wymagane",
                INFERRED,
                "a person identified by passport needs a birth date",
            );
        }
    }
    c.required("ubezpieczony.imie", "II/p2", &u.imie);
    c.required("ubezpieczony.nazwisko", "II/p3", &u.nazwisko);
    if u.kod_ubezpieczenia.is_none() {
        c.missing("ubezpieczony.kod_ubezpieczenia", "II/p4");
    }
    if let Some(d) = u.data_urodzenia {
        c.date_in_range("ubezpieczony.data_urodzenia", "II/p6", d);
        if let Some(pd) = pesel_date {
            if pd != d {
                c.error(
                    "ubezpieczony.data_urodzenia",
                    "II/p6",
                    "pesel_data_urodzenia",
                    ZUS,
                    format!("birth date {d} differs from the one the PESEL encodes ({pd})"),
                );
            }
        }
        if d > today {
            c.error(
                "ubezpieczony.data_urodzenia",
                "II/p6",
                "data_przyszla",
                INFERRED,
                format!("birth date {d} is in the future"),
            );
        }
    }
}

fn postcode(c: &mut Ctx, path: &str, element: &str, value: &str) {
    if c.required(path, element, value) && !all_digits(value, 5) {
        c.error(
            path,
            element,
            "kod_pocztowy",
            INFERRED,
            format!("postcode `{value}` must be five digits without the dash (e.g. 25624)"),
        );
    }
}

fn adres(c: &mut Ctx, a: &Adres) {
    postcode(c, "adres.kod_pocztowy", "III/p1", &a.kod_pocztowy);
    c.required("adres.miejscowosc", "III/p2", &a.miejscowosc);
    c.optional("adres.ulica", "III/p3", a.ulica.as_deref());
    c.required("adres.nr_domu", "III/p4", &a.nr_domu);
    c.optional("adres.nr_lokalu", "III/p5", a.nr_lokalu.as_deref());
}

/// Checks a period; returns it when both ends are present and in order.
fn okres(c: &mut Ctx, path: &str, element: &str, o: &Okres) -> Option<(Date, Date)> {
    let (od, do_) = match (o.od, o.do_) {
        (Some(od), Some(do_)) => (od, do_),
        (od, do_) => {
            if od.is_none() {
                c.missing(&format!("{path}.od"), &format!("{element}/p1"));
            }
            if do_.is_none() {
                c.missing(&format!("{path}.do"), &format!("{element}/p2"));
            }
            return None;
        }
    };
    c.date_in_range(&format!("{path}.od"), &format!("{element}/p1"), od);
    c.date_in_range(&format!("{path}.do"), &format!("{element}/p2"), do_);
    if od > do_ {
        c.error(
            &format!("{path}.do"),
            &format!("{element}/p2"),
            "kolejnosc_dat",
            ZUS,
            format!("the period ends ({do_}) before it starts ({od})"),
        );
        return None;
    }
    Some((od, do_))
}

fn niezdolnosc(c: &mut Ctx, zla: &Zla, today: Date, purpose: Purpose) {
    let Some(n) = &zla.niezdolnosc else {
        c.missing_section("niezdolnosc", "IV");
        return;
    };
    let period = match &n.okres {
        None => {
            c.missing("niezdolnosc.okres", "IV/p1");
            None
        }
        Some(o) => okres(c, "niezdolnosc.okres", "IV/p1", o),
    };
    if let Some(s) = &n.pobyt_w_szpitalu {
        if let (Some((sod, sdo)), Some((od, do_))) =
            (okres(c, "niezdolnosc.pobyt_w_szpitalu", "IV/p2", s), period)
        {
            if sod < od || sdo > do_ {
                c.warning(
                    "niezdolnosc.pobyt_w_szpitalu",
                    "IV/p2",
                    "pobyt_w_okresie",
                    INFERRED,
                    format!(
                        "the hospital stay {sod}–{sdo} is not within the incapacity {od}–{do_}"
                    ),
                );
            }
        }
    }
    if n.wskazanie.is_none() {
        c.missing("niezdolnosc.wskazanie", "IV/p3");
    }
    let mut seen = Vec::new();
    for (i, k) in n.kody_literowe.iter().enumerate() {
        if seen.contains(k) {
            c.error(
                &format!("niezdolnosc.kody_literowe[{i}]"),
                "IV/p4",
                "kody_literowe",
                INFERRED,
                format!("letter code {k} is given twice"),
            );
        }
        seen.push(*k);
    }
    if n.kody_literowe.len() > 4 {
        c.error(
            "niezdolnosc.kody_literowe",
            "IV/p4",
            "kody_literowe",
            INFERRED,
            format!(
                "at most four letter codes fit the document (p4–p7), {} given",
                n.kody_literowe.len()
            ),
        );
    }
    match (&n.kod_choroby, purpose) {
        (Some(_), Purpose::Read(Wariant::Kopia)) => c.error(
            "niezdolnosc.kod_choroby",
            "IV/p8",
            "kopia_bez_icd10",
            ZUS,
            "the payer's KOPIA must not carry the ICD-10 code",
        ),
        (Some(k), _) => {
            let b = k.as_bytes();
            let ok = b.len() == 3
                && b[0].is_ascii_uppercase()
                && b[1].is_ascii_digit()
                && b[2].is_ascii_digit();
            if !ok {
                c.error(
                    "niezdolnosc.kod_choroby",
                    "IV/p8",
                    "icd10",
                    ZUS,
                    format!(
                        "`{k}` is not an ICD-10 statistical code (a capital letter and two \
                         digits, e.g. K02)"
                    ),
                );
            }
        }
        (None, Purpose::Read(Wariant::Kopia) | Purpose::Write(Wariant::Kopia)) => {}
        (None, _) => c.missing("niezdolnosc.kod_choroby", "IV/p8"),
    }
    if let Some(o) = &n.opieka {
        if o.kod_pokrewienstwa.is_none() {
            c.error(
                "niezdolnosc.opieka.kod_pokrewienstwa",
                "IV/p9/p1",
                "opieka",
                INFERRED,
                "care for a family member needs the kinship code",
            );
        }
        match o.data_urodzenia {
            None => c.error(
                "niezdolnosc.opieka.data_urodzenia",
                "IV/p9/p2",
                "opieka",
                INFERRED,
                "care for a family member needs the birth date of the person cared for",
            ),
            Some(d) => {
                c.date_in_range("niezdolnosc.opieka.data_urodzenia", "IV/p9/p2", d);
                if d > today {
                    c.error(
                        "niezdolnosc.opieka.data_urodzenia",
                        "IV/p9/p2",
                        "data_przyszla",
                        INFERRED,
                        format!("birth date {d} is in the future"),
                    );
                }
            }
        }
    }
}

fn nip(c: &mut Ctx, path: &str, element: &str, value: &str) {
    if !all_digits(value, 10) {
        c.error(
            path,
            element,
            "wzorzec",
            ZUS,
            format!("NIP `{value}` must be ten digits"),
        );
    } else if let Err(e) = Nip::parse_digits(value) {
        c.error(path, element, "nip", ZUS, format!("`{value}`: {e}"));
    }
}

fn platnik(c: &mut Ctx, zla: &Zla) {
    use super::codes::RodzajIdentyfikatora as R;
    let Some(p) = &zla.platnik else {
        c.missing_section("platnik", "V");
        return;
    };
    if !c.required("platnik.identyfikator", "V/p2", &p.identyfikator) {
        if p.rodzaj.is_none() {
            c.missing("platnik.rodzaj", "V/p1");
        }
        return;
    }
    let v = p.identyfikator.as_str();
    match p.rodzaj {
        None => c.missing("platnik.rodzaj", "V/p1"),
        Some(R::Nip) => nip(c, "platnik.identyfikator", "V/p2", v),
        Some(R::Pesel) => {
            if let Err(e) = Pesel::parse(v) {
                c.error(
                    "platnik.identyfikator",
                    "V/p2",
                    pesel_problem(&e),
                    ZUS,
                    format!("`{v}`: {e}"),
                );
            }
        }
        Some(R::Paszport) => {
            if !is_id(v) {
                c.error(
                    "platnik.identyfikator",
                    "V/p2",
                    "wzorzec",
                    ZUS,
                    "a passport series and number has only letters and digits",
                );
            }
        }
    }
}

fn placowka(c: &mut Ctx, p: &Placowka) {
    c.required("placowka.nazwa", "VI/p1", &p.nazwa);
    postcode(c, "placowka.kod_pocztowy", "VI/p2", &p.kod_pocztowy);
    c.required("placowka.miejscowosc", "VI/p3", &p.miejscowosc);
    c.optional("placowka.ulica", "VI/p4", p.ulica.as_deref());
    c.required("placowka.nr_domu", "VI/p5", &p.nr_domu);
    c.optional("placowka.nr_lokalu", "VI/p6", p.nr_lokalu.as_deref());
}

/// The NPWZ check digit (the first digit) of a doctor's seven-digit licence number.
fn npwz_check(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .skip(1)
        .zip(1u32..)
        .map(|(&x, w)| u32::from(x - b'0') * w)
        .sum();
    d.first().map(|&f| u32::from(f - b'0')) == Some(sum % 11)
}

fn lekarz(c: &mut Ctx, zla: &Zla) {
    let Some(l) = &zla.lekarz else {
        c.missing_section("lekarz", "VII");
        return;
    };
    lekarz_fields(c, "lekarz", "VII", l);
}

/// The doctor's fields, under `path` and `element`.
pub(super) fn lekarz_fields(c: &mut Ctx, path: &str, element: &str, l: &super::Lekarz) {
    let (npwz, e1) = (format!("{path}.npwz"), format!("{element}/p1"));
    if c.required(&npwz, &e1, &l.npwz) {
        if !all_digits(&l.npwz, 7) {
            c.error(
                &npwz,
                &e1,
                "npwz",
                INFERRED,
                format!("licence number `{}` must be seven digits", l.npwz),
            );
        } else if !npwz_check(l.npwz.as_bytes()) {
            c.warning(
                &npwz,
                &e1,
                "npwz",
                INFERRED,
                format!(
                    "licence number `{}` fails the doctors' check digit (fine for other \
                     professions)",
                    l.npwz
                ),
            );
        }
    }
    c.required(&format!("{path}.imie"), &format!("{element}/p2"), &l.imie);
    c.required(
        &format!("{path}.nazwisko"),
        &format!("{element}/p3"),
        &l.nazwisko,
    );
}

fn wystawienie(c: &mut Ctx, zla: &Zla, today: Date) {
    let Some(w) = &zla.wystawienie else {
        c.missing_section("wystawienie", "VIII");
        return;
    };
    let issued = match w.data_wystawienia {
        None => {
            c.missing("wystawienie.data_wystawienia", "VIII/p1");
            None
        }
        Some(d) => {
            c.date_in_range("wystawienie.data_wystawienia", "VIII/p1", d);
            if d > today {
                c.error(
                    "wystawienie.data_wystawienia",
                    "VIII/p1",
                    "data_przyszla",
                    INFERRED,
                    format!("issue date {d} is after today ({today})"),
                );
            }
            Some(d)
        }
    };
    if let (Some(e), Some(d)) = (w.data_elektronizacji, issued) {
        c.date_in_range("wystawienie.data_elektronizacji", "VIII/p2", e);
        if e < d {
            c.error(
                "wystawienie.data_elektronizacji",
                "VIII/p2",
                "kolejnosc_dat",
                INFERRED,
                format!("electronisation ({e}) precedes the issue date ({d})"),
            );
        }
    }
    let justified = c.optional(
        "wystawienie.uzasadnienie_wsteczne",
        "VIII/p3",
        w.uzasadnienie_wsteczne.as_deref(),
    );
    if let Some(u) = &w.uzasadnienie_wsteczne {
        let n = u.chars().count();
        if n > MAX_UZASADNIENIE {
            c.error(
                "wystawienie.uzasadnienie_wsteczne",
                "VIII/p3",
                "dlugosc",
                ZUS,
                format!("the justification has {n} characters, at most {MAX_UZASADNIENIE}"),
            );
        }
    }
    let start = zla
        .niezdolnosc
        .as_ref()
        .and_then(|n| n.okres.as_ref())
        .and_then(|o| o.od);
    // (Date::MIN has no "3 days before"; `data` already reports such a date.)
    let limit = issued.and_then(|d| Some((d, d.checked_sub(Duration::days(DNI_WSTECZ))?)));
    if let (Some(od), Some((d, limit))) = (start, limit) {
        if od < limit && !justified {
            c.error(
                "wystawienie.uzasadnienie_wsteczne",
                "VIII/p3",
                "data_wsteczna",
                ZUS,
                format!(
                    "the incapacity starts {od}, more than {DNI_WSTECZ} days before the issue \
                     date {d}: a justification is required (or split the period, see plan)"
                ),
            );
        } else if od >= limit && justified {
            c.warning(
                "wystawienie.uzasadnienie_wsteczne",
                "VIII/p3",
                "data_wsteczna",
                INFERRED,
                "a justification is given but the certificate is not backdated by more than \
                 3 days",
            );
        }
    }
    if let Some(sn) = &w.anulowane_zla {
        seria_numer(c, "wystawienie.anulowane_zla", "VIII/p4", sn);
    }
    if let Some(sn) = &w.powiazane_zla {
        seria_numer(c, "wystawienie.powiazane_zla", "VIII/p5", sn);
    }
    if let Some(n) = &w.nip_placowki {
        nip(c, "wystawienie.nip_placowki", "VIII/p8", n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npwz_check_digit() {
        assert!(npwz_check(b"1063324")); // the ZUS-validated sample's doctor
        assert!(!npwz_check(b"2063324"));
        assert!(npwz_check(b"5425740")); // the example from the Naczelna Izba Lekarska
    }

    #[test]
    fn xml_characters() {
        assert!(xml_char('ą') && xml_char('\t') && xml_char('\u{10000}'));
        assert!(!xml_char('\u{0}') && !xml_char('\u{1B}') && !xml_char('\u{FFFE}'));
    }
}
