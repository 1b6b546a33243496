//! The listener: a thread per connection (capped), clean shutdown through a flag.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::faults::Faults;
use crate::router::Router;
use crate::{SimError, conn, log};

/// Limits on what clients may send and how long they may take.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The most bytes of a request head (request line and headers): 16 KiB. More gets 431.
    pub max_header_bytes: usize,
    /// The most header lines: 64. More gets 431.
    pub max_headers: usize,
    /// The largest request body: 8 MiB. A larger `Content-Length` gets 413.
    pub max_body_bytes: usize,
    /// Each read from a socket: 10 s. A silent client is dropped (408 when a request had
    /// started, closed quietly when idle between requests).
    pub read_timeout: Duration,
    /// A whole request head (against clients that dribble one byte at a time): 10 s.
    pub header_timeout: Duration,
    /// Each write to a socket: 10 s.
    pub write_timeout: Duration,
    /// Connections served at once: 32. Further connections are closed at once (plain HTTP:
    /// with a 503 first).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            max_body_bytes: 8 * 1024 * 1024,
            read_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_connections: 32,
        }
    }
}

/// What connections share.
pub(crate) struct Shared {
    pub(crate) router: Router,
    pub(crate) faults: Faults,
    pub(crate) limits: Limits,
    pub(crate) tls: Option<Arc<rustls::ServerConfig>>,
    pub(crate) shutdown: Arc<AtomicBool>,
    pub(crate) active: AtomicUsize,
}

/// Configures and starts a server.
#[derive(Debug)]
#[must_use]
pub struct Server {
    router: Router,
    faults: Faults,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
}

impl Server {
    /// A server for `router`: plain HTTP, no faults, default limits.
    pub fn new(router: Router) -> Self {
        Server {
            router,
            faults: Faults::none(),
            limits: Limits::default(),
            tls: None,
        }
    }

    /// Serves HTTPS with `config` (e.g. [`SimTls::server_config`](crate::SimTls::server_config)).
    pub fn tls(mut self, config: Arc<rustls::ServerConfig>) -> Self {
        self.tls = Some(config);
        self
    }

    /// The faults to inject.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Binds `addr` (port 0 picks a free port) and serves in background threads until
    /// [`RunningServer::shutdown`] (or drop).
    pub fn start(self, addr: SocketAddr) -> Result<RunningServer, SimError> {
        let listener =
            TcpListener::bind(addr).map_err(|e| SimError::new(format!("bind {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| SimError::new(format!("bind {addr}: {e}")))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| SimError::new(format!("listener: {e}")))?;
        let shutdown = Arc::new(AtomicBool::new(false));
        let https = self.tls.is_some();
        let shared = Arc::new(Shared {
            router: self.router,
            faults: self.faults,
            limits: self.limits,
            tls: self.tls,
            shutdown: shutdown.clone(),
            active: AtomicUsize::new(0),
        });
        let accept_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("ezla-sim-accept".into())
            .spawn(move || accept_loop(&listener, &accept_shared))
            .map_err(|e| SimError::new(format!("spawning the accept thread: {e}")))?;
        Ok(RunningServer {
            addr: local,
            https,
            shutdown,
            shared,
            thread: Some(thread),
        })
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.shutdown.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => admit(stream, peer, shared),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => {
                log(&format!("accept: {e}"));
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn admit(stream: TcpStream, peer: SocketAddr, shared: &Arc<Shared>) {
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    let active = shared.active.fetch_add(1, Ordering::SeqCst);
    if active >= shared.limits.max_connections {
        shared.active.fetch_sub(1, Ordering::SeqCst);
        log(&format!(
            "{peer} refused: {active} connections open (the cap)"
        ));
        conn::refuse_overloaded(stream, shared.tls.is_some());
        return;
    }
    let shared = shared.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("ezla-sim-{peer}"))
        .spawn(move || {
            conn::serve(stream, peer, &shared);
            shared.active.fetch_sub(1, Ordering::SeqCst);
        });
    if let Err(e) = spawned {
        log(&format!("{peer}: cannot spawn a thread: {e}"));
    }
}

/// Stops a server from another thread (e.g. a signal flag watcher).
#[derive(Clone, Debug)]
pub struct ShutdownHandle(Arc<AtomicBool>);

impl ShutdownHandle {
    /// Asks the server to stop: no new connections; open ones finish their current request.
    pub fn shutdown(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A server serving in background threads.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    https: bool,
    shutdown: Arc<AtomicBool>,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("router", &self.router)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl RunningServer {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of `path` on this server (`https://127.0.0.1:PORT/path` with TLS).
    pub fn url(&self, path: &str) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }

    /// A handle that stops the server from elsewhere.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle(self.shutdown.clone())
    }

    /// Whether a shutdown was asked for.
    pub fn is_shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Connections being served now.
    pub fn active_connections(&self) -> usize {
        self.shared.active.load(Ordering::SeqCst)
    }

    /// Stops accepting, waits for the accept thread and (up to `grace`) for open connections.
    pub fn shutdown_within(mut self, grace: Duration) {
        self.stop(grace);
    }

    /// [`shutdown_within`](Self::shutdown_within) one second.
    pub fn shutdown(self) {
        self.shutdown_within(Duration::from_secs(1));
    }

    fn stop(&mut self, grace: Duration) {
        self.shutdown.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let deadline = Instant::now() + grace;
        while self.shared.active.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop(Duration::ZERO);
    }
}
