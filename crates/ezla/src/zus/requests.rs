//! Requests (*wnioski*): the authorisation to issue certificates (FZLA) and the
//! rehabilitation request (PR-4), validated or sent as signed XML strings.

use super::session::xml_chars;
use super::wire::Node;
use super::{IdSesji, Operation, RezultatWalidacji, RodzajWniosku, write_id};
use crate::error::Result;
use crate::xml::Writer;

fn write_wniosek(w: &mut Writer, id: &IdSesji, xml: &str, typ: RodzajWniosku) -> Result<()> {
    write_id(w, id);
    w.leaf("DokumentXml", xml_chars("DokumentXml", xml)?);
    w.leaf("TypDokumentu", typ.as_str());
    Ok(())
}

/// `walidujWniosek`: have ZUS validate a signed request without sending it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalidujWniosek {
    /// The session.
    pub id_sesji: IdSesji,
    /// The signed request XML (*DokumentXml*), exactly as signed.
    pub dokument_xml: String,
    /// Its kind (*TypDokumentu*).
    pub typ_dokumentu: RodzajWniosku,
}

impl Operation for WalidujWniosek {
    const NAME: &'static str = "walidujWniosek";
    /// ZUS's validation result, when given; `NEGATYWNY` is
    /// [`ZusError::ValidationRefused`](crate::error::ZusError::ValidationRefused).
    type Response = Option<RezultatWalidacji>;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_wniosek(w, &self.id_sesji, &self.dokument_xml, self.typ_dokumentu)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        RezultatWalidacji::read_checked(n)
    }
}

/// `wyslijWniosek`: send a signed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WyslijWniosek {
    /// The session.
    pub id_sesji: IdSesji,
    /// The signed request XML (*DokumentXml*), exactly as signed.
    pub dokument_xml: String,
    /// Its kind (*TypDokumentu*).
    pub typ_dokumentu: RodzajWniosku,
}

/// The response of [`WyslijWniosek`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WyslanyWniosek {
    /// ZUS's validation result, when given.
    pub rezultat_walidacji: Option<RezultatWalidacji>,
    /// The outcome (*WynikWyslania*), verbatim, when given.
    pub wynik_wyslania: Option<String>,
    /// The receipt (*UtworzoneUPP/UPP*), a verbatim XML string, when given.
    pub utworzone_upp: Option<String>,
}

impl Operation for WyslijWniosek {
    const NAME: &'static str = "wyslijWniosek";
    type Response = WyslanyWniosek;

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_wniosek(w, &self.id_sesji, &self.dokument_xml, self.typ_dokumentu)
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(WyslanyWniosek {
            rezultat_walidacji: RezultatWalidacji::read_checked(n)?,
            wynik_wyslania: n.opt_text("WynikWyslania")?,
            utworzone_upp: n
                .opt("UtworzoneUPP")?
                .map(|u| u.req_text("UPP"))
                .transpose()?,
        })
    }
}
