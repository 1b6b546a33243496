//! Validation of the e-ZLA model: every problem at once, each with its field path.
//!
//! ZUS distinguishes errors (*BLAD*: the document is refused) from warnings (*OSTRZEZENIE*:
//! the document is accepted and the warning reported). [`Severity`] mirrors that. Each
//! [`Problem`] names the rule it breaks (`rule`, a stable identifier listed in `docs/kedu.md`)
//! and says whether the rule is **inferred** (our reading, not found in a ZUS source) or comes
//! from ZUS (the WSDL's simple types, ZUS's observed answers, the ZUS document rules).

use serde::Serialize;
use time::{Date, Duration};

use super::Wariant;
use super::codes::KodLiterowy;
use super::model::{Adres, Okres, Placowka, SeriaNumer, Zla};
use super::tekst::{mieszane_pismo, niedozwolony, pokaz};
use crate::error::{Problem, Severity};
use crate::pl::{IdError, Nip, Pesel};

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

    /// `Ok(self)` without errors, else [`DocumentError::Invalid`](crate::error::DocumentError::Invalid)
    /// listing every problem (warnings included).
    pub fn into_result(self) -> crate::Result<Validation> {
        if self.is_valid() {
            Ok(self)
        } else {
            Err(crate::Error::Document(
                crate::error::DocumentError::Invalid {
                    problems: self.problems,
                },
            ))
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

/// The benefit period (*okres zasiłkowy*, art. 8 of the sickness-benefit act): the longest
/// incapacity paid as sickness, in days. A certificate longer than this without letter code B
/// (pregnancy) or D (tuberculosis) is warned about.
pub const OKRES_ZASILKOWY: i64 = 182;

/// The benefit period for tuberculosis and pregnancy, in days: no certificate is longer, and
/// no period ends further from the issue date (rule `okno_dat`).
pub const OKRES_ZASILKOWY_DLUGI: i64 = 270;

/// The first day of e-ZLA (electronic certificates from 1 January 2016): no issue date lies
/// before it.
pub const E_ZLA_OD: Date = time::macros::date!(2016 - 01 - 01);

/// What a text field may hold besides the characters every field refuses (see
/// `docs/kedu.md`, "Text fields").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rodzaj {
    /// A person's name: words separated by single ordinary spaces, no leading or trailing
    /// space; Latin mixed with Cyrillic or Greek letters is warned about.
    Osoba,
    /// The name of a place (town, street, place of practice): ordinary spaces; mixed
    /// scripts are warned about.
    Miejsce,
    /// Any other single-line value (numbers, identifiers, program header): ordinary spaces.
    Wiersz,
    /// Prose (justifications): ordinary spaces and line feeds.
    Opis,
}

/// The longest value of a text field, in characters, and where the limit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dlugosc {
    /// A limit ZUS's WSDL gives.
    Zus(usize),
    /// Our limit, generous for any genuine value (no ZUS source gives one).
    Inferred(usize),
    /// The field's pattern fixes its length; the pattern's rule reports a wrong one.
    Wzorzec(usize),
}

/// A text field: its kind and its length limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Pole {
    pub(super) rodzaj: Rodzaj,
    pub(super) dlugosc: Dlugosc,
}

impl Pole {
    /// The longest value, in characters.
    pub(super) const fn max(self) -> usize {
        match self.dlugosc {
            Dlugosc::Zus(n) | Dlugosc::Inferred(n) | Dlugosc::Wzorzec(n) => n,
        }
    }
}

const fn pole(rodzaj: Rodzaj, dlugosc: Dlugosc) -> Pole {
    Pole { rodzaj, dlugosc }
}

