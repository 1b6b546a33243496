//! [`Pkcs11Signer`]: a private key on a token, as a [`Signer`] and a [`KeyAgreement`].

use std::fmt;
use std::sync::{Mutex, MutexGuard};

use cryptoki::mechanism::elliptic_curve::{EcKdf, Ecdh1DeriveParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::UserType;
use cryptoki::slot::Slot;
use zeroize::Zeroizing;

use super::fail::token_error;
use super::module::{Module, ObjectKind, TokenInfo, describe_object};
use super::select::{KeySelector, PinRequest, PinSource, TokenSelector};
use super::session::TokenSession;
use crate::crypto::{
    DigestAlgorithm, KeyAgreement, KeyKind, PublicKey, SignatureAlgorithm, Signer,
};
use crate::error::KeyError;
use crate::pki::Certificate;
use crate::{Error, Result};

/// What [`Pkcs11Signer::open`] needs: the token, the key, the PIN and, optionally, the
/// certificate (otherwise the one on the token with the key's `CKA_ID` is used).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SignerOptions {
    /// Which token.
    pub token: TokenSelector,
    /// Which private key on it.
    pub key: KeySelector,
    /// Where the PIN comes from.
    pub pin: PinSource,
    /// The signer's certificate, when it is not on the token (or another one is wanted).
    pub certificate: Option<Certificate>,
}

impl SignerOptions {
    /// Options for `key` on `token` with `pin`; the certificate comes from the token.
    pub fn new(token: TokenSelector, key: KeySelector, pin: PinSource) -> Self {
        SignerOptions {
            token,
            key,
            pin,
            certificate: None,
        }
    }

    /// Uses `certificate` instead of looking for one on the token.
    pub fn certificate(mut self, certificate: Certificate) -> Self {
        self.certificate = Some(certificate);
        self
    }
}

/// A private key on a PKCS#11 token, with its certificate: a [`Signer`] (RSA PKCS#1 v1.5 and
/// ECDSA) and, for EC keys the token lets derive, a [`KeyAgreement`] (ECDH).
///
/// The message is hashed in software. RSA signs through `CKM_RSA_PKCS` over a DigestInfo
/// built here; ECDSA through `CKM_ECDSA` over the hash, whose raw `r ‖ s` is what
/// [`Signer`] returns. A key marked `CKA_ALWAYS_AUTHENTICATE` gets a context-specific login
/// before each signature (see the module documentation for the mechanism it then needs).
///
/// Sessions: each signature borrows an idle session or opens one, and gives it back; threads
/// signing at once each hold their own (a PKCS#11 session serves one thread), and all are
/// closed when the signer is dropped, or when one fails. The login is made when the first
/// session opens and holds for the others.
pub struct Pkcs11Signer {
    // Dropped first: the sessions close before the module handle lets go.
    idle: Mutex<Vec<TokenSession>>,
    module: Module,
    slot: Slot,
    token: TokenInfo,
    key_selector: KeySelector,
    key: ObjectHandle,
    key_label: String,
    key_id: Vec<u8>,
    kind: KeyKind,
    certificate: Certificate,
    always_authenticate: bool,
    mechanisms: Vec<MechanismType>,
    pin: PinSource,
}

impl fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11Signer")
            .field("module", &self.module.path())
            .field("token", &self.token.label)
            .field("key", &self.key_selector)
            .field("kind", &self.kind)
            .field("always_authenticate", &self.always_authenticate)
            .finish_non_exhaustive()
    }
}

