//! The ZUS channel (*kanał gabinetowy*) messages, *sans-IO*: for every operation a typed
//! request that writes its SOAP 1.1 request, and a parser that judges ZUS's response.
//!
//! Nothing here performs I/O: a client sends [`SoapRequest::body`] with
//! [`SoapRequest::soap_action`] over HTTP and hands the response bytes to
//! [`Operation::parse`]. The catalogue of operations, the namespaces and the mapping of
//! ZUS's answers to errors are in `docs/zus.md`.
//!
//! ```
//! use ezla::zus::{BodyNamespace, Operation, session::UsunSesje, IdSesji};
//! let request = UsunSesje { id_sesji: IdSesji::new("abc123")? }.request(BodyNamespace::ZusPl)?;
//! assert_eq!(request.soap_action, "zus_channel_zla_Binder_usunSesje");
//!
//! let response = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
//!   <z:usunSesjeResponse xmlns:z="http://zus.pl/b2b/zus/channel/gabinetowe">
//!     <Rezultat><KodBledu>0</KodBledu><OpisBledu>OK</OpisBledu></Rezultat>
//!   </z:usunSesjeResponse></s:Body></s:Envelope>"#;
//! UsunSesje::parse(response, BodyNamespace::ZusPl)?;
//! # Ok::<(), ezla::Error>(())
//! ```
//!
//! # How responses are judged
//!
//! In this order, each step ending the parse with an error:
//! 1. XML errors ([`Error::Xml`](crate::Error::Xml)); then the SOAP 1.1 structure: one
//!    `Body` with one element ([`ZusError::ResponseMalformed`]).
//! 2. A SOAP Fault: [`ZusError::SessionExpired`] when its text says the session is gone (an
//!    inferred rule), otherwise [`ZusError::Fault`].
//! 3. The body element must be `<operation>Response` in either [`BodyNamespace`]; every
//!    element under it must be unqualified (what the WSDL's schema, which has no
//!    `elementFormDefault`, prescribes) or in the body element's own namespace (what some
//!    servers write). Anything else is [`ZusError::ResponseMalformed`].
//! 4. `PrzekroczonyDziennyLimitDostepow` true: [`ZusError::DailyLimitExceeded`].
//! 5. `Rezultat` not success (`KodBledu` other than `0`): [`ZusError::Rejected`] (or
//!    `SessionExpired`). The login and the sending of documents judge their own result
//!    ([`session::ZalogujPodpisem`], [`documents::WyslijDokumenty`]).
//! 6. `RezultatWalidacji` `NEGATYWNY`: [`ZusError::ValidationRefused`] with every finding.
//!
//! Elements the WSDL does not list are ignored (newer ZUS versions add some); missing
//! required ones, and values of the wrong shape, are [`ZusError::ResponseMalformed`]. Texts
//! are returned verbatim.
//!
//! [`ZusError::ResponseMalformed`]: crate::error::ZusError::ResponseMalformed
//! [`ZusError::SessionExpired`]: crate::error::ZusError::SessionExpired
//! [`ZusError::Fault`]: crate::error::ZusError::Fault
//! [`ZusError::DailyLimitExceeded`]: crate::error::ZusError::DailyLimitExceeded
//! [`ZusError::Rejected`]: crate::error::ZusError::Rejected
//! [`ZusError::ValidationRefused`]: crate::error::ZusError::ValidationRefused

use crate::error::Result;
use crate::xml::Writer;

