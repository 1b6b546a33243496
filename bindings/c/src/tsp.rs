//! RFC 3161 time-stamps for C: a client of a time-stamping authority (TSA), tokens verified
//! into `ezla_timestamp`, and signature time-stamps added to XAdES (XAdES-T) and CMS
//! (CAdES-T) signatures.

use std::ffi::{CString, c_char};
use std::sync::Arc;
use std::time::Duration;

use ezla_core::crypto::DigestAlgorithm;
use ezla_core::transport::{DEFAULT_OVERALL_TIMEOUT, TransportConfig, UreqTransport};
use ezla_core::tsp::{self, ObjectIdentifier, Stamped, TimeStamp, TokenOptions, TsaClient};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::pki::ezla_certificate;
use crate::trust::ezla_trust_anchors;

/// The SHA-2 digest of `bits` bits (256, 384 or 512); `name` is the argument's, for the
/// error.
pub(crate) fn digest_from_bits(bits: u32, name: &str) -> FfiResult<DigestAlgorithm> {
    match bits {
        256 => Ok(DigestAlgorithm::Sha256),
        384 => Ok(DigestAlgorithm::Sha384),
        512 => Ok(DigestAlgorithm::Sha512),
        other => Err(Failure::Invalid(format!(
            "`{name}` {other}: 256, 384 or 512 expected"
        ))),
    }
}

/// Token options trusting `trust` (NULL: the certificate the token carries, `"untrusted"`).
pub(crate) fn token_options(trust: *const ezla_trust_anchors) -> TokenOptions {
    match boundary::opt_ref(trust) {
        Some(t) => TokenOptions::default().with_trust(Arc::new(t.inner.clone())),
        None => TokenOptions::default(),
    }
}

fn policy_oid(policy: *const c_char, name: &'static str) -> FfiResult<Option<ObjectIdentifier>> {
    arg_opt_str(policy, name)?
        .map(|p| {
            p.parse::<ObjectIdentifier>()
                .map_err(|e| Failure::Invalid(format!("`{name}` {p:?} is not an OID: {e}")))
        })
        .transpose()
}

fn millis(ms: u32, default: Duration) -> Duration {
    if ms == 0 {
        default
    } else {
        Duration::from_millis(u64::from(ms))
    }
}

// ---------------------------------------------------------------------------------------------
// The client

/// How `ezla_tsa_client_new` asks a TSA. Start from `ezla_tsa_options_default()` and change
/// fields. ezla copies what it keeps: the strings, bytes and anchors may be freed after the
/// call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ezla_tsa_options {
    /// The TSA policy OID to ask for (and require in the token), NUL-terminated dotted text
    /// such as `"1.3.6.1.4.1.32473.3161.1"`; NULL (default): the TSA's default policy.
    pub policy: *const c_char,
    /// The digest of the data sent: 256 (default), 384 or 512 (SHA-2).
    pub digest_bits: u32,
    /// Trust anchors for the TSA's certificate, or NULL (default): the token is checked with
    /// the certificate it carries and the time-stamp's trust is `"untrusted"`.
    pub trust: *const ezla_trust_anchors,
    /// CA certificates (PEM, `ca_pem_len` bytes) the TLS certificate of an `https` TSA must
    /// chain to; NULL (default): the web PKI roots.
    pub ca_pem: *const u8,
    /// The length of `ca_pem`.
    pub ca_pem_len: usize,
    /// How long to wait for the connection, milliseconds; 0 (default): 10 seconds.
    pub connect_timeout_ms: u32,
    /// How long to wait for the answer, milliseconds; 0 (default): 60 seconds.
    pub response_timeout_ms: u32,
}

/// The defaults: the TSA's policy, SHA-256, untrusted TSA, web PKI roots, default timeouts.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_tsa_options_default() -> ezla_tsa_options {
    ezla_tsa_options {
        policy: std::ptr::null(),
        digest_bits: 256,
        trust: std::ptr::null(),
        ca_pem: std::ptr::null(),
        ca_pem_len: 0,
        connect_timeout_ms: 0,
        response_timeout_ms: 0,
    }
}

/// A client of one RFC 3161 time-stamping authority over HTTP or HTTPS. Each stamp sends a
/// fresh request (only the hash of the data, with a nonce) and checks the answer: status,
/// imprint, nonce, policy, the TSA certificate's critical `timeStamping` usage and, with
/// trust anchors, its chain at the time stamped.
///
/// Thread safety: immutable; may be used from several threads at once.
pub struct ezla_tsa_client {
    inner: TsaClient<UreqTransport>,
}

