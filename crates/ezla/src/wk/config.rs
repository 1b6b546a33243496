//! The service provider's configuration: who we are at login.gov.pl, our keys, the pinned
//! login.gov.pl certificates and the endpoints of an environment.

use std::fmt;
use std::sync::Arc;

use time::Duration;

use crate::crypto::{KeyAgreement, PublicKey, Signer};
use crate::pki::Certificate;

/// A level of assurance (eIDAS LoA), ordered `Low < Substantial < High`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loa {
    /// `http://eidas.europa.eu/LoA/low`.
    Low,
    /// `http://eidas.europa.eu/LoA/substantial` (Profil Zaufany, mObywatel).
    Substantial,
    /// `http://eidas.europa.eu/LoA/high` (e-dowód).
    High,
}

impl Loa {
    /// The `AuthnContextClassRef` URI.
    pub const fn uri(self) -> &'static str {
        match self {
            Loa::Low => "http://eidas.europa.eu/LoA/low",
            Loa::Substantial => "http://eidas.europa.eu/LoA/substantial",
            Loa::High => "http://eidas.europa.eu/LoA/high",
        }
    }

    /// The level for a URI, if it is one of the three.
    pub fn from_uri(uri: &str) -> Option<Loa> {
        [Loa::Low, Loa::Substantial, Loa::High]
            .into_iter()
            .find(|l| l.uri() == uri)
    }
}

impl fmt::Display for Loa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uri())
    }
}

/// The kind of service provider, sent as `eidas:SPType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpType {
    /// A public entity (`public`).
    Public,
    /// A private entity (`private`), registered at the `podmiotyzewnetrzne` hosts.
    Private,
}

impl SpType {
    /// `public` or `private`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SpType::Public => "public",
            SpType::Private => "private",
        }
    }
}

/// A login.gov.pl environment with known endpoints (wk-saml.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// Production for public entities, `login.gov.pl`.
    Production,
    /// Production for private entities, `podmiotyzewnetrzne.login.gov.pl` (seen in public
    /// code only; confirm at registration).
    ProductionPrivate,
    /// Integration for public entities, `int.login.gov.pl`.
    Integration,
    /// Integration for private entities, `int-podmiotyzewnetrzne.login.gov.pl`.
    IntegrationPrivate,
    /// COI's simulator, `symulator.login.gov.pl` (issuer `localhost.wk.gov.pl`).
    Simulator,
}

impl Environment {
    /// The host name.
    pub const fn host(self) -> &'static str {
        match self {
            Environment::Production => "login.gov.pl",
            Environment::ProductionPrivate => "podmiotyzewnetrzne.login.gov.pl",
            Environment::Integration => "int.login.gov.pl",
            Environment::IntegrationPrivate => "int-podmiotyzewnetrzne.login.gov.pl",
            Environment::Simulator => "symulator.login.gov.pl",
        }
    }

    /// The `Issuer` of login.gov.pl's messages there (production values are inferred, not
    /// observed).
    pub const fn issuer(self) -> &'static str {
        match self {
            Environment::Simulator => "localhost.wk.gov.pl",
            other => other.host(),
        }
    }

    /// The `SPType` registered there.
    pub const fn sp_type(self) -> SpType {
        match self {
            Environment::ProductionPrivate | Environment::IntegrationPrivate => SpType::Private,
            _ => SpType::Public,
        }
    }
}

/// login.gov.pl's endpoints and entity ID.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoints {
    /// Where the browser POSTs the AuthnRequest (`…/login/SingleSignOnService`).
    pub sso: String,
    /// The AuthnRequest's `Destination` attribute; usually [`Endpoints::sso`], configurable
    /// apart from it (one client posts to integration with the production Destination).
    pub destination: String,
    /// The SOAP artifact resolution service.
    pub artifact_resolution: String,
    /// The SOAP single logout service.
    pub single_logout: String,
    /// The `Issuer` of login.gov.pl's messages (also the ConcatKDF `PartyUInfo`).
    pub issuer: String,
}

impl Endpoints {
    /// The endpoints of `https://{host}` with the given issuer.
    pub fn for_host(host: &str, issuer: &str) -> Self {
        Self::for_base(&format!("https://{host}"), issuer)
    }

    /// The endpoints under `base` (scheme and authority, no trailing slash), e.g. a local
    /// simulator at `http://127.0.0.1:8080`.
    pub fn for_base(base: &str, issuer: &str) -> Self {
        let sso = format!("{base}/login/SingleSignOnService");
        Endpoints {
            destination: sso.clone(),
            sso,
            artifact_resolution: format!("{base}/login-services/idpArtifactResolutionService"),
            single_logout: format!("{base}/login-services/singleLogoutService"),
            issuer: issuer.to_string(),
        }
    }

