//! Certificates, private keys, identities (`.pfx`: reading, bundling, writing) and expiry.

use std::ffi::{CString, c_char};

use ezla_core::crypto::{DigestAlgorithm, KeySpec, PrivateKey, SignatureAlgorithm, Signer};
use ezla_core::pki::{
    Certificate, ExpiryPolicy, ExpiryStatus, Identity, PbeLimits, Pkcs12, Pkcs12Options, keyfile,
};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, opt_c_string, opt_ptr,
    out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::instant::unix;

// ---------------------------------------------------------------------------------------------
// Certificates

/// An X.509 certificate (read-only view).
///
/// Thread safety: immutable; may be read from several threads at once and freed by one
/// thread once nobody reads it. Strings returned by its getters live until
/// `ezla_certificate_free`.
pub struct ezla_certificate {
    pub(crate) inner: Certificate,
    subject: CString,
    issuer: CString,
    serial_hex: CString,
    common_name: Option<CString>,
    pesel: Option<CString>,
    sha256: CString,
    key_algorithm: CString,
}

impl ezla_certificate {
    pub(crate) fn new(inner: Certificate) -> Self {
        let subject = c_string(&inner.subject().to_rfc4514());
        let issuer = c_string(&inner.issuer().to_rfc4514());
        let serial_hex = c_string(&inner.serial_hex());
        let common_name = opt_c_string(inner.subject().common_name());
        let pesel = inner.pesel().map(|p| c_string(&p.to_string()));
        let sha256 = c_string(&inner.fingerprint_hex(DigestAlgorithm::Sha256));
        let key_algorithm = c_string(inner.public_key().kind().algorithm_name());
        ezla_certificate {
            inner,
            subject,
            issuer,
            serial_hex,
            common_name,
            pesel,
            sha256,
            key_algorithm,
        }
    }
}

/// Reads a certificate from DER or PEM bytes (the first certificate of a PEM bundle).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER` (`data` NULL with `len` > 0, or `cert_out` NULL),
/// `EZLA_RESULT_DER_MALFORMED`, `EZLA_RESULT_PEM_MALFORMED`, `EZLA_RESULT_NO_CERTIFICATE`.
/// On success `*cert_out` receives a new certificate to free with `ezla_certificate_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_from_bytes(
    data: *const u8,
    len: usize,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let data = arg_bytes(data, len, "data")?;
        let out = out_ptr(cert_out, "cert_out")?;
        let cert = Certificate::from_der_or_pem(data)?;
        write_box(out, ezla_certificate::new(cert));
        Ok(())
    })
}

/// Frees a certificate. `ezla_certificate_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_free(cert: *mut ezla_certificate) {
    boundary::getter((), || boundary::free_box(cert))
}

/// The subject as RFC 4514 text (`CN=Jan Kowalski,...`); NULL when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_subject(cert: *const ezla_certificate) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |x| x.subject.as_ptr())
    })
}
/// The issuer as RFC 4514 text; NULL when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_issuer(cert: *const ezla_certificate) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |x| x.issuer.as_ptr())
    })
}
/// The serial number as upper-case hex (as `openssl x509 -serial` prints it); NULL when
/// `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_serial_hex(cert: *const ezla_certificate) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |x| x.serial_hex.as_ptr())
    })
}
/// The SHA-256 fingerprint of the DER certificate: 64 lower-case hex digits without
/// separators (as `ezla_report_signer_sha256_fingerprint`); NULL when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_sha256_fingerprint(
    cert: *const ezla_certificate,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |x| x.sha256.as_ptr())
    })
}
/// The key algorithm, `"RSA"` or `"EC"`; NULL when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_key_algorithm(cert: *const ezla_certificate) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |x| x.key_algorithm.as_ptr())
    })
}

/// The subject's common name; NULL when absent or when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_common_name(cert: *const ezla_certificate) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |c| opt_ptr(&c.common_name))
    })
}

/// The PESEL in the subject's `serialNumber` (`PNOPL-…`), 11 digits; NULL when the
/// certificate carries none or when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_pesel(cert: *const ezla_certificate) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(cert).map_or(std::ptr::null(), |c| opt_ptr(&c.pesel))
    })
}

