//! Each fault kind from `faults.json`, seen through `UreqTransport`.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{loopback, soap_post, transport};
use ezla::ErrorCode;
use ezla::transport::{Transport, TransportConfig, UreqTransport};
use ezla_sim::{FAULTS_FILE, Faults, Mount, Router, Server, SimRequest, SimResponse};

struct Setup {
    server: ezla_sim::RunningServer,
    calls: Arc<AtomicUsize>,
    dropped_seen: Arc<AtomicUsize>,
    dir: std::path::PathBuf,
    client: UreqTransport,
}

fn setup(name: &str, faults_json: &str) -> Setup {
    let dir = common::temp_dir(name);
    write_faults(&dir, faults_json);
    let calls = Arc::new(AtomicUsize::new(0));
    let dropped_seen = Arc::new(AtomicUsize::new(0));
    let (c, d) = (calls.clone(), dropped_seen.clone());
    let handler = move |r: &SimRequest| {
        c.fetch_add(1, Ordering::SeqCst);
        if r.response_will_be_dropped {
            d.fetch_add(1, Ordering::SeqCst);
        }
        SimResponse::text(200, "handled")
    };
    let router = Router::new()
        .mount(Mount::new("/a", handler.clone()))
        .mount(Mount::new("/b", handler));
    let server = Server::new(router)
        .faults(Faults::from_file(dir.join(FAULTS_FILE)))
        .start(loopback())
        .expect("test setup");
    Setup {
        server,
        calls,
        dropped_seen,
        dir,
        client: transport(TransportConfig::builder()),
    }
}

fn write_faults(dir: &Path, json: &str) {
    std::fs::write(dir.join(FAULTS_FILE), json).expect("test setup");
}

impl Setup {
    fn post(&self, path: &str, action: &str) -> ezla::Result<ezla::transport::Response> {
        self.client.post(&soap_post(&self.server.url(path), action))
    }
}

#[test]
fn latency_delays_the_response() {
    let s = setup(
        "latency",
        r#"{"faults": [{"kind": "latency", "ms": 400, "path": "/a"}]}"#,
    );
    let start = Instant::now();
    assert_eq!(s.post("/a", "x").unwrap().status, 200);
    assert!(start.elapsed() >= Duration::from_millis(400));
    let start = Instant::now();
    assert_eq!(s.post("/b", "x").unwrap().status, 200);
    assert!(
        start.elapsed() < Duration::from_millis(400),
        "other paths are not delayed"
    );
}

#[test]
fn latency_beyond_the_response_timeout_is_a_timeout() {
    let s = setup(
        "latency-timeout",
        r#"{"faults": [{"kind": "latency", "ms": 2000}]}"#,
    );
    let config = TransportConfig::builder()
        .response_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let client = UreqTransport::new(config).unwrap();
    let start = Instant::now();
    let e = client
        .post(&soap_post(&s.server.url("/a"), "x"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout, "{e}");
    assert!(start.elapsed() < Duration::from_millis(1500));
}

#[test]
fn http_500_with_a_given_body_skips_the_handler() {
    let s = setup(
        "http500",
        r#"{"faults": [{"kind": "http_500", "body": "<boom/>", "soap_action": "wyslijDokumenty"}]}"#,
    );
    let r = s.post("/a", "wyslijDokumenty").unwrap();
    assert_eq!((r.status, r.body.as_slice()), (500, &b"<boom/>"[..]));
    assert_eq!(r.content_type.as_deref(), Some("text/xml; charset=utf-8"));
    assert_eq!(s.calls.load(Ordering::SeqCst), 0);
    // Another SOAPAction is not affected.
    assert_eq!(s.post("/a", "pobierzOswiadczenie").unwrap().status, 200);
    assert_eq!(s.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn malformed_body_is_truncated_xml() {
    let s = setup("malformed", r#"{"faults": [{"kind": "malformed_body"}]}"#);
    let r = s.post("/a", "x").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body, ezla_sim::faults::MALFORMED_BODY);
    // It really is not well-formed XML.
    assert!(ezla::xml::Document::parse_bytes(&r.body).is_err());
    assert_eq!(s.calls.load(Ordering::SeqCst), 0);
}

#[test]
fn reset_counts_down_then_the_server_answers_again() {
    let s = setup("reset", r#"{"faults": [{"kind": "reset", "count": 2}]}"#);
    for _ in 0..2 {
        let e = s.post("/a", "x").unwrap_err();
        assert_eq!(e.code(), ErrorCode::ConnectionLost, "{e}");
    }
    assert_eq!(s.calls.load(Ordering::SeqCst), 0);
    assert_eq!(s.post("/a", "x").unwrap().status, 200);
}

#[test]
fn drop_response_runs_the_handler_then_resets() {
    let s = setup(
        "drop",
        r#"{"faults": [{"kind": "drop_response", "soap_action": "wyslijDokumenty", "count": 1}]}"#,
    );
    let e = s.post("/a", "wyslijDokumenty").unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConnectionLost, "{e}");
    assert_eq!(s.calls.load(Ordering::SeqCst), 1, "the handler ran");
    assert_eq!(s.dropped_seen.load(Ordering::SeqCst), 1, "and knew");
    // One-shot: the next send is answered.
    assert_eq!(s.post("/a", "wyslijDokumenty").unwrap().status, 200);
    assert_eq!(s.dropped_seen.load(Ordering::SeqCst), 1);
}

#[test]
fn the_file_is_re_read_when_it_changes_and_bad_files_are_ignored() {
    let s = setup("reread", r#"{"faults": []}"#);
    assert_eq!(s.post("/a", "x").unwrap().status, 200);
    write_faults(
        &s.dir,
        r#"{"faults": [{"kind": "http_500", "body": "now"}]}"#,
    );
    assert_eq!(s.post("/a", "x").unwrap().body, b"now");
    // A broken file keeps the faults in force.
    write_faults(&s.dir, r#"{"faults": [{"kind": "#);
    assert_eq!(s.post("/a", "x").unwrap().body, b"now");
    std::fs::remove_file(s.dir.join(FAULTS_FILE)).unwrap();
    assert_eq!(s.post("/a", "x").unwrap().status, 200);
}