/// First names (insured person, doctor).
pub(super) const IMIE: Pole = pole(Rodzaj::Osoba, Dlugosc::Inferred(60));
/// Surnames (insured person, doctor).
pub(super) const NAZWISKO: Pole = pole(Rodzaj::Osoba, Dlugosc::Inferred(80));
/// A passport's series and number (insured person).
pub(super) const PASZPORT: Pole = pole(Rodzaj::Wiersz, Dlugosc::Inferred(20));
/// Postcodes: five digits.
pub(super) const KOD_POCZTOWY: Pole = pole(Rodzaj::Wiersz, Dlugosc::Wzorzec(5));
/// Towns.
pub(super) const MIEJSCOWOSC: Pole = pole(Rodzaj::Miejsce, Dlugosc::Inferred(100));
/// Streets.
pub(super) const ULICA: Pole = pole(Rodzaj::Miejsce, Dlugosc::Inferred(100));
/// House and flat numbers.
pub(super) const NUMER: Pole = pole(Rodzaj::Wiersz, Dlugosc::Inferred(20));
/// The name of the place of practice.
pub(super) const NAZWA_PLACOWKI: Pole = pole(Rodzaj::Miejsce, Dlugosc::Inferred(500));
/// The payer's identifier: NIP (10), PESEL (11) or passport.
pub(super) const IDENTYFIKATOR_PLATNIKA: Pole = pole(Rodzaj::Wiersz, Dlugosc::Inferred(20));
/// The doctor's licence number: seven digits.
pub(super) const NPWZ: Pole = pole(Rodzaj::Wiersz, Dlugosc::Wzorzec(7));
/// The justification of a backdated certificate.
pub(super) const UZASADNIENIE: Pole = pole(Rodzaj::Opis, Dlugosc::Zus(MAX_UZASADNIENIE));
/// The explanation of a cancellation (AZLA `II/p2`).
pub(super) const UZASADNIENIE_ANULOWANIA: Pole = pole(Rodzaj::Opis, Dlugosc::Inferred(3000));
/// KEDU document identifiers (`@id_dokumentu`).
pub(super) const ID_DOKUMENTU: Pole = pole(Rodzaj::Wiersz, Dlugosc::Inferred(40));
/// `naglowek.KEDU/program/producent`.
pub(super) const PRODUCENT: Pole = pole(Rodzaj::Wiersz, Dlugosc::Inferred(100));
/// `naglowek.KEDU/program/symbol` and `wersja`.
pub(super) const SYMBOL: Pole = pole(Rodzaj::Wiersz, Dlugosc::Inferred(20));

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

    /// The text rules of a field of this kind: its length limit, characters XML 1.0 cannot
    /// carry, the refused characters (controls, separators, invisible format characters,
    /// other whitespace, noncharacters, private use), single spaces in a person's name, and a
    /// warning for mixed scripts. `false` when the value breaks a rule (an error).
    pub(super) fn text(&mut self, path: &str, element: &str, value: &str, pole: Pole) -> bool {
        let limit = match pole.dlugosc {
            Dlugosc::Zus(n) => Some((n, ZUS)),
            Dlugosc::Inferred(n) => Some((n, INFERRED)),
            Dlugosc::Wzorzec(_) => None,
        };
        if let Some((max, inferred)) = limit {
            let n = value.chars().count();
            if n > max {
                self.error(
                    path,
                    element,
                    "dlugosc",
                    inferred,
                    format!("{n} characters, at most {max}: {}", pokaz(value)),
                );
                return false;
            }
        }
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
        let refused = value
            .chars()
            .enumerate()
            .filter(|&(_, c)| !(c == '\n' && pole.rodzaj == Rodzaj::Opis))
            .find_map(|(i, c)| Some((i, c, niedozwolony(c)?)));
        if let Some((i, c, why)) = refused {
            self.error(
                path,
                element,
                "znaki",
                INFERRED,
                format!(
                    "character {} is U+{:04X}, {why}, which this field does not allow: {}",
                    i + 1,
                    u32::from(c),
                    pokaz(value)
                ),
            );
            return false;
        }
        if pole.rodzaj == Rodzaj::Osoba
            && (value.starts_with(' ') || value.ends_with(' ') || value.contains("  "))
        {
            self.error(
                path,
                element,
                "spacje",
                INFERRED,
                format!(
                    "a name has single spaces between its words and none before or after: {}",
                    pokaz(value)
                ),
            );
            return false;
        }
        if matches!(pole.rodzaj, Rodzaj::Osoba | Rodzaj::Miejsce)
            && let Some(pismo) = mieszane_pismo(value)
        {
            self.warning(
                path,
                element,
                "pismo_mieszane",
                INFERRED,
                format!(
                    "mixes Latin and {} letters: {} (a look-alike letter typed in the \
                         wrong script?)",
                    pismo.nazwa(),
                    pokaz(value)
                ),
            );
        }
        true
    }

    /// A required text field.
    pub(super) fn required(&mut self, path: &str, element: &str, value: &str, pole: Pole) -> bool {
        if value.trim().is_empty() {
            self.missing(path, element);
            return false;
        }
        self.text(path, element, value, pole)
    }

    /// An optional text field: absent is fine, present must not be blank.
    pub(super) fn optional(
        &mut self,
        path: &str,
        element: &str,
        value: Option<&str>,
        pole: Pole,
    ) -> bool {
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
            Some(v) => self.text(path, element, v, pole),
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

    /// An issue date (of a certificate, of a cancellation; `what` names it in messages): not
    /// before e-ZLA existed ([`E_ZLA_OD`]) and not after `today`.
    pub(super) fn issue_date(
        &mut self,
        path: &str,
        element: &str,
        what: &str,
        d: Date,
        today: Date,
    ) {
        self.date_in_range(path, element, d);
        if d < E_ZLA_OD {
            self.error(
                path,
                element,
                "okno_dat",
                INFERRED,
                format!("{what} {d} is before e-ZLA existed (issued from {E_ZLA_OD})"),
            );
        }
        if d > today {
            self.error(
                path,
                element,
                "data_przyszla",
                INFERRED,
                format!("{what} {d} is after today ({today})"),
            );
        }
    }

    /// A day of the incapacity or of a hospital stay: within
    /// [`OKRES_ZASILKOWY_DLUGI`] days of `reference` (the issue date, or today without one).
    fn in_window(&mut self, path: &str, element: &str, d: Date, reference: Reference) {
        let days = (d - reference.day).whole_days();
        if days.abs() > OKRES_ZASILKOWY_DLUGI {
            let side = if days > 0 { "after" } else { "before" };
            self.error(
                path,
                element,
                "okno_dat",
                INFERRED,
                format!(
                    "{d} is {} days {side} {} ({}): a certificate covers days at most \
                     {OKRES_ZASILKOWY_DLUGI} days from its issue date",
                    days.abs(),
                    reference.name,
                    reference.day
                ),
            );
        }
    }
}

