//! Writing modern PKCS#12 files.

use super::DEFAULT_WRITE_ITERATIONS;
use super::asn1::{self, BagAttributes};
use super::read::hmac_sign;
use crate::crypto::{DigestAlgorithm, PrivateKey};
use crate::error::KeyError;
use crate::pki::encode::{explicit, octets, oid, seq, tlv, uint};
use crate::pki::pbe::candidates;
use crate::pki::pbe::kdf::{self, Purpose};
use crate::pki::pbe::scheme::Scheme;
use crate::pki::{AttributeType, Certificate};
use crate::{Error, Result};

/// Writes a key, its certificate and the chain as a modern PKCS#12 file: PBES2
/// (PBKDF2-HMAC-SHA-256, AES-256-CBC) for the key and the certificates, a SHA-256 MAC.
///
/// Passwords are UTF-8 for PBES2 and UTF-16 for the MAC, as OpenSSL does. Java (keytool,
/// `KeyStore`) refuses to derive PBES2 keys from non-ASCII passwords, so files meant for
/// Java applications need an ASCII password.
///
/// ```no_run
/// # use ezla::crypto::{KeySpec, PrivateKey};
/// # use ezla::pki::{Certificate, pkcs12::Pkcs12Builder};
/// # fn demo(key: &PrivateKey, cert: &Certificate, ca: &Certificate) -> ezla::Result<()> {
/// let pfx = Pkcs12Builder::new(key, cert)?
///     .chain([ca.clone()])
///     .friendly_name("Jan Kowalski")
///     .build("password")?;
/// std::fs::write("doctor.pfx", pfx)?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Pkcs12Builder {
    key: PrivateKey,
    certificate: Certificate,
    chain: Vec<Certificate>,
    friendly_name: Option<String>,
    local_key_id: Option<Vec<u8>>,
    iterations: u32,
}

impl Pkcs12Builder {
    /// Starts a file for `key` and its `certificate`.
    ///
    /// Fails with [`KeyError::CertificateMismatch`](crate::error::KeyError::CertificateMismatch) when the certificate is not for the key.
    pub fn new(key: &PrivateKey, certificate: &Certificate) -> Result<Self> {
        if !certificate.matches_key(crate::crypto::Signer::public_key(key)) {
            return Err(Error::Key(KeyError::CertificateMismatch {
                subject: certificate.subject().to_rfc4514(),
            }));
        }
        Ok(Pkcs12Builder {
            key: key.clone(),
            certificate: certificate.clone(),
            chain: Vec::new(),
            friendly_name: None,
            local_key_id: None,
            iterations: DEFAULT_WRITE_ITERATIONS,
        })
    }

    /// Adds the issuing chain (intermediates, optionally the root), in any order.
    pub fn chain(mut self, chain: impl IntoIterator<Item = Certificate>) -> Self {
        self.chain.extend(chain);
        self
    }

    /// Sets the `friendlyName` of the key and certificate (keytool shows it as the alias).
    /// Default: the certificate subject's common name, if any.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// Sets the `localKeyId` pairing the key with its certificate. Default: the SHA-1 digest
    /// of the certificate, as OpenSSL writes it.
    pub fn local_key_id(mut self, id: impl Into<Vec<u8>>) -> Self {
        self.local_key_id = Some(id.into());
        self
    }

    /// Sets the iteration count of PBKDF2 and of the MAC (default
    /// [`DEFAULT_WRITE_ITERATIONS`]). Fails at [`build`](Self::build) below 1 000.
    pub fn iterations(mut self, iterations: u32) -> Self {
        self.iterations = iterations;
        self
    }

