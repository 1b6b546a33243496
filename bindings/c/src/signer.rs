//! Signers: a software private key, a key on a PKCS#11 token, or a caller's signing callback (a smart card, an HSM,
//! a remote signing service), for XAdES signatures and certificate requests.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use ezla_core::Error;
use ezla_core::crypto::{PublicKey, SignatureAlgorithm, Signer};
use ezla_core::error::KeyError;

use crate::boundary::{self, Failure, arg_opt_str, arg_ref, arg_str, out_ptr, write_box};
use crate::error::{ezla_error, ezla_result};
use crate::pki::{algorithm_to_c, ezla_certificate, ezla_private_key};

/// A signing callback: signs `len` bytes at `data` with `algorithm` (an
/// `ezla_signature_algorithm`), writing at most `sig_cap` bytes to `sig_out` and their
/// number to `*sig_len`; returns `EZLA_RESULT_OK`, or another `ezla_result` (such as
/// `EZLA_RESULT_SIGNING_FAILED`) to fail the operation.
///
/// ezla hashes nothing for the callback: `data` is the whole message (the canonical
/// `SignedInfo`), and the callback hashes it with the algorithm's digest. The signature is
/// the RSA signature value, or ECDSA as fixed-width `r || s`; `sig_cap` is exactly that
/// width for the key. `data`, `sig_out` and `sig_len` are valid only during the call.
/// `userdata` is the pointer given to `ezla_signer_from_callback`.
pub type ezla_sign_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        algorithm: u32,
        data: *const u8,
        len: usize,
        sig_out: *mut u8,
        sig_cap: usize,
        sig_len: *mut usize,
    ) -> u32,
>;

struct CallbackSigner {
    callback:
        unsafe extern "C" fn(*mut c_void, u32, *const u8, usize, *mut u8, usize, *mut usize) -> u32,
    userdata: *mut c_void,
    public: PublicKey,
}

// SAFETY: the signer holds a C function pointer and the caller's userdata. ezla calls the
// callback only on the thread that runs the signing call; `ezla_signer_from_callback`
// documents that sharing such a signer between threads is safe only if the callback and its
// userdata are.
unsafe impl Send for CallbackSigner {}
// SAFETY: as above; the signer itself has no interior mutability.
unsafe impl Sync for CallbackSigner {}

impl std::fmt::Debug for CallbackSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackSigner")
            .field("key", &self.public.kind())
            .finish_non_exhaustive()
    }
}

impl Signer for CallbackSigner {
    fn public_key(&self) -> &PublicKey {
        &self.public
    }

    fn sign(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> ezla_core::Result<Vec<u8>> {
        let Some(alg) = algorithm_to_c(algorithm) else {
            return Err(Error::Key(KeyError::Unsupported {
                detail: format!("{algorithm} cannot be handed to a C signing callback"),
            }));
        };
        let cap = self.public.kind().signature_len();
        let mut sig = vec![0u8; cap];
        let mut sig_len = usize::MAX;
        // SAFETY: the callback was supplied non-NULL by the caller with the documented
        // signature; `message` is readable for its length, `sig` writable for `cap` bytes and
        // `sig_len` is a live local, all for the duration of the call.
        let rc = unsafe {
            (self.callback)(
                self.userdata,
                alg as u32,
                message.as_ptr(),
                message.len(),
                sig.as_mut_ptr(),
                cap,
                &mut sig_len,
            )
        };
        if rc != 0 {
            let name = crate::error::result_name(rc);
            return Err(Error::Key(KeyError::SigningFailed {
                detail: format!("the signing callback returned {rc} ({name})"),
            }));
        }
        if sig_len > cap {
            return Err(Error::Key(KeyError::SigningFailed {
                detail: format!(
                    "the signing callback reported {sig_len} bytes, more than the {cap} allowed"
                ),
            }));
        }
        sig.truncate(sig_len);
        Ok(sig)
    }
}

/// Something that signs: a software private key, a key on a PKCS#11 token, or a caller's
/// callback (a smart card, an HSM, a remote signing service).
///
/// Thread safety: a key-backed or token-backed signer may be used from several threads at
/// once (a token signer gives each thread its own PKCS#11 session). A
/// callback-backed signer calls its callback on the thread that signs; share it between
/// threads only if the callback and its userdata are thread-safe.
pub struct ezla_signer {
    inner: Arc<dyn Signer>,
}

impl ezla_signer {
    pub(crate) fn as_signer(&self) -> &dyn Signer {
        self.inner.as_ref()
    }

