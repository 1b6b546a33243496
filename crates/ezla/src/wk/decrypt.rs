//! Decrypting login.gov.pl's `EncryptedAssertion` (wk-saml.md §2.3), with our own code.
//!
//! ECDH-ES on P-256 through [`KeyAgreement`], then ConcatKDF over SHA-256 whose `OtherInfo`
//! is the **verbatim** concatenation of the hex-decoded `AlgorithmID`, `PartyUInfo` and
//! `PartyVInfo` attributes (login.gov.pl writes them as `uint32-BE length ‖ bytes` and the
//! length prefixes are part of the KDF input; the XML-Enc 1.1 bit-string reading gives the
//! wrong key), then AES key unwrap (RFC 3394), then AES-GCM with the key size of the
//! unwrapped key (16 or 32 bytes: production has been seen to wrap a 128-bit key under
//! `aes256-gcm`), a 12-byte IV prefix, a 16-byte tag suffix and no AAD.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, Aes256Gcm, KeyInit as _, Nonce};
use aes_kw::{KwAes128, KwAes256};
use const_oid::db::rfc5912::SECP_256_R_1;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use super::ns::{DSIG, DSIG11, XENC, XENC11};
use crate::crypto::{KeyAgreement, PublicKey};
use crate::error::WkError;
use crate::xml::Element;
use crate::xml::base64::decode as decode_base64;
use crate::{Error, Result};

/// `xenc11#aes256-gcm`.
pub(crate) const AES256_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
/// `xenc11#aes128-gcm`.
pub(crate) const AES128_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
/// `xenc#kw-aes256`.
pub(crate) const KW_AES256: &str = "http://www.w3.org/2001/04/xmlenc#kw-aes256";
/// `xenc#kw-aes128`.
pub(crate) const KW_AES128: &str = "http://www.w3.org/2001/04/xmlenc#kw-aes128";
/// `xenc11#ECDH-ES`.
pub(crate) const ECDH_ES: &str = "http://www.w3.org/2009/xmlenc11#ECDH-ES";
/// `xenc11#ConcatKDF`.
pub(crate) const CONCAT_KDF: &str = "http://www.w3.org/2009/xmlenc11#ConcatKDF";
/// `xenc#sha256`.
pub(crate) const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// The named-curve URI of P-256.
pub(crate) const P256_URN: &str = "urn:oid:1.2.840.10045.3.1.7";
/// `xenc#Element`.
pub(crate) const TYPE_ELEMENT: &str = "http://www.w3.org/2001/04/xmlenc#Element";

/// The intermediate values of one decryption, for known-answer tests.
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Trace {
    /// The ECDH shared secret (x-coordinate, 32 bytes).
    pub(crate) z: Zeroizing<Vec<u8>>,
    /// `AlgorithmID ‖ PartyUInfo ‖ PartyVInfo`, verbatim.
    pub(crate) other_info: Vec<u8>,
    /// The key-encryption key.
    pub(crate) kek: Zeroizing<Vec<u8>>,
    /// The content-encryption key.
    pub(crate) cek: Zeroizing<Vec<u8>>,
    /// The GCM IV.
    pub(crate) iv: Vec<u8>,
    /// The GCM tag.
    pub(crate) tag: Vec<u8>,
}

/// What the `EncryptedData` says, read before any key is used.
struct Parsed {
    data_algorithm: String,
    kw_algorithm: &'static str,
    other_info: Vec<u8>,
    ephemeral: PublicKey,
    wrapped_key: Vec<u8>,
    cipher: Vec<u8>,
}

fn fail(step: &'static str, detail: impl Into<String>) -> Error {
    Error::Wk(WkError::DecryptionFailed {
        step,
        detail: detail.into(),
    })
}

fn only_child<'d, 'a>(parent: Element<'d, 'a>, ns: &str, name: &str) -> Result<Element<'d, 'a>> {
    let mut found = parent.children().filter(|c| c.is(ns, name));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(fail(
            "structure",
            format!("{} has no {name}", parent.path()),
        )),
        (Some(_), Some(_)) => Err(fail(
            "structure",
            format!("{} has more than one {name}", parent.path()),
        )),
    }
}

fn algorithm<'d>(e: Element<'d, '_>) -> Result<&'d str> {
    e.attribute("Algorithm")
        .ok_or_else(|| fail("structure", format!("{} has no Algorithm", e.path())))
}

/// Strict hex (either case, no separators).
fn hex_decode(what: &'static str, text: &str) -> Result<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(fail(
            "ConcatKDF parameters",
            format!("{what}: odd number of hex digits"),
        ));
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    bytes
        .chunks_exact(2)
        .map(|p| match (nibble(p[0]), nibble(p[1])) {
            (Some(h), Some(l)) => Ok(h << 4 | l),
            _ => Err(fail("ConcatKDF parameters", format!("{what}: not hex"))),
        })
        .collect()
}

