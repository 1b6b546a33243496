//! Deeply nested ASN.1 never overflows the stack: every DER/BER reader over input (X.509,
//! PKCS#10, PKCS#8, PEM, PKCS#12 and its bags) refuses 100 000 levels of nesting with a typed
//! error. Our own recursive walker (`pkcs12::ber`) stops at its depth limit and the `der`
//! crate's readers at theirs (64 levels); each test runs on a 256 KiB stack, so that it proves
//! the bound rather than a lucky stack size.

use std::sync::OnceLock;

use der::{Decode, Encode};

use super::encode::{explicit, octets, oid, seq, uint};
use super::pkcs12::asn1;
use super::{
    Certificate, CertificateRequest, Identity, Name, PbeLimits, Pkcs12, Pkcs12Options, keyfile, pem,
};
use crate::ErrorCode;

/// Levels of nesting: far beyond any stack when walked recursively.
const LEVELS: usize = 100_000;

/// The stack the readers get: small enough that unbounded recursion over `LEVELS` fails.
const STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a [`STACK`]-byte stack; a stack overflow aborts the test run.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the reader panicked");
}

/// `levels` nested constructed elements with tag `tag` and definite (DER) lengths, built
/// outside-in in linear time.
fn nested_definite(tag: u8, levels: usize) -> Vec<u8> {
    fn header_len(len: usize) -> usize {
        match len {
            0..0x80 => 2,
            0x80..0x100 => 3,
            0x100..0x1_0000 => 4,
            0x1_0000..0x100_0000 => 5,
            _ => 6,
        }
    }
    // lengths[i]: the content length of the element at depth i (0 outermost).
    let mut lengths = vec![0usize; levels];
    let mut inner = 0;
    for i in (0..levels).rev() {
        lengths[i] = inner;
        inner += header_len(inner);
    }
    let mut out = Vec::with_capacity(inner);
    for len in lengths {
        out.push(tag);
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().position(|&b| b != 0).unwrap_or(7);
            out.push(0x80 | (8 - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
    }
    out
}

/// `levels` nested constructed elements with tag `tag` and indefinite (BER) lengths.
fn nested_indefinite(tag: u8, levels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(levels * 4);
    for _ in 0..levels {
        out.extend([tag, 0x80]);
    }
    out.resize(levels * 4, 0);
    out
}

/// The hostile blobs: SEQUENCEs, context tags, constructed OCTET STRINGs (which the BER
/// normaliser joins), definite and indefinite.
fn blobs() -> &'static [(&'static str, Vec<u8>)] {
    static BLOBS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    BLOBS.get_or_init(|| {
        vec![
            ("DER SEQUENCE", nested_definite(0x30, LEVELS)),
            ("DER [0]", nested_definite(0xa0, LEVELS)),
            ("DER SET", nested_definite(0x31, LEVELS)),
            ("BER SEQUENCE", nested_indefinite(0x30, LEVELS)),
            (
                "BER constructed OCTET STRING",
                nested_indefinite(0x24, LEVELS),
            ),
            (
                "DER constructed OCTET STRING",
                nested_definite(0x24, LEVELS),
            ),
        ]
    })
}

fn doctor() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| crate::test_support::test_doctor().1)
}

#[test]
fn the_blobs_are_as_deep_as_claimed() {
    for (name, blob) in blobs() {
        // Count the headers down the first-child chain without recursion.
        let mut depth = 0;
        let mut p = 0;
        while p + 1 < blob.len() && blob[p] & 0x20 != 0 {
            depth += 1;
            let l = blob[p + 1];
            p += 2 + if l > 0x80 { usize::from(l & 0x7f) } else { 0 };
        }
        assert_eq!(depth, LEVELS, "{name}");
    }
}

