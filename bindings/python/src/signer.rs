//! Signing with a key held elsewhere (a smart card, an HSM, a cloud KMS): a Python callable.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::ThreadId;

use ezla_core::crypto::{PublicKey, SignatureAlgorithm, Signer};
use ezla_core::error::KeyError;
use ezla_core::pki::Certificate;
use ezla_core::{Error, Result as CoreResult};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use crate::pki::{PyCertificate, PyIdentity, certificates_from};

/// A signer whose private key lives outside ezla: `sign(algorithm, message)` is called with
/// the algorithm's name (`RSA-SHA256`, `ECDSA-SHA256`, ...) and the bytes to sign, hashes
/// and signs them, and returns the signature as XML-DSig writes it (RSA: the PKCS#1 v1.5
/// signature; ECDSA: fixed-width `r || s`). An exception it raises propagates unchanged.
///
/// Options:
///
/// - chain (list of Certificate or PEM/DER bytes, default None): the issuing chain, written into
///   KeyInfo when signing with include_chain=True.
#[pyclass(frozen, module = "ezla", name = "ExternalSigner")]
pub(crate) struct PyExternalSigner {
    pub(crate) signer: CallbackSigner,
    pub(crate) certificate: Certificate,
    pub(crate) chain: Vec<Certificate>,
}

#[derive(Debug)]
pub(crate) struct CallbackSigner {
    public_key: PublicKey,
    callback: Py<PyAny>,
    /// The exception the callback raised, per thread (one signer may serve several threads at
    /// once), to re-raise it from the signing call.
    raised: Mutex<HashMap<ThreadId, PyErr>>,
}

impl CallbackSigner {
    /// The exception the callback raised on this thread, if any (taken: a second call
    /// returns `None`).
    pub(crate) fn take_raised(&self) -> Option<PyErr> {
        let id = std::thread::current().id();
        self.raised.lock().ok().and_then(|mut r| r.remove(&id))
    }
}

impl Signer for CallbackSigner {
    fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> CoreResult<Vec<u8>> {
        Python::attach(|py| {
            let result = self
                .callback
                .call1(py, (algorithm.name(), PyBytes::new(py, message)))
                .and_then(|v| v.extract::<PyBackedBytes>(py).map_err(PyErr::from));
            match result {
                Ok(signature) => Ok(signature.to_vec()),
                Err(e) => {
                    let detail = format!("the sign callback raised {e}");
                    if let Ok(mut raised) = self.raised.lock() {
                        raised.insert(std::thread::current().id(), e);
                    }
                    Err(Error::Key(KeyError::SigningFailed { detail }))
                }
            }
        })
    }
}

#[pymethods]
impl PyExternalSigner {
    #[new]
    #[pyo3(signature = (certificate, sign, *, chain = None))]
    fn new(
        certificate: &PyCertificate,
        sign: Bound<'_, PyAny>,
        chain: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        if !sign.is_callable() {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "sign must be a callable (algorithm: str, message: bytes) -> bytes",
            ));
        }
        let chain = match chain {
            Some(c) if !c.is_none() => certificates_from(c, "chain")?,
            _ => Vec::new(),
        };
        Ok(PyExternalSigner {
            signer: CallbackSigner {
                public_key: certificate.inner.public_key().clone(),
                callback: sign.unbind(),
                raised: Mutex::new(HashMap::new()),
            },
            certificate: certificate.inner.clone(),
            chain,
        })
    }

    /// The signer's certificate.
    #[getter]
    fn certificate(&self) -> PyCertificate {
        PyCertificate::new(self.certificate.clone())
    }

    /// The issuing chain given.
    #[getter]
    fn chain(&self) -> Vec<PyCertificate> {
        self.chain.iter().cloned().map(PyCertificate::new).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "<ExternalSigner subject={:?}>",
            self.certificate.subject().to_rfc4514()
        )
    }
}

/// A signer whose private key is on a PKCS#11 token (a smart card, an HSM, SoftHSM), through
/// the PKCS#11 module at `module` (e.g. "/usr/lib/softhsm/libsofthsm2.so"). RSA keys sign
/// through CKM_RSA_PKCS over a DigestInfo built by ezla, EC keys through CKM_ECDSA; a key
/// marked always-authenticate logs in again before each signature. Each thread that signs at
/// once gets its own PKCS#11 session; all are closed when the signer is collected. Errors are
/// KeyStoreError subclasses with the codes 220-228 (wrong PIN 224, token not found 221, ...).
///
/// Options:
///
/// - token (str, required): the token's label.
/// - key (str, required): the key's label, or "id:" followed by its CKA_ID in hex.
/// - pin (str, default None): the user PIN.
/// - pin_env (str, default None): the environment variable holding the PIN, read when a PIN
///   is needed (instead of pin; with neither, no login).
/// - certificate (Certificate, default None): the signer's certificate when it is not on the
///   token (by default the one with the key's CKA_ID).
#[pyclass(frozen, module = "ezla", name = "Pkcs11Signer")]
pub(crate) struct PyPkcs11Signer {
    pub(crate) inner: std::sync::Arc<ezla_core::pkcs11::Pkcs11Signer>,
}