/// The key size in bits (RSA modulus, EC field); 0 when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_key_bits(cert: *const ezla_certificate) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(cert).map_or(0, |c| c.inner.public_key().kind().bits())
    })
}

/// Start of validity, Unix seconds (UTC); 0 when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_not_before(cert: *const ezla_certificate) -> i64 {
    boundary::getter(0, || {
        boundary::opt_ref(cert).map_or(0, |c| unix(c.inner.not_before()))
    })
}

/// End of validity, Unix seconds (UTC; the certificate is valid through this second); 0
/// when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_not_after(cert: *const ezla_certificate) -> i64 {
    boundary::getter(0, || {
        boundary::opt_ref(cert).map_or(0, |c| unix(c.inner.not_after()))
    })
}

/// Key usage bit `digitalSignature` (see `ezla_certificate_key_usage`).
pub const EZLA_KEY_USAGE_DIGITAL_SIGNATURE: u32 = 1 << 0;
/// Key usage bit `nonRepudiation` (`contentCommitment`): ZUS doctor certificates carry it.
pub const EZLA_KEY_USAGE_NON_REPUDIATION: u32 = 1 << 1;
/// Key usage bit `keyEncipherment`.
pub const EZLA_KEY_USAGE_KEY_ENCIPHERMENT: u32 = 1 << 2;
/// Key usage bit `dataEncipherment`.
pub const EZLA_KEY_USAGE_DATA_ENCIPHERMENT: u32 = 1 << 3;
/// Key usage bit `keyAgreement`.
pub const EZLA_KEY_USAGE_KEY_AGREEMENT: u32 = 1 << 4;
/// Key usage bit `keyCertSign`.
pub const EZLA_KEY_USAGE_KEY_CERT_SIGN: u32 = 1 << 5;
/// Key usage bit `cRLSign`.
pub const EZLA_KEY_USAGE_CRL_SIGN: u32 = 1 << 6;
/// Key usage bit `encipherOnly`.
pub const EZLA_KEY_USAGE_ENCIPHER_ONLY: u32 = 1 << 7;
/// Key usage bit `decipherOnly`.
pub const EZLA_KEY_USAGE_DECIPHER_ONLY: u32 = 1 << 8;

/// The key usage extension as `EZLA_KEY_USAGE_*` bits (RFC 5280 §4.2.1.3); 0 when the
/// certificate has no key usage extension or when `cert` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_key_usage(cert: *const ezla_certificate) -> u32 {
    boundary::getter(0, || {
        boundary::opt_ref(cert)
            .and_then(|c| c.inner.key_usage())
            .map_or(0, |k| u32::from(k.bits()))
    })
}

/// Whether the certificate is a CA certificate (basic constraints `cA`); false when `cert`
/// is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_is_ca(cert: *const ezla_certificate) -> bool {
    boundary::getter(false, || {
        boundary::opt_ref(cert).is_some_and(|c| c.inner.is_ca())
    })
}

/// The DER encoding, copied into `*der_out` (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_to_der(
    cert: *const ezla_certificate,
    der_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let out = out_ptr(der_out, "der_out")?;
        write(out, ezla_buffer::from_vec(cert.inner.to_der().to_vec()));
        Ok(())
    })
}

/// The PEM encoding (`-----BEGIN CERTIFICATE-----`), copied into `*pem_out` (free with
/// `ezla_buffer_free`; not NUL-terminated).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_to_pem(
    cert: *const ezla_certificate,
    pem_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let out = out_ptr(pem_out, "pem_out")?;
        write(out, ezla_buffer::from_vec(cert.inner.to_pem().into_bytes()));
        Ok(())
    })
}

/// Checks that the certificate is within its validity at `at` (Unix seconds or `EZLA_NOW`).
///
/// Errors: `EZLA_RESULT_CERTIFICATE_EXPIRED`, `EZLA_RESULT_CERTIFICATE_NOT_YET_VALID`,
/// `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (an instant out of range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_check_valid_at(
    cert: *const ezla_certificate,
    at: i64,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let at = boundary::arg_time(at, "at")?;
        cert.inner.check_valid_at(at)?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Expiry

