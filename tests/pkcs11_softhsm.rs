//! ezla's PKCS#11 signer on SoftHSM2 tokens (`tools/softhsm-tokens.sh`): the e-ZLA sample
//! signed with an RSA-2048 and a P-256 token key and checked by `xmlsec1`, always-authenticate
//! keys, ECDH, batch signing on two threads, a token removed mid-batch, and every error the
//! issue lists, each leaving no session open.
//!
//! Each test runs in a child process with its own tokens (`ezla_tests::with_softhsm`).

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use ezla::ErrorCode;
use ezla::crypto::{
    DigestAlgorithm, KeyAgreement, KeyKind, KeySpec, PrivateKey, PublicKey, SignatureAlgorithm,
    Signer,
};
use ezla::pkcs11::{
    KeySelector, Module, ObjectKind, PinSource, Pkcs11Signer, SignerOptions, TokenSelector,
};
use ezla::xades::{self, BatchOptions, SignOptions, VerifyOptions};
use ezla_tests::{SoftHsm, have_tool, run, with_softhsm};

const KEDU: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<KEDU xmlns="http://www.zus.pl/2015/KED_ZLA_1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" wersja_schematu="1">
  <naglowek.KEDU><program><producent>ezla</producent><symbol>eZLA</symbol><wersja>1.0</wersja></program></naglowek.KEDU>
  <ZUSZLA id_dokumentu="155565" kolejnosc="0">
    <II><p1>68071892605</p1><p2>Filip</p2><p3>Jakubowski</p3><p4>1</p4></II>
    <VII><p1>1063324</p1><p2>THEO</p2><p3>KANIA</p3></VII>
  </ZUSZLA>
</KEDU>
"#;

/// The e-ZLA documents to sign: the inline one and, when the shared corpus is present, the
/// full ORYGINAŁ/KOPIA pair.
fn samples() -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("kedu".to_string(), KEDU.as_bytes().to_vec())];
    if let Some(vectors) = ezla_tests::vectors_dir() {
        for name in [
            "ked_zla_unsigned_oryginal_medfile",
            "ked_zla_unsigned_kopia_medfile",
        ] {
            let path = vectors.join("ezla").join(format!("{name}.xml"));
            out.push((name.to_string(), std::fs::read(&path).expect("sample")));
        }
    }
    out
}

fn open(
    module: &Module,
    token: &str,
    key: KeySelector,
    pin: PinSource,
) -> ezla::Result<Pkcs11Signer> {
    Pkcs11Signer::open(
        module,
        SignerOptions::new(TokenSelector::Label(token.to_string()), key, pin),
    )
}

fn label(l: &str) -> KeySelector {
    KeySelector::Label(l.to_string())
}

fn pin() -> PinSource {
    PinSource::value(SoftHsm::PIN)
}

fn xmlsec_verify(cert_pem: &Path, signed: &Path) {
    let out = run(Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(cert_pem)
        .args([
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        ])
        .arg(signed));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.contains("OK"),
        "xmlsec1 rejects {}: {stderr}",
        signed.display()
    );
}

