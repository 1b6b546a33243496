//! A signing identity: a private key with its certificate and chain.

use super::pkcs12::{Pkcs12, Pkcs12Builder, Pkcs12Options};
use super::x509::Certificate;
use crate::crypto::{PrivateKey, PublicKey, SignatureAlgorithm, Signer};
use crate::error::KeyError;
use crate::{Error, Result};

/// A private key, the certificate for it, and the certificates that issued it: what a
/// doctor's `.pfx` from ZUS holds.
///
/// It is a [`Signer`], so it can be handed to the signing functions directly.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Identity {
    /// The private key.
    pub key: PrivateKey,
    /// The certificate for the key.
    pub certificate: Certificate,
    /// The issuing chain, nearest issuer first (only certificates linked to the leaf by
    /// issuer names).
    pub chain: Vec<Certificate>,
    /// The key's `friendlyName` in the PKCS#12 file (or the certificate's).
    pub friendly_name: Option<String>,
    /// The key's `localKeyId` in the PKCS#12 file (or the certificate's).
    pub local_key_id: Option<Vec<u8>>,
}

impl Identity {
    /// Pairs a key with its certificate; `chain` is ordered from the leaf up, as far as the
    /// names link.
    ///
    /// Fails with [`KeyError::CertificateMismatch`](crate::error::KeyError::CertificateMismatch) when the certificate is not for the key.
    pub fn new(key: PrivateKey, certificate: Certificate, chain: Vec<Certificate>) -> Result<Self> {
        if !certificate.matches_key(key.public_key()) {
            return Err(Error::Key(KeyError::CertificateMismatch {
                subject: certificate.subject().to_rfc4514(),
            }));
        }
        let chain = order_chain(&certificate, chain);
        Ok(Identity {
            key,
            certificate,
            chain,
            friendly_name: None,
            local_key_id: None,
        })
    }

    /// Opens a PKCS#12 file and picks the identity in it (see
    /// [`Identity::from_pkcs12_contents`]).
    pub fn from_pkcs12(
        der: &[u8],
        password: Option<&str>,
        options: &Pkcs12Options,
    ) -> Result<Self> {
        Self::from_pkcs12_contents(Pkcs12::parse(der, password, options)?)
    }

    /// Picks the identity in opened PKCS#12 contents: the first key (in file order) for
    /// which a certificate with the same public key exists, preferring the certificate with
    /// the key's `localKeyId`. The other certificates that chain up from it by issuer name
    /// become [`Identity::chain`].
    ///
    /// Fails with [`KeyError::NoPrivateKey`](crate::error::KeyError::NoPrivateKey), [`KeyError::NoCertificate`](crate::error::KeyError::NoCertificate), or
    /// [`KeyError::CertificateMismatch`](crate::error::KeyError::CertificateMismatch) when no certificate is for any key.
    pub fn from_pkcs12_contents(p: Pkcs12) -> Result<Self> {
        let what = "the PKCS#12 file";
        if p.keys.is_empty() {
            return Err(Error::Key(KeyError::NoPrivateKey { what: what.into() }));
        }
        if p.certificates.is_empty() {
            return Err(Error::Key(KeyError::NoCertificate { what: what.into() }));
        }
        for entry in &p.keys {
            let matching: Vec<_> = p
                .certificates
                .iter()
                .filter(|c| c.certificate.matches_key(entry.key.public_key()))
                .collect();
            let chosen = matching
                .iter()
                .find(|c| {
                    entry.attributes.local_key_id.is_some()
                        && c.attributes.local_key_id == entry.attributes.local_key_id
                })
                .or_else(|| matching.first());
            if let Some(cert) = chosen {
                let others = p
                    .certificates
                    .iter()
                    .filter(|c| c.certificate != cert.certificate)
                    .map(|c| c.certificate.clone())
                    .collect();
                let mut id = Identity::new(entry.key.clone(), cert.certificate.clone(), others)?;
                id.friendly_name = entry
                    .attributes
                    .friendly_name
                    .clone()
                    .or_else(|| cert.attributes.friendly_name.clone());
                id.local_key_id = entry
                    .attributes
                    .local_key_id
                    .clone()
                    .or_else(|| cert.attributes.local_key_id.clone());
                return Ok(id);
            }
        }
        Err(Error::Key(KeyError::CertificateMismatch {
            subject: p.certificates[0].certificate.subject().to_rfc4514(),
        }))
    }

    /// A [`Pkcs12Builder`] for this identity, keeping its friendly name and local key id.
    pub fn pkcs12_builder(&self) -> Result<Pkcs12Builder> {
        let mut b = Pkcs12Builder::new(&self.key, &self.certificate)?.chain(self.chain.clone());
        if let Some(name) = &self.friendly_name {
            b = b.friendly_name(name.clone());
        }
        if let Some(id) = &self.local_key_id {
            b = b.local_key_id(id.clone());
        }
        Ok(b)
    }

    /// Writes the identity as a modern PKCS#12 file with `iterations` (see
    /// [`Pkcs12Builder`]).
    pub fn to_pkcs12(&self, password: &str, iterations: u32) -> Result<Vec<u8>> {
        self.pkcs12_builder()?
            .iterations(iterations)
            .build(password)
    }
}

impl Signer for Identity {
    fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        self.key.sign(algorithm, message)
    }
}

/// Orders certificates from the leaf's issuer upwards, following issuer names; certificates
/// not on that path are left out.
pub(crate) fn order_chain(leaf: &Certificate, mut pool: Vec<Certificate>) -> Vec<Certificate> {
    let mut chain: Vec<Certificate> = Vec::new();
    let mut current = leaf.clone();
    while !current.is_self_issued() {
        let Some(i) = pool
            .iter()
            .position(|c| c.subject().matches(current.issuer()))
        else {
            break;
        };
        let next = pool.remove(i);
        chain.push(next.clone());
        current = next;
    }
    chain
}