    /// The signer, shared (for a ZUS client that keeps it to renew its session).
    pub(crate) fn shared(&self) -> Arc<dyn Signer> {
        Arc::clone(&self.inner)
    }
}

/// A signer using a software key (the signer keeps its own reference: `key` may be freed
/// afterwards).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_from_private_key(
    key: *const ezla_private_key,
    signer_out: *mut *mut ezla_signer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = arg_ref(key, "key")?;
        let out = out_ptr(signer_out, "signer_out")?;
        write_box(
            out,
            ezla_signer {
                inner: Arc::new(key.inner.clone()),
            },
        );
        Ok(())
    })
}

/// A signer that calls `callback(userdata, ...)` for each signature, for the key whose
/// public half is in `cert` (the signer's certificate; the key never enters ezla).
/// `userdata` is passed through untouched and must stay valid while the signer is used.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER` (also for a NULL `callback`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_from_callback(
    cert: *const ezla_certificate,
    callback: ezla_sign_callback,
    userdata: *mut c_void,
    signer_out: *mut *mut ezla_signer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let callback = callback.ok_or(Failure::Null("callback"))?;
        let out = out_ptr(signer_out, "signer_out")?;
        write_box(
            out,
            ezla_signer {
                inner: Arc::new(CallbackSigner {
                    callback,
                    userdata,
                    public: cert.inner.public_key().clone(),
                }),
            },
        );
        Ok(())
    })
}

/// A signer using the private key `key` on the PKCS#11 token labelled `token_label`, through
/// the PKCS#11 module at `module_path` (e.g. `/usr/lib/softhsm/libsofthsm2.so` or a smart
/// card's library), logging in with `pin` (NULL: no login, for a PIN pad or a token without
/// one). `key` is the key's label (`CKA_LABEL`), or `id:` followed by its `CKA_ID` in hex.
///
/// The certificate is the one on the token with the key's `CKA_ID` (else its label); when
/// `cert_out` is not NULL it receives a copy, to pass to `ezla_xades_sign` (free it with
/// `ezla_certificate_free`). RSA keys sign through `CKM_RSA_PKCS`, EC keys through
/// `CKM_ECDSA`; a key marked always-authenticate logs in with `pin` again before each
/// signature. The module is loaded once per process and finalized when the last signer on it
/// is freed; `ezla_signer_free` closes the signer's sessions.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (a malformed `id:`), `EZLA_RESULT_PKCS11_MODULE_INVALID`,
/// `EZLA_RESULT_TOKEN_NOT_FOUND`, `EZLA_RESULT_PIN_INCORRECT`, `EZLA_RESULT_PIN_LOCKED`,
/// `EZLA_RESULT_TOKEN_KEY_NOT_FOUND`, `EZLA_RESULT_TOKEN_CERTIFICATE_NOT_FOUND`,
/// `EZLA_RESULT_UNSUPPORTED_KEY`, `EZLA_RESULT_TOKEN_REMOVED`, `EZLA_RESULT_TOKEN_FAILED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_from_pkcs11(
    module_path: *const c_char,
    token_label: *const c_char,
    key: *const c_char,
    pin: *const c_char,
    signer_out: *mut *mut ezla_signer,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    use ezla_core::pkcs11::{
        KeySelector, Module, PinSource, Pkcs11Signer, SignerOptions, TokenSelector,
    };
    boundary::call(err_out, || {
        let module_path = arg_str(module_path, "module_path")?;
        let token_label = arg_str(token_label, "token_label")?;
        let key = arg_str(key, "key")?;
        let pin = arg_opt_str(pin, "pin")?;
        let out = out_ptr(signer_out, "signer_out")?;
        let pin = match pin {
            Some(p) => PinSource::value(p),
            None => PinSource::None,
        };
        let module = Module::open(module_path)?;
        let signer = Pkcs11Signer::open(
            &module,
            SignerOptions::new(
                TokenSelector::Label(token_label.to_string()),
                KeySelector::parse(key)?,
                pin,
            ),
        )?;
        if !cert_out.is_null() {
            write_box(
                cert_out,
                ezla_certificate::new(signer.certificate().clone()),
            );
        }
        write_box(
            out,
            ezla_signer {
                inner: Arc::new(signer),
            },
        );
        Ok(())
    })
}

/// Frees a signer. `ezla_signer_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_signer_free(signer: *mut ezla_signer) {
    boundary::getter((), || boundary::free_box(signer))
}
