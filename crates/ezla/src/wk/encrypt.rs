//! Encrypting an assertion the way login.gov.pl does (wk-saml.md §2.3), for the simulator
//! and for tests: the exact inverse of [`super::decrypt_assertion`], with the length-prefixed
//! ConcatKDF parameters.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, Aes256Gcm, KeyInit as _, Nonce};
use aes_kw::KwAes256;

use super::decrypt::{
    AES256_GCM, CONCAT_KDF, ECDH_ES, KW_AES256, P256_URN, SHA256, TYPE_ELEMENT, concat_kdf,
};
use super::ns::{DSIG, DSIG11, SAML, XENC, XENC11};
use crate::crypto::{KeyAgreement, KeyKind, KeySpec, PrivateKey, PublicKey, hex, random_bytes};
use crate::xml::Writer;
use crate::xml::base64::encode as encode_base64;
use crate::{Error, Result};

/// `uint32-BE length ‖ bytes`, login.gov.pl's encoding of a ConcatKDF party value.
fn length_prefixed(value: &[u8]) -> Vec<u8> {
    let mut out = (value.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(value);
    out
}

/// Encrypts `assertion` (the plaintext `saml2:Assertion` XML) to `recipient` (the SP's
/// encryption key, P-256) as login.gov.pl does, and returns the `saml2:EncryptedAssertion`
/// element, compact, declaring its own namespaces.
///
/// `issuer` becomes `PartyUInfo`, `sp_entity_id` `PartyVInfo`; `cek_len` is 32 (as declared)
/// or 16 (the 128-bit content key production was seen to send under `aes256-gcm`).
pub fn encrypt_assertion(
    assertion: &[u8],
    recipient: &PublicKey,
    issuer: &str,
    sp_entity_id: &str,
    cek_len: usize,
) -> Result<String> {
    if recipient.kind() != KeyKind::EcP256 {
        return Err(Error::invalid_argument(
            "recipient",
            "a P-256 key is required",
        ));
    }
    if cek_len != 16 && cek_len != 32 {
        return Err(Error::invalid_argument("cek_len", "16 or 32"));
    }
    let ephemeral = PrivateKey::generate(KeySpec::EcP256)?;
    let z = ephemeral.agree(recipient)?;
    let algorithm_id = length_prefixed(KW_AES256.as_bytes());
    let party_u = length_prefixed(issuer.as_bytes());
    let party_v = length_prefixed(sp_entity_id.as_bytes());
    let other_info = [&algorithm_id[..], &party_u, &party_v].concat();
    let kek = concat_kdf(&z, &other_info, 32);
    let mut cek = zeroize::Zeroizing::new(vec![0u8; cek_len]);
    random_bytes(&mut cek)?;
    let mut wrapped = vec![0u8; cek_len + 8];
    KwAes256::new_from_slice(&kek)
        .map_err(|_| Error::internal("KEK length"))?
        .wrap_key(&cek, &mut wrapped)
        .map_err(|_| Error::internal("AES key wrap"))?;
    let mut iv = [0u8; 12];
    random_bytes(&mut iv)?;
    let nonce = Nonce::try_from(&iv[..]).map_err(|_| Error::internal("IV length"))?;
    let sealed = if cek_len == 16 {
        Aes128Gcm::new_from_slice(&cek)
            .map_err(|_| Error::internal("key length"))?
            .encrypt(&nonce, assertion)
    } else {
        Aes256Gcm::new_from_slice(&cek)
            .map_err(|_| Error::internal("key length"))?
            .encrypt(&nonce, assertion)
    }
    .map_err(|_| Error::internal("AES-GCM encryption"))?;
    let cipher = [&iv[..], &sealed].concat();
    let point = ephemeral
        .public_key()
        .ec_point()
        .ok_or_else(|| Error::internal("no EC point"))?
        .to_vec();

    let mut w = Writer::compact();
    w.start("saml2:EncryptedAssertion")
        .ns("saml2", SAML)
        .ns("xenc", XENC)
        .ns("xenc11", XENC11)
        .ns("ds", DSIG)
        .ns("dsig11", DSIG11)
        .open();
    w.start("xenc:EncryptedData")
        .attr("Id", &format!("ED-{}", hex::lower(&iv[..8])))
        .attr("Type", TYPE_ELEMENT)
        .open();
    w.start("xenc:EncryptionMethod")
        .attr("Algorithm", AES256_GCM)
        .open();
    w.start("ds:DigestMethod").attr("Algorithm", SHA256).empty();
    w.end();
    w.open("ds:KeyInfo");
    w.start("xenc:EncryptedKey")
        .attr("Id", &format!("EK-{}", hex::lower(&iv[4..12])))
        .open();
    w.start("xenc:EncryptionMethod")
        .attr("Algorithm", KW_AES256)
        .empty();
    w.open("ds:KeyInfo");
    w.start("xenc:AgreementMethod")
        .attr("Algorithm", ECDH_ES)
        .open();
    w.start("xenc11:KeyDerivationMethod")
        .attr("Algorithm", CONCAT_KDF)
        .open();
    w.start("xenc11:ConcatKDFParams")
        .attr("AlgorithmID", &hex::upper(&algorithm_id))
        .attr("PartyUInfo", &hex::upper(&party_u))
        .attr("PartyVInfo", &hex::upper(&party_v))
        .open();
    w.start("ds:DigestMethod").attr("Algorithm", SHA256).empty();
    w.end();
    w.end();
    w.open("xenc:OriginatorKeyInfo");
    w.open("ds:KeyValue");
    w.open("dsig11:ECKeyValue");
    w.start("dsig11:NamedCurve").attr("URI", P256_URN).empty();
    w.leaf("dsig11:PublicKey", &encode_base64(&point));
    w.end();
    w.end();
    w.end();
    w.end();
    w.end();
    w.open("xenc:CipherData");
    w.leaf("xenc:CipherValue", &encode_base64(&wrapped));
    w.end();
    w.end();
    w.end();
    w.open("xenc:CipherData");
    w.leaf("xenc:CipherValue", &encode_base64(&cipher));
    Ok(w.finish())
}
