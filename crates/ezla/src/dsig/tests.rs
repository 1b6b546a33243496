//! Signing and verification round trips, and the attacks that must fail.

use std::sync::OnceLock;

use super::*;
use crate::ErrorCode;
use crate::crypto::{DigestAlgorithm, KeySpec, PrivateKey, SignatureAlgorithm, Signer};
use crate::xml::base64::encode as encode_base64;
use crate::xml::c14n::{Canonicalizer, Method};
use crate::xml::{Document, Element};

fn rsa() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(KeySpec::Rsa2048).expect("rsa"))
}

fn ec() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(KeySpec::EcP256).expect("ec"))
}

const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" wersja_schematu="1">
  <ZUSZLA id_dokumentu="1" kolejnosc="0">
    <II><p1>68071892605</p1><p2>Filip &amp; syn</p2></II>
  </ZUSZLA>
</KEDU>
"#;

fn pinned(key: &PrivateKey) -> Verifier {
    Verifier::new(KeySelection::Pinned(key.public_key().clone()))
}

fn sign(doc: &str, spec: &SignatureSpec, key: &PrivateKey) -> String {
    let out = sign_enveloped(doc.as_bytes(), spec, key, &SignOptions::default()).expect("sign");
    String::from_utf8(out).expect("utf8")
}

fn polish_spec(digest: DigestAlgorithm, key: &PrivateKey) -> SignatureSpec {
    let mut spec = SignatureSpec::enveloped(key.kind(), digest);
    spec.canonicalization = Canonicalizer::new(Method::Inclusive10);
    spec.references = vec![ReferenceSpec::new(
        "",
        vec![TransformSpec::XPathNotSignature],
        digest,
    )];
    spec
}

fn code(result: crate::Result<impl std::fmt::Debug>) -> ErrorCode {
    result.expect_err("must fail").code()
}

#[test]
fn enveloped_round_trips_on_every_algorithm() {
    for key in [rsa(), ec()] {
        for &digest in &[
            DigestAlgorithm::Sha224,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            for spec in [
                SignatureSpec::enveloped(key.kind(), digest),
                polish_spec(digest, key),
            ] {
                let signed = sign(DOC, &spec, key);
                let doc = Document::parse(&signed).expect("parse");
                let verified = pinned(key).verify_enveloped(&doc).expect("verify");
                assert_eq!(verified.algorithm, spec.algorithm);
                assert_eq!(verified.references[0].digest, digest);
                assert_eq!(verified.signer.trust, Trust::Pinned);
                let root = Element::new(doc.tree().root_element()).expect("root");
                assert!(verified.covers(&root));
                assert!(!verified.covers(&verified.signature));
            }
        }
    }
}

#[test]
fn signing_splices_without_reserialising() {
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    let start = signed.find("<ds:Signature").expect("start");
    let end = signed.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
    assert_eq!(format!("{}{}", &signed[..start], &signed[end..]), DOC);
    assert!(signed[end..].starts_with("</KEDU>"));
    // A self-closing document element is opened up.
    let signed = sign(
        "<a x='1'/>",
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    assert!(
        signed.starts_with("<a x='1'><ds:Signature") && signed.ends_with("</ds:Signature></a>")
    );
    pinned(rsa())
        .verify_enveloped(&Document::parse(&signed).expect("parse"))
        .expect("verify");
}

#[test]
fn both_backends_verify() {
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(ec().kind(), DigestAlgorithm::Sha256),
        ec(),
    );
    let doc = Document::parse(&signed).expect("parse");
    for &backend in crate::crypto::Backend::ALL {
        pinned(ec())
            .with_policy(VerifyPolicy::default().with_backend(backend))
            .verify_enveloped(&doc)
            .expect("verify");
    }
}