#[test]
fn signs_the_ezla_sample_on_softhsm() {
    with_softhsm("signs_the_ezla_sample_on_softhsm", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let have_xmlsec = have_tool("xmlsec1");
        let mut verdicts = 0;
        for (key, kind) in [
            ("rsa", KeyKind::Rsa { bits: 2048 }),
            ("ec", KeyKind::EcP256),
        ] {
            let signer = open(&module, "ezla-test", label(key), pin()).expect("signer");
            assert_eq!(Signer::key_kind(&signer), kind);
            assert_eq!(signer.key_label(), key);
            assert!(!signer.always_authenticate());
            for (name, document) in samples() {
                let signed = xades::sign(
                    &document,
                    &signer,
                    signer.certificate(),
                    &[],
                    &SignOptions::default(),
                )
                .expect("sign on the token");
                let report = xades::verify(&signed, &VerifyOptions::default()).expect("verifies");
                assert_eq!(
                    report.signer.sha256_fingerprint,
                    signer
                        .certificate()
                        .fingerprint_hex(DigestAlgorithm::Sha256)
                );
                let path = hsm.dir.join(format!("{key}-{name}.signed.xml"));
                std::fs::write(&path, &signed).expect("write");
                if have_xmlsec {
                    xmlsec_verify(&hsm.dir.join(format!("{key}.crt.pem")), &path);
                    verdicts += 1;
                }
            }
            // Bare signatures with every digest the key's algorithm family takes.
            for digest in [
                DigestAlgorithm::Sha256,
                DigestAlgorithm::Sha384,
                DigestAlgorithm::Sha512,
            ] {
                let alg = match kind {
                    KeyKind::Rsa { .. } => SignatureAlgorithm::RsaPkcs1v15(digest),
                    _ => SignatureAlgorithm::Ecdsa(digest),
                };
                let sig = signer.sign(alg, b"message").expect("sign");
                Signer::public_key(&signer)
                    .verify(alg, b"message", &sig)
                    .unwrap_or_else(|e| panic!("{alg}: {e}"));
            }
            assert_eq!(signer.idle_sessions(), 1);
            assert_eq!(module.open_sessions(), 1);
        }
        assert_eq!(
            module.open_sessions(),
            0,
            "every signer closed its sessions"
        );

        // The same key by id, the token by serial; a certificate given by the caller.
        let serial = module
            .token(&TokenSelector::Label("ezla-test".into()))
            .expect("token")
            .serial;
        let cert = ezla::pki::Certificate::from_der_or_pem(
            &std::fs::read(hsm.dir.join("rsa.crt.pem")).expect("pem"),
        )
        .expect("cert");
        let by_id = Pkcs11Signer::open(
            &module,
            SignerOptions::new(
                TokenSelector::Serial(serial),
                KeySelector::Id(vec![1]),
                pin(),
            )
            .certificate(cert.clone()),
        )
        .expect("by id and serial");
        assert_eq!(by_id.certificate().to_der(), cert.to_der());
        assert_eq!(by_id.key_id(), [1]);
        drop(by_id);
        assert_eq!(module.open_sessions(), 0);
        println!("pkcs11: signed on SoftHSM, {verdicts} xmlsec1 verdicts OK");
    });
}

#[test]
fn lists_tokens_keys_and_certificates() {
    with_softhsm("lists_tokens_keys_and_certificates", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let tokens = module.tokens().expect("tokens");
        let labels: Vec<&str> = tokens.iter().map(|t| t.label.as_str()).collect();
        assert!(
            labels.contains(&"ezla-test") && labels.contains(&"ezla-gone"),
            "{labels:?}"
        );
        assert!(tokens.iter().all(|t| t.login_required && !t.pin_locked));
        let test = TokenSelector::Label("ezla-test".into());
        let public = module
            .objects(&test, &PinSource::None)
            .expect("public objects");
        assert_eq!(
            public
                .iter()
                .filter(|o| o.kind == ObjectKind::Certificate)
                .count(),
            3
        );
        assert!(public.iter().all(|o| o.kind != ObjectKind::PrivateKey));
        let all = module.objects(&test, &pin()).expect("all objects");
        let keys: Vec<_> = all
            .iter()
            .filter(|o| o.kind == ObjectKind::PrivateKey)
            .collect();
        assert_eq!(keys.len(), 4, "{all:?}");
        let aa = keys.iter().find(|k| k.label == "aa").expect("aa");
        assert!(aa.always_authenticate);
        assert_eq!(aa.id, [4]);
        let ec = keys.iter().find(|k| k.label == "ec").expect("ec");
        assert_eq!(ec.key_kind, Some(KeyKind::EcP256));
        let certs: Vec<_> = all.iter().filter_map(|o| o.certificate.as_ref()).collect();
        assert_eq!(certs.len(), 3);
        assert_eq!(module.open_sessions(), 0);
    });
}

