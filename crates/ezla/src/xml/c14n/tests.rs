//! Unit tests of canonicalization on hand-written documents, each checked against the
//! recommendations' rules (and, where possible, `xmllint` in the interop tests).

use super::*;
use crate::xml::Document;

fn c14n(method: Method, text: &str) -> String {
    let doc = Document::parse(text).expect("parse");
    String::from_utf8(Canonicalizer::new(method).document(&doc).expect("c14n")).expect("utf8")
}

fn element(method: Method, text: &str, local: &str) -> String {
    let doc = Document::parse(text).expect("parse");
    let el = doc
        .tree()
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == local)
        .and_then(Element::new)
        .expect("element");
    String::from_utf8(Canonicalizer::new(method).element(&doc, el).expect("c14n")).expect("utf8")
}

#[test]
fn whole_document_basics() {
    let text = "<?xml version=\"1.0\"?>\n<!-- before -->\n<?pi  data ?>\n<doc b='2' a=\"1\">\r\n<e/><![CDATA[<x>&]]>&#xD;</doc>\n<!-- after -->";
    assert_eq!(
        c14n(Method::Inclusive10, text),
        "<?pi data ?>\n<doc a=\"1\" b=\"2\">\n<e></e>&lt;x&gt;&amp;&#xD;</doc>"
    );
    let doc = Document::parse(text).expect("parse");
    let with = Canonicalizer::new(Method::Inclusive10)
        .with_comments(true)
        .document(&doc)
        .expect("c14n");
    assert_eq!(
        String::from_utf8(with).expect("utf8"),
        "<!-- before -->\n<?pi data ?>\n<doc a=\"1\" b=\"2\">\n<e></e>&lt;x&gt;&amp;&#xD;</doc>\n<!-- after -->"
    );
}

#[test]
fn attribute_values_are_escaped_and_sorted_by_namespace_then_name() {
    let text = r#"<e xmlns:b="http://b" xmlns:a="http://a" z="&#9;&#10;&#13;&quot;&lt;&amp;>" b:y="1" a:y="2" y="3"/>"#;
    assert_eq!(
        c14n(Method::Inclusive10, text),
        r#"<e xmlns:a="http://a" xmlns:b="http://b" y="3" z="&#x9;&#xA;&#xD;&quot;&lt;&amp;>" a:y="2" b:y="1"></e>"#
    );
}

#[test]
fn inclusive_renders_inherited_namespaces_on_the_apex_only() {
    let text =
        r#"<r xmlns="http://d" xmlns:p="http://p" xmlns:q="http://q"><p:a><b q:x="1"/></p:a></r>"#;
    assert_eq!(
        element(Method::Inclusive10, text, "a"),
        r#"<p:a xmlns="http://d" xmlns:p="http://p" xmlns:q="http://q"><b q:x="1"></b></p:a>"#
    );
    assert_eq!(
        element(Method::Exclusive10, text, "a"),
        r#"<p:a xmlns:p="http://p"><b xmlns="http://d" xmlns:q="http://q" q:x="1"></b></p:a>"#
    );
}

#[test]
fn default_namespace_undeclaration() {
    let text = r#"<a xmlns="http://u" xmlns:p="http://v"><p:b xmlns=""><p:c/><d/></p:b></a>"#;
    // Results confirmed with xmllint --c14n / --exc-c14n (libxml2 2.9.14).
    assert_eq!(
        c14n(Method::Inclusive10, text),
        r#"<a xmlns="http://u" xmlns:p="http://v"><p:b xmlns=""><p:c></p:c><d></d></p:b></a>"#
    );
    assert_eq!(
        c14n(Method::Exclusive10, text),
        r#"<a xmlns="http://u"><p:b xmlns:p="http://v"><p:c></p:c><d xmlns=""></d></p:b></a>"#
    );
}