#[test]
fn sha1_only_under_the_legacy_policy() {
    let mut spec = polish_spec(DigestAlgorithm::Sha1, rsa());
    spec.algorithm = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha1);
    let signed = sign(DOC, &spec, rsa());
    let doc = Document::parse(&signed).expect("parse");
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&doc)),
        ErrorCode::Unsupported
    );
    pinned(rsa())
        .with_policy(VerifyPolicy::legacy())
        .verify_enveloped(&doc)
        .expect("legacy");
}

#[test]
fn keys_from_key_info() {
    let mut spec = SignatureSpec::enveloped(ec().kind(), DigestAlgorithm::Sha256);
    spec.key_info.key_value = true;
    let signed = sign(DOC, &spec, ec());
    let doc = Document::parse(&signed).expect("parse");
    let v = Verifier::new(KeySelection::EmbeddedUntrusted)
        .verify_enveloped(&doc)
        .expect("verify");
    assert_eq!(v.signer.trust, Trust::Untrusted);
    assert_eq!(&v.signer.public_key, ec().public_key());
    // Without KeyInfo there is nothing to verify with.
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(ec().kind(), DigestAlgorithm::Sha256),
        ec(),
    );
    let doc = Document::parse(&signed).expect("parse");
    assert_eq!(
        code(Verifier::new(KeySelection::EmbeddedUntrusted).verify_enveloped(&doc)),
        ErrorCode::KeyNotFound
    );
}

#[test]
fn enveloping_signature_over_an_object() {
    let mut spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
    spec.references = vec![ReferenceSpec::new(
        "#obj",
        vec![TransformSpec::Canonicalize(Canonicalizer::new(
            Method::Exclusive10,
        ))],
        DigestAlgorithm::Sha256,
    )];
    spec.objects = vec![ObjectSpec {
        id: Some("obj".into()),
        content: "<data xmlns=\"urn:x\">payload</data>".into(),
    }];
    let signed = String::from_utf8(sign_enveloping(&spec, rsa()).expect("sign")).expect("utf8");
    let doc = Document::parse(&signed).expect("parse");
    let sig = find_signatures(&doc)[0];
    let v = pinned(rsa()).verify(&doc, sig).expect("verify");
    let object = sig.child(DSIG_NS, "Object").expect("object");
    v.require_covers(&object).expect("covers the object");
    assert_eq!(code(v.require_covers(&sig)), ErrorCode::ReferenceMismatch);
}

#[test]
fn tampering_is_detected() {
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    let altered = signed.replace("68071892605", "68071892606");
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&Document::parse(&altered).expect("parse"))),
        ErrorCode::DigestMismatch
    );
    let altered = signed.replace("xmldsig-more#rsa-sha256", "xmldsig-more#rsa-sha512");
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&Document::parse(&altered).expect("parse"))),
        ErrorCode::SignatureInvalid
    );
    // Another key.
    assert_eq!(
        code(pinned(ec()).verify_enveloped(&Document::parse(&signed).expect("parse"))),
        ErrorCode::SignatureInvalid
    );
}

#[test]
fn namespace_rebinding_breaks_the_digest() {
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    let altered = signed.replacen(
        "xmlns=\"http://www.zus.pl/2015/KED_ZLA_1\"",
        "xmlns=\"http://www.zus.pl/2015/KED_ZLA_2\"",
        1,
    );
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&Document::parse(&altered).expect("parse"))),
        ErrorCode::DigestMismatch
    );
}

