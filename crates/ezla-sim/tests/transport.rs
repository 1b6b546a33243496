//! `ezla::transport::UreqTransport` against the in-process simulator, over HTTP and TLS.

mod common;

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{loopback, recording, serve_one, soap_post, transport};
use ezla::ErrorCode;
use ezla::error::{TimeoutPhase, TransportError};
use ezla::transport::{Request, Transport, TransportConfig};
use ezla_sim::{BasicAuth, Mount, Router, Server, SimRequest, SimResponse, SimTls, zus_mount};

const ZUS: &str = ezla_sim::DEFAULT_ZUS_PATH;

/// What the ZUS channel answers to the empty envelope `common::soap_post` sends.
const NO_BODY: &str = "the envelope has no soapenv:Body";

fn zus_server(tls: Option<&SimTls>) -> ezla_sim::RunningServer {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = common::temp_dir(&format!("zus-state-{}", N.fetch_add(1, Ordering::SeqCst)));
    let service = ezla_sim::zus::ZusService::open(&dir).expect("test setup");
    let mut server = Server::new(Router::new().mount(zus_mount(ZUS, Arc::new(service))));
    if let Some(tls) = tls {
        server = server.tls(tls.server_config().expect("test setup"));
    }
    server.start(loopback()).expect("test setup")
}

fn assert_fault(response: &ezla::transport::Response) {
    assert_eq!(response.status, 500);
    assert_eq!(
        response.content_type.as_deref(),
        Some("text/xml; charset=utf-8")
    );
    let body = String::from_utf8(response.body.clone()).expect("test setup");
    assert!(body.starts_with("<?xml"), "{body}");
    assert!(
        body.contains("<soapenv:Fault><faultcode>soapenv:Client</faultcode>"),
        "{body}"
    );
    assert!(body.contains(NO_BODY), "{body}");
    assert_eq!(
        response.header("content-length"),
        Some(response.body.len().to_string().as_str())
    );
}

#[test]
fn soap_fault_body_reaches_the_caller_over_http() {
    let server = zus_server(None);
    let t = transport(TransportConfig::builder().basic_auth("ezla_ag", "ezla_ag"));
    let response = t
        .post(&soap_post(&server.url(ZUS), "pobierzOswiadczenie"))
        .unwrap();
    assert_fault(&response);
}

#[test]
fn soap_fault_body_reaches_the_caller_over_tls_with_the_sim_ca() {
    let dir = common::temp_dir("tls-fault");
    let tls = SimTls::load_or_create(&dir).unwrap();
    let server = zus_server(Some(&tls));
    assert!(server.url(ZUS).starts_with("https://127.0.0.1:"));
    let ca_pem = std::fs::read(dir.join(ezla_sim::CA_FILE)).unwrap();
    let t = transport(
        TransportConfig::builder()
            .basic_auth("ezla_ag", "ezla_ag")
            .trust_pem(&ca_pem),
    );
    // Twice: the second request may reuse the kept-alive TLS connection.
    for _ in 0..2 {
        assert_fault(
            &t.post(&soap_post(&server.url(ZUS), "zalogujPodpisem"))
                .unwrap(),
        );
    }
    // Also by name: `localhost` is in the certificate.
    let by_name = server.url(ZUS).replace("127.0.0.1", "localhost");
    assert_fault(&t.post(&soap_post(&by_name, "zalogujPodpisem")).unwrap());
}

#[test]
fn wrong_or_missing_credentials_get_401_with_a_challenge() {
    let server = zus_server(None);
    for builder in [
        TransportConfig::builder().basic_auth("ezla_ag", "wrong"),
        TransportConfig::builder(),
    ] {
        let response = transport(builder)
            .post(&soap_post(&server.url(ZUS), "x"))
            .unwrap();
        assert_eq!(response.status, 401);
        let challenge = response.header("www-authenticate").unwrap();
        assert!(challenge.starts_with("Basic realm=\"ZUS\""), "{challenge}");
    }
}

