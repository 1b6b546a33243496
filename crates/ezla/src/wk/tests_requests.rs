//! Our requests: the AuthnRequest against the genuine one accepted by login.gov.pl and
//! against `xmlsec1`; the ArtifactResolve and LogoutRequest; the metadata.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use time::macros::datetime;

use super::tests::test_config;
use super::*;
use crate::dsig::{KeySelection, Verifier};
use crate::transport::{MemoryTransport, Response, Transport};
use crate::xml::{Document, Element};

/// Attributes whose values differ per request or per SP; everything else must be equal.
const VARIABLE_ATTRIBUTES: [&str; 5] = [
    "ID",
    "IssueInstant",
    "URI",
    "AssertionConsumerServiceURL",
    "ProviderName",
];
/// Elements whose text differs per request or per SP.
const VARIABLE_TEXT: [&str; 6] = [
    "Issuer",
    "DigestValue",
    "SignatureValue",
    "X509Certificate",
    "NameID",
    "SessionIndex",
];

/// Compares two elements recursively: names, namespaces, attribute names and (fixed) values,
/// the order of child elements, and non-blank text outside [`VARIABLE_TEXT`].
fn same_structure(ours: Element<'_, '_>, theirs: Element<'_, '_>, diffs: &mut Vec<String>) {
    let at = theirs.path();
    if ours.namespace() != theirs.namespace() || ours.local_name() != theirs.local_name() {
        diffs.push(format!(
            "{at}: {:?}:{} instead of {:?}:{}",
            ours.namespace(),
            ours.local_name(),
            theirs.namespace(),
            theirs.local_name()
        ));
        return;
    }
    let attributes = |e: Element<'_, '_>| -> BTreeMap<(String, String), String> {
        e.node
            .attributes()
            .map(|a| {
                (
                    (
                        a.namespace().unwrap_or("").to_string(),
                        a.name().to_string(),
                    ),
                    a.value().to_string(),
                )
            })
            .collect()
    };
    let (a, b) = (attributes(ours), attributes(theirs));
    if a.keys().ne(b.keys()) {
        diffs.push(format!(
            "{at}: attributes {:?} instead of {:?}",
            a.keys(),
            b.keys()
        ));
    }
    for (name, value) in &b {
        if !VARIABLE_ATTRIBUTES.contains(&name.1.as_str()) && a.get(name) != Some(value) {
            diffs.push(format!(
                "{at}/@{}: {:?} instead of {value:?}",
                name.1,
                a.get(name)
            ));
        }
    }
    let text = |e: Element<'_, '_>| -> String {
        e.node
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<String>()
            .trim()
            .to_string()
    };
    if !VARIABLE_TEXT.contains(&theirs.local_name()) && text(ours) != text(theirs) {
        diffs.push(format!(
            "{at}: text {:?} instead of {:?}",
            text(ours),
            text(theirs)
        ));
    }
    let (oc, tc): (Vec<_>, Vec<_>) = (ours.children().collect(), theirs.children().collect());
    if oc.len() != tc.len() {
        diffs.push(format!(
            "{at}: {} children instead of {}",
            oc.len(),
            tc.len()
        ));
    }
    for (o, t) in oc.into_iter().zip(tc) {
        same_structure(o, t, diffs);
    }
}

/// The namespace prefixes declared on an element, with their URIs.
fn declared(e: Element<'_, '_>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = e
        .node
        .namespaces()
        .filter(|n| n.name().is_some())
        .map(|n| (n.name().unwrap_or("").to_string(), n.uri().to_string()))
        .collect();
    out.sort();
    out
}