#[test]
fn comments_cannot_split_what_a_reader_sees() {
    let doc = "<r><email>admin@example.com.evil.org</email></r>";
    let signed = sign(
        doc,
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    // The classic SAML trick: a comment inside the signed value keeps the digest intact...
    let altered = signed.replace(
        "admin@example.com.evil.org",
        "admin@example.com<!---->.evil.org",
    );
    let parsed = Document::parse(&altered).expect("parse");
    let verified = pinned(rsa())
        .verify_enveloped(&parsed)
        .expect("still verifies");
    // ...but ezla reads the whole text value, which is exactly what was signed.
    let root = Element::new(parsed.tree().root_element()).expect("root");
    let email = root.children().next().expect("email");
    assert!(verified.covers(&email));
    assert_eq!(email.text(), "admin@example.com.evil.org");
    // An entity reference splitting a value is refused outright.
    let entity = "<!DOCTYPE r [<!ENTITY x \"\">]><r>admin@example.com&x;.evil.org</r>";
    assert_eq!(code(Document::parse(entity)), ErrorCode::XmlDtdForbidden);
}

#[test]
fn wrapping_and_shadowing_fail() {
    // A signature over one element (by Id), as SAML does.
    let doc = r#"<r><a Id="x"><v>signed</v></a></r>"#;
    let mut spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
    spec.references[0].uri = "#x".into();
    let signed = sign(doc, &spec, rsa());
    let parsed = Document::parse(&signed).expect("parse");
    let sig = find_signatures(&parsed)[0];
    let v = pinned(rsa()).verify(&parsed, sig).expect("verify");
    let root = Element::new(parsed.tree().root_element()).expect("root");
    // The whole document is not covered: the caller asking for it is refused.
    assert_eq!(code(v.require_covers(&root)), ErrorCode::ReferenceMismatch);
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&parsed)),
        ErrorCode::ReferenceMismatch
    );

    // Shadowing: a second element with the same Id.
    let shadowed = signed.replacen("<r>", r#"<r><a Id="x"><v>evil</v></a>"#, 1);
    let parsed = Document::parse(&shadowed).expect("parse");
    let sig = find_signatures(&parsed)[0];
    assert_eq!(
        code(pinned(rsa()).verify(&parsed, sig)),
        ErrorCode::DuplicateId
    );

    // Moving the signed element elsewhere and putting unsigned data where the reader looks:
    // the signature still verifies over the moved copy, but it does not cover the element
    // the reader asks about.
    let moved = signed
        .replacen(r#"<a Id="x"><v>signed</v></a>"#, r#"<a><v>evil</v></a>"#, 1)
        .replacen(
            "</r>",
            r#"<wrapper><a Id="x"><v>signed</v></a></wrapper></r>"#,
            1,
        );
    let parsed = Document::parse(&moved).expect("parse");
    let sig = find_signatures(&parsed)[0];
    let v = pinned(rsa())
        .verify(&parsed, sig)
        .expect("the moved element still verifies");
    let root = Element::new(parsed.tree().root_element()).expect("root");
    let read_here = root.children().next().expect("first a");
    assert_eq!(read_here.text(), "evil");
    assert_eq!(
        code(v.require_covers(&read_here)),
        ErrorCode::ReferenceMismatch
    );
}

#[test]
fn a_second_signature_is_ambiguous() {
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    let mut opts = SignOptions::default();
    assert_eq!(
        code(sign_enveloped(
            signed.as_bytes(),
            &polish_spec(DigestAlgorithm::Sha256, ec()),
            ec(),
            &opts
        )),
        ErrorCode::AlreadySigned
    );
    opts.allow_existing_signatures = true;
    let twice = sign_enveloped(
        signed.as_bytes(),
        &polish_spec(DigestAlgorithm::Sha256, ec()),
        ec(),
        &opts,
    )
    .expect("co-sign");
    let parsed = Document::parse_bytes(&twice).expect("parse");
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&parsed)),
        ErrorCode::SignatureAmbiguous
    );
    // Each verifies with its own key when asked explicitly.
    let sigs = find_signatures(&parsed);
    assert_eq!(sigs.len(), 2);
    pinned(ec())
        .verify(&parsed, sigs[1])
        .expect("second (XPath excludes the first)");
    // The first signature used enveloped-signature, which leaves out only itself: the
    // co-signature added later breaks it, as the standard says.
    assert_eq!(
        code(pinned(rsa()).verify(&parsed, sigs[0])),
        ErrorCode::DigestMismatch
    );
}