/// Checks that `value` is `uint32-BE length ‖ bytes` (login.gov.pl's encoding), so that a
/// standard XML-Enc 1.1 bit string is refused with a clear message instead of a failed unwrap.
fn check_length_prefixed(what: &'static str, value: &[u8]) -> Result<()> {
    let ok = value.len() >= 4
        && u32::from_be_bytes([value[0], value[1], value[2], value[3]]) as usize == value.len() - 4;
    if ok {
        Ok(())
    } else {
        Err(fail(
            "ConcatKDF parameters",
            format!("{what} is not a 4-byte big-endian length followed by that many bytes"),
        ))
    }
}

fn parse(encrypted_assertion: Element<'_, '_>) -> Result<Parsed> {
    let data = only_child(encrypted_assertion, XENC, "EncryptedData")?;
    if let Some(other) = encrypted_assertion
        .children()
        .find(|c| !c.is(XENC, "EncryptedData"))
    {
        return Err(fail(
            "structure",
            format!("unexpected {} in EncryptedAssertion", other.local_name()),
        ));
    }
    if let Some(t) = data.attribute("Type")
        && t != TYPE_ELEMENT
    {
        return Err(fail("structure", format!("EncryptedData Type {t:?}")));
    }
    let data_algorithm = algorithm(only_child(data, XENC, "EncryptionMethod")?)?;
    if data_algorithm != AES256_GCM && data_algorithm != AES128_GCM {
        return Err(Error::unsupported("data encryption", data_algorithm));
    }
    let key = only_child(only_child(data, DSIG, "KeyInfo")?, XENC, "EncryptedKey")?;
    let kw_algorithm = match algorithm(only_child(key, XENC, "EncryptionMethod")?)? {
        KW_AES256 => KW_AES256,
        KW_AES128 => KW_AES128,
        other => return Err(Error::unsupported("key wrap", other)),
    };
    let agreement = only_child(only_child(key, DSIG, "KeyInfo")?, XENC, "AgreementMethod")?;
    let agreement_algorithm = algorithm(agreement)?;
    if agreement_algorithm != ECDH_ES {
        return Err(Error::unsupported("key agreement", agreement_algorithm));
    }
    let kdm = only_child(agreement, XENC11, "KeyDerivationMethod")?;
    let kdf = algorithm(kdm)?;
    if kdf != CONCAT_KDF {
        return Err(Error::unsupported("key derivation", kdf));
    }
    let params = only_child(kdm, XENC11, "ConcatKDFParams")?;
    let digest = algorithm(only_child(params, DSIG, "DigestMethod")?)?;
    if digest != SHA256 {
        return Err(Error::unsupported("ConcatKDF digest", digest));
    }
    if params.attribute("SuppPubInfo").is_some() || params.attribute("SuppPrivInfo").is_some() {
        return Err(Error::unsupported(
            "ConcatKDF parameter",
            "SuppPubInfo/SuppPrivInfo (login.gov.pl sends neither)",
        ));
    }
    let mut other_info = Vec::new();
    for name in ["AlgorithmID", "PartyUInfo", "PartyVInfo"] {
        let text = params.attribute(name).ok_or_else(|| {
            fail(
                "ConcatKDF parameters",
                format!("ConcatKDFParams has no {name}"),
            )
        })?;
        let value = hex_decode("ConcatKDFParams", text)?;
        check_length_prefixed("ConcatKDFParams attribute", &value)?;
        other_info.extend_from_slice(&value);
    }
    let ec = only_child(
        only_child(
            only_child(agreement, XENC, "OriginatorKeyInfo")?,
            DSIG,
            "KeyValue",
        )?,
        DSIG11,
        "ECKeyValue",
    )?;
    let curve = only_child(ec, DSIG11, "NamedCurve")?
        .attribute("URI")
        .unwrap_or("");
    if curve != P256_URN {
        return Err(Error::unsupported("ephemeral key curve", curve));
    }
    let point = decode_base64(
        "ECKeyValue PublicKey",
        &only_child(ec, DSIG11, "PublicKey")?.text(),
    )?;
    let ephemeral = PublicKey::from_ec_point(SECP_256_R_1, &point)
        .map_err(|e| fail("ephemeral key", e.to_string()))?;
    let cipher_value = |parent: Element<'_, '_>, what: &'static str| -> Result<Vec<u8>> {
        let value = only_child(only_child(parent, XENC, "CipherData")?, XENC, "CipherValue")?;
        decode_base64(what, &value.text())
    };
    Ok(Parsed {
        data_algorithm: data_algorithm.to_string(),
        kw_algorithm,
        other_info,
        ephemeral,
        wrapped_key: cipher_value(key, "EncryptedKey CipherValue")?,
        cipher: cipher_value(data, "EncryptedData CipherValue")?,
    })
}

