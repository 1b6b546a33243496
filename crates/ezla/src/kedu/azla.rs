//! Cancellation of a certificate: AZLA, *informacja o stwierdzeniu nieważności zaświadczenia
//! lekarskiego*.
//!
//! **Provisional.** ZUS's AZLA schema is not public (it ships in `ZUS_AZLA.zip`, which we do
//! not have). What is known: the channel names the document kind `AZLA`
//! (`RodzajDokumentuEnumeracja`); a cancellation names the certificate by series and number
//! (`SeriaNumerZla`), carries a reason from ZUS's dictionary
//! (`pobierzSlownikPrzyczynAnulowania`: U, P, N, M, I, B, A, E, X) and a date, and is signed
//! by an authorised doctor. Everything else — the namespace [`AZLA_NS`], the body element
//! `ZUSAZLA`, the sections and their order — is **our inference**, modelled on the KED ZLA
//! layout. All of it lives in this file so that the real schema can replace it in one place;
//! do not send these documents to ZUS before checking them against ZUS's schema.
//!
//! Provisional layout:
//!
//! ```text
//! KEDU (AZLA_NS, wersja_schematu="1")
//!   naglowek.KEDU/program/{producent, symbol, wersja}
//!   ZUSAZLA @id_dokumentu @kolejnosc="0"
//!     I    p1/{p1 series, p2 number}   the cancelled certificate
//!     II   p1 reason code, p2 explanation (optional; required for reason I)
//!     III  p1 NPWZ, p2 first name, p3 surname   the doctor who cancels
//!     IV   p1 date of the statement
//! ```

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes::PrzyczynaAnulowania;
use super::model::{Lekarz, SeriaNumer, Zla, data_opcjonalna};
use super::read::{code, date, malformed, opt_text, slot, slots_in, text};
use super::tekst::pokaz;
use super::validate::{
    Ctx, ID_DOKUMENTU, INFERRED, UZASADNIENIE_ANULOWANIA, ZUS, lekarz_fields, seria_numer,
};
use super::write::Writer;
use super::{Program, Validation, WriteOptions};
use crate::error::DocumentError;
use crate::xml::{Document, Element};
use crate::{Error, Result};

/// The namespace used for AZLA documents. **Provisional**: inferred from the KED ZLA
/// namespace, not from a ZUS source.
pub const AZLA_NS: &str = "http://www.zus.pl/2015/KED_AZLA_1";

/// The name of the document's body element (provisional).
pub const AZLA_BODY: &str = "ZUSAZLA";

/// A cancellation (AZLA) of a certificate. Provisional model: see the module documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Azla {
    /// The KEDU document identifier (`@id_dokumentu`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_dokumentu: Option<String>,
    /// Series and number of the cancelled certificate `[I/p1]`.
    pub anulowane_zla: SeriaNumer,
    /// Why it is cancelled (*przyczyna anulowania*) `[II/p1]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub przyczyna: Option<PrzyczynaAnulowania>,
    /// An explanation (*dodatkowe informacje*) `[II/p2]`; required with reason I (another reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uzasadnienie: Option<String>,
    /// The doctor who cancels `[III]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lekarz: Option<Lekarz>,
    /// Date of the statement (*data*) `[IV/p1]`.
    #[serde(skip_serializing_if = "Option::is_none", with = "data_opcjonalna")]
    pub data: Option<Date>,
}

impl Azla {
    /// A cancellation of `zla` (which must have its series and number), by `lekarz`, dated
    /// `data`.
    pub fn dla(
        zla: &Zla,
        przyczyna: PrzyczynaAnulowania,
        lekarz: Lekarz,
        data: Date,
    ) -> Result<Azla> {
        let sn = zla.seria_numer.clone().ok_or_else(|| {
            Error::invalid_argument(
                "zla",
                "the certificate has no series and number, so it cannot be cancelled",
            )
        })?;
        Ok(Azla {
            id_dokumentu: None,
            anulowane_zla: sn,
            przyczyna: Some(przyczyna),
            uzasadnienie: None,
            lekarz: Some(lekarz),
            data: Some(data),
        })
    }

    /// Reads the JSON form ([`ErrorCode::JsonMalformed`](crate::ErrorCode) on errors).
    pub fn from_json(json: &str) -> Result<Azla> {
        super::require_objects(json, "AZLA JSON", &[])?;
        serde_json::from_str(json).map_err(|e| super::json_error(json, &e, "AZLA JSON"))
    }

