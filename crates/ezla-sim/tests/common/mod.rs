//! Helpers shared by the simulator's integration tests.
#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ezla::transport::{Request, UreqTransport};
use ezla_sim::{Mount, RunningServer, Server, SimRequest, SimResponse};

/// A fresh directory under Cargo's per-test temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ezla-sim-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("test setup");
    dir
}

pub fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().expect("test setup")
}

/// Whether `tool` can be run; prints a skip notice when not (a failure when
/// `EZLA_REQUIRE_TOOLS` is set).
pub fn have_tool(tool: &str) -> bool {
    match std::process::Command::new(tool).arg("--version").output() {
        Ok(_) => true,
        Err(e) => {
            if std::env::var_os("EZLA_REQUIRE_TOOLS").is_some() {
                panic!("{tool} is required (EZLA_REQUIRE_TOOLS is set): {e}");
            }
            eprintln!("skipped: {tool} is not installed ({e})");
            false
        }
    }
}

/// The requests a recording handler saw.
pub type Seen = Arc<Mutex<Vec<SimRequest>>>;

/// A handler that records each request and answers with `response`.
pub fn recording(response: SimResponse) -> (Seen, impl Fn(&SimRequest) -> SimResponse) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let handler = move |r: &SimRequest| {
        log.lock().expect("test setup").push(r.clone());
        response.clone()
    };
    (seen, handler)
}

/// A plain-HTTP server with one mount.
pub fn serve_one(mount: Mount) -> RunningServer {
    Server::new(ezla_sim::Router::new().mount(mount))
        .start(loopback())
        .expect("test setup")
}

/// A transport with short timeouts for tests.
pub fn transport(builder: ezla::transport::TransportConfigBuilder) -> UreqTransport {
    let config = builder
        .connect_timeout(Duration::from_secs(5))
        .response_timeout(Duration::from_secs(10))
        .overall_timeout(Duration::from_secs(20))
        .build()
        .expect("test setup");
    UreqTransport::new(config).expect("test setup")
}

/// A SOAP-ish POST to `url`.
pub fn soap_post(url: &str, action: &str) -> Request {
    Request::post(
        url,
        "text/xml; charset=utf-8",
        b"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>".to_vec(),
    )
    .with_header("SOAPAction", format!("\"{action}\""))
}