/// ConcatKDF (NIST SP 800-56A §5.8.1) with SHA-256 and one round per 32 bytes:
/// `SHA-256(counter ‖ Z ‖ OtherInfo)`, truncated to `len`.
pub(crate) fn concat_kdf(z: &[u8], other_info: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 32));
    let mut counter: u32 = 1;
    while out.len() < len {
        let mut h = Sha256::new();
        h.update(counter.to_be_bytes());
        h.update(z);
        h.update(other_info);
        out.extend_from_slice(&h.finalize());
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

fn kek_len(kw: &str) -> usize {
    if kw == KW_AES128 { 16 } else { 32 }
}

fn unwrap(kw: &str, kek: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) || wrapped.len() > 72 {
        return Err(fail(
            "AES key unwrap",
            format!("wrapped key of {} bytes", wrapped.len()),
        ));
    }
    let mut buf = Zeroizing::new(vec![0u8; wrapped.len() - 8]);
    let result = if kw == KW_AES128 {
        KwAes128::new_from_slice(kek)
            .map_err(|_| fail("AES key unwrap", "KEK length"))?
            .unwrap_key(wrapped, &mut buf)
            .map(|_| ())
    } else {
        KwAes256::new_from_slice(kek)
            .map_err(|_| fail("AES key unwrap", "KEK length"))?
            .unwrap_key(wrapped, &mut buf)
            .map(|_| ())
    };
    result.map_err(|_| {
        fail(
            "AES key unwrap",
            "integrity check failed: the assertion was encrypted to another key, or the \
             ConcatKDF input differs",
        )
    })?;
    Ok(buf)
}

/// What AES-GCM decryption gives: the plaintext, and the IV and tag it read (for the trace).
type GcmOutput = (Zeroizing<Vec<u8>>, Vec<u8>, Vec<u8>);

fn gcm_decrypt(cek: &[u8], cipher: &[u8]) -> Result<GcmOutput> {
    if cipher.len() < 12 + 16 {
        return Err(fail(
            "AES-GCM",
            format!("ciphertext of {} bytes", cipher.len()),
        ));
    }
    let (iv, rest) = cipher.split_at(12);
    let tag = &rest[rest.len() - 16..];
    let nonce = Nonce::try_from(iv).map_err(|_| fail("AES-GCM", "IV length"))?;
    let plain = match cek.len() {
        16 => Aes128Gcm::new_from_slice(cek)
            .map_err(|_| fail("AES-GCM", "key length"))?
            .decrypt(&nonce, rest),
        32 => Aes256Gcm::new_from_slice(cek)
            .map_err(|_| fail("AES-GCM", "key length"))?
            .decrypt(&nonce, rest),
        n => {
            return Err(fail(
                "AES-GCM",
                format!("unwrapped key of {n} bytes (16 or 32 expected)"),
            ));
        }
    }
    .map_err(|_| fail("AES-GCM", "authentication tag does not verify"))?;
    Ok((Zeroizing::new(plain), iv.to_vec(), tag.to_vec()))
}

/// Decrypts, returning the intermediate values too.
pub(crate) fn decrypt_traced(
    encrypted_assertion: Element<'_, '_>,
    keys: &[&dyn KeyAgreement],
) -> Result<(Zeroizing<Vec<u8>>, Trace)> {
    let parsed = parse(encrypted_assertion)?;
    let _ = &parsed.data_algorithm;
    if keys.is_empty() {
        return Err(Error::invalid_argument(
            "encryption keys",
            "no SP encryption key configured",
        ));
    }
    let mut last = None;
    // No RecipientKeyInfo: during a key rollover, try each of our keys (the unwrap's
    // integrity check tells the right one).
    for key in keys {
        let z = key
            .agree(&parsed.ephemeral)
            .map_err(|e| fail("ECDH", e.to_string()))?;
        let kek = concat_kdf(&z, &parsed.other_info, kek_len(parsed.kw_algorithm));
        match unwrap(parsed.kw_algorithm, &kek, &parsed.wrapped_key) {
            Ok(cek) => {
                let (plain, iv, tag) = gcm_decrypt(&cek, &parsed.cipher)?;
                return Ok((
                    plain,
                    Trace {
                        z,
                        other_info: parsed.other_info,
                        kek,
                        cek,
                        iv,
                        tag,
                    },
                ));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| fail("AES key unwrap", "no key")))
}

/// Decrypts the `saml2:EncryptedAssertion` element with the first of `keys` that unwraps its
/// content key; returns the plaintext assertion XML (zeroized on drop).
///
/// The element must come from a `Response` whose signature verified: the plaintext is
/// trustworthy only because that signature covers the ciphertext.
pub fn decrypt_assertion(
    encrypted_assertion: Element<'_, '_>,
    keys: &[&dyn KeyAgreement],
) -> Result<Zeroizing<Vec<u8>>> {
    decrypt_traced(encrypted_assertion, keys).map(|(plain, _)| plain)
}
