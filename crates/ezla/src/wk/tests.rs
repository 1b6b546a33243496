//! Unit tests of the wk module on the genuine captures (`../shared/vectors/wk/`) and on
//! messages of the emulator.

use std::path::PathBuf;
use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::datetime;

use super::decrypt::decrypt_traced;
use super::*;
use crate::ErrorCode;
use crate::crypto::{KeyAgreement, KeySpec, PrivateKey, PublicKey, hex};
use crate::pki::keyfile::read_private_key;
use crate::pki::testca::TestCa;
use crate::pki::{Certificate, PbeLimits};
use crate::xml::{Document, Element};

fn wk_dir() -> Option<PathBuf> {
    crate::test_support::vectors_dir().map(|d| d.join("wk"))
}

fn read(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cert(dir: &std::path::Path, name: &str) -> Certificate {
    Certificate::from_pem(&read(dir, name)).expect("certificate")
}

fn sim_key(dir: &std::path::Path) -> PrivateKey {
    read_private_key(
        &read(dir, "symulator-2018/sp-enc-key.du_enc_ec.key.pem"),
        None,
        &PbeLimits::default(),
    )
    .expect("key")
}

const SIM_RESOLVE: &str = "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df";
const SIM_AUTHN: &str = "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc";
const INT_RESOLVE: &str = "ID-dac90bfd-280a-4997-b5bf-4646432428c3";
const INT_AUTHN: &str = "ID-72a54a08-0a3d-4ab7-a26e-4e3cf83cfe54";

fn encrypted_assertion<'d, 'a>(doc: &'d Document<'a>) -> Element<'d, 'a> {
    doc.tree()
        .descendants()
        .find(|n| n.has_tag_name((ns::SAML, "EncryptedAssertion")))
        .and_then(Element::new)
        .expect("EncryptedAssertion")
}

/// The known-answer test of wk-saml.md §2.3: the Symulator sample decrypts with its
/// published key to exactly `assertion.plaintext.xml`, through the README's intermediates.
#[test]
fn symulator_kat_decrypts_byte_for_byte() {
    let Some(dir) = wk_dir() else { return };
    let key = sim_key(&dir);
    let bytes = read(&dir, "symulator-2018/artifact-response.compact.xml");
    let doc = Document::parse_bytes(&bytes).expect("parse");
    let (plain, trace) =
        decrypt_traced(encrypted_assertion(&doc), &[&key as &dyn KeyAgreement]).expect("decrypt");
    assert_eq!(
        hex::lower(&trace.z),
        "bebafc2616cb3addb1675c8cf2164440c5be9dd0a602c4c30eff9f12a1de6497"
    );
    assert_eq!(trace.other_info.len(), 95);
    assert_eq!(&trace.other_info[..4], &[0, 0, 0, 0x2a]);
    assert_eq!(
        hex::lower(&trace.kek),
        "832613103e1430f3f97877848d6828605a56bd7d3c603464cf69aeb8303bb844"
    );
    assert_eq!(
        hex::lower(&trace.cek),
        "3d37e601b661ff53e6a803268811865a61b5a273dd1ad12023df5d32fb20b105"
    );
    assert_eq!(hex::lower(&trace.iv), "35b1fb997780b1827dba5659");
    assert_eq!(hex::lower(&trace.tag), "bece7326175d5d86c67a967dd1412a37");
    assert_eq!(
        &plain[..],
        &read(&dir, "symulator-2018/assertion.plaintext.xml")[..]
    );
}

/// Reading the ConcatKDF parameters the XML-Enc 1.1 way (first byte as padding bits) or
/// without the length prefixes gives another KEK, which the unwrap's integrity check refuses.
#[test]
fn other_kdf_readings_fail_the_unwrap() {
    let Some(dir) = wk_dir() else { return };
    let key = sim_key(&dir);
    let text = String::from_utf8(read(&dir, "symulator-2018/artifact-response.compact.xml"))
        .expect("utf-8");
    // Drop the 4-byte length prefix of PartyVInfo: refused before any key is used.
    let stripped = text.replacen("PartyVInfo=\"00000016", "PartyVInfo=\"", 1);
    assert!(stripped != text, "the sample's PartyVInfo prefix");
    let doc = Document::parse(&stripped).expect("parse");
    let err = decrypt_traced(encrypted_assertion(&doc), &[&key as &dyn KeyAgreement])
        .expect_err("stripped prefix");
    assert_eq!(err.code(), ErrorCode::SamlDecryptionFailed, "{err}");
    // A key that is not the recipient's: the unwrap's integrity check fails.
    let other = PrivateKey::generate(KeySpec::EcP256).expect("key");
    let doc = Document::parse(&text).expect("parse");
    let err = decrypt_traced(encrypted_assertion(&doc), &[&other as &dyn KeyAgreement])
        .expect_err("other key");
    assert!(err.to_string().contains("AES key unwrap"), "{err}");
    // During a rollover the right key is found among several.
    let (plain, _) = decrypt_traced(
        encrypted_assertion(&doc),
        &[&other as &dyn KeyAgreement, &key as &dyn KeyAgreement],
    )
    .expect("second key");
    assert_eq!(plain.len(), 3279);
}

fn sim_expectations<'c>(keys: &'c [PublicKey]) -> ResponseExpectations<'c> {
    ResponseExpectations {
        artifact_resolve_id: Some(SIM_RESOLVE),
        authn_request_id: Some(SIM_AUTHN),
        issuer: "localhost.wk.gov.pl",
        wk_keys: keys,
    }
}

