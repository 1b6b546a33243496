//! login.gov.pl (Węzeł Krajowy), *sans-IO*: the service provider's configuration, the signed
//! AuthnRequest (form HTML, XML, ID, RelayState) and the processing of an ArtifactResponse
//! into an identity. The caller does the HTTP (the SOAP POST of the ArtifactResolve is not
//! exported yet) and keeps the pending request and the replay records.

use std::ffi::{CString, c_char};
use std::sync::Arc;

use ezla_core::crypto::{KeyAgreement, Signer};
use ezla_core::wk::{self, Config, Endpoints, Environment, Identity, Loa, SpKeys};

use crate::boundary::{
    self, Failure, FfiResult, arg_bytes, arg_opt_str, arg_ref, arg_str, arg_time, opt_c_string,
    opt_ptr, out_ptr, write, write_box,
};
use crate::buffer::ezla_buffer;
use crate::error::{c_string, ezla_error, ezla_result};
use crate::instant::unix;
use crate::pki::{ezla_certificate, ezla_private_key};
use crate::text::format_date;

/// A login.gov.pl service provider's configuration: our entity ID and ACS URL, our signing
/// and encryption keys with their certificates, the pinned login.gov.pl certificates and the
/// environment's endpoints.
///
/// Thread safety: immutable; may be used from several threads at once.
pub struct ezla_wk_config {
    inner: Config,
}

fn environment(name: &str) -> FfiResult<Environment> {
    Ok(match name {
        "production" => Environment::Production,
        "production-private" => Environment::ProductionPrivate,
        "integration" => Environment::Integration,
        "integration-private" => Environment::IntegrationPrivate,
        "simulator" => Environment::Simulator,
        other => {
            return Err(Failure::Invalid(format!(
                "environment {other:?}: \"production\", \"production-private\", \
                 \"integration\", \"integration-private\" or \"simulator\" expected"
            )));
        }
    })
}

fn loa(name: Option<&str>) -> FfiResult<Loa> {
    match name {
        None | Some("substantial") => Ok(Loa::Substantial),
        Some("low") => Ok(Loa::Low),
        Some("high") => Ok(Loa::High),
        Some(other) => Err(Failure::Invalid(format!(
            "loa {other:?}: \"low\", \"substantial\" or \"high\" expected"
        ))),
    }
}

