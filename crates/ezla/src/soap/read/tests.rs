use super::*;
use crate::ErrorCode;

const ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

fn body_of(xml: &str) -> Result<String, EnvelopeError> {
    let env = Envelope::parse(xml.as_bytes(), &ParseOptions::default()).expect("parses");
    match env.body()? {
        Body::Element(e) => Ok(format!("element {}", e.local_name())),
        Body::Fault(f) => Ok(format!("fault {f}")),
    }
}

fn wrap(inner: &str) -> String {
    format!("<s:Envelope xmlns:s=\"{ENV}\">{inner}</s:Envelope>")
}

#[test]
fn one_body_element_with_or_without_header() {
    let plain = wrap("<s:Body><r xmlns=\"urn:x\"/></s:Body>");
    assert_eq!(body_of(&plain).expect("test value"), "element r");
    let header = wrap("<s:Header><h/></s:Header>\n <s:Body>\n<r/>\n</s:Body>");
    assert_eq!(body_of(&header).expect("test value"), "element r");
}

#[test]
fn structure_is_refused_with_the_path() {
    let cases = [
        (wrap(""), "no Body", "/Envelope"),
        (wrap("<s:Body/>"), "Body holds 0 elements", "/Envelope/Body"),
        (
            wrap("<s:Body><a/><b/></s:Body>"),
            "Body holds 2",
            "/Envelope/Body",
        ),
        (wrap("<s:Body>x<a/></s:Body>"), "text", "/Envelope/Body"),
        (
            wrap("<s:Body><a/></s:Body><s:Body><a/></s:Body>"),
            "Header",
            "/Envelope/Body",
        ),
        (
            wrap("<s:Header/><s:Body><a/></s:Body><x/>"),
            "more than",
            "/Envelope",
        ),
        (wrap("<s:Header/>"), "no Body", "/Envelope/Header"),
        (
            "<Envelope><Body><a/></Body></Envelope>".into(),
            "not a SOAP 1.1",
            "/Envelope",
        ),
        (
            "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"/>".into(),
            "SOAP 1.2",
            "/Envelope",
        ),
    ];
    for (xml, detail, path) in cases {
        let e = body_of(&xml).expect_err(&xml);
        assert!(e.detail.contains(detail), "{xml}: {e}");
        assert_eq!(e.path, path, "{xml}");
    }
}

#[test]
fn fault_fields_verbatim() {
    let xml = wrap(
        "<s:Body><s:Fault><faultcode>s:Server</faultcode>\
         <faultstring>Brak sesji &amp; co\u{105}</faultstring><faultactor>esb</faultactor>\
         <detail><z:info xmlns:z=\"urn:z\">kod 7</z:info> tail</detail></s:Fault></s:Body>",
    );
    let env = Envelope::parse(xml.as_bytes(), &ParseOptions::default()).expect("test value");
    let Ok(Body::Fault(f)) = env.body() else {
        panic!("a fault")
    };
    assert_eq!(f.code, "s:Server");
    assert_eq!(f.string, "Brak sesji & co\u{105}");
    assert_eq!(f.actor.as_deref(), Some("esb"));
    assert_eq!(
        f.detail.as_deref(),
        Some("<z:info xmlns:z=\"urn:z\">kod 7</z:info> tail")
    );
    let minimal =
        wrap("<s:Body><s:Fault><s:faultcode>c</s:faultcode><faultstring/></s:Fault></s:Body>");
    assert_eq!(
        body_of(&minimal).expect("test value"),
        "fault faultcode \"c\", faultstring \"\""
    );
    for bad in [
        "<s:Fault><faultstring>x</faultstring></s:Fault>",
        "<s:Fault><faultcode>x</faultcode></s:Fault>",
        "<s:Fault><faultcode>x</faultcode><faultcode>y</faultcode><faultstring/></s:Fault>",
        "<s:Fault><faultcode>x</faultcode><faultstring/><other/></s:Fault>",
        "<s:Fault xmlns:o=\"urn:o\"><o:faultcode>x</o:faultcode><faultstring/></s:Fault>",
    ] {
        assert!(
            body_of(&wrap(&format!("<s:Body>{bad}</s:Body>"))).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn xml_errors_come_from_the_parser() {
    let dtd = "<!DOCTYPE x [<!ENTITY a \"b\">]><x/>";
    let e = Envelope::parse(dtd.as_bytes(), &ParseOptions::default()).expect_err("refused");
    assert_eq!(e.code(), ErrorCode::XmlDtdForbidden);
    let e = Envelope::parse(b"<a><b></a>", &ParseOptions::default()).expect_err("refused");
    assert_eq!(e.code(), ErrorCode::XmlMalformed);
}
