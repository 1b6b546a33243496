//! `ezla-sim`: an offline stand-in for ZUS's e-ZLA channel, speaking the same wire format on
//! loopback, so that tests, examples and users' CI can run without ZUS's registration-only
//! simulator.
//!
//! This crate is the HTTP layer: a blocking HTTP/1.1 server, optionally over TLS, that
//! mounts [`Handler`]s on paths with per-mount Basic authentication and injects faults from
//! a `faults.json` ([`faults`]), and the simulated ZUS channel itself ([`zus`]): what ZUS
//! knows ([`zus::State`]), its CA ([`zus::SimCa`]), its operations ([`zus::ZusService`]),
//! checked against the WSDL's schema ([`schema`]) when the simulator is given the WSDL; and
//! the identity provider side of login.gov.pl ([`wk`]: SSO with Profil Zaufany, e-dowód, a
//! bank or a test identity, artifact resolution, logout, misbehaviour on demand); and PUE
//! ZUS's certificate service ([`pue`]: a doctor logs in through that login.gov.pl, applies
//! for the "certyfikat z ZUS", downloads it once, renews, cancels; the CRL at `/pue/crl`).
//!
//! # Design
//!
//! - **One thread per connection**, capped ([`Limits::max_connections`]); no async
//!   runtime. The listener polls a shutdown flag, which is what SIGINT/SIGTERM set.
//! - **ureq-proto's server state machine** (`ureq-proto` 0.7, feature `server`) parses and
//!   writes HTTP/1.1: it is already in the tree as ureq's protocol layer, sans-IO (so faults
//!   like "reset instead of a response" are a matter of not writing), and built on httparse
//!   with a header-count bound. Its state types live in a `#[doc(hidden)]` module, so the
//!   version is pinned to 0.7. tiny_http was rejected: its rustls is 0.20 (RUSTSEC-2024-0336),
//!   it has no header-line length limit and no socket timeouts.
//! - **Limits** ([`Limits`]): head size (431), header count (431), body size (413, checked
//!   against `Content-Length` before reading), per-read and whole-head timeouts (408, or a
//!   quiet close for a client that never speaks), write timeouts. Keep-alive is supported
//!   (`Connection: close` honoured).
//! - **Bodies need `Content-Length`.** A request with `Transfer-Encoding` (chunked) is
//!   refused with 411 and the connection closed: ZUS clients send `Content-Length`, and
//!   refusing keeps the server small. `Expect: 100-continue` is answered.
//! - **HTTP/1.1 only**, like ZUS since 2025: TLS offers no ALPN, so a client asking only
//!   for `h2` gets no protocol and talks HTTP/1.1 (or gives up); the cleartext HTTP/2
//!   preface `PRI * HTTP/2.0` gets 505 and a log line.
//! - **TLS** from the simulator's own CA ([`SimTls`]): created under `--state DIR` on first
//!   start, with a server certificate for `localhost`, `127.0.0.1`, `::1` and `sim.zus.pl`;
//!   `DIR/tls-ca.pem` is what clients trust.
//! - **Logs**: one line per request on stderr (`ezla-sim: ...`).
//!
//! # In-process use (tests)
//!
//! ```no_run
//! use ezla_sim::{Mount, Router, Server, SimResponse};
//!
//! let router = Router::new().mount(Mount::new("/echo", |r: &ezla_sim::SimRequest| {
//!     SimResponse::new(200, "text/plain", r.body.clone())
//! }));
//! let server = Server::new(router).start("127.0.0.1:0".parse().unwrap())?;
//! println!("{}", server.url("/echo"));
//! server.shutdown();
//! # Ok::<(), ezla_sim::SimError>(())
//! ```

#![forbid(unsafe_code)]

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod conn;
pub mod faults;
#[doc(hidden)]
pub mod fuzzing;
mod message;
pub mod pue;
mod router;
pub mod schema;
mod server;
pub mod soap;
mod tls;
pub mod tsa;
pub mod wk;
pub mod zus;

