//! Password-based encryption schemes of PKCS#12 and PKCS#8: the legacy PKCS#12 PBEs
//! (RFC 7292 App. C: `pbeWithSHAAnd3-KeyTripleDES-CBC`, `…2-KeyTripleDES-CBC`,
//! `…128BitRC2-CBC`, `…40BitRC2-CBC`) and PBES2 (RFC 8018: PBKDF2 with HMAC-SHA-1/-2, then
//! AES-128/192/256-CBC or DES-EDE3-CBC).
//!
//! Parsing names any algorithm it does not support by OID; decryption tells a padding failure
//! (the usual sign of a wrong password) from a ciphertext of impossible length (corruption).

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit};
use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, OctetStringRef, UintRef};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::Candidate;
use super::kdf::{self, Purpose};
use crate::crypto::{DigestAlgorithm, oid_with_name};
use crate::error::FormatError;
use crate::{Error, Result};

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

const PBE_SHA1_RC4_128: ObjectIdentifier = oid("1.2.840.113549.1.12.1.1");
const PBE_SHA1_RC4_40: ObjectIdentifier = oid("1.2.840.113549.1.12.1.2");
const PBE_SHA1_3DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.3");
const PBE_SHA1_2DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.4");
const PBE_SHA1_RC2_128: ObjectIdentifier = oid("1.2.840.113549.1.12.1.5");
const PBE_SHA1_RC2_40: ObjectIdentifier = oid("1.2.840.113549.1.12.1.6");
pub(crate) const PBES2: ObjectIdentifier = oid("1.2.840.113549.1.5.13");
const PBKDF2: ObjectIdentifier = oid("1.2.840.113549.1.5.12");
const HMAC_SHA1: ObjectIdentifier = oid("1.2.840.113549.2.7");
const HMAC_SHA224: ObjectIdentifier = oid("1.2.840.113549.2.8");
const HMAC_SHA256: ObjectIdentifier = oid("1.2.840.113549.2.9");
const HMAC_SHA384: ObjectIdentifier = oid("1.2.840.113549.2.10");
const HMAC_SHA512: ObjectIdentifier = oid("1.2.840.113549.2.11");
const AES128_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.2");
const AES192_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.22");
const AES256_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.42");
const DES_EDE3_CBC: ObjectIdentifier = oid("1.2.840.113549.3.7");

/// Names for algorithms const-oid does not know, so errors stay readable.
fn name_of(o: &ObjectIdentifier) -> String {
    let local = match *o {
        PBE_SHA1_RC4_128 => "pbeWithSHAAnd128BitRC4",
        PBE_SHA1_RC4_40 => "pbeWithSHAAnd40BitRC4",
        PBE_SHA1_3DES => "pbeWithSHAAnd3-KeyTripleDES-CBC",
        PBE_SHA1_2DES => "pbeWithSHAAnd2-KeyTripleDES-CBC",
        PBE_SHA1_RC2_128 => "pbeWithSHAAnd128BitRC2-CBC",
        PBE_SHA1_RC2_40 => "pbeWithSHAAnd40BitRC2-CBC",
        _ => return oid_with_name(o),
    };
    format!("{o} ({local})")
}

/// A legacy PKCS#12 cipher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LegacyCipher {
    Des3,
    Des2,
    Rc2 { bits: usize },
}

/// A PBES2 cipher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pbes2Cipher {
    Aes128,
    Aes192,
    Aes256,
    Des3,
}

impl Pbes2Cipher {
    fn key_len(self) -> usize {
        match self {
            Pbes2Cipher::Aes128 => 16,
            Pbes2Cipher::Aes192 | Pbes2Cipher::Des3 => 24,
            Pbes2Cipher::Aes256 => 32,
        }
    }

    fn block_len(self) -> usize {
        match self {
            Pbes2Cipher::Des3 => 8,
            _ => 16,
        }
    }
}

/// A parsed encryption scheme with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// RFC 7292 App. C.
    Pkcs12 {
        cipher: LegacyCipher,
        salt: Vec<u8>,
        iterations: u64,
    },
    /// RFC 8018 PBES2 with PBKDF2.
    Pbes2 {
        prf: DigestAlgorithm,
        salt: Vec<u8>,
        iterations: u64,
        cipher: Pbes2Cipher,
        iv: Vec<u8>,
    },
}

/// Why a decryption failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DecryptFailure {
    /// The padding is wrong: usually the wrong password.
    Padding,
    /// The ciphertext cannot be a CBC ciphertext (empty or not whole blocks): corruption.
    Length,
}

