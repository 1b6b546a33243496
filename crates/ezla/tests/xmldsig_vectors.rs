//! The xmlsec XML-DSig interop suite (`../shared/vectors/xmldsig/xmlsec-dsig-tests.tsv`):
//! every row whose algorithms ezla supports must get the verdict xmlsec expects; rows that
//! need an algorithm or feature ezla does not implement are listed with the reason.
//!
//! Key material follows each row's xmlsec1 flags: `--pubkey-cert-*` pins the key,
//! `--trusted-*`/`--untrusted-*` build trust anchors and intermediates, `--pkcs8-pem` and
//! `--pkcs12` give a private key whose public half is pinned, and no flag means the key in
//! `KeyInfo` (untrusted). The legacy policy applies (SHA-1 and 1024-bit RSA, as in 2002).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ezla::ErrorCode;
use ezla::crypto::PublicKey;
use ezla::dsig::{KeySelection, Verifier, VerifyPolicy, find_signatures};
use ezla::xml::Document;

/// Algorithms and features ezla does not implement, by the TSV's tag names.
const UNSUPPORTED_TAGS: &[(&str, &str)] = &[
    ("dsa", "DSA signatures"),
    ("hmac", "HMAC signatures"),
    ("md5", "MD5"),
    ("ripemd160", "RIPEMD-160"),
    ("sha3", "SHA-3"),
    ("rsa-pss", "RSA-PSS"),
    ("eddsa", "EdDSA"),
    ("ml-dsa", "ML-DSA"),
    ("slh-dsa", "SLH-DSA"),
    ("ml-kem", "ML-KEM"),
    ("gost", "GOST"),
    ("xslt", "the XSLT transform"),
    ("relationship", "the OOXML relationship transform"),
    ("retrieval-method", "KeyInfo RetrievalMethod"),
    ("key-name", "KeyName lookup in a key store"),
    ("rsa-oaep", "RSA-OAEP key transport"),
    ("rsa-1_5", "RSA PKCS#1 v1.5 key transport"),
    ("kw", "key wrap"),
    ("key-info-reference", "KeyInfoReference"),
    ("aes", "symmetric keys"),
    ("des", "symmetric keys"),
];

/// xmlsec1 flags meaning features ezla does not implement.
const UNSUPPORTED_FLAGS: &[(&str, &str)] = &[
    ("--hmackey", "HMAC signatures"),
    (
        "--X509-skip-time-checks",
        "ignoring certificate validity (ezla always checks it)",
    ),
    ("--keys-file", "xmlsec keys files (KeyName lookup)"),
    ("--crl-der", "CRL revocation checking"),
    ("--url-map", "external references (never fetched)"),
    (
        "--enable-asn1-signatures-hack",
        "DER-encoded ECDSA signature values (non-conformant; xmlsec accepts them only with a flag)",
    ),
];

struct Row {
    expected_success: bool,
    dir: PathBuf,
    file: String,
    tags: Vec<String>,
    params: Vec<String>,
}

fn rows(base: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(base.join("xmlsec-dsig-tests.tsv")).expect("tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let col = |i: usize| cols.get(i).copied().unwrap_or("");
            let dir = if col(1).is_empty() {
                base.to_path_buf()
            } else {
                base.join(col(1))
            };
            let mut tags: Vec<String> = col(3).split_whitespace().map(str::to_string).collect();
            tags.extend(col(4).split_whitespace().map(str::to_string));
            Row {
                expected_success: col(0) == "success",
                dir,
                file: col(2).to_string(),
                tags,
                params: shell_words(col(5)),
            }
        })
        .collect()
}

/// Splits the flags column (double quotes group words).
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn statically_unsupported(row: &Row) -> Option<String> {
    for tag in &row.tags {
        for (key, why) in UNSUPPORTED_TAGS {
            let hit = tag == key
                || tag.starts_with(&format!("{key}-"))
                || tag.ends_with(&format!("-{key}"))
                || tag.contains(&format!("-{key}-"))
                || (*key == "gost" && tag.starts_with("gost"));
            if hit {
                return Some(format!("{why} ({tag})"));
            }
        }
    }
    for p in &row.params {
        for (flag, why) in UNSUPPORTED_FLAGS {
            if p.starts_with(flag) {
                return Some((*why).to_string());
            }
        }
    }
    None
}

