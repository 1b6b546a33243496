//! Fault injection: `faults.json` in the state directory, re-read when it changes.
//!
//! ```json
//! { "faults": [
//!   { "kind": "latency", "ms": 3000, "path": "/ws/zus.channel.gabinetoweV4:zla" },
//!   { "kind": "http_500", "body": "<oops/>", "content_type": "text/xml; charset=utf-8" },
//!   { "kind": "malformed_body", "soap_action": "wyslijDokumenty", "count": 1 },
//!   { "kind": "reset", "count": 2 },
//!   { "kind": "drop_response", "soap_action": "wyslijDokumenty", "count": 1 }
//! ] }
//! ```
//!
//! Every fault may name a `path` (exact) and a `soap_action` (the `SOAPAction` header without
//! quotes, exact) it is limited to, and a `count` of requests it applies to (unlimited when
//! absent). A `latency` adds to whatever else matches; of the other kinds the first matching
//! fault in the file applies. Counts start again whenever the file changes. A file that does
//! not parse is reported on stderr and ignored (the faults before it stay in force).
//!
//! - `latency`: wait `ms` milliseconds before handling the request.
//! - `http_500`: answer HTTP 500 with `body` (default: empty) and `content_type` (default
//!   `text/xml; charset=utf-8`) without calling the handler.
//! - `malformed_body`: answer HTTP 200 `text/xml` with a truncated XML body, without calling
//!   the handler.
//! - `reset`: close the connection without a response, without calling the handler.
//! - `expire_session`: end the session the request names (its `IdSesji`) before calling the
//!   handler, as when ZUS times a session out mid-flow.
//! - `drop_response`: call the handler (whose state changes happen), then close the
//!   connection without its response: the client cannot know the outcome. Handlers see
//!   [`SimRequest::response_will_be_dropped`](crate::SimRequest::response_will_be_dropped).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

/// The body sent by a `malformed_body` fault: XML cut off in the middle of an element.
pub const MALFORMED_BODY: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><wyn";

/// One kind of fault.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FaultKind {
    /// Wait before handling.
    Latency {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// HTTP 500 with a given body, handler not called.
    #[serde(rename = "http_500")]
    Http500 {
        /// The body.
        #[serde(default)]
        body: String,
        /// The content type.
        #[serde(default = "default_content_type")]
        content_type: String,
    },
    /// HTTP 200 with a truncated XML body, handler not called.
    MalformedBody,
    /// Close without a response, handler not called.
    Reset,
    /// Call the handler, then close without its response.
    DropResponse,
    /// End the request's session before the handler sees it: a session that expires
    /// mid-flow (the ZUS handler then answers "Brak sesji").
    ExpireSession,
}

fn default_content_type() -> String {
    crate::message::SOAP11_CONTENT_TYPE.to_string()
}

/// A fault with its limits, as written in `faults.json`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Fault {
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Only requests to this path.
    #[serde(default)]
    pub path: Option<String>,
    /// Only requests with this `SOAPAction` (quotes stripped).
    #[serde(default)]
    pub soap_action: Option<String>,
    /// Only this many requests (unlimited when absent).
    #[serde(default)]
    pub count: Option<u64>,
}

impl Fault {
    /// A fault of `kind` on every request, unlimited.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            path: None,
            soap_action: None,
            count: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsFile {
    faults: Vec<Fault>,
}

/// What the faults decided for one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) latency: Duration,
    pub(crate) terminal: Option<FaultKind>,
}

struct Rule {
    fault: Fault,
    remaining: Option<u64>,
}

struct State {
    stamp: Option<(SystemTime, u64)>,
    rules: Vec<Rule>,
}

