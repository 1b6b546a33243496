//! Hostile and odd input straight over TCP: the server refuses or times out, and serves the
//! next request.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{loopback, recording};
use ezla_sim::{Limits, Mount, Router, Server, SimResponse};

fn server(limits: Limits) -> ezla_sim::RunningServer {
    let (_, handler) = recording(SimResponse::text(200, "ok"));
    Server::new(Router::new().mount(Mount::new("/", handler)))
        .limits(limits)
        .start(loopback())
        .expect("test setup")
}

fn short_limits() -> Limits {
    let mut limits = Limits::default();
    limits.read_timeout = Duration::from_millis(300);
    limits.header_timeout = Duration::from_millis(600);
    limits
}

/// Sends `bytes` on a fresh connection and returns everything the server sends back
/// until it closes (or 5 s pass).
fn exchange(server: &ezla_sim::RunningServer, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(server.addr()).expect("test setup");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("test setup");
    // The server may refuse before reading everything; a failed write is fine.
    let _ = s.write_all(bytes);
    read_to_close(&mut s)
}

fn read_to_close(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const GOOD: &[u8] =
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi";

fn still_serves(server: &ezla_sim::RunningServer) {
    let answer = exchange(server, GOOD);
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\nok"), "{answer}");
}

#[test]
fn oversized_header_gets_431() {
    let server = server(Limits::default());
    let mut request = b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 20_000));
    request.extend_from_slice(b"\r\n\r\n");
    let answer = exchange(&server, &request);
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
    still_serves(&server);
}

#[test]
fn too_many_header_lines_get_431() {
    let server = server(Limits::default());
    for lines in [100, 200] {
        let mut request = b"POST / HTTP/1.1\r\nHost: x\r\n".to_vec();
        for i in 0..lines {
            request.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
        }
        request.extend_from_slice(b"Content-Length: 0\r\n\r\n");
        let answer = exchange(&server, &request);
        assert!(answer.starts_with("HTTP/1.1 431 "), "{lines}: {answer}");
    }
    still_serves(&server);
}

#[test]
fn huge_content_length_gets_413_before_the_body_is_read() {
    let server = server(Limits::default());
    let answer = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    let answer = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    still_serves(&server);
}

#[test]
fn chunked_request_bodies_get_411() {
    let server = server(Limits::default());
    let answer = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 411 "), "{answer}");
    assert!(answer.contains("Content-Length"), "{answer}");
    still_serves(&server);
}

#[test]
fn a_silent_client_is_dropped_after_the_read_timeout() {
    let server = server(short_limits());
    let start = Instant::now();
    let answer = exchange(&server, b"");
    assert_eq!(answer, "", "a client that never spoke gets no answer");
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(3),
        "{took:?}"
    );
    still_serves(&server);
}

#[test]
fn a_dribbling_client_gets_408_after_the_head_timeout() {
    let server = server(short_limits());
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let start = Instant::now();
    // One byte every 100 ms: each read succeeds within the read timeout, the head never ends.
    for b in b"POST / HTTP/1.1\r\nHost: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" {
        if s.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let answer = read_to_close(&mut s);
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    still_serves(&server);
}

#[test]
fn the_cleartext_http2_preface_gets_505() {
    let server = server(Limits::default());
    let answer = exchange(&server, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 505 "), "{answer}");
    still_serves(&server);
}

#[test]
fn garbage_gets_400() {
    let server = server(Limits::default());
    let answer = exchange(&server, b"\x16\x03\x01\x00\xa5 not http\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    still_serves(&server);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let server = server(Limits::default());
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    // Two pipelined requests, the second closing the connection.
    s.write_all(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA\
          POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nB",
    )
    .unwrap();
    let answer = read_to_close(&mut s);
    assert_eq!(answer.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{answer}");
    assert!(answer.contains("content-length: 2\r\n"), "{answer}");
}

#[test]
fn expect_100_continue_is_answered() {
    let server = server(Limits::default());
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 25];
    s.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(b"hi").unwrap();
    let answer = read_to_close(&mut s);
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
}

#[test]
fn connections_over_the_cap_get_503() {
    let mut limits = short_limits();
    limits.read_timeout = Duration::from_secs(3);
    limits.max_connections = 1;
    let server = server(limits);
    let _held = TcpStream::connect(server.addr()).unwrap();
    // Let the server admit the first connection.
    let deadline = Instant::now() + Duration::from_secs(2);
    while server.active_connections() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let answer = exchange(&server, GOOD);
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
}

#[test]
fn unknown_paths_get_404() {
    let server = server(Limits::default());
    let answer = exchange(
        &server,
        b"POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 404 "), "{answer}");
}

#[test]
fn a_post_without_content_length_gets_411() {
    let server = server(Limits::default());
    let answer = exchange(&server, b"POST / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 411 "), "{answer}");
    still_serves(&server);
}
