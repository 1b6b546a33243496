//! The simulated ZUS channel ("kanał gabinetowy"): its data and its rules.
//!
//! [`State`] is what ZUS knows — doctors, places of work, patients and their payers (from a
//! [`Seed`]), login statements with one-time tokens, sessions, reserved series/numbers, the
//! documents received and their receipts — kept in one SQLite file in the state directory,
//! so it survives a restart.

mod ca;
mod mount;
mod seed;
mod service;
mod state;

pub use ca::SimCa;
pub use mount::{DEFAULT_ZUS_PATH, ZusHandler, zus_mount};
pub use service::{NS_ZUS_GOV_PL, NS_ZUS_PL, Reply, SOAP_ACTION_PREFIX, UPP_NS, ZusService};

pub use seed::{
    DEFAULT_SEED, Seed, SeedAdres, SeedCzlonekRodziny, SeedLekarz, SeedMiejsce, SeedPlatnik,
    SeedUbezpieczony,
};
pub use state::{
    DEFAULT_DAILY_LOOKUPS, Doctor, IssuedCertificate, LoginRefusal, Patient, Reservation,
    Revocation, RevokeError, SERIA, SESSION_IDLE, SessionError, SimClock, State, StateError,
    StoreError, StoredDocument, TOKEN_LIFETIME, normalize_serial,
};
