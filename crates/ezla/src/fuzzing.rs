//! Entry points for the fuzz targets (`fuzz/`) and the corpus replay test
//! (`crates/ezla/tests/fuzz_corpus.rs`). **Not an API**: hidden from the documentation, and
//! free to change with the targets.
//!
//! Each function takes arbitrary bytes, runs one family of parsers and verifiers over them,
//! and discards the results: errors are expected, a panic, a hang or unbounded memory is a
//! bug. The fuzz targets and the stable replay test call exactly these functions, so a
//! corpus file replays through the same code under `cargo test` as under libFuzzer.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use crate::crypto::{DigestAlgorithm, KeySpec};
use crate::dsig::{self, KeySelection, Verifier, VerifyPolicy};
use crate::kedu::{self, Wariant, WriteOptions, Zla, azla::Azla};
use crate::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use crate::pki::{
    Certificate, CertificateRequest, ExpiryPolicy, Identity, Pkcs12, Pkcs12Options, TrustAnchors,
    keyfile, pem,
};
use crate::xades::{self, VerifyOptions};
use crate::xml::c14n::{Canonicalizer, Method, Subset};
use crate::xml::xpath::{NodeSet, XPath};
use crate::xml::{Document, Element};

/// The day KEDU documents are judged against: fixed, so that an input behaves the same on
/// every run.
const TODAY: Date = date!(2026 - 12 - 01);

/// The instant certificates are checked at where a target fixes it.
const AT: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);

/// Iteration caps for PKCS#12 and encrypted PKCS#8: tight, so that one execution stays fast
/// whatever count the input claims.
const MAX_ITERATIONS: u64 = 2_048;

/// The pinned signer of the verification targets: a test doctor (P-256, made by the crate's
/// test CA) generated once per process.
struct Pinned {
    certificate: Certificate,
    anchors: Arc<TrustAnchors>,
}

fn pinned() -> Option<&'static Pinned> {
    static PINNED: OnceLock<Option<Pinned>> = OnceLock::new();
    PINNED
        .get_or_init(|| {
            let not_before = datetime!(2026-01-01 00:00 UTC);
            let ca =
                TestCa::generate_with(KeySpec::EcP256, "ezla fuzz CA", not_before, 3650).ok()?;
            let pesel = "44051401359".parse().ok()?;
            let mut spec = DoctorSpec::new("Jan", "Kowalski", pesel);
            spec.key = KeySpec::EcP256;
            spec.options = IssueOptions::doctor(not_before);
            let doctor = ca.issue_doctor(&spec).ok()?;
            Some(Pinned {
                certificate: doctor.certificate.clone(),
                anchors: Arc::new(TrustAnchors::new([ca.certificate().clone()])),
            })
        })
        .as_ref()
}

/// The six canonicalizations (three methods, with and without comments), plus exclusive
/// with an `InclusiveNamespaces` prefix list.
fn canonicalizers() -> Vec<Canonicalizer> {
    let mut all = Vec::new();
    for method in [
        Method::Inclusive10,
        Method::Inclusive11,
        Method::Exclusive10,
    ] {
        for comments in [false, true] {
            all.push(Canonicalizer::new(method).with_comments(comments));
        }
    }
    all.push(Canonicalizer::new(Method::Exclusive10).with_inclusive_prefixes(["#default", "ds"]));
    all
}

/// Parses with the default limits, then canonicalizes the whole document, the document
/// element, the document element's first child element, and the document and the document
/// element minus that child, with every method.
pub fn xml_c14n(data: &[u8]) {
    let Ok(doc) = Document::parse_bytes(data) else {
        return;
    };
    let Some(root) = Element::new(doc.root_element()) else {
        return;
    };
    let first_child = root.children().next();
    let excluded: Vec<Element<'_, '_>> = first_child.into_iter().collect();
    for c14n in canonicalizers() {
        let _ = c14n.document(&doc);
        let _ = c14n.element(&doc, root);
        if let Some(child) = first_child {
            let _ = c14n.element(&doc, child);
        }
        let _ = c14n.write(
            &doc,
            Subset::DocumentExcept(&excluded),
            &mut std::io::sink(),
        );
        let _ = c14n.write(
            &doc,
            Subset::ElementExcept(root, &excluded),
            &mut std::io::sink(),
        );
    }
}

