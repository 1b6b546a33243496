//! Behaviour of the PKCS#12 reader and writer on files made here: round trips, password
//! forms, and every class of failure.

use std::time::{Duration, Instant};

use super::asn1;
use super::*;
use crate::ErrorCode;
use crate::crypto::{KeySpec, Signer};
use crate::pki::encode::{explicit, octets, oid, seq, uint};
use crate::pki::pbe::scheme::Scheme;
use crate::pki::testca::TestCa;
use crate::pki::{Certificate, Identity};

fn doctor() -> (TestCa, Identity) {
    crate::test_support::test_doctor()
}

fn write(id: &Identity, password: &str) -> Vec<u8> {
    id.to_pkcs12(password, 1000).expect("write")
}

fn code(r: crate::Result<Pkcs12>) -> ErrorCode {
    r.map(|_| ()).expect_err("must fail").code()
}

#[test]
fn round_trip_keeps_everything() {
    let (ca, id) = doctor();
    let pfx = write(&id, "tajne");
    let p = Pkcs12::parse(&pfx, Some("tajne"), &Pkcs12Options::default()).expect("parse");
    assert_eq!(p.keys.len(), 1);
    assert_eq!(p.certificates.len(), 2);
    assert!(p.skipped.is_empty());
    assert_eq!(p.keys[0].key.public_key(), id.key.public_key());
    assert_eq!(p.certificates[0].certificate, id.certificate);
    assert_eq!(p.certificates[1].certificate, *ca.certificate());
    assert_eq!(
        p.keys[0].attributes.friendly_name.as_deref(),
        Some("Jan Kowalski")
    );
    assert_eq!(
        p.keys[0].attributes.local_key_id,
        p.certificates[0].attributes.local_key_id
    );
    assert_eq!(
        p.info.mac,
        Some(MacInfo {
            digest: DigestAlgorithm::Sha256,
            iterations: 1000
        })
    );
    assert_eq!(p.info.encryptions.len(), 2);
    for e in &p.info.encryptions {
        assert_eq!(e.algorithm, "PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)");
        assert_eq!(e.iterations, 1000);
    }
    assert!(!p.info.is_legacy());
    assert_eq!(p.info.password_form, PasswordForm::Standard);

    let back =
        Identity::from_pkcs12(&pfx, Some("tajne"), &Pkcs12Options::default()).expect("identity");
    assert_eq!(back.certificate, id.certificate);
    assert_eq!(back.chain, vec![ca.certificate().clone()]);
    assert_eq!(back.friendly_name.as_deref(), Some("Jan Kowalski"));
    let alg = crate::crypto::SignatureAlgorithm::default_for(back.key_kind());
    let sig = back.sign(alg, b"e-ZLA").expect("sign");
    id.certificate
        .public_key()
        .verify(alg, b"e-ZLA", &sig)
        .expect("verify");
}

#[test]
fn passwords_absent_empty_and_non_ascii() {
    let (_, id) = doctor();
    let opts = Pkcs12Options::default();
    let empty = write(&id, "");
    let p = Pkcs12::parse(&empty, Some(""), &opts).expect("empty");
    assert_eq!(p.info.password_form, PasswordForm::Empty);
    // An absent password tries the empty form second.
    let p = Pkcs12::parse(&empty, None, &opts).expect("absent finds empty");
    assert_eq!(p.info.password_form, PasswordForm::Empty);
    assert_eq!(
        code(Pkcs12::parse(&empty, Some("x"), &opts)),
        ErrorCode::BadPassword
    );

    let polish = write(&id, "zażółć gęślą jaźń");
    Pkcs12::parse(&polish, Some("zażółć gęślą jaźń"), &opts).expect("utf-8 password");
    assert_eq!(
        code(Pkcs12::parse(&polish, Some("zazolc gesla jazn"), &opts)),
        ErrorCode::BadPassword
    );
    assert_eq!(
        code(Pkcs12::parse(&polish, None, &opts)),
        ErrorCode::BadPassword
    );
}