#[derive(der::Sequence)]
struct Pkcs12PbeParams<'a> {
    salt: &'a OctetStringRef,
    iterations: UintRef<'a>,
}

#[derive(der::Sequence)]
struct Pbes2Params<'a> {
    kdf: AlgorithmIdentifierRef<'a>,
    encryption: AlgorithmIdentifierRef<'a>,
}

#[derive(der::Sequence)]
struct Pbkdf2Params<'a> {
    salt: AnyRef<'a>,
    iterations: UintRef<'a>,
    key_length: Option<UintRef<'a>>,
    prf: Option<AlgorithmIdentifierRef<'a>>,
}

/// An INTEGER iteration count as a number; counts that do not fit saturate, so the cap
/// still catches them.
pub(crate) fn count(n: UintRef<'_>) -> u64 {
    let b = n.as_bytes();
    if b.len() > 8 {
        return u64::MAX;
    }
    b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x))
}

impl Scheme {
    /// Parses an encryption `AlgorithmIdentifier`. `corrupt` builds the error for malformed
    /// parameters (it depends on the container being read).
    pub(crate) fn parse(
        alg: &AlgorithmIdentifierRef<'_>,
        corrupt: &dyn Fn(String) -> Error,
    ) -> Result<Self> {
        let unsupported = |o: &ObjectIdentifier| {
            Error::Format(FormatError::Unsupported {
                what: "password-based encryption",
                name: name_of(o),
            })
        };
        let params = |what: &str| {
            alg.parameters
                .ok_or_else(|| corrupt(format!("{what} without parameters")))
        };
        let legacy = match alg.oid {
            PBE_SHA1_3DES => Some(LegacyCipher::Des3),
            PBE_SHA1_2DES => Some(LegacyCipher::Des2),
            PBE_SHA1_RC2_128 => Some(LegacyCipher::Rc2 { bits: 128 }),
            PBE_SHA1_RC2_40 => Some(LegacyCipher::Rc2 { bits: 40 }),
            _ => None,
        };
        if let Some(cipher) = legacy {
            let p: Pkcs12PbeParams<'_> = params("PKCS#12 PBE")?
                .decode_as()
                .map_err(|e| corrupt(format!("PKCS#12 PBE parameters: {e}")))?;
            let iterations = count(p.iterations);
            if iterations == 0 {
                return Err(corrupt("an iteration count of 0".into()));
            }
            return Ok(Scheme::Pkcs12 {
                cipher,
                salt: p.salt.as_bytes().to_vec(),
                iterations,
            });
        }
        if alg.oid != PBES2 {
            return Err(unsupported(&alg.oid));
        }
        let p: Pbes2Params<'_> = params("PBES2")?
            .decode_as()
            .map_err(|e| corrupt(format!("PBES2 parameters: {e}")))?;
        if p.kdf.oid != PBKDF2 {
            return Err(Error::Format(FormatError::Unsupported {
                what: "PBES2 key derivation function",
                name: oid_with_name(&p.kdf.oid),
            }));
        }
        let cipher = match p.encryption.oid {
            AES128_CBC => Pbes2Cipher::Aes128,
            AES192_CBC => Pbes2Cipher::Aes192,
            AES256_CBC => Pbes2Cipher::Aes256,
            DES_EDE3_CBC => Pbes2Cipher::Des3,
            other => {
                return Err(Error::Format(FormatError::Unsupported {
                    what: "PBES2 encryption scheme",
                    name: oid_with_name(&other),
                }));
            }
        };
        let kdf: Pbkdf2Params<'_> = p
            .kdf
            .parameters
            .ok_or_else(|| corrupt("PBKDF2 without parameters".into()))?
            .decode_as()
            .map_err(|e| corrupt(format!("PBKDF2 parameters: {e}")))?;
        let salt = kdf.salt.decode_as::<&OctetStringRef>().map_err(|_| {
            Error::Format(FormatError::Unsupported {
                what: "PBKDF2 salt",
                name: "a salt given by an AlgorithmIdentifier (otherSource)".into(),
            })
        })?;
        let prf = match kdf.prf.map(|a| a.oid) {
            None | Some(HMAC_SHA1) => DigestAlgorithm::Sha1,
            Some(HMAC_SHA224) => DigestAlgorithm::Sha224,
            Some(HMAC_SHA256) => DigestAlgorithm::Sha256,
            Some(HMAC_SHA384) => DigestAlgorithm::Sha384,
            Some(HMAC_SHA512) => DigestAlgorithm::Sha512,
            Some(other) => {
                return Err(Error::Format(FormatError::Unsupported {
                    what: "PBKDF2 pseudo-random function",
                    name: oid_with_name(&other),
                }));
            }
        };
        if let Some(len) = kdf.key_length
            && count(len) != cipher.key_len() as u64
        {
            return Err(corrupt(format!(
                "PBKDF2 key length {} does not fit the cipher ({} bytes)",
                count(len),
                cipher.key_len()
            )));
        }
        let iv = p
            .encryption
            .parameters
            .ok_or_else(|| corrupt("cipher without an IV".into()))?
            .decode_as::<&OctetStringRef>()
            .map_err(|e| corrupt(format!("cipher IV: {e}")))?
            .as_bytes()
            .to_vec();
        if iv.len() != cipher.block_len() {
            return Err(corrupt(format!("an IV of {} bytes", iv.len())));
        }
        let iterations = count(kdf.iterations);
        if iterations == 0 {
            return Err(corrupt("an iteration count of 0".into()));
        }
        Ok(Scheme::Pbes2 {
            prf,
            salt: salt.as_bytes().to_vec(),
            iterations,
            cipher,
            iv,
        })
    }