/// Where a certificate stands against an expiry policy.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_expiry_state {
    /// Before `notBefore`.
    NotYetValid = 0,
    /// Valid, before the renewal window.
    Valid = 1,
    /// In the renewal window: a new certificate may be requested.
    RenewalWindow = 2,
    /// In the warning period: renew now.
    Expiring = 3,
    /// After `notAfter`.
    Expired = 4,
}

/// The thresholds of an expiry policy, in days before `notAfter`. ZUS: 28 and 14.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_expiry_policy {
    /// From this many days before expiry a new certificate may be requested (ZUS: 28).
    pub renewal_window_days: u32,
    /// From this many days before expiry the holder is warned (ZUS: 14).
    pub warning_days: u32,
}

/// The outcome of `ezla_certificate_expiry`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_expiry {
    /// The state (an `ezla_expiry_state`).
    pub state: ezla_expiry_state,
    /// Whole days until `notAfter`, rounded down: 0 during the last day, negative once
    /// expired.
    pub days_left: i64,
    /// When the renewal window opens (or opened), Unix seconds.
    pub renewal_opens: i64,
    /// End of validity, Unix seconds.
    pub not_after: i64,
    /// Whether the certificate can be used at that instant (valid, renewal window, expiring).
    pub usable: bool,
}

/// The ZUS expiry policy: renewal window 28 days, warning 14 days.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_expiry_policy_zus() -> ezla_expiry_policy {
    ezla_expiry_policy {
        renewal_window_days: ExpiryPolicy::ZUS.renewal_window_days,
        warning_days: ExpiryPolicy::ZUS.warning_days,
    }
}

/// Where `cert` stands at `at` (Unix seconds, or `EZLA_NOW`) under `policy` (NULL: the ZUS
/// policy). Writes `*expiry_out` on success.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (an instant out of
/// range, or a warning period longer than the renewal window).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_certificate_expiry(
    cert: *const ezla_certificate,
    at: i64,
    policy: *const ezla_expiry_policy,
    expiry_out: *mut ezla_expiry,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let cert = arg_ref(cert, "cert")?;
        let at = boundary::arg_time(at, "at")?;
        let policy = arg_policy(policy)?;
        let out = out_ptr(expiry_out, "expiry_out")?;
        write(out, expiry_of(&cert.inner.status_at(at, &policy))?);
        Ok(())
    })
}

/// The policy a `const ezla_expiry_policy *` argument names: NULL for the ZUS policy; a
/// warning period longer than the renewal window is refused.
pub(crate) fn arg_policy(policy: *const ezla_expiry_policy) -> FfiResult<ExpiryPolicy> {
    match boundary::opt_ref(policy) {
        Some(p) if p.warning_days > p.renewal_window_days => Err(Failure::Invalid(format!(
            "warning_days ({}) is longer than renewal_window_days ({})",
            p.warning_days, p.renewal_window_days
        ))),
        Some(p) => Ok(ExpiryPolicy {
            renewal_window_days: p.renewal_window_days,
            warning_days: p.warning_days,
        }),
        None => Ok(ExpiryPolicy::ZUS),
    }
}

/// The C form of an expiry status.
pub(crate) fn expiry_of(status: &ExpiryStatus) -> FfiResult<ezla_expiry> {
    let state = match status {
        ExpiryStatus::NotYetValid { .. } => ezla_expiry_state::NotYetValid,
        ExpiryStatus::Valid { .. } => ezla_expiry_state::Valid,
        ExpiryStatus::RenewalWindow { .. } => ezla_expiry_state::RenewalWindow,
        ExpiryStatus::Expiring { .. } => ezla_expiry_state::Expiring,
        ExpiryStatus::Expired { .. } => ezla_expiry_state::Expired,
        _ => {
            return Err(Failure::Core(ezla_core::Error::internal(
                "unknown expiry state",
            )));
        }
    };
    Ok(ezla_expiry {
        state,
        days_left: status.days_left(),
        renewal_opens: unix(status.renewal_opens()),
        not_after: unix(status.not_after()),
        usable: status.is_usable(),
    })
}