#[test]
fn certificates_requests_keys_and_names_refuse_deep_nesting() {
    on_small_stack(|| {
        for (name, blob) in blobs() {
            let err = Certificate::from_der(blob).expect_err(name);
            assert_eq!(err.code(), ErrorCode::DerMalformed, "{name}: {err}");
            assert!(Certificate::from_der_or_pem(blob).is_err(), "{name}");
            assert!(CertificateRequest::from_der(blob).is_err(), "{name}");
            assert!(Name::from_der(blob).is_err(), "{name}");
            assert!(
                keyfile::read_private_key(blob, None, &PbeLimits::default()).is_err(),
                "{name}"
            );
            assert!(
                keyfile::read_private_key(blob, Some("x"), &PbeLimits::default()).is_err(),
                "{name}"
            );
        }
    });
}

#[test]
fn pem_armoured_deep_nesting_is_refused() {
    on_small_stack(|| {
        for (name, blob) in blobs() {
            for label in [
                "CERTIFICATE",
                "CERTIFICATE REQUEST",
                "PRIVATE KEY",
                "ENCRYPTED PRIVATE KEY",
            ] {
                let text = pem::encode(label, blob);
                let blocks = pem::decode_all(text.as_bytes(), "test").expect("the armour is fine");
                assert_eq!(blocks[0].der.as_slice(), blob.as_slice());
                assert!(
                    Certificate::from_pem(text.as_bytes()).is_err(),
                    "{name} {label}"
                );
                // A bundle without CERTIFICATE blocks is an empty bundle, not an error.
                assert!(
                    Certificate::all_from_pem(text.as_bytes())
                        .map_or(true, |all| all.is_empty() && label != "CERTIFICATE"),
                    "{name} {label}"
                );
                assert!(
                    CertificateRequest::from_pem(text.as_bytes()).is_err(),
                    "{name} {label}"
                );
                assert!(
                    keyfile::read_private_key(text.as_bytes(), Some("x"), &PbeLimits::default())
                        .is_err(),
                    "{name} {label}"
                );
            }
        }
    });
}

/// The encoded children of the constructed element `der`.
fn children(der: &[u8]) -> Vec<Vec<u8>> {
    let any = der::asn1::AnyRef::from_der(der).expect("element");
    let mut reader = der::SliceReader::new(any.value()).expect("reader");
    let mut out = Vec::new();
    while !der::Reader::is_finished(&reader) {
        let child: der::asn1::AnyRef<'_> = der::Reader::decode(&mut reader).expect("child");
        out.push(child.to_der().expect("child"));
    }
    out
}

/// The doctor's certificate with one more (non-critical) extension, `extension` with the
/// value `value` (the signature no longer matches; parsing does not check it).
fn certificate_with_extension(value: &[u8], extension: &str) -> Vec<u8> {
    let cert = children(doctor().certificate.to_der());
    let mut tbs = children(&cert[0]);
    let last = tbs.len() - 1;
    assert_eq!(tbs[last][0], 0xa3, "the test certificate has extensions");
    let list = children(&tbs[last]);
    let mut extensions = children(&list[0]);
    let id = const_oid::ObjectIdentifier::new(extension).expect("oid");
    extensions.push(seq(&[&oid(&id), &octets(value)]));
    let extensions: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
    tbs[last] = explicit(3, &seq(&extensions));
    let tbs: Vec<&[u8]> = tbs.iter().map(Vec::as_slice).collect();
    seq(&[&seq(&tbs), &cert[1], &cert[2]])
}

/// Extensions whose value ezla does not decode.
const UNREAD: [&str; 2] = ["2.5.29.32", "1.2.3.4.5"];

