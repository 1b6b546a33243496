//! One connection: TLS (optional), then HTTP/1.1 requests on ureq-proto's server state
//! machine, with the limits of [`Limits`](crate::Limits) and the faults in force.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rustls::{ServerConnection, StreamOwned};
use ureq_proto::http::{self, header};
use ureq_proto::server::{RecvRequestResult, Reply, SendResponseResult, state};

use crate::faults::{FaultKind, MALFORMED_BODY};
use crate::log;
use crate::message::{SimRequest, SimResponse};
use crate::router::Route;
use crate::server::Shared;

/// The start of the HTTP/2 connection preface (RFC 9113 §3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n";

/// A byte stream that can be closed politely.
trait Io: Read + Write {
    fn close(&mut self);
}

impl Io for TcpStream {
    fn close(&mut self) {
        let _ = self.flush();
        let _ = self.shutdown(Shutdown::Write);
    }
}

impl Io for StreamOwned<ServerConnection, TcpStream> {
    fn close(&mut self) {
        self.conn.send_close_notify();
        let _ = self.flush();
        let _ = self.sock.shutdown(Shutdown::Write);
    }
}

/// Answers a connection over the cap: 503 on plain HTTP, closed at once with TLS.
pub(crate) fn refuse_overloaded(mut stream: TcpStream, tls: bool) {
    if !tls {
        let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
        let _ = stream.write_all(&simple_response(503, "too many connections"));
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// Serves the connection until it closes.
pub(crate) fn serve(stream: TcpStream, peer: SocketAddr, shared: &Shared) {
    let limits = &shared.limits;
    if stream.set_read_timeout(Some(limits.read_timeout)).is_err()
        || stream
            .set_write_timeout(Some(limits.write_timeout))
            .is_err()
    {
        return;
    }
    let _ = stream.set_nodelay(true);
    let Ok(raw) = stream.try_clone() else {
        return;
    };
    match &shared.tls {
        Some(config) => match ServerConnection::new(config.clone()) {
            Ok(tls) => run(StreamOwned::new(tls, stream), raw, peer, true, shared),
            Err(e) => log(&format!("{peer}: TLS setup failed: {e}")),
        },
        None => run(stream, raw, peer, false, shared),
    }
}

/// What to do after a request.
enum Next {
    KeepAlive,
    Close,
    Reset,
}

struct Conn<'a, S: Io> {
    io: S,
    peer: SocketAddr,
    tls: bool,
    shared: &'a Shared,
    /// Bytes read but not used yet (the next request's start, when pipelined).
    buf: Vec<u8>,
}

fn run<S: Io>(io: S, raw: TcpStream, peer: SocketAddr, tls: bool, shared: &Shared) {
    let mut conn = Conn {
        io,
        peer,
        tls,
        shared,
        buf: Vec::new(),
    };
    let mut first = true;
    loop {
        match conn.request(first) {
            Next::KeepAlive if !shared.shutdown.load(Ordering::SeqCst) => first = false,
            Next::KeepAlive | Next::Close => {
                conn.io.close();
                linger(&raw);
                break;
            }
            Next::Reset => {
                // Unread input (or SO_LINGER-like abort) makes the kernel send RST; either
                // way the client sees the connection end without a response.
                let _ = raw.shutdown(Shutdown::Both);
                break;
            }
        }
    }
}

/// After our side is shut down: reads (and discards) what the client still sends, for a
/// moment, so that closing with unread input does not reset the connection and destroy a
/// refusal (e.g. 431) the client has not read yet.
fn linger(raw: &TcpStream) {
    let _ = raw.set_read_timeout(Some(Duration::from_millis(200)));
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 8192];
    let mut total = 0usize;
    let mut reader = raw;
    while Instant::now() < deadline && total < 1024 * 1024 {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

/// Why a request head could not be read.
enum HeadError {
    /// The client went away or stayed silent between requests: close without a word.
    Gone,
    /// Answer with this status and close.
    Refuse(u16, String),
}

impl<S: Io> Conn<'_, S> {
    /// Reads more bytes into `buf`; `Ok(false)` at end of stream.
    fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 8192];
        let n = self.io.read(&mut chunk)?;
        self.buf
            .extend_from_slice(chunk.get(..n).unwrap_or_default());
        Ok(n > 0)
    }

    fn refuse(&mut self, status: u16, reason: &str) -> Next {
        log(&format!("{} refused: {status} {reason}", self.peer));
        let _ = self.io.write_all(&simple_response(status, reason));
        Next::Close
    }

    fn read_head(
        &mut self,
        first: bool,
    ) -> Result<(Reply<state::RecvRequest>, http::Request<()>), HeadError> {
        let limits = &self.shared.limits;
        let mut reply = Reply::new().map_err(|e| HeadError::Refuse(500, e.to_string()))?;
        let mut started: Option<Instant> = None;
        loop {
            if !self.buf.is_empty() {
                started.get_or_insert_with(Instant::now);
                let n = self.buf.len().min(H2_PREFACE.len());
                if self.buf.get(..n) == H2_PREFACE.get(..n) {
                    if n == H2_PREFACE.len() {
                        log(&format!(
                            "{}: HTTP/2 preface refused (HTTP/1.1 only, like ZUS)",
                            self.peer
                        ));
                        return Err(HeadError::Refuse(505, "HTTP/1.1 only".into()));
                    }
                } else {
                    match reply.try_request(&self.buf) {
                        Ok((used, Some(_))) if used > limits.max_header_bytes => {
                            return Err(HeadError::Refuse(
                                431,
                                format!("request head over {} bytes", limits.max_header_bytes),
                            ));
                        }
                        Ok((used, Some(request))) => {
                            self.buf.drain(..used);
                            return Ok((reply, request));
                        }
                        Ok((_, None)) => {}
                        Err(ureq_proto::Error::HttpParseTooManyHeaders) => {
                            return Err(HeadError::Refuse(431, "too many header lines".into()));
                        }
                        Err(e) => return Err(HeadError::Refuse(400, e.to_string())),
                    }
                }
                if self.buf.len() > limits.max_header_bytes {
                    return Err(HeadError::Refuse(
                        431,
                        format!("request head over {} bytes", limits.max_header_bytes),
                    ));
                }
            }
            if started.is_some_and(|t| t.elapsed() > limits.header_timeout) {
                return Err(HeadError::Refuse(408, "request head too slow".into()));
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => return Err(HeadError::Gone),
                Err(e) if is_timeout(&e) => {
                    return Err(if started.is_none() && !first {
                        HeadError::Gone
                    } else if started.is_none() {
                        // Connected and said nothing at all (slowloris, or a port probe).
                        log(&format!(
                            "{}: no request within the read timeout",
                            self.peer
                        ));
                        HeadError::Gone
                    } else {
                        HeadError::Refuse(408, "request timed out".into())
                    });
                }
                Err(e) => {
                    // A client that hangs up between requests without TLS close_notify (most
                    // do, ureq and curl among them) has done nothing wrong: no log line.
                    let quiet_eof =
                        e.kind() == io::ErrorKind::UnexpectedEof && started.is_none() && !first;
                    if !quiet_eof {
                        log(&format!("{}: {e}", self.peer));
                    }
                    return Err(HeadError::Gone);
                }
            }
        }
    }

    /// Serves one request.
    fn request(&mut self, first: bool) -> Next {
        let begun = Instant::now();
        let limits = self.shared.limits.clone();
        let (reply, head) = match self.read_head(first) {
            Ok(v) => v,
            Err(HeadError::Gone) => return Next::Close,
            Err(HeadError::Refuse(status, reason)) => return self.refuse(status, &reason),
        };
        if head.headers().len() > limits.max_headers {
            return self.refuse(
                431,
                &format!("more than {} header lines", limits.max_headers),
            );
        }
        if head.headers().contains_key(header::TRANSFER_ENCODING) {
            // Documented choice: bodies must come with Content-Length, as ZUS clients send them.
            return self.refuse(
                411,
                "chunked request bodies are refused; send Content-Length",
            );
        }
        let length = head
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().parse::<u64>());
        let wants_body = matches!(head.method().as_str(), "POST" | "PUT" | "PATCH");
        match length {
            // ureq-proto would read a body without length as chunked; HTTP/1.1 says such a
            // request has no body. Refuse instead, like the chunked ones.
            None if wants_body => {
                return self.refuse(411, "a request body needs Content-Length");
            }
            Some(Err(_)) => return self.refuse(400, "invalid Content-Length"),
            Some(Ok(n)) if n > limits.max_body_bytes as u64 => {
                return self.refuse(413, &format!("body over {} bytes", limits.max_body_bytes));
            }
            _ => {}
        }
        let Some(next) = reply.proceed() else {
            return self.refuse(500, "request state");
        };
        let (provide, body) = match next {
            RecvRequestResult::ProvideResponse(r) => (r, Vec::new()),
            RecvRequestResult::RecvBody(r) => match self.read_body(r) {
                Ok(v) => v,
                Err(next) => return next,
            },
            RecvRequestResult::Send100(r) => {
                let mut out = [0u8; 64];
                let (n, r) = match r.accept(&mut out) {
                    Ok(v) => v,
                    Err(e) => return self.refuse(400, &e.to_string()),
                };
                if self.io.write_all(out.get(..n).unwrap_or_default()).is_err() {
                    return Next::Close;
                }
                match self.read_body(r) {
                    Ok(v) => v,
                    Err(next) => return next,
                }
            }
        };
        let mut request = SimRequest {
            method: head.method().as_str().to_string(),
            path: head.uri().path().to_string(),
            query: head.uri().query().map(str::to_string),
            headers: head
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
            peer: self.peer,
            tls: self.tls,
            response_will_be_dropped: false,
            expire_session: false,
        };
        let (response, note) = self.respond(&mut request);
        let Some(response) = response else {
            log_request(&request, None, begun, &note);
            return Next::Reset;
        };
        log_request(&request, Some(&response), begun, &note);
        self.send(provide, &response)
    }

    /// Reads the body (Content-Length only; chunked was refused before).
    fn read_body(
        &mut self,
        mut reply: Reply<state::RecvBody>,
    ) -> Result<(Reply<state::ProvideResponse>, Vec<u8>), Next> {
        let max = self.shared.limits.max_body_bytes;
        let mut body = Vec::new();
        let mut out = vec![0u8; 16 * 1024];
        loop {
            if !self.buf.is_empty() {
                let (used, produced) = reply
                    .read(&self.buf, &mut out)
                    .map_err(|e| self.refuse(400, &e.to_string()))?;
                self.buf.drain(..used);
                body.extend_from_slice(out.get(..produced).unwrap_or_default());
                if body.len() > max {
                    return Err(self.refuse(413, &format!("body over {max} bytes")));
                }
            }
            if reply.is_ended() {
                break;
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => return Err(Next::Close),
                Err(e) if is_timeout(&e) => return Err(self.refuse(408, "body timed out")),
                Err(_) => return Err(Next::Close),
            }
        }
        let provide = reply
            .proceed()
            .map_err(|e| self.refuse(400, &e.to_string()))?;
        Ok((provide, body))
    }

    /// The response (None: reset instead) and a note for the log line.
    fn respond(&self, request: &mut SimRequest) -> (Option<SimResponse>, String) {
        let handler = match self.shared.router.route(request) {
            Route::NotFound => {
                return (Some(SimResponse::text(404, "no such path")), String::new());
            }
            Route::Unauthorized { realm } => {
                let challenge = format!("Basic realm=\"{realm}\", charset=\"UTF-8\"");
                let r = SimResponse::text(401, "authentication required")
                    .with_header("WWW-Authenticate", &challenge);
                return (Some(r), String::new());
            }
            Route::Handler(h) => h,
        };
        let decision = self
            .shared
            .faults
            .decide(&request.path, request.soap_action());
        let mut note = String::new();
        if !decision.latency.is_zero() {
            note.push_str(&format!(
                " [fault: latency {} ms]",
                decision.latency.as_millis()
            ));
            std::thread::sleep(decision.latency);
        }
        match decision.terminal {
            Some(FaultKind::Reset) => {
                note.push_str(" [fault: reset]");
                (None, note)
            }
            Some(FaultKind::Http500 { body, content_type }) => {
                note.push_str(" [fault: http_500]");
                (Some(SimResponse::new(500, &content_type, body)), note)
            }
            Some(FaultKind::MalformedBody) => {
                note.push_str(" [fault: malformed_body]");
                let r = SimResponse::new(200, crate::message::SOAP11_CONTENT_TYPE, MALFORMED_BODY);
                (Some(r), note)
            }
            Some(FaultKind::ExpireSession) => {
                request.expire_session = true;
                note.push_str(" [fault: expire_session]");
                (Some(handler.handle(request)), note)
            }
            Some(FaultKind::DropResponse) => {
                request.response_will_be_dropped = true;
                let r = handler.handle(request);
                note.push_str(&format!(" [fault: drop_response of a {}]", r.status));
                (None, note)
            }
            Some(FaultKind::Latency { .. }) | None => {
                let r = handler.handle(request);
                if r.drop {
                    note.push_str(" [dropped by the handler]");
                    (None, note)
                } else {
                    (Some(r), note)
                }
            }
        }
    }

    /// Sends `response` through the state machine (always with Content-Length).
    fn send(&mut self, provide: Reply<state::ProvideResponse>, response: &SimResponse) -> Next {
        let closing = self.shared.shutdown.load(Ordering::SeqCst);
        let mut builder = http::Response::builder().status(response.status);
        for (name, value) in &response.headers {
            let lower = name.to_ascii_lowercase();
            if lower == "content-length" || lower == "transfer-encoding" {
                continue;
            }
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder = builder.header(header::CONTENT_LENGTH, response.body.len());
        if closing {
            builder = builder.header(header::CONNECTION, "close");
        }
        let Ok(head) = builder.body(()) else {
            log(&format!(
                "{}: handler gave an invalid response head",
                self.peer
            ));
            return Next::Close;
        };
        let mut sending = match provide.provide(head) {
            Ok(s) => s,
            Err(e) => {
                log(&format!("{}: response: {e}", self.peer));
                return Next::Close;
            }
        };
        let mut out = vec![0u8; 16 * 1024];
        loop {
            let n = match sending.write(&mut out) {
                Ok(n) => n,
                Err(e) => {
                    log(&format!("{}: response head: {e}", self.peer));
                    return Next::Close;
                }
            };
            if self.io.write_all(out.get(..n).unwrap_or_default()).is_err() {
                return Next::Close;
            }
            if sending.is_finished() {
                break;
            }
        }
        let cleanup = match sending.proceed() {
            SendResponseResult::Cleanup(c) => c,
            SendResponseResult::SendBody(mut body) => {
                let mut rest: &[u8] = &response.body;
                loop {
                    let take = rest.len().min(out.len());
                    let (used, n) = match body.write(rest.get(..take).unwrap_or_default(), &mut out)
                    {
                        Ok(v) => v,
                        Err(e) => {
                            log(&format!("{}: response body: {e}", self.peer));
                            return Next::Close;
                        }
                    };
                    if self.io.write_all(out.get(..n).unwrap_or_default()).is_err() {
                        return Next::Close;
                    }
                    rest = rest.get(used..).unwrap_or_default();
                    if body.is_finished() {
                        break;
                    }
                    if used == 0 && n == 0 {
                        log(&format!("{}: response body stalled", self.peer));
                        return Next::Close;
                    }
                }
                body.proceed()
            }
        };
        if self.io.flush().is_err() {
            return Next::Close;
        }
        if closing || cleanup.must_close_connection() {
            Next::Close
        } else {
            Next::KeepAlive
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// A complete response outside the state machine, for refusals: closes the connection.
fn simple_response(status: u16, text: &str) -> Vec<u8> {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let body = format!("{text}\n");
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn log_request(request: &SimRequest, response: Option<&SimResponse>, begun: Instant, note: &str) {
    let outcome = match response {
        Some(r) => format!("{} {}B", r.status, r.body.len()),
        None => "no response (reset)".to_string(),
    };
    let action = request
        .soap_action()
        .map(|a| format!(" SOAPAction={a:?}"))
        .unwrap_or_default();
    log(&format!(
        "{} {} {}{action} -> {outcome} in {} ms{note}",
        request.peer,
        request.method,
        request.path,
        begun.elapsed().as_millis()
    ));
}
