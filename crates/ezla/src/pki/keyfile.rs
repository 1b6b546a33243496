//! Private key files: encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, RFC 5958 / RFC 8018) out,
//! and the usual PEM and DER forms in.
//!
//! ezla writes keys as encrypted PKCS#8 with PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC), which
//! `openssl pkey` opens with the password. It reads:
//!
//! * `ENCRYPTED PRIVATE KEY` with PBES2 or a legacy PKCS#12 PBE (`openssl pkcs8 -v1 …`),
//!   under the iteration cap of [`PbeLimits`];
//! * unencrypted `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY` (SEC1);
//! * the same structures in DER.

use der::Decode;
use zeroize::Zeroizing;

use super::pbe::scheme::Scheme;
use super::pbe::{PbeLimits, candidates as password_candidates};
use super::pem;
use super::pkcs12::DEFAULT_WRITE_ITERATIONS;
use crate::crypto::PrivateKey;
use crate::error::Format;
use crate::error::{FormatError, KeyError};
use crate::{Error, Result};

/// The PEM label of an encrypted PKCS#8 key.
pub const ENCRYPTED_PRIVATE_KEY: &str = "ENCRYPTED PRIVATE KEY";

#[derive(der::Sequence)]
struct EncryptedPrivateKeyInfo<'a> {
    algorithm: spki::AlgorithmIdentifierRef<'a>,
    data: &'a der::asn1::OctetStringRef,
}

/// Encrypts `key` as a DER `EncryptedPrivateKeyInfo` (PBES2, PBKDF2-HMAC-SHA-256 with
/// `iterations`, AES-256-CBC).
pub fn encrypt_private_key_der(
    key: &PrivateKey,
    password: &str,
    iterations: u32,
) -> Result<Vec<u8>> {
    if iterations < 1000 {
        return Err(Error::invalid_argument(
            "iterations",
            format!("{iterations} is below the minimum of 1000"),
        ));
    }
    let cands = password_candidates(Some(password));
    let scheme = Scheme::modern(iterations)?;
    let data = scheme.encrypt(&cands[0], key.pkcs8_der())?;
    Ok(super::encode::seq(&[
        &scheme.to_der()?,
        &super::encode::octets(&data),
    ]))
}

/// Encrypts `key` as an `ENCRYPTED PRIVATE KEY` PEM block, with
/// [`DEFAULT_WRITE_ITERATIONS`] unless `iterations` says otherwise.
pub fn encrypt_private_key_pem(
    key: &PrivateKey,
    password: &str,
    iterations: Option<u32>,
) -> Result<String> {
    let der = encrypt_private_key_der(
        key,
        password,
        iterations.unwrap_or(DEFAULT_WRITE_ITERATIONS),
    )?;
    Ok(pem::encode(ENCRYPTED_PRIVATE_KEY, &der))
}

/// Reads a private key from PEM or DER; `password` is needed for encrypted keys.
///
/// Fails with [`KeyError::BadPassword`] on a wrong password, [`Error::InvalidArgument`] when an
/// encrypted key comes without a password, [`KeyError::IterationLimitExceeded`] above the cap,
/// [`FormatError::Unsupported`] naming an unknown algorithm, and [`FormatError::Malformed`] otherwise.
///
/// `limits` caps the key derivation (a [`Pkcs12Options`](super::Pkcs12Options) converts
/// into one with [`pbe_limits`](super::Pkcs12Options::pbe_limits)).
pub fn read_private_key(
    data: &[u8],
    password: Option<&str>,
    limits: &PbeLimits,
) -> Result<PrivateKey> {
    if pem::is_pem(data) {
        let blocks = pem::decode_all(data, "private key")?;
        let block = blocks
            .iter()
            .find(|b| b.label.ends_with("PRIVATE KEY"))
            .ok_or_else(|| Error::malformed(Format::Pem, "private key", "no PRIVATE KEY block"))?;
        return match block.label.as_str() {
            ENCRYPTED_PRIVATE_KEY => decrypt(&block.der, password, limits),
            "PRIVATE KEY" => PrivateKey::from_pkcs8_der(&block.der),
            "RSA PRIVATE KEY" => PrivateKey::from_pkcs1_der(&block.der),
            "EC PRIVATE KEY" => PrivateKey::from_sec1_der(&block.der),
            other => Err(Error::Format(FormatError::Unsupported {
                what: "private key format",
                name: other.to_string(),
            })),
        };
    }
    if EncryptedPrivateKeyInfo::from_der(data).is_ok() {
        return decrypt(data, password, limits);
    }
    PrivateKey::from_pkcs8_der(data)
}

