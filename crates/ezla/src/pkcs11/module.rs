//! A loaded PKCS#11 module, its tokens and their objects.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::slot::Slot;

use super::fail::token_error;
use super::select::{PinSource, TokenSelector};
use super::session::TokenSession;
use crate::crypto::KeyKind;
use crate::error::KeyError;
use crate::pki::Certificate;
use crate::{Error, Result};

/// One loaded module: the library, initialised once, and the count of sessions ezla holds.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) path: PathBuf,
    pub(crate) ctx: Pkcs11,
    /// Sessions opened through ezla and not yet closed.
    pub(crate) sessions: AtomicUsize,
}

/// The modules loaded in this process, with the number of [`Module`] handles on each.
///
/// A PKCS#11 library is process-wide state: `C_Initialize` may run once until `C_Finalize`.
/// Two [`Module::open`]s of one path share the library; the last handle dropped finalizes it.
static LOADED: Mutex<Vec<(Arc<Loaded>, usize)>> = Mutex::new(Vec::new());

fn loaded() -> MutexGuard<'static, Vec<(Arc<Loaded>, usize)>> {
    LOADED.lock().unwrap_or_else(|p| p.into_inner())
}

/// A PKCS#11 module (the `.so` of a smart card's middleware, an HSM client, SoftHSM), loaded by
/// path and initialised for use from several threads (`CKF_OS_LOCKING_OK`).
///
/// Cloning is cheap; the module is finalized (`C_Finalize`) when the last handle is dropped.
#[derive(Debug)]
pub struct Module {
    inner: Arc<Loaded>,
}

impl Clone for Module {
    fn clone(&self) -> Self {
        let mut all = loaded();
        if let Some(entry) = all.iter_mut().find(|(l, _)| Arc::ptr_eq(l, &self.inner)) {
            entry.1 += 1;
        }
        Module {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        let mut all = loaded();
        let Some(i) = all.iter().position(|(l, _)| Arc::ptr_eq(l, &self.inner)) else {
            return;
        };
        let last = match all.get_mut(i) {
            Some(entry) => {
                entry.1 = entry.1.saturating_sub(1);
                entry.1 == 0
            }
            None => false,
        };
        if last {
            let (gone, _) = all.remove(i);
            // Errors cannot be reported from a drop; a module that fails to finalize is
            // unloaded anyway when the last session lets go of it.
            let _ = gone.ctx.clone().finalize();
        }
    }
}

/// A token as `C_GetTokenInfo` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The slot the token is in.
    pub slot: u64,
    /// The token's label.
    pub label: String,
    /// The token's serial number.
    pub serial: String,
    /// The manufacturer.
    pub manufacturer: String,
    /// The model.
    pub model: String,
    /// Whether the token needs a user login (`CKF_LOGIN_REQUIRED`).
    pub login_required: bool,
    /// Whether the token has its own PIN pad (`CKF_PROTECTED_AUTHENTICATION_PATH`).
    pub protected_authentication_path: bool,
    /// Whether the user PIN is locked (`CKF_USER_PIN_LOCKED`).
    pub pin_locked: bool,
    /// Whether few PIN tries remain (`CKF_USER_PIN_COUNT_LOW` or `CKF_USER_PIN_FINAL_TRY`).
    pub pin_count_low: bool,
}

/// What kind of object a [`TokenObject`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// A private key (`CKO_PRIVATE_KEY`).
    PrivateKey,
    /// A public key (`CKO_PUBLIC_KEY`).
    PublicKey,
    /// An X.509 certificate (`CKO_CERTIFICATE`).
    Certificate,
}

impl ObjectKind {
    /// A short name: `private key`, `public key`, `certificate`.
    pub const fn name(self) -> &'static str {
        match self {
            ObjectKind::PrivateKey => "private key",
            ObjectKind::PublicKey => "public key",
            ObjectKind::Certificate => "certificate",
        }
    }
}

/// A key or certificate on a token.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TokenObject {
    /// The kind of object.
    pub kind: ObjectKind,
    /// `CKA_LABEL` (empty when absent).
    pub label: String,
    /// `CKA_ID` (empty when absent): a key and its certificate share it.
    pub id: Vec<u8>,
    /// For keys: the key's kind, where ezla knows it (RSA, P-256, P-384).
    pub key_kind: Option<KeyKind>,
    /// For private keys: `CKA_ALWAYS_AUTHENTICATE`.
    pub always_authenticate: bool,
    /// For certificates: the parsed certificate (`None` when `CKA_VALUE` does not parse).
    pub certificate: Option<Certificate>,
}

