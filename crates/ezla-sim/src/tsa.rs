//! The simulator's time-stamping authority (RFC 3161 over HTTP, §3.4): `POST` a DER
//! `TimeStampReq` as `application/timestamp-query` to [`DEFAULT_TSA_PATH`], get a
//! `TimeStampResp` as `application/timestamp-reply`. The tokens are signed by
//! `DIR/ca/tsa.crt` (from the simulator's CA, the one critical extended key usage
//! `timeStamping`) under [`SIM_TSA_POLICY`]; clients trust the CA (`DIR/ca/ca.crt`).
//!
//! It is [`ezla::tsp::TimeStampAuthority`]: a request it cannot honour gets a rejection with
//! the failure bit that says why, as RFC 3161 TSAs answer; what is not a POST of a query
//! gets an HTTP error (405, 415).

use std::sync::Arc;

use ezla::tsp::{ObjectIdentifier, QUERY_MEDIA_TYPE, REPLY_MEDIA_TYPE, TimeStampAuthority};
use time::OffsetDateTime;

use crate::{Mount, SimRequest, SimResponse};

/// Where `ezla-sim serve` mounts the TSA.
pub const DEFAULT_TSA_PATH: &str = "/tsa";

/// The policy the simulator's TSA stamps under (an OID under IANA's example enterprise
/// number, RFC 5612: it names no real policy).
pub const SIM_TSA_POLICY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.3161.1");

/// The TSA as a mount on `path`.
pub fn tsa_mount(path: &str, authority: Arc<TimeStampAuthority>) -> Mount {
    Mount::new(path, move |request: &SimRequest| {
        respond(&authority, request)
    })
}

fn respond(authority: &TimeStampAuthority, request: &SimRequest) -> SimResponse {
    if request.method != "POST" {
        return SimResponse::text(405, "POST an application/timestamp-query")
            .with_header("Allow", "POST");
    }
    let media = request.header("content-type").map(|t| {
        t.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if media.as_deref() != Some(QUERY_MEDIA_TYPE) {
        return SimResponse::text(
            415,
            &format!(
                "the body must be {QUERY_MEDIA_TYPE}, not {}",
                media.as_deref().unwrap_or("(none)")
            ),
        );
    }
    let answer = authority.respond(&request.body, OffsetDateTime::now_utc());
    SimResponse::new(200, REPLY_MEDIA_TYPE, answer)
}
