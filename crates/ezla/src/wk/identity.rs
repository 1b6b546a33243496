//! The person login.gov.pl vouches for, read from a checked assertion.

use std::fmt;

use time::{Date, OffsetDateTime};

use super::config::Loa;
use crate::pl::Pesel;

/// A logged-in person: the eIDAS natural-person attributes login.gov.pl releases, the level
/// of assurance, the identity means and the session handles needed to log out.
///
/// `Debug` masks the PESEL (as [`Pesel`]'s does); never log the identity at info level.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identity {
    /// `PersonIdentifier`: the PESEL, check digit validated and consistent with
    /// [`Identity::birth_date`].
    pub pesel: Pesel,
    /// `CurrentGivenName`, verbatim (integration data is lower case; not normalised).
    pub given_name: String,
    /// `CurrentFamilyName`, verbatim.
    pub family_name: String,
    /// `DateOfBirth` (`1980-07-21`; the `1987-02-22Z` form with a time zone is accepted).
    pub birth_date: Date,
    /// The level of assurance reached (`AuthnContextClassRef`).
    pub loa: Loa,
    /// The identity means (`AuthenticatingAuthority`, e.g. `pz.gov.pl`, `mObywatel`),
    /// opaque.
    pub authenticating_authorities: Vec<String>,
    /// `NameID` (the PESEL in integration, a login name in the 2018 simulator): needed for
    /// logout.
    pub name_id: String,
    /// `NameID/@Format`.
    pub name_id_format: Option<String>,
    /// `AuthnStatement/@SessionIndex`: needed for logout.
    pub session_index: Option<String>,
    /// `AuthnStatement/@AuthnInstant`.
    pub authn_instant: Option<OffsetDateTime>,
    /// The assertion's `ID` (recorded in the replay store).
    pub assertion_id: String,
    /// The end of the assertion's validity (`Conditions/@NotOnOrAfter`).
    pub not_on_or_after: OffsetDateTime,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("pesel", &self.pesel)
            .field("loa", &self.loa)
            .field(
                "authenticating_authorities",
                &self.authenticating_authorities,
            )
            .field("session_index", &self.session_index)
            .field("assertion_id", &self.assertion_id)
            .finish_non_exhaustive()
    }
}
