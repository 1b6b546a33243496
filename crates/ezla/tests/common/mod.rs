//! Helpers shared by the integration tests of the `ezla` crate.
#![allow(dead_code)] // each test binary uses a different subset

/// `../shared/vectors` beside the repository, or `$EZLA_VECTORS`; `None` (with a printed
/// notice) when absent (the one definition, shared with the unit and interop tests).
#[allow(unused_imports)] // not every test binary reads the shared vectors
pub(crate) use ezla_vectors::vectors_dir;

/// The DER inside the first PEM block of `bytes`.
pub(crate) fn pem_decode(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("-----BEGIN")?;
    let body_start = text[start..].find('\n')? + start + 1;
    let end = text[body_start..].find("-----END")? + body_start;
    let b64: String = text[body_start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// login.gov.pl test fixtures: an SP configuration with fresh keys and login.gov.pl's signing
/// key, and complete ArtifactResponses from the emulator.
pub(crate) mod wk {
    use std::sync::Arc;

    use ezla::crypto::{KeySpec, PrivateKey};
    use ezla::pki::Certificate;
    use ezla::pki::testca::TestCa;
    use ezla::wk::emulate::{self, AssertionSpec};
    use ezla::wk::{Config, Environment, SpKeys, encrypt_assertion};
    use time::OffsetDateTime;
    use time::macros::datetime;

    /// A throw-away P-256 key pair and self-signed certificate.
    pub(crate) fn keypair(name: &str) -> (PrivateKey, Certificate) {
        let ca = TestCa::generate_with(KeySpec::EcP256, name, datetime!(2025-01-01 0:00 UTC), 3650)
            .expect("ca");
        (ca.key().clone(), ca.certificate().clone())
    }

    /// The SP's configuration and login.gov.pl's key and certificate.
    pub(crate) struct Fixture {
        pub(crate) config: Config,
        pub(crate) wk: PrivateKey,
        pub(crate) wk_cert: Certificate,
    }

    impl Fixture {
        pub(crate) fn new() -> Self {
            let (sig, sig_cert) = keypair("sp sig");
            let (enc, enc_cert) = keypair("sp enc");
            let (wk, wk_cert) = keypair("WK_SIG_EC test");
            let keys = SpKeys::new(Arc::new(sig), sig_cert, Arc::new(enc), enc_cert).expect("keys");
            let config = Config::new(
                Environment::IntegrationPrivate,
                "sp.example",
                "https://sp.example/acs",
                keys,
                vec![wk_cert.clone()],
            );
            Fixture {
                config,
                wk,
                wk_cert,
            }
        }

        /// The assertion a genuine login would carry.
        pub(crate) fn assertion(&self, authn_id: &str, now: OffsetDateTime) -> AssertionSpec {
            let mut spec = AssertionSpec::example(
                &self.config.endpoints.issuer,
                &self.config.entity_id,
                &self.config.acs_url,
                authn_id,
                now,
            );
            spec.id = "ID-assertion-1".into();
            spec
        }

        /// Encrypts an assertion to the SP's key as login.gov.pl does.
        pub(crate) fn encrypt(&self, assertion_xml: &str) -> String {
            encrypt_assertion(
                assertion_xml.as_bytes(),
                self.config.keys.encryption_certificate.public_key(),
                &self.config.endpoints.issuer,
                &self.config.entity_id,
                32,
            )
            .expect("encrypt")
        }

        /// The signed Response (no envelope) around `payload`.
        pub(crate) fn response(
            &self,
            authn_id: &str,
            payload: &str,
            now: OffsetDateTime,
        ) -> Vec<u8> {
            let issuer = &self.config.endpoints.issuer;
            let xml = emulate::response_xml(
                issuer,
                "ID-resp-1",
                authn_id,
                now,
                &emulate::success(),
                Some(payload),
            );
            emulate::sign(&self.wk, &self.wk_cert, &xml, "ID-resp-1").expect("sign response")
        }

        /// The signed ArtifactResponse (no envelope) around a signed Response.
        pub(crate) fn artifact_response(
            &self,
            resolve_id: &str,
            response: &[u8],
            now: OffsetDateTime,
        ) -> Vec<u8> {
            let issuer = &self.config.endpoints.issuer;
            let xml = emulate::artifact_response_xml(
                issuer,
                "ID-artresp-1",
                resolve_id,
                now,
                &emulate::success(),
                Some(response),
            );
            emulate::sign(&self.wk, &self.wk_cert, &xml, "ID-artresp-1").expect("sign outer")
        }

        /// A complete genuine-looking answer in its SOAP envelope.
        pub(crate) fn full(
            &self,
            resolve_id: &str,
            authn_id: &str,
            now: OffsetDateTime,
        ) -> Vec<u8> {
            let assertion = emulate::assertion_xml(&self.assertion(authn_id, now));
            let response = self.response(authn_id, &self.encrypt(&assertion), now);
            emulate::soap_envelope(&self.artifact_response(resolve_id, &response, now))
        }
    }

    /// The `ID` of the SAML request inside a SOAP body we sent.
    pub(crate) fn request_id(body: &[u8]) -> String {
        let text = std::str::from_utf8(body).expect("utf-8");
        let start = text.find(" ID=\"").expect("ID") + 5;
        let end = text[start..].find('"').expect("end") + start;
        text[start..end].to_string()
    }
}

/// A local time-stamping authority for XAdES-T and CAdES-T tests.
pub(crate) mod tsa {
    use std::sync::Arc;

    use ezla::crypto::{KeySpec, PrivateKey, Signer};
    use ezla::pki::testca::{IssueOptions, TestCa};
    use ezla::pki::{Identity, Name};
    use ezla::tsp::{self, TimeStampAuthority, TimeStamper};
    use time::OffsetDateTime;

    /// A TSA (P-256, `CN=common_name`) issued by `ca`, valid for a year from `not_before`,
    /// with the test policy `1.3.6.1.4.1.32473.3161.1`.
    pub(crate) fn local(
        ca: &TestCa,
        common_name: &str,
        not_before: OffsetDateTime,
    ) -> TimeStampAuthority {
        let key = PrivateKey::generate(KeySpec::EcP256).expect("key");
        let subject = Name::builder()
            .common_name(common_name)
            .build()
            .expect("name");
        let cert = ca
            .issue(
                &subject,
                key.public_key(),
                &IssueOptions::time_stamping(not_before, 365),
            )
            .expect("tsa cert");
        let identity =
            Identity::new(key, cert.clone(), vec![ca.certificate().clone()]).expect("tsa");
        TimeStampAuthority::new(
            Arc::new(identity),
            cert,
            "1.3.6.1.4.1.32473.3161.1".parse().expect("oid"),
        )
        .expect("tsa")
    }

    /// The TSA as it answered at an instant.
    pub(crate) struct StampingAt<'a>(pub(crate) &'a TimeStampAuthority, pub(crate) OffsetDateTime);

    impl TimeStamper for StampingAt<'_> {
        fn time_stamp(
            &self,
            digest: ezla::crypto::DigestAlgorithm,
            hash: &[u8],
        ) -> ezla::Result<Vec<u8>> {
            let request = tsp::TimeStampRequest::new(digest, hash.to_vec())?;
            self.0.stamp(&request, self.1)
        }
    }
}
