//! Sweep of the third-party canonicalization vectors in `../shared/vectors/c14n/`, through
//! the public API (and `ezla::fuzzing` for XPath node-set subsets and the document element).
//!
//! Every case either passes byte for byte, or is listed as skipped with its reason. The only
//! reasons allowed are that the case needs DTD processing (attribute defaults, attribute
//! types, entities, an external DTD), which ezla refuses by design, that it uses an encoding
//! other than UTF-8, or that the set has no reference output for it. Anything else fails.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use ezla::xml::c14n::{Canonicalizer, Method};
use ezla::xml::{Document, Element, ParseOptions};

mod common;

#[derive(Default)]
struct Tally {
    passed: usize,
    skipped: Vec<String>,
    failed: Vec<String>,
}

/// Why a case cannot run without a DTD, if it cannot.
fn needs_dtd(text: &str) -> Option<String> {
    let start = text.find("<!DOCTYPE")?;
    let rest = &text[start..];
    let decl_end = rest.find('>').unwrap_or(rest.len());
    let head = &rest[..decl_end];
    let subset = match (rest.find('['), rest.find("]>")) {
        (Some(open), Some(close)) if open < decl_end => &rest[open..close],
        _ => "",
    };
    if head.contains("SYSTEM") || head.contains("PUBLIC") {
        return Some("needs DTD processing: external DTD".into());
    }
    if subset.contains("<!ENTITY") {
        return Some("needs DTD processing: entity declarations".into());
    }
    if subset.contains("<!ATTLIST") {
        return Some("needs DTD processing: attribute defaults and types (ATTLIST)".into());
    }
    None
}

/// The expression of an XPath file and the namespaces in scope for it.
fn xpath_of(path: &Path) -> Result<(String, HashMap<String, String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if !text.trim_start().starts_with('<') {
        // The W3C C14N 1.1 interop files hold a bare expression, to be evaluated with
        // `xmlns:ietf="http://www.ietf.org"` in scope.
        let namespaces = HashMap::from([("ietf".to_string(), "http://www.ietf.org".to_string())]);
        return Ok((text, namespaces));
    }
    // The element's text and its namespace declarations, which ezla's `Element` does not
    // expose; roxmltree is what ezla parses with.
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("xpath file: {e}"))?;
    let root = doc.root_element();
    let expr: String = root
        .children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let namespaces: HashMap<String, String> = root
        .namespaces()
        .filter_map(|ns| ns.name().map(|p| (p.to_string(), ns.uri().to_string())))
        .collect();
    Ok((expr, namespaces))
}

/// Runs one case; `Ok(None)` = passed, `Ok(Some(reason))` = skipped, `Err` = failed.
fn run_case(
    input: &Path,
    expected: Option<&Path>,
    xpath: Option<&Path>,
    canonicalizer: &Canonicalizer,
) -> Result<Option<String>, String> {
    let Some(expected) = expected.filter(|p| p.exists()) else {
        return Ok(Some("no reference output in the set".into()));
    };
    let text = std::fs::read_to_string(input).map_err(|e| e.to_string())?;
    let xpath_text = match xpath {
        Some(p) => std::fs::read_to_string(p).map_err(|e| e.to_string())?,
        None => String::new(),
    };
    if let Some(reason) = needs_dtd(&text) {
        return Ok(Some(reason));
    }
    if xpath_text.contains("id(") {
        return Ok(Some(
            "needs DTD processing: id() relies on DTD-declared IDs".into(),
        ));
    }
    let doc = Document::parse_with(&text, &ParseOptions::default()).map_err(|e| e.to_string())?;
    let out = match xpath {
        Some(p) => {
            let (expr, namespaces) = xpath_of(p)?;
            ezla::fuzzing::c14n_xpath_subset(canonicalizer, &doc, &expr, namespaces)
                .map_err(|e| e.to_string())?
        }
        None => canonicalizer.document(&doc).map_err(|e| e.to_string())?,
    };
    let want = std::fs::read(expected).map_err(|e| e.to_string())?;
    if out == want {
        Ok(None)
    } else {
        Err(format!(
            "output differs\n--- want\n{}\n--- got\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&out)
        ))
    }
}

fn record(tally: &mut Tally, name: &str, result: Result<Option<String>, String>) {
    match result {
        Ok(None) => tally.passed += 1,
        Ok(Some(reason)) => tally.skipped.push(format!("{name}: {reason}")),
        Err(e) => tally.failed.push(format!("{name}: {e}")),
    }
}

/// The first element named `{namespace}local_name` at or below `element`, in document order.
fn first_named<'d, 'a>(
    element: Element<'d, 'a>,
    namespace: &str,
    local_name: &str,
) -> Option<Element<'d, 'a>> {
    if element.is(namespace, local_name) {
        return Some(element);
    }
    element
        .children()
        .find_map(|child| first_named(child, namespace, local_name))
}