/// A client of the TSA at `url` (NUL-terminated, `http://` or `https://`), asking as
/// `options` says (NULL: `ezla_tsa_options_default()`), in `*client_out` (free with
/// `ezla_tsa_client_free`). Nothing is sent yet.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (a digest other than 256/384/512 bits, a policy that is
/// not an OID), `EZLA_RESULT_PEM_MALFORMED` (`ca_pem`) and the other transport set-up
/// errors.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_tsa_client_new(
    url: *const c_char,
    options: *const ezla_tsa_options,
    client_out: *mut *mut ezla_tsa_client,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let url = arg_str(url, "url")?;
        let o = boundary::opt_ref(options)
            .copied()
            .unwrap_or_else(|| ezla_tsa_options_default());
        let out = out_ptr(client_out, "client_out")?;
        let digest = digest_from_bits(o.digest_bits, "options->digest_bits")?;
        let policy = policy_oid(o.policy, "options->policy")?;
        let ca = arg_bytes(o.ca_pem, o.ca_pem_len, "options->ca_pem")?;
        let connect = millis(
            o.connect_timeout_ms,
            ezla_core::transport::DEFAULT_CONNECT_TIMEOUT,
        );
        let response = millis(
            o.response_timeout_ms,
            ezla_core::transport::DEFAULT_RESPONSE_TIMEOUT,
        );
        let mut config = TransportConfig::builder()
            .connect_timeout(connect)
            .response_timeout(response)
            .overall_timeout((connect + response).max(DEFAULT_OVERALL_TIMEOUT));
        if !ca.is_empty() {
            config = config.trust_pem(ca);
        }
        let transport = UreqTransport::new(config.build()?)?;
        let mut client = TsaClient::new(url, transport)
            .with_digest(digest)
            .with_options(token_options(o.trust));
        if let Some(p) = policy {
            client = client.with_policy(p);
        }
        write_box(out, ezla_tsa_client { inner: client });
        Ok(())
    })
}

/// Frees a client. `ezla_tsa_client_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_tsa_client_free(client: *mut ezla_tsa_client) {
    boundary::getter((), || boundary::free_box(client))
}

