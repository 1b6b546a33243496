//! Sweeps every file under `../shared/vectors/pkcs12/` (PyCA, RustCrypto, p12-keystore and
//! NIST PKITS files) with the passwords its README gives, against expectations encoded here
//! as data. Prints `N opened, N rejected as expected, N unexpected` and fails on anything
//! unexpected. A second pass opens every file that opened with a wrong password and expects
//! `BadPassword`.
//!
//! Decisions encoded in the table:
//! * Ed25519 / Ed448 files are refused with `Unsupported` naming the key's OID: ezla signs
//!   with RSA and ECDSA only, and opening a key store without its key would hide that.
//! * Java secret-key entries (`secretBag`) are skipped and listed; the private key and
//!   certificates of the same store open.
//! * A trust store with a DSA certificate opens; the DSA certificate is skipped and listed.
//! * The BLAKE2b-512 MAC is refused with `Unsupported` naming its OID.
//! * Files that are not PKCS#12 (certificates, keys, the README) are `Pkcs12Corrupt`.

mod common;

use std::path::{Path, PathBuf};

use ezla::ErrorCode;
use ezla::pki::{Pkcs12, Pkcs12Options};

/// What a file must do.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Opens, with this many keys, certificates and skipped bags, legacy or not.
    Open {
        keys: usize,
        certs: usize,
        skipped: usize,
        legacy: bool,
    },
    /// Is rejected with this code, the message containing this text.
    Reject(ErrorCode, &'static str),
}

use Expect::{Open, Reject};

const fn open(keys: usize, certs: usize, legacy: bool) -> Expect {
    Open {
        keys,
        certs,
        skipped: 0,
        legacy,
    }
}

/// A password as the README gives it: `None` is an absent (NULL) password.
type Password = Option<&'static str>;

/// (file, password, expectation); the file is relative to the `pkcs12` vectors folder.
#[rustfmt::skip]
const TABLE: &[(&str, Password, Expect)] = &[
    // PyCA cryptography_vectors 50.0.2.
    ("pyca-cryptography_vectors/cert-aes256cbc-no-key.p12", Some("cryptography"), open(0, 1, true)),
    ("pyca-cryptography_vectors/cert-key-aes256cbc.p12", Some("cryptography"), open(1, 1, true)),
    ("pyca-cryptography_vectors/cert-none-key-none.p12", Some("cryptography"), open(1, 1, true)),
    ("pyca-cryptography_vectors/cert-rc2-key-3des.p12", Some("cryptography"), open(1, 1, true)),
    ("pyca-cryptography_vectors/java-truststore.p12", Some(""), Open { keys: 0, certs: 1, skipped: 1, legacy: false }),
    ("pyca-cryptography_vectors/name-1-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-1-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-2-3-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-2-3-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-2-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-2-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-3-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-3-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-all-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-all-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-unicode-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/name-unicode-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/no-cert-key-aes256cbc.p12", Some("cryptography"), open(1, 0, true)),
    ("pyca-cryptography_vectors/no-cert-name-2-no-pwd.p12", Some(""), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-2-pwd.p12", Some("password"), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-3-no-pwd.p12", Some(""), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-3-pwd.p12", Some("password"), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-all-no-pwd.p12", Some(""), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-all-pwd.p12", Some("password"), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-unicode-no-pwd.p12", Some(""), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-name-unicode-pwd.p12", Some("password"), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-no-name-no-pwd.p12", Some(""), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-cert-no-name-pwd.p12", Some("password"), open(0, 2, true)),
    ("pyca-cryptography_vectors/no-name-no-pwd.p12", Some(""), open(1, 3, true)),
    ("pyca-cryptography_vectors/no-name-pwd.p12", Some("password"), open(1, 3, true)),
    ("pyca-cryptography_vectors/no-password.p12", None, open(1, 1, true)),
    // RustCrypto formats pkcs12 examples.
    ("rustcrypto-formats/ValidCertificatePathTest1EE.p12", Some("password"), open(1, 1, true)),
    ("rustcrypto-formats/ValidCertificatePathTest1EE_firefox.p12", Some("password"), open(1, 1, true)),
    ("rustcrypto-formats/ValidCertificatePathTest1EE_macos.p12", Some("password"), open(1, 1, true)),
    ("rustcrypto-formats/ValidCertificatePathTest1EE_windows_aes.p12.pfx", Some("password"), open(1, 1, false)),
    ("rustcrypto-formats/ValidCertificatePathTest1EE_windows_tdes.p12.pfx", Some("password"), open(1, 1, true)),
    ("rustcrypto-formats/example.pfx", Some(""), open(1, 1, false)),
    ("rustcrypto-formats/example10.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example11.pfx", Some("1234"), Reject(ErrorCode::Unsupported, "1.3.6.1.4.1.1722.12.2.1.16")),
    ("rustcrypto-formats/example12.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example13.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example14.pfx", Some("1234"), open(1, 1, true)),
    ("rustcrypto-formats/example15.pfx", Some("1234"), open(0, 1, true)),
    ("rustcrypto-formats/example16.pfx", Some("1234"), open(1, 0, true)),
    ("rustcrypto-formats/example17.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example2.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example3.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example4.pfx", Some("1234"), open(1, 1, true)),
    // No MAC: refused unless accepted explicitly (opened with allow_unprotected below).
    ("rustcrypto-formats/example5.pfx", Some("1234"), Reject(ErrorCode::Pkcs12Unprotected, "no MAC")),
    ("rustcrypto-formats/example6.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example7.pfx", Some("1234"), open(1, 2, false)),
    ("rustcrypto-formats/example8.pfx", Some("1234"), open(1, 1, false)),
    ("rustcrypto-formats/example9.pfx", Some("1234"), open(1, 1, false)),
    // p12-keystore (Java key stores).
    ("p12-keystore/clear_twocert.p12", Some(""), open(1, 2, true)),
    ("p12-keystore/pbes1-keystore.p12", Some("changeit"), open(2, 5, true)),
    ("p12-keystore/pbes1-truststore.p12", Some("changeit"), open(0, 1, true)),
    ("p12-keystore/pbes2-keystore-with-secret-keys.p12", Some("changeit"), Open { keys: 1, certs: 3, skipped: 12, legacy: true }),
    ("p12-keystore/pbes2-keystore.p12", Some("changeit"), open(2, 5, false)),
    ("p12-keystore/pbes2-truststore.p12", Some("changeit"), open(0, 1, false)),
    ("p12-keystore/pfx-ed25519.pfx", Some("changeit"), Reject(ErrorCode::Unsupported, "1.3.101.112")),
    ("p12-keystore/pfx-ed448.pfx", Some("changeit"), Reject(ErrorCode::Unsupported, "1.3.101.113")),
    // NIST PKITS sample.
    ("nist-pkits-sample/BadnotAfterDateCACert.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/BadnotBeforeDateCACert.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/GoodCACert.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/InvalidCAnotAfterDateTest5EE.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/InvalidCAnotBeforeDateTest1EE.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/InvalidEEnotAfterDateTest6EE.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/InvalidEEnotBeforeDateTest2EE.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/Invalidpre2000UTCEEnotAfterDateTest7EE.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/TrustAnchorRootCertificate.p12", Some("password"), open(1, 1, true)),
    ("nist-pkits-sample/ValidCertificatePathTest1EE.p12", Some("password"), open(1, 1, true)),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn is_pkcs12_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("p12" | "pfx")
    )
}

