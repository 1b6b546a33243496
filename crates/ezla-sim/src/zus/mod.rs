//! The simulated ZUS channel ("kanał gabinetowy"): its data and its rules.
//!
//! [`State`] is what ZUS knows — doctors, places of work, patients and their payers (from a
//! [`Seed`]), login statements with one-time tokens, sessions, reserved series/numbers, the
//! documents received and their receipts — kept in one SQLite file in the state directory,
//! so it survives a restart.

mod seed;
mod state;

pub use seed::{
    DEFAULT_SEED, Seed, SeedAdres, SeedCzlonekRodziny, SeedLekarz, SeedMiejsce, SeedPlatnik,
    SeedUbezpieczony,
};
pub use state::{
    DEFAULT_DAILY_LOOKUPS, Doctor, LoginRefusal, Patient, Reservation, SERIA, SESSION_IDLE,
    SessionError, SimClock, State, StateError, StoreError, StoredDocument, TOKEN_LIFETIME,
};
