//! Numbering: series and numbers of certificates and the KEDU document identifiers.
//!
//! Since Q2 2018 a certificate's series, number and the `id_dokumentu` of its ORYGINAŁ and
//! KOPIA come together from [`PobierzSeriaNumerZla`] \[S\]; [`PobierzIdentyfikatorDokumentu`]
//! gives bare identifiers; [`RezerwujSeriaNumerZla`] reserves numbers for the alternative
//! (paper) mode. [`NadajSeriaNumerZla`] was withdrawn at the end of Q1 2019.

use super::documents::Dokument;
use super::types::read_seria_numer;
use super::wire::Node;
use super::{IdSesji, Operation, RezultatWalidacji, SeriaNumer, write_id};
use crate::error::{Error, Result};
use crate::kedu::IdDokumentu;
use crate::xml::Writer;

/// `pobierzSeriaNumerZla` \[S\]: a series and number with the KEDU identifiers of its pair.
///
/// Not in the 2018 WSDL. The request is **inferred** to carry only `IdSesji`; the response
/// shape (`out/KolekcjaPaczekDokumentowZla{Oryginal/idDokumentu, Kopia/idDokumentu,
/// SeriaNumer}`) comes from a third-party client's typings. `SeriaNumer` is read as nine
/// characters (`ZW1234567`) or as `Seria`/`Numer` children; `KolekcjaPaczekDokumentowZla`
/// is accepted inside `out` or directly in the response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzSeriaNumerZla {
    /// The session.
    pub id_sesji: IdSesji,
}

/// A series and number with the document identifiers of its ORYGINAŁ and KOPIA
/// (*PaczkaDokumentowZla*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaczkaDokumentowZla {
    /// The series and number.
    pub seria_numer: SeriaNumer,
    /// The `id_dokumentu` of the ORYGINAŁ and of the KOPIA.
    pub id_dokumentu: IdDokumentu,
}

impl PaczkaDokumentowZla {
    fn read(n: Node<'_, '_>) -> Result<Self> {
        let sn = n.req("SeriaNumer")?;
        let seria_numer = if sn.opt("Seria")?.is_some() {
            read_seria_numer(sn)?
        } else {
            let text = sn.text()?;
            let t = text.trim();
            match (t.get(..2), t.get(2..)) {
                (Some(seria), Some(numer)) if t.len() == 9 => SeriaNumer {
                    seria: seria.to_string(),
                    numer: numer.to_string(),
                },
                _ => return Err(sn.malformed(format!("{text:?} is not a series and number"))),
            }
        };
        let id = |name| -> Result<Option<String>> {
            n.opt(name)?.map(|d| d.req_text("idDokumentu")).transpose()
        };
        Ok(PaczkaDokumentowZla {
            seria_numer,
            id_dokumentu: IdDokumentu {
                oryginal: id("Oryginal")?,
                kopia: id("Kopia")?,
            },
        })
    }
}

impl Operation for PobierzSeriaNumerZla {
    const NAME: &'static str = "pobierzSeriaNumerZla";
    const IN_WSDL_2018: bool = false;
    type Response = Vec<PaczkaDokumentowZla>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        let mut all = Vec::new();
        for out in n.all("out") {
            all.extend(out.all("KolekcjaPaczekDokumentowZla"));
        }
        all.extend(n.all("KolekcjaPaczekDokumentowZla"));
        if all.is_empty() {
            return Err(n.malformed("KolekcjaPaczekDokumentowZla missing"));
        }
        all.into_iter().map(PaczkaDokumentowZla::read).collect()
    }
}

/// `pobierzIdentyfikatorDokumentu`: KEDU document identifiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PobierzIdentyfikatorDokumentu {
    /// The session.
    pub id_sesji: IdSesji,
    /// How many (*IloscIdentyfikatorow*).
    pub ilosc_identyfikatorow: u32,
}

impl Operation for PobierzIdentyfikatorDokumentu {
    const NAME: &'static str = "pobierzIdentyfikatorDokumentu";
    /// The identifiers (*IdDokumentu*), verbatim.
    type Response = Vec<String>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf(
            "IloscIdentyfikatorow",
            &self.ilosc_identyfikatorow.to_string(),
        );
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.texts("IdDokumentu")
    }
}

/// `rezerwujSeriaNumerZla`: reserve series and numbers for forms of the alternative mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RezerwujSeriaNumerZla {
    /// The session.
    pub id_sesji: IdSesji,
    /// How many (*Liczba*).
    pub liczba: u32,
}

impl Operation for RezerwujSeriaNumerZla {
    const NAME: &'static str = "rezerwujSeriaNumerZla";
    /// The reserved series and numbers (*SeriaNumerZla*), verbatim.
    type Response = Vec<SeriaNumer>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        w.leaf("Liczba", &self.liczba.to_string());
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        n.all("SeriaNumerZla")
            .into_iter()
            .map(read_seria_numer)
            .collect()
    }
}

/// A pair of documents (*ParaDokumentow*): the ORYGINAŁ and the KOPIA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParaDokumentow {
    /// The caller's reference of the pair (*NrRef*), echoed by ZUS.
    pub nr_ref: Option<String>,
    /// The ORYGINAŁ.
    pub oryginal: Dokument,
    /// The KOPIA.
    pub kopia: Dokument,
}

impl ParaDokumentow {
    fn write(&self, w: &mut Writer) -> Result<()> {
        let nr_ref = self
            .nr_ref
            .as_deref()
            .map(super::types::nr_ref_pattern)
            .transpose()?;
        w.start("ParaDokumentow").attr_opt("NrRef", nr_ref).open();
        self.oryginal.write(w, "Oryginal")?;
        self.kopia.write(w, "Kopia")?;
        w.end();
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(ParaDokumentow {
            nr_ref: n.e.attribute("NrRef").map(str::to_string),
            oryginal: Dokument::read(n.req("Oryginal")?)?,
            kopia: Dokument::read(n.req("Kopia")?)?,
        })
    }
}

/// `nadajSeriaNumerZla`: have ZUS number unnumbered pairs. **Withdrawn by ZUS at the end of
/// Q1 2019**; kept because the 2018 WSDL has it. Use [`PobierzSeriaNumerZla`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NadajSeriaNumerZla {
    /// The session.
    pub id_sesji: IdSesji,
    /// The pairs, at least one.
    pub pary: Vec<ParaDokumentow>,
}

/// The response of [`NadajSeriaNumerZla`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NadaneSerieNumery {
    /// The pairs as ZUS returned them (numbered KEDU documents, verbatim).
    pub pary: Vec<ParaDokumentow>,
    /// ZUS's validation result, when given.
    pub rezultat_walidacji: Option<RezultatWalidacji>,
}

impl Operation for NadajSeriaNumerZla {
    const NAME: &'static str = "nadajSeriaNumerZla";
    type Response = NadaneSerieNumery;

    fn write(&self, w: &mut Writer) -> Result<()> {
        if self.pary.is_empty() {
            return Err(Error::invalid_argument("ParaDokumentow", "no pair"));
        }
        write_id(w, &self.id_sesji);
        for p in &self.pary {
            p.write(w)?;
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        let rezultat_walidacji = RezultatWalidacji::read_checked(n)?;
        Ok(NadaneSerieNumery {
            pary: n
                .all("ParaDokumentow")
                .into_iter()
                .map(ParaDokumentow::read)
                .collect::<Result<_>>()?,
            rezultat_walidacji,
        })
    }
}
