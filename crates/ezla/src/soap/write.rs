//! Writing a SOAP 1.1 request envelope.

use super::ENVELOPE_NS;
use crate::xml::Writer;

/// A SOAP 1.1 request: the XML declaration, `soapenv:Envelope`, and `soapenv:Body`
/// holding one body element `ns:<operation>` in `body_ns`, whose content `content` writes.
///
/// The body element is written with the prefix `ns` and no default namespace is declared,
/// so the elements `content` writes without a prefix are in no namespace: the
/// *unqualified* local elements of a schema without `elementFormDefault` (as document/literal
/// WSDLs such as ZUS's have). The output is compact (no whitespace between tags).
pub fn write_request(body_ns: &str, operation: &str, content: impl FnOnce(&mut Writer)) -> String {
    let mut w = Writer::compact();
    w.declaration(None);
    w.start("soapenv:Envelope")
        .ns("soapenv", ENVELOPE_NS)
        .open();
    w.open("soapenv:Body");
    let name = format!("ns:{operation}");
    w.start(&name).ns("ns", body_ns).open();
    content(&mut w);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_shape() {
        let xml = write_request("urn:x", "op", |w| {
            w.leaf("A", "&");
            w.empty("B");
        });
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
             xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>\
             <ns:op xmlns:ns=\"urn:x\"><A>&amp;</A><B/></ns:op></soapenv:Body></soapenv:Envelope>"
        );
        let empty = write_request("urn:x", "op", |_| {});
        assert!(empty.contains("<ns:op xmlns:ns=\"urn:x\"></ns:op>"));
    }
}