impl Pkcs11Signer {
    /// Opens the key `options` names: finds the token and the key, logs in, and finds the
    /// certificate.
    ///
    /// Errors: [`KeyError::TokenNotFound`], [`KeyError::PinIncorrect`],
    /// [`KeyError::PinLocked`], [`KeyError::PinUnavailable`], [`KeyError::TokenKeyNotFound`],
    /// [`KeyError::TokenCertificateNotFound`], [`KeyError::Unsupported`] (a key type other
    /// than RSA, P-256 or P-384) and [`KeyError::CertificateMismatch`] (an RSA certificate
    /// whose modulus is not the key's). No session stays open after an error.
    ///
    /// The login belongs to the application: while another signer of this process is
    /// logged in to the token, the new session is logged in already and the PIN is not
    /// checked.
    pub fn open(module: &Module, options: SignerOptions) -> Result<Pkcs11Signer> {
        let SignerOptions {
            token: token_selector,
            key: key_selector,
            pin,
            certificate,
        } = options;
        let (slot, token) = module.find_token(&token_selector)?;
        let session = TokenSession::open(module, slot, &token, &pin)?;
        let err = |operation| {
            let label = token.label.clone();
            move |e| token_error(&label, operation, e)
        };
        let s = session.session();
        let template = match &key_selector {
            KeySelector::Label(l) => Attribute::Label(l.as_bytes().to_vec()),
            KeySelector::Id(id) => Attribute::Id(id.clone()),
        };
        let keys = s
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY), template])
            .map_err(err("finding the key"))?;
        let key = match keys.as_slice() {
            [one] => *one,
            [] | [_, _, ..] => {
                let all = s
                    .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
                    .map_err(err("listing keys"))?;
                let names: Vec<String> = all
                    .iter()
                    .filter_map(|h| describe_object(&session, *h, ObjectKind::PrivateKey).ok())
                    .map(|o| format!("\"{}\" (id {})", o.label, crate::crypto::hex::lower(&o.id)))
                    .collect();
                let detail = if keys.is_empty() && names.is_empty() {
                    "the token shows no private key (after login)".to_string()
                } else if keys.is_empty() {
                    format!("private keys present: {}", names.join(", "))
                } else {
                    format!("{} keys match; choose by id", keys.len())
                };
                return Err(Error::Key(KeyError::TokenKeyNotFound {
                    token: token.label.clone(),
                    key: key_selector.to_string(),
                    detail,
                }));
            }
        };
        let object = describe_object(&session, key, ObjectKind::PrivateKey)
            .map_err(err("reading the key"))?;
        let Some(kind) = object.key_kind else {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!(
                    "the key with {key_selector} on token `{}` is neither RSA nor EC P-256/P-384",
                    token.label
                ),
            }));
        };
        let certificate = match certificate {
            Some(c) => c,
            None => find_certificate(&session, &token, &key_selector, &object.id, &object.label)?,
        };
        check_certificate(&session, &token, key, kind, &certificate)?;
        let mechanisms = module
            .loaded()
            .ctx
            .get_mechanism_list(slot)
            .map_err(err("listing mechanisms"))?;
        Ok(Pkcs11Signer {
            idle: Mutex::new(vec![session]),
            module: module.clone(),
            slot,
            token,
            key_selector,
            key,
            key_label: object.label,
            key_id: object.id,
            kind,
            certificate,
            always_authenticate: object.always_authenticate,
            mechanisms,
            pin,
        })
    }

    /// The signer's certificate (from the token, or the one given).
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The token's description.
    pub fn token(&self) -> &TokenInfo {
        &self.token
    }

    /// The key's `CKA_LABEL`.
    pub fn key_label(&self) -> &str {
        &self.key_label
    }

    /// The key's `CKA_ID`.
    pub fn key_id(&self) -> &[u8] {
        &self.key_id
    }

    /// Whether the key is marked `CKA_ALWAYS_AUTHENTICATE` (a PIN before each signature).
    pub fn always_authenticate(&self) -> bool {
        self.always_authenticate
    }

    /// The module the key is on.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// The number of idle sessions the signer keeps (at most the number of threads that
    /// signed at once).
    pub fn idle_sessions(&self) -> usize {
        self.pool().len()
    }

    fn pool(&self) -> MutexGuard<'_, Vec<TokenSession>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on an idle session (or a new one), and gives the session back unless `f`
    /// failed; when the token went away, every idle session is closed too.
    fn with_session<T>(&self, f: impl FnOnce(&TokenSession) -> Result<T>) -> Result<T> {
        let popped = self.pool().pop();
        let result = match popped {
            Some(s) => Ok(s),
            None => TokenSession::open(&self.module, self.slot, &self.token, &self.pin),
        }
        .and_then(|session| {
            let result = f(&session);
            if result.is_ok() {
                self.pool().push(session);
            }
            // A failed session is closed here (its operation may still be active).
            result
        });
        match result {
            Ok(v) => Ok(v),
            Err(e) => {
                let e = self.removed_or(e);
                if e.code() == crate::ErrorCode::TokenRemoved {
                    let gone: Vec<TokenSession> = self.pool().drain(..).collect();
                    drop(gone);
                }
                Err(e)
            }
        }
    }

    /// `e`, or [`KeyError::TokenRemoved`] when the token is no longer in its slot (modules
    /// report a vanished token in many ways: `CKR_GENERAL_ERROR`, `CKR_DEVICE_ERROR`, ...).
    fn removed_or(&self, e: Error) -> Error {
        if !matches!(e, Error::Key(KeyError::TokenFailed { .. })) {
            return e;
        }
        let present = self
            .module
            .token_info(self.slot)
            .is_ok_and(|t| t.label == self.token.label && t.serial == self.token.serial);
        if present {
            e
        } else {
            Error::Key(KeyError::TokenRemoved {
                token: self.token.label.clone(),
                detail: format!("the token is no longer in its slot ({e})"),
            })
        }
    }

    fn err(&self, operation: &'static str) -> impl Fn(cryptoki::error::Error) -> Error + '_ {
        move |e| token_error(&self.token.label, operation, e)
    }

    /// The context-specific login an always-authenticate key needs after `C_SignInit`.
    fn context_login(&self, session: &TokenSession) -> Result<()> {
        let request = PinRequest {
            token: &self.token.label,
            context_specific: true,
        };
        let pin = self.pin.get(&request)?;
        session.login(
            &self.token,
            UserType::ContextSpecific,
            pin.as_deref().map(|s| s.as_str()),
        )
    }

    fn sign_on(
        &self,
        session: &TokenSession,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>> {
        let s = session.session();
        let digest = algorithm.digest();
        if self.always_authenticate {
            // cryptoki's single-part `sign` runs C_SignInit itself, leaving no room for the
            // context-specific login between C_SignInit and C_Sign; the multi-part form
            // (C_SignInit, C_Login, C_SignUpdate, C_SignFinal) needs a hashing mechanism.
            let mechanism = hashing_mechanism(algorithm);
            if !self.mechanisms.contains(&mechanism.mechanism_type()) {
                return Err(self.unsupported(algorithm));
            }
            s.sign_init(&mechanism, self.key)
                .map_err(self.err("starting the signature"))?;
            self.context_login(session)?;
            s.sign_update(message).map_err(self.err("signing"))?;
            return s.sign_final().map_err(self.err("signing"));
        }
        let hash = digest.digest(message);
        match algorithm {
            SignatureAlgorithm::RsaPkcs1v15(d) => s
                .sign(&Mechanism::RsaPkcs, self.key, &digest_info(d, &hash))
                .map_err(self.err("signing")),
            SignatureAlgorithm::Ecdsa(_) => s
                .sign(&Mechanism::Ecdsa, self.key, &hash)
                .map_err(self.err("signing")),
        }
    }

    fn unsupported(&self, algorithm: SignatureAlgorithm) -> Error {
        let why = if self.always_authenticate {
            format!(
                "the key is marked always-authenticate, and token `{}` has no {} mechanism to sign in parts",
                self.token.label,
                algorithm.name()
            )
        } else {
            format!("{algorithm} on a token")
        };
        Error::Key(KeyError::Unsupported { detail: why })
    }
}

impl Signer for Pkcs11Signer {
    fn public_key(&self) -> &PublicKey {
        self.certificate.public_key()
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        if !algorithm.fits(self.kind) {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!("{algorithm} with a {} key", self.kind.algorithm_name()),
            }));
        }
        let signature = self.with_session(|session| self.sign_on(session, algorithm, message))?;
        let expected = match self.kind {
            KeyKind::Rsa { bits } => bits.div_ceil(8),
            KeyKind::EcP256 => 64,
            KeyKind::EcP384 => 96,
        };
        if signature.len() != expected {
            return Err(Error::Key(KeyError::SigningFailed {
                detail: format!(
                    "token `{}` returned a {}-byte signature, {expected} expected",
                    self.token.label,
                    signature.len()
                ),
            }));
        }
        Ok(signature)
    }

    fn key_kind(&self) -> KeyKind {
        self.kind
    }
}

