//! Runs every case of the login.gov.pl attack catalogue (`ezla::wk::emulate::attacks`,
//! `src/wk/emulate/attacks.json`) and asserts the exact verdict and error of each: emulated
//! answers go through `ServiceProvider::handle_artifact` (the whole flow, stores included),
//! captures through `check_artifact_response` with the capture's own pinned certificate.

mod common;

use std::sync::{Arc, Mutex};

use common::wk::{Fixture, request_id};
use ezla::crypto::{KeyAgreement, KeySpec, PrivateKey};
use ezla::pki::keyfile::read_private_key;
use ezla::pki::{Certificate, PbeLimits};
use ezla::transport::{MemoryTransport, Response};
use ezla::wk::emulate::attacks::{Answer, CaseInput, Misbehaviour, Verdict, catalogue};
use ezla::wk::{
    MemoryPendingStore, MemoryReplayStore, ResponseExpectations, ServiceProvider,
    check_artifact_response,
};
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-12-04 12:00 UTC);

/// A service provider whose transport answers each ArtifactResolve with the answer of
/// `misbehaviour` (read from the shared cell at the time of the request).
struct Rig {
    sp: ServiceProvider,
    fixture: Arc<Fixture>,
    authn_id: Arc<Mutex<String>>,
    misbehaviour: Arc<Mutex<(Misbehaviour, Option<String>)>>,
}

impl Rig {
    fn new() -> Rig {
        let fixture = Arc::new(Fixture::new());
        let authn_id = Arc::new(Mutex::new(String::new()));
        let misbehaviour = Arc::new(Mutex::new((Misbehaviour::None, None)));
        let (f, a, m) = (fixture.clone(), authn_id.clone(), misbehaviour.clone());
        let transport = MemoryTransport::new(move |request| {
            let resolve_id = request_id(&request.body);
            let authn = a.lock().expect("lock").clone();
            let (misbehaviour, previous) = m.lock().expect("lock").clone();
            let mut answer = Answer::new(
                &f.wk,
                &f.wk_cert,
                f.config.keys.encryption_certificate.public_key().clone(),
                &resolve_id,
                f.assertion(&authn, NOW),
            );
            answer.previous_assertion_id = previous;
            let body = answer.build(misbehaviour)?;
            Ok(Response::new(200, Some("text/xml"), body))
        });
        let sp = ServiceProvider::new(
            fixture.config.clone(),
            Arc::new(transport),
            Arc::new(MemoryPendingStore::new()),
            Arc::new(MemoryReplayStore::new()),
        );
        Rig {
            sp,
            fixture,
            authn_id,
            misbehaviour,
        }
    }

    fn login(
        &self,
        artifact: &str,
        misbehaviour: Misbehaviour,
        previous: Option<String>,
    ) -> ezla::Result<ezla::wk::Identity> {
        let login = self.sp.login(NOW)?;
        *self.authn_id.lock().expect("lock") = login.id.clone();
        *self.misbehaviour.lock().expect("lock") = (misbehaviour, previous);
        self.sp.handle_artifact(artifact, &login.relay_state, NOW)
    }
}

fn run_emulated(misbehaviour: Misbehaviour) -> ezla::Result<ezla::wk::Identity> {
    let rig = Rig::new();
    if misbehaviour == Misbehaviour::ReplayedAssertion {
        let first = rig.login("ART-first", Misbehaviour::None, None)?;
        return rig.login("ART-second", misbehaviour, Some(first.assertion_id));
    }
    let identity = rig.login("ART-1", misbehaviour, None)?;
    // Accepted: it must be the genuine person, never the attacker's.
    assert_eq!(identity.pesel.as_str(), "87022243734");
    assert_eq!(identity.family_name, "Apitz");
    let _ = &rig.fixture;
    Ok(identity)
}

/// The pinned certificate, expectations and key of a capture directory.
fn run_capture(path: &str) -> Option<ezla::Result<()>> {
    let dir = common::vectors_dir()?;
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let bytes = read(path);
    let (folder, resolve, authn, issuer) = if path.starts_with("wk/symulator-2018/") {
        (
            "wk/symulator-2018",
            "ID-09a2e477-dd85-4ce2-9420-0d9cc27244df",
            "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc",
            "localhost.wk.gov.pl",
        )
    } else if path.starts_with("wk/int-pz-2025/") {
        (
            "wk/int-pz-2025",
            "ID-dac90bfd-280a-4997-b5bf-4646432428c3",
            "ID-72a54a08-0a3d-4ab7-a26e-4e3cf83cfe54",
            "int-podmiotyzewnetrzne.login.gov.pl",
        )
    } else {
        panic!("no expectations for the capture {path}");
    };
    let wk = [
        Certificate::from_pem(&read(&format!("{folder}/wk-sig-cert.pem")))
            .expect("certificate")
            .public_key()
            .clone(),
    ];
    // The 2018 simulator published its SP key; the 2025 SP's key is not public, so a fresh
    // key stands in and decryption is the first check that can fail.
    let key: PrivateKey = if folder == "wk/symulator-2018" {
        read_private_key(
            &read("wk/symulator-2018/sp-enc-key.du_enc_ec.key.pem"),
            None,
            &PbeLimits::default(),
        )
        .expect("key")
    } else {
        PrivateKey::generate(KeySpec::EcP256).expect("key")
    };
    let expect = ResponseExpectations {
        artifact_resolve_id: Some(resolve),
        authn_request_id: Some(authn),
        issuer,
        wk_keys: &wk,
    };
    Some(check_artifact_response(&bytes, &expect, &[&key as &dyn KeyAgreement]).map(|_| ()))
}