/// The Symulator capture passes every check of §2.4 and its assertion yields the identity;
/// the pretty-printed copy fails the outer signature.
#[test]
fn symulator_capture_verifies_and_gives_the_identity() {
    let Some(dir) = wk_dir() else { return };
    let key = sim_key(&dir);
    let wk = [cert(&dir, "symulator-2018/wk-sig-cert.pem")
        .public_key()
        .clone()];
    let bytes = read(&dir, "symulator-2018/artifact-response.compact.xml");
    let checked = check_artifact_response(&bytes, &sim_expectations(&wk), &[&key]).expect("checks");
    assert_eq!(checked.in_response_to, SIM_AUTHN);
    assert_eq!(
        checked.response_id,
        "ID-bd344f8b-de7b-4fcf-a522-346827742315"
    );
    // Also inside a SOAP envelope (as the artifact service returns it).
    let body = &bytes[bytes.iter().position(|&b| b == b'>').expect("declaration") + 1..];
    let wrapped = artifact::envelope(body);
    check_artifact_response(&wrapped, &sim_expectations(&wk), &[&key]).expect("in SOAP");

    let identity = check_assertion(
        &checked.assertion,
        &AssertionExpectations {
            issuer: "localhost.wk.gov.pl",
            entity_id: "http://localhost.sp.pl",
            acs_url: "http://localhost:11080/saml-emulator/context",
            authn_request_id: SIM_AUTHN,
            min_loa: Loa::Substantial,
            now: datetime!(2018-09-13 13:20 UTC),
            clock_skew: time::Duration::minutes(3),
        },
    )
    .expect("assertion");
    assert_eq!(identity.pesel.as_str(), "87022243734");
    assert_eq!(identity.given_name, "Roch");
    assert_eq!(identity.family_name, "Apitz");
    assert_eq!(identity.birth_date, time::macros::date!(1987 - 02 - 22));
    assert_eq!(identity.loa, Loa::Substantial);
    assert_eq!(identity.authenticating_authorities, ["pz.gov.pl"]);
    assert_eq!(identity.name_id, "adminAll");
    assert_eq!(
        identity.session_index.as_deref(),
        Some("_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150")
    );
    assert!(!format!("{identity:?}").contains("87022243734"));

    let pretty = read(&dir, "symulator-2018/artifact-response.pretty.xml");
    let err = check_artifact_response(&pretty, &sim_expectations(&wk), &[&key])
        .expect_err("pretty-printed");
    assert_eq!(err.code(), ErrorCode::SignatureInvalid, "{err}");
}