fn libxml2_set(dir: &Path, mode: &str, canonicalizer: &Canonicalizer) -> Tally {
    let mut tally = Tally::default();
    let inputs = dir.join("test/c14n").join(mode);
    let results = dir.join("result/c14n").join(mode);
    let mut names: Vec<String> = std::fs::read_dir(&inputs)
        .expect("libxml2 c14n dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".xml").map(str::to_string))
        .collect();
    names.sort();
    for name in names {
        let xpath = inputs.join(format!("{name}.xpath"));
        let ns = inputs.join(format!("{name}.ns"));
        let mut c = canonicalizer.clone();
        if let Ok(list) = std::fs::read_to_string(&ns) {
            c = c.with_inclusive_prefixes(list.split_whitespace());
        }
        let result = run_case(
            &inputs.join(format!("{name}.xml")),
            Some(&results.join(&name)),
            xpath.exists().then_some(xpath.as_path()),
            &c,
        );
        record(&mut tally, &name, result);
    }
    tally
}

fn report(set: &str, tally: &Tally, summary: &mut String) {
    let _ = writeln!(
        summary,
        "{set}: {} passed, {} failed, {} skipped",
        tally.passed,
        tally.failed.len(),
        tally.skipped.len()
    );
    for s in &tally.skipped {
        let _ = writeln!(summary, "    skipped {s}");
    }
    for f in &tally.failed {
        let _ = writeln!(summary, "    FAILED {f}");
    }
}

#[test]
fn c14n_vector_sweep() {
    let Some(vectors) = common::vectors_dir() else {
        return;
    };
    let base = vectors.join("c14n");
    let mut summary = String::new();
    let mut failures = 0;

    let libxml2 = base.join("libxml2");
    for (mode, c) in [
        (
            "with-comments",
            Canonicalizer::new(Method::Inclusive10).with_comments(true),
        ),
        ("without-comments", Canonicalizer::new(Method::Inclusive10)),
        (
            "exc-without-comments",
            Canonicalizer::new(Method::Exclusive10),
        ),
        (
            "1-1-without-comments",
            Canonicalizer::new(Method::Inclusive11),
        ),
    ] {
        let tally = libxml2_set(&libxml2, mode, &c);
        failures += tally.failed.len();
        report(&format!("libxml2 {mode}"), &tally, &mut summary);
    }

    // C14N 1.0 spec examples (Santuario's copies).
    let spec = base.join("santuario/org/apache/xml/security/c14n/in");
    let mut tally = Tally::default();
    for n in 31..=38 {
        let input = spec.join(format!("{n}_input.xml"));
        let xpath = spec.join(format!("{n}_subset.xpath"));
        let xpath = xpath.exists().then_some(xpath.as_path());
        let plain = Canonicalizer::new(Method::Inclusive10);
        record(
            &mut tally,
            &format!("{n}"),
            run_case(
                &input,
                Some(&spec.join(format!("{n}_c14n.xml"))),
                xpath,
                &plain,
            ),
        );
        let comments = spec.join(format!("{n}_c14n-comments.xml"));
        if comments.exists() {
            record(
                &mut tally,
                &format!("{n} with comments"),
                run_case(
                    &input,
                    Some(&comments),
                    xpath,
                    &plain.clone().with_comments(true),
                ),
            );
        }
    }
    for (name, method) in [
        ("default_ns_redefinition (c14n)", Method::Inclusive10),
        ("default_ns_redefinition (exc)", Method::Exclusive10),
    ] {
        // The reference output is the canonical form of the dsig:Object element.
        let text =
            std::fs::read_to_string(spec.join("default_ns_redefinition_input.xml")).expect("input");
        let want = std::fs::read(spec.join("default_ns_redefinition_c14n.xml")).expect("output");
        let doc = Document::parse(&text).expect("parse");
        let object = ezla::fuzzing::document_element(&doc)
            .and_then(|root| first_named(root, "http://www.w3.org/2000/09/xmldsig#", "Object"))
            .expect("Object");
        let got = Canonicalizer::new(method)
            .element(&doc, object)
            .expect("c14n");
        record(
            &mut tally,
            name,
            if got == want {
                Ok(None)
            } else {
                Err(String::from_utf8_lossy(&got).into_owned())
            },
        );
    }
    {
        // The recommendations require relative namespace URIs to be an error.
        let text = std::fs::read_to_string(spec.join("relative-ns-behaviour.xml")).expect("input");
        let doc = Document::parse(&text).expect("parse");
        let result = Canonicalizer::new(Method::Inclusive10).document(&doc);
        record(
            &mut tally,
            "relative-ns-behaviour (must fail)",
            match result {
                Err(e) if e.code() == ezla::ErrorCode::XmlMalformed => Ok(None),
                other => Err(format!("expected an error, got {other:?}")),
            },
        );
    }
    failures += tally.failed.len();
    report("C14N 1.0 spec examples", &tally, &mut summary);

    // W3C C14N 1.1 interop: reference outputs (no vendor suffix) for each XPath.
    let interop = base.join("santuario/org/w3c/www/interop/c14n11");
    let mut tally = Tally::default();
    let mut names: Vec<String> = std::fs::read_dir(&interop)
        .expect("c14n11 dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".xpath").map(str::to_string))
        .collect();
    names.sort();
    for name in names {
        let stem = name.rsplit_once('-').map(|(s, _)| s).unwrap_or(&name);
        let input = interop.join(format!("{stem}-input.xml"));
        record(
            &mut tally,
            &name,
            run_case(
                &input,
                Some(&interop.join(format!("{name}.output"))),
                Some(&interop.join(format!("{name}.xpath"))),
                &Canonicalizer::new(Method::Inclusive11),
            ),
        );
    }
    failures += tally.failed.len();
    report("W3C C14N 1.1 interop", &tally, &mut summary);

    println!("{summary}");
    assert_eq!(failures, 0, "canonicalization vectors failed:\n{summary}");
}