#[test]
fn wrong_password_mac_mismatch_and_altered_contents_are_told_apart() {
    let (_, id) = doctor();
    let pfx = write(&id, "tajne");
    let opts = Pkcs12Options::default();
    assert_eq!(
        code(Pkcs12::parse(&pfx, Some("Tajne"), &opts)),
        ErrorCode::BadPassword
    );

    // The MAC value is the 32 bytes before the MAC salt (16) and iteration count (4).
    let mac_at = pfx.len() - 4 - 18 - 32;
    let mut bad_mac = pfx.clone();
    bad_mac[mac_at] ^= 1;
    assert_eq!(
        code(Pkcs12::parse(&bad_mac, Some("tajne"), &opts)),
        ErrorCode::MacMismatch
    );
    assert_eq!(
        code(Pkcs12::parse(&bad_mac, Some("wrong"), &opts)),
        ErrorCode::BadPassword
    );

    // Flip a byte inside the encrypted certificate container: the MAC fails, the key bag
    // still decrypts, so the file was altered.
    let mut bad_content = pfx.clone();
    bad_content[200] ^= 0x40;
    assert_eq!(
        code(Pkcs12::parse(&bad_content, Some("tajne"), &opts)),
        ErrorCode::MacMismatch
    );
}

#[test]
fn truncated_and_random_input_is_corrupt_never_a_panic() {
    let (_, id) = doctor();
    let pfx = write(&id, "tajne");
    let opts = Pkcs12Options::default();
    for len in (0..pfx.len()).step_by(7).chain([pfx.len() - 1]) {
        let err = Pkcs12::parse(&pfx[..len], Some("tajne"), &opts)
            .map(|_| ())
            .expect_err("truncated");
        assert_eq!(err.code(), ErrorCode::Pkcs12Corrupt, "len {len}: {err}");
    }
    let mut state = 0x1234_5678_u32;
    for n in [1usize, 2, 10, 100, 5000] {
        let random: Vec<u8> = (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        assert_eq!(
            code(Pkcs12::parse(&random, None, &opts)),
            ErrorCode::Pkcs12Corrupt
        );
    }
    // Absurd declared lengths.
    for bytes in [
        &b"\x30\x84\x7f\xff\xff\xff\x02\x01\x03"[..],
        b"\x30\x88\x01\x02\x03\x04\x05\x06\x07\x08",
    ] {
        assert_eq!(
            code(Pkcs12::parse(bytes, None, &opts)),
            ErrorCode::Pkcs12Corrupt
        );
    }
    let big = vec![0u8; 17 << 20];
    let err = Pkcs12::parse(&big, None, &opts)
        .map(|_| ())
        .expect_err("too big");
    assert!(err.to_string().contains("limit"), "{err}");
}

/// A PFX with an empty authenticated safe and a MAC claiming `iterations`.
fn pfx_with_mac_iterations(iterations: u64) -> Vec<u8> {
    let auth_safe = seq(&[]);
    let sha1 = seq(&[&oid(&DigestAlgorithm::Sha1.oid()), &[5, 0]]);
    seq(&[
        &uint(3),
        &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(&auth_safe))]),
        &seq(&[
            &seq(&[&sha1, &octets(&[0; 20])]),
            &octets(&[1; 8]),
            &uint(iterations),
        ]),
    ])
}

#[test]
fn hostile_iteration_counts_are_refused_before_any_work() {
    let opts = Pkcs12Options::default();
    for iterations in [1_000_000_000, u64::from(u32::MAX) + 1, u64::MAX] {
        let start = Instant::now();
        let err = Pkcs12::parse(&pfx_with_mac_iterations(iterations), Some("x"), &opts)
            .map(|_| ())
            .expect_err("capped");
        assert!(
            start.elapsed() < Duration::from_millis(200),
            "took {:?}",
            start.elapsed()
        );
        match err {
            crate::Error::Key(crate::error::KeyError::IterationLimitExceeded {
                what,
                iterations: n,
                limit,
            }) => {
                assert_eq!(what, "MAC");
                assert_eq!(n, iterations);
                assert_eq!(limit, 10_000_000);
            }
            other => panic!("{other}"),
        }
    }
    // A shrouded key bag with 2^40 PBKDF2 iterations in a file with a cheap MAC.
    let mut scheme = Scheme::modern(1000).expect("scheme");
    if let Scheme::Pbes2 { iterations, .. } = &mut scheme {
        *iterations = 1 << 40;
    }
    let epki = seq(&[&scheme.to_der().expect("der"), &octets(&[0; 32])]);
    let bag = seq(&[&oid(&asn1::SHROUDED_KEY_BAG), &explicit(0, &epki)]);
    let auth_safe = seq(&[&seq(&[
        &oid(&asn1::ID_DATA),
        &explicit(0, &octets(&seq(&[&bag]))),
    ])]);
    let pfx = seq(&[
        &uint(3),
        &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(&auth_safe))]),
    ]);
    let start = Instant::now();
    let err = Pkcs12::parse(&pfx, Some("x"), &opts)
        .map(|_| ())
        .expect_err("capped");
    assert!(start.elapsed() < Duration::from_millis(200));
    assert!(
        matches!(
            err,
            crate::Error::Key(crate::error::KeyError::IterationLimitExceeded {
                what: "private key bag",
                ..
            })
        ),
        "{err}"
    );
}

