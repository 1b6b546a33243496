//! Validating and sending signed documents: `walidujDokumenty`, `wyslijDokumenty`.
//!
//! A signed KEDU travels as an `xsd:string`: escaped in the request, it arrives byte for
//! byte as signed (never re-serialised). Warnings (*OSTRZEZENIE*) may be ignored; errors
//! (*BLAD*, verdict `NEGATYWNY`) may not.

use super::session::xml_chars;
use super::types::nr_ref_pattern;
use super::wire::{Node, check};
use super::{
    IdSesji, Operation, Rezultat, RezultatRule, RezultatWalidacji, Tryb, WynikWalidacji, write_id,
};
use crate::error::{Error, Result, ZusError};
use crate::xml::Writer;

/// A document for ZUS (*Dokument*): the signed KEDU as a string, with the caller's
/// reference, which ZUS echoes in its findings and results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dokument {
    /// The caller's reference (*NrRef*; no `"` `*` `;` `(` `)` `?`).
    pub nr_ref: Option<String>,
    /// The signed KEDU XML, exactly as signed.
    pub kedu: String,
}

impl Dokument {
    /// A document with a reference.
    pub fn new(nr_ref: impl Into<String>, kedu: impl Into<String>) -> Self {
        Dokument {
            nr_ref: Some(nr_ref.into()),
            kedu: kedu.into(),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer, element: &str) -> Result<()> {
        let nr_ref = self.nr_ref.as_deref().map(nr_ref_pattern).transpose()?;
        w.start(element).attr_opt("NrRef", nr_ref).open();
        w.open("KEDU");
        w.leaf("KEDU", xml_chars("KEDU", &self.kedu)?);
        w.end();
        w.end();
        Ok(())
    }

    pub(crate) fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(Dokument {
            nr_ref: n.e.attribute("NrRef").map(str::to_string),
            kedu: n.req("KEDU")?.req_text("KEDU")?,
        })
    }
}

fn write_documents(w: &mut Writer, dokumenty: &[Dokument]) -> Result<()> {
    for d in dokumenty {
        d.write(w, "Dokument")?;
    }
    Ok(())
}

/// `walidujDokumenty`: have ZUS validate signed documents without sending them.
///
/// One document is written as `Dokument`, several inside `ListaDokumentow`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalidujDokumenty {
    /// The session.
    pub id_sesji: IdSesji,
    /// The mode (*Tryb*).
    pub tryb: Tryb,
    /// The documents, at least one.
    pub dokumenty: Vec<Dokument>,
}

impl Operation for WalidujDokumenty {
    const NAME: &'static str = "walidujDokumenty";
    /// ZUS's validation result (`POZYTYWNY`, or `OSTRZEZENIE` with the warnings), when
    /// given; `NEGATYWNY` is [`ZusError::ValidationRefused`].
    type Response = Option<RezultatWalidacji>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf("Tryb", self.tryb.as_str());
        match self.dokumenty.as_slice() {
            [] => return Err(Error::invalid_argument("Dokument", "no document")),
            [one] => one.write(w, "Dokument")?,
            many => {
                w.open("ListaDokumentow");
                write_documents(w, many)?;
                w.end();
            }
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        RezultatWalidacji::read_checked(n)
    }
}

/// `wyslijDokumenty`: send signed documents to ZUS.
///
/// Judged so that nothing accepted is lost: when any result carries a receipt (UPP), the
/// response is returned whole, whatever `Rezultat` and the validation verdict say, and the
/// caller reads each [`RezultatWysylki`]. Otherwise a non-success `Rezultat` is
/// [`ZusError::Rejected`] and a `NEGATYWNY` validation [`ZusError::ValidationRefused`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WyslijDokumenty {
    /// The session.
    pub id_sesji: IdSesji,
    /// The mode (*Tryb*).
    pub tryb: Tryb,
    /// The documents, at least one.
    pub dokumenty: Vec<Dokument>,
}

/// The result of sending one package (*RezultatWysylki*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RezultatWysylki {
    /// The references of the documents it concerns (*NrRef*).
    pub nr_ref: Vec<String>,
    /// The verdict (*Wynik*).
    pub wynik: WynikWalidacji,
    /// The receipts created (*UtworzoneUPP*), verbatim XML strings.
    pub utworzone_upp: Vec<String>,
    /// The error, when there is one (*Blad*).
    pub blad: Option<Rezultat>,
}

/// The response of [`WyslijDokumenty`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WyslaneDokumenty {
    /// ZUS's overall result.
    pub rezultat: Rezultat,
    /// ZUS's validation result, when given.
    pub rezultat_walidacji: Option<RezultatWalidacji>,
    /// One result per package sent.
    pub rezultat_wysylki: Vec<RezultatWysylki>,
}

impl Operation for WyslijDokumenty {
    const NAME: &'static str = "wyslijDokumenty";
    const REZULTAT: RezultatRule = RezultatRule::Own;
    type Response = WyslaneDokumenty;

    fn write(&self, w: &mut Writer) -> Result<()> {
        if self.dokumenty.is_empty() {
            return Err(Error::invalid_argument("Dokument", "no document"));
        }
        write_id(w, &self.id_sesji);
        w.leaf("Tryb", self.tryb.as_str());
        write_documents(w, &self.dokumenty)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        let rezultat = n.rezultat()?;
        let rezultat_walidacji = n
            .opt("RezultatWalidacji")?
            .map(RezultatWalidacji::read)
            .transpose()?;
        let rezultat_wysylki = n
            .all("RezultatWysylki")
            .into_iter()
            .map(|r| {
                Ok(RezultatWysylki {
                    nr_ref: r.texts("NrRef")?,
                    wynik: r.req_enum("Wynik")?,
                    utworzone_upp: r
                        .all("UtworzoneUPP")
                        .iter()
                        .map(|u| u.req_text("UPP"))
                        .collect::<Result<_>>()?,
                    blad: r
                        .opt("Blad")?
                        .map(|b| -> Result<Rezultat> {
                            Ok(Rezultat {
                                kod_bledu: b.req_text("KodBledu")?,
                                opis_bledu: b.req_text("OpisBledu")?,
                            })
                        })
                        .transpose()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let receipts = rezultat_wysylki.iter().any(|r| !r.utworzone_upp.is_empty());
        if !receipts {
            check(Self::NAME, rezultat.clone())?;
            if let Some(v) = &rezultat_walidacji
                && v.wynik == WynikWalidacji::Negatywny
            {
                return Err(Error::Zus(ZusError::ValidationRefused {
                    operation: Self::NAME,
                    bledy: v.bledy.clone(),
                }));
            }
        }
        Ok(WyslaneDokumenty {
            rezultat,
            rezultat_walidacji,
            rezultat_wysylki,
        })
    }
}