    /// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, with fresh random salt and IV.
    pub(crate) fn modern(iterations: u32) -> Result<Self> {
        let mut salt = vec![0u8; 16];
        let mut iv = vec![0u8; 16];
        crate::crypto::random_bytes(&mut salt)?;
        crate::crypto::random_bytes(&mut iv)?;
        Ok(Scheme::Pbes2 {
            prf: DigestAlgorithm::Sha256,
            salt,
            iterations: u64::from(iterations),
            cipher: Pbes2Cipher::Aes256,
            iv,
        })
    }

    /// The iteration count.
    pub(crate) fn iterations(&self) -> u64 {
        match self {
            Scheme::Pkcs12 { iterations, .. } | Scheme::Pbes2 { iterations, .. } => *iterations,
        }
    }

    /// Whether this is one of the legacy PKCS#12 schemes (SHA-1 KDF, 3DES or RC2).
    pub(crate) fn is_legacy(&self) -> bool {
        matches!(self, Scheme::Pkcs12 { .. })
    }

    /// A readable name: `pbeWithSHAAnd40BitRC2-CBC`, `PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)`.
    pub(crate) fn name(&self) -> String {
        match self {
            Scheme::Pkcs12 { cipher, .. } => match cipher {
                LegacyCipher::Des3 => "pbeWithSHAAnd3-KeyTripleDES-CBC".into(),
                LegacyCipher::Des2 => "pbeWithSHAAnd2-KeyTripleDES-CBC".into(),
                LegacyCipher::Rc2 { bits } => format!("pbeWithSHAAnd{bits}BitRC2-CBC"),
            },
            Scheme::Pbes2 { prf, cipher, .. } => {
                let c = match cipher {
                    Pbes2Cipher::Aes128 => "AES-128-CBC",
                    Pbes2Cipher::Aes192 => "AES-192-CBC",
                    Pbes2Cipher::Aes256 => "AES-256-CBC",
                    Pbes2Cipher::Des3 => "DES-EDE3-CBC",
                };
                format!("PBES2 (PBKDF2-HMAC-{}, {c})", prf.name())
            }
        }
    }