/// The 2025 integration capture passes every check up to decryption (its SP key is not
/// public), in its SOAP envelope; the pretty-printed copy fails.
#[test]
fn integration_capture_verifies_up_to_decryption() {
    let Some(dir) = wk_dir() else { return };
    let wk = [cert(&dir, "int-pz-2025/wk-sig-cert.pem")
        .public_key()
        .clone()];
    let expect = ResponseExpectations {
        artifact_resolve_id: Some(INT_RESOLVE),
        authn_request_id: Some(INT_AUTHN),
        issuer: "int-podmiotyzewnetrzne.login.gov.pl",
        wk_keys: &wk,
    };
    let ours = PrivateKey::generate(KeySpec::EcP256).expect("key");
    let bytes = read(&dir, "int-pz-2025/artifact-response.soap.compact.xml");
    let err = check_artifact_response(&bytes, &expect, &[&ours]).expect_err("not our key");
    assert_eq!(err.code(), ErrorCode::SamlDecryptionFailed, "{err}");
    assert!(err.to_string().contains("AES key unwrap"), "{err}");
    let pretty = read(&dir, "int-pz-2025/artifact-response.soap.pretty.xml");
    let err = check_artifact_response(&pretty, &expect, &[&ours]).expect_err("pretty");
    assert_eq!(err.code(), ErrorCode::SignatureInvalid, "{err}");
    // The other environment's pinned key is refused: a signature by another key.
    let sim = [cert(&dir, "symulator-2018/wk-sig-cert.pem")
        .public_key()
        .clone()];
    let err = check_artifact_response(
        &bytes,
        &ResponseExpectations {
            wk_keys: &sim,
            ..expect
        },
        &[&ours],
    )
    .expect_err("other key");
    assert_eq!(err.code(), ErrorCode::SignatureInvalid, "{err}");
    // Several pinned certificates (a rollover): the right one is found.
    let both = [sim[0].clone(), wk[0].clone()];
    let err = check_artifact_response(
        &bytes,
        &ResponseExpectations {
            wk_keys: &both,
            ..expect
        },
        &[&ours],
    )
    .expect_err("decryption");
    assert_eq!(err.code(), ErrorCode::SamlDecryptionFailed, "{err}");
}

/// The pretty-printed 2025 assertion, reformatted to compact, gives the integration identity
/// (attribute order differs from 2018; names are lower case and kept as sent).
#[test]
fn integration_assertion_attributes() {
    let Some(dir) = wk_dir() else { return };
    let text =
        String::from_utf8(read(&dir, "int-pz-2025/assertion.decrypted.pretty.xml")).expect("utf-8");
    let identity = check_assertion(
        text.as_bytes(),
        &AssertionExpectations {
            issuer: "int-podmiotyzewnetrzne.login.gov.pl",
            entity_id: "e-talar.com",
            acs_url: "https://api.e-talar.com/v2/et/acs",
            authn_request_id: INT_AUTHN,
            min_loa: Loa::Low,
            now: datetime!(2025-11-24 06:10 UTC),
            clock_skew: time::Duration::minutes(3),
        },
    )
    .expect("assertion");
    assert_eq!(identity.given_name, "jerzy");
    assert_eq!(identity.family_name, "wawro");
    assert_eq!(identity.pesel.as_str(), "80072118364");
    assert_eq!(identity.name_id, "80072118364");
    assert_eq!(identity.authenticating_authorities, ["mObywatel"]);
}

#[test]
fn dates_of_birth_with_and_without_zone() {
    use super::assertion::parse_date;
    let d = time::macros::date!(1987 - 02 - 22);
    assert_eq!(parse_date("1987-02-22"), Some(d));
    assert_eq!(parse_date("1987-02-22Z"), Some(d));
    assert_eq!(parse_date("1987-02-22+01:00"), Some(d));
    assert_eq!(parse_date("1987-02-22T00:00"), None);
    assert_eq!(parse_date("22.02.1987"), None);
}

/// Our encryptor and decryptor agree, with both content-key sizes.
#[test]
fn encrypt_decrypt_round_trip() {
    let sp = PrivateKey::generate(KeySpec::EcP256).expect("key");
    for cek_len in [32, 16] {
        let xml = encrypt_assertion(
            b"<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>",
            sp.public_key(),
            "int.login.gov.pl",
            "sp.example",
            cek_len,
        )
        .expect("encrypt");
        let doc = Document::parse(&xml).expect("parse");
        let root = Element::new(doc.root_element()).expect("root");
        let (plain, trace) = decrypt_traced(root, &[&sp as &dyn KeyAgreement]).expect("decrypt");
        assert_eq!(trace.cek.len(), cek_len);
        assert!(plain.starts_with(b"<saml2:Assertion"));
        // PartyUInfo = uint32 16 + "int.login.gov.pl".
        assert!(xml.contains("PartyUInfo=\"00000010696E742E6C6F67696E2E676F762E706C\""));
    }
}