#[test]
fn every_case_of_the_catalogue() {
    let cases = catalogue().expect("catalogue");
    assert!(cases.len() >= 40, "{} cases", cases.len());
    // Every misbehaviour has its case.
    for m in Misbehaviour::all() {
        assert!(
            cases.iter().any(|c| c.input == CaseInput::Emulated(m)),
            "no case for {m}"
        );
    }
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases {
        let outcome = match &case.input {
            CaseInput::Emulated(m) => run_emulated(*m).map(|_| ()),
            CaseInput::Capture(path) => match run_capture(path) {
                Some(outcome) => outcome,
                None => continue,
            },
        };
        ran += 1;
        let got = outcome.as_ref().err().map(|e| e.code());
        let fine = match case.verdict {
            Verdict::Ok => got == case.error,
            Verdict::Ko => got.is_some() && got == case.error,
        };
        if !fine {
            failures.push(format!(
                "{} {:?}: expected {:?} {:?}, got {}",
                case.id,
                case.title,
                case.verdict,
                case.error.map(|e| e.name()),
                match &outcome {
                    Ok(()) => "accepted".to_string(),
                    Err(e) => format!("{} ({e})", e.code().name()),
                }
            ));
        } else if let Err(e) = &outcome {
            println!("{} ok: {} — {e}", case.id, e.code().name());
        } else {
            println!("{} ok: accepted", case.id);
        }
    }
    assert!(ran > 0);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The attacker's answers in the wrapping cases carry a valid assertion for another person
/// (so a verifier that followed the wrong element would log the attacker in): checked by
/// taking the evil assertion out of XSW3 on the inner layer and processing it alone.
#[test]
fn wrapping_cases_carry_a_usable_evil_assertion() {
    let f = Fixture::new();
    let answer = Answer::new(
        &f.wk,
        &f.wk_cert,
        f.config.keys.encryption_certificate.public_key().clone(),
        "ID-resolve-1",
        f.assertion("ID-authn-1", NOW),
    );
    let wrapped = String::from_utf8(
        answer
            .build(Misbehaviour::Xsw(
                3,
                ezla::wk::emulate::attacks::Layer::Inner,
            ))
            .expect("xsw3"),
    )
    .expect("utf-8");
    assert_eq!(wrapped.matches("<saml2p:Response ").count(), 2, "{wrapped}");
    // The first EncryptedAssertion in document order is the attacker's: it decrypts with the
    // SP's key and passes every assertion check, for Jan Kowalski.
    let doc = ezla::xml::Document::parse(&wrapped).expect("parse");
    fn first<'d, 'a>(e: ezla::xml::Element<'d, 'a>) -> Option<ezla::xml::Element<'d, 'a>> {
        if e.is(
            "urn:oasis:names:tc:SAML:2.0:assertion",
            "EncryptedAssertion",
        ) {
            return Some(e);
        }
        e.children().find_map(first)
    }
    let evil = first(doc.root()).expect("an EncryptedAssertion");
    let keys: Vec<&dyn KeyAgreement> = f
        .config
        .keys
        .encryption
        .iter()
        .map(|k| k.as_ref())
        .collect();
    let plaintext = ezla::wk::decrypt_assertion(evil, &keys).expect("decrypts");
    let identity = ezla::wk::check_assertion(
        &plaintext,
        &ezla::wk::AssertionExpectations {
            issuer: &f.config.endpoints.issuer,
            entity_id: &f.config.entity_id,
            acs_url: &f.config.acs_url,
            authn_request_id: "ID-authn-1",
            min_loa: ezla::wk::Loa::Substantial,
            now: NOW,
            clock_skew: time::Duration::minutes(3),
        },
    )
    .expect("the evil assertion is a valid one");
    assert_eq!(identity.pesel.as_str(), "44051401359");
    assert_eq!(identity.family_name, "Kowalski");
    // The genuine answer has one Response and is accepted (the catalogue's WK-05).
    let genuine = String::from_utf8(answer.genuine().expect("genuine")).expect("utf-8");
    assert_eq!(genuine.matches("<saml2p:Response ").count(), 1);
}
