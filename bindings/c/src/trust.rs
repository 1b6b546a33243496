//! Trust anchors (the trusted root certificates) and chain verification against them.

use ezla_core::pki::TrustAnchors;

use crate::boundary::{self, Failure, arg_bytes, arg_ref, out_ptr, write, write_box};
use crate::error::{ezla_error, ezla_result};
use crate::pki::{cert_list, ezla_certificate};

/// A set of trusted root certificates for verification.
///
/// Thread safety: `ezla_trust_anchors_add` mutates it and must not run concurrently with
/// any other use; otherwise it may be read from several threads at once. A verification
/// takes its own snapshot, so the set may be changed or freed afterwards.
pub struct ezla_trust_anchors {
    pub(crate) inner: TrustAnchors,
}

/// An empty set of trust anchors, in `*anchors_out`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_new(
    anchors_out: *mut *mut ezla_trust_anchors,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let out = out_ptr(anchors_out, "anchors_out")?;
        write_box(
            out,
            ezla_trust_anchors {
                inner: TrustAnchors::new(Vec::new()),
            },
        );
        Ok(())
    })
}

/// A set of trust anchors from every certificate of a PEM bundle (such as a CA bundle
/// file), in `*anchors_out`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_PEM_MALFORMED` (not PEM, or no
/// `CERTIFICATE` block), `EZLA_RESULT_DER_MALFORMED` (a certificate that does not parse).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_from_pem(
    pem: *const u8,
    len: usize,
    anchors_out: *mut *mut ezla_trust_anchors,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let pem = arg_bytes(pem, len, "pem")?;
        let out = out_ptr(anchors_out, "anchors_out")?;
        let inner = TrustAnchors::from_pem_bundle(pem)?;
        write_box(out, ezla_trust_anchors { inner });
        Ok(())
    })
}

/// Adds a trusted certificate (a copy of the reference is kept: `cert` may be freed).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_add(
    anchors: *mut ezla_trust_anchors,
    cert: *const ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        // SAFETY: NULL is checked; otherwise the caller passes a live, unshared set.
        let anchors = unsafe { anchors.as_mut() }.ok_or(Failure::Null("anchors"))?;
        let cert = arg_ref(cert, "cert")?;
        anchors.inner.add(cert.inner.clone());
        Ok(())
    })
}

/// The number of trusted certificates; 0 when `anchors` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_len(anchors: *const ezla_trust_anchors) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(anchors).map_or(0, |a| a.inner.len())
    })
}

/// Frees a set of trust anchors. `ezla_trust_anchors_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_trust_anchors_free(anchors: *mut ezla_trust_anchors) {
    boundary::getter((), || boundary::free_box(anchors))
}

/// Checks that `cert` chains to one of `anchors` through the optional `intermediates`
/// (`intermediates_len` pointers, NULL when 0) at `at` (Unix seconds or `EZLA_NOW`): every
/// certificate on the path within its validity, every signature valid, every issuer
/// allowed to issue. Writes the path length (the certificate, its issuers, the anchor) to
/// `*path_len_out` when that is not NULL.
///
/// Errors: `EZLA_RESULT_CERTIFICATE_UNTRUSTED` (no path to an anchor),
/// `EZLA_RESULT_CERTIFICATE_CHAIN_INVALID`, `EZLA_RESULT_CERTIFICATE_EXPIRED`,
/// `EZLA_RESULT_CERTIFICATE_NOT_YET_VALID`, `EZLA_RESULT_UNSUPPORTED`,
/// `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_verify_chain(
    cert: *const ezla_certificate,
    intermediates: *const *const ezla_certificate,
    intermediates_len: usize,
    anchors: *const ezla_trust_anchors,
    at: i64,
    path_len_out: *mut usize,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let intermediates = cert_list(intermediates, intermediates_len)?;
        let anchors = arg_ref(anchors, "anchors")?;
        let at = boundary::arg_time(at, "at")?;
        let path = anchors.inner.verify(&cert.inner, &intermediates, at)?;
        if !path_len_out.is_null() {
            write(path_len_out, path.len());
        }
        Ok(())
    })
}