/// Makes a configuration.
///
/// `environment` is `"production"`, `"production-private"`, `"integration"`,
/// `"integration-private"` or `"simulator"`. `entity_id` and `acs_url` are ours as
/// registered. The keys must be P-256 and match their certificates; they are copied (free
/// yours when you like). `wk_certs` points to `wk_certs_len` (at least 1) pinned
/// login.gov.pl signing certificates, copied too. Optional (NULL for the default):
/// `provider_name` (the ProviderName provisioned for us), `loa` (`"low"`, `"substantial"`
/// (default) or `"high"`: requested and required), `base_url` (login.gov.pl's endpoints
/// under this scheme and authority, e.g. a local simulator `http://127.0.0.1:8080`) and
/// `issuer` (login.gov.pl's Issuer, default the environment's). On success `*config_out`
/// receives a configuration to free with `ezla_wk_config_free`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT` (an unknown environment or LoA, no pinned certificate),
/// `EZLA_RESULT_KEY_CERTIFICATE_MISMATCH`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn ezla_wk_config_new(
    environment: *const c_char,
    entity_id: *const c_char,
    acs_url: *const c_char,
    signing_key: *const ezla_private_key,
    signing_cert: *const ezla_certificate,
    encryption_key: *const ezla_private_key,
    encryption_cert: *const ezla_certificate,
    wk_certs: *const *const ezla_certificate,
    wk_certs_len: usize,
    provider_name: *const c_char,
    loa: *const c_char,
    base_url: *const c_char,
    issuer: *const c_char,
    config_out: *mut *mut ezla_wk_config,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let env = self::environment(arg_str(environment, "environment")?)?;
        let entity_id = arg_str(entity_id, "entity_id")?;
        let acs_url = arg_str(acs_url, "acs_url")?;
        let signing_key = arg_ref(signing_key, "signing_key")?;
        let signing_cert = arg_ref(signing_cert, "signing_cert")?;
        let encryption_key = arg_ref(encryption_key, "encryption_key")?;
        let encryption_cert = arg_ref(encryption_cert, "encryption_cert")?;
        if wk_certs.is_null() {
            return Err(Failure::Null("wk_certs"));
        }
        if wk_certs_len == 0 {
            return Err(Failure::Invalid(
                "at least one login.gov.pl certificate must be pinned (wk_certs_len is 0)".into(),
            ));
        }
        // SAFETY: wk_certs is non-NULL and the caller guarantees wk_certs_len readable
        // pointers.
        let pointers = unsafe { std::slice::from_raw_parts(wk_certs, wk_certs_len) };
        let pinned = pointers
            .iter()
            .map(|p| arg_ref(*p, "wk_certs[i]").map(|c| c.inner.clone()))
            .collect::<FfiResult<Vec<_>>>()?;
        let provider_name = arg_opt_str(provider_name, "provider_name")?;
        let loa = self::loa(arg_opt_str(loa, "loa")?)?;
        let base_url = arg_opt_str(base_url, "base_url")?;
        let issuer = arg_opt_str(issuer, "issuer")?;
        let out = out_ptr(config_out, "config_out")?;
        let signer: Arc<dyn Signer> = Arc::new(signing_key.inner.clone());
        let agreement: Arc<dyn KeyAgreement> = Arc::new(encryption_key.inner.clone());
        let keys = SpKeys::new(
            signer,
            signing_cert.inner.clone(),
            agreement,
            encryption_cert.inner.clone(),
        )?;
        let mut config = Config::new(env, entity_id, acs_url, keys, pinned);
        config.requested_loa = loa;
        config.provider_name = provider_name.map(str::to_owned);
        let issuer = issuer.map_or_else(|| config.endpoints.issuer.clone(), str::to_owned);
        match base_url {
            Some(base) => {
                config.endpoints = Endpoints::for_base(base.trim_end_matches('/'), &issuer);
            }
            None => config.endpoints.issuer = issuer,
        }
        write_box(out, ezla_wk_config { inner: config });
        Ok(())
    })
}

/// Frees a configuration. `ezla_wk_config_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_config_free(config: *mut ezla_wk_config) {
    boundary::getter((), || boundary::free_box(config))
}

/// Writes the SP metadata XML (for registration with login.gov.pl) into `*xml_out` (free
/// with `ezla_buffer_free`).
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_config_metadata(
    config: *const ezla_wk_config,
    xml_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let config = arg_ref(config, "config")?;
        let out = out_ptr(xml_out, "xml_out")?;
        let xml = wk::metadata::sp_metadata(&config.inner);
        write(out, ezla_buffer::from_vec(xml.into_bytes()));
        Ok(())
    })
}

/// A signed AuthnRequest: keep its ID and RelayState (the pending request) until the
/// artifact comes back, and send the browser its HTML form.
///
/// Thread safety: immutable. Strings and bytes from its getters live until
/// `ezla_wk_authn_request_free`.
pub struct ezla_wk_authn_request {
    id: CString,
    relay_state: CString,
    sso_url: CString,
    html_form: CString,
    xml: Vec<u8>,
    expires: i64,
}