#[test]
fn the_total_budget_stops_many_cheap_derivations() {
    let (_, id) = doctor();
    let pfx = write(&id, "tajne"); // MAC + 2 encryptions at 1000 iterations each
    let opts = Pkcs12Options {
        max_iterations: 1000,
        max_total_iterations: 2500,
        ..Pkcs12Options::default()
    };
    let err = Pkcs12::parse(&pfx, Some("tajne"), &opts)
        .map(|_| ())
        .expect_err("budget");
    assert!(
        matches!(
            err,
            crate::Error::Key(crate::error::KeyError::IterationLimitExceeded { limit: 2500, .. })
        ),
        "{err}"
    );
    let opts = Pkcs12Options {
        max_iterations: 999,
        ..Pkcs12Options::default()
    };
    assert_eq!(
        code(Pkcs12::parse(&pfx, Some("tajne"), &opts)),
        ErrorCode::IterationLimitExceeded
    );
}

#[test]
fn unsupported_structures_are_named() {
    let opts = Pkcs12Options::default();
    // Version 4.
    let pfx = seq(&[
        &uint(4),
        &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(&seq(&[])))]),
    ]);
    let err = Pkcs12::parse(&pfx, None, &opts)
        .map(|_| ())
        .expect_err("version");
    assert_eq!(err.code(), ErrorCode::Unsupported);
    // Public-key integrity mode.
    let pfx = seq(&[
        &uint(3),
        &seq(&[&oid(&asn1::ID_SIGNED_DATA), &explicit(0, &seq(&[]))]),
    ]);
    let err = Pkcs12::parse(&pfx, None, &opts)
        .map(|_| ())
        .expect_err("signedData");
    assert!(err.to_string().contains("signedData"), "{err}");
    // A MAC with an unknown digest (PBMAC1).
    let pbmac1 = seq(&[&oid(&const_oid::ObjectIdentifier::new_unwrap(
        "1.2.840.113549.1.5.14",
    ))]);
    let pfx = seq(&[
        &uint(3),
        &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(&seq(&[])))]),
        &seq(&[
            &seq(&[&pbmac1, &octets(&[0; 32])]),
            &octets(&[1; 8]),
            &uint(1),
        ]),
    ]);
    let err = Pkcs12::parse(&pfx, None, &opts)
        .map(|_| ())
        .expect_err("pbmac1");
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert!(
        err.to_string().contains("1.2.840.113549.1.5.14 (PBMAC1)"),
        "{err}"
    );
}

#[test]
fn identity_selection_errors() {
    let (ca, id) = doctor();
    let opts = Pkcs12Options::default();
    // A key with somebody else's certificate is refused when writing…
    let other = PrivateKey::generate(KeySpec::EcP256).expect("key");
    assert_eq!(
        Pkcs12Builder::new(&other, &id.certificate)
            .map(|_| ())
            .expect_err("mismatch")
            .code(),
        ErrorCode::KeyCertificateMismatch
    );
    // …and when reading contents assembled by hand.
    let p = Pkcs12 {
        keys: vec![KeyEntry {
            key: other,
            attributes: BagAttributes::default(),
        }],
        certificates: vec![CertificateEntry {
            certificate: id.certificate.clone(),
            attributes: BagAttributes::default(),
        }],
        skipped: vec![],
        info: Pkcs12Info {
            mac: None,
            encryptions: vec![],
            password_form: PasswordForm::Absent,
        },
    };
    let err = Identity::from_pkcs12_contents(p.clone()).expect_err("mismatch");
    assert_eq!(err.code(), ErrorCode::KeyCertificateMismatch);
    let mut no_key = p.clone();
    no_key.keys.clear();
    assert_eq!(
        Identity::from_pkcs12_contents(no_key)
            .expect_err("no key")
            .code(),
        ErrorCode::NoPrivateKey
    );
    let mut no_cert = p;
    no_cert.certificates.clear();
    assert_eq!(
        Identity::from_pkcs12_contents(no_cert)
            .expect_err("no cert")
            .code(),
        ErrorCode::NoCertificate
    );
    // Chain order follows issuer names, whatever the file order.
    let pfx = Pkcs12Builder::new(&id.key, &id.certificate)
        .expect("builder")
        .chain([ca.certificate().clone()])
        .iterations(1000)
        .build("x")
        .expect("build");
    let back = Identity::from_pkcs12(&pfx, Some("x"), &opts).expect("identity");
    assert_eq!(back.chain.len(), 1);
    let _: &Certificate = &back.chain[0];
}