    /// The JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every problem of the cancellation.
    pub fn validate(&self, today: Date) -> Validation {
        let mut c = Ctx {
            prefix: "KEDU/ZUSAZLA",
            problems: Vec::new(),
        };
        if let Some(id) = &self.id_dokumentu
            && c.text("id_dokumentu", "@id_dokumentu", id, ID_DOKUMENTU)
            && (id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            c.error(
                "id_dokumentu",
                "@id_dokumentu",
                "id_dokumentu",
                ZUS,
                format!(
                    "{} is not a KEDU document identifier (letters and digits)",
                    pokaz(id)
                ),
            );
        }
        seria_numer(&mut c, "anulowane_zla", "I/p1", &self.anulowane_zla);
        match self.przyczyna {
            None => c.missing("przyczyna", "II/p1"),
            Some(PrzyczynaAnulowania::InnyPowod)
                if self
                    .uzasadnienie
                    .as_deref()
                    .is_none_or(|u| u.trim().is_empty()) =>
            {
                c.error(
                    "uzasadnienie",
                    "II/p2",
                    "azla_uzasadnienie",
                    INFERRED,
                    "reason I (another reason) needs an explanation",
                );
            }
            Some(_) => {}
        }
        c.optional(
            "uzasadnienie",
            "II/p2",
            self.uzasadnienie.as_deref(),
            UZASADNIENIE_ANULOWANIA,
        );
        match &self.lekarz {
            None => c.missing_section("lekarz", "III"),
            Some(l) => lekarz_fields(&mut c, "lekarz", "III", l),
        }
        match self.data {
            None => c.missing("data", "IV/p1"),
            Some(d) => c.issue_date("data", "IV/p1", "date", d, today),
        }
        Validation {
            problems: c.problems,
        }
    }

    /// Writes the provisional AZLA XML; a cancellation with errors is refused with
    /// [`DocumentError::Invalid`].
    pub fn to_xml(&self, options: &WriteOptions) -> Result<Vec<u8>> {
        options.check()?;
        self.validate(options.today.unwrap_or_else(crate::pl::czas::today))
            .into_result()?;
        let mut w = Writer::new();
        w.kedu_start(AZLA_NS, options);
        w.open_body(AZLA_BODY, self.id_dokumentu.as_deref(), "0");
        w.open("I");
        w.seria_numer("p1", &self.anulowane_zla);
        w.end(); // I
        w.open("II");
        w.opt("p1", self.przyczyna.map(|p| p.kod()));
        w.opt("p2", self.uzasadnienie.as_deref());
        w.end(); // II
        if let Some(l) = &self.lekarz {
            w.open("III");
            w.leaf("p1", &l.npwz);
            w.leaf("p2", &l.imie);
            w.leaf("p3", &l.nazwisko);
            w.end(); // III
        }
        w.open("IV");
        w.date("p1", self.data);
        w.end(); // IV
        w.end(); // AZLA_BODY
        w.end(); // KEDU
        Ok(w.into_bytes())
    }

    /// Parses the provisional AZLA XML, strictly (like [`Zla::from_xml`]).
    pub fn from_xml(xml: &[u8]) -> Result<Azla> {
        Ok(Self::read(xml)?.0)
    }

