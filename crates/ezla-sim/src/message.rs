//! The request a [`Handler`](crate::Handler) sees and the response it gives.

use std::net::SocketAddr;

/// A request as received, body complete.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SimRequest {
    /// The method (`POST`, `GET`, ...).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query (after `?`), if any.
    pub query: Option<String>,
    /// Every header in the order received, names in lower case, values lossily decoded.
    pub headers: Vec<(String, String)>,
    /// The body (empty when none was sent).
    pub body: Vec<u8>,
    /// The client's address.
    pub peer: SocketAddr,
    /// Whether the request came over TLS.
    pub tls: bool,
    /// Whether a `drop_response` fault matched this request: the handler is called as
    /// usual, then the response is dropped and the connection reset (a send whose outcome
    /// the client cannot know).
    pub response_will_be_dropped: bool,
    /// Whether an `expire_session` fault matched this request: the handler ends the
    /// request's session before answering it.
    pub expire_session: bool,
}

impl SimRequest {
    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the header `name` (case-insensitive).
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `SOAPAction` header without its quotes, if sent.
    pub fn soap_action(&self) -> Option<&str> {
        self.header("soapaction")
            .map(|a| a.trim().trim_matches('"'))
    }
}

/// A response to send.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SimResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers besides `Content-Length` (which the server sets).
    pub headers: Vec<(String, String)>,
    /// The body, sent with `Content-Length`.
    pub body: Vec<u8>,
    /// Send nothing and reset the connection instead (the handler's own "drop the
    /// response" hook).
    pub drop: bool,
}

/// The content type of SOAP 1.1 messages.
pub const SOAP11_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

impl SimResponse {
    /// A response with `status`, a content type and a body.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        SimResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            drop: false,
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, text: &str) -> Self {
        SimResponse::new(status, "text/plain; charset=utf-8", text.as_bytes())
    }

    /// No response at all: the connection is reset after the handler returns.
    pub fn dropped() -> Self {
        SimResponse {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            drop: true,
        }
    }

    /// A SOAP 1.1 Fault (HTTP 500, `text/xml; charset=utf-8`) with `faultcode` (e.g.
    /// `soap:Server`) and `faultstring`, both escaped.
    pub fn soap_fault(faultcode: &str, faultstring: &str) -> Self {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\
             <soap:Body><soap:Fault><faultcode>{}</faultcode><faultstring>{}</faultstring>\
             </soap:Fault></soap:Body></soap:Envelope>",
            escape(faultcode),
            escape(faultstring)
        );
        SimResponse::new(500, SOAP11_CONTENT_TYPE, body)
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// XML text escaping for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soap_fault_is_http_500_soap11_and_escaped() {
        let r = SimResponse::soap_fault("soap:Server", "a <b> & c");
        assert_eq!(r.status, 500);
        assert_eq!(
            r.headers,
            vec![("Content-Type".to_string(), SOAP11_CONTENT_TYPE.to_string())]
        );
        let body = String::from_utf8(r.body).unwrap();
        assert!(
            body.contains("<faultstring>a &lt;b&gt; &amp; c</faultstring>"),
            "{body}"
        );
        assert!(body.contains("http://schemas.xmlsoap.org/soap/envelope/"));
    }
}
