//! login.gov.pl (Węzeł Krajowy, WK): a SAML 2.0 service provider, *sans-IO* at its core.
//!
//! The flow (wk-saml.md §1, `docs/wk.md`): the browser POSTs our signed
//! [`AuthnRequest`](authn_request) to login.gov.pl; login.gov.pl returns the browser to our
//! ACS with an artifact; we send a signed `ArtifactResolve` over SOAP ([`artifact`]); the
//! `ArtifactResponse` is checked in the order of wk-saml.md §2.4
//! ([`check_artifact_response`]), its assertion decrypted with the length-prefixed ConcatKDF
//! login.gov.pl uses ([`decrypt_assertion`]) and checked ([`check_assertion`]) into an
//! [`Identity`]. [`ServiceProvider`] ties the steps to a [`Transport`](crate::transport::Transport)
//! and the [`PendingStore`] and [`ReplayStore`]; everything else is pure functions over bytes.
//!
//! Security rules kept throughout: keys of login.gov.pl are pinned ([`Config::wk_certificates`],
//! never `KeyInfo`); each signature must be the only one of its element and reference exactly
//! it; IDs are unique; comments, processing instructions, hidden or plaintext assertions are
//! refused; data is read only from the verified and decrypted elements.

pub mod artifact;
mod assertion;
pub mod authn_request;
mod client;
mod config;
mod decrypt;
pub mod emulate;
mod encrypt;
mod identity;
mod layer;
pub mod logout;
pub mod metadata;
pub mod ns;
mod response;
mod sign;
mod stores;
#[cfg(feature = "sqlite")]
mod stores_sqlite;

pub use crate::error::{SamlStatus, WkError};
pub use assertion::{AssertionExpectations, BEARER, check_assertion};
pub use client::{Login, ServiceProvider, process_artifact_response};
pub use config::{Config, Endpoints, Environment, Loa, SpKeys, SpType};
pub use decrypt::decrypt_assertion;
pub use encrypt::encrypt_assertion;
pub use identity::Identity;
pub use response::{CheckedResponse, ResponseExpectations, check_artifact_response};
pub use sign::new_id;
pub use stores::{
    MemoryPendingStore, MemoryReplayStore, PendingRequest, PendingStore, ReplayStore,
};
#[cfg(feature = "sqlite")]
pub use stores_sqlite::SqliteWkStore;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_requests;