/// The faults in force: from a file (re-read when its modification time or size changes)
/// or set in code.
pub struct Faults {
    file: Option<PathBuf>,
    state: Mutex<State>,
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Faults {
            file: None,
            state: Mutex::new(State {
                stamp: None,
                rules: Vec::new(),
            }),
        }
    }

    /// Faults from `path` (absent file: no faults), re-read whenever it changes.
    pub fn from_file(path: impl Into<PathBuf>) -> Self {
        Faults {
            file: Some(path.into()),
            ..Faults::none()
        }
    }

    /// Replaces the faults in force (and stops following a file).
    pub fn set(&mut self, faults: Vec<Fault>) {
        self.file = None;
        let mut state = self.lock();
        state.rules = rules(faults);
    }

    /// Parses the contents of a `faults.json`.
    pub fn parse(json: &[u8]) -> Result<Vec<Fault>, String> {
        // serde cannot deny unknown fields through `flatten`: check the keys first, so that
        // a typo (`pth`) is an error rather than a fault on every path.
        const KEYS: &[&str] = &[
            "kind",
            "ms",
            "body",
            "content_type",
            "path",
            "soap_action",
            "count",
        ];
        let value: serde_json::Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
        if let Some(list) = value.get("faults").and_then(|f| f.as_array()) {
            for (i, fault) in list.iter().enumerate() {
                if let Some(key) = fault
                    .as_object()
                    .and_then(|o| o.keys().find(|k| !KEYS.contains(&k.as_str())))
                {
                    return Err(format!("fault {}: unknown field `{key}`", i + 1));
                }
            }
        }
        serde_json::from_value::<FaultsFile>(value)
            .map(|f| f.faults)
            .map_err(|e| e.to_string())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn reload(&self, state: &mut State, file: &Path) {
        let stamp = std::fs::metadata(file)
            .ok()
            .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        if stamp == state.stamp {
            return;
        }
        state.stamp = stamp;
        if stamp.is_none() {
            state.rules.clear();
            return;
        }
        match std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Faults::parse(&bytes))
        {
            Ok(faults) => {
                crate::log(&format!(
                    "faults: {} fault(s) from {}",
                    faults.len(),
                    file.display()
                ));
                state.rules = rules(faults);
            }
            Err(e) => crate::log(&format!("faults: {} ignored: {e}", file.display())),
        }
    }

    /// Decides the faults for a request to `path` with `soap_action`, using up counts.
    pub(crate) fn decide(&self, path: &str, soap_action: Option<&str>) -> Decision {
        let mut state = self.lock();
        if let Some(file) = &self.file {
            self.reload(&mut state, file);
        }
        let mut decision = Decision::default();
        for rule in &mut state.rules {
            let f = &rule.fault;
            if f.path.as_deref().is_some_and(|p| p != path)
                || f.soap_action
                    .as_deref()
                    .is_some_and(|a| Some(a) != soap_action)
                || rule.remaining == Some(0)
            {
                continue;
            }
            let applies = match &f.kind {
                FaultKind::Latency { ms } => {
                    decision.latency += Duration::from_millis(*ms);
                    true
                }
                other if decision.terminal.is_none() => {
                    decision.terminal = Some(other.clone());
                    true
                }
                _ => false,
            };
            if applies && let Some(n) = &mut rule.remaining {
                *n -= 1;
            }
        }
        decision
    }
}

fn rules(faults: Vec<Fault>) -> Vec<Rule> {
    faults
        .into_iter()
        .map(|fault| Rule {
            remaining: fault.count,
            fault,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_every_kind_and_refuse_unknown_ones() {
        let json = br#"{"faults": [
            {"kind": "latency", "ms": 5},
            {"kind": "http_500", "body": "x"},
            {"kind": "malformed_body", "path": "/a"},
            {"kind": "reset", "soap_action": "op", "count": 2},
            {"kind": "drop_response"}
        ]}"#;
        let faults = Faults::parse(json).unwrap();
        assert_eq!(faults.len(), 5);
        assert_eq!(faults[0].kind, FaultKind::Latency { ms: 5 });
        assert_eq!(
            faults[1].kind,
            FaultKind::Http500 {
                body: "x".into(),
                content_type: "text/xml; charset=utf-8".into()
            }
        );
        assert_eq!(faults[3].count, Some(2));
        assert!(Faults::parse(br#"{"faults": [{"kind": "explode"}]}"#).is_err());
        assert!(Faults::parse(br#"{"faults": [{"kind": "reset", "pth": "/"}]}"#).is_err());
    }

    #[test]
    fn limits_and_counts() {
        let mut faults = Faults::none();
        let mut reset = Fault::new(FaultKind::Reset);
        reset.soap_action = Some("op".into());
        reset.count = Some(1);
        let mut slow = Fault::new(FaultKind::Latency { ms: 7 });
        slow.path = Some("/a".into());
        faults.set(vec![slow, reset, Fault::new(FaultKind::MalformedBody)]);
        let d = faults.decide("/a", Some("op"));
        assert_eq!(d.latency, Duration::from_millis(7));
        assert_eq!(d.terminal, Some(FaultKind::Reset));
        // The reset is used up; the malformed body applies from now on.
        let d = faults.decide("/a", Some("op"));
        assert_eq!(d.terminal, Some(FaultKind::MalformedBody));
        let d = faults.decide("/b", None);
        assert_eq!(d.latency, Duration::ZERO);
        assert_eq!(d.terminal, Some(FaultKind::MalformedBody));
    }
}