/// A static, NUL-terminated name of an expiry state: `"not-yet-valid"`, `"valid"`,
/// `"renewal-window"`, `"expiring"`, `"expired"`; `"unknown"` for other numbers. Never
/// NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_expiry_state_name(state: u32) -> *const c_char {
    match state {
        0 => c"not-yet-valid".as_ptr(),
        1 => c"valid".as_ptr(),
        2 => c"renewal-window".as_ptr(),
        3 => c"expiring".as_ptr(),
        4 => c"expired".as_ptr(),
        _ => c"unknown".as_ptr(),
    }
}

// ---------------------------------------------------------------------------------------------
// Private keys

/// The kinds of key `ezla_private_key_generate` makes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_key_type {
    /// RSA, 2048 bits (ZUS doctor certificates).
    Rsa2048 = 0,
    /// RSA, 3072 bits.
    Rsa3072 = 1,
    /// RSA, 4096 bits.
    Rsa4096 = 2,
    /// ECDSA on NIST P-256.
    P256 = 3,
}

pub(crate) fn key_spec(key_type: u32) -> FfiResult<KeySpec> {
    Ok(match key_type {
        0 => KeySpec::Rsa2048,
        1 => KeySpec::Rsa3072,
        2 => KeySpec::Rsa4096,
        3 => KeySpec::EcP256,
        n => return Err(Failure::Invalid(format!("{n} is not an ezla_key_type"))),
    })
}

/// Signature algorithms, as a software key or a caller's signing callback produces them.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ezla_signature_algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-1 (the `zus-legacy` profile only).
    RsaSha1 = 1,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RsaSha256 = 2,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RsaSha384 = 3,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RsaSha512 = 4,
    /// ECDSA with SHA-256; the signature is fixed-width `r || s`.
    EcdsaSha256 = 5,
    /// ECDSA with SHA-384; the signature is fixed-width `r || s`.
    EcdsaSha384 = 6,
}

pub(crate) fn algorithm_from_c(n: u32) -> FfiResult<SignatureAlgorithm> {
    use DigestAlgorithm as D;
    use SignatureAlgorithm as S;
    Ok(match n {
        1 => S::RsaPkcs1v15(D::Sha1),
        2 => S::RsaPkcs1v15(D::Sha256),
        3 => S::RsaPkcs1v15(D::Sha384),
        4 => S::RsaPkcs1v15(D::Sha512),
        5 => S::Ecdsa(D::Sha256),
        6 => S::Ecdsa(D::Sha384),
        n => {
            return Err(Failure::Invalid(format!(
                "{n} is not an ezla_signature_algorithm"
            )));
        }
    })
}

pub(crate) fn algorithm_to_c(a: SignatureAlgorithm) -> Option<ezla_signature_algorithm> {
    use DigestAlgorithm as D;
    use SignatureAlgorithm as S;
    use ezla_signature_algorithm as C;
    Some(match a {
        S::RsaPkcs1v15(D::Sha1) => C::RsaSha1,
        S::RsaPkcs1v15(D::Sha256) => C::RsaSha256,
        S::RsaPkcs1v15(D::Sha384) => C::RsaSha384,
        S::RsaPkcs1v15(D::Sha512) => C::RsaSha512,
        S::Ecdsa(D::Sha256) => C::EcdsaSha256,
        S::Ecdsa(D::Sha384) => C::EcdsaSha384,
        _ => return None,
    })
}

/// A software private key (RSA, EC P-256 or P-384). The key material is zeroized when the
/// last reference is freed.
///
/// Thread safety: immutable; may be used (to sign) from several threads at once.
pub struct ezla_private_key {
    pub(crate) inner: PrivateKey,
}

/// Generates a new private key of `key_type` (an `ezla_key_type`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (unknown type),
/// `EZLA_RESULT_INTERNAL` (the system RNG failed).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_private_key_generate(
    key_type: u32,
    key_out: *mut *mut ezla_private_key,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let spec = key_spec(key_type)?;
        let out = out_ptr(key_out, "key_out")?;
        let key = PrivateKey::generate(spec)?;
        write_box(out, ezla_private_key { inner: key });
        Ok(())
    })
}

