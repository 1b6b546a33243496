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

/// What `sign_*` functions accept as the signer.
pub(crate) enum AnySigner<'a> {
    Identity(&'a PyIdentity),
    External(&'a PyExternalSigner),
}

impl AnySigner<'_> {
    pub(crate) fn signer(&self) -> &dyn Signer {
        match self {
            AnySigner::Identity(i) => &i.inner,
            AnySigner::External(e) => &e.signer,
        }
    }

    pub(crate) fn certificate(&self) -> &Certificate {
        match self {
            AnySigner::Identity(i) => &i.inner.certificate,
            AnySigner::External(e) => &e.certificate,
        }
    }

    pub(crate) fn chain(&self) -> &[Certificate] {
        match self {
            AnySigner::Identity(i) => &i.inner.chain,
            AnySigner::External(e) => &e.chain,
        }
    }

    /// The error to raise: the callback's own exception when it raised one.
    pub(crate) fn error(&self, err: Error) -> PyErr {
        match self {
            AnySigner::External(e) => e
                .signer
                .take_raised()
                .unwrap_or_else(|| crate::errors::to_py(err)),
            AnySigner::Identity(_) => crate::errors::to_py(err),
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
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "the signer must be an ezla.Identity or an ezla.ExternalSigner, not {}",
        obj.get_type().name()?
    )))
}