fn decrypt(der: &[u8], password: Option<&str>, limits: &PbeLimits) -> Result<PrivateKey> {
    let epki = EncryptedPrivateKeyInfo::from_der(der)
        .map_err(|e| Error::malformed(Format::Der, "encrypted private key", e.to_string()))?;
    let scheme = Scheme::parse(&epki.algorithm, &|d| {
        Error::malformed(Format::Der, "encrypted private key", d)
    })?;
    if scheme.iterations() > limits.max_iterations {
        return Err(Error::Key(KeyError::IterationLimitExceeded {
            what: "encrypted private key",
            iterations: scheme.iterations(),
            limit: limits.max_iterations,
        }));
    }
    let password = password.ok_or_else(|| {
        Error::invalid_argument(
            "password",
            "the private key is encrypted; a password is needed",
        )
    })?;
    let mut tried: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    for cand in password_candidates(Some(password)) {
        let bytes = Zeroizing::new(scheme.password_bytes(&cand).to_vec());
        if tried.contains(&bytes) {
            continue;
        }
        tried.push(bytes);
        if let Ok(plain) = scheme.decrypt(&cand, epki.data.as_bytes())
            && pkcs8::PrivateKeyInfoRef::from_der(&plain).is_ok()
        {
            return PrivateKey::from_pkcs8_der(&plain);
        }
    }
    Err(Error::Key(KeyError::BadPassword {
        what: "the encrypted private key",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use crate::crypto::{KeySpec, Signer};
    use crate::pki::Pkcs12Options;

    #[test]
    fn encrypted_round_trip_and_errors() {
        let key = PrivateKey::generate(KeySpec::EcP256).expect("key");
        let pem_text = encrypt_private_key_pem(&key, "tajne hasło", Some(1000)).expect("encrypt");
        assert!(pem_text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        let opts = PbeLimits::default();
        assert_eq!(opts, Pkcs12Options::default().pbe_limits());
        let back = read_private_key(pem_text.as_bytes(), Some("tajne hasło"), &opts).expect("read");
        assert_eq!(back.public_key(), key.public_key());
        let der = encrypt_private_key_der(&key, "x", 1000).expect("der");
        assert_eq!(
            read_private_key(&der, Some("x"), &opts)
                .expect("der read")
                .public_key(),
            key.public_key()
        );
        let code = |r: Result<PrivateKey>| r.expect_err("must fail").code();
        assert_eq!(
            code(read_private_key(pem_text.as_bytes(), Some("wrong"), &opts)),
            ErrorCode::BadPassword
        );
        assert_eq!(
            code(read_private_key(pem_text.as_bytes(), None, &opts)),
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            code(read_private_key(
                pem_text.as_bytes(),
                Some("tajne hasło"),
                &PbeLimits::with_max_iterations(999)
            )),
            ErrorCode::IterationLimitExceeded
        );
        assert_eq!(
            code(read_private_key(
                pem_text.as_bytes(),
                Some("tajne hasło"),
                &Pkcs12Options::with_max_iterations(999).into()
            )),
            ErrorCode::IterationLimitExceeded
        );
        assert_eq!(
            encrypt_private_key_der(&key, "x", 999)
                .expect_err("few")
                .code(),
            ErrorCode::InvalidArgument
        );
    }

    #[test]
    fn plain_forms() {
        let key = PrivateKey::generate(KeySpec::EcP256).expect("key");
        let opts = PbeLimits::default();
        let pem_text = pem::encode("PRIVATE KEY", key.pkcs8_der());
        assert_eq!(
            read_private_key(pem_text.as_bytes(), None, &opts)
                .expect("pem")
                .public_key(),
            key.public_key()
        );
        assert_eq!(
            read_private_key(key.pkcs8_der(), None, &opts)
                .expect("der")
                .public_key(),
            key.public_key()
        );
        let cert = pem::encode("CERTIFICATE", b"\x30\x00");
        assert_eq!(
            read_private_key(cert.as_bytes(), None, &opts)
                .expect_err("no key")
                .code(),
            ErrorCode::PemMalformed
        );
        assert_eq!(
            read_private_key(b"\x01\x02", None, &opts)
                .expect_err("garbage")
                .code(),
            ErrorCode::DerMalformed
        );
    }
}