/// Reads a private key from PEM or DER: encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, needs
/// `password`), PKCS#8, PKCS#1 or SEC1. `password` is NUL-terminated UTF-8, or NULL for
/// none; ezla does not keep it.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`, `EZLA_RESULT_BAD_PASSWORD`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (an encrypted key without a password),
/// `EZLA_RESULT_PEM_MALFORMED`, `EZLA_RESULT_DER_MALFORMED`, `EZLA_RESULT_UNSUPPORTED`,
/// `EZLA_RESULT_UNSUPPORTED_KEY`, `EZLA_RESULT_ITERATION_LIMIT_EXCEEDED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_private_key_from_bytes(
    data: *const u8,
    len: usize,
    password: *const c_char,
    key_out: *mut *mut ezla_private_key,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let data = arg_bytes(data, len, "data")?;
        let password = arg_opt_str(password, "password")?;
        let out = out_ptr(key_out, "key_out")?;
        let key = keyfile::read_private_key(data, password, &PbeLimits::default())?;
        write_box(out, ezla_private_key { inner: key });
        Ok(())
    })
}

/// Writes the key as an encrypted PKCS#8 PEM block (PBES2: PBKDF2-HMAC-SHA-256 with
/// `iterations`, at least 1000, or 0 for the default 600 000; AES-256-CBC) into `*pem_out`
/// (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (fewer than 1000 iterations).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_private_key_to_encrypted_pem(
    key: *const ezla_private_key,
    password: *const c_char,
    iterations: u32,
    pem_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = arg_ref(key, "key")?;
        let password = arg_str(password, "password")?;
        let out = out_ptr(pem_out, "pem_out")?;
        let iterations = (iterations != 0).then_some(iterations);
        let pem = keyfile::encrypt_private_key_pem(&key.inner, password, iterations)?;
        write(out, ezla_buffer::from_vec(pem.into_bytes()));
        Ok(())
    })
}

/// Signs `data` with the key and `algorithm` (an `ezla_signature_algorithm`), writing the
/// signature into `*sig_out` (free with `ezla_buffer_free`): the RSA signature value, or
/// ECDSA as fixed-width `r || s`. This is what a signing callback must produce, so a
/// callback can be built on it.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (unknown algorithm),
/// `EZLA_RESULT_UNSUPPORTED_KEY` (the algorithm does not fit the key),
/// `EZLA_RESULT_SIGNING_FAILED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_private_key_sign(
    key: *const ezla_private_key,
    algorithm: u32,
    data: *const u8,
    len: usize,
    sig_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = arg_ref(key, "key")?;
        let algorithm = algorithm_from_c(algorithm)?;
        let data = arg_bytes(data, len, "data")?;
        let out = out_ptr(sig_out, "sig_out")?;
        let sig = key.inner.sign(algorithm, data)?;
        write(out, ezla_buffer::from_vec(sig));
        Ok(())
    })
}

/// Whether `cert` is the certificate for `key` (same public key); false when either is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_private_key_matches_certificate(
    key: *const ezla_private_key,
    cert: *const ezla_certificate,
) -> bool {
    boundary::getter(false, || {
        match (boundary::opt_ref(key), boundary::opt_ref(cert)) {
            (Some(k), Some(c)) => c.inner.matches_key(k.inner.public_key()),
            _ => false,
        }
    })
}

/// Frees a private key. `ezla_private_key_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_private_key_free(key: *mut ezla_private_key) {
    boundary::getter((), || boundary::free_box(key))
}

// ---------------------------------------------------------------------------------------------
// Identities (.pfx)

/// A signing identity: a private key, its certificate and the issuing chain — what a
/// doctor's `.pfx` from ZUS holds.
///
/// Thread safety: immutable; may be used (to sign) from several threads at once.
pub struct ezla_identity {
    pub(crate) inner: Identity,
    friendly_name: Option<CString>,
}

impl ezla_identity {
    pub(crate) fn new(inner: Identity) -> Self {
        let friendly_name = opt_c_string(inner.friendly_name.as_deref());
        ezla_identity {
            inner,
            friendly_name,
        }
    }
}

fn pkcs12_options(max_iterations: u64) -> Pkcs12Options {
    if max_iterations == 0 {
        Pkcs12Options::default()
    } else {
        Pkcs12Options::with_max_iterations(max_iterations)
    }
}

