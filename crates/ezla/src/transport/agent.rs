//! [`UreqTransport`]: the [`Transport`] for real servers, on ureq 3 and rustls.

use std::io;
use std::time::Duration;

use rustls::pki_types::ServerName;
use ureq::http::Uri;
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::Connector as _;

use super::config::TransportConfig;
use super::tls::{ConnectFailure, MarkedTcpConnector, TlsConnector, TlsFailureInfo};
use super::{Request, Response, Transport};
use crate::error::{TimeoutPhase, TransportError};
use crate::{Error, Result};

/// Headers the transport sets itself and a [`Request`] must not carry.
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "host",
    "transfer-encoding",
    "expect",
];

/// HTTP/1.1 over rustls, on ureq 3: every status returned, no redirects, every timeout set,
/// the body capped, no ALPN (see the [module documentation](super)).
///
/// Cheap to share: one instance keeps a small pool of idle connections (keep-alive) and is
/// `Send + Sync`.
#[derive(Debug)]
pub struct UreqTransport {
    agent: ureq::Agent,
    config: TransportConfig,
    authorization: Option<zeroize::Zeroizing<String>>,
}

impl UreqTransport {
    /// A transport for `config`.
    ///
    /// Fails when a trusted certificate cannot be used as a trust anchor. A build without a
    /// TLS crypto provider (neither `aws-lc` nor `ring`, and none installed process-wide)
    /// still makes `http` requests; `https` requests then fail with a TLS error saying so.
    pub fn new(config: TransportConfig) -> Result<Self> {
        let tls = super::tls::client_config(&config)?;
        let expected_server_name = match &config.expected_server_name {
            Some(name) => Some(
                ServerName::try_from(name.clone())
                    .map_err(|e| Error::invalid_argument("expected_server_name", e.to_string()))?,
            ),
            None => None,
        };
        let response = Some(config.response_timeout);
        let ureq_config = ureq::Agent::config_builder()
            // A SOAP 1.1 Fault is HTTP 500 and its body is the message.
            .http_status_as_error(false)
            // A 3xx is returned as it is, never followed (and never an error).
            .max_redirects(0)
            .max_redirects_will_error(false)
            .https_only(false)
            .user_agent(config.user_agent.as_str())
            .accept("*/*")
            .accept_encoding("identity")
            .timeout_global(Some(config.overall_timeout))
            .timeout_resolve(Some(config.connect_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .timeout_send_request(response)
            .timeout_send_body(response)
            .timeout_await_100(Some(Duration::from_secs(1)))
            .timeout_recv_response(response)
            .timeout_recv_body(response)
            .max_idle_connections(8)
            .max_idle_connections_per_host(4)
            .max_idle_age(Duration::from_secs(30))
            .build();
        let connector = ().chain(MarkedTcpConnector::default()).chain(TlsConnector {
            config: tls,
            expected_server_name,
        });
        let agent = ureq::Agent::with_parts(ureq_config, connector, DefaultResolver::default());
        let authorization = config.credentials.as_ref().map(|c| c.header_value());
        Ok(UreqTransport {
            agent,
            config,
            authorization,
        })
    }

    /// The configuration this transport was made with.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    fn limit(&self, phase: TimeoutPhase) -> Duration {
        match phase {
            TimeoutPhase::Connect => self.config.connect_timeout,
            TimeoutPhase::Response => self.config.response_timeout,
            _ => self.config.overall_timeout,
        }
    }

    /// The transport error for a ureq error during a request to `target`.
    fn map_error(&self, target: &Target, e: ureq::Error) -> Error {
        let url = target.url.clone();
        let t = match e {
            ureq::Error::Timeout(which) => {
                let phase = timeout_phase(which);
                TransportError::Timeout {
                    url,
                    phase,
                    limit: self.limit(phase),
                }
            }
            ureq::Error::HostNotFound => TransportError::Connect {
                host: target.host.clone(),
                port: target.port,
                reason: "host not found".into(),
            },
            ureq::Error::ConnectionFailed => TransportError::Connect {
                host: target.host.clone(),
                port: target.port,
                reason: "connection failed".into(),
            },
            ureq::Error::BodyExceedsLimit(_) => TransportError::ResponseTooLarge {
                url,
                limit: self.config.max_response_size,
            },
            ureq::Error::BadUri(reason) => TransportError::InvalidUrl { url, reason },
            ureq::Error::Io(io) => return self.map_io(target, io),
            ureq::Error::Protocol(p) => TransportError::ConnectionLost {
                url,
                reason: format!("not a valid HTTP/1.1 response: {p}"),
            },
            ureq::Error::Tls(reason) => TransportError::Tls {
                server_name: target.server_name(&self.config),
                kind: crate::error::TlsFailure::Handshake,
                reason: reason.into(),
            },
            other => TransportError::ConnectionLost {
                url,
                reason: other.to_string(),
            },
        };
        Error::Transport(t)
    }

    fn map_io(&self, target: &Target, io: io::Error) -> Error {
        if let Some(c) = io
            .get_ref()
            .and_then(|i| i.downcast_ref::<ConnectFailure>())
        {
            return Error::Transport(TransportError::Connect {
                host: target.host.clone(),
                port: target.port,
                reason: c.to_string(),
            });
        }
        if let Some(t) = io
            .get_ref()
            .and_then(|i| i.downcast_ref::<TlsFailureInfo>())
        {
            return Error::Transport(TransportError::Tls {
                server_name: t.server_name.clone(),
                kind: t.kind,
                reason: t.reason.clone(),
            });
        }
        if let Some(r) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            return Error::Transport(TransportError::Tls {
                server_name: target.server_name(&self.config),
                kind: super::tls::classify(r),
                reason: r.to_string(),
            });
        }
        Error::Transport(TransportError::ConnectionLost {
            url: target.url.clone(),
            reason: io.to_string(),
        })
    }
}