/// Checks one outcome; `Err` describes the surprise.
fn judge(result: ezla::Result<Pkcs12>, expect: Expect) -> Result<bool, String> {
    match (result, expect) {
        (
            Ok(p),
            Open {
                keys,
                certs,
                skipped,
                legacy,
            },
        ) => {
            let got = (
                p.keys.len(),
                p.certificates.len(),
                p.skipped.len(),
                p.info.is_legacy(),
            );
            if got == (keys, certs, skipped, legacy) {
                Ok(true)
            } else {
                Err(format!(
                    "opened with (keys, certs, skipped, legacy) = {got:?}, expected {:?}",
                    (keys, certs, skipped, legacy)
                ))
            }
        }
        (Ok(_), Reject(code, _)) => Err(format!("opened, expected {}", code.name())),
        (Err(e), Reject(code, text)) if e.code() == code && e.to_string().contains(text) => {
            Ok(false)
        }
        (Err(e), _) => Err(format!("rejected with {} ({e})", e.code().name())),
    }
}

#[test]
fn sweep_the_pkcs12_vectors() {
    let Some(vectors) = common::vectors_dir() else {
        return;
    };
    let dir = vectors.join("pkcs12");
    let options = Pkcs12Options::default();
    let (mut opened, mut rejected, mut unexpected) = (0, 0, Vec::new());
    let mut opened_files = Vec::new();
    for path in files(&dir) {
        let rel = path
            .strip_prefix(&dir)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let data = std::fs::read(&path).expect("read");
        let (password, expect) = match TABLE.iter().find(|(f, _, _)| *f == rel) {
            Some((_, p, e)) => (*p, *e),
            None if !is_pkcs12_name(&path) => (None, Reject(ErrorCode::Pkcs12Corrupt, "")),
            None => {
                unexpected.push(format!("{rel}: not in the expectation table"));
                continue;
            }
        };
        match judge(Pkcs12::parse(&data, password, &options), expect) {
            Ok(true) => {
                opened += 1;
                opened_files.push((rel, data));
            }
            Ok(false) => rejected += 1,
            Err(why) => unexpected.push(format!("{rel}: {why}")),
        }
    }
    for (file, _, _) in TABLE {
        if !dir.join(file).is_file() {
            unexpected.push(format!("{file}: listed but missing"));
        }
    }
    println!(
        "{opened} opened, {rejected} rejected as expected, {} unexpected",
        unexpected.len()
    );
    for u in &unexpected {
        println!("UNEXPECTED {u}");
    }

    // Every file that opened refuses a wrong password.
    let mut wrong_unexpected = Vec::new();
    for (rel, data) in &opened_files {
        match Pkcs12::parse(data, Some("not the password"), &options) {
            Err(e) if e.code() == ErrorCode::BadPassword => {}
            Err(e) => wrong_unexpected.push(format!("{rel}: {} ({e})", e.code().name())),
            Ok(_) => wrong_unexpected.push(format!("{rel}: opened with a wrong password")),
        }
    }
    println!(
        "wrong password: {} rejected as BadPassword, {} unexpected",
        opened_files.len() - wrong_unexpected.len(),
        wrong_unexpected.len()
    );
    for u in &wrong_unexpected {
        println!("UNEXPECTED {u}");
    }
    assert!(unexpected.is_empty() && wrong_unexpected.is_empty());
    assert!(opened > 50, "only {opened} files opened");
}

