//! The life of a certificate after sending: may it be cancelled, electronised (sent after
//! the alternative mode) or invalidated; notifying the payers of a cancellation.

use super::types::{read_seria_numer, write_seria_numer};
use super::wire::Node;
use super::{IdSesji, Operation, SeriaNumer, write_id};
use crate::error::{Error, Result};
use crate::xml::Writer;

/// The XML Schema instance namespace, for `xsi:nil`.
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Whether an action is allowed for one certificate (*WeryfikacjaAkcjiZla*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DopuszczalnaAkcja {
    /// The certificate (*SeriaNumerZla*), verbatim.
    pub seria_numer: SeriaNumer,
    /// Whether the action is allowed (*DopuszczalnaAkcja*).
    pub dopuszczalna: bool,
}

impl DopuszczalnaAkcja {
    fn read(n: Node<'_, '_>) -> Result<Self> {
        Ok(DopuszczalnaAkcja {
            seria_numer: read_seria_numer(n.req("SeriaNumerZla")?)?,
            dopuszczalna: n.req_bool("DopuszczalnaAkcja")?,
        })
    }
}

macro_rules! sprawdz_mozliwosc {
    ($(#[$m:meta])* $name:ident, $op:literal, $list:literal) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            /// The session.
            pub id_sesji: IdSesji,
            /// The certificates to ask about (*SeriaNumerZla*).
            pub seria_numer: Vec<SeriaNumer>,
        }

        impl Operation for $name {
            const NAME: &'static str = $op;
            #[doc = concat!("One answer per certificate (*", $list, "*).")]
            type Response = Vec<DopuszczalnaAkcja>;

            fn write(&self, w: &mut Writer) -> Result<()> {
                write_id(w, &self.id_sesji);
                for sn in &self.seria_numer {
                    write_seria_numer(w, "SeriaNumerZla", sn)?;
                }
                Ok(())
            }

            fn read(n: Node<'_, '_>) -> Result<Self::Response> {
                n.all($list).into_iter().map(DopuszczalnaAkcja::read).collect()
            }
        }
    };
}

sprawdz_mozliwosc!(
    /// `sprawdzMozliwoscAnulowania`: may these certificates be cancelled (AZLA)?
    SprawdzMozliwoscAnulowania,
    "sprawdzMozliwoscAnulowania",
    "MozliwoscAnulowania"
);
sprawdz_mozliwosc!(
    /// `sprawdzMozliwoscElektronizacji`: may these paper forms be sent electronically?
    SprawdzMozliwoscElektronizacji,
    "sprawdzMozliwoscElektronizacji",
    "MozliwoscElektronizacji"
);
sprawdz_mozliwosc!(
    /// `sprawdzMozliwoscUniewaznienia`: may these reserved numbers be invalidated (UZLA)?
    SprawdzMozliwoscUniewaznienia,
    "sprawdzMozliwoscUniewaznienia",
    "MozliwoscUniewaznienia"
);

/// `notyfikujAnulowanieZla`: notify the insured person and the payers of a cancellation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotyfikujAnulowanieZla {
    /// The session.
    pub id_sesji: IdSesji,
    /// The cancelled certificates (*SeriaNumerZla*), at least one.
    pub seria_numer: Vec<SeriaNumer>,
    /// The place of practice (*MiejsceWykonywaniaZawodu*), as ZUS spells it.
    pub miejsce_wykonywania_zawodu: String,
    /// Additional information (*DodatkoweInformacje*); `None` is sent as `xsi:nil`.
    pub dodatkowe_informacje: Option<String>,
}

/// The delivery status to one payer (*WynikNotyfikacjiPlatnik*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WynikNotyfikacjiPlatnik {
    /// The status (*PlatnikStatusWysylki*), verbatim.
    pub status_wysylki: String,
    /// The payer's NIP, when given.
    pub nip: Option<String>,
    /// The payer's PESEL, when given.
    pub pesel: Option<String>,
    /// The payer's passport, when given.
    pub paszport: Option<String>,
}

/// The response of [`NotyfikujAnulowanieZla`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WynikNotyfikacji {
    /// The delivery status to the insured person (*UbezpieczonyStatusWysylki*), verbatim.
    pub ubezpieczony_status_wysylki: String,
    /// The delivery status to each payer (*PlatnikStatusWysylki*).
    pub platnicy: Vec<WynikNotyfikacjiPlatnik>,
}

impl Operation for NotyfikujAnulowanieZla {
    const NAME: &'static str = "notyfikujAnulowanieZla";
    type Response = WynikNotyfikacji;

    fn write(&self, w: &mut Writer) -> Result<()> {
        if self.seria_numer.is_empty() {
            return Err(Error::invalid_argument("SeriaNumerZla", "no certificate"));
        }
        write_id(w, &self.id_sesji);
        w.open("DaneNotyfikacji");
        for sn in &self.seria_numer {
            write_seria_numer(w, "SeriaNumerZla", sn)?;
        }
        w.leaf("MiejsceWykonywaniaZawodu", &self.miejsce_wykonywania_zawodu);
        match &self.dodatkowe_informacje {
            Some(text) => w.leaf("DodatkoweInformacje", text),
            None => w
                .start("DodatkoweInformacje")
                .ns("xsi", XSI)
                .attr("xsi:nil", "true")
                .empty(),
        }
        w.end();
        Ok(())
    }

    fn read(n: Node<'_, '_>) -> Result<Self::Response> {
        Ok(WynikNotyfikacji {
            ubezpieczony_status_wysylki: n.req_text("UbezpieczonyStatusWysylki")?,
            platnicy: n
                .all("PlatnikStatusWysylki")
                .into_iter()
                .map(|p| {
                    Ok(WynikNotyfikacjiPlatnik {
                        status_wysylki: p.req_text("PlatnikStatusWysylki")?,
                        nip: p.opt_text("Nip")?,
                        pesel: p.opt_text("Pesel")?,
                        paszport: p.opt_text("Paszport")?,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}