/// The parts of a request's URL needed for checks and messages.
struct Target {
    url: String,
    uri: Uri,
    host: String,
    port: u16,
}

impl Target {
    fn parse(url: &str) -> std::result::Result<Self, TransportError> {
        let invalid = |reason: &str| TransportError::InvalidUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        let uri: Uri = url
            .parse()
            .map_err(|e: ureq::http::uri::InvalidUri| invalid(&e.to_string()))?;
        let default_port = match uri.scheme_str() {
            Some("http") => 80,
            Some("https") => 443,
            Some(other) => return Err(invalid(&format!("scheme `{other}` is not http or https"))),
            None => return Err(invalid("not an absolute URL")),
        };
        let authority = uri.authority().ok_or_else(|| invalid("no host"))?;
        if authority.as_str().contains('@') {
            return Err(invalid(
                "user information in the URL; give credentials in the configuration",
            ));
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        let port = authority.port_u16().unwrap_or(default_port);
        Ok(Target {
            url: url.to_string(),
            uri,
            host,
            port,
        })
    }

    fn server_name(&self, config: &TransportConfig) -> String {
        config
            .expected_server_name
            .clone()
            .unwrap_or_else(|| self.host.clone())
    }
}

fn timeout_phase(which: ureq::Timeout) -> TimeoutPhase {
    match which {
        ureq::Timeout::Resolve | ureq::Timeout::Connect => TimeoutPhase::Connect,
        ureq::Timeout::Global | ureq::Timeout::PerCall => TimeoutPhase::Overall,
        _ => TimeoutPhase::Response,
    }
}

impl Transport for UreqTransport {
    fn post(&self, request: &Request) -> Result<Response> {
        let target = Target::parse(&request.url)?;
        for (name, _) in &request.headers {
            if RESERVED_HEADERS
                .iter()
                .any(|r| name.eq_ignore_ascii_case(r))
            {
                return Err(Error::invalid_argument(
                    "headers",
                    format!("`{name}` is set by the transport"),
                ));
            }
        }
        let mut builder = self
            .agent
            .post(target.uri.clone())
            .header("Content-Type", request.content_type.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(auth) = &self.authorization {
            builder = builder.header("Authorization", auth.as_str());
        }
        // A byte slice has a known length: ureq sends `Content-Length`, never chunked.
        let response = builder
            .send(request.body.as_slice())
            .map_err(|e| self.map_error(&target, e))?;
        self.read_response(target, response)
    }

    fn get(&self, url: &str) -> Result<Response> {
        let target = Target::parse(url)?;
        // No Authorization: the configured credentials are the SOAP service's, and a CRL
        // is public (its distribution point may be another host).
        let response = self
            .agent
            .get(target.uri.clone())
            .call()
            .map_err(|e| self.map_error(&target, e))?;
        self.read_response(target, response)
    }
}

impl UreqTransport {
    /// Reads a whole response within the configured size cap.
    fn read_response(
        &self,
        target: Target,
        mut response: ureq::http::Response<ureq::Body>,
    ) -> Result<Response> {
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let cap = self.config.max_response_size;
        if let Some(length) = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
            && length > cap
        {
            return Err(Error::Transport(TransportError::ResponseTooLarge {
                url: target.url,
                limit: cap,
            }));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(cap)
            .read_to_vec()
            .map_err(|e| self.map_error(&target, e))?;
        let content_type = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.clone());
        Ok(Response {
            status,
            content_type,
            headers,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn urls_are_checked_before_connecting() {
        for (url, needle) in [
            ("ftp://example.invalid/", "scheme"),
            ("/relative", "absolute"),
            ("https://user:pw@example.invalid/", "user information"),
            ("http://exa mple/", ""),
        ] {
            let e = Target::parse(url)
                .err()
                .unwrap_or_else(|| panic!("{url} accepted"));
            let e = Error::Transport(e);
            assert_eq!(e.code(), ErrorCode::InvalidUrl, "{url}: {e}");
            assert!(e.to_string().contains(needle), "{url}: {e}");
        }
        let t = Target::parse("https://[::1]:8443/ws").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 8443));
        let t = Target::parse("http://127.0.0.1/ws").unwrap();
        assert_eq!(t.port, 80);
    }

    #[test]
    fn reserved_headers_are_refused() {
        let transport = UreqTransport::new(TransportConfig::default()).unwrap();
        let request = Request::post("http://127.0.0.1:9/", "text/xml", Vec::new())
            .with_header("Transfer-Encoding", "chunked");
        let e = transport.post(&request).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    }

    #[test]
    fn closed_port_is_a_connect_error_naming_host_and_port() {
        // Bind, note the port, close: nothing listens there any more.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let transport = UreqTransport::new(TransportConfig::default()).unwrap();
        let request = Request::post(format!("http://127.0.0.1:{port}/"), "text/xml", Vec::new());
        let e = transport.post(&request).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ConnectFailed, "{e}");
        let text = e.to_string();
        assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    }
}