pub use faults::{Fault, FaultKind, Faults};
pub use message::{SOAP11_CONTENT_TYPE, SimRequest, SimResponse};
pub use router::{BasicAuth, Handler, Mount, Router};
pub use server::{Limits, RunningServer, Server, ShutdownHandle};
pub use tls::{CA_FILE, SERVER_DNS_NAMES, SimTls};
pub use tsa::{DEFAULT_TSA_PATH, SIM_TSA_POLICY, tsa_mount};
pub use zus::{DEFAULT_ZUS_PATH, ZusHandler, zus_mount};

/// The file in the state directory that holds the faults to inject.
pub const FAULTS_FILE: &str = "faults.json";
/// The file in the state directory the server's URL is written to once it listens.
pub const URL_FILE: &str = "url";

/// A simulator failure (binding, TLS material, the state directory).
#[derive(Debug)]
pub struct SimError {
    message: String,
}

impl SimError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        SimError {
            message: message.into(),
        }
    }

    pub(crate) fn io(path: &Path, e: std::io::Error) -> Self {
        SimError::new(format!("{}: {e}", path.display()))
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SimError {}

/// Writes one log line to stderr.
pub(crate) fn log(line: &str) {
    eprintln!("ezla-sim: {line}");
}

/// How [`serve`] sets the simulator up (what `ezla-sim serve` takes).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServeOptions {
    /// Where to listen (port 0 picks a free one).
    pub addr: SocketAddr,
    /// The state directory (TLS material, `faults.json`, `url`).
    pub state_dir: PathBuf,
    /// Serve HTTPS with the state directory's certificate.
    pub tls: bool,
    /// The path of the ZUS mount.
    pub zus_path: String,
    /// The path of the time-stamping authority ([`tsa`]).
    pub tsa_path: String,
    /// The limits.
    pub limits: Limits,
    /// The ZUS WSDL: with it every request is checked against its schema (and
    /// [`LATER_OPERATIONS_XSD`] for the operations newer than it). `ezla-sim serve` takes it
    /// from `--wsdl` or `EZLA_ZUS_WSDL`.
    pub wsdl: Option<PathBuf>,
}

impl ServeOptions {
    /// Plain HTTP on `addr` with state in `state_dir`, the ZUS mount on its default path.
    pub fn new(addr: SocketAddr, state_dir: impl Into<PathBuf>) -> Self {
        ServeOptions {
            addr,
            state_dir: state_dir.into(),
            tls: false,
            zus_path: DEFAULT_ZUS_PATH.to_string(),
            tsa_path: DEFAULT_TSA_PATH.to_string(),
            limits: Limits::default(),
            wsdl: None,
        }
    }
}

/// The schema of the operations newer than the 2018 WSDL, as far as they are known
/// (`data/zus-later.xsd`; inferred from third-party clients).
pub const LATER_OPERATIONS_XSD: &str = include_str!("../data/zus-later.xsd");

/// The contract checker: the WSDL's schema with [`LATER_OPERATIONS_XSD`] merged over it.
pub fn contract(wsdl: &Path) -> Result<schema::Schema, SimError> {
    let bytes = std::fs::read(wsdl).map_err(|e| SimError::io(wsdl, e))?;
    schema::Schema::from_wsdl(&bytes)
        .and_then(|s| s.with_supplement(LATER_OPERATIONS_XSD.as_bytes()))
        .map_err(|e| SimError::new(format!("{}: {e}", wsdl.display())))
}

/// A started simulator and its ZUS endpoint URL.
#[derive(Debug)]
pub struct Simulator {
    /// The server.
    pub server: RunningServer,
    /// The ZUS endpoint (`https://127.0.0.1:PORT/ws/zus.channel.gabinetoweV4:zla`).
    pub zus_url: String,
    /// The time-stamping authority (`http://127.0.0.1:PORT/tsa`): RFC 3161 over HTTP.
    pub tsa_url: String,
    /// The simulated ZUS (its state and CA), shared with the server.
    pub zus: std::sync::Arc<zus::ZusService>,
    /// The simulated login.gov.pl (its key, registry and logins), shared with the server.
    pub wk: std::sync::Arc<wk::WkIdp>,
    /// The base URL of the login.gov.pl paths (`http://127.0.0.1:PORT`): a service
    /// provider's `Endpoints::for_base(wk_base_url, wk::SIM_ISSUER)`.
    pub wk_base_url: String,
    /// The simulated PUE (its certificate service and login), shared with the server.
    pub pue: std::sync::Arc<pue::Pue>,
    /// PUE's start page (`http://127.0.0.1:PORT/pue/`).
    pub pue_url: String,
}