    /// Parses the provisional AZLA XML with its program header.
    pub fn read(xml: &[u8]) -> Result<(Azla, Program)> {
        let doc = Document::parse_bytes(xml)?;
        let root = Element::new(doc.root_element())
            .ok_or_else(|| Error::internal("document without a document element"))?;
        if !root.is(AZLA_NS, "KEDU") {
            return Err(Error::Document(DocumentError::Malformed {
                detail: format!(
                    "the document element is {{{}}}{}, expected {{{AZLA_NS}}}KEDU",
                    super::tekst::skroc(root.namespace().unwrap_or("")),
                    super::tekst::skroc(root.local_name())
                ),
            }));
        }
        // naglowek.KEDU, ZUSAZLA, then an enveloped signature (a signed AZLA), as in an e-ZLA.
        let top = super::read::layout_in(root, AZLA_NS, AZLA_BODY)?;
        let program = match top.naglowek {
            None => Program::default(),
            Some(n) => match slot(&slots_in(n, AZLA_NS, &["program"])?, 0) {
                None => Program::default(),
                Some(p) => {
                    let s = slots_in(p, AZLA_NS, &["producent", "symbol", "wersja"])?;
                    Program {
                        producent: text(&s, 0)?,
                        symbol: text(&s, 1)?,
                        wersja: text(&s, 2)?,
                    }
                }
            },
        };
        let body = top
            .zuszla
            .ok_or_else(|| malformed(&root, "no ZUSAZLA element"))?;
        let sections = slots_in(body, AZLA_NS, &["I", "II", "III", "IV"])?;
        let p = ["p1", "p2", "p3"];
        let mut azla = Azla {
            id_dokumentu: body.attribute("id_dokumentu").map(str::to_owned),
            ..Azla::default()
        };
        if let Some(i) = slot(&sections, 0)
            && let Some(sn) = slot(&slots_in(i, AZLA_NS, &p[..1])?, 0)
        {
            let s = slots_in(sn, AZLA_NS, &p[..2])?;
            azla.anulowane_zla = SeriaNumer {
                seria: text(&s, 0)?,
                numer: text(&s, 1)?,
            };
        }
        if let Some(ii) = slot(&sections, 1) {
            let s = slots_in(ii, AZLA_NS, &p[..2])?;
            azla.przyczyna = code(&s, 0, "cancellation reason", PrzyczynaAnulowania::from_kod)?;
            azla.uzasadnienie = opt_text(&s, 1)?;
        }
        if let Some(iii) = slot(&sections, 2) {
            let s = slots_in(iii, AZLA_NS, &p)?;
            azla.lekarz = Some(Lekarz {
                npwz: text(&s, 0)?,
                imie: text(&s, 1)?,
                nazwisko: text(&s, 2)?,
            });
        }
        if let Some(iv) = slot(&sections, 3) {
            azla.data = date(&slots_in(iv, AZLA_NS, &p[..1])?, 0)?;
        }
        Ok((azla, program))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::ErrorCode;
    use crate::kedu::Severity;

    fn anulowanie() -> Azla {
        let zla = crate::kedu::tests::przyklad();
        let lekarz = zla.lekarz.clone().unwrap_or_default();
        Azla::dla(
            &zla,
            PrzyczynaAnulowania::DanePlatnika,
            lekarz,
            date!(2026 - 12 - 01),
        )
        .expect("has a series and number")
    }

    #[test]
    fn round_trip_xml_and_json() {
        let mut a = anulowanie();
        a.id_dokumentu = Some("77".into());
        assert!(a.validate(date!(2026 - 12 - 01)).problems.is_empty());
        let xml = a
            .to_xml(&WriteOptions::default().with_today(date!(2026 - 12 - 01)))
            .expect("write");
        let text = String::from_utf8(xml.clone()).expect("UTF-8");
        assert!(
            text.contains("<ZUSAZLA id_dokumentu=\"77\" kolejnosc=\"0\">"),
            "{text}"
        );
        assert!(text.contains("<p1>P</p1>"), "{text}");
        assert!(
            text.contains("<p1>ZW</p1>\n        <p2>1234567</p2>"),
            "{text}"
        );
        assert_eq!(Azla::from_xml(&xml).expect("read"), a);
        assert_eq!(Azla::from_json(&a.to_json()).expect("json"), a);
        // A ZLA document is not an AZLA, and the other way round.
        let zla = crate::kedu::tests::przyklad()
            .to_xml(
                crate::kedu::Wariant::Oryginal,
                &WriteOptions::default().with_today(date!(2026 - 12 - 01)),
            )
            .expect("zla");
        assert_eq!(
            Azla::from_xml(&zla).expect_err("zla").code(),
            ErrorCode::DocumentMalformed
        );
        assert_eq!(
            Zla::from_xml(&xml).expect_err("azla").code(),
            ErrorCode::DocumentMalformed
        );
    }

    #[test]
    fn rules() {
        let today = date!(2026 - 12 - 01);
        let mut a = anulowanie();
        a.przyczyna = Some(PrzyczynaAnulowania::InnyPowod);
        a.anulowane_zla.numer = "12".into();
        a.data = Some(date!(2026 - 12 - 02));
        let v = a.validate(today);
        let got: Vec<(&str, &str, &str)> = v
            .errors()
            .iter()
            .map(|p| (p.path.as_str(), p.rule, p.element.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("anulowane_zla.numer", "wzorzec", "KEDU/ZUSAZLA/I/p1/p2"),
                ("uzasadnienie", "azla_uzasadnienie", "KEDU/ZUSAZLA/II/p2"),
                ("data", "data_przyszla", "KEDU/ZUSAZLA/IV/p1"),
            ]
        );
        assert!(v.problems.iter().all(|p| p.severity == Severity::Error));
        assert_eq!(
            a.to_xml(&WriteOptions::default().with_today(today))
                .expect_err("invalid")
                .code(),
            ErrorCode::DocumentInvalid
        );
        let e = Azla::dla(
            &Zla::default(),
            PrzyczynaAnulowania::BladSystemu,
            Lekarz::default(),
            today,
        )
        .expect_err("no series");
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
    }
}