/// Spot checks of what the files hold.
#[test]
fn contents_of_selected_files() {
    let Some(vectors) = common::vectors_dir() else {
        return;
    };
    let dir = vectors.join("pkcs12");
    let read = |f: &str, pw: Password| {
        Pkcs12::parse(
            &std::fs::read(dir.join(f)).expect("read"),
            pw,
            &Pkcs12Options::default(),
        )
        .unwrap_or_else(|e| panic!("{f}: {e}"))
    };
    let names = |p: &Pkcs12| -> Vec<Option<String>> {
        p.certificates
            .iter()
            .map(|c| c.attributes.friendly_name.clone())
            .collect()
    };
    let p = read(
        "pyca-cryptography_vectors/name-unicode-pwd.p12",
        Some("password"),
    );
    assert_eq!(
        names(&p),
        [Some("☺".into()), Some("ä".into()), Some("ç".into())]
    );
    // Windows writes a NUL-terminated friendly name; it is trimmed.
    let p = read(
        "rustcrypto-formats/ValidCertificatePathTest1EE_windows_aes.p12.pfx",
        Some("password"),
    );
    assert_eq!(names(&p), [Some("Valid Certificate Path Test1 EE".into())]);
    assert_eq!(p.info.mac.as_ref().map(|m| m.iterations), Some(2000));
    // The Firefox file is BER with 600 000 iterations.
    let p = read(
        "rustcrypto-formats/ValidCertificatePathTest1EE_firefox.p12",
        Some("password"),
    );
    assert!(p.info.encryptions.iter().all(|e| e.iterations == 600_000));
    // The NULL password and the empty password are different.
    let p = read("pyca-cryptography_vectors/no-password.p12", None);
    assert_eq!(
        p.info.password_form,
        ezla::pki::pkcs12::PasswordForm::Absent
    );
    let data = std::fs::read(dir.join("pyca-cryptography_vectors/no-password.p12")).expect("read");
    // `Some("")` tries the empty form first, then the absent one, and so still opens.
    assert!(Pkcs12::parse(&data, Some(""), &Pkcs12Options::default()).is_ok());
    // A cap below the file's count is refused before any work.
    let data =
        std::fs::read(dir.join("rustcrypto-formats/ValidCertificatePathTest1EE_firefox.p12"))
            .expect("read");
    let start = std::time::Instant::now();
    let err = Pkcs12::parse(
        &data,
        Some("password"),
        &Pkcs12Options::with_max_iterations(100_000),
    )
    .map(|_| ())
    .expect_err("capped");
    assert_eq!(err.code(), ErrorCode::IterationLimitExceeded);
    assert!(start.elapsed() < std::time::Duration::from_millis(100));
    // Secret-key entries are listed as skipped.
    let p = read(
        "p12-keystore/pbes2-keystore-with-secret-keys.p12",
        Some("changeit"),
    );
    assert!(
        p.skipped.iter().all(|s| s.bag_type.contains("secretBag")),
        "{:?}",
        p.skipped
    );
    let p = read("pyca-cryptography_vectors/java-truststore.p12", Some(""));
    assert!(
        p.skipped[0].reason.contains("1.2.840.10040.4.1"),
        "{:?}",
        p.skipped
    );
    // The file without a MAC opens when that is accepted explicitly; the password is then
    // checked only by decrypting.
    let data = std::fs::read(dir.join("rustcrypto-formats/example5.pfx")).expect("read");
    let unprotected = Pkcs12Options::default().allowing_unprotected(true);
    let p = Pkcs12::parse(&data, Some("1234"), &unprotected).expect("example5 accepted");
    assert!(p.info.mac.is_none());
    assert_eq!((p.keys.len(), p.certificates.len()), (1, 1));
    assert_eq!(
        Pkcs12::parse(&data, Some("wrong"), &unprotected)
            .map(|_| ())
            .expect_err("wrong password")
            .code(),
        ErrorCode::BadPassword
    );
    // Identities pick the certificate for the key.
    let id = ezla::pki::Identity::from_pkcs12(
        &std::fs::read(dir.join("pyca-cryptography_vectors/name-all-pwd.p12")).expect("read"),
        Some("password"),
        &Pkcs12Options::default(),
    )
    .expect("identity");
    assert_eq!(id.friendly_name.as_deref(), Some("name"));
}