/// The day the incapacity's dates are judged against.
#[derive(Clone, Copy, Debug)]
struct Reference {
    day: Date,
    name: &'static str,
}

impl Reference {
    /// The issue date when it is given (and a real year), else today.
    fn of(zla: &Zla, today: Date) -> Reference {
        zla.wystawienie
            .as_ref()
            .and_then(|w| w.data_wystawienia)
            .filter(|d| (1800..=9999).contains(&d.year()))
            .map_or(
                Reference {
                    day: today,
                    name: "today",
                },
                |day| Reference {
                    day,
                    name: "the issue date",
                },
            )
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
    niezdolnosc(&mut c, zla, today, Reference::of(zla, today), purpose);
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
        let Some(id) = id else {
            if relevant {
                c.warning(
                    path,
                    "@id_dokumentu",
                    "id_dokumentu",
                    INFERRED,
                    "no KEDU identifier: ZUS expects the one reserved with the series and \
                     number (warning 185)",
                );
            }
            continue;
        };
        if c.text(path, "@id_dokumentu", id, ID_DOKUMENTU) && !is_id(id) {
            c.error(
                path,
                "@id_dokumentu",
                "id_dokumentu",
                ZUS,
                format!(
                    "{} is not a KEDU document identifier (letters and digits)",
                    pokaz(id)
                ),
            );
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
            format!("series {} must be two capital letters", pokaz(&sn.seria)),
        );
    }
    if !all_digits(&sn.numer, 7) {
        c.error(
            &format!("{path}.numer"),
            &format!("{element}/p2"),
            "wzorzec",
            ZUS,
            format!("number {} must be seven digits", pokaz(&sn.numer)),
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
                format!("{}: {e}", pokaz(p)),
            ),
        }
    }
    if let Some(p) = &u.paszport {
        if c.optional("ubezpieczony.paszport", "II/p5", Some(p), PASZPORT) && !is_id(p) {
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
    c.required("ubezpieczony.imie", "II/p2", &u.imie, IMIE);
    c.required("ubezpieczony.nazwisko", "II/p3", &u.nazwisko, NAZWISKO);
    if u.kod_ubezpieczenia.is_none() {
        c.missing("ubezpieczony.kod_ubezpieczenia", "II/p4");
    }
    if let Some(d) = u.data_urodzenia {
        c.date_in_range("ubezpieczony.data_urodzenia", "II/p6", d);
        if let Some(pd) = pesel_date
            && pd != d
        {
            c.error(
                "ubezpieczony.data_urodzenia",
                "II/p6",
                "pesel_data_urodzenia",
                ZUS,
                format!("birth date {d} differs from the one the PESEL encodes ({pd})"),
            );
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
    if c.required(path, element, value, KOD_POCZTOWY) && !all_digits(value, 5) {
        c.error(
            path,
            element,
            "kod_pocztowy",
            INFERRED,
            format!(
                "postcode {} must be five digits without the dash (e.g. 25624)",
                pokaz(value)
            ),
        );
    }
}

fn adres(c: &mut Ctx, a: &Adres) {
    postcode(c, "adres.kod_pocztowy", "III/p1", &a.kod_pocztowy);
    c.required("adres.miejscowosc", "III/p2", &a.miejscowosc, MIEJSCOWOSC);
    c.optional("adres.ulica", "III/p3", a.ulica.as_deref(), ULICA);
    c.required("adres.nr_domu", "III/p4", &a.nr_domu, NUMER);
    c.optional("adres.nr_lokalu", "III/p5", a.nr_lokalu.as_deref(), NUMER);
}

/// Checks a period (both ends within the window around `reference`); returns it when both
/// ends are present and in order.
fn okres(
    c: &mut Ctx,
    path: &str,
    element: &str,
    o: &Okres,
    reference: Reference,
) -> Option<(Date, Date)> {
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
    c.in_window(
        &format!("{path}.od"),
        &format!("{element}/p1"),
        od,
        reference,
    );
    c.in_window(
        &format!("{path}.do"),
        &format!("{element}/p2"),
        do_,
        reference,
    );
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

fn niezdolnosc(c: &mut Ctx, zla: &Zla, today: Date, reference: Reference, purpose: Purpose) {
    let Some(n) = &zla.niezdolnosc else {
        c.missing_section("niezdolnosc", "IV");
        return;
    };
    let period = match &n.okres {
        None => {
            c.missing("niezdolnosc.okres", "IV/p1");
            None
        }
        Some(o) => okres(c, "niezdolnosc.okres", "IV/p1", o, reference),
    };
    if let Some((od, do_)) = period {
        let days = (do_ - od).whole_days() + 1;
        let long = n
            .kody_literowe
            .iter()
            .any(|k| matches!(k, KodLiterowy::B | KodLiterowy::D));
        if days > OKRES_ZASILKOWY_DLUGI {
            c.error(
                "niezdolnosc.okres.do",
                "IV/p1/p2",
                "okres_dlugosc",
                INFERRED,
                format!(
                    "the period {od}–{do_} has {days} days: no benefit period is longer than \
                     {OKRES_ZASILKOWY_DLUGI} days"
                ),
            );
        } else if days > OKRES_ZASILKOWY && !long {
            c.warning(
                "niezdolnosc.okres.do",
                "IV/p1/p2",
                "okres_dlugosc",
                INFERRED,
                format!(
                    "the period {od}–{do_} has {days} days: the benefit period is \
                     {OKRES_ZASILKOWY} days ({OKRES_ZASILKOWY_DLUGI} with letter code B or D)"
                ),
            );
        }
    }
    if let Some(s) = &n.pobyt_w_szpitalu
        && let (Some((sod, sdo)), Some((od, do_))) = (
            okres(c, "niezdolnosc.pobyt_w_szpitalu", "IV/p2", s, reference),
            period,
        )
        && (sod < od || sdo > do_)
    {
        c.warning(
            "niezdolnosc.pobyt_w_szpitalu",
            "IV/p2",
            "pobyt_w_okresie",
            INFERRED,
            format!("the hospital stay {sod}–{sdo} is not within the incapacity {od}–{do_}"),
        );
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
                        "{} is not an ICD-10 statistical code (a capital letter and two \
                         digits, e.g. K02)",
                        pokaz(k)
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
            format!("NIP {} must be ten digits", pokaz(value)),
        );
    } else if let Err(e) = Nip::parse_digits(value) {
        c.error(path, element, "nip", ZUS, format!("{}: {e}", pokaz(value)));
    }
}

fn platnik(c: &mut Ctx, zla: &Zla) {
    use super::codes::RodzajIdentyfikatora as R;
    let Some(p) = &zla.platnik else {
        c.missing_section("platnik", "V");
        return;
    };
    if !c.required(
        "platnik.identyfikator",
        "V/p2",
        &p.identyfikator,
        IDENTYFIKATOR_PLATNIKA,
    ) {
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
                    format!("{}: {e}", pokaz(v)),
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
    c.required("placowka.nazwa", "VI/p1", &p.nazwa, NAZWA_PLACOWKI);
    postcode(c, "placowka.kod_pocztowy", "VI/p2", &p.kod_pocztowy);
    c.required("placowka.miejscowosc", "VI/p3", &p.miejscowosc, MIEJSCOWOSC);
    c.optional("placowka.ulica", "VI/p4", p.ulica.as_deref(), ULICA);
    c.required("placowka.nr_domu", "VI/p5", &p.nr_domu, NUMER);
    c.optional("placowka.nr_lokalu", "VI/p6", p.nr_lokalu.as_deref(), NUMER);
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
    if c.required(&npwz, &e1, &l.npwz, NPWZ) {
        if !all_digits(&l.npwz, 7) {
            c.error(
                &npwz,
                &e1,
                "npwz",
                INFERRED,
                format!("licence number {} must be seven digits", pokaz(&l.npwz)),
            );
        } else if !npwz_check(l.npwz.as_bytes()) {
            c.warning(
                &npwz,
                &e1,
                "npwz",
                INFERRED,
                format!(
                    "licence number {} fails the doctors' check digit (fine for other \
                     professions)",
                    pokaz(&l.npwz)
                ),
            );
        }
    }
    c.required(
        &format!("{path}.imie"),
        &format!("{element}/p2"),
        &l.imie,
        IMIE,
    );
    c.required(
        &format!("{path}.nazwisko"),
        &format!("{element}/p3"),
        &l.nazwisko,
        NAZWISKO,
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
            c.issue_date(
                "wystawienie.data_wystawienia",
                "VIII/p1",
                "issue date",
                d,
                today,
            );
            Some(d)
        }
    };
    if let Some(e) = w.data_elektronizacji {
        c.date_in_range("wystawienie.data_elektronizacji", "VIII/p2", e);
        if e > today {
            c.error(
                "wystawienie.data_elektronizacji",
                "VIII/p2",
                "data_przyszla",
                INFERRED,
                format!("electronisation date {e} is after today ({today})"),
            );
        }
    }
    if let (Some(e), Some(d)) = (w.data_elektronizacji, issued)
        && e < d
    {
        c.error(
            "wystawienie.data_elektronizacji",
            "VIII/p2",
            "kolejnosc_dat",
            INFERRED,
            format!("electronisation ({e}) precedes the issue date ({d})"),
        );
    }
    c.optional(
        "wystawienie.uzasadnienie_wsteczne",
        "VIII/p3",
        w.uzasadnienie_wsteczne.as_deref(),
        UZASADNIENIE,
    );
    // A justification that breaks a text rule is reported as such, not as missing.
    let justified = w
        .uzasadnienie_wsteczne
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty());
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