#[test]
fn redirects_are_returned_not_followed() {
    let followed = Arc::new(AtomicUsize::new(0));
    let counter = followed.clone();
    let router = Router::new()
        .mount(Mount::new("/moved", |_: &SimRequest| {
            SimResponse::text(302, "moved").with_header("Location", "/target")
        }))
        .mount(Mount::new("/target", move |_: &SimRequest| {
            counter.fetch_add(1, Ordering::SeqCst);
            SimResponse::text(200, "followed")
        }));
    let server = Server::new(router).start(loopback()).unwrap();
    let t = transport(TransportConfig::builder());
    let response = t.post(&soap_post(&server.url("/moved"), "x")).unwrap();
    assert_eq!(response.status, 302);
    assert_eq!(response.header("location"), Some("/target"));
    assert_eq!(followed.load(Ordering::SeqCst), 0);
}

#[test]
fn requests_carry_content_length_auth_and_soapaction_and_never_chunk() {
    let (seen, handler) = recording(SimResponse::text(200, "ok"));
    let server = serve_one(Mount::new("/rec", handler).basic_auth(BasicAuth::new("u", "p")));
    let t = transport(TransportConfig::builder().basic_auth("u", "p"));
    let body = vec![b'x'; 100_000];
    let request = Request::post(server.url("/rec"), "text/xml; charset=utf-8", body.clone())
        .with_header("SOAPAction", "\"wyslijDokumenty\"");
    let response = t.post(&request).unwrap();
    assert_eq!(
        (response.status, response.body.as_slice()),
        (200, &b"ok"[..])
    );
    let seen = seen.lock().unwrap();
    let r = seen.first().unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(r.body, body);
    assert_eq!(r.header("content-length"), Some("100000"));
    assert_eq!(r.header("transfer-encoding"), None);
    assert_eq!(r.header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(r.soap_action(), Some("wyslijDokumenty"));
    assert_eq!(r.header("authorization"), Some("Basic dTpw")); // base64("u:p")
    assert!(r.header("user-agent").unwrap().starts_with("ezla/"));
}

#[test]
fn response_over_the_cap_is_an_error() {
    let server = serve_one(Mount::new("/big", |_: &SimRequest| {
        SimResponse::new(200, "text/xml", vec![b'a'; 4096])
    }));
    let t = transport(TransportConfig::builder().max_response_size(1024));
    let e = t.post(&soap_post(&server.url("/big"), "x")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ResponseTooLarge, "{e}");
}

// --- TLS trust and names ---------------------------------------------------------------------

fn tls_server_for(dns: &[&str], ips: &[IpAddr]) -> (SimTls, ezla_sim::RunningServer) {
    let tls = SimTls::generate(dns, ips).expect("test setup");
    let (_, handler) = recording(SimResponse::text(200, "ok"));
    let server = Server::new(Router::new().mount(Mount::new("/", handler)))
        .tls(tls.server_config().expect("test setup"))
        .start(loopback())
        .expect("test setup");
    (tls, server)
}

fn tls_code(e: &ezla::Error) -> ErrorCode {
    assert!(
        matches!(e, ezla::Error::Transport(TransportError::Tls { .. })),
        "{e:?}"
    );
    e.code()
}

#[test]
fn a_certificate_from_another_ca_is_untrusted() {
    let (_, server) = tls_server_for(&["localhost"], &[IpAddr::from([127, 0, 0, 1])]);
    let other = SimTls::generate(&["localhost"], &[]).unwrap();
    let t = transport(TransportConfig::builder().trust_pem(other.ca_pem().as_bytes()));
    let e = t.post(&soap_post(&server.url("/"), "x")).unwrap_err();
    assert_eq!(tls_code(&e), ErrorCode::TlsCertificateUntrusted, "{e}");
    // And Mozilla's roots do not know the simulator's CA either.
    let t = transport(TransportConfig::builder());
    let e = t.post(&soap_post(&server.url("/"), "x")).unwrap_err();
    assert_eq!(tls_code(&e), ErrorCode::TlsCertificateUntrusted, "{e}");
}

#[test]
fn expected_server_name_is_checked_instead_of_the_ip() {
    let (tls, server) = tls_server_for(&["sim.zus.pl"], &[]);
    let ca = tls.ca_pem();
    let url = server.url("/");
    // No expected name: the certificate does not carry 127.0.0.1.
    let e = transport(TransportConfig::builder().trust_pem(ca.as_bytes()))
        .post(&soap_post(&url, "x"))
        .unwrap_err();
    assert_eq!(tls_code(&e), ErrorCode::TlsNameMismatch, "{e}");
    assert!(e.to_string().contains("127.0.0.1"), "{e}");
    // The expected name matches.
    let ok = transport(
        TransportConfig::builder()
            .trust_pem(ca.as_bytes())
            .expected_server_name("sim.zus.pl"),
    )
    .post(&soap_post(&url, "x"))
    .unwrap();
    assert_eq!(ok.status, 200);
    // Another expected name does not.
    let e = transport(
        TransportConfig::builder()
            .trust_pem(ca.as_bytes())
            .expected_server_name("other.example"),
    )
    .post(&soap_post(&url, "x"))
    .unwrap_err();
    assert_eq!(tls_code(&e), ErrorCode::TlsNameMismatch, "{e}");
    assert!(e.to_string().contains("other.example"), "{e}");
}

#[test]
fn a_wildcard_certificate_matches_a_concrete_expected_name() {
    let (tls, server) = tls_server_for(&["*.zus.pl"], &[]);
    let config = |name: &str| {
        TransportConfig::builder()
            .trust_pem(tls.ca_pem().as_bytes())
            .expected_server_name(name)
    };
    let ok = transport(config("pue.zus.pl"))
        .post(&soap_post(&server.url("/"), "x"))
        .unwrap();
    assert_eq!(ok.status, 200);
    // A wildcard covers one label only.
    let e = transport(config("a.b.zus.pl"))
        .post(&soap_post(&server.url("/"), "x"))
        .unwrap_err();
    assert_eq!(tls_code(&e), ErrorCode::TlsNameMismatch, "{e}");
}

// --- timeouts, resets, closed ports --------------------------------------------------------

#[test]
fn a_stalling_handler_gives_a_response_timeout_within_a_bound() {
    let server = serve_one(Mount::new("/slow", |_: &SimRequest| {
        std::thread::sleep(Duration::from_secs(3));
        SimResponse::text(200, "late")
    }));
    let config = TransportConfig::builder()
        .response_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = ezla::transport::UreqTransport::new(config).unwrap();
    let start = Instant::now();
    let e = t.post(&soap_post(&server.url("/slow"), "x")).unwrap_err();
    let took = start.elapsed();
    assert_eq!(e.code(), ErrorCode::Timeout, "{e}");
    assert!(
        matches!(
            e,
            ezla::Error::Transport(TransportError::Timeout {
                phase: TimeoutPhase::Response,
                ..
            })
        ),
        "{e:?}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn the_overall_timeout_bounds_the_exchange() {
    let server = serve_one(Mount::new("/slow", |_: &SimRequest| {
        std::thread::sleep(Duration::from_secs(3));
        SimResponse::text(200, "late")
    }));
    let config = TransportConfig::builder()
        .overall_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let t = ezla::transport::UreqTransport::new(config).unwrap();
    let start = Instant::now();
    let e = t.post(&soap_post(&server.url("/slow"), "x")).unwrap_err();
    assert!(
        matches!(
            e,
            ezla::Error::Transport(TransportError::Timeout {
                phase: TimeoutPhase::Overall,
                ..
            })
        ),
        "{e:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_reset_is_a_transport_error_not_a_hang() {
    let server = serve_one(Mount::new("/reset", |_: &SimRequest| {
        SimResponse::dropped()
    }));
    let t = transport(TransportConfig::builder());
    let start = Instant::now();
    let e = t.post(&soap_post(&server.url("/reset"), "x")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConnectionLost, "{e}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_closed_port_is_a_connect_error() {
    let server = serve_one(Mount::new("/", |_: &SimRequest| SimResponse::text(200, "")));
    let url = server.url("/");
    server.shutdown();
    std::thread::sleep(Duration::from_millis(50));
    let e = transport(TransportConfig::builder())
        .post(&soap_post(&url, "x"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::ConnectFailed, "{e}");
}