#[test]
fn a_signature_moved_out_of_place_is_refused() {
    let signed = sign(DOC, &polish_spec(DigestAlgorithm::Sha256, rsa()), rsa());
    let start = signed.find("<ds:Signature").expect("start");
    let end = signed.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
    let sig = &signed[start..end];
    let without = format!("{}{}", &signed[..start], &signed[end..]);
    let moved = without.replacen("</II>", &format!("{sig}</II>"), 1);
    let parsed = Document::parse(&moved).expect("parse");
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&parsed)),
        ErrorCode::SignatureMalformed
    );
}

#[test]
fn unsupported_constructs_are_named() {
    let signed = sign(
        DOC,
        &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
        rsa(),
    );
    let hmac = signed.replace(
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    );
    let err = pinned(rsa())
        .verify_enveloped(&Document::parse(&hmac).expect("parse"))
        .expect_err("hmac");
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert!(err.to_string().contains("hmac-sha1"), "{err}");

    let polish = sign(DOC, &polish_spec(DigestAlgorithm::Sha256, rsa()), rsa());
    let other_xpath = polish.replace(
        "not(ancestor-or-self::ds:Signature)",
        "not(ancestor-or-self::ds:Signature) or self::node()",
    );
    let err = pinned(rsa())
        .verify_enveloped(&Document::parse(&other_xpath).expect("parse"))
        .expect_err("xpath");
    assert_eq!(err.code(), ErrorCode::Unsupported);

    let external = signed.replacen("URI=\"\"", "URI=\"http://example.org/doc.xml\"", 1);
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&Document::parse(&external).expect("parse"))),
        ErrorCode::Unsupported
    );
}

#[test]
fn hostile_input_is_refused_by_the_parser() {
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>";
    assert_eq!(code(Document::parse(laughs)), ErrorCode::XmlDtdForbidden);
    let xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    assert_eq!(code(Document::parse(xxe)), ErrorCode::XmlDtdForbidden);
    let deep = "<a>".repeat(10_000) + &"</a>".repeat(10_000);
    assert_eq!(code(Document::parse(&deep)), ErrorCode::XmlLimitExceeded);
    let big = format!("<a>{}</a>", "x".repeat(33 * 1024 * 1024));
    assert_eq!(code(Document::parse(&big)), ErrorCode::XmlLimitExceeded);
    assert_eq!(
        code(sign_enveloped(
            laughs.as_bytes(),
            &SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256),
            rsa(),
            &SignOptions::default()
        )),
        ErrorCode::XmlDtdForbidden
    );
}

#[test]
fn key_and_algorithm_must_fit() {
    let mut spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
    spec.algorithm = SignatureAlgorithm::Ecdsa(DigestAlgorithm::Sha256);
    assert_eq!(
        code(sign_enveloped(
            DOC.as_bytes(),
            &spec,
            rsa(),
            &SignOptions::default()
        )),
        ErrorCode::UnsupportedKey
    );
    let mut spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
    spec.id = Some("x".into());
    assert_eq!(
        code(sign_enveloped(
            br#"<r><a Id="x"/></r>"#,
            &spec,
            rsa(),
            &SignOptions::default()
        )),
        ErrorCode::InvalidArgument
    );
    let mut spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
    spec.references[0].transforms = vec![];
    assert_eq!(
        code(sign_enveloped(
            DOC.as_bytes(),
            &spec,
            rsa(),
            &SignOptions::default()
        )),
        ErrorCode::InvalidArgument
    );
}

/// A signer that names one key and signs with another (a token holding the wrong key), or
/// returns garbage.
#[derive(Debug)]
struct FaultySigner {
    named: &'static PrivateKey,
    garbage: bool,
}