/// Time-stamps `len` bytes at `data` (only their hash is sent): the token (DER, what
/// `openssl ts -verify -token_in` reads) in `*token_out` (free with `ezla_buffer_free`)
/// and, when `stamp_out` is not NULL, what it proves in `*stamp_out` (free with
/// `ezla_timestamp_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_TIMESTAMP_REJECTED` (the TSA refused,
/// e.g. a policy it does not have), `EZLA_RESULT_TIMESTAMP_MISMATCH` (the token does not fit
/// the request), `EZLA_RESULT_TSA_CERTIFICATE_INVALID`, the certificate errors (a TSA that
/// does not chain to `options->trust`), and the transport errors
/// (`EZLA_RESULT_TLS_CERTIFICATE_UNTRUSTED`, `EZLA_RESULT_HTTP_STATUS`, ...).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_tsa_client_stamp(
    client: *const ezla_tsa_client,
    data: *const u8,
    len: usize,
    token_out: *mut ezla_buffer,
    stamp_out: *mut *mut ezla_timestamp,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let client = arg_ref(client, "client")?;
        let data = arg_bytes(data, len, "data")?;
        let out = out_ptr(token_out, "token_out")?;
        let (token, stamp) = client.inner.stamp(data)?;
        write(out, ezla_buffer::from_vec(token));
        if !stamp_out.is_null() {
            write_box(stamp_out, ezla_timestamp::new(stamp));
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// What a verified RFC 3161 time-stamp token proves: that the TSA saw the imprint (a hash
/// of the stamped data) at its time. Made by `ezla_tsa_client_stamp`,
/// `ezla_timestamp_verify` and `ezla_timestamp_verify_digest`; freed by
/// `ezla_timestamp_free`.
///
/// Thread safety: immutable; may be read from several threads at once. Strings and bytes
/// from its getters live until `ezla_timestamp_free`.
pub struct ezla_timestamp {
    inner: TimeStamp,
    policy: CString,
    serial: CString,
    digest: CString,
    trust: CString,
}

impl ezla_timestamp {
    pub(crate) fn new(inner: TimeStamp) -> Self {
        ezla_timestamp {
            policy: c_string(&inner.policy.to_string()),
            serial: c_string(&inner.serial),
            digest: c_string(inner.digest.name()),
            trust: c_string(inner.trust),
            inner,
        }
    }
}

fn verify(
    token: &[u8],
    stamped: Stamped<'_>,
    trust: *const ezla_trust_anchors,
    policy: *const c_char,
    stamp_out: *mut *mut ezla_timestamp,
) -> FfiResult<()> {
    let mut options = token_options(trust);
    options.policy = policy_oid(policy, "policy")?;
    let out = out_ptr(stamp_out, "stamp_out")?;
    let stamp = tsp::verify_token(token, stamped, &options)?;
    write_box(out, ezla_timestamp::new(stamp));
    Ok(())
}

/// Verifies a time-stamp token (`len` bytes of DER at `token`) for the `data_len` bytes at
/// `data` (hashed here with the token's own algorithm). With `trust` (may be NULL) the
/// TSA's certificate must chain to one of the anchors at the time stamped; with `policy`
/// (NUL-terminated OID, may be NULL) the token must name that TSA policy. What it proves
/// goes to `*stamp_out` (free with `ezla_timestamp_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (a policy that is not an OID), `EZLA_RESULT_DER_MALFORMED`
/// (not a token), `EZLA_RESULT_SIGNATURE_MALFORMED` (no ESS binding of its certificate),
/// `EZLA_RESULT_SIGNATURE_INVALID`, `EZLA_RESULT_TIMESTAMP_MISMATCH` (another imprint or
/// policy), `EZLA_RESULT_TSA_CERTIFICATE_INVALID` (not a time-stamping certificate, or not
/// valid when it stamped), `EZLA_RESULT_UNSUPPORTED` (a SHA-1 imprint), the certificate
/// errors (`EZLA_RESULT_CERTIFICATE_UNTRUSTED`, ...).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_verify(
    token: *const u8,
    len: usize,
    data: *const u8,
    data_len: usize,
    trust: *const ezla_trust_anchors,
    policy: *const c_char,
    stamp_out: *mut *mut ezla_timestamp,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let token = arg_bytes(token, len, "token")?;
        let data = arg_bytes(data, data_len, "data")?;
        verify(token, Stamped::Data(data), trust, policy, stamp_out)
    })
}

/// Like `ezla_timestamp_verify`, for the hash of the stamped data instead of the data:
/// `digest_len` bytes at `digest`, made with SHA-2 of `digest_bits` bits (256, 384 or 512),
/// which must be the token's imprint algorithm.
///
/// Errors: as `ezla_timestamp_verify`; `EZLA_RESULT_INVALID_ARGUMENT` for other
/// `digest_bits`; `EZLA_RESULT_TIMESTAMP_MISMATCH` for a hash of another algorithm or
/// length than the token's.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_verify_digest(
    token: *const u8,
    len: usize,
    digest: *const u8,
    digest_len: usize,
    digest_bits: u32,
    trust: *const ezla_trust_anchors,
    policy: *const c_char,
    stamp_out: *mut *mut ezla_timestamp,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let token = arg_bytes(token, len, "token")?;
        let digest = arg_bytes(digest, digest_len, "digest")?;
        let algorithm = digest_from_bits(digest_bits, "digest_bits")?;
        verify(
            token,
            Stamped::Digest(algorithm, digest),
            trust,
            policy,
            stamp_out,
        )
    })
}

/// Frees a time-stamp. `ezla_timestamp_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_free(stamp: *mut ezla_timestamp) {
    boundary::getter((), || boundary::free_box(stamp))
}

/// When the TSA stamped (`genTime`), Unix seconds (the whole seconds; see
/// `ezla_timestamp_time_millis`); `EZLA_NOW` when `stamp` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_time(stamp: *const ezla_timestamp) -> i64 {
    boundary::getter(crate::instant::EZLA_NOW, || {
        boundary::opt_ref(stamp).map_or(crate::instant::EZLA_NOW, |s| s.inner.time.unix_timestamp())
    })
}

/// The milliseconds of the stamped time after `ezla_timestamp_time` (0 to 999; 0 when the
/// token gives whole seconds or `stamp` is NULL).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_time_millis(stamp: *const ezla_timestamp) -> u32 {
    boundary::getter(0, || {
        boundary::opt_ref(stamp).map_or(0, |s| u32::from(s.inner.time.millisecond()))
    })
}

