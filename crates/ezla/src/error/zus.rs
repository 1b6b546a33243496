//! The ZUS channel (*kanał gabinetowy*): what ZUS answered when it did not do what was asked,
//! and answers that are not what the operation returns (codes 600–699).
//!
//! Every text ZUS sent (`faultstring`, `KodBledu`, `OpisBledu`, `Lokalizacja`, …) is kept
//! verbatim: ZUS's messages are the only diagnosis a doctor gets, and their spelling matters
//! to ZUS's support. Transport failures (HTTP, TLS, timeouts) are not here; they belong to the
//! I/O family.

use std::fmt;

use super::ErrorCode;

/// ZUS's result of an operation (*Rezultat*): an error code and a description, verbatim.
///
/// Success is `KodBledu` `0` (observed with `OpisBledu` `OK`); see `docs/zus.md`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Rezultat {
    /// ZUS's error code (*KodBledu*), verbatim; `0` means success.
    pub kod_bledu: String,
    /// ZUS's description (*OpisBledu*), verbatim.
    pub opis_bledu: String,
}

impl Rezultat {
    /// Whether this is ZUS's success result: `KodBledu` is `0` (surrounding whitespace
    /// ignored). An empty `KodBledu` is **not** success: no success has been observed
    /// without the `0`, and reading an unknown answer as success could hide a refusal.
    pub fn is_success(&self) -> bool {
        self.kod_bledu.trim() == "0"
    }
}

impl fmt::Display for Rezultat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KodBledu {:?}, OpisBledu {:?}",
            self.kod_bledu, self.opis_bledu
        )
    }
}

/// How serious a validation finding is (*RodzajBleduWalidacji*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RodzajBledu {
    /// An error (*BLAD*): ZUS refuses the document.
    Blad,
    /// A warning (*OSTRZEZENIE*): ZUS accepts the document and reports it.
    Ostrzezenie,
}

impl RodzajBledu {
    /// The value as ZUS writes it: `BLAD` or `OSTRZEZENIE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RodzajBledu::Blad => "BLAD",
            RodzajBledu::Ostrzezenie => "OSTRZEZENIE",
        }
    }
}

/// One finding of ZUS's validation of a document (*BladWalidacji*), every field verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BladWalidacji {
    /// The `NrRef` of the documents it concerns (the caller's references, echoed).
    pub nr_ref: Vec<String>,
    /// Error or warning (*Rodzaj*).
    pub rodzaj: RodzajBledu,
    /// ZUS's code, e.g. `W145` or `185` (*KodBledu*).
    pub kod_bledu: String,
    /// ZUS's description (*OpisBledu*).
    pub opis_bledu: String,
    /// Where in the document, an XPath-like path (*Lokalizacja*), when given.
    pub lokalizacja: Option<String>,
}

impl fmt::Display for BladWalidacji {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.rodzaj.as_str(),
            self.kod_bledu,
            self.opis_bledu
        )?;
        if let Some(at) = &self.lokalizacja {
            write!(f, " at {at}")?;
        }
        if !self.nr_ref.is_empty() {
            write!(f, " (NrRef {})", self.nr_ref.join(", "))?;
        }
        Ok(())
    }
}

/// A SOAP 1.1 Fault as ZUS sent it, every field verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SoapFault {
    /// `faultcode`, a QName as written (e.g. `soapenv:Server`).
    pub code: String,
    /// `faultstring`, the human-readable text.
    pub string: String,
    /// `faultactor`, when given.
    pub actor: Option<String>,
    /// The content of `detail` as written in the response (XML included), when given.
    pub detail: Option<String>,
}

impl fmt::Display for SoapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "faultcode {:?}, faultstring {:?}",
            self.code, self.string
        )?;
        if let Some(actor) = &self.actor {
            write!(f, ", faultactor {actor:?}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ", detail {detail:?}")?;
        }
        Ok(())
    }
}

