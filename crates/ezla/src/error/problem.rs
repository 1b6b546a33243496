//! A problem found in a document, with its severity: what e-ZLA validation reports, and what
//! ZUS's validation results (*wyniki walidacji*) carry.
//!
//! ZUS distinguishes errors (*BLAD*: the document is refused) from warnings (*OSTRZEZENIE*:
//! the document is accepted and the warning reported). [`Severity`] mirrors that. A leaf
//! module: [`DocumentError::Invalid`](super::DocumentError::Invalid) carries problems, and
//! `kedu` (and the ZUS channel) produce them.

use std::fmt;

use serde::{Deserialize, Serialize};

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