/// Parses `2026-11-23+00:00:00` (xmlsec's format) or RFC 3339.
fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.replacen('+', "T", 1);
    let s = if s.ends_with('Z') { s } else { format!("{s}Z") };
    time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).ok()
}

fn read_cert(path: &Path) -> ezla::Result<ezla::pki::Certificate> {
    let bytes = std::fs::read(path).map_err(|e| ezla::Error::io(path, e))?;
    ezla::pki::Certificate::from_der_or_pem(&bytes)
}

/// What the flags ask for, with xmlsec1's meaning: a certificate from the document must
/// chain to `--trusted-*` anchors unless `--insecure`; `--verify-keys` validates a pinned
/// key's certificate too.
fn selection(row: &Row) -> ezla::Result<(KeySelection, VerifyPolicy)> {
    let bad = |what: &str| ezla::Error::internal(format!("flags: {what}"));
    let mut policy = VerifyPolicy::legacy();
    let mut pinned: Option<PublicKey> = None;
    let mut pinned_cert = None;
    let mut insecure = false;
    let mut verify_keys = false;
    let mut key_data: Option<String> = None;
    let mut trusted = Vec::new();
    let mut untrusted = Vec::new();
    let mut private_key: Option<(PathBuf, Option<String>, &str)> = None;
    let mut password = None;
    let mut i = 0;
    let p = &row.params;
    while i < p.len() {
        let flag = p[i].split(':').next().unwrap_or("");
        let arg = p.get(i + 1).map(|a| row.dir.join(a));
        match flag {
            "--pubkey-cert-der" | "--pubkey-cert-pem" => {
                let cert = read_cert(&arg.ok_or_else(|| bad("missing file"))?)?;
                pinned = Some(cert.public_key().clone());
                pinned_cert = Some(cert);
                i += 2;
            }
            "--insecure" => {
                insecure = true;
                i += 1;
            }
            "--verify-keys" => {
                verify_keys = true;
                i += 1;
            }
            "--enabled-key-data" => {
                key_data = p.get(i + 1).cloned();
                i += 2;
            }
            "--trusted-der" | "--trusted-pem" => {
                trusted.push(arg.ok_or_else(|| bad("missing file"))?);
                i += 2;
            }
            "--untrusted-der" | "--untrusted-pem" => {
                untrusted.push(arg.ok_or_else(|| bad("missing file"))?);
                i += 2;
            }
            "--pkcs8-pem" | "--privkey-pem" => {
                private_key = Some((arg.ok_or_else(|| bad("missing file"))?, None, "pkcs8"));
                i += 2;
            }
            "--pkcs12" => {
                private_key = Some((arg.ok_or_else(|| bad("missing file"))?, None, "pkcs12"));
                i += 2;
            }
            "--pwd" => {
                password = p.get(i + 1).cloned();
                i += 2;
            }
            "--verification-gmt-time" => {
                let t = p
                    .get(i + 1)
                    .and_then(|t| parse_time(t))
                    .ok_or_else(|| bad("bad time"))?;
                policy = policy.at(t);
                i += 2;
            }
            "--id-attr" | "--node-id" | "--node-name" => i += 2,
            _ => i += 1,
        }
    }
    if let Some((path, _, kind)) = private_key {
        let bytes = std::fs::read(&path).map_err(|e| ezla::Error::io(&path, e))?;
        let key = match kind {
            "pkcs12" => {
                ezla::pki::Identity::from_pkcs12(
                    &bytes,
                    password.as_deref(),
                    &ezla::pki::Pkcs12Options::default(),
                )?
                .key
            }
            _ => {
                let der = common::pem_decode(&bytes).ok_or_else(|| bad("bad PEM"))?;
                ezla::crypto::PrivateKey::from_pkcs8_der(&der)?
            }
        };
        use ezla::crypto::Signer;
        pinned = Some(key.public_key().clone());
    }
    let read_all = |paths: &[PathBuf]| -> ezla::Result<Vec<ezla::pki::Certificate>> {
        paths.iter().map(|p| read_cert(p)).collect()
    };
    let anchors = ezla::pki::TrustAnchors::new(read_all(&trusted)?);
    let extra = read_all(&untrusted)?;
    if let Some(key) = pinned {
        if let (true, Some(cert)) = (verify_keys, pinned_cert) {
            let at = policy.at.unwrap_or_else(time::OffsetDateTime::now_utc);
            anchors.verify(&cert, &extra, at)?;
        }
        return Ok((KeySelection::Pinned(key), policy));
    }
    let x509_enabled = key_data
        .as_deref()
        .is_none_or(|k| k.split(',').any(|d| d == "x509"));
    if x509_enabled && !insecure {
        return Ok((
            KeySelection::Trusted(Arc::new(WithIntermediates { anchors, extra })),
            policy,
        ));
    }
    Ok((KeySelection::EmbeddedUntrusted, policy))
}