    /// The endpoints of an environment.
    pub fn preset(environment: Environment) -> Self {
        Self::for_host(environment.host(), environment.issuer())
    }
}

/// The service provider's keys: a P-256 signing key and one or more P-256 encryption (key
/// agreement) keys, with the certificates registered at login.gov.pl.
#[derive(Clone)]
#[non_exhaustive]
pub struct SpKeys {
    /// Signs AuthnRequest, ArtifactResolve and LogoutRequest.
    pub signer: Arc<dyn Signer>,
    /// The signing certificate (published in the metadata).
    pub signing_certificate: Certificate,
    /// Decrypts assertions; several during a rollover (each is tried).
    pub encryption: Vec<Arc<dyn KeyAgreement>>,
    /// The certificate of the first encryption key (published in the metadata).
    pub encryption_certificate: Certificate,
}

impl SpKeys {
    /// The keys, checked to match their certificates.
    pub fn new(
        signer: Arc<dyn Signer>,
        signing_certificate: Certificate,
        encryption: Arc<dyn KeyAgreement>,
        encryption_certificate: Certificate,
    ) -> crate::Result<Self> {
        if signer.public_key() != signing_certificate.public_key() {
            return Err(crate::Error::Key(
                crate::error::KeyError::CertificateMismatch {
                    subject: signing_certificate.subject().to_string(),
                },
            ));
        }
        if encryption.public_key() != encryption_certificate.public_key() {
            return Err(crate::Error::Key(
                crate::error::KeyError::CertificateMismatch {
                    subject: encryption_certificate.subject().to_string(),
                },
            ));
        }
        Ok(SpKeys {
            signer,
            signing_certificate,
            encryption: vec![encryption],
            encryption_certificate,
        })
    }
}

impl fmt::Debug for SpKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpKeys")
            .field(
                "signing_certificate",
                &self.signing_certificate.subject().to_string(),
            )
            .field("encryption_keys", &self.encryption.len())
            .finish_non_exhaustive()
    }
}

/// Everything the service provider needs. Built with [`Config::new`]; the other fields keep
/// their defaults unless set.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Our entity ID as registered (the `Issuer` of our messages, the `Audience` and the
    /// ConcatKDF `PartyVInfo` of assertions).
    pub entity_id: String,
    /// `ProviderName`, required in integration since 2025: the value provisioned for us.
    pub provider_name: Option<String>,
    /// `public` or `private`.
    pub sp_type: SpType,
    /// The level of assurance requested (`Comparison="minimum"`) and required.
    pub requested_loa: Loa,
    /// Our assertion consumer service URL (where login.gov.pl POSTs the artifact).
    pub acs_url: String,
    /// Our keys.
    pub keys: SpKeys,
    /// login.gov.pl's signing certificates, pinned (several during a rollover); `KeyInfo` of
    /// incoming messages is never used.
    pub wk_certificates: Vec<Certificate>,
    /// login.gov.pl's endpoints and issuer.
    pub endpoints: Endpoints,
    /// Allowed clock difference in the time checks. Default: 3 minutes.
    pub clock_skew: Duration,
    /// How long a login request stays pending. Default: 15 minutes.
    pub request_lifetime: Duration,
    /// `ForceAuthn`. Default: true (every known client sends it).
    pub force_authn: bool,
}

impl Config {
    /// A configuration for `environment` with its endpoints and SP type, requesting
    /// `substantial`.
    pub fn new(
        environment: Environment,
        entity_id: impl Into<String>,
        acs_url: impl Into<String>,
        keys: SpKeys,
        wk_certificates: Vec<Certificate>,
    ) -> Self {
        Config {
            entity_id: entity_id.into(),
            provider_name: None,
            sp_type: environment.sp_type(),
            requested_loa: Loa::Substantial,
            acs_url: acs_url.into(),
            keys,
            wk_certificates,
            endpoints: Endpoints::preset(environment),
            clock_skew: Duration::minutes(3),
            request_lifetime: Duration::minutes(15),
            force_authn: true,
        }
    }

    /// The pinned login.gov.pl keys (from [`Config::wk_certificates`]).
    pub fn wk_keys(&self) -> Vec<PublicKey> {
        self.wk_certificates
            .iter()
            .map(|c| c.public_key().clone())
            .collect()
    }
}