    /// Derives the key and IV for `password`.
    fn key_iv(&self, password: &Candidate) -> (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>) {
        let iterations = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        match self {
            Scheme::Pkcs12 {
                cipher,
                salt,
                iterations: n,
            } => {
                let (key_len, iv_len) = match cipher {
                    LegacyCipher::Des3 => (24, 8),
                    LegacyCipher::Des2 => (16, 8),
                    LegacyCipher::Rc2 { bits } => (bits / 8, 8),
                };
                let derive = |purpose, len| {
                    kdf::derive(
                        DigestAlgorithm::Sha1,
                        &password.bmp,
                        salt,
                        purpose,
                        iterations(*n),
                        len,
                    )
                };
                (derive(Purpose::Key, key_len), derive(Purpose::Iv, iv_len))
            }
            Scheme::Pbes2 {
                prf,
                salt,
                iterations: n,
                cipher,
                iv,
            } => {
                let mut key = Zeroizing::new(vec![0u8; cipher.key_len()]);
                let n = iterations(*n);
                let pw: &[u8] = &password.utf8;
                match prf {
                    DigestAlgorithm::Sha1 => {
                        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(pw, salt, n, &mut key)
                    }
                    DigestAlgorithm::Sha224 => {
                        pbkdf2::pbkdf2_hmac::<sha2::Sha224>(pw, salt, n, &mut key)
                    }
                    DigestAlgorithm::Sha256 => {
                        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, salt, n, &mut key)
                    }
                    DigestAlgorithm::Sha384 => {
                        pbkdf2::pbkdf2_hmac::<sha2::Sha384>(pw, salt, n, &mut key)
                    }
                    DigestAlgorithm::Sha512 => {
                        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, salt, n, &mut key)
                    }
                }
                (key, Zeroizing::new(iv.clone()))
            }
        }
    }

    /// The password bytes this scheme consumes, to skip candidates that are the same for it.
    pub(crate) fn password_bytes<'c>(&self, password: &'c Candidate) -> &'c [u8] {
        match self {
            Scheme::Pkcs12 { .. } => &password.bmp,
            Scheme::Pbes2 { .. } => &password.utf8,
        }
    }

    /// Decrypts `data` with `password`.
    pub(crate) fn decrypt(
        &self,
        password: &Candidate,
        data: &[u8],
    ) -> std::result::Result<Zeroizing<Vec<u8>>, DecryptFailure> {
        let (key, iv) = self.key_iv(password);
        let bad = |_| DecryptFailure::Length;
        match self {
            Scheme::Pkcs12 { cipher, .. } => match cipher {
                LegacyCipher::Des3 => {
                    cbc_decrypt(des::TdesEde3::new_from_slice(&key).map_err(bad)?, &iv, data)
                }
                LegacyCipher::Des2 => {
                    cbc_decrypt(des::TdesEde2::new_from_slice(&key).map_err(bad)?, &iv, data)
                }
                LegacyCipher::Rc2 { bits } => {
                    cbc_decrypt(rc2::Rc2::new_with_eff_key_len(&key, *bits), &iv, data)
                }
            },
            Scheme::Pbes2 { cipher, .. } => match cipher {
                Pbes2Cipher::Aes128 => {
                    cbc_decrypt(aes::Aes128::new_from_slice(&key).map_err(bad)?, &iv, data)
                }
                Pbes2Cipher::Aes192 => {
                    cbc_decrypt(aes::Aes192::new_from_slice(&key).map_err(bad)?, &iv, data)
                }
                Pbes2Cipher::Aes256 => {
                    cbc_decrypt(aes::Aes256::new_from_slice(&key).map_err(bad)?, &iv, data)
                }
                Pbes2Cipher::Des3 => {
                    cbc_decrypt(des::TdesEde3::new_from_slice(&key).map_err(bad)?, &iv, data)
                }
            },
        }
    }

    /// Encrypts `plaintext` with `password` (PBES2 AES-256 only: ezla writes nothing else).
    pub(crate) fn encrypt(&self, password: &Candidate, plaintext: &[u8]) -> Result<Vec<u8>> {
        let (key, iv) = self.key_iv(password);
        match self {
            Scheme::Pbes2 {
                cipher: Pbes2Cipher::Aes256,
                ..
            } => {
                let cipher = aes::Aes256::new_from_slice(&key)
                    .map_err(|e| Error::internal(format!("AES key: {e}")))?;
                let enc = cbc::Encryptor::inner_iv_slice_init(cipher, &iv)
                    .map_err(|e| Error::internal(format!("AES IV: {e}")))?;
                Ok(enc.encrypt_padded_vec::<Pkcs7>(plaintext))
            }
            _ => Err(Error::internal("ezla encrypts with PBES2 AES-256-CBC only")),
        }
    }

    /// The DER `AlgorithmIdentifier` of a PBES2 scheme (RSA-style NULL parameters on the
    /// PRF, as OpenSSL writes them).
    pub(crate) fn to_der(&self) -> Result<Vec<u8>> {
        let Scheme::Pbes2 {
            prf,
            salt,
            iterations,
            cipher,
            iv,
        } = self
        else {
            return Err(Error::internal("ezla writes PBES2 parameters only"));
        };
        let internal = |e: der::Error| Error::internal(format!("encoding PBES2 parameters: {e}"));
        let prf_oid = match prf {
            DigestAlgorithm::Sha1 => HMAC_SHA1,
            DigestAlgorithm::Sha224 => HMAC_SHA224,
            DigestAlgorithm::Sha256 => HMAC_SHA256,
            DigestAlgorithm::Sha384 => HMAC_SHA384,
            DigestAlgorithm::Sha512 => HMAC_SHA512,
        };
        let enc_oid = match cipher {
            Pbes2Cipher::Aes128 => AES128_CBC,
            Pbes2Cipher::Aes192 => AES192_CBC,
            Pbes2Cipher::Aes256 => AES256_CBC,
            Pbes2Cipher::Des3 => DES_EDE3_CBC,
        };
        let iterations_bytes = iterations.to_be_bytes();
        let kdf_params = Pbkdf2Params {
            salt: AnyRef::from(OctetStringRef::new(salt).map_err(internal)?),
            iterations: UintRef::new(&iterations_bytes).map_err(internal)?,
            key_length: None,
            prf: Some(AlgorithmIdentifierRef {
                oid: prf_oid,
                parameters: Some(AnyRef::NULL),
            }),
        }
        .to_der()
        .map_err(internal)?;
        let iv_der = OctetStringRef::new(iv)
            .map_err(internal)?
            .to_der()
            .map_err(internal)?;
        let params = Pbes2Params {
            kdf: AlgorithmIdentifierRef {
                oid: PBKDF2,
                parameters: Some(AnyRef::from_der(&kdf_params).map_err(internal)?),
            },
            encryption: AlgorithmIdentifierRef {
                oid: enc_oid,
                parameters: Some(AnyRef::from_der(&iv_der).map_err(internal)?),
            },
        }
        .to_der()
        .map_err(internal)?;
        AlgorithmIdentifierRef {
            oid: PBES2,
            parameters: Some(AnyRef::from_der(&params).map_err(internal)?),
        }
        .to_der()
        .map_err(internal)
    }
}