impl Signer for FaultySigner {
    fn public_key(&self) -> &crate::crypto::PublicKey {
        self.named.public_key()
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> crate::Result<Vec<u8>> {
        if self.garbage {
            return Ok(vec![0x5a; 256]);
        }
        let other = PrivateKey::generate(KeySpec::Rsa2048)?;
        other.sign(algorithm, message)
    }
}

#[test]
fn a_signature_that_does_not_verify_never_leaves_the_signer() {
    let spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
    for garbage in [false, true] {
        let signer = FaultySigner {
            named: rsa(),
            garbage,
        };
        let err = sign_enveloped(DOC.as_bytes(), &spec, &signer, &SignOptions::default())
            .expect_err("a signature from another key must be refused");
        assert_eq!(err.code(), ErrorCode::SigningFailed, "{err}");
        assert!(err.to_string().contains("does not verify"), "{err}");
    }
    // The honest key still signs.
    sign(DOC, &spec, rsa());
}

/// Signs `body` (a document element with no signature) with a hand-built signature whose one
/// reference uses an XPath Filter 2.0 `subtract` filter with `expression`: ezla's signer does
/// not write Filter 2.0 transforms, so the test assembles SignedInfo itself and computes the
/// digest and value with the crate's own reference code and key. Without `digest`, the
/// DigestValue is left wrong (computing it would run the filter): the signature value still
/// verifies, so verification reaches the filter, which is what the budget tests need.
fn sign_with_filter2(body: &str, expression: &str, key: &PrivateKey, digest: bool) -> String {
    let close = body.rfind("</").expect("a closing tag");
    let template = |digest: &str, value: &str| {
        format!(
            "{}<ds:Signature xmlns:ds=\"{DSIG_NS}\"><ds:SignedInfo>\
             <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\
             <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>\
             <ds:Reference URI=\"\"><ds:Transforms>\
             <ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
             <ds:Transform Algorithm=\"http://www.w3.org/2002/06/xmldsig-filter2\">\
             <dsig-xpath:XPath xmlns:dsig-xpath=\"http://www.w3.org/2002/06/xmldsig-filter2\" Filter=\"subtract\">{expression}</dsig-xpath:XPath>\
             </ds:Transform></ds:Transforms>\
             <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\
             <ds:DigestValue>{digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>\
             <ds:SignatureValue>{value}</ds:SignatureValue></ds:Signature>{}",
            &body[..close],
            &body[close..]
        )
    };
    let draft = template("", "");
    let doc = Document::parse(&draft).expect("draft");
    let signature = find_signatures(&doc)[0];
    let transforms = signature
        .children()
        .next()
        .and_then(|si| si.child(DSIG_NS, "Reference"))
        .and_then(|r| r.child(DSIG_NS, "Transforms"))
        .expect("transforms");
    let (steps, _) = reference::read_transforms(Some(transforms), 8).expect("transforms");
    let digest = if digest {
        let mut budget = u64::MAX;
        reference::digest(
            &doc,
            (None, false),
            &steps,
            Some(signature),
            DigestAlgorithm::Sha256,
            &mut budget,
        )
        .expect("digest")
        .0
    } else {
        vec![0; 32]
    };
    let with_digest = template(&encode_base64(&digest), "");
    let doc = Document::parse(&with_digest).expect("with digest");
    let signed_info = find_signatures(&doc)[0]
        .children()
        .next()
        .expect("SignedInfo");
    let canonical = Canonicalizer::new(Method::Inclusive10)
        .element(&doc, signed_info)
        .expect("c14n");
    let value = key
        .sign(
            SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256),
            &canonical,
        )
        .expect("sign");
    template(&encode_base64(&digest), &encode_base64(&value))
}

/// A body with many elements, so that a quadratic XPath has something to chew on.
fn wide_body(elements: usize) -> String {
    let mut body = String::from("<root>");
    for i in 0..elements {
        body.push_str(&format!("<item n=\"{i}\"><x/></item>"));
    }
    body.push_str("</root>");
    body
}

/// Quadratic in the number of elements: every element compared with every other.
const QUADRATIC: &str = "//item[count(//item) &gt; 0 and @n = //item/@n]";