/// How far the stamped time may be off (`accuracy`), milliseconds; -1 when the TSA does not
/// say or `stamp` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_accuracy_ms(stamp: *const ezla_timestamp) -> i64 {
    boundary::getter(-1, || {
        boundary::opt_ref(stamp)
            .and_then(|s| s.inner.accuracy)
            .map_or(-1, |a| {
                i64::try_from(a.whole_milliseconds()).unwrap_or(i64::MAX)
            })
    })
}

/// The TSA policy OID under which it stamped, dotted; NULL when `stamp` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_policy(stamp: *const ezla_timestamp) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(stamp).map_or(std::ptr::null(), |s| s.policy.as_ptr())
    })
}

/// The token's serial number, hexadecimal; NULL when `stamp` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_serial(stamp: *const ezla_timestamp) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(stamp).map_or(std::ptr::null(), |s| s.serial.as_ptr())
    })
}

/// The hash algorithm of the imprint, e.g. `"SHA-256"`; NULL when `stamp` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_digest(stamp: *const ezla_timestamp) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(stamp).map_or(std::ptr::null(), |s| s.digest.as_ptr())
    })
}

/// How the TSA is trusted: `"chain"` (its certificate chains to the anchors given, at the
/// time stamped) or `"untrusted"` (no anchors given); NULL when `stamp` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_trust(stamp: *const ezla_timestamp) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(stamp).map_or(std::ptr::null(), |s| s.trust.as_ptr())
    })
}

/// The imprint (the hash of what was stamped), borrowed: its bytes in `*data_out` and their
/// number in `*len_out` (valid until `ezla_timestamp_free`). False (nothing written) when
/// an argument is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_imprint(
    stamp: *const ezla_timestamp,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> bool {
    boundary::getter(false, || {
        let imprint = boundary::opt_ref(stamp).map(|s| s.inner.imprint.as_slice());
        boundary::lend(imprint, data_out, len_out)
    })
}

/// The nonce the token carries, borrowed, as `ezla_timestamp_imprint`. False (nothing
/// written) when the token has none or an argument is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_nonce(
    stamp: *const ezla_timestamp,
    data_out: *mut *const u8,
    len_out: *mut usize,
) -> bool {
    boundary::getter(false, || {
        let nonce = boundary::opt_ref(stamp).and_then(|s| s.inner.nonce.as_deref());
        boundary::lend(nonce, data_out, len_out)
    })
}

/// A copy of the TSA's certificate (the one whose key signed the token) in `*cert_out`
/// (free with `ezla_certificate_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_timestamp_tsa_certificate(
    stamp: *const ezla_timestamp,
    cert_out: *mut *mut ezla_certificate,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let stamp = arg_ref(stamp, "stamp")?;
        let out = out_ptr(cert_out, "cert_out")?;
        write_box(out, ezla_certificate::new(stamp.inner.tsa.clone()));
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// XAdES-T and CAdES-T

/// Adds a signature time-stamp from `client` to the one XAdES signature of a signed XML
/// document (`len` bytes at `document`; XAdES-T): the `SignatureTimeStamp` goes into the
/// unsigned properties and no signed byte changes. The document goes to `*stamped_out`
/// (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_XML_MALFORMED`,
/// `EZLA_RESULT_SIGNATURE_MISSING`, `EZLA_RESULT_SIGNATURE_AMBIGUOUS` (more than one
/// signature), and the errors of `ezla_tsa_client_stamp`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_add_timestamp(
    document: *const u8,
    len: usize,
    client: *const ezla_tsa_client,
    stamped_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let client = arg_ref(client, "client")?;
        let out = out_ptr(stamped_out, "stamped_out")?;
        let stamped = ezla_core::xades::add_timestamp(document, &client.inner)?;
        write(out, ezla_buffer::from_vec(stamped));
        Ok(())
    })
}

/// What a signature time-stamp of the document's one XAdES signature must stamp: the
/// canonicalized `ds:SignatureValue` element, in `*input_out` (free with
/// `ezla_buffer_free`). Stamp these bytes elsewhere (e.g. with `ezla_tsa_client_stamp`),
/// then add the token with `ezla_xades_add_timestamp_token`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_XML_MALFORMED`,
/// `EZLA_RESULT_SIGNATURE_MISSING`, `EZLA_RESULT_SIGNATURE_AMBIGUOUS`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_timestamp_input(
    document: *const u8,
    len: usize,
    input_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let out = out_ptr(input_out, "input_out")?;
        let input = ezla_core::xades::timestamp_input(document)?;
        write(out, ezla_buffer::from_vec(input));
        Ok(())
    })
}