#[test]
fn token_errors_are_typed_and_leave_no_session() {
    with_softhsm("token_errors_are_typed_and_leave_no_session", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let cases: Vec<(&str, ezla::Result<Pkcs11Signer>, ErrorCode)> = vec![
            (
                "wrong PIN",
                open(&module, "ezla-test", label("rsa"), PinSource::value("0000")),
                ErrorCode::PinIncorrect,
            ),
            (
                "PIN variable unset",
                open(
                    &module,
                    "ezla-test",
                    label("rsa"),
                    PinSource::env("EZLA_TEST_PIN_NEVER_SET"),
                ),
                ErrorCode::PinUnavailable,
            ),
            (
                "PIN callback declines",
                open(
                    &module,
                    "ezla-test",
                    label("rsa"),
                    PinSource::callback(|_| None),
                ),
                ErrorCode::PinUnavailable,
            ),
            (
                "missing token",
                open(&module, "no-such-token", label("rsa"), pin()),
                ErrorCode::TokenNotFound,
            ),
            (
                "missing key",
                open(&module, "ezla-test", label("no-such-key"), pin()),
                ErrorCode::TokenKeyNotFound,
            ),
            (
                "missing key id",
                open(&module, "ezla-test", KeySelector::Id(vec![9, 9]), pin()),
                ErrorCode::TokenKeyNotFound,
            ),
            (
                "key without a certificate",
                open(&module, "ezla-test", label("nocert"), pin()),
                ErrorCode::TokenCertificateNotFound,
            ),
        ];
        for (what, result, want) in cases {
            let err = result.expect_err(what);
            assert_eq!(err.code(), want, "{what}: {err}");
            assert_eq!(module.open_sessions(), 0, "{what} left a session open");
            println!("{what}: {err}");
        }
        // A certificate that is not the key's.
        let ca = ezla::pki::testca::TestCa::generate(
            "other",
            time::OffsetDateTime::now_utc() - time::Duration::days(1),
            30,
        )
        .expect("ca");
        let wrong = Pkcs11Signer::open(
            &module,
            SignerOptions::new(
                TokenSelector::Label("ezla-test".into()),
                label("rsa"),
                pin(),
            )
            .certificate(ca.certificate().clone()),
        );
        let err = wrong.expect_err("mismatch");
        assert!(
            matches!(err.code(), ErrorCode::KeyCertificateMismatch),
            "{err}"
        );
        assert_eq!(module.open_sessions(), 0);
        // The missing-key error names what is there.
        let err = open(&module, "ezla-test", label("no-such-key"), pin()).expect_err("missing");
        assert!(err.to_string().contains("\"rsa\""), "{err}");

        // Files that are not PKCS#11 modules.
        let libc = [
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/lib/aarch64-linux-gnu/libc.so.6",
        ]
        .into_iter()
        .find(|p| Path::new(p).exists());
        let mut not_modules = vec!["/bin/ls", "/nonexistent/libpkcs11.so"];
        not_modules.extend(libc);
        for path in not_modules {
            let err = Module::open(path).expect_err(path);
            assert_eq!(err.code(), ErrorCode::Pkcs11ModuleInvalid, "{path}: {err}");
            assert!(err.to_string().contains(path), "{err}");
            println!("{path}: {err}");
        }
    });
}

