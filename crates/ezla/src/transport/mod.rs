//! A small blocking HTTP transport: request bytes in, response bytes out.
//!
//! The protocol modules build and judge messages as pure functions over bytes; only their
//! clients perform I/O, through the [`Transport`] trait. [`UreqTransport`] is the
//! implementation for real servers (HTTP/1.1 over rustls, on `ureq` 3); [`MemoryTransport`]
//! answers from a closure, for tests. Applications can bring their own (a proxy, a recorder,
//! a different HTTP stack).
//!
//! The choices that matter for SOAP, and why (see `docs/transport.md`):
//!
//! - **Every status reaches the caller.** A SOAP 1.1 Fault comes as HTTP 500 and its body is
//!   the message; a transport never turns a status into an error. The caller decides what a
//!   status means and reports an unusable one as [`TransportError::HttpStatus`].
//! - **Redirects are not followed**: a 3xx is returned as it is.
//! - **Every timeout is set** ([`TransportConfig`] has non-zero defaults), and the response
//!   body is capped.
//! - **HTTP/1.1 only**, no ALPN: ZUS refuses HTTP/2. Request bodies go with
//!   `Content-Length`, never chunked.
//! - **Certificates are always checked.** Trust is Mozilla's root list (`webpki-roots`) or
//!   the CA certificates given; there is no switch that turns the check off.
//!
//! [`TransportError::HttpStatus`]: crate::error::TransportError::HttpStatus

mod agent;
mod config;
mod memory;
mod message;
mod tls;

pub use agent::UreqTransport;
pub use config::{
    BasicCredentials, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_OVERALL_TIMEOUT,
    DEFAULT_RESPONSE_TIMEOUT, TlsTrust, TransportConfig, TransportConfigBuilder,
};
pub use memory::MemoryTransport;
pub use message::{Request, Response};

pub use crate::error::{TimeoutPhase, TlsFailure, TransportError};

use crate::Result;

/// A blocking HTTP client that sends one POST and returns the whole response.
///
/// Implementations must return every HTTP status as a [`Response`] (a SOAP Fault is HTTP
/// 500), must not follow redirects, and must send the body with `Content-Length`. Errors are
/// [`Error::Transport`](crate::Error::Transport) for anything that kept a response from
/// arriving whole.
pub trait Transport: Send + Sync {
    /// Sends `request` as an HTTP POST and returns the response.
    fn post(&self, request: &Request) -> Result<Response>;

    /// Fetches `url` with an HTTP GET (for CRLs at a certificate's distribution point) and
    /// returns the response, whatever its status. The default refuses: a transport made only
    /// for SOAP need not fetch.
    fn get(&self, url: &str) -> Result<Response> {
        Err(crate::Error::invalid_argument(
            "transport",
            format!("this transport cannot fetch {url} (it implements POST only)"),
        ))
    }
}

impl<T: Transport + ?Sized> Transport for &T {
    fn post(&self, request: &Request) -> Result<Response> {
        (**self).post(request)
    }

    fn get(&self, url: &str) -> Result<Response> {
        (**self).get(url)
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn post(&self, request: &Request) -> Result<Response> {
        (**self).post(request)
    }

    fn get(&self, url: &str) -> Result<Response> {
        (**self).get(url)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn post(&self, request: &Request) -> Result<Response> {
        (**self).post(request)
    }

    fn get(&self, url: &str) -> Result<Response> {
        (**self).get(url)
    }
}