impl KeyAgreement for Pkcs11Signer {
    fn kind(&self) -> KeyKind {
        self.kind
    }

    fn public_key(&self) -> &PublicKey {
        self.certificate.public_key()
    }

    /// `CKM_ECDH1_DERIVE` (no KDF) into a session object holding Z, read and destroyed.
    fn agree(&self, peer: &PublicKey) -> Result<Zeroizing<Vec<u8>>> {
        let len = match self.kind {
            KeyKind::EcP256 => 32usize,
            KeyKind::EcP384 => 48,
            KeyKind::Rsa { .. } => {
                return Err(Error::Key(KeyError::Unsupported {
                    detail: "key agreement with an RSA key".to_string(),
                }));
            }
        };
        if peer.kind() != self.kind {
            return Err(Error::invalid_argument(
                "peer",
                format!(
                    "the curves must match: the token key is {}, the peer key {}",
                    self.kind.algorithm_name(),
                    peer.kind().algorithm_name()
                ),
            ));
        }
        let point = peer
            .ec_point()
            .ok_or_else(|| Error::invalid_argument("peer", "not an EC key"))?;
        let value_len = u64::try_from(len).map_err(|_| Error::internal("length"))?;
        self.with_session(|session| {
            let s = session.session();
            let mechanism = Mechanism::Ecdh1Derive(Ecdh1DeriveParams::new(EcKdf::null(), point));
            let template = [
                Attribute::Class(ObjectClass::SECRET_KEY),
                Attribute::KeyType(KeyType::GENERIC_SECRET),
                Attribute::Token(false),
                Attribute::Sensitive(false),
                Attribute::Extractable(true),
                Attribute::ValueLen(value_len.into()),
            ];
            let secret = s
                .derive_key(&mechanism, self.key, &template)
                .map_err(self.err("deriving the shared secret (CKM_ECDH1_DERIVE)"))?;
            let value = s.get_attributes(secret, &[AttributeType::Value]);
            let destroyed = s.destroy_object(secret);
            let mut z = None;
            for a in value.map_err(self.err("reading the shared secret"))? {
                if let Attribute::Value(v) = a {
                    z = Some(Zeroizing::new(v));
                }
            }
            destroyed.map_err(self.err("destroying the shared secret"))?;
            match z {
                Some(z) if z.len() == len => Ok(z),
                _ => Err(Error::Key(KeyError::SigningFailed {
                    detail: format!(
                        "token `{}` returned no {len}-byte shared secret",
                        self.token.label
                    ),
                })),
            }
        })
    }
}