/// Declares one of the WSDL's string enumerations with its wire values.
macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident $wsdl:literal { $( $(#[$vm:meta])* $v:ident = $s:literal ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $( $(#[$vm])* $v, )* }

        impl $name {
            /// Every value, in the WSDL's order.
            pub const ALL: &'static [$name] = &[ $( $name::$v, )* ];

            /// The value as written on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$v => $s, )* }
            }
        }

        impl $crate::zus::wire::WireEnum for $name {
            const TYPE_NAME: &'static str = $wsdl;
            fn as_wire(self) -> &'static str {
                self.as_str()
            }
            fn from_wire(s: &str) -> Option<Self> {
                match s { $( $s => Some($name::$v), )* _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mod namespace;
mod types;
#[doc(hidden)]
pub mod wire;

mod client;
mod issue;

pub mod dictionary;
pub mod doctor;
pub mod documents;
pub mod lifecycle;
pub mod numbering;
pub mod patient;
pub mod read;
pub mod requests;
pub mod session;

pub use client::{Client, ClientConfig, LoginKey, RetryPolicy};
pub use issue::{IssueReport, IssuedCertificate, Receipted, ReconcileReport};
pub use namespace::BodyNamespace;
pub use types::{
    BladWalidacji, Filtrowanie, IdSesji, IdentyfikacjaPlatnika, IdentyfikacjaUbezpieczonego,
    Kierunek, KodPokrewienstwa, KontekstDostepu, MetodaWeryfikacji, Operator, Rezultat,
    RezultatWalidacji, RodzajBledu, RodzajDokumentu, RodzajWniosku, SeriaNumer, Sortowanie,
    Stronicowanie, Tryb, WarunekFiltrowania, WynikWalidacji, Zlaczenie,
};
pub use wire::WireEnum;

/// The prefix of every SOAPAction of the channel; the operation's name follows.
pub const SOAP_ACTION_PREFIX: &str = "zus_channel_zla_Binder_";

/// A SOAP request ready to send: the envelope and its `SOAPAction`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoapRequest {
    /// The operation, as named in the WSDL.
    pub operation: &'static str,
    /// The `SOAPAction` HTTP header's value (unquoted): `zus_channel_zla_Binder_<operation>`.
    pub soap_action: String,
    /// The envelope, UTF-8 XML; send with `Content-Type: text/xml; charset=utf-8`
    /// ([`soap::CONTENT_TYPE`](crate::soap::CONTENT_TYPE)).
    pub body: String,
}

/// How an operation's response carries ZUS's `Rezultat` (hidden detail of [`Operation`]).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RezultatRule {
    /// Required; a non-success ends the parse.
    Check,
    /// The operation judges it itself.
    Own,
    /// The response has none.
    Absent,
}

/// One operation of the channel: its request value writes the SOAP request, and
/// [`Operation::parse`] judges the response. Implemented by every request type of this
/// module; not meant to be implemented elsewhere.
pub trait Operation {
    /// The operation's name in the WSDL (`zalogujPodpisem`).
    const NAME: &'static str;

    /// What a successful response carries.
    type Response;

    /// Whether the operation is in the 2018 WSDL (`false`: added later \[S\]).
    const IN_WSDL_2018: bool = true;

    #[doc(hidden)]
    const REZULTAT: RezultatRule = RezultatRule::Check;

    #[doc(hidden)]
    /// Writes the children of the operation's body element.
    fn write(&self, w: &mut Writer) -> Result<()>;

    #[doc(hidden)]
    /// Reads a response whose envelope, namespace, limit and `Rezultat` were judged.
    fn read(response: wire::Node<'_, '_>) -> Result<Self::Response>;

    /// The `SOAPAction` of the operation.
    fn soap_action() -> String {
        format!("{SOAP_ACTION_PREFIX}{}", Self::NAME)
    }

    /// The SOAP request, with the body element in `ns`. Values that the WSDL's types refuse
    /// (a series that is not two capital letters, an empty list, …) are
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument).
    fn request(&self, ns: BodyNamespace) -> Result<SoapRequest> {
        let mut outcome = Ok(());
        let body = crate::soap::write_request(ns.uri(), Self::NAME, |w| {
            outcome = self.write(w);
        });
        outcome?;
        Ok(SoapRequest {
            operation: Self::NAME,
            soap_action: Self::soap_action(),
            body,
        })
    }

    /// Judges ZUS's response envelope (see the [module documentation](self)); `ns` is the
    /// configured namespace (the other one of the two is accepted as well).
    fn parse(envelope: &[u8], ns: BodyNamespace) -> Result<Self::Response>
    where
        Self: Sized,
    {
        wire::parse::<Self>(envelope, ns)
    }
}

/// Writes `<IdSesji>`.
pub(crate) fn write_id(w: &mut Writer, id: &IdSesji) {
    w.leaf("IdSesji", id.as_str());
}

#[cfg(test)]
mod tests;