#[test]
fn filter2_signatures_verify_and_subtract_what_they_select() {
    let signed = sign_with_filter2(&wide_body(3), "//x", rsa(), true);
    let verify = |text: &str| -> crate::Result<usize> {
        let doc = Document::parse(text).expect("parse");
        let signature = find_signatures(&doc)[0];
        let verified = pinned(rsa()).verify(&doc, signature)?;
        Ok(verified.references[0].coverage.excluded().len())
    };
    // The signature and the three <x/> elements are left out.
    assert_eq!(verify(&signed).expect("verify"), 4);
    // What the filter removed is not signed; anything else is.
    let inside_x = signed.replacen("<x/>", "<x>added</x>", 1);
    assert_eq!(
        verify(&inside_x).expect("subtracted content is not signed"),
        4
    );
    let elsewhere = signed.replacen("n=\"1\"", "n=\"9\"", 1);
    assert_eq!(code(verify(&elsewhere)), ErrorCode::DigestMismatch);
    // So the signature does not cover the whole document element.
    let doc = Document::parse(&signed).expect("parse");
    assert_eq!(
        code(pinned(rsa()).verify_enveloped(&doc)),
        ErrorCode::ReferenceMismatch
    );
}

#[test]
fn nothing_a_reference_says_runs_before_the_signature_value_is_checked() {
    // Signed by one key, verified with another: if the filter ran first, it would spend
    // the whole (tiny) budget and fail with XmlLimitExceeded instead.
    let signed = sign_with_filter2(&wide_body(50), QUADRATIC, rsa(), false);
    let doc = Document::parse(&signed).expect("parse");
    let signature = find_signatures(&doc)[0];
    let policy = VerifyPolicy {
        xpath_budget: Some(1),
        ..VerifyPolicy::default()
    };
    let other = PrivateKey::generate(KeySpec::Rsa2048).expect("key");
    let err = pinned(&other)
        .with_policy(policy.clone())
        .verify(&doc, signature)
        .expect_err("wrong key");
    assert_eq!(err.code(), ErrorCode::SignatureInvalid, "{err}");
    // A tampered SignatureValue: the same.
    let tampered = signed.replacen("<ds:SignatureValue>", "<ds:SignatureValue>AAAA", 1);
    let tampered = Document::parse(&tampered).expect("parse");
    let err = pinned(rsa())
        .with_policy(policy.clone())
        .verify(&tampered, find_signatures(&tampered)[0])
        .expect_err("bad value");
    assert_eq!(err.code(), ErrorCode::SignatureInvalid, "{err}");
    // With the right key the filter runs, and the budget stops it.
    let err = pinned(rsa())
        .with_policy(policy)
        .verify(&doc, signature)
        .expect_err("budget");
    assert_eq!(err.code(), ErrorCode::XmlLimitExceeded, "{err}");
    assert!(err.to_string().contains("XPath"), "{err}");
}

#[test]
fn a_superlinear_filter_is_stopped_by_the_default_budget() {
    // 3 000 elements: the filter would compare about 9 million pairs, each costing a
    // string-value; the default budget (1 000 000 + 16 per node) stops it early.
    let signed = sign_with_filter2(&wide_body(3_000), QUADRATIC, rsa(), false);
    let doc = Document::parse(&signed).expect("parse");
    let started = std::time::Instant::now();
    let err = pinned(rsa())
        .verify(&doc, find_signatures(&doc)[0])
        .expect_err("budget");
    assert_eq!(err.code(), ErrorCode::XmlLimitExceeded, "{err}");
    // Not a timing assertion, a sanity bound: unbudgeted, this ran for minutes.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn co_signatures_are_bounded() {
    // Each signature leaves every signature out, so that all of them verify.
    let spec = polish_spec(DigestAlgorithm::Sha256, rsa());
    let mut signed = sign(DOC, &spec, rsa());
    let options = SignOptions {
        allow_existing_signatures: true,
        ..SignOptions::default()
    };
    for _ in 0..8 {
        let next = sign_enveloped(signed.as_bytes(), &spec, rsa(), &options).expect("co-sign");
        signed = String::from_utf8(next).expect("utf8");
    }
    let doc = Document::parse(&signed).expect("parse");
    assert_eq!(
        code(pinned(rsa()).verify_all_enveloped(&doc)),
        ErrorCode::SignatureAmbiguous
    );
    let policy = VerifyPolicy {
        max_signatures: 9,
        ..VerifyPolicy::default()
    };
    assert_eq!(
        pinned(rsa())
            .with_policy(policy)
            .verify_all_enveloped(&doc)
            .expect("nine")
            .len(),
        9
    );
}