#[pymethods]
impl PyPkcs11Signer {
    #[new]
    #[pyo3(signature = (module, *, token, key, pin = None, pin_env = None, certificate = None))]
    fn new(
        py: Python<'_>,
        module: std::path::PathBuf,
        token: String,
        key: String,
        pin: Option<String>,
        pin_env: Option<String>,
        certificate: Option<&PyCertificate>,
    ) -> PyResult<Self> {
        use ezla_core::pkcs11::{
            KeySelector, Module, PinSource, Pkcs11Signer, SignerOptions, TokenSelector,
        };
        let pin = match (pin, pin_env) {
            (Some(_), Some(_)) => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "give pin or pin_env, not both",
                ));
            }
            (Some(p), None) => PinSource::value(p),
            (None, Some(name)) => PinSource::env(name),
            (None, None) => PinSource::None,
        };
        let key = KeySelector::parse(&key).map_err(crate::errors::to_py)?;
        let mut options = SignerOptions::new(TokenSelector::Label(token), key, pin);
        if let Some(c) = certificate {
            options = options.certificate(c.inner.clone());
        }
        let signer = py
            .detach(|| Module::open(&module).and_then(|m| Pkcs11Signer::open(&m, options)))
            .map_err(crate::errors::to_py)?;
        Ok(PyPkcs11Signer {
            inner: std::sync::Arc::new(signer),
        })
    }

    /// The signer's certificate (from the token, or the one given).
    #[getter]
    fn certificate(&self) -> PyCertificate {
        PyCertificate::new(self.inner.certificate().clone())
    }

    /// The key's CKA_LABEL.
    #[getter]
    fn key_label(&self) -> String {
        self.inner.key_label().to_string()
    }

    /// The token's label.
    #[getter]
    fn token_label(&self) -> String {
        self.inner.token().label.clone()
    }

    /// Whether the key is marked CKA_ALWAYS_AUTHENTICATE (a PIN before each signature).
    #[getter]
    fn always_authenticate(&self) -> bool {
        self.inner.always_authenticate()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Pkcs11Signer token={:?} key={:?} subject={:?}>",
            self.inner.token().label,
            self.inner.key_label(),
            self.inner.certificate().subject().to_rfc4514()
        )
    }
}

/// What `sign_*` functions accept as the signer.
pub(crate) enum AnySigner<'a> {
    Identity(&'a PyIdentity),
    External(&'a PyExternalSigner),
    Token(&'a PyPkcs11Signer),
}

impl AnySigner<'_> {
    pub(crate) fn signer(&self) -> &dyn Signer {
        match self {
            AnySigner::Identity(i) => &i.inner,
            AnySigner::External(e) => &e.signer,
            AnySigner::Token(t) => t.inner.as_ref(),
        }
    }

    pub(crate) fn certificate(&self) -> &Certificate {
        match self {
            AnySigner::Identity(i) => &i.inner.certificate,
            AnySigner::External(e) => &e.certificate,
            AnySigner::Token(t) => t.inner.certificate(),
        }
    }

    pub(crate) fn chain(&self) -> &[Certificate] {
        match self {
            AnySigner::Identity(i) => &i.inner.chain,
            AnySigner::External(e) => &e.chain,
            AnySigner::Token(_) => &[],
        }
    }

    /// The error to raise: the callback's own exception when it raised one.
    pub(crate) fn error(&self, err: Error) -> PyErr {
        match self {
            AnySigner::External(e) => e
                .signer
                .take_raised()
                .unwrap_or_else(|| crate::errors::to_py(err)),
            AnySigner::Identity(_) | AnySigner::Token(_) => crate::errors::to_py(err),
        }
    }
}

/// Borrows the signer argument: an `Identity` or an `ExternalSigner`.
pub(crate) fn with_signer<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(AnySigner<'_>) -> PyResult<R>,
) -> PyResult<R> {
    if let Ok(i) = obj.cast::<PyIdentity>() {
        return f(AnySigner::Identity(i.get()));
    }
    if let Ok(e) = obj.cast::<PyExternalSigner>() {
        return f(AnySigner::External(e.get()));
    }
    if let Ok(t) = obj.cast::<PyPkcs11Signer>() {
        return f(AnySigner::Token(t.get()));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "the signer must be an ezla.Identity, an ezla.ExternalSigner or an ezla.Pkcs11Signer, not {}",
        obj.get_type().name()?
    )))
}