/// A card's PIN lockout, through `tools/pkcs11-lockout.c` in front of SoftHSM (which never
/// locks): wrong PINs say when few tries remain, a right PIN resets the count, the third
/// wrong PIN in a row is reported as locked, and a locked token is refused before any login
/// is tried, even with the right PIN; `ezla`'s token listing shows it. No session is left.
#[test]
fn a_locked_pin_is_typed_and_never_tried() {
    with_softhsm("a_locked_pin_is_typed_and_never_tried", |hsm| {
        let Some(shim) = ezla_tests::pkcs11_lockout_module(hsm) else {
            return;
        };
        let module = Module::open(&shim).expect("the lockout module");
        let wrong = |module: &Module| {
            open(module, "ezla-test", label("rsa"), PinSource::value("0000"))
                .expect_err("wrong PIN")
        };
        let locked_now = |module: &Module| {
            let tokens = module.tokens().expect("tokens");
            let token = tokens
                .iter()
                .find(|t| t.label == "ezla-test")
                .expect("token");
            (token.pin_count_low, token.pin_locked)
        };
        assert_eq!(locked_now(&module), (false, false));

        // Two wrong PINs: typed, and the second says few tries remain.
        let first = wrong(&module);
        assert_eq!(first.code(), ErrorCode::PinIncorrect, "{first}");
        let second = wrong(&module);
        assert!(
            matches!(
                &second,
                ezla::Error::Key(ezla::error::KeyError::PinIncorrect {
                    tries_low: true,
                    ..
                })
            ),
            "{second}"
        );
        assert!(second.to_string().contains("few tries remain"), "{second}");
        assert_eq!(locked_now(&module), (true, false));
        // The right PIN still works and resets the count.
        let signer = open(&module, "ezla-test", label("rsa"), pin()).expect("right PIN");
        signer
            .sign(
                SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256),
                b"x",
            )
            .expect("sign");
        drop(signer);
        assert_eq!(locked_now(&module), (false, false));

        // Three wrong PINs in a row: the third locks the PIN and is reported so.
        for _ in 0..2 {
            assert_eq!(wrong(&module).code(), ErrorCode::PinIncorrect);
        }
        let third = wrong(&module);
        assert_eq!(third.code(), ErrorCode::PinLocked, "{third}");
        assert!(third.to_string().contains("locked"), "{third}");
        assert!(locked_now(&module).1);
        // Now even the right PIN is refused, before any C_Login (which would answer
        // CKR_PIN_LOCKED too): the error is the same either way, the token's flag decides.
        let err = open(&module, "ezla-test", label("rsa"), pin()).expect_err("locked");
        assert_eq!(err.code(), ErrorCode::PinLocked, "{err}");
        assert_eq!(
            module.open_sessions(),
            0,
            "a locked token left a session open"
        );
        println!("locked: {err}");
    });
}

#[test]
fn always_authenticate_logs_in_before_each_signature() {
    with_softhsm("always_authenticate_logs_in_before_each_signature", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let asked = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&asked);
        let signer = open(
            &module,
            "ezla-test",
            label("aa"),
            PinSource::callback(move |req| {
                if req.context_specific {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                Some(zeroize::Zeroizing::new(SoftHsm::PIN.to_string()))
            }),
        )
        .expect("aa signer");
        assert!(signer.always_authenticate());
        let alg = SignatureAlgorithm::RsaPkcs1v15(DigestAlgorithm::Sha256);
        for i in 0..3 {
            let sig = signer
                .sign(alg, format!("message {i}").as_bytes())
                .expect("sign");
            Signer::public_key(&signer)
                .verify(alg, format!("message {i}").as_bytes(), &sig)
                .expect("verifies");
        }
        assert_eq!(
            asked.load(Ordering::SeqCst),
            3,
            "one context-specific PIN per signature"
        );
        let signed = xades::sign(
            KEDU.as_bytes(),
            &signer,
            signer.certificate(),
            &[],
            &SignOptions::default(),
        )
        .expect("xades on an always-authenticate key");
        xades::verify(&signed, &VerifyOptions::default()).expect("verifies");
        drop(signer);

        // A wrong context-specific PIN is a typed error and closes the session.
        let signer = open(
            &module,
            "ezla-test",
            label("aa"),
            PinSource::callback(|req| {
                Some(zeroize::Zeroizing::new(
                    if req.context_specific {
                        "0000"
                    } else {
                        SoftHsm::PIN
                    }
                    .to_string(),
                ))
            }),
        )
        .expect("aa signer");
        let err = signer.sign(alg, b"x").expect_err("wrong PIN");
        assert_eq!(err.code(), ErrorCode::PinIncorrect, "{err}");
        assert_eq!(signer.idle_sessions(), 0);
        // Without CKM_ECDSA_SHA256 on SoftHSM an always-authenticate EC key could not sign;
        // an RSA key without SHA-1 in the mechanism list is the same case, but SoftHSM has it.
        drop(signer);
        assert_eq!(module.open_sessions(), 0);
    });
}