/// Builds and signs an AuthnRequest with a fresh ID and RelayState at `now` (Unix seconds,
/// or `EZLA_NOW`). On success `*request_out` receives a request to free with
/// `ezla_wk_authn_request_free`. Nothing is stored: keep its ID and RelayState yourself.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_ARGUMENT`,
/// `EZLA_RESULT_SIGNING_FAILED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_new(
    config: *const ezla_wk_config,
    now: i64,
    request_out: *mut *mut ezla_wk_authn_request,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let config = arg_ref(config, "config")?;
        let now = arg_time(now, "now")?;
        let out = out_ptr(request_out, "request_out")?;
        let request = wk::authn_request::build(&config.inner, now)?;
        write_box(
            out,
            ezla_wk_authn_request {
                id: c_string(&request.id),
                relay_state: c_string(&request.relay_state),
                sso_url: c_string(&request.sso_url),
                html_form: c_string(&request.html_form()),
                expires: unix(request.expires),
                xml: request.xml,
            },
        );
        Ok(())
    })
}

/// Frees a request. `ezla_wk_authn_request_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_free(request: *mut ezla_wk_authn_request) {
    boundary::getter((), || boundary::free_box(request))
}

/// The request's ID (the InResponseTo of the answer: pass it to
/// `ezla_wk_process_artifact_response`).
///
/// NULL when `request` is NULL; otherwise valid until `ezla_wk_authn_request_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_id(request: *const ezla_wk_authn_request) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(request).map_or(std::ptr::null(), |x| x.id.as_ptr())
    })
}
/// The RelayState sent with it (it comes back with the artifact: look the ID up by it).
///
/// NULL when `request` is NULL; otherwise valid until `ezla_wk_authn_request_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_relay_state(
    request: *const ezla_wk_authn_request,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(request).map_or(std::ptr::null(), |x| x.relay_state.as_ptr())
    })
}
/// Where the browser POSTs it (login.gov.pl's SingleSignOnService).
///
/// NULL when `request` is NULL; otherwise valid until `ezla_wk_authn_request_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_sso_url(
    request: *const ezla_wk_authn_request,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(request).map_or(std::ptr::null(), |x| x.sso_url.as_ptr())
    })
}
/// An HTML page whose form POSTs `SAMLRequest` and `RelayState` there and submits
/// itself: the body of the answer to the browser.
///
/// NULL when `request` is NULL; otherwise valid until `ezla_wk_authn_request_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_html_form(
    request: *const ezla_wk_authn_request,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(request).map_or(std::ptr::null(), |x| x.html_form.as_ptr())
    })
}

/// The signed AuthnRequest XML (UTF-8, no XML declaration, not NUL-terminated); its length
/// goes to `*len_out` (when not NULL).
///
/// NULL (and 0) when `request` is NULL; otherwise valid until `ezla_wk_authn_request_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_xml(
    request: *const ezla_wk_authn_request,
    len_out: *mut usize,
) -> *const u8 {
    boundary::getter(std::ptr::null(), || {
        let (ptr, len) = boundary::opt_ref(request)
            .map_or((std::ptr::null(), 0), |r| (r.xml.as_ptr(), r.xml.len()));
        if !len_out.is_null() {
            write(len_out, len);
        }
        ptr
    })
}

/// When the pending request expires (Unix seconds); 0 when `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_authn_request_expires(request: *const ezla_wk_authn_request) -> i64 {
    boundary::getter(0, || boundary::opt_ref(request).map_or(0, |r| r.expires))
}

/// The person login.gov.pl vouches for, from a checked assertion.
///
/// Thread safety: immutable. Strings from its getters live until `ezla_wk_identity_free`.
/// The PESEL is personal data: do not log it.
pub struct ezla_wk_identity {
    pesel: CString,
    given_name: CString,
    family_name: CString,
    birth_date: CString,
    loa: CString,
    authorities: Vec<CString>,
    name_id: CString,
    session_index: Option<CString>,
    assertion_id: CString,
    not_on_or_after: i64,
}

impl ezla_wk_identity {
    fn new(i: &Identity) -> Self {
        ezla_wk_identity {
            pesel: c_string(i.pesel.as_str()),
            given_name: c_string(&i.given_name),
            family_name: c_string(&i.family_name),
            birth_date: c_string(&format_date(i.birth_date)),
            loa: c_string(i.loa.uri()),
            authorities: i
                .authenticating_authorities
                .iter()
                .map(|a| c_string(a))
                .collect(),
            name_id: c_string(&i.name_id),
            session_index: opt_c_string(i.session_index.as_deref()),
            assertion_id: c_string(&i.assertion_id),
            not_on_or_after: unix(i.not_on_or_after),
        }
    }
}

