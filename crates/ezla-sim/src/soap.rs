//! SOAP 1.1 as the simulator reads and writes it: its own small code, not the client's, so
//! that the two are checked against each other and against the WSDL (`schema`).

use ezla::xml::{Document, Element, ParseOptions, Writer};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// A SOAP Fault to answer with (HTTP 500).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// `Client` (the request is wrong) or `Server`.
    pub code: &'static str,
    /// The faultstring.
    pub string: String,
    /// The detail text, if any.
    pub detail: Option<String>,
}

impl Fault {
    /// A fault blaming the request.
    pub fn client(string: impl Into<String>) -> Self {
        Fault {
            code: "Client",
            string: string.into(),
            detail: None,
        }
    }

    /// A fault blaming the server.
    pub fn server(string: impl Into<String>) -> Self {
        Fault {
            code: "Server",
            string: string.into(),
            detail: None,
        }
    }

    /// The same fault with a detail.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The envelope.
    pub fn to_xml(&self) -> Vec<u8> {
        let mut w = Writer::compact();
        w.declaration(None);
        w.start("soapenv:Envelope").ns("soapenv", SOAP_ENV).open();
        w.open("soapenv:Body");
        w.open("soapenv:Fault");
        w.leaf("faultcode", &format!("soapenv:{}", self.code));
        w.leaf("faultstring", &self.string);
        if let Some(detail) = &self.detail {
            w.open("detail");
            w.leaf("opis", detail);
            w.end();
        }
        w.finish().into_bytes()
    }
}

/// The limits the simulator parses requests under: the core's defaults (a signed e-ZLA pair
/// is a few tens of KiB).
pub fn parse(body: &[u8]) -> Result<Document<'_>, Fault> {
    Document::parse_bytes_with(body, &ParseOptions::default())
        .map_err(|e| Fault::client(format!("the request is not XML the simulator reads: {e}")))
}

/// The operation element of a request: the one element child of `soapenv:Body`.
pub fn operation<'d, 'a>(doc: &'d Document<'a>) -> Result<Element<'d, 'a>, Fault> {
    let root = doc.root();
    if !root.is(SOAP_ENV, "Envelope") {
        return Err(Fault::client(format!(
            "the request is not a SOAP 1.1 envelope: the document element is {{{}}}{}",
            root.namespace().unwrap_or(""),
            root.local_name()
        )));
    }
    let mut bodies = root.children().filter(|c| c.is(SOAP_ENV, "Body"));
    let body = bodies
        .next()
        .ok_or_else(|| Fault::client("the envelope has no soapenv:Body"))?;
    if bodies.next().is_some() {
        return Err(Fault::client("the envelope has two soapenv:Body elements"));
    }
    let mut ops = body.children();
    let op = ops
        .next()
        .ok_or_else(|| Fault::client("soapenv:Body is empty"))?;
    if ops.next().is_some() {
        return Err(Fault::client(
            "soapenv:Body holds more than one element (document/literal: one operation)",
        ));
    }
    Ok(op)
}

/// A successful response: `<ns:{operation}Response>` in `namespace` with unqualified
/// children written by `content`.
pub fn response(namespace: &str, operation: &str, content: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::compact();
    w.declaration(None);
    w.start("soapenv:Envelope").ns("soapenv", SOAP_ENV).open();
    w.open("soapenv:Body");
    w.start(&format!("ns:{operation}Response"))
        .ns("ns", namespace)
        .open();
    content(&mut w);
    w.finish().into_bytes()
}

/// The text of the unqualified child `name`, if present.
pub fn child_text(el: &Element<'_, '_>, name: &str) -> Option<String> {
    el.child("", name).map(|c| c.text())
}