impl Module {
    /// Loads the PKCS#11 module at `path` (or shares it if this process has it loaded) and
    /// initialises it.
    ///
    /// Fails with [`KeyError::Pkcs11ModuleInvalid`] when the file is missing, is not a shared
    /// library, exports no `C_GetFunctionList`, or its `C_Initialize` fails.
    pub fn open(path: impl AsRef<Path>) -> Result<Module> {
        let path = path.as_ref();
        let invalid = |detail: String| {
            Error::Key(KeyError::Pkcs11ModuleInvalid {
                path: path.display().to_string(),
                detail,
            })
        };
        let canonical = std::fs::canonicalize(path).map_err(|e| invalid(e.to_string()))?;
        let mut all = loaded();
        if let Some(entry) = all.iter_mut().find(|(l, _)| l.path == canonical) {
            entry.1 += 1;
            return Ok(Module {
                inner: Arc::clone(&entry.0),
            });
        }
        let ctx = Pkcs11::new(&canonical).map_err(|e| invalid(describe_load(&e)))?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(invalid(super::fail::describe(&e))),
        }
        let inner = Arc::new(Loaded {
            path: canonical,
            ctx,
            sessions: AtomicUsize::new(0),
        });
        all.push((Arc::clone(&inner), 1));
        Ok(Module { inner })
    }

    /// The module's path (resolved).
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    pub(crate) fn loaded(&self) -> &Arc<Loaded> {
        &self.inner
    }

    /// The number of sessions ezla has open on this module's tokens (all signers and
    /// listings together): zero once every signer is dropped and every listing returned.
    pub fn open_sessions(&self) -> usize {
        self.inner.sessions.load(Ordering::SeqCst)
    }

    fn module_error(&self, operation: &'static str, e: CkError) -> Error {
        token_error(&self.inner.path.display().to_string(), operation, e)
    }

    /// The tokens present, in slot order.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let slots = self
            .inner
            .ctx
            .get_slots_with_initialized_token()
            .map_err(|e| self.module_error("listing slots", e))?;
        let mut out = Vec::with_capacity(slots.len());
        for slot in slots {
            match self.token_info(slot) {
                Ok(info) => out.push(info),
                // A slot whose token disappeared between the two calls, or an uninitialised
                // token SoftHSM reports oddly: skipped.
                Err(_) => continue,
            }
        }
        Ok(out)
    }

    pub(crate) fn token_info(&self, slot: Slot) -> Result<TokenInfo> {
        let t = self
            .inner
            .ctx
            .get_token_info(slot)
            .map_err(|e| self.module_error("reading token information", e))?;
        Ok(TokenInfo {
            slot: slot.id(),
            label: t.label().trim_end().to_string(),
            serial: t.serial_number().trim_end().to_string(),
            manufacturer: t.manufacturer_id().trim_end().to_string(),
            model: t.model().trim_end().to_string(),
            login_required: t.login_required(),
            protected_authentication_path: t.protected_authentication_path(),
            pin_locked: t.user_pin_locked(),
            pin_count_low: t.user_pin_count_low() || t.user_pin_final_try(),
        })
    }

    /// The one initialised token that `selector` names, and its slot.
    pub(crate) fn find_token(&self, selector: &TokenSelector) -> Result<(Slot, TokenInfo)> {
        let slots = self
            .inner
            .ctx
            .get_slots_with_initialized_token()
            .map_err(|e| self.module_error("listing slots", e))?;
        let mut found = Vec::new();
        let mut seen = Vec::new();
        for slot in slots {
            let Ok(info) = self.token_info(slot) else {
                continue;
            };
            let hit = match selector {
                TokenSelector::Label(l) => &info.label == l,
                TokenSelector::Serial(s) => &info.serial == s,
            };
            seen.push(format!("\"{}\" (serial {})", info.label, info.serial));
            if hit {
                found.push((slot, info));
            }
        }
        let count = found.len();
        match (found.pop(), count) {
            (Some(one), 1) => Ok(one),
            (_, 0) => Err(Error::Key(KeyError::TokenNotFound {
                token: selector.to_string(),
                detail: if seen.is_empty() {
                    "the module reports no token".to_string()
                } else {
                    format!("tokens present: {}", seen.join(", "))
                },
            })),
            _ => Err(Error::Key(KeyError::TokenNotFound {
                token: selector.to_string(),
                detail: format!("{count} tokens match; choose by serial"),
            })),
        }
    }

    /// The token `selector` names.
    pub fn token(&self, selector: &TokenSelector) -> Result<TokenInfo> {
        self.find_token(selector).map(|(_, info)| info)
    }

    /// The keys and certificates on the token `selector` names. Without a PIN only public
    /// objects are listed (on most tokens: certificates and public keys); with one, the
    /// session logs in and private keys are listed too.
    pub fn objects(&self, selector: &TokenSelector, pin: &PinSource) -> Result<Vec<TokenObject>> {
        let (slot, info) = self.find_token(selector)?;
        let session = TokenSession::open(self, slot, &info, pin)?;
        let label = info.label.clone();
        let err = |e| token_error(&label, "listing objects", e);
        let mut out = Vec::new();
        for (class, kind) in [
            (ObjectClass::PRIVATE_KEY, ObjectKind::PrivateKey),
            (ObjectClass::PUBLIC_KEY, ObjectKind::PublicKey),
            (ObjectClass::CERTIFICATE, ObjectKind::Certificate),
        ] {
            let handles = session
                .session()
                .find_objects(&[Attribute::Class(class)])
                .map_err(err)?;
            for handle in handles {
                out.push(describe_object(&session, handle, kind).map_err(err)?);
            }
        }
        Ok(out)
    }
}