/// What ZUS answered when it did not do what was asked, or an answer that is not what the
/// operation returns.
#[derive(Debug)]
#[non_exhaustive]
pub enum ZusError {
    /// ZUS answered with a SOAP Fault.
    Fault {
        /// The operation, as named in the WSDL (`zalogujPodpisem`).
        operation: &'static str,
        /// The fault, verbatim.
        fault: SoapFault,
    },
    /// ZUS no longer knows the session (`IdSesji`): log in again.
    ///
    /// Recognised by a rule **inferred** from third-party clients, not from ZUS's
    /// specification: a Fault whose `faultstring` or `detail`, or a non-zero `Rezultat` whose
    /// `OpisBledu`, contains (ignoring case) "brak sesji", "sesja wygas" or "sesja nie
    /// istnieje".
    SessionExpired {
        /// The operation.
        operation: &'static str,
        /// ZUS's words, verbatim (the `faultstring`, or `OpisBledu`).
        text: String,
    },
    /// ZUS's result (*Rezultat*) is not success.
    Rejected {
        /// The operation.
        operation: &'static str,
        /// ZUS's result, verbatim.
        rezultat: Rezultat,
    },
    /// ZUS refused the login: `zalogujPodpisem` returned an empty `IdSesji`.
    LoginRefused {
        /// ZUS's result, verbatim (it says why).
        rezultat: Rezultat,
    },
    /// ZUS's validation refused the documents (*RezultatWalidacji* `NEGATYWNY`).
    ValidationRefused {
        /// The operation.
        operation: &'static str,
        /// Every finding, errors and warnings, in ZUS's order.
        bledy: Vec<BladWalidacji>,
    },
    /// The doctor reached the daily limit of patient look-ups
    /// (*PrzekroczonyDziennyLimitDostepow*).
    DailyLimitExceeded {
        /// The operation.
        operation: &'static str,
        /// ZUS's result sent with it, verbatim.
        rezultat: Rezultat,
    },
    /// ZUS answered a send (`wyslijDokumenty`) and did not accept some documents: each is
    /// named with ZUS's words (`KodBledu OpisBledu` of its `RezultatWysylki`). The journal
    /// has them as refused; nothing was stored at ZUS for them.
    SendRefused {
        /// Each refused document (`ORYGINAL ZY0000001: 301 …`).
        documents: Vec<String>,
        /// The validation findings ZUS sent with the answer, verbatim.
        bledy: Vec<BladWalidacji>,
    },
    /// ZUS does not allow the action on the certificate (`sprawdzMozliwoscAnulowania` and
    /// its kin answered `DopuszczalnaAkcja` false): already cancelled, not issued, not the
    /// doctor's to act on.
    NotAllowed {
        /// The check that refused (`sprawdzMozliwoscAnulowania`).
        operation: &'static str,
        /// The certificate (`ZY1234567`).
        seria_numer: String,
    },
    /// The response is not what the operation returns: not a SOAP envelope, the wrong body
    /// element or namespace, a required element missing, a value of the wrong shape.
    ResponseMalformed {
        /// The operation.
        operation: &'static str,
        /// The element path where the problem is (`/Envelope/Body/usunSesjeResponse`).
        path: String,
        /// What is wrong.
        detail: String,
    },
}

impl ZusError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ZusError::Fault { .. } => ErrorCode::ZusFault,
            ZusError::SessionExpired { .. } => ErrorCode::ZusSessionExpired,
            ZusError::Rejected { .. } => ErrorCode::ZusRejected,
            ZusError::LoginRefused { .. } => ErrorCode::ZusLoginRefused,
            ZusError::ValidationRefused { .. } => ErrorCode::ZusValidationRefused,
            ZusError::DailyLimitExceeded { .. } => ErrorCode::ZusDailyLimitExceeded,
            ZusError::ResponseMalformed { .. } => ErrorCode::ZusResponseMalformed,
            ZusError::SendRefused { .. } => ErrorCode::ZusSendRefused,
            ZusError::NotAllowed { .. } => ErrorCode::ZusNotAllowed,
        }
    }

    /// ZUS's own error code and text (`KodBledu`, `OpisBledu`), where the error carries
    /// them; for a Fault, the `faultcode` and `faultstring`.
    pub fn zus_code_and_text(&self) -> Option<(&str, &str)> {
        match self {
            ZusError::Fault { fault, .. } => Some((&fault.code, &fault.string)),
            ZusError::Rejected { rezultat, .. }
            | ZusError::LoginRefused { rezultat }
            | ZusError::DailyLimitExceeded { rezultat, .. } => {
                Some((&rezultat.kod_bledu, &rezultat.opis_bledu))
            }
            _ => None,
        }
    }
}

impl fmt::Display for ZusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZusError::Fault { operation, fault } => {
                write!(f, "ZUS answered {operation} with a SOAP Fault: {fault}")
            }
            ZusError::SessionExpired { operation, text } => write!(
                f,
                "ZUS no longer knows the session ({operation}: {text:?}); log in again"
            ),
            ZusError::Rejected {
                operation,
                rezultat,
            } => write!(f, "ZUS refused {operation}: {rezultat}"),
            ZusError::LoginRefused { rezultat } => {
                write!(f, "ZUS refused the login (empty IdSesji): {rezultat}")
            }
            ZusError::ValidationRefused { operation, bledy } => {
                let errors = bledy
                    .iter()
                    .filter(|b| b.rodzaj == RodzajBledu::Blad)
                    .count();
                write!(
                    f,
                    "ZUS's validation refused the documents ({operation}, NEGATYWNY): \
                     {errors} error(s), {} warning(s)",
                    bledy.len() - errors
                )?;
                for b in bledy {
                    write!(f, "\n  {b}")?;
                }
                Ok(())
            }
            ZusError::DailyLimitExceeded {
                operation,
                rezultat,
            } => write!(
                f,
                "daily limit of patient look-ups reached ({operation}): {rezultat}"
            ),
            ZusError::NotAllowed {
                operation,
                seria_numer,
            } => write!(
                f,
                "ZUS does not allow this for {seria_numer} ({operation}: DopuszczalnaAkcja false)"
            ),
            ZusError::SendRefused { documents, bledy } => {
                write!(f, "ZUS did not accept {} document(s):", documents.len())?;
                for d in documents {
                    write!(f, "\n  {d}")?;
                }
                for b in bledy {
                    write!(f, "\n  {b}")?;
                }
                Ok(())
            }
            ZusError::ResponseMalformed {
                operation,
                path,
                detail,
            } => write!(
                f,
                "the response to {operation} is not what the operation returns: {detail} at {path}"
            ),
        }
    }
}