#[test]
fn xml_attributes_inherited_by_an_orphan_apex() {
    let text = r#"<r xml:lang="pl" xml:space="preserve" xml:id="r" xml:base="http://x/y/"><m xml:base="z/"><e xml:lang="en"/></m></r>"#;
    assert_eq!(
        element(Method::Inclusive10, text, "e"),
        r#"<e xml:base="z/" xml:id="r" xml:lang="en" xml:space="preserve"></e>"#
    );
    assert_eq!(
        element(Method::Inclusive11, text, "e"),
        r#"<e xml:base="http://x/y/z/" xml:lang="en" xml:space="preserve"></e>"#
    );
    assert_eq!(
        element(Method::Exclusive10, text, "e"),
        r#"<e xml:lang="en"></e>"#
    );
}

#[test]
fn exclusive_prefix_list() {
    let text = r#"<r xmlns:a="http://a" xmlns:b="http://b" xmlns="http://d"><x><y/></x></r>"#;
    let doc = Document::parse(text).expect("parse");
    let x = doc
        .tree()
        .descendants()
        .find(|n| n.has_tag_name("x"))
        .and_then(Element::new)
        .expect("x");
    let out = Canonicalizer::new(Method::Exclusive10)
        .with_inclusive_prefixes(["b", "#default"])
        .element(&doc, x)
        .expect("c14n");
    assert_eq!(
        String::from_utf8(out).expect("utf8"),
        r#"<x xmlns="http://d" xmlns:b="http://b"><y></y></x>"#
    );
}

#[test]
fn excluded_subtrees_disappear_with_their_namespaces() {
    let text = r#"<doc xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><a>1</a><ds:Signature><ds:X/></ds:Signature><b>2</b></doc>"#;
    let doc = Document::parse(text).expect("parse");
    let sig = doc
        .tree()
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2000/09/xmldsig#", "Signature")))
        .and_then(Element::new)
        .expect("sig");
    let out =
        Canonicalizer::new(Method::Inclusive10).write_to_vec(&doc, Subset::DocumentExcept(&[sig]));
    assert_eq!(
        out,
        r#"<doc xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><a>1</a><b>2</b></doc>"#
    );
}

#[test]
fn relative_namespace_uris_are_refused() {
    let doc = Document::parse("<a xmlns:r='../x'/>").expect("parse");
    let err = Canonicalizer::new(Method::Inclusive10)
        .document(&doc)
        .expect_err("relative");
    assert_eq!(err.code(), crate::ErrorCode::XmlMalformed);
    assert!(err.to_string().contains("../x"), "{err}");
}

#[test]
fn uri_round_trip() {
    for m in [
        Method::Inclusive10,
        Method::Inclusive11,
        Method::Exclusive10,
    ] {
        for c in [false, true] {
            assert_eq!(Method::from_uri(m.uri(c)), Some((m, c)));
        }
    }
    assert_eq!(Method::from_uri("http://example.org/c14n"), None);
}

#[test]
fn deep_documents_do_not_recurse() {
    let depth = 200;
    let text = "<a>".repeat(depth) + &"</a>".repeat(depth);
    assert_eq!(
        c14n(Method::Exclusive10, &text),
        "<a>".repeat(depth) + &"</a>".repeat(depth)
    );
}

impl Canonicalizer {
    fn write_to_vec(&self, doc: &Document<'_>, subset: Subset<'_, '_, '_>) -> String {
        let mut out = Vec::new();
        self.write(doc, subset, &mut out).expect("c14n");
        String::from_utf8(out).expect("utf8")
    }
}

#[test]
fn line_ends_are_normalized_before_canonicalization() {
    // XML 1.0 §2.11: CR LF and a lone CR become LF on input; a character reference &#xD;
    // stays a CR, which C14N writes back as &#xD;. In attributes, §3.3.3 turns each into a
    // space. (xmllint --exc-c14n gives exactly this for the same bytes.)
    let text = "<a b=\"x\ry\r\nz\">1\r\n2\r3&#xD;4</a>";
    assert_eq!(
        c14n(Method::Exclusive10, text),
        "<a b=\"x y z\">1\n2\n3&#xD;4</a>"
    );
}