/// Like `ezla_xades_add_timestamp`, with a ready token (`token_len` bytes of DER at
/// `token`, over `ezla_xades_timestamp_input` of this document). The token must stamp this
/// signature value (checked; its TSA is judged by `ezla_xades_verify`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_XML_MALFORMED`,
/// `EZLA_RESULT_SIGNATURE_MISSING`, `EZLA_RESULT_SIGNATURE_AMBIGUOUS`,
/// `EZLA_RESULT_TIMESTAMP_MISMATCH` (a token over something else), `EZLA_RESULT_DER_MALFORMED`
/// (not a token), `EZLA_RESULT_XADES_PROPERTIES_INVALID` (no signed properties).
#[unsafe(no_mangle)]
pub extern "C" fn ezla_xades_add_timestamp_token(
    document: *const u8,
    len: usize,
    token: *const u8,
    token_len: usize,
    stamped_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let document = arg_bytes(document, len, "document")?;
        let token = arg_bytes(token, token_len, "token")?;
        let out = out_ptr(stamped_out, "stamped_out")?;
        let stamped = ezla_core::xades::add_signature_timestamp(document, token)?;
        write(out, ezla_buffer::from_vec(stamped));
        Ok(())
    })
}

/// Adds a signature time-stamp from `client` to a CMS signature (`len` bytes at
/// `signature`, DER or PEM; CAdES-T): the token goes into the signer's unsigned attributes
/// and the signed parts are unchanged. The signature goes to `*stamped_out` as DER,
/// whatever the input's form (free with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_DER_MALFORMED`,
/// `EZLA_RESULT_PEM_MALFORMED`, `EZLA_RESULT_SIGNATURE_MALFORMED` (not one signer), and the
/// errors of `ezla_tsa_client_stamp`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_cms_add_timestamp(
    signature: *const u8,
    len: usize,
    client: *const ezla_tsa_client,
    stamped_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let signature = arg_bytes(signature, len, "signature")?;
        let client = arg_ref(client, "client")?;
        let out = out_ptr(stamped_out, "stamped_out")?;
        let stamped = tsp::cades::add_timestamp(signature, &client.inner)?;
        write(out, ezla_buffer::from_vec(stamped));
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Time-stamps in verification reports

/// One signature time-stamp of a verified signature, as the report getters hand it out.
pub(crate) struct StampRow {
    pub(crate) valid: bool,
    pub(crate) error: Option<CString>,
    pub(crate) time: i64,
    pub(crate) tsa: Option<CString>,
    pub(crate) policy: Option<CString>,
    pub(crate) serial: Option<CString>,
    pub(crate) trust: CString,
}

impl StampRow {
    /// A time-stamp that verified.
    pub(crate) fn verified(t: &TimeStamp) -> Self {
        StampRow {
            valid: true,
            error: None,
            time: t.time.unix_timestamp(),
            tsa: Some(c_string(&t.tsa.subject().to_rfc4514())),
            policy: Some(c_string(&t.policy.to_string())),
            serial: Some(c_string(&t.serial)),
            trust: c_string(t.trust),
        }
    }

    /// One that did not, with why.
    pub(crate) fn invalid(error: &str) -> Self {
        StampRow {
            valid: false,
            error: Some(c_string(error)),
            time: crate::instant::EZLA_NOW,
            tsa: None,
            policy: None,
            serial: None,
            trust: c_string("invalid"),
        }
    }