/// The certificate on the token for the key: the one with the key's `CKA_ID`, else the one
/// with its label.
fn find_certificate(
    session: &TokenSession,
    token: &TokenInfo,
    selector: &KeySelector,
    id: &[u8],
    label: &str,
) -> Result<Certificate> {
    let s = session.session();
    let err = |e| token_error(&token.label, "finding the certificate", e);
    let mut candidates = Vec::new();
    if !id.is_empty() {
        candidates = s
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::Id(id.to_vec()),
            ])
            .map_err(err)?;
    }
    if candidates.is_empty() && !label.is_empty() {
        candidates = s
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::Label(label.as_bytes().to_vec()),
            ])
            .map_err(err)?;
    }
    for handle in candidates {
        let object = describe_object(session, handle, ObjectKind::Certificate).map_err(err)?;
        if let Some(cert) = object.certificate {
            return Ok(cert);
        }
    }
    Err(Error::Key(KeyError::TokenCertificateNotFound {
        token: token.label.clone(),
        key: selector.to_string(),
    }))
}

/// The certificate must be for the key: the same kind and, for RSA (whose modulus a private
/// key object shows), the same modulus.
fn check_certificate(
    session: &TokenSession,
    token: &TokenInfo,
    key: ObjectHandle,
    kind: KeyKind,
    certificate: &Certificate,
) -> Result<()> {
    let mismatch = || {
        Error::Key(KeyError::CertificateMismatch {
            subject: certificate.subject().to_rfc4514(),
        })
    };
    if certificate.public_key().kind() != kind {
        return Err(mismatch());
    }
    if let Some((n, _)) = certificate.public_key().rsa_components() {
        let attrs = session
            .session()
            .get_attributes(key, &[AttributeType::Modulus])
            .map_err(|e| token_error(&token.label, "reading the key's modulus", e))?;
        let strip = |b: &[u8]| -> Vec<u8> { b.iter().copied().skip_while(|&x| x == 0).collect() };
        for a in attrs {
            if let Attribute::Modulus(m) = a
                && strip(&m) != strip(n)
            {
                return Err(mismatch());
            }
        }
    }
    Ok(())
}

