//! rustls for [`UreqTransport`](super::UreqTransport): the client configuration, the
//! connectors plugged into ureq, and the mapping of rustls errors.
//!
//! ureq's own rustls connector checks the certificate against the URL's host; ours checks it
//! against the configured expected server name when there is one, offers no ALPN, and uses
//! the crypto provider of the core's features. ureq's connector API is `unversioned` (not
//! covered by semver), which is why the ureq version is pinned to 3.5 in the workspace.

use std::fmt;
use std::io;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, TcpConnector,
    Transport as UreqTransportLayer, TransportAdapter,
};

use super::config::{TlsTrust, TransportConfig};
use crate::error::TlsFailure;
use crate::{Error, Result};

/// The crypto provider of this build: aws-lc-rs with the `aws-lc` feature, else *ring* with
/// the `ring` feature, else the process-wide default the application installed (if any).
fn provider() -> Option<Arc<CryptoProvider>> {
    #[cfg(feature = "aws-lc")]
    {
        Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
    }
    #[cfg(all(not(feature = "aws-lc"), feature = "ring"))]
    {
        Some(Arc::new(rustls::crypto::ring::default_provider()))
    }
    #[cfg(not(any(feature = "aws-lc", feature = "ring")))]
    {
        CryptoProvider::get_default().cloned()
    }
}

/// The rustls client configuration for `config`, or `None` when this build has no crypto
/// provider (then only `http` URLs work).
pub(super) fn client_config(config: &TransportConfig) -> Result<Option<Arc<ClientConfig>>> {
    let Some(provider) = provider() else {
        return Ok(None);
    };
    let mut roots = RootCertStore::empty();
    match &config.trust {
        TlsTrust::WebPkiRoots => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        TlsTrust::Certificates(list) => {
            for (i, der) in list.iter().enumerate() {
                roots.add(CertificateDer::from(der.clone())).map_err(|e| {
                    Error::malformed(
                        crate::error::Format::Der,
                        format!("TLS trust certificate {}", i + 1),
                        e.to_string(),
                    )
                })?;
            }
        }
    }
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::invalid_argument("trust", e.to_string()))?;
    let mut tls = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("rustls protocol versions: {e}")))?
        .with_webpki_verifier(verifier)
        .with_no_client_auth();
    // HTTP/1.1 only, like ZUS: offer no ALPN at all (an empty list sends no extension).
    tls.alpn_protocols.clear();
    Ok(Some(Arc::new(tls)))
}

/// Marks an I/O error of the TCP connect, so that it maps to
/// [`TransportError::Connect`](crate::error::TransportError::Connect).
#[derive(Debug)]
pub(super) struct ConnectFailure(pub(super) io::Error);

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ConnectFailure {}

/// ureq's TCP connector, with its I/O errors marked as [`ConnectFailure`].
#[derive(Debug, Default)]
pub(super) struct MarkedTcpConnector(TcpConnector);

impl Connector<()> for MarkedTcpConnector {
    type Out = <TcpConnector as Connector<()>>::Out;

    fn connect(
        &self,
        details: &ConnectionDetails<'_>,
        chained: Option<()>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        self.0.connect(details, chained).map_err(|e| match e {
            ureq::Error::Io(io) => ureq::Error::Io(io::Error::new(io.kind(), ConnectFailure(io))),
            other => other,
        })
    }
}

/// Marks a TLS failure of the handshake, with the name the certificate was checked against.
#[derive(Debug)]
pub(super) struct TlsFailureInfo {
    pub(super) server_name: String,
    pub(super) kind: TlsFailure,
    pub(super) reason: String,
}

impl fmt::Display for TlsFailureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TLS with {}: {}", self.server_name, self.reason)
    }
}

impl std::error::Error for TlsFailureInfo {}

/// The kind of a rustls error.
pub(super) fn classify(e: &rustls::Error) -> TlsFailure {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::NotValidForName)
        | rustls::Error::InvalidCertificate(C::NotValidForNameContext { .. }) => {
            TlsFailure::NameMismatch
        }
        rustls::Error::InvalidCertificate(_) => TlsFailure::Untrusted,
        _ => TlsFailure::Handshake,
    }
}

/// Wraps the TCP transport in TLS for `https` URLs.
pub(super) struct TlsConnector {
    pub(super) config: Option<Arc<ClientConfig>>,
    pub(super) expected_server_name: Option<ServerName<'static>>,
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConnector")
            .field("expected_server_name", &self.expected_server_name)
            .finish_non_exhaustive()
    }
}

fn tls_error(server_name: &str, kind: TlsFailure, reason: String) -> ureq::Error {
    ureq::Error::Io(io::Error::other(TlsFailureInfo {
        server_name: server_name.to_string(),
        kind,
        reason,
    }))
}

impl<In: UreqTransportLayer> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails<'_>,
        chained: Option<In>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = details
            .uri
            .host()
            .map(|h| h.trim_start_matches('[').trim_end_matches(']'))
            .unwrap_or_default();
        let name = match &self.expected_server_name {
            Some(name) => name.clone(),
            None => ServerName::try_from(host.to_string()).map_err(|e| {
                tls_error(
                    host,
                    TlsFailure::Handshake,
                    format!("not a server name: {e}"),
                )
            })?,
        };
        let name_text = name.to_str().into_owned();
        let Some(config) = self.config.clone() else {
            return Err(tls_error(
                &name_text,
                TlsFailure::Handshake,
                "this build of ezla has no TLS crypto provider: enable the feature `aws-lc` \
                 or `ring`, or install a process-wide rustls CryptoProvider"
                    .into(),
            ));
        };
        let mut conn = ClientConnection::new(config, name)
            .map_err(|e| tls_error(&name_text, classify(&e), e.to_string()))?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        while conn.is_handshaking() {
            if let Err(e) = conn.complete_io(&mut sock) {
                // A timeout or reset comes back as ureq's own error; a TLS failure as a
                // rustls error inside the I/O error.
                let rustls_error = e
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                    .cloned();
                return Err(match rustls_error {
                    Some(r) => tls_error(&name_text, classify(&r), r.to_string()),
                    None => ureq::Error::from(e),
                });
            }
        }
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TlsTransport {
            buffers,
            stream: StreamOwned::new(conn, sock),
        })))
    }
}

/// A TLS stream as a ureq transport.
pub(super) struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport").finish_non_exhaustive()
    }
}

impl UreqTransportLayer for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(
        &mut self,
        amount: usize,
        timeout: NextTimeout,
    ) -> std::result::Result<(), ureq::Error> {
        use std::io::Write as _;
        self.stream.get_mut().set_timeout(timeout);
        let output = self.buffers.output().get(..amount).unwrap_or_default();
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        use std::io::Read as _;
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}