    /// From a XAdES report's time-stamp.
    pub(crate) fn from_xades(t: &ezla_core::xades::TimestampReport) -> Self {
        match (&t.detail, t.valid) {
            (Some(detail), true) => StampRow::verified(detail),
            _ => StampRow::invalid(
                t.error
                    .as_deref()
                    .unwrap_or("the time-stamp did not verify"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The token functions with a local TSA (no network; the client is tested against the
    //! simulator by the C suite): what the getters hand out, and the refusals.
    use std::ptr::{null, null_mut};

    use ezla_core::crypto::KeySpec;
    use ezla_core::pki::TrustAnchors;
    use ezla_core::pki::testca::TestCa;
    use ezla_core::tsp::{TimeStampAuthority, TimeStampRequest};
    use time::OffsetDateTime;

    use super::*;

    const POLICY: &str = "1.3.6.1.4.1.32473.3161.7";

    fn token_at(now: OffsetDateTime, data: &[u8]) -> (Vec<u8>, ezla_trust_anchors) {
        let ca =
            TestCa::generate("ezla C tsp test CA", now - time::Duration::days(1), 30).expect("ca");
        let id = ca
            .issue_time_stamping("ezla C test TSA", KeySpec::EcP256, 30)
            .expect("tsa identity");
        let policy: ObjectIdentifier = POLICY.parse().expect("oid");
        let tsa = TimeStampAuthority::new(Arc::new(id.clone()), id.certificate.clone(), policy)
            .expect("tsa");
        let request = TimeStampRequest::for_data(DigestAlgorithm::Sha384, data).expect("request");
        let token = tsa.stamp(&request, now).expect("token");
        let anchors = ezla_trust_anchors {
            inner: TrustAnchors::new([ca.certificate().clone()]),
        };
        (token, anchors)
    }

    #[test]
    fn a_verified_token_hands_out_what_it_proves() {
        let at = OffsetDateTime::now_utc()
            .replace_millisecond(250)
            .expect("ms");
        let (token, anchors) = token_at(at, b"a signature value");
        let data = b"a signature value";
        let mut stamp: *mut ezla_timestamp = null_mut();
        let policy = CString::new(POLICY).expect("c string");
        let rc = ezla_timestamp_verify(
            token.as_ptr(),
            token.len(),
            data.as_ptr(),
            data.len(),
            &anchors,
            policy.as_ptr(),
            &mut stamp,
            null_mut(),
        );
        assert_eq!(rc, ezla_result::Ok);
        assert_eq!(ezla_timestamp_time(stamp), at.unix_timestamp());
        assert_eq!(ezla_timestamp_time_millis(stamp), 250);
        assert_eq!(ezla_timestamp_accuracy_ms(stamp), 1000);
        let text = |p: *const c_char| {
            // SAFETY: the getters return NUL-terminated strings owned by `stamp`.
            unsafe { std::ffi::CStr::from_ptr(p) }
                .to_str()
                .expect("utf-8")
                .to_owned()
        };
        assert_eq!(text(ezla_timestamp_policy(stamp)), POLICY);
        assert_eq!(text(ezla_timestamp_digest(stamp)), "SHA-384");
        assert_eq!(text(ezla_timestamp_trust(stamp)), "chain");
        let (mut p, mut n) = (null(), 0usize);
        assert!(ezla_timestamp_imprint(stamp, &mut p, &mut n));
        // SAFETY: p and n describe the imprint borrowed from `stamp`.
        let imprint = unsafe { std::slice::from_raw_parts(p, n) }.to_vec();
        assert_eq!(imprint, DigestAlgorithm::Sha384.digest(data).as_slice());
        assert!(ezla_timestamp_nonce(stamp, &mut p, &mut n) && n > 0);
        ezla_timestamp_free(stamp);

        // The same token by its hash, and refused for another hash length.
        let mut again: *mut ezla_timestamp = null_mut();
        let rc = ezla_timestamp_verify_digest(
            token.as_ptr(),
            token.len(),
            imprint.as_ptr(),
            imprint.len(),
            384,
            null(),
            null(),
            &mut again,
            null_mut(),
        );
        assert_eq!(rc, ezla_result::Ok);
        ezla_timestamp_free(again);
        again = null_mut();
        let rc = ezla_timestamp_verify_digest(
            token.as_ptr(),
            token.len(),
            imprint.as_ptr(),
            imprint.len(),
            256,
            null(),
            null(),
            &mut again,
            null_mut(),
        );
        assert_eq!(rc, ezla_result::TimestampMismatch);
        assert!(again.is_null());
    }

    #[test]
    fn report_rows_say_why_a_stamp_did_not_verify() {
        let e = ezla_core::Error::invalid_argument("token", "not one");
        let row = StampRow::invalid(&format!("{:?}: {e}", e.code()));
        assert!(!row.valid && row.tsa.is_none() && row.time == crate::instant::EZLA_NOW);
        assert_eq!(row.trust.to_str(), Ok("invalid"));
        assert!(
            row.error
                .is_some_and(|m| m.to_str().is_ok_and(|m| m.starts_with("InvalidArgument: ")))
        );
        assert!(digest_from_bits(160, "bits").is_err());
        assert!(matches!(
            digest_from_bits(512, "bits"),
            Ok(DigestAlgorithm::Sha512)
        ));
    }
}