/// Opens a PKCS#12 file (`.pfx`, `.p12`; legacy RC2/3DES or modern PBES2/AES) from bytes
/// and picks the identity in it.
///
/// `password` is NUL-terminated UTF-8, or NULL for a file without a password (an empty
/// string "" is a different, empty password). ezla does not keep it; the copies it derives
/// are zeroized. `max_iterations` caps the key-derivation work per step (0: the default
/// cap of 10 000 000), so a hostile file cannot make the call run for hours. A file without
/// integrity protection (no MAC) is refused: see `ezla_identity_from_pkcs12_with_options`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`, `EZLA_RESULT_BAD_PASSWORD`,
/// `EZLA_RESULT_MAC_MISMATCH` (right password, altered file), `EZLA_RESULT_PKCS12_CORRUPT`,
/// `EZLA_RESULT_PKCS12_UNPROTECTED` (no MAC), `EZLA_RESULT_ITERATION_LIMIT_EXCEEDED`,
/// `EZLA_RESULT_UNSUPPORTED`, `EZLA_RESULT_NO_PRIVATE_KEY`, `EZLA_RESULT_NO_CERTIFICATE`,
/// `EZLA_RESULT_KEY_CERTIFICATE_MISMATCH`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_from_pkcs12(
    data: *const u8,
    len: usize,
    password: *const c_char,
    max_iterations: u64,
    identity_out: *mut *mut ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    let mut options = ezla_pkcs12_options_default();
    options.max_iterations = max_iterations;
    ezla_identity_from_pkcs12_with_options(data, len, password, &options, identity_out, err_out)
}

/// Options for opening a PKCS#12 file. Start from `ezla_pkcs12_options_default()`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_pkcs12_options {
    /// The most key-derivation iterations per step (0, the default: 10 000 000).
    pub max_iterations: u64,
    /// Accept a file without integrity protection (no MAC); default false, when such a file
    /// fails with `EZLA_RESULT_PKCS12_UNPROTECTED`. Such a file could have been altered, and
    /// its password was not checked: when nothing in it is encrypted, ANY password opens it.
    /// Set it only for a file you know.
    pub allow_unprotected: bool,
}

/// The default options for opening a PKCS#12 file.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_pkcs12_options_default() -> ezla_pkcs12_options {
    ezla_pkcs12_options {
        max_iterations: 0,
        allow_unprotected: false,
    }
}

/// `ezla_identity_from_pkcs12` with options (`options` may be NULL for the defaults).
///
/// Errors: as `ezla_identity_from_pkcs12`; `EZLA_RESULT_PKCS12_UNPROTECTED` only without
/// `allow_unprotected`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_from_pkcs12_with_options(
    data: *const u8,
    len: usize,
    password: *const c_char,
    options: *const ezla_pkcs12_options,
    identity_out: *mut *mut ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let data = arg_bytes(data, len, "data")?;
        let password = arg_opt_str(password, "password")?;
        let out = out_ptr(identity_out, "identity_out")?;
        let o = boundary::opt_ref(options)
            .copied()
            .unwrap_or_else(|| ezla_pkcs12_options_default());
        let core = pkcs12_options(o.max_iterations).allowing_unprotected(o.allow_unprotected);
        let id = Identity::from_pkcs12(data, password, &core)?;
        write_box(out, ezla_identity::new(id));
        Ok(())
    })
}

/// What a PKCS#12 file holds and how it is protected (from `ezla_pkcs12_inspect`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_pkcs12_info {
    /// Whether the file uses a legacy algorithm (a SHA-1 MAC, RC2 or 3DES): such files need
    /// `openssl pkcs12 -legacy` and are worth rewriting with `ezla_identity_to_pkcs12`.
    pub legacy: bool,
    /// Whether the file has a password MAC.
    pub has_mac: bool,
    /// The MAC's digest (`"SHA-1"`, `"SHA-256"`, ...; static), or NULL without a MAC.
    pub mac_digest: *const c_char,
    /// The number of encryptions (containers and shrouded keys).
    pub encryptions: usize,
    /// The largest iteration count of any key derivation in the file (MAC included).
    pub max_iterations: u64,
    /// The number of private keys.
    pub keys: usize,
    /// The number of certificates.
    pub certificates: usize,
    /// The number of bags ezla skipped (CRLs, secrets, unknown types).
    pub skipped: usize,
}

