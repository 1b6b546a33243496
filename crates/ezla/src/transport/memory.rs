//! An in-memory transport for tests.

use std::fmt;
use std::sync::Mutex;

use super::{Request, Response, Transport};
use crate::Result;

type Responder = dyn Fn(&Request) -> Result<Response> + Send + Sync;

/// A [`Transport`] that answers every request with a closure and remembers the requests.
///
/// ```
/// use ezla::transport::{MemoryTransport, Request, Response, Transport};
///
/// let transport = MemoryTransport::new(|request| {
///     Ok(Response::new(200, Some("text/plain"), request.body.clone()))
/// });
/// let response = transport.post(&Request::post("http://x.invalid/", "text/plain", b"hi".to_vec()))?;
/// assert_eq!(response.body, b"hi");
/// assert_eq!(transport.requests().len(), 1);
/// # Ok::<(), ezla::Error>(())
/// ```
pub struct MemoryTransport {
    responder: Box<Responder>,
    requests: Mutex<Vec<Request>>,
}

impl MemoryTransport {
    /// A transport answering with `responder`.
    pub fn new(responder: impl Fn(&Request) -> Result<Response> + Send + Sync + 'static) -> Self {
        MemoryTransport {
            responder: Box::new(responder),
            requests: Mutex::new(Vec::new()),
        }
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        match self.requests.lock() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl Transport for MemoryTransport {
    fn post(&self, request: &Request) -> Result<Response> {
        match self.requests.lock() {
            Ok(mut r) => r.push(request.clone()),
            Err(poisoned) => poisoned.into_inner().push(request.clone()),
        }
        (self.responder)(request)
    }

    /// Answers a GET as a request with an empty body and no content type.
    fn get(&self, url: &str) -> Result<Response> {
        self.post(&Request::post(url, "", Vec::new()))
    }
}

impl fmt::Debug for MemoryTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTransport")
            .field("requests", &self.requests().len())
            .finish_non_exhaustive()
    }
}