/// Splits the input at the first NUL or newline into an XPath expression and an XML
/// document (`ds` bound to XML-DSig, and the prefixes the canonicalization suites use), evaluates the expression as a node-set and as a
/// boolean, and canonicalizes the selected node-set.
pub fn xpath(data: &[u8]) {
    let split = data.iter().position(|b| *b == 0 || *b == b'\n');
    let (expr, xml) = match split {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(expr) = std::str::from_utf8(expr) else {
        return;
    };
    let namespaces = HashMap::from([
        ("ds".to_string(), dsig::DSIG_NS.to_string()),
        ("dsig11".to_string(), dsig::DSIG11_NS.to_string()),
        ("xades".to_string(), xades::XADES_NS.to_string()),
        // The prefixes of the canonicalization test suites' subset expressions.
        ("ietf".to_string(), "http://www.ietf.org".to_string()),
        ("foo".to_string(), "http://example.org/foo".to_string()),
        ("bar".to_string(), "http://example.org/bar".to_string()),
        ("baz".to_string(), "http://example.org/baz".to_string()),
    ]);
    let Ok(xpath) = XPath::parse(expr, namespaces) else {
        return;
    };
    let Ok(doc) = Document::parse_bytes(xml) else {
        return;
    };
    let tree = doc.tree();
    let _ = xpath.test(
        tree,
        crate::xml::xpath::XNode::Node(tree.root_element().id()),
    );
    let Ok(nodes) = xpath.select(tree) else {
        return;
    };
    let set = NodeSet::new(nodes);
    for c14n in canonicalizers() {
        let _ = c14n.run(&doc, tree.root(), &set, &mut std::io::sink());
    }
}

/// Verifies the document as an enveloped XML-DSig signature (one signature, and all
/// co-signatures) with the legacy policy: with whatever key `KeyInfo` carries, with the
/// pinned test certificate, and against the test CA as trust anchor.
pub fn dsig_verify(data: &[u8]) {
    let Ok(doc) = Document::parse_bytes(data) else {
        return;
    };
    let policy = VerifyPolicy::legacy().at(AT);
    let mut verifiers = vec![Verifier::new(KeySelection::EmbeddedUntrusted)];
    if let Some(p) = pinned() {
        verifiers.push(Verifier::new(KeySelection::PinnedCertificate(
            p.certificate.clone(),
        )));
        verifiers.push(Verifier::new(KeySelection::Pinned(
            p.certificate.public_key().clone(),
        )));
        verifiers.push(Verifier::new(KeySelection::Trusted(p.anchors.clone())));
    }
    for verifier in verifiers {
        let verifier = verifier.with_policy(policy.clone());
        let _ = verifier.verify_enveloped(&doc);
        let _ = verifier.verify_all_enveloped(&doc);
        for signature in dsig::find_signatures(&doc) {
            if let Ok(verified) = verifier.verify(&doc, signature)
                && let Some(root) = Element::new(doc.root_element())
            {
                let _ = verified.covers(&root);
            }
        }
    }
}

/// Verifies the document as an e-ZLA XAdES signature: with default options (untrusted),
/// with co-signatures, with the pinned test certificate, and against the test CA.
pub fn xades_verify(data: &[u8]) {
    let _ = xades::verify(data, &VerifyOptions::default());
    let cosigned = VerifyOptions {
        allow_cosignatures: true,
        allow_legacy_algorithms: true,
        ..VerifyOptions::default()
    };
    let _ = xades::verify_all(data, &cosigned);
    if let Some(p) = pinned() {
        let options = VerifyOptions {
            signer_certificate: Some(p.certificate.clone()),
            ..VerifyOptions::default()
        }
        .at(AT);
        let _ = xades::verify(data, &options);
        let trusted = VerifyOptions::default()
            .with_trust(p.anchors.clone())
            .at(AT);
        let _ = xades::verify(data, &trusted);
    }
    if let Ok(doc) = Document::parse_bytes(data) {
        for signature in dsig::find_signatures(&doc) {
            let _ = xades::verify_signature(&doc, signature, &VerifyOptions::default());
        }
    }
}

/// Opens the bytes as a PKCS#12 file (password `test`, empty, and absent; with the MAC
/// required, and with a file without a MAC allowed) and as a private key file (PEM or DER,
/// PKCS#8 encrypted or not), with tight iteration caps.
pub fn pkcs12(data: &[u8]) {
    let options = Pkcs12Options {
        max_iterations: MAX_ITERATIONS,
        max_total_iterations: 4 * MAX_ITERATIONS,
        ..Pkcs12Options::default()
    };
    let unprotected = Pkcs12Options {
        allow_unprotected: true,
        ..options
    };
    for password in [Some("test"), Some(""), None] {
        let _ = Pkcs12::parse(data, password, &unprotected);
        if let Ok(contents) = Pkcs12::parse(data, password, &options) {
            let _ = contents.info.is_legacy();
            for entry in &contents.certificates {
                certificate_accessors(&entry.certificate);
            }
            let _ = Identity::from_pkcs12_contents(contents);
        }
        let _ = keyfile::read_private_key(data, password, &options.pbe_limits());
    }
}

/// Reads the bytes as a certificate (DER, PEM, a PEM bundle), as PEM blocks, as a trust
/// anchor bundle and as a PKCS#10 request (DER and PEM), and on success formats what the
/// accessors report.
pub fn x509_pem(data: &[u8]) {
    if let Ok(certificate) = Certificate::from_der(data) {
        certificate_accessors(&certificate);
    }
    if let Ok(certificate) = Certificate::from_der_or_pem(data) {
        certificate_accessors(&certificate);
    }
    if let Ok(all) = Certificate::all_from_pem(data) {
        for certificate in &all {
            certificate_accessors(certificate);
        }
    }
    let _ = crate::pki::detect(data);
    if let Ok(blocks) = pem::decode_all(data, "fuzz input") {
        for block in &blocks {
            if let Ok(certificate) = Certificate::from_der(&block.der) {
                certificate_accessors(&certificate);
            }
        }
    }
    if let Ok(anchors) = TrustAnchors::from_pem_bundle(data) {
        let _ = anchors.len();
    }
    for request in [
        CertificateRequest::from_der(data),
        CertificateRequest::from_pem(data),
    ]
    .into_iter()
    .flatten()
    {
        let _ = request.subject().to_rfc4514();
        let _ = request.email_addresses();
        let _ = request.verify_signature();
        let _ = request.to_pem();
    }
}

/// Everything a caller might print about a certificate.
fn certificate_accessors(certificate: &Certificate) {
    let _ = certificate.version();
    let _ = certificate.subject().to_rfc4514();
    let _ = certificate.issuer().to_rfc4514();
    for attribute in certificate.subject().attributes() {
        let _ = attribute.keyword();
        let _ = attribute.value();
    }
    let _ = certificate.subject().common_name();
    let _ = certificate.subject().surname();
    let _ = certificate.is_self_issued();
    let _ = certificate.serial_hex();
    let _ = certificate.serial_decimal();
    let _ = certificate.not_before();
    let _ = certificate.not_after();
    let _ = certificate.fingerprint_hex(DigestAlgorithm::Sha256);
    let _ = certificate.signature_algorithm();
    for extension in certificate.extensions() {
        let _ = format!("{extension:?}");
    }
    if let Some(usage) = certificate.key_usage() {
        let _ = usage.names();
    }
    if let Some(purposes) = certificate.extended_key_usage() {
        for purpose in purposes {
            let _ = purpose.name();
        }
    }
    let _ = certificate.basic_constraints();
    let _ = certificate.is_ca();
    let _ = certificate.crl_distribution_points();
    let _ = certificate.ocsp_urls();
    let _ = certificate.ca_issuers_urls();
    let _ = certificate.email_addresses();
    let _ = certificate.dns_names();
    let _ = certificate.subject_key_id();
    let _ = certificate.authority_key_id();
    for identifier in certificate.polish_identifiers() {
        let _ = format!("{identifier:?}");
        let _ = identifier.pesel();
        let _ = identifier.nip();
    }
    let _ = certificate.pesel();
    let status = certificate.status_at(AT, &ExpiryPolicy::default());
    let _ = status.to_string();
    let _ = status.days_left();
    let _ = certificate.check_valid_at(AT);
    let _ = certificate.verify_signature(certificate.public_key());
    let _ = certificate.to_pem();
}

/// Reads the bytes as a KEDU ZLA document and as a cancellation (AZLA), validates what was
/// read, writes it back, and checks where its signature sits.
pub fn kedu_xml(data: &[u8]) {
    let options = WriteOptions::default().with_today(TODAY);
    if let Ok(d) = Zla::read_xml(data) {
        let _ = d.zla.validate_as(d.wariant, TODAY);
        let _ = d.zla.validate(TODAY);
        let _ = d.zla.to_json();
        let _ = d.zla.to_xml(d.wariant, &options);
    }
    let _ = kedu::check(data, TODAY);
    let _ = kedu::check_signature_placement(data);
    if let Ok((azla, _program)) = Azla::read(data) {
        let _ = azla.validate(TODAY);
        let _ = azla.to_json();
        let _ = azla.to_xml(&options);
    }
}

/// Reads the bytes as the JSON form of an e-ZLA and of an AZLA; on success validates it,
/// writes both documents of the pair and reads them back, and plans it.
pub fn kedu_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = WriteOptions::default().with_today(TODAY);
    if let Ok(zla) = Zla::from_json(text) {
        let _ = zla.validate(TODAY);
        let _ = zla.validate_as(Wariant::Kopia, TODAY);
        let _ = zla.to_json();
        if let Ok((oryginal, kopia)) = zla.to_xml_pair(&options) {
            let _ = Zla::from_pair(&oryginal, &kopia);
            let _ = kedu::check(&oryginal, TODAY);
        }
        if let Some(platnik) = zla.platnik.clone() {
            let _ = kedu::plan::zaplanuj(&zla, &[platnik]);
        }
    }
    if let Ok(azla) = Azla::from_json(text) {
        let _ = azla.validate(TODAY);
        if let Ok(xml) = azla.to_xml(&options) {
            let _ = Azla::read(&xml);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// For the C14N vector sweep (`crates/ezla/tests/c14n_vectors.rs`), which needs two things the
// public API does not offer: XPath node-set subsets, and a document's element.

/// Canonicalizes the node-set that the XPath 1.0 expression `expr`, with `namespaces` in
/// scope, selects in `doc`.
pub fn c14n_xpath_subset(
    canonicalizer: &Canonicalizer,
    doc: &Document<'_>,
    expr: &str,
    namespaces: HashMap<String, String>,
) -> crate::Result<Vec<u8>> {
    let nodes = XPath::parse(expr, namespaces)?.select(doc.tree())?;
    let mut out = Vec::new();
    canonicalizer.run(doc, doc.tree().root(), &NodeSet::new(nodes), &mut out)?;
    Ok(out)
}

/// The document element of `doc`.
pub fn document_element<'d, 'a>(doc: &'d Document<'a>) -> Option<Element<'d, 'a>> {
    Element::new(doc.root_element())
}

/// Judges the bytes as a SOAP envelope (`soap::Envelope`) and as the response of every ZUS
/// channel operation in both body namespaces; then, when the bytes are UTF-8, wraps them as
/// the content of each operation's response element (unqualified and qualified) and judges
/// that, so that the inner shapes are reached without the envelope being guessed.
pub fn zus_response(data: &[u8]) {
    use crate::soap;
    use crate::zus::{BodyNamespace, Operation};
    use crate::zus::{
        dictionary::*, doctor::*, documents::*, lifecycle::*, numbering::*, patient::*, read::*,
        requests::*, session::*,
    };

    if let Ok(envelope) = soap::Envelope::parse(data, &crate::xml::ParseOptions::default()) {
        let _ = envelope.body();
    }
    let inner = std::str::from_utf8(data).ok();
    macro_rules! each {
        ($($op:ty),* $(,)?) => {$(
            for ns in BodyNamespace::ALL {
                let _ = <$op>::parse(data, ns);
            }
            if let Some(inner) = inner {
                let name = <$op as Operation>::NAME;
                let uri = BodyNamespace::ZusPl.uri();
                let env = "http://schemas.xmlsoap.org/soap/envelope/";
                for body in [
                    format!("<z:{name}Response xmlns:z=\"{uri}\">{inner}</z:{name}Response>"),
                    format!("<{name}Response xmlns=\"{uri}\">{inner}</{name}Response>"),
                ] {
                    let wrapped = format!(
                        "<s:Envelope xmlns:s=\"{env}\"><s:Body>{body}</s:Body></s:Envelope>"
                    );
                    let _ = <$op>::parse(wrapped.as_bytes(), BodyNamespace::ZusPl);
                }
            }
        )*};
    }
    each!(
        PobierzOswiadczenie,
        ZalogujPodpisem,
        UsunSesje,
        PobierzDaneLekarza,
        PobierzMiejsceWykonywaniaZawodu,
        PobierzUprawnieniaNaDzien,
        PobierzDaneUbezpieczonego,
        PobierzCzlonkowRodzinyUbezpieczonego,
        PobierzPlatnikowUbezpieczonego,
        PobierzDanePlatnika,
        PobierzAdresyPlacowek,
        PobierzSeriaNumerZla,
        PobierzIdentyfikatorDokumentu,
        RezerwujSeriaNumerZla,
        NadajSeriaNumerZla,
        WalidujDokumenty,
        WyslijDokumenty,
        PobierzDokument,
        PobierzUppDlaDokumentu,
        PobierzListeBiezacychZlaLekarza,
        PobierzListePrzetworzonychZlaLekarza,
        PobierzListeZlaUbezpieczonego,
        PobierzSzczegolyZlaBiezace,
        PobierzSzczegolyZlaPrzetworzone,
        PobierzListePowiazanychZla,
        PobierzListePr4Ubezpieczonego,
        PobierzStatusyDrukowZla,
        SprawdzMozliwoscAnulowania,
        SprawdzMozliwoscElektronizacji,
        SprawdzMozliwoscUniewaznienia,
        NotyfikujAnulowanieZla,
        PobierzKodChoroby,
        PobierzOpisChoroby,
        PobierzLiterowyKodChoroby,
        PobierzSlownikKodowPokrewienstwa,
        PobierzSlownikPrzyczynAnulowania,
        PobierzSlownikPrzyczynUniewaznienia,
        SprawdzProfilRehabilitacji,
        WalidujWniosek,
        WyslijWniosek,
    );
}

/// Reads the bytes as a CMS signature: `cms::from_pem_or_der`, then `cms::verify` attached
/// (no content given), detached (with a fixed content), with the test CA as trust anchor and
/// at the fixed instant.
pub fn cms_verify(data: &[u8]) {
    use crate::cms;
    let der = cms::from_pem_or_der(data).unwrap_or_else(|_| data.to_vec());
    let _ = cms::verify(&der, None, &cms::VerifyOptions::default());
    let _ = cms::verify(
        &der,
        Some(b"ezla fuzz"),
        &cms::VerifyOptions::default().at(AT),
    );
    if let Some(p) = pinned() {
        let options = cms::VerifyOptions::default()
            .with_trust(p.anchors.clone())
            .at(AT);
        let _ = cms::verify(&der, None, &options);
    }
}

/// Reads the bytes as RFC 3161 structures: a `TimeStampReq`, a `TimeStampResp` (its token
/// verified when there is one), the response checked against a fixed request (SHA-256 of
/// `ezla fuzz`, a fixed nonce), and the bytes as a bare token for that data, with and
/// without the test CA as trust anchor.
pub fn tsp(data: &[u8]) {
    use crate::tsp::{self, Stamped, TimeStampRequest, TokenOptions};
    let _ = TimeStampRequest::from_der(data);
    let none = TokenOptions::default();
    if let Ok(response) = tsp::parse_response(data)
        && let Some(token) = &response.token
    {
        let _ = tsp::verify_token(token, Stamped::Data(b"ezla fuzz"), &none);
    }
    let request = TimeStampRequest {
        digest: DigestAlgorithm::Sha256,
        imprint: DigestAlgorithm::Sha256.digest(b"ezla fuzz"),
        policy: None,
        nonce: Some(vec![0x40, 1, 2, 3, 4, 5, 6, 7]),
        cert_req: true,
    };
    let _ = tsp::check_response(data, &request, &none);
    let _ = tsp::verify_token(data, Stamped::Data(b"ezla fuzz"), &none);
    if let Some(p) = pinned() {
        let trusted = TokenOptions::default().with_trust(p.anchors.clone());
        let _ = tsp::verify_token(
            data,
            Stamped::Digest(DigestAlgorithm::Sha256, &request.imprint),
            &trusted,
        );
    }
}

/// Reads the bytes as a CRL (DER, or PEM when they look like it); a CRL that parses is
/// judged against the fuzz CA (issuer, signature, currency at a fixed instant), looked up for
/// the pinned doctor, and checked through a `RevocationChecker`, as verification would.
pub fn crl(data: &[u8]) {
    use crate::pki::Crl;
    use crate::revocation::{JudgedBy, RevocationChecker};
    let Ok(crl) = Crl::parse(data) else {
        return;
    };
    let _ = crl.check_current(AT);
    let _ = (
        crl.number_hex(),
        crl.entries().len(),
        crl.signature_algorithm(),
    );
    for e in crl.entries() {
        let _ = (e.serial_hex(), e.reason.map(|r| r.name()));
    }
    if let Some(p) = pinned()
        && let Some(ca) = p.anchors.certificates().first()
    {
        let _ = crl.check_issued_by(ca);
        let _ = crl.entry_for(&p.certificate);
        let checker = RevocationChecker::new().with_crl(crl, "fuzz");
        let _ = checker.check(&p.certificate, ca, AT, JudgedBy::VerificationTime, AT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_signer_is_built() {
        let p = pinned().expect("the pinned test doctor");
        assert_eq!(p.certificate.subject().surname(), Some("Kowalski"));
        assert_eq!(p.anchors.len(), 1);
    }
}
