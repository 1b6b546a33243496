//! [`ServiceProvider`]: the login flow over a [`Transport`] and the two stores. The only
//! place of the module that performs I/O.

use std::sync::Arc;

use time::OffsetDateTime;

use super::artifact;
use super::assertion::{AssertionExpectations, check_assertion};
use super::authn_request::{self, AuthnRequest};
use super::config::Config;
use super::identity::Identity;
use super::logout;
use super::response::{ResponseExpectations, check_artifact_response};
use super::stores::{PendingStore, ReplayStore};
use crate::crypto::KeyAgreement;
use crate::error::TransportError;
use crate::transport::{Response, Transport};
use crate::{Error, Result};

/// A started login: the request to send through the browser.
pub type Login = AuthnRequest;

/// A login.gov.pl service provider: configuration, transport and state stores.
pub struct ServiceProvider {
    config: Config,
    transport: Arc<dyn Transport>,
    pending: Arc<dyn PendingStore>,
    replay: Arc<dyn ReplayStore>,
}

impl std::fmt::Debug for ServiceProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceProvider")
            .field("entity_id", &self.config.entity_id)
            .finish_non_exhaustive()
    }
}

/// Processes an `ArtifactResponse` into an identity, *sans-IO*: the checks of
/// [`check_artifact_response`] and then [`check_assertion`], with the configuration's keys,
/// issuer, entity ID, ACS URL, LoA and skew. One-time use is the caller's (see
/// [`ServiceProvider::handle_artifact`]).
pub fn process_artifact_response(
    config: &Config,
    bytes: &[u8],
    artifact_resolve_id: Option<&str>,
    authn_request_id: &str,
    now: OffsetDateTime,
) -> Result<Identity> {
    let wk_keys = config.wk_keys();
    let keys: Vec<&dyn KeyAgreement> = config.keys.encryption.iter().map(|k| k.as_ref()).collect();
    let checked = check_artifact_response(
        bytes,
        &ResponseExpectations {
            artifact_resolve_id,
            authn_request_id: Some(authn_request_id),
            issuer: &config.endpoints.issuer,
            wk_keys: &wk_keys,
        },
        &keys,
    )?;
    check_assertion(
        &checked.assertion,
        &AssertionExpectations {
            issuer: &config.endpoints.issuer,
            entity_id: &config.entity_id,
            acs_url: &config.acs_url,
            authn_request_id,
            min_loa: config.requested_loa,
            now,
            clock_skew: config.clock_skew,
        },
    )
}

impl ServiceProvider {
    /// A service provider.
    pub fn new(
        config: Config,
        transport: Arc<dyn Transport>,
        pending: Arc<dyn PendingStore>,
        replay: Arc<dyn ReplayStore>,
    ) -> Self {
        ServiceProvider {
            config,
            transport,
            pending,
            replay,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Starts a login: builds and signs the AuthnRequest and stores it as pending. Send the
    /// browser [`AuthnRequest::html_form`].
    pub fn login(&self, now: OffsetDateTime) -> Result<Login> {
        let request = authn_request::build(&self.config, now)?;
        self.pending.put(&request.pending())?;
        Ok(request)
    }

    /// Handles the return to the ACS: takes the pending request of `relay_state` (once),
    /// records the artifact's use (once), resolves it over SOAP, checks the answer, and
    /// records the assertion's use.
    pub fn handle_artifact(
        &self,
        artifact: &str,
        relay_state: &str,
        now: OffsetDateTime,
    ) -> Result<Identity> {
        let pending = self.pending.take(relay_state, now)?;
        self.replay.first_use(
            "artifact",
            artifact,
            now + self.config.request_lifetime,
            now,
        )?;
        let resolve = artifact::build(&self.config, artifact, now)?;
        let url = &self.config.endpoints.artifact_resolution;
        let response = self.transport.post(&resolve.request(url))?;
        let body = soap_body(url, response)?;
        let identity = process_artifact_response(
            &self.config,
            &body,
            Some(&resolve.id),
            &pending.request_id,
            now,
        )?;
        self.replay.first_use(
            "assertion",
            &identity.assertion_id,
            identity.not_on_or_after + self.config.clock_skew,
            now,
        )?;
        Ok(identity)
    }

    /// Logs the session out at login.gov.pl over the SOAP back channel.
    pub fn logout(&self, identity: &Identity, now: OffsetDateTime) -> Result<()> {
        let session_index = identity.session_index.as_deref().ok_or_else(|| {
            Error::invalid_argument("identity", "the assertion carried no SessionIndex")
        })?;
        let request = logout::build(&self.config, &identity.name_id, session_index, now)?;
        let url = &self.config.endpoints.single_logout;
        let response = self.transport.post(&request.request(url))?;
        let body = soap_body(url, response)?;
        logout::check_logout_response(
            &body,
            &request.id,
            &self.config.endpoints.issuer,
            &self.config.wk_keys(),
            false,
        )
    }
}

/// The body of a SOAP answer: HTTP 200, or 500 carrying a Fault.
fn soap_body(url: &str, response: Response) -> Result<Vec<u8>> {
    match response.status {
        200 | 500 => Ok(response.body),
        status => Err(Error::Transport(TransportError::http_status(
            url,
            status,
            &response.body,
        ))),
    }
}