#[test]
fn references_may_not_cover_the_document_many_times_over() {
    // 1.5 MiB of text: sixteen references to all of it would canonicalize 24 MiB.
    let body = format!(
        "<root>{}</root>",
        "<p>Pacjent &amp; płatnik</p>\n".repeat(52_000)
    );
    let many = |n: usize| {
        let mut spec = SignatureSpec::enveloped(rsa().kind(), DigestAlgorithm::Sha256);
        let reference = spec.references[0].clone();
        spec.references = vec![reference; n];
        sign(&body, &spec, rsa())
    };
    let sixteen = many(16);
    let err = pinned(rsa())
        .verify_enveloped(&Document::parse(&sixteen).expect("parse"))
        .expect_err("sixteen times the document");
    assert_eq!(err.code(), ErrorCode::XmlLimitExceeded, "{err}");
    let four = many(4);
    let doc = Document::parse(&four).expect("parse");
    let verified = pinned(rsa())
        .verify_enveloped(&doc)
        .expect("four times is within the default ratio");
    assert_eq!(verified.references.len(), 4);
}

const AUTHN_REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="2026-12-04T10:00:00Z"><saml:Issuer>https://sp.example/</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>"#;

fn saml_spec(key: &PrivateKey) -> SignatureSpec {
    let mut spec = SignatureSpec::enveloped(key.kind(), DigestAlgorithm::Sha256);
    spec.references[0].uri = "#_a1".into();
    spec
}

#[test]
fn the_signature_can_go_right_after_the_saml_issuer() {
    let options = SignOptions::default().with_placement(Placement::AFTER_SAML_ISSUER);
    let signed =
        sign_enveloped(AUTHN_REQUEST.as_bytes(), &saml_spec(rsa()), rsa(), &options).expect("sign");
    let signed = String::from_utf8(signed).expect("utf8");
    // Spliced between Issuer and NameIDPolicy; nothing else changed.
    let start = signed.find("<ds:Signature").expect("signature");
    let end = signed.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
    assert!(signed[..start].ends_with("</saml:Issuer>"), "{signed}");
    assert!(signed[end..].starts_with("<samlp:NameIDPolicy"), "{signed}");
    assert_eq!(
        format!("{}{}", &signed[..start], &signed[end..]),
        AUTHN_REQUEST
    );

    let doc = Document::parse(&signed).expect("parse");
    let root = Element::new(doc.tree().root_element()).expect("root");
    let second = root.children().nth(1).expect("second child");
    assert!(second.is(DSIG_NS, "Signature"));
    let verified = pinned(rsa()).verify(&doc, second).expect("verify");
    assert!(verified.covers(&root));

    // Tampering with the message after the signature is still detected.
    let tampered = signed.replace("AllowCreate=\"true\"", "AllowCreate=\"false\"");
    let doc = Document::parse(&tampered).expect("parse");
    let sig = find_signatures(&doc)[0];
    assert_eq!(
        code(pinned(rsa()).verify(&doc, sig)),
        ErrorCode::DigestMismatch
    );
}

#[test]
fn placing_after_a_missing_child_is_refused() {
    let options = SignOptions::default().with_placement(Placement::AFTER_SAML_ISSUER);
    let no_issuer = AUTHN_REQUEST.replace("<saml:Issuer>https://sp.example/</saml:Issuer>", "");
    let e = sign_enveloped(no_issuer.as_bytes(), &saml_spec(rsa()), rsa(), &options)
        .expect_err("no Issuer");
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(e.to_string().contains("Issuer"), "{e}");
}