/// Processes an ArtifactResponse (`data`, `len`: in its SOAP envelope, or bare) into an
/// identity, *sans-IO*, in the order of wk-saml.md §2.4: both signatures with the pinned
/// certificates only, the statuses, issuers and InResponseTo chain (`authn_request_id`,
/// and `artifact_resolve_id` unless NULL), the decryption, and the assertion's checks at
/// `now` (Unix seconds, or `EZLA_NOW`). Verification failure is never `EZLA_RESULT_OK`.
/// One-time use of the artifact and of the assertion (`ezla_wk_identity_assertion_id`) is
/// the caller's to record. On success `*identity_out` receives an identity to free with
/// `ezla_wk_identity_free`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`, the signature codes
/// (400–499: a signature that does not verify with a pinned key, a digest mismatch, a
/// wrapped or second signature), the SAML codes (700–799: `EZLA_RESULT_SAML_STATUS` for a
/// refusal by login.gov.pl — the message carries its status codes —, issuer, InResponseTo,
/// decryption, audience, recipient, validity, LoA, attributes), `EZLA_RESULT_XML_MALFORMED`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_process_artifact_response(
    config: *const ezla_wk_config,
    data: *const u8,
    len: usize,
    authn_request_id: *const c_char,
    artifact_resolve_id: *const c_char,
    now: i64,
    identity_out: *mut *mut ezla_wk_identity,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let config = arg_ref(config, "config")?;
        let data = arg_bytes(data, len, "data")?;
        let authn_request_id = arg_str(authn_request_id, "authn_request_id")?;
        let artifact_resolve_id = arg_opt_str(artifact_resolve_id, "artifact_resolve_id")?;
        let now = arg_time(now, "now")?;
        let out = out_ptr(identity_out, "identity_out")?;
        let identity = wk::process_artifact_response(
            &config.inner,
            data,
            artifact_resolve_id,
            authn_request_id,
            now,
        )?;
        write_box(out, ezla_wk_identity::new(&identity));
        Ok(())
    })
}

/// Frees an identity. `ezla_wk_identity_free(NULL)` does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_free(identity: *mut ezla_wk_identity) {
    boundary::getter((), || boundary::free_box(identity))
}

/// The PESEL (`PersonIdentifier`), check digit validated.
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_pesel(identity: *const ezla_wk_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.pesel.as_ptr())
    })
}
/// `CurrentGivenName`, verbatim.
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_given_name(identity: *const ezla_wk_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.given_name.as_ptr())
    })
}
/// `CurrentFamilyName`, verbatim.
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_family_name(identity: *const ezla_wk_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.family_name.as_ptr())
    })
}
/// `DateOfBirth` as `YYYY-MM-DD`.
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_birth_date(identity: *const ezla_wk_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.birth_date.as_ptr())
    })
}
/// The level of assurance reached, as its URI
/// (`http://eidas.europa.eu/LoA/substantial`).
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_loa(identity: *const ezla_wk_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.loa.as_ptr())
    })
}
/// `NameID` (needed for logout).
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_name_id(identity: *const ezla_wk_identity) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.name_id.as_ptr())
    })
}
/// The assertion's ID: record it against replay until `ezla_wk_identity_not_on_or_after`.
///
/// NULL when `identity` is NULL; otherwise valid until `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_assertion_id(
    identity: *const ezla_wk_identity,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |x| x.assertion_id.as_ptr())
    })
}

/// `AuthnStatement/@SessionIndex` (needed for logout).
///
/// NULL when absent or when `identity` is NULL; otherwise valid until
/// `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_session_index(
    identity: *const ezla_wk_identity,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity).map_or(std::ptr::null(), |i| opt_ptr(&i.session_index))
    })
}