/// The hashing mechanism for `algorithm`, for the multi-part path.
fn hashing_mechanism(algorithm: SignatureAlgorithm) -> Mechanism<'static> {
    use DigestAlgorithm as D;
    match algorithm {
        SignatureAlgorithm::RsaPkcs1v15(d) => match d {
            D::Sha1 => Mechanism::Sha1RsaPkcs,
            D::Sha224 => Mechanism::Sha224RsaPkcs,
            D::Sha256 => Mechanism::Sha256RsaPkcs,
            D::Sha384 => Mechanism::Sha384RsaPkcs,
            D::Sha512 => Mechanism::Sha512RsaPkcs,
        },
        SignatureAlgorithm::Ecdsa(d) => match d {
            D::Sha1 => Mechanism::EcdsaSha1,
            D::Sha224 => Mechanism::EcdsaSha224,
            D::Sha256 => Mechanism::EcdsaSha256,
            D::Sha384 => Mechanism::EcdsaSha384,
            D::Sha512 => Mechanism::EcdsaSha512,
        },
    }
}

/// DER `DigestInfo ::= SEQUENCE { AlgorithmIdentifier (OID, NULL), OCTET STRING }` (RFC 8017
/// §9.2), the input of `CKM_RSA_PKCS` for a PKCS#1 v1.5 signature.
pub(crate) fn digest_info(algorithm: DigestAlgorithm, hash: &[u8]) -> Vec<u8> {
    // Every length here is below 128 (an OID of at most 11 bytes, a hash of at most 64), so
    // each DER length is one byte.
    let oid = algorithm.oid();
    let oid = oid.as_bytes();
    let tlv = |tag: u8, parts: &[&[u8]]| -> Vec<u8> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut out = vec![tag, u8::try_from(len).unwrap_or(0x7f)];
        for p in parts {
            out.extend_from_slice(p);
        }
        out
    };
    let oid_tlv = tlv(0x06, &[oid]);
    let algid = tlv(0x30, &[&oid_tlv, &[0x05, 0x00]]);
    let octets = tlv(0x04, &[hash]);
    tlv(0x30, &[&algid, &octets])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::hex;

    /// The DER prefixes RFC 8017 §9.2 note 1 lists, followed by the hash.
    #[test]
    fn digest_info_matches_rfc8017() {
        let cases = [
            (DigestAlgorithm::Sha1, "3021300906052b0e03021a05000414"),
            (
                DigestAlgorithm::Sha224,
                "302d300d06096086480165030402040500041c",
            ),
            (
                DigestAlgorithm::Sha256,
                "3031300d060960864801650304020105000420",
            ),
            (
                DigestAlgorithm::Sha384,
                "3041300d060960864801650304020205000430",
            ),
            (
                DigestAlgorithm::Sha512,
                "3051300d060960864801650304020305000440",
            ),
        ];
        for (alg, prefix) in cases {
            let hash = alg.digest(b"abc");
            let info = digest_info(alg, &hash);
            assert_eq!(
                hex::lower(&info[..info.len() - hash.len()]),
                prefix,
                "{alg:?}"
            );
            assert_eq!(&info[info.len() - hash.len()..], &hash[..]);
        }
    }
}
