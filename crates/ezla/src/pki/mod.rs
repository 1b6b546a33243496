//! Certificates and keys: PKCS#12 in and out, the X.509 view, the ZUS expiry policy,
//! PKCS#10 requests, trust anchors with chain checks, and a test CA.
//!
//! | item | what |
//! |---|---|
//! | [`Certificate`] | an X.509 certificate: names, serial, validity, key, extensions, fingerprints, Polish identifiers |
//! | [`Name`] | a distinguished name: RFC 4514 text and attributes by type |
//! | [`ExpiryPolicy`], [`ExpiryStatus`] | where a certificate stands against the ZUS renewal rules |
//! | [`polish`] | PESEL / NIP / … identifiers in a subject (check digits in [`crate::pl`]) |
// Further items are listed as their modules land.

pub mod csr;
mod encode;
pub mod expiry;
pub mod extensions;
mod identity;
pub mod keyfile;
pub mod name;
pub mod pem;
pub mod pkcs12;
pub mod polish;
pub mod testca;
pub mod trust;
mod x509;

pub use csr::CertificateRequest;
pub use expiry::{ExpiryPolicy, ExpiryStatus};
pub use extensions::{BasicConstraints, ExtensionInfo, KeyPurpose, KeyUsage};
pub use identity::Identity;
pub use name::{AttributeType, Name, NameBuilder};
pub use pkcs12::{Pkcs12, Pkcs12Builder, Pkcs12Options};
pub use polish::PolishIdentifier;
pub use trust::{TrustAnchors, verify_chain};
pub use x509::Certificate;
