//! The request and response a [`Transport`](super::Transport) carries.

/// An HTTP POST to send.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// The absolute `http` or `https` URL.
    pub url: String,
    /// The `Content-Type` of the body (e.g. `text/xml; charset=utf-8` for SOAP 1.1).
    pub content_type: String,
    /// More headers, e.g. `SOAPAction`. `Content-Type`, `Content-Length`, `Host`,
    /// `Authorization` (from the configuration) and `Transfer-Encoding` are set by the
    /// transport and must not be given here.
    pub headers: Vec<(String, String)>,
    /// The body, sent with `Content-Length`.
    pub body: Vec<u8>,
}

impl Request {
    /// A POST of `body` to `url`.
    pub fn post(url: impl Into<String>, content_type: impl Into<String>, body: Vec<u8>) -> Self {
        Request {
            url: url.into(),
            content_type: content_type.into(),
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// An HTTP response, whatever its status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type`, if the server sent one.
    pub content_type: Option<String>,
    /// Every response header, names in lower case, values decoded lossily as UTF-8.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with `status`, an optional content type, no other headers, and `body`.
    pub fn new(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type: content_type.map(str::to_string),
            headers: content_type
                .map(|c| vec![("content-type".to_string(), c.to_string())])
                .unwrap_or_default(),
            body,
        }
    }

    /// The first value of the header `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
