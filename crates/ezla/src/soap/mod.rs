//! SOAP 1.1 envelopes, *sans-IO*: writing a request around a body element, and reading a
//! response down to its one body element or its Fault.
//!
//! Only the envelope is here: the body's content belongs to the protocol that uses it (the
//! ZUS channel in `zus`, login.gov.pl's `ArtifactResolve` later), and this module knows
//! nothing about either. Responses are parsed with the project's one parser and its limits
//! ([`ParseOptions`](crate::xml::ParseOptions)): no DTDs, no entities.
//!
//! ```
//! use ezla::soap;
//! let request = soap::write_request("urn:example", "ping", |w| w.leaf("Id", "1 < 2"));
//! assert!(request.contains("<soapenv:Body><ns:ping xmlns:ns=\"urn:example\"><Id>1 &lt; 2</Id>"));
//!
//! let envelope = soap::Envelope::parse(request.as_bytes(), &Default::default())?;
//! match envelope.body() {
//!     Ok(soap::Body::Element(ping)) => assert!(ping.is("urn:example", "ping")),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), ezla::Error>(())
//! ```

mod read;
mod write;

pub use crate::error::SoapFault as Fault;
pub use read::{Body, Envelope, EnvelopeError};
pub use write::write_request;

/// The SOAP 1.1 envelope namespace.
pub const ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The SOAP 1.2 envelope namespace: recognised only to refuse it with a clear message.
pub const ENVELOPE_NS_12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The `Content-Type` of a SOAP 1.1 request.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";
