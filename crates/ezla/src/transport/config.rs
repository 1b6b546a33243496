//! What a transport needs to know: credentials, TLS trust, server name, timeouts, caps.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, ServerName};
use zeroize::Zeroizing;

use crate::error::Format;
use crate::{Error, Result};

/// The default connect timeout (including the TLS handshake): 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default response timeout (sending the request, then receiving the whole response):
/// 60 seconds.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default overall timeout of one exchange: 120 seconds.
pub const DEFAULT_OVERALL_TIMEOUT: Duration = Duration::from_secs(120);
/// The default cap on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 16 * 1024 * 1024;

/// HTTP Basic credentials (the password is zeroized on drop and never printed).
#[derive(Clone)]
pub struct BasicCredentials {
    user: String,
    password: Zeroizing<String>,
}

impl BasicCredentials {
    /// Credentials for `user` with `password`.
    ///
    /// Fails with [`Error::InvalidArgument`] when the user name contains `:` or either part
    /// contains a control character (RFC 7617).
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Result<Self> {
        let user = user.into();
        let password = Zeroizing::new(password.into());
        if user.contains(':') {
            return Err(Error::invalid_argument("user", "must not contain `:`"));
        }
        if user.chars().chain(password.chars()).any(char::is_control) {
            return Err(Error::invalid_argument(
                "credentials",
                "must not contain control characters",
            ));
        }
        Ok(BasicCredentials { user, password })
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The value of the `Authorization` header.
    pub(crate) fn header_value(&self) -> Zeroizing<String> {
        let plain = Zeroizing::new(format!("{}:{}", self.user, self.password.as_str()));
        let encoded =
            Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(plain.as_bytes()));
        Zeroizing::new(format!("Basic {}", encoded.as_str()))
    }
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Which certificates a TLS server's chain may end in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsTrust {
    /// Mozilla's root list as shipped in the `webpki-roots` crate (the default): the same on
    /// every platform, independent of the system's store.
    WebPkiRoots,
    /// Only these CA certificates (DER), e.g. a test environment's or the simulator's CA.
    Certificates(Vec<Vec<u8>>),
}