    /// Encrypts and encodes the file under `password` (which may be empty).
    pub fn build(&self, password: &str) -> Result<Vec<u8>> {
        if self.iterations < 1000 {
            return Err(Error::invalid_argument(
                "iterations",
                format!("{} is below the minimum of 1000", self.iterations),
            ));
        }
        let internal = |e: der::Error| Error::internal(format!("encoding PKCS#12: {e}"));
        let cands = candidates(Some(password));
        let password = &cands[0];
        let attributes = BagAttributes {
            friendly_name: self.friendly_name.clone().or_else(|| {
                self.certificate
                    .subject()
                    .get(AttributeType::CommonName)
                    .map(str::to_string)
            }),
            local_key_id: Some(
                self.local_key_id
                    .clone()
                    .unwrap_or_else(|| self.certificate.fingerprint(DigestAlgorithm::Sha1)),
            ),
        };
        let attrs_der = asn1::encode_attributes(&attributes)
            .map_err(|e| Error::invalid_argument("friendly_name", e.to_string()))?
            .unwrap_or_default();

        // Certificates: leaf (with attributes), then the chain, in an encryptedData container.
        let cert_bag = |cert: &Certificate, attrs: &[u8]| {
            let value = seq(&[
                &oid(&asn1::X509_CERTIFICATE),
                &explicit(0, &octets(cert.to_der())),
            ]);
            seq(&[&oid(&asn1::CERT_BAG), &explicit(0, &value), attrs])
        };
        let mut bags = vec![cert_bag(&self.certificate, &attrs_der)];
        for c in &self.chain {
            if c != &self.certificate {
                bags.push(cert_bag(c, &[]));
            }
        }
        let refs: Vec<&[u8]> = bags.iter().map(Vec::as_slice).collect();
        let cert_contents = seq(&refs);
        let cert_scheme = Scheme::modern(self.iterations)?;
        let encrypted = cert_scheme.encrypt(password, &cert_contents)?;
        let encrypted_data = seq(&[
            &uint(0),
            &seq(&[
                &oid(&asn1::ID_DATA),
                &cert_scheme.to_der()?,
                &tlv(0x80, &encrypted),
            ]),
        ]);
        let certs_ci = seq(&[
            &oid(&asn1::ID_ENCRYPTED_DATA),
            &explicit(0, &encrypted_data),
        ]);

        // The key: a pkcs8ShroudedKeyBag in a data container.
        let key_scheme = Scheme::modern(self.iterations)?;
        let epki = seq(&[
            &key_scheme.to_der()?,
            &octets(&key_scheme.encrypt(password, self.key.pkcs8_der())?),
        ]);
        let key_bag = seq(&[
            &oid(&asn1::SHROUDED_KEY_BAG),
            &explicit(0, &epki),
            &attrs_der,
        ]);
        let key_ci = seq(&[
            &oid(&asn1::ID_DATA),
            &explicit(0, &octets(&seq(&[&key_bag]))),
        ]);

        let auth_safe = seq(&[&certs_ci, &key_ci]);

        // MAC: HMAC-SHA-256 keyed by the PKCS#12 KDF.
        let mut salt = [0u8; 16];
        crate::crypto::random_bytes(&mut salt)?;
        let mac_key = kdf::derive(
            DigestAlgorithm::Sha256,
            &password.bmp,
            &salt,
            Purpose::Mac,
            self.iterations,
            32,
        );
        let mac = hmac_sign(DigestAlgorithm::Sha256, &mac_key, &auth_safe)?;
        let sha256 = spki::AlgorithmIdentifierRef {
            oid: DigestAlgorithm::Sha256.oid(),
            parameters: Some(der::asn1::AnyRef::NULL),
        };
        let sha256 = der::Encode::to_der(&sha256).map_err(internal)?;
        let mac_data = seq(&[
            &seq(&[&sha256, &octets(&mac)]),
            &octets(&salt),
            &uint(u64::from(self.iterations)),
        ]);
        Ok(seq(&[
            &uint(3),
            &seq(&[&oid(&asn1::ID_DATA), &explicit(0, &octets(&auth_safe))]),
            &mac_data,
        ]))
    }
}
