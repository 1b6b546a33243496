//! HTTP transport: URLs, connections, TLS, timeouts and unusable responses (codes 810–899).

use std::fmt;
use std::time::Duration;

use super::ErrorCode;

/// How many bytes of an unusable response body [`TransportError::HttpStatus`] keeps.
pub const BODY_START_LEN: usize = 256;

/// A request that could not be carried out, or a response that cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// The URL cannot be used (not `http`/`https`, no host, unparsable).
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// No connection could be opened to the server.
    Connect {
        /// The host from the URL.
        host: String,
        /// The port (from the URL or the scheme's default).
        port: u16,
        /// The operating system's error text (or "host not found").
        reason: String,
    },
    /// The connection broke during the exchange: reset, closed before a full response, or the
    /// server answered with something that is not HTTP/1.1.
    ConnectionLost {
        /// The URL of the request.
        url: String,
        /// What happened, as reported by the operating system or the HTTP parser.
        reason: String,
    },
    /// The TLS handshake failed or the server's certificate was refused.
    Tls {
        /// The name the certificate was checked against (the expected server name, or the
        /// URL's host).
        server_name: String,
        /// What kind of failure.
        kind: TlsFailure,
        /// The reason given by the TLS library.
        reason: String,
    },
    /// The exchange took longer than a configured timeout.
    Timeout {
        /// The URL of the request.
        url: String,
        /// Which timeout ran out.
        phase: TimeoutPhase,
        /// The configured limit of that phase.
        limit: Duration,
    },
    /// The server answered with an HTTP status the caller cannot use (e.g. 404 or 503 where
    /// a SOAP response or Fault was expected).
    HttpStatus {
        /// The URL of the request.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The start of the response body (at most [`BODY_START_LEN`] bytes), decoded
        /// lossily as UTF-8.
        body_start: String,
    },
    /// The response body is larger than the configured cap.
    ResponseTooLarge {
        /// The URL of the request.
        url: String,
        /// The cap in bytes.
        limit: u64,
    },
}

/// The kind of a TLS failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsFailure {
    /// The certificate does not chain to a trusted root (unknown issuer, bad signature,
    /// expired, wrong key usage).
    Untrusted,
    /// The certificate is valid but not for the server name checked.
    NameMismatch,
    /// Any other handshake failure (protocol versions, alerts, malformed messages).
    Handshake,
}

/// Which timeout ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Resolving the host and opening the connection, including the TLS handshake.
    Connect,
    /// Sending the request and receiving the response.
    Response,
    /// The whole exchange.
    Overall,
}

impl TimeoutPhase {
    /// The phase's name in messages (`connect`, `response`, `overall`).
    pub const fn name(self) -> &'static str {
        match self {
            TimeoutPhase::Connect => "connect",
            TimeoutPhase::Response => "response",
            TimeoutPhase::Overall => "overall",
        }
    }
}

impl TransportError {
    /// A [`TransportError::HttpStatus`] for `status`, keeping the start of `body`.
    pub fn http_status(url: impl Into<String>, status: u16, body: &[u8]) -> Self {
        let end = body.len().min(BODY_START_LEN);
        let body_start = String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned();
        TransportError::HttpStatus {
            url: url.into(),
            status,
            body_start,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            TransportError::InvalidUrl { .. } => ErrorCode::InvalidUrl,
            TransportError::Connect { .. } => ErrorCode::ConnectFailed,
            TransportError::ConnectionLost { .. } => ErrorCode::ConnectionLost,
            TransportError::Tls { kind, .. } => match kind {
                TlsFailure::Untrusted => ErrorCode::TlsCertificateUntrusted,
                TlsFailure::NameMismatch => ErrorCode::TlsNameMismatch,
                TlsFailure::Handshake => ErrorCode::TlsHandshakeFailed,
            },
            TransportError::Timeout { .. } => ErrorCode::Timeout,
            TransportError::HttpStatus { .. } => ErrorCode::HttpStatus,
            TransportError::ResponseTooLarge { .. } => ErrorCode::ResponseTooLarge,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::InvalidUrl { url, reason } => {
                write!(f, "invalid URL `{url}`: {reason}")
            }
            TransportError::Connect { host, port, reason } => {
                write!(f, "cannot connect to {host}:{port}: {reason}")
            }
            TransportError::ConnectionLost { url, reason } => {
                write!(f, "connection to {url} lost: {reason}")
            }
            TransportError::Tls {
                server_name,
                kind,
                reason,
            } => {
                let what = match kind {
                    TlsFailure::Untrusted => "certificate not trusted",
                    TlsFailure::NameMismatch => "certificate not valid for the name",
                    TlsFailure::Handshake => "handshake failed",
                };
                write!(f, "TLS with {server_name}: {what}: {reason}")
            }
            TransportError::Timeout { url, phase, limit } => write!(
                f,
                "{url}: {} timeout after {} ms",
                phase.name(),
                limit.as_millis()
            ),
            TransportError::HttpStatus {
                url,
                status,
                body_start,
            } => write!(f, "{url}: unexpected HTTP status {status}: {body_start:?}"),
            TransportError::ResponseTooLarge { url, limit } => {
                write!(f, "{url}: response larger than the cap of {limit} bytes")
            }
        }
    }
}
