//! Certificates and keys: PKCS#12 in and out, the X.509 view, the ZUS expiry policy,
//! PKCS#10 requests, trust anchors with chain checks, and a test CA.
//!
//! | item | what |
//! |---|---|
//! | [`Certificate`] | an X.509 certificate: names, serial, validity, key, extensions, fingerprints, Polish identifiers |
//! | [`Name`] | a distinguished name: RFC 4514 text and attributes by type |
//! | [`ExpiryPolicy`], [`ExpiryStatus`] | where a certificate stands against the ZUS renewal rules |
//! | [`CertificateSummary`], [`MonitorStatus`] | many certificates watched at once: a monitoring plugin's verdict, JSON, a table, Prometheus metrics (see [`monitor`]) |
//! | [`polish`] | PESEL / NIP / … identifiers in a subject (check digits in [`crate::pl`]) |
//! | [`Pkcs12`], [`Pkcs12Options`], [`Pkcs12Builder`] | PKCS#12 files in (legacy and modern) and out (modern): see [`pkcs12`] |
//! | [`Identity`] | a key with its certificate and chain, as a doctor's `.pfx` holds it; a [`Signer`](crate::crypto::Signer) |
//! | [`CertificateRequest`], [`keyfile`] | PKCS#10 requests and encrypted PKCS#8 key files |
//! | [`self_signed_certificate`] | a self-signed end-entity certificate (e.g. a SAML SP's keys) |
//! | [`pbe`], [`PbeLimits`] | password-based encryption shared by PKCS#12 and key files, and its limits |
//! | [`TrustAnchors`], [`verify_chain`] | path building and checking to trusted roots |
//! | [`testca`] | **tests and demos only**: a throw-away CA issuing ZUS-like doctor certificates |
//! | [`detect`], [`pem`] | telling input formats apart; PEM armour |
//!
//! ```
//! use ezla::pki::testca::{DoctorSpec, TestCa};
//! use ezla::pki::{ExpiryPolicy, Identity, Pkcs12Options};
//!
//! # fn main() -> ezla::Result<()> {
//! // A test doctor certificate (in real life the .pfx comes from ZUS).
//! let now = time::OffsetDateTime::now_utc();
//! let ca = TestCa::generate("ezla doc test CA", now, 3650)?;
//! let doctor = ca.issue_doctor(&DoctorSpec::new("Jan", "Kowalski", "44051401359".parse()?))?;
//! let pfx = doctor.to_pkcs12("hasło", 2048)?;
//!
//! // Open it, look at the certificate, check the ZUS expiry policy.
//! let id = Identity::from_pkcs12(&pfx, Some("hasło"), &Pkcs12Options::default())?;
//! let cert = &id.certificate;
//! assert_eq!(cert.subject().surname(), Some("Kowalski"));
//! assert_eq!(cert.pesel().map(|p| p.to_string()).as_deref(), Some("44051401359"));
//! let status = cert.status_at(now, &ExpiryPolicy::default());
//! assert_eq!(status.name(), "valid");
//! println!("{}: {status}", cert.subject());
//! # Ok(()) }
//! ```

pub mod crl;
pub mod csr;
pub(crate) mod encode;
pub(crate) mod ess;
pub mod expiry;
pub mod extensions;
mod identity;
pub mod keyfile;
pub mod monitor;
pub mod name;
pub mod pbe;
pub mod pem;
pub mod pkcs12;
pub mod polish;
mod self_signed;
pub mod testca;
pub mod trust;
pub(crate) mod x509;

#[cfg(test)]
mod nesting_tests;

pub use crl::{Crl, RevocationReason, RevokedCertificate};
pub use csr::CertificateRequest;
pub use expiry::{ExpiryPolicy, ExpiryStatus};
pub use extensions::{BasicConstraints, ExtensionInfo, KeyPurpose, KeyUsage};
pub use identity::Identity;
pub use monitor::{CertificateSummary, MonitorStatus};
pub use name::{AttributeType, Name, NameBuilder};
pub use pbe::PbeLimits;
pub use pkcs12::{Pkcs12, Pkcs12Builder, Pkcs12Options};
pub use polish::PolishIdentifier;
pub use self_signed::self_signed_certificate;
pub use trust::{CertificateValidator, TrustAnchors, verify_chain};
pub use x509::Certificate;

/// What a file holds, judged from its first bytes (see [`detect`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// PEM text (certificates, keys, requests: look at the block labels).
    Pem,
    /// A DER (or BER) PKCS#12 file: a SEQUENCE starting with an INTEGER.
    Pkcs12,
    /// A DER certificate (or another SEQUENCE starting with a SEQUENCE, such as a request).
    Certificate,
    /// None of these.
    Unknown,
}

/// Tells PEM text, PKCS#12 and DER certificates apart without parsing them, so that a
/// caller knows whether a password will be needed.
pub fn detect(data: &[u8]) -> InputKind {
    if pem::is_pem(data) {
        return InputKind::Pem;
    }
    // SEQUENCE with a definite (short or long) or indefinite length, then the first element.
    let inner = match data {
        [0x30, 0x80, rest @ ..] => rest,
        [0x30, l, rest @ ..] if *l < 0x80 => rest,
        [0x30, l, rest @ ..] if (0x81..=0x84).contains(l) => {
            rest.get(usize::from(l - 0x80)..).unwrap_or_default()
        }
        _ => return InputKind::Unknown,
    };
    match inner.first() {
        Some(0x02) => InputKind::Pkcs12,
        Some(0x30) => InputKind::Certificate,
        _ => InputKind::Unknown,
    }
}