/// The attributes of one object, read in one `C_GetAttributeValue`.
pub(crate) fn describe_object(
    session: &TokenSession,
    handle: ObjectHandle,
    kind: ObjectKind,
) -> std::result::Result<TokenObject, CkError> {
    let attrs = session.session().get_attributes(
        handle,
        &[
            AttributeType::Label,
            AttributeType::Id,
            AttributeType::KeyType,
            AttributeType::AlwaysAuthenticate,
            AttributeType::ModulusBits,
            AttributeType::Modulus,
            AttributeType::EcParams,
            AttributeType::Value,
        ],
    )?;
    let mut object = TokenObject {
        kind,
        label: String::new(),
        id: Vec::new(),
        key_kind: None,
        always_authenticate: false,
        certificate: None,
    };
    let mut key_type = None;
    let mut bits = None;
    let mut ec_params = None;
    for a in attrs {
        match a {
            Attribute::Label(l) => object.label = String::from_utf8_lossy(&l).into_owned(),
            Attribute::Id(id) => object.id = id,
            Attribute::KeyType(t) => key_type = Some(t),
            Attribute::AlwaysAuthenticate(b) => object.always_authenticate = b,
            Attribute::ModulusBits(b) => bits = bits.or(usize::try_from(u64::from(b)).ok()),
            // Private keys show CKA_MODULUS but often not CKA_MODULUS_BITS.
            Attribute::Modulus(n) => bits = Some(bit_length(&n)),
            Attribute::EcParams(p) => ec_params = Some(p),
            Attribute::Value(v) if kind == ObjectKind::Certificate => {
                object.certificate = Certificate::from_der(&v).ok();
            }
            _ => {}
        }
    }
    object.key_kind = match key_type {
        Some(t) if t == KeyType::RSA => bits.map(|bits| KeyKind::Rsa { bits }),
        Some(t) if t == KeyType::EC => ec_params.as_deref().and_then(curve_of),
        _ => None,
    };
    Ok(object)
}

/// The number of significant bits of a big-endian unsigned integer.
fn bit_length(n: &[u8]) -> usize {
    let n: Vec<u8> = n.iter().copied().skip_while(|&b| b == 0).collect();
    match n.first() {
        Some(&top) => (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// The curve of a `CKA_EC_PARAMS` value (a DER named-curve OID).
pub(crate) fn curve_of(params: &[u8]) -> Option<KeyKind> {
    use der::Decode as _;
    let oid = const_oid::ObjectIdentifier::from_der(params).ok()?;
    if oid == const_oid::db::rfc5912::SECP_256_R_1 {
        Some(KeyKind::EcP256)
    } else if oid == const_oid::db::rfc5912::SECP_384_R_1 {
        Some(KeyKind::EcP384)
    } else {
        None
    }
}

fn describe_load(e: &CkError) -> String {
    match e {
        CkError::LibraryLoading(inner) => format!("cannot load it: {inner}"),
        CkError::MissingSymbol(name) => {
            format!("it exports no {name}, so it is not a PKCS#11 module")
        }
        other => super::fail::describe(other),
    }
}