/// Opens a PKCS#12 file like `ezla_identity_from_pkcs12` (same `password` and
/// `max_iterations` rules) and describes it in `*info_out` without picking an identity: for
/// telling legacy files apart, or for files that hold several keys or none. A file without
/// integrity protection is described (`has_mac` false), not refused: check `has_mac` before
/// trusting what it holds.
///
/// Errors: as `ezla_identity_from_pkcs12`, except the identity errors
/// (`EZLA_RESULT_NO_PRIVATE_KEY`, `EZLA_RESULT_NO_CERTIFICATE`,
/// `EZLA_RESULT_KEY_CERTIFICATE_MISMATCH`).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_pkcs12_inspect(
    data: *const u8,
    len: usize,
    password: *const c_char,
    max_iterations: u64,
    info_out: *mut ezla_pkcs12_info,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let data = arg_bytes(data, len, "data")?;
        let password = arg_opt_str(password, "password")?;
        let out = out_ptr(info_out, "info_out")?;
        let options = pkcs12_options(max_iterations).allowing_unprotected(true);
        let p = Pkcs12::parse(data, password, &options)?;
        let mac = p.info.mac.as_ref();
        let max_iterations = p
            .info
            .encryptions
            .iter()
            .map(|e| e.iterations)
            .chain(mac.map(|m| m.iterations))
            .max()
            .unwrap_or(0);
        write(
            out,
            ezla_pkcs12_info {
                legacy: p.info.is_legacy(),
                has_mac: mac.is_some(),
                mac_digest: mac.map_or(std::ptr::null(), |m| digest_name(m.digest)),
                encryptions: p.info.encryptions.len(),
                max_iterations,
                keys: p.keys.len(),
                certificates: p.certificates.len(),
                skipped: p.skipped.len(),
            },
        );
        Ok(())
    })
}

fn digest_name(d: DigestAlgorithm) -> *const c_char {
    match d {
        DigestAlgorithm::Sha1 => c"SHA-1".as_ptr(),
        DigestAlgorithm::Sha224 => c"SHA-224".as_ptr(),
        DigestAlgorithm::Sha256 => c"SHA-256".as_ptr(),
        DigestAlgorithm::Sha384 => c"SHA-384".as_ptr(),
        DigestAlgorithm::Sha512 => c"SHA-512".as_ptr(),
        _ => c"unknown".as_ptr(),
    }
}

/// `ezla_identity_from_pkcs12` on the file at `path` (NUL-terminated UTF-8). Errors also
/// include `EZLA_RESULT_IO` (the file cannot be read) and `EZLA_RESULT_INVALID_ARGUMENT`
/// (larger than 16 MiB). A file without integrity protection fails with
/// `EZLA_RESULT_PKCS12_UNPROTECTED`; to accept one knowingly, read it and use
/// `ezla_identity_from_pkcs12_with_options`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_from_pkcs12_file(
    path: *const c_char,
    password: *const c_char,
    max_iterations: u64,
    identity_out: *mut *mut ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let path = arg_str(path, "path")?;
        let password = arg_opt_str(password, "password")?;
        let out = out_ptr(identity_out, "identity_out")?;
        let data = boundary::read_path(path)?;
        let id = Identity::from_pkcs12(&data, password, &pkcs12_options(max_iterations));
        boundary::wipe(data);
        write_box(out, ezla_identity::new(id?));
        Ok(())
    })
}

/// Pairs a key with its certificate and optional chain certificates (`chain` holds
/// `chain_len` pointers; NULL when `chain_len` is 0), for bundling into a `.pfx` with
/// `ezla_identity_to_pkcs12`. The identity keeps its own references: the inputs may be
/// freed afterwards.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER` (also for a NULL entry in `chain`),
/// `EZLA_RESULT_KEY_CERTIFICATE_MISMATCH`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_new(
    key: *const ezla_private_key,
    cert: *const ezla_certificate,
    chain: *const *const ezla_certificate,
    chain_len: usize,
    identity_out: *mut *mut ezla_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let key = arg_ref(key, "key")?;
        let cert = arg_ref(cert, "cert")?;
        let chain = cert_list(chain, chain_len)?;
        let out = out_ptr(identity_out, "identity_out")?;
        let id = Identity::new(key.inner.clone(), cert.inner.clone(), chain)?;
        write_box(out, ezla_identity::new(id));
        Ok(())
    })
}