/// Trust anchors plus the untrusted intermediates xmlsec1 was given on the command line.
#[derive(Debug)]
struct WithIntermediates {
    anchors: ezla::pki::TrustAnchors,
    extra: Vec<ezla::pki::Certificate>,
}

impl ezla::dsig::CertificateValidator for WithIntermediates {
    fn validate(
        &self,
        leaf: &ezla::pki::Certificate,
        intermediates: &[ezla::pki::Certificate],
        at: time::OffsetDateTime,
    ) -> ezla::Result<Vec<ezla::pki::Certificate>> {
        let mut all = self.extra.clone();
        all.extend_from_slice(intermediates);
        self.anchors.verify(leaf, &all, at)
    }
}

enum Verdict {
    Match,
    Mismatch(String),
    Unsupported(String),
}

fn run(row: &Row) -> Verdict {
    if let Some(why) = statically_unsupported(row) {
        return Verdict::Unsupported(why);
    }
    let path = row.dir.join(format!("{}.xml", row.file));
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(_) => {
            return Verdict::Unsupported(format!(
                "the vector file {} is not in the saved set",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("")
            ));
        }
    };
    let outcome: Result<(), ezla::Error> = (|| {
        let (keys, policy) = selection(row)?;
        let doc = Document::parse_bytes(&bytes)?;
        let signature = *find_signatures(&doc).first().ok_or(ezla::Error::Signature(
            ezla::error::SignatureError::Missing {
                detail: "no ds:Signature".into(),
            },
        ))?;
        Verifier::new(keys)
            .with_policy(policy)
            .verify(&doc, signature)?;
        Ok(())
    })();
    match outcome {
        Ok(()) if row.expected_success => Verdict::Match,
        Ok(()) => Verdict::Mismatch("verified, xmlsec expects a failure".into()),
        Err(e) if matches!(e.code(), ErrorCode::Unsupported | ErrorCode::UnsupportedKey) => {
            Verdict::Unsupported(e.to_string())
        }
        Err(e) if !row.expected_success => {
            let _ = e;
            Verdict::Match
        }
        Err(e) => Verdict::Mismatch(format!("failed ({:?}): {e}", e.code())),
    }
}

#[test]
fn xmlsec_dsig_suite() {
    let Some(vectors) = common::vectors_dir() else {
        return;
    };
    let base = vectors.join("xmldsig");
    let mut per_suite: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut unsupported = Vec::new();
    let mut mismatches = Vec::new();
    for row in rows(&base) {
        let suite = if row.file.contains('/') {
            row.file.split('/').next().unwrap_or("").to_string()
        } else {
            row.dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string()
        };
        let name = format!(
            "{suite}/{} (expect {})",
            row.file.rsplit('/').next().unwrap_or(&row.file),
            if row.expected_success {
                "success"
            } else {
                "fail"
            }
        );
        let entry = per_suite.entry(suite).or_default();
        match run(&row) {
            Verdict::Match => entry.0 += 1,
            Verdict::Mismatch(why) => {
                entry.1 += 1;
                mismatches.push(format!("{name}: {why}"));
            }
            Verdict::Unsupported(why) => {
                entry.2 += 1;
                unsupported.push(format!("{name}: {why}"));
            }
        }
    }
    let mut total = (0, 0, 0);
    for (suite, (m, x, u)) in &per_suite {
        println!("{suite}: {m} agree, {x} disagree, {u} unsupported");
        total = (total.0 + m, total.1 + x, total.2 + u);
    }
    println!(
        "xmlsec XML-DSig suite: {} agree, {} disagree, {} unsupported",
        total.0, total.1, total.2
    );
    println!("unsupported rows:");
    for u in &unsupported {
        println!("    {u}");
    }
    assert!(
        mismatches.is_empty(),
        "verdicts differ from xmlsec:\n{}",
        mismatches.join("\n")
    );
}