/// A throw-away P-256 key pair and self-signed certificate.
pub(crate) fn keypair(name: &str) -> (PrivateKey, Certificate) {
    let ca = TestCa::generate_with(KeySpec::EcP256, name, datetime!(2025-01-01 0:00 UTC), 3650)
        .expect("ca");
    (ca.key().clone(), ca.certificate().clone())
}

/// A configuration with fresh keys, for the simulator environment at a local base URL.
pub(crate) fn test_config() -> (Config, PrivateKey, Certificate) {
    let (sig, sig_cert) = keypair("sp sig");
    let (enc, enc_cert) = keypair("sp enc");
    let (wk, wk_cert) = keypair("WK_SIG_EC test");
    let keys = SpKeys::new(Arc::new(sig), sig_cert, Arc::new(enc), enc_cert).expect("keys");
    let mut config = Config::new(
        Environment::IntegrationPrivate,
        "sp.example",
        "https://sp.example/acs",
        keys,
        vec![wk_cert.clone()],
    );
    config.provider_name = Some("sp_example".into());
    (config, wk, wk_cert)
}

/// A complete, valid ArtifactResponse for `config`, from the emulator.
pub(crate) fn emulated_response(
    config: &Config,
    wk: &PrivateKey,
    wk_cert: &Certificate,
    resolve_id: &str,
    authn_id: &str,
    now: OffsetDateTime,
) -> Vec<u8> {
    let issuer = &config.endpoints.issuer;
    let spec =
        emulate::AssertionSpec::example(issuer, &config.entity_id, &config.acs_url, authn_id, now);
    let encrypted = encrypt_assertion(
        emulate::assertion_xml(&spec).as_bytes(),
        config.keys.encryption_certificate.public_key(),
        issuer,
        &config.entity_id,
        32,
    )
    .expect("encrypt");
    let response = emulate::response_xml(
        issuer,
        "ID-r1",
        authn_id,
        now,
        &emulate::success(),
        Some(&encrypted),
    );
    let response = emulate::sign(wk, wk_cert, &response, "ID-r1").expect("sign response");
    let outer = emulate::artifact_response_xml(
        issuer,
        "ID-ar1",
        resolve_id,
        now,
        &emulate::success(),
        Some(&response),
    );
    let outer = emulate::sign(wk, wk_cert, &outer, "ID-ar1").expect("sign outer");
    emulate::soap_envelope(&outer)
}

#[test]
fn emulated_response_processes_into_an_identity() {
    let (config, wk, wk_cert) = test_config();
    let now = datetime!(2026-12-01 10:00 UTC);
    let bytes = emulated_response(&config, &wk, &wk_cert, "ID-res", "ID-authn", now);
    let identity =
        process_artifact_response(&config, &bytes, Some("ID-res"), "ID-authn", now).expect("ok");
    assert_eq!(identity.pesel.as_str(), "87022243734");
    // Wrong InResponseTo on each layer.
    let err = process_artifact_response(&config, &bytes, Some("ID-other"), "ID-authn", now)
        .expect_err("outer");
    assert_eq!(err.code(), ErrorCode::SamlInResponseToMismatch);
    let err = process_artifact_response(&config, &bytes, Some("ID-res"), "ID-other", now)
        .expect_err("inner");
    assert_eq!(err.code(), ErrorCode::SamlInResponseToMismatch);
    // Expired, and not yet valid.
    let err = process_artifact_response(
        &config,
        &bytes,
        Some("ID-res"),
        "ID-authn",
        now + time::Duration::hours(1),
    )
    .expect_err("expired");
    assert_eq!(err.code(), ErrorCode::SamlExpired);
    let err = process_artifact_response(
        &config,
        &bytes,
        Some("ID-res"),
        "ID-authn",
        now - time::Duration::hours(1),
    )
    .expect_err("not yet");
    assert_eq!(err.code(), ErrorCode::SamlExpired);
}