pub(crate) fn cert_list(
    chain: *const *const ezla_certificate,
    len: usize,
) -> FfiResult<Vec<Certificate>> {
    if chain.is_null() {
        return if len == 0 {
            Ok(Vec::new())
        } else {
            Err(Failure::Null("chain"))
        };
    }
    // SAFETY: chain is non-NULL and the caller guarantees `len` readable pointers.
    let ptrs = unsafe { std::slice::from_raw_parts(chain, len) };
    ptrs.iter()
        .map(|p| arg_ref(*p, "chain[i]").map(|c| c.inner.clone()))
        .collect()
}

/// Writes the identity (key, certificate, chain, friendly name) as a modern PKCS#12 file
/// (PBES2 with PBKDF2-HMAC-SHA-256 and AES-256-CBC, SHA-256 MAC) into `*pfx_out` (free with
/// `ezla_buffer_free`). `password` is NUL-terminated UTF-8; `iterations` at least 1000, or 0
/// for the default 600 000.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_to_pkcs12(
    identity: *const ezla_identity,
    password: *const c_char,
    iterations: u32,
    pfx_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let id = arg_ref(identity, "identity")?;
        let password = arg_str(password, "password")?;
        let out = out_ptr(pfx_out, "pfx_out")?;
        let iterations = if iterations == 0 {
            ezla_core::pki::pkcs12::DEFAULT_WRITE_ITERATIONS
        } else {
            iterations
        };
        let pfx = id.inner.to_pkcs12(password, iterations)?;
        write(out, ezla_buffer::from_vec(pfx));
        Ok(())
    })
}

/// The identity's certificate, as a new handle in `*cert_out` (free with
/// `ezla_certificate_free`; it stays valid after the identity is freed).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_certificate(
    identity: *const ezla_identity,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let id = arg_ref(identity, "identity")?;
        let out = out_ptr(cert_out, "cert_out")?;
        write_box(out, ezla_certificate::new(id.inner.certificate.clone()));
        Ok(())
    })
}

/// The number of chain certificates (issuers of the identity's certificate, nearest first);
/// 0 when `identity` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_chain_len(identity: *const ezla_identity) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(identity).map_or(0, |i| i.inner.chain.len())
    })
}

/// Chain certificate number `index` (0 = the direct issuer), as a new handle in
/// `*cert_out` (free with `ezla_certificate_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT` (index out of range).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_chain_get(
    identity: *const ezla_identity,
    index: usize,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let id = arg_ref(identity, "identity")?;
        let out = out_ptr(cert_out, "cert_out")?;
        let cert = id.inner.chain.get(index).ok_or_else(|| {
            Failure::Invalid(format!(
                "index {index} is out of range (the chain has {} certificates)",
                id.inner.chain.len()
            ))
        })?;
        write_box(out, ezla_certificate::new(cert.clone()));
        Ok(())
    })
}

/// The identity's private key, as a new handle in `*key_out` (free with
/// `ezla_private_key_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_private_key(
    identity: *const ezla_identity,
    key_out: *mut *mut ezla_private_key,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let id = arg_ref(identity, "identity")?;
        let out = out_ptr(key_out, "key_out")?;
        write_box(
            out,
            ezla_private_key {
                inner: id.inner.key.clone(),
            },
        );
        Ok(())
    })
}

/// The key's `friendlyName` from the PKCS#12 file (keytool's alias); NULL when absent or
/// when `identity` is NULL. Lives until `ezla_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_friendly_name(identity: *const ezla_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |i| opt_ptr(&i.friendly_name))
    })
}

/// Frees an identity. `ezla_identity_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_identity_free(identity: *mut ezla_identity) {
    boundary::getter((), || boundary::free_box(identity))
}