/// Starts the simulator as `ezla-sim serve` does: creates the state directory (and, with
/// TLS, its CA and server certificate), opens the simulated ZUS in it (its state, CA and
/// seed) and the simulated login.gov.pl ([`wk::WkIdp`]: its key and registry under
/// `DIR/wk/`), follows `DIR/faults.json`, mounts the ZUS channel with Basic
/// `ezla_ag`/`ezla_ag`, login.gov.pl on its paths ([`wk::PATHS`]), the time-stamping
/// authority ([`tsa`]) and PUE under `/pue/` ([`pue::Pue`], registered with that
/// login.gov.pl as [`pue::SP_ENTITY_ID`] once the URL is known) without authentication, and
/// writes the ZUS URL to `DIR/url`.
pub fn serve(options: &ServeOptions) -> Result<Simulator, SimError> {
    let dir = &options.state_dir;
    std::fs::create_dir_all(dir).map_err(|e| SimError::io(dir, e))?;
    for (what, path) in [("ZUS", &options.zus_path), ("TSA", &options.tsa_path)] {
        if !path.starts_with('/') {
            return Err(SimError::new(format!(
                "the {what} path `{path}` must start with `/`"
            )));
        }
    }
    if options.zus_path == options.tsa_path {
        return Err(SimError::new("the ZUS and the TSA paths must differ"));
    }
    let mut service = zus::ZusService::open(dir).map_err(SimError::new)?;
    if let Some(wsdl) = &options.wsdl {
        service = service.with_schema(contract(wsdl)?);
    }
    let service = std::sync::Arc::new(service);
    let idp = std::sync::Arc::new(wk::WkIdp::open(dir).map_err(SimError::new)?);
    let tsa_identity = service.ca().tsa_signer().clone();
    let tsa = ezla::tsp::TimeStampAuthority::new(
        std::sync::Arc::new(tsa_identity.clone()),
        tsa_identity.certificate.clone(),
        SIM_TSA_POLICY,
    )
    .map_err(|e| SimError::new(format!("the TSA: {e}")))?;
    let mut router = Router::new()
        .mount(zus_mount(&options.zus_path, service.clone()))
        .mount(tsa_mount(&options.tsa_path, std::sync::Arc::new(tsa)));
    for mount in idp.mounts() {
        router = router.mount(mount);
    }
    let pue = std::sync::Arc::new(
        pue::Pue::open(dir, service.clone(), idp.clone()).map_err(SimError::new)?,
    );
    if options.zus_path.starts_with("/pue/") || options.tsa_path.starts_with("/pue/") {
        return Err(SimError::new(
            "the ZUS and TSA paths must not lie under /pue/",
        ));
    }
    router = router.mount(pue.mount());
    let mut server = Server::new(router)
        .faults(Faults::from_file(dir.join(FAULTS_FILE)))
        .limits(options.limits.clone());
    if options.tls {
        let tls = SimTls::load_or_create(dir)?;
        server = server.tls(tls.server_config()?);
    }
    let server = server.start(options.addr)?;
    let zus_url = server.url(&options.zus_path);
    let tsa_url = server.url(&options.tsa_path);
    let url_path = dir.join(URL_FILE);
    std::fs::write(&url_path, format!("{zus_url}\n")).map_err(|e| SimError::io(&url_path, e))?;
    let wk_base_url = server.url("");
    pue.go_online(&wk_base_url).map_err(SimError::new)?;
    let pue_url = server.url(pue::PUE_PATH);
    Ok(Simulator {
        pue,
        pue_url,
        server,
        zus_url,
        tsa_url,
        zus: service,
        wk: idp,
        wk_base_url,
    })
}