/// How a transport connects: immutable, cheap to clone, shareable across threads.
///
/// Build it with [`TransportConfig::builder`]; [`TransportConfig::default`] is the builder's
/// defaults (no credentials, Mozilla's roots, the `DEFAULT_*` timeouts and cap).
#[derive(Clone, Debug)]
pub struct TransportConfig {
    pub(crate) credentials: Option<BasicCredentials>,
    pub(crate) trust: TlsTrust,
    pub(crate) expected_server_name: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) response_timeout: Duration,
    pub(crate) overall_timeout: Duration,
    pub(crate) max_response_size: u64,
    pub(crate) user_agent: String,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            credentials: None,
            trust: TlsTrust::WebPkiRoots,
            expected_server_name: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            response_timeout: DEFAULT_RESPONSE_TIMEOUT,
            overall_timeout: DEFAULT_OVERALL_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            user_agent: concat!("ezla/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

impl TransportConfig {
    /// A builder with the defaults.
    pub fn builder() -> TransportConfigBuilder {
        TransportConfigBuilder {
            config: TransportConfig::default(),
            error: None,
        }
    }

    /// The Basic credentials sent with every request, if any.
    pub fn credentials(&self) -> Option<&BasicCredentials> {
        self.credentials.as_ref()
    }

    /// The TLS trust.
    pub fn trust(&self) -> &TlsTrust {
        &self.trust
    }

    /// The name server certificates are checked against instead of the URL's host.
    pub fn expected_server_name(&self) -> Option<&str> {
        self.expected_server_name.as_deref()
    }

    /// The connect timeout (resolving, TCP connect and TLS handshake).
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The response timeout (sending the request and receiving the whole response).
    pub fn response_timeout(&self) -> Duration {
        self.response_timeout
    }

    /// The overall timeout of one exchange.
    pub fn overall_timeout(&self) -> Duration {
        self.overall_timeout
    }

    /// The cap on a response body, in bytes.
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// The `User-Agent` header.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
}

/// Builds a [`TransportConfig`]; errors in the arguments are reported by
/// [`build`](TransportConfigBuilder::build).
#[derive(Debug)]
#[must_use]
pub struct TransportConfigBuilder {
    config: TransportConfig,
    error: Option<Error>,
}

impl TransportConfigBuilder {
    fn fail(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Sends HTTP Basic credentials with every request (ZUS's channel wants them).
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        match BasicCredentials::new(user, password) {
            Ok(c) => self.config.credentials = Some(c),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Trusts Mozilla's root list (the default).
    pub fn trust_webpki_roots(mut self) -> Self {
        self.config.trust = TlsTrust::WebPkiRoots;
        self
    }

    /// Trusts only the CA certificates in `pem` (one or more `CERTIFICATE` blocks), in
    /// addition to any given before with this method or [`trust_der`](Self::trust_der).
    pub fn trust_pem(mut self, pem_text: &[u8]) -> Self {
        let mut found = Vec::new();
        for item in CertificateDer::pem_slice_iter(pem_text) {
            match item {
                Ok(der) => found.push(der.as_ref().to_vec()),
                Err(e) => {
                    let detail = match e {
                        pem::Error::NoItemsFound => "no CERTIFICATE block".to_string(),
                        other => other.to_string(),
                    };
                    self.fail(Error::malformed(
                        Format::Pem,
                        "TLS trust certificates",
                        detail,
                    ));
                    return self;
                }
            }
        }
        if found.is_empty() {
            self.fail(Error::malformed(
                Format::Pem,
                "TLS trust certificates",
                "no CERTIFICATE block",
            ));
            return self;
        }
        for der in found {
            self = self.trust_der(der);
        }
        self
    }

    /// Trusts only the CA certificate `der`, in addition to any given before with this
    /// method or [`trust_pem`](Self::trust_pem).
    pub fn trust_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        let der = der.into();
        match &mut self.config.trust {
            TlsTrust::Certificates(list) => list.push(der),
            other => *other = TlsTrust::Certificates(vec![der]),
        }
        self
    }

    /// Checks server certificates against `name` instead of the URL's host, and sends it as
    /// the TLS SNI. For a server reached by IP address (`https://10.1.2.3/...`) whose
    /// certificate names `pue.zus.pl`; a wildcard certificate for `*.zus.pl` matches a
    /// concrete `name` like `pue.zus.pl`, as in any TLS client. The HTTP `Host` header still
    /// comes from the URL.
    pub fn expected_server_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        match ServerName::try_from(name.as_str()) {
            Ok(ServerName::DnsName(_)) | Ok(ServerName::IpAddress(_)) => {
                self.config.expected_server_name = Some(name);
            }
            Ok(_) | Err(_) => self.fail(Error::invalid_argument(
                "expected_server_name",
                format!("`{name}` is not a DNS name or IP address"),
            )),
        }
        self
    }

    /// The connect timeout (default [`DEFAULT_CONNECT_TIMEOUT`]); must not be zero.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// The response timeout (default [`DEFAULT_RESPONSE_TIMEOUT`]); must not be zero.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.config.response_timeout = timeout;
        self
    }

    /// The overall timeout (default [`DEFAULT_OVERALL_TIMEOUT`]); must not be zero.
    pub fn overall_timeout(mut self, timeout: Duration) -> Self {
        self.config.overall_timeout = timeout;
        self
    }

    /// The cap on a response body in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`]); must not
    /// be zero.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.config.max_response_size = bytes;
        self
    }

    /// The `User-Agent` header (default `ezla/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// The configuration, or the first error in the arguments.
    pub fn build(self) -> Result<TransportConfig> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let c = self.config;
        for (name, value) in [
            ("connect_timeout", c.connect_timeout),
            ("response_timeout", c.response_timeout),
            ("overall_timeout", c.overall_timeout),
        ] {
            if value.is_zero() {
                return Err(Error::invalid_argument(name, "must not be zero"));
            }
        }
        if c.max_response_size == 0 {
            return Err(Error::invalid_argument(
                "max_response_size",
                "must not be zero",
            ));
        }
        if c.user_agent.chars().any(char::is_control) {
            return Err(Error::invalid_argument(
                "user_agent",
                "must not contain control characters",
            ));
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn defaults_are_non_zero_and_strict() {
        let c = TransportConfig::builder().build().unwrap();
        assert_eq!(c.trust(), &TlsTrust::WebPkiRoots);
        assert!(c.credentials().is_none());
        assert!(c.expected_server_name().is_none());
        assert_eq!(c.connect_timeout(), DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(c.response_timeout(), DEFAULT_RESPONSE_TIMEOUT);
        assert_eq!(c.overall_timeout(), DEFAULT_OVERALL_TIMEOUT);
        assert_eq!(c.max_response_size(), DEFAULT_MAX_RESPONSE_SIZE);
        assert!(c.user_agent().starts_with("ezla/"));
    }

    #[test]
    fn zero_timeouts_and_caps_are_refused() {
        for builder in [
            TransportConfig::builder().connect_timeout(Duration::ZERO),
            TransportConfig::builder().response_timeout(Duration::ZERO),
            TransportConfig::builder().overall_timeout(Duration::ZERO),
            TransportConfig::builder().max_response_size(0),
        ] {
            let e = builder.build().unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
        }
    }

    #[test]
    fn basic_auth_header_and_redaction() {
        let c = TransportConfig::builder()
            .basic_auth("ezla_ag", "ezla_ag")
            .build()
            .unwrap();
        let creds = c.credentials().unwrap();
        // base64("ezla_ag:ezla_ag"), computed independently with `printf ezla_ag:ezla_ag | base64`
        assert_eq!(creds.header_value().as_str(), "Basic ZXpsYV9hZzplemxhX2Fn");
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("ZXpsYV9") && shown.contains("<redacted>"),
            "{shown}"
        );
        let e = TransportConfig::builder()
            .basic_auth("a:b", "x")
            .build()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
    }

    #[test]
    fn expected_server_name_must_be_a_name() {
        let c = TransportConfig::builder()
            .expected_server_name("sim.zus.pl")
            .build()
            .unwrap();
        assert_eq!(c.expected_server_name(), Some("sim.zus.pl"));
        let e = TransportConfig::builder()
            .expected_server_name("not a name")
            .build()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    }

    #[test]
    fn trust_pem_reads_certificates_and_refuses_garbage() {
        let pem_text = b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n\
            -----BEGIN CERTIFICATE-----\nMAMCAQI=\n-----END CERTIFICATE-----\n";
        let c = TransportConfig::builder()
            .trust_pem(pem_text)
            .build()
            .unwrap();
        assert_eq!(
            c.trust(),
            &TlsTrust::Certificates(vec![vec![0x30, 3, 2, 1, 1], vec![0x30, 3, 2, 1, 2]])
        );
        let e = TransportConfig::builder()
            .trust_pem(b"no pem here")
            .build()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::PemMalformed, "{e}");
    }
}