fn cbc_decrypt<C: BlockCipherDecrypt>(
    cipher: C,
    iv: &[u8],
    data: &[u8],
) -> std::result::Result<Zeroizing<Vec<u8>>, DecryptFailure> {
    let block = C::block_size();
    if data.is_empty() || !data.len().is_multiple_of(block) {
        return Err(DecryptFailure::Length);
    }
    let decryptor =
        cbc::Decryptor::inner_iv_slice_init(cipher, iv).map_err(|_| DecryptFailure::Length)?;
    let mut buf = Zeroizing::new(data.to_vec());
    let len = decryptor
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| DecryptFailure::Padding)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::KeyError;
    use crate::pki::pbe::candidates;

    fn corrupt(s: String) -> Error {
        Error::Key(KeyError::Pkcs12Corrupt { detail: s })
    }

    #[test]
    fn modern_round_trip_and_parameters() {
        let scheme = Scheme::modern(1000).expect("scheme");
        let der = scheme.to_der().expect("der");
        let alg = AlgorithmIdentifierRef::from_der(&der).expect("alg");
        let parsed = Scheme::parse(&alg, &corrupt).expect("parse");
        assert_eq!(parsed, scheme);
        assert_eq!(parsed.name(), "PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)");
        assert!(!parsed.is_legacy());
        let pw = &candidates(Some("hasło"))[0];
        let ct = scheme.encrypt(pw, b"secret data").expect("encrypt");
        assert_eq!(ct.len(), 16);
        assert_eq!(&**parsed.decrypt(pw, &ct).expect("decrypt"), b"secret data");
        let wrong = &candidates(Some("haslo"))[0];
        // A wrong key almost always breaks the padding; occasionally (1 in ~256) the
        // padding happens to look valid and the plaintext is garbage instead.
        if let Ok(garbage) = parsed.decrypt(wrong, &ct) {
            assert_ne!(&**garbage, b"secret data");
        }
        assert_eq!(parsed.decrypt(pw, &ct[..15]), Err(DecryptFailure::Length));
        assert_eq!(parsed.decrypt(pw, &[]), Err(DecryptFailure::Length));
    }

    #[test]
    fn unsupported_algorithms_are_named() {
        let cases = [
            (
                "1.2.840.113549.1.12.1.1",
                "1.2.840.113549.1.12.1.1 (pbeWithSHAAnd128BitRC4)",
            ),
            ("1.2.840.113549.1.5.3", "1.2.840.113549.1.5.3"),
        ];
        for (o, want) in cases {
            let alg = AlgorithmIdentifierRef {
                oid: ObjectIdentifier::new(o).expect("oid"),
                parameters: None,
            };
            let err = Scheme::parse(&alg, &corrupt).expect_err(o);
            assert_eq!(err.code(), crate::ErrorCode::Unsupported);
            assert!(err.to_string().contains(want), "{err}");
        }
    }

    #[test]
    fn iteration_counts_saturate() {
        assert_eq!(count(UintRef::new(&[0x01, 0x00]).expect("uint")), 256);
        assert_eq!(count(UintRef::new(&[0xff; 9]).expect("uint")), u64::MAX);
    }
}
