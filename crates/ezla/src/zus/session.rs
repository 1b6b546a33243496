//! The session: the login statement, the signed login, the logout.
//!
//! A login is: [`PobierzOswiadczenie`] (no session) returns the statement XML; the doctor
//! signs it (XAdES-BES, enveloped); [`ZalogujPodpisem`] sends the signed statement and
//! returns the [`IdSesji`] every other operation takes; [`UsunSesje`] ends the session.

use super::wire::{Node, check, malformed};
use super::{IdSesji, MetodaWeryfikacji, Operation, RezultatRule, write_id};
use crate::error::{Error, Result, ZusError};
use crate::xml::Writer;

/// Checks that `s` holds only characters XML 1.0 can carry, so that it travels unchanged.
pub(crate) fn xml_chars<'s>(what: &'static str, s: &'s str) -> Result<&'s str> {
    let bad = s.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    });
    match bad {
        Some(c) => Err(Error::invalid_argument(
            what,
            format!("U+{:04X} cannot be carried in XML", u32::from(c)),
        )),
        None => Ok(s),
    }
}

/// `pobierzOswiadczenie`: the login statement to sign. Needs no session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PobierzOswiadczenie;

impl Operation for PobierzOswiadczenie {
    const NAME: &'static str = "pobierzOswiadczenie";
    const REZULTAT: RezultatRule = RezultatRule::Absent;
    /// The statement (*Oswiadczenie*): an XML document as a string, verbatim (sign these
    /// bytes).
    type Response = String;

    fn write(&self, _: &mut Writer) -> Result<()> {
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<String> {
        n.req_text("Oswiadczenie")
    }
}

/// `zalogujPodpisem`: log in with the signed statement.
///
/// The response's `IdSesji` empty is [`ZusError::LoginRefused`] (with ZUS's `Rezultat`);
/// otherwise a non-success `Rezultat` is [`ZusError::Rejected`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZalogujPodpisem {
    /// The signed statement (*PodpisaneOswiadczenie*), exactly as signed: it travels as an
    /// escaped `xsd:string` and arrives byte for byte.
    pub podpisane_oswiadczenie: String,
    /// How ZUS verifies the signature (*MetodaWeryfikacji*).
    pub metoda_weryfikacji: MetodaWeryfikacji,
    /// The doctor's licence number (*NumerPrawaWykonywaniaZawodu*): an optional third
    /// element of later WSDL versions \[S\], not in the 2018 WSDL; `None` writes nothing.
    pub numer_prawa_wykonywania_zawodu: Option<String>,
}

impl Operation for ZalogujPodpisem {
    const NAME: &'static str = "zalogujPodpisem";
    const REZULTAT: RezultatRule = RezultatRule::Own;
    type Response = IdSesji;

    fn write(&self, w: &mut Writer) -> Result<()> {
        w.leaf(
            "PodpisaneOswiadczenie",
            xml_chars("PodpisaneOswiadczenie", &self.podpisane_oswiadczenie)?,
        );
        w.leaf("MetodaWeryfikacji", self.metoda_weryfikacji.as_str());
        if let Some(npwz) = &self.numer_prawa_wykonywania_zawodu {
            w.leaf(
                "NumerPrawaWykonywaniaZawodu",
                xml_chars("NumerPrawaWykonywaniaZawodu", npwz)?,
            );
        }
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<IdSesji> {
        let id = n.req("IdSesji")?;
        let text = id.text()?;
        let rezultat = n.rezultat()?;
        if text.is_empty() {
            return Err(Error::Zus(ZusError::LoginRefused { rezultat }));
        }
        check(Self::NAME, rezultat)?;
        IdSesji::new(text).map_err(|e| malformed(Self::NAME, id.e.path(), e.to_string()))
    }
}

/// `usunSesje`: log out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsunSesje {
    /// The session to end.
    pub id_sesji: IdSesji,
}

impl Operation for UsunSesje {
    const NAME: &'static str = "usunSesje";
    type Response = ();

    fn write(&self, w: &mut Writer) -> Result<()> {
        write_id(w, &self.id_sesji);
        Ok(())
    }

    fn read(_: Node<'_, '_>) -> Result<()> {
        Ok(())
    }
}