#[test]
fn ecdh_on_a_token_key() {
    with_softhsm("ecdh_on_a_token_key", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let token = open(&module, "ezla-test", label("ec"), pin()).expect("ec");
        let software = PrivateKey::generate(KeySpec::EcP256).expect("p256");
        let z = token
            .agree(Signer::public_key(&software))
            .expect("token side");
        assert_eq!(z.len(), 32);
        let token_public: &PublicKey = KeyAgreement::public_key(&token);
        assert_eq!(z, software.agree(token_public).expect("software side"));
        // A P-384 or RSA peer is refused before the token is asked.
        let rsa = PrivateKey::generate(KeySpec::Rsa2048).expect("rsa");
        assert_eq!(
            token
                .agree(Signer::public_key(&rsa))
                .expect_err("rsa peer")
                .code(),
            ErrorCode::InvalidArgument
        );
        // An RSA token key cannot agree.
        let rsa_token = open(&module, "ezla-test", label("rsa"), pin()).expect("rsa");
        assert_eq!(
            rsa_token
                .agree(Signer::public_key(&software))
                .expect_err("rsa")
                .code(),
            ErrorCode::UnsupportedKey
        );
        drop((token, rsa_token));
        assert_eq!(module.open_sessions(), 0);
    });
}

#[test]
fn batch_signs_on_two_threads_with_a_session_each() {
    with_softhsm("batch_signs_on_two_threads_with_a_session_each", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let signer = open(&module, "ezla-test", label("rsa"), pin()).expect("rsa");
        let documents: Vec<String> = (0..12)
            .map(|i| KEDU.replace("155565", &format!("{}", 200 + i)))
            .collect();
        let results = xades::sign_many(
            &documents,
            &signer,
            signer.certificate(),
            &[],
            &SignOptions::default(),
            &BatchOptions::default().threads(2),
        );
        assert_eq!(results.len(), 12);
        for (i, r) in results.iter().enumerate() {
            let signed = r.as_ref().expect("signed");
            xades::verify(signed, &VerifyOptions::default()).expect("verifies");
            assert!(
                String::from_utf8_lossy(signed).contains(&format!("id_dokumentu=\"{}\"", 200 + i))
            );
        }
        let idle = signer.idle_sessions();
        assert!(
            (1..=2).contains(&idle),
            "{idle} idle sessions for two workers"
        );
        drop(signer);
        assert_eq!(module.open_sessions(), 0);
    });
}

/// Deletes the token (`softhsm2-util --delete-token`) after the first signature.
#[derive(Debug)]
struct RemovedAfterFirst<'a> {
    inner: &'a Pkcs11Signer,
    done: AtomicUsize,
    conf: std::path::PathBuf,
}

impl Signer for RemovedAfterFirst<'_> {
    fn public_key(&self) -> &PublicKey {
        Signer::public_key(self.inner)
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> ezla::Result<Vec<u8>> {
        let r = self.inner.sign(algorithm, message);
        if self.done.fetch_add(1, Ordering::SeqCst) == 0 {
            ezla_tests::run_ok(
                Command::new("softhsm2-util")
                    .args(["--delete-token", "--token", "ezla-gone"])
                    .env("SOFTHSM2_CONF", &self.conf),
            );
        }
        r
    }
}

#[test]
fn token_removed_mid_batch() {
    with_softhsm("token_removed_mid_batch", |hsm| {
        let module = Module::open(&hsm.module).expect("module");
        let signer = open(&module, "ezla-gone", label("rsa"), pin()).expect("signer");
        let removing = RemovedAfterFirst {
            inner: &signer,
            done: AtomicUsize::new(0),
            conf: hsm.dir.join("softhsm2.conf"),
        };
        let documents = vec![KEDU; 4];
        let results = xades::sign_many(
            &documents,
            &removing,
            signer.certificate(),
            &[],
            &SignOptions::default(),
            &BatchOptions::default().threads(1),
        );
        assert!(results[0].is_ok(), "{:?}", results[0]);
        for r in &results[1..] {
            let err = r.as_ref().expect_err("token gone");
            assert_eq!(err.code(), ErrorCode::TokenRemoved, "{err}");
        }
        println!("after removal: {}", results[1].as_ref().expect_err("gone"));
        assert_eq!(
            signer.idle_sessions(),
            0,
            "the sessions of a removed token are closed"
        );
        drop(signer);
        assert_eq!(module.open_sessions(), 0);
    });
}