/// The number of identity means (`AuthenticatingAuthority`); 0 when `identity` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_authority_count(identity: *const ezla_wk_identity) -> usize {
    boundary::getter(0, || {
        boundary::opt_ref(identity).map_or(0, |i| i.authorities.len())
    })
}

/// Identity means number `index` (`AuthenticatingAuthority`, e.g. `pz.gov.pl`).
///
/// NULL when out of range or when `identity` is NULL; otherwise valid until
/// `ezla_wk_identity_free`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_authority(
    identity: *const ezla_wk_identity,
    index: usize,
) -> *const c_char {
    boundary::getter(std::ptr::null(), || {
        boundary::opt_ref(identity)
            .and_then(|i| i.authorities.get(index))
            .map_or(std::ptr::null(), |a| a.as_ptr())
    })
}

/// The end of the assertion's validity (Unix seconds); 0 when `identity` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_wk_identity_not_on_or_after(identity: *const ezla_wk_identity) -> i64 {
    boundary::getter(0, || {
        boundary::opt_ref(identity).map_or(0, |i| i.not_on_or_after)
    })
}

/// **Tests and demos only**: an ArtifactResponse as login.gov.pl writes it (the core's
/// emulator), in its SOAP envelope, into `*response_out` (free with `ezla_buffer_free`): both
/// layers signed with `wk_key` (whose certificate `wk_cert` the configuration must pin), the
/// assertion for the 2018 simulator's test person (PESEL 87022243734, valid 30 minutes from
/// `now`) encrypted to the configuration's encryption certificate, answering
/// `authn_request_id` and `artifact_resolve_id`.
///
/// Errors: `EZLA_RESULT_NULL_PARAMETER`, `EZLA_RESULT_INVALID_UTF8`,
/// `EZLA_RESULT_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_test_wk_artifact_response(
    config: *const ezla_wk_config,
    wk_key: *const ezla_private_key,
    wk_cert: *const ezla_certificate,
    authn_request_id: *const c_char,
    artifact_resolve_id: *const c_char,
    now: i64,
    response_out: *mut ezla_buffer,
    err_out: *mut *mut ezla_error,
) -> ezla_result {
    boundary::call(err_out, || {
        let config = &arg_ref(config, "config")?.inner;
        let key = &arg_ref(wk_key, "wk_key")?.inner;
        let cert = &arg_ref(wk_cert, "wk_cert")?.inner;
        let authn = arg_str(authn_request_id, "authn_request_id")?;
        let resolve = arg_str(artifact_resolve_id, "artifact_resolve_id")?;
        let now = arg_time(now, "now")?;
        let out = out_ptr(response_out, "response_out")?;
        let issuer = &config.endpoints.issuer;
        let spec = wk::emulate::AssertionSpec::example(
            issuer,
            &config.entity_id,
            &config.acs_url,
            authn,
            now,
        );
        let encrypted = wk::encrypt_assertion(
            wk::emulate::assertion_xml(&spec).as_bytes(),
            config.keys.encryption_certificate.public_key(),
            issuer,
            &config.entity_id,
            32,
        )?;
        let response_id = wk::new_id()?;
        let inner = wk::emulate::response_xml(
            issuer,
            &response_id,
            authn,
            now,
            &wk::emulate::success(),
            Some(&encrypted),
        );
        let inner = wk::emulate::sign(key, cert, &inner, &response_id)?;
        let outer_id = wk::new_id()?;
        let outer = wk::emulate::artifact_response_xml(
            issuer,
            &outer_id,
            resolve,
            now,
            &wk::emulate::success(),
            Some(&inner),
        );
        let outer = wk::emulate::sign(key, cert, &outer, &outer_id)?;
        write(
            out,
            ezla_buffer::from_vec(wk::emulate::soap_envelope(&outer)),
        );
        Ok(())
    })
}