#[test]
fn ber_encoded_files_open() {
    // Re-encode a DER file with indefinite lengths on the outer layers.
    let (_, id) = doctor();
    let der = write(&id, "tajne");
    let ber = to_indefinite(&der);
    assert_ne!(ber, der);
    let p = Pkcs12::parse(&ber, Some("tajne"), &Pkcs12Options::default()).expect("ber");
    assert_eq!(p.certificates[0].certificate, id.certificate);
}

/// Rewrites the outer SEQUENCE and the authSafe `[0]` with indefinite lengths.
fn to_indefinite(der: &[u8]) -> Vec<u8> {
    use der::{Decode, Encode};
    let outer = der::asn1::AnyRef::from_der(der).expect("outer");
    let mut r = der::SliceReader::new(outer.value()).expect("reader");
    let version: der::asn1::AnyRef<'_> = der::Reader::decode(&mut r).expect("version");
    let auth: der::asn1::AnyRef<'_> = der::Reader::decode(&mut r).expect("auth");
    let mac: der::asn1::AnyRef<'_> = der::Reader::decode(&mut r).expect("mac");
    let mut a = der::SliceReader::new(auth.value()).expect("auth reader");
    let ct: der::asn1::AnyRef<'_> = der::Reader::decode(&mut a).expect("oid");
    let content: der::asn1::AnyRef<'_> = der::Reader::decode(&mut a).expect("content");
    let mut out = vec![0x30, 0x80];
    out.extend(version.to_der().expect("v"));
    out.extend([0x30, 0x80]);
    out.extend(ct.to_der().expect("ct"));
    out.extend([0xa0, 0x80]);
    // The [0]'s content is an OCTET STRING: split it into two segments.
    let octets_value = content.value();
    let inner = der::asn1::AnyRef::from_der(octets_value).expect("octets");
    let bytes = inner.value();
    let (x, y) = bytes.split_at(bytes.len() / 2);
    out.extend([0x24, 0x80]);
    out.extend(octets(x));
    out.extend(octets(y));
    out.extend([0, 0, 0, 0, 0, 0]);
    out.extend(mac.to_der().expect("mac"));
    out.extend([0, 0]);
    out
}

mod mutations {
    //! Damaged files never panic and never hang: every outcome is a typed error (or, for a
    //! flip in an unauthenticated spot, a successful open).

    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;

    fn sample() -> &'static (Vec<u8>, Vec<u8>) {
        static SAMPLE: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
        SAMPLE.get_or_init(|| {
            let (_, id) = doctor();
            (write(&id, "tajne"), id.certificate.to_der().to_vec())
        })
    }

    const ALLOWED: &[ErrorCode] = &[
        ErrorCode::Pkcs12Corrupt,
        ErrorCode::MacMismatch,
        ErrorCode::BadPassword,
        ErrorCode::Unsupported,
        ErrorCode::IterationLimitExceeded,
        ErrorCode::DerMalformed,
        ErrorCode::UnknownCriticalExtension,
        ErrorCode::UnsupportedKey,
        // A flip that drops the MacData leaves a file without integrity protection.
        ErrorCode::Pkcs12Unprotected,
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn damaged_pkcs12_files(at in 0usize..4096, byte in any::<u8>(), cut in any::<bool>()) {
            let (pfx, _) = sample();
            let mut data = pfx.clone();
            let at = at % data.len();
            if cut {
                data.truncate(at);
            } else {
                data[at] = byte;
            }
            let opts = Pkcs12Options { max_total_iterations: 20_000, ..Pkcs12Options::default() };
            if let Err(e) = Pkcs12::parse(&data, Some("tajne"), &opts) {
                prop_assert!(ALLOWED.contains(&e.code()), "{e}");
            }
        }

        #[test]
        fn damaged_certificates(at in 0usize..2048, byte in any::<u8>()) {
            let (_, cert) = sample();
            let mut data = cert.clone();
            let at = at % data.len();
            data[at] = byte;
            if let Err(e) = Certificate::from_der(&data) {
                prop_assert!(ALLOWED.contains(&e.code()), "{e}");
            }
        }

        #[test]
        fn random_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = Pkcs12::parse(&data, None, &Pkcs12Options::default());
            let _ = Certificate::from_der(&data);
            let _ = crate::pki::CertificateRequest::from_der(&data);
            let _ = crate::pki::pem::decode_all(&data, "fuzz");
            let _ = crate::pki::keyfile::read_private_key(&data, Some("x"), &Pkcs12Options::default().pbe_limits());
            let _ = ber::to_der(&data);
        }
    }
}