#[test]
fn deep_nesting_inside_a_certificate_extension_is_refused() {
    // Extensions ezla reads (CRL distribution points, subjectAltName, authorityInfoAccess,
    // extKeyUsage, authorityKeyIdentifier), and two it only names or does not know
    // (certificatePolicies, a private OID), which are carried unread.
    let certs: Vec<(String, Vec<u8>)> = blobs()
        .iter()
        .filter(|(name, _)| name.starts_with("DER"))
        .flat_map(|(name, blob)| {
            [
                "2.5.29.31",
                "2.5.29.17",
                "1.3.6.1.5.5.7.1.1",
                "2.5.29.37",
                "2.5.29.35",
                UNREAD[0],
                UNREAD[1],
            ]
            .into_iter()
            .map(move |ext| {
                (
                    format!("{name} in {ext}"),
                    certificate_with_extension(blob, ext),
                )
            })
        })
        .collect();
    on_small_stack(move || {
        for (name, der) in &certs {
            match Certificate::from_der(der) {
                // A non-critical extension ezla does not read is carried as it is.
                Ok(c) => {
                    assert!(UNREAD.iter().any(|u| name.ends_with(u)), "{name}: opened");
                    let _ = (
                        c.subject().to_rfc4514(),
                        c.polish_identifiers(),
                        c.extensions(),
                    );
                }
                Err(e) => assert_eq!(e.code(), ErrorCode::DerMalformed, "{name}: {e}"),
            }
        }
    });
}

/// A PFX (no MAC) whose authenticated safe is `auth_safe`.
fn pfx(auth_safe: &[u8]) -> Vec<u8> {
    seq(&[
        &uint(3),
        &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(auth_safe))]),
    ])
}

/// A PFX (no MAC) with one plain SafeContents holding `bags`.
fn pfx_with_bags(bags: &[&[u8]]) -> Vec<u8> {
    let safe_contents = seq(bags);
    pfx(&seq(&[&seq(&[
        &oid(&asn1::ID_DATA),
        &explicit(0, &octets(&safe_contents)),
    ])]))
}

#[test]
fn pkcs12_refuses_deep_nesting_as_a_whole_file_and_in_every_layer() {
    let allow = Pkcs12Options::default().allowing_unprotected(true);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, blob) in blobs() {
        files.push((format!("{name}: the whole file"), blob.clone()));
        files.push((format!("{name}: the authenticated safe"), pfx(blob)));
        files.push((
            format!("{name}: a SafeContents"),
            pfx(&seq(&[&seq(&[
                &oid(&asn1::ID_DATA),
                &explicit(0, &octets(blob)),
            ])])),
        ));
        files.push((
            format!("{name}: a bag's content (safeContentsBag)"),
            pfx_with_bags(&[&seq(&[&oid(&asn1::SAFE_CONTENTS_BAG), &explicit(0, blob)])]),
        ));
        files.push((
            format!("{name}: a key bag"),
            pfx_with_bags(&[&seq(&[&oid(&asn1::KEY_BAG), &explicit(0, blob)])]),
        ));
        files.push((
            format!("{name}: a certificate bag's certificate"),
            pfx_with_bags(&[&seq(&[
                &oid(&asn1::CERT_BAG),
                &explicit(
                    0,
                    &seq(&[&oid(&asn1::X509_CERTIFICATE), &explicit(0, &octets(blob))]),
                ),
            ])]),
        ));
        files.push((
            format!("{name}: a certificate bag"),
            pfx_with_bags(&[&seq(&[&oid(&asn1::CERT_BAG), &explicit(0, blob)])]),
        ));
    }
    on_small_stack(move || {
        for (name, file) in &files {
            for options in [&allow, &Pkcs12Options::default()] {
                let err = Pkcs12::parse(file, Some("x"), options)
                    .map(|_| ())
                    .expect_err(name);
                assert!(
                    matches!(
                        err.code(),
                        ErrorCode::Pkcs12Corrupt
                            | ErrorCode::DerMalformed
                            | ErrorCode::Pkcs12Unprotected
                    ),
                    "{name}: {err}"
                );
                if name.ends_with("the whole file") {
                    // Our BER normaliser's own bound.
                    assert!(
                        err.to_string().contains("nesting deeper than 40 levels"),
                        "{name}: {err}"
                    );
                }
                assert!(
                    Identity::from_pkcs12(file, None, options).is_err(),
                    "{name}"
                );
            }
        }
    });
}