fn genuine(name: &str) -> Option<String> {
    let dir = crate::test_support::vectors_dir()?.join("wk/int-pz-2025");
    Some(std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn tool_present(program: &str) -> bool {
    match Command::new(program).arg("--version").output() {
        Ok(_) => true,
        Err(_) if std::env::var_os("EZLA_REQUIRE_TOOLS").is_none() => {
            println!("NOTICE: {program} not found; skipping the check it performs");
            false
        }
        Err(e) => panic!("{program} is required (EZLA_REQUIRE_TOOLS is set): {e}"),
    }
}

/// `xmlsec1 --verify` with only the SP certificate's key, `ID` registered as the ID of `node`.
fn xmlsec_verifies(xml: &[u8], cert_pem: &str, node: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("ezla-wk-{}-{node}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (doc, cert) = (dir.join("message.xml"), dir.join("cert.pem"));
    std::fs::write(&doc, xml).map_err(|e| e.to_string())?;
    std::fs::write(&cert, cert_pem).map_err(|e| e.to_string())?;
    let out = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-cert-pem")
        .arg(&cert)
        .arg("--id-attr:ID")
        .arg(format!("urn:oasis:names:tc:SAML:2.0:protocol:{node}"))
        .arg(&doc)
        .output()
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

const NOW: time::OffsetDateTime = datetime!(2026-12-04 12:00 UTC);

#[test]
fn authn_request_has_the_structure_of_the_accepted_one() {
    let (config, _, _) = test_config();
    let request = authn_request::build(&config, NOW).expect("build");
    let xml = std::str::from_utf8(&request.xml).expect("utf-8");
    let doc = Document::parse(xml).expect("parse");
    let ours = Element::new(doc.root_element()).expect("root");
    // Our own verifier, with the SP key pinned.
    let verified = Verifier::new(KeySelection::Pinned(
        config.keys.signing_certificate.public_key().clone(),
    ))
    .verify_enveloped(&doc)
    .expect("verifies");
    assert_eq!(verified.references[0].uri, format!("#{}", request.id));
    assert!(request.id.starts_with("ID-") && request.id.len() == 39);
    assert!(xml.contains("IssueInstant=\"2026-12-04T12:00:00Z\""));
    assert!(xml.contains("ProviderName=\"sp_example\""));
    assert!(!xml.contains('\n'), "compact, one line");

    let Some(text) = genuine("authn-request.signed.xml") else {
        return;
    };
    let theirs_doc = Document::parse(&text).expect("parse genuine");
    let theirs = Element::new(theirs_doc.root_element()).expect("root");
    let mut diffs = Vec::new();
    same_structure(ours, theirs, &mut diffs);
    assert!(
        diffs.is_empty(),
        "differences from the accepted request:\n{}",
        diffs.join("\n")
    );
    assert_eq!(
        declared(ours),
        declared(theirs),
        "namespace declarations on the root"
    );
}

#[test]
fn authn_request_verifies_with_xmlsec1() {
    if !tool_present("xmlsec1") {
        return;
    }
    let (config, _, _) = test_config();
    let request = authn_request::build(&config, NOW).expect("build");
    let pem = config.keys.signing_certificate.to_pem();
    xmlsec_verifies(&request.xml, &pem, "AuthnRequest").expect("xmlsec1 accepts our request");
    // A changed byte is refused (the check is not vacuous).
    let tampered = String::from_utf8(request.xml.clone())
        .expect("utf-8")
        .replace("LoA/substantial", "LoA/low");
    assert!(xmlsec_verifies(tampered.as_bytes(), &pem, "AuthnRequest").is_err());
}

#[test]
fn html_form_posts_base64_and_escapes() {
    let (mut config, _, _) = test_config();
    config.endpoints.sso = "https://wk.example/sso?a=1&b=\"2\"".into();
    let request = authn_request::build_with(&config, "ID-x1", "r<&>\"", NOW).expect("build");
    let form = request.html_form();
    assert!(
        form.contains("action=\"https://wk.example/sso?a=1&amp;b=&quot;2&quot;\""),
        "{form}"
    );
    assert!(
        form.contains("name=\"RelayState\" value=\"r&lt;&amp;&gt;&quot;\""),
        "{form}"
    );
    let value = request.saml_request();
    assert!(form.contains(&format!("name=\"SAMLRequest\" value=\"{value}\"")));
    let decoded = crate::xml::base64::decode("SAMLRequest", &value).expect("base64");
    assert_eq!(decoded, request.xml, "base64 of the XML, not deflated");
    let pending = request.pending();
    assert_eq!(pending.request_id, "ID-x1");
    assert_eq!(pending.expires, NOW + config.request_lifetime);
    // Destination apart from the POST target.
    let mut config2 = config.clone();
    config2.endpoints.destination = "https://login.gov.pl/login/SingleSignOnService".into();
    let r2 = authn_request::build_with(&config2, "ID-x2", "r", NOW).expect("build");
    let xml = String::from_utf8(r2.xml).expect("utf-8");
    assert!(xml.contains("Destination=\"https://login.gov.pl/login/SingleSignOnService\""));
    assert_eq!(r2.sso_url, config.endpoints.sso);
}

#[test]
fn artifact_resolve_goes_through_the_transport_as_the_wsdl_says() {
    let (config, _, _) = test_config();
    let resolve = artifact::build_with(
        &config,
        "ID-res1",
        "AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=",
        NOW,
    )
    .expect("build");
    let transport = MemoryTransport::new(|_| Ok(Response::new(200, Some("text/xml"), Vec::new())));
    transport
        .post(&resolve.request(&config.endpoints.artifact_resolution))
        .expect("post");
    let sent = transport.requests().pop().expect("one request");
    assert_eq!(
        sent.url,
        "https://int-podmiotyzewnetrzne.login.gov.pl/login-services/idpArtifactResolutionService"
    );
    assert_eq!(sent.content_type, "text/xml; charset=utf-8");
    assert_eq!(
        sent.headers,
        [("SOAPAction".to_string(), "\"\"".to_string())]
    );
    let envelope = crate::soap::Envelope::parse(&sent.body, &Default::default()).expect("soap");
    let body = match envelope.body().expect("body") {
        crate::soap::Body::Element(e) => e,
        other => panic!("{other:?}"),
    };
    assert!(body.is(ns::SAMLP, "ArtifactResolve"));
    let names: Vec<&str> = body.children().map(|c| c.local_name()).collect();
    assert_eq!(names, ["Issuer", "Signature", "Artifact"]);
    assert_eq!(
        body.child(ns::SAMLP, "Artifact")
            .map(|a| a.text())
            .as_deref(),
        Some("AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=")
    );
    let signature = body
        .child(crate::dsig::DSIG_NS, "Signature")
        .expect("signature");
    let verified = Verifier::new(KeySelection::Pinned(
        config.keys.signing_certificate.public_key().clone(),
    ))
    .verify(envelope.document(), signature)
    .expect("verifies");
    verified
        .require_covers(&body)
        .expect("covers the ArtifactResolve");
    if tool_present("xmlsec1") {
        xmlsec_verifies(
            &sent.body,
            &config.keys.signing_certificate.to_pem(),
            "ArtifactResolve",
        )
        .expect("xmlsec1");
    }
}

#[test]
fn logout_request_has_the_structure_of_the_genuine_one() {
    let (config, _, _) = test_config();
    let request =
        logout::build_with(&config, "ID-lo1", "80072118364", "ID-f9fac86a", NOW).expect("build");
    let envelope =
        crate::soap::Envelope::parse(&request.envelope, &Default::default()).expect("soap");
    let ours = match envelope.body().expect("body") {
        crate::soap::Body::Element(e) => e,
        other => panic!("{other:?}"),
    };
    if tool_present("xmlsec1") {
        xmlsec_verifies(
            &request.envelope,
            &config.keys.signing_certificate.to_pem(),
            "LogoutRequest",
        )
        .expect("xmlsec1");
    }
    let Some(text) = genuine("logout-request.signed.xml") else {
        return;
    };
    let theirs_doc = Document::parse(&text).expect("genuine");
    let theirs = Element::new(theirs_doc.root_element()).expect("root");
    let mut diffs = Vec::new();
    same_structure(ours, theirs, &mut diffs);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn logout_response_checks() {
    let (config, wk, wk_cert) = test_config();
    let issuer = config.endpoints.issuer.clone();
    let keys = config.wk_keys();
    let write = |status: &SamlStatus, irt: &str, signed: bool| -> Vec<u8> {
        let mut w = crate::xml::Writer::compact();
        w.start("saml2p:LogoutResponse")
            .ns("saml2p", ns::SAMLP)
            .ns("saml2", ns::SAML)
            .ns("ds", ns::DSIG)
            .ns("xenc", ns::XENC)
            .attr("ID", "ID-lr1")
            .attr("InResponseTo", irt)
            .attr("IssueInstant", "2026-12-04T12:00:00.000Z")
            .attr("Version", "2.0")
            .open();
        w.leaf("saml2:Issuer", &issuer);
        let xml = w.finish();
        let xml = xml.replace(
            "</saml2p:LogoutResponse>",
            &format!(
                "<saml2p:Status><saml2p:StatusCode Value=\"{}\"/></saml2p:Status></saml2p:LogoutResponse>",
                status.top
            ),
        );
        let bytes = if signed {
            emulate::sign(&wk, &wk_cert, &xml, "ID-lr1").expect("sign")
        } else {
            xml.into_bytes()
        };
        emulate::soap_envelope(&bytes)
    };
    let ok = emulate::success();
    logout::check_logout_response(&write(&ok, "ID-lo1", true), "ID-lo1", &issuer, &keys, true)
        .expect("signed success");
    logout::check_logout_response(
        &write(&ok, "ID-lo1", false),
        "ID-lo1",
        &issuer,
        &keys,
        false,
    )
    .expect("unsigned success accepted when not required");
    let code = |r: crate::Result<()>| r.expect_err("must fail").code();
    assert_eq!(
        code(logout::check_logout_response(
            &write(&ok, "ID-lo1", false),
            "ID-lo1",
            &issuer,
            &keys,
            true
        )),
        crate::ErrorCode::SignatureMissing
    );
    assert_eq!(
        code(logout::check_logout_response(
            &write(&ok, "ID-x", true),
            "ID-lo1",
            &issuer,
            &keys,
            true
        )),
        crate::ErrorCode::SamlInResponseToMismatch
    );
    let denied = SamlStatus {
        top: "urn:oasis:names:tc:SAML:2.0:status:Requester".into(),
        second: None,
        message: None,
    };
    assert_eq!(
        code(logout::check_logout_response(
            &write(&denied, "ID-lo1", true),
            "ID-lo1",
            &issuer,
            &keys,
            true
        )),
        crate::ErrorCode::SamlStatus
    );
}

#[test]
fn metadata_names_both_certificates_and_the_acs() {
    let (config, _, _) = test_config();
    let xml = metadata::sp_metadata(&config);
    let doc = Document::parse(&xml).expect("parse");
    let root = Element::new(doc.root_element()).expect("root");
    assert!(root.is(ns::MD, "EntityDescriptor"));
    assert_eq!(root.attribute("entityID"), Some("sp.example"));
    let sp = root
        .child(ns::MD, "SPSSODescriptor")
        .expect("SPSSODescriptor");
    let uses: Vec<&str> = sp
        .children()
        .filter(|c| c.is(ns::MD, "KeyDescriptor"))
        .filter_map(|c| c.attribute("use"))
        .collect();
    assert_eq!(uses, ["signing", "encryption"]);
    let acs = sp.child(ns::MD, "AssertionConsumerService").expect("acs");
    assert_eq!(acs.attribute("Location"), Some("https://sp.example/acs"));
    assert_eq!(acs.attribute("Binding"), Some(authn_request::HTTP_ARTIFACT));
    if tool_present("xmllint") {
        let path = std::env::temp_dir().join(format!("ezla-wk-md-{}.xml", std::process::id()));
        std::fs::write(&path, &xml).expect("write");
        let ok = Command::new("xmllint")
            .arg("--noout")
            .arg(&path)
            .status()
            .expect("xmllint");
        let _ = std::fs::remove_file(Path::new(&path));
        assert!(ok.success());
    }
}