/// A PFX without a MAC: the key in a plain `keyBag` and the certificate in a `certBag`,
/// nothing encrypted (what `openssl pkcs12 -export -keypbe NONE -certpbe NONE -nomac` writes).
fn plain_pfx_without_mac(id: &Identity) -> Vec<u8> {
    let key_bag = seq(&[&oid(&asn1::KEY_BAG), &explicit(0, id.key.pkcs8_der())]);
    let cert_bag = seq(&[
        &oid(&asn1::CERT_BAG),
        &explicit(
            0,
            &seq(&[
                &oid(&asn1::X509_CERTIFICATE),
                &explicit(0, &octets(id.certificate.to_der())),
            ]),
        ),
    ]);
    let safe_contents = seq(&[&key_bag, &cert_bag]);
    let auth_safe = seq(&[&seq(&[
        &oid(&asn1::ID_DATA),
        &explicit(0, &octets(&safe_contents)),
    ])]);
    seq(&[
        &uint(3),
        &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(&auth_safe))]),
    ])
}

/// The file ezla wrote, with its `MacData` cut off (the contents stay encrypted).
fn without_mac(pfx: &[u8]) -> Vec<u8> {
    use der::{Decode, Encode};
    let outer = der::asn1::AnyRef::from_der(pfx).expect("outer");
    let mut r = der::SliceReader::new(outer.value()).expect("reader");
    let version: der::asn1::AnyRef<'_> = der::Reader::decode(&mut r).expect("version");
    let auth: der::asn1::AnyRef<'_> = der::Reader::decode(&mut r).expect("auth");
    seq(&[
        &version.to_der().expect("version"),
        &auth.to_der().expect("auth"),
    ])
}

#[test]
fn a_file_without_a_mac_is_refused_unless_accepted() {
    let (_, id) = doctor();
    let allow = Pkcs12Options::default().allowing_unprotected(true);
    assert!(!Pkcs12Options::default().allow_unprotected);

    // Nothing encrypted, no MAC: any password would open it, so it is refused by default.
    let plain = plain_pfx_without_mac(&id);
    for password in [Some("tajne"), Some("anything at all"), None] {
        let err = Pkcs12::parse(&plain, password, &Pkcs12Options::default())
            .map(|_| ())
            .expect_err("refused");
        assert_eq!(err.code(), ErrorCode::Pkcs12Unprotected, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("no MAC")
                && text.contains("altered")
                && text.contains("any password")
                && text.contains("--allow-unprotected-pfx"),
            "{text}"
        );
        // Accepted explicitly, it opens — with whatever password was given.
        let p = Pkcs12::parse(&plain, password, &allow).expect("accepted");
        assert!(p.info.mac.is_none() && p.info.encryptions.is_empty());
        assert_eq!(p.keys[0].key.public_key(), id.key.public_key());
        let err = Identity::from_pkcs12(&plain, password, &Pkcs12Options::default())
            .expect_err("identity refused");
        assert_eq!(err.code(), ErrorCode::Pkcs12Unprotected);
        let back = Identity::from_pkcs12(&plain, password, &allow).expect("identity");
        assert_eq!(back.certificate, id.certificate);
    }

    // Encrypted but without a MAC: refused by default too; accepted, the password is checked
    // by decrypting only.
    let stripped = without_mac(&write(&id, "tajne"));
    let err = Pkcs12::parse(&stripped, Some("tajne"), &Pkcs12Options::default())
        .map(|_| ())
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::Pkcs12Unprotected, "{err}");
    assert!(err.to_string().contains("only by decrypting"), "{err}");
    let p = Pkcs12::parse(&stripped, Some("tajne"), &allow).expect("accepted");
    assert!(p.info.mac.is_none());
    assert_eq!(
        code(Pkcs12::parse(&stripped, Some("wrong"), &allow)),
        ErrorCode::BadPassword
    );
    // A file with a MAC is unaffected by the option.
    let protected = write(&id, "tajne");
    assert!(Pkcs12::parse(&protected, Some("tajne"), &Pkcs12Options::default()).is_ok());
    assert_eq!(
        code(Pkcs12::parse(&protected, Some("wrong"), &allow)),
        ErrorCode::BadPassword
    );
}
