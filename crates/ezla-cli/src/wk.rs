//! `ezla wk …`: the service provider's side of login.gov.pl (Węzeł Krajowy) from the command
//! line — keys and certificate requests for registration, the SP metadata, and inspecting a
//! saved `ArtifactResponse` with every check the service provider makes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use ezla::crypto::{KeyAgreement, KeySpec, PrivateKey};
use ezla::error::ErrorFamily;
use ezla::pki::keyfile::{self, read_private_key};
use ezla::pki::pkcs12::DEFAULT_WRITE_ITERATIONS;
use ezla::pki::{Certificate, CertificateRequest, KeyUsage, Name, PbeLimits};
use ezla::wk::{
    AssertionExpectations, Endpoints, Environment, Identity, Loa, ResponseExpectations,
    check_artifact_response, check_assertion, metadata,
};
use ezla::{Error, ErrorCode, Result};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use crate::exit;
use crate::files::{read_file, read_input, write_file};
use crate::password::PasswordArgs;

/// The file names `wk keygen` writes into its directory (and `wk metadata --keys` reads).
pub(crate) const SIGNING_KEY: &str = "sig.key.pem";
/// The signing certificate (self-signed).
pub(crate) const SIGNING_CERT: &str = "sig.crt.pem";
/// The signing key's PKCS#10 request.
pub(crate) const SIGNING_CSR: &str = "sig.csr";
/// The encryption (key agreement) key.
pub(crate) const ENCRYPTION_KEY: &str = "enc.key.pem";
/// The encryption certificate (self-signed).
pub(crate) const ENCRYPTION_CERT: &str = "enc.crt.pem";
/// The encryption key's PKCS#10 request.
pub(crate) const ENCRYPTION_CSR: &str = "enc.csr";

/// `ezla wk …`.
#[derive(Subcommand, Debug)]
pub(crate) enum WkCommand {
    /// Make the service provider's two P-256 keys — signing and encryption — in a directory:
    /// each key encrypted (PKCS#8, PBES2 AES-256), a self-signed certificate (for the
    /// simulator and the metadata until login.gov.pl's CA issues one) and a PKCS#10 request
    /// (`sig.csr`, `enc.csr`) to send with the registration.
    Keygen(KeygenArgs),
    /// Write the service provider's SAML metadata (entity ID, both certificates, the ACS
    /// with the HTTP-Artifact binding) for registration with login.gov.pl.
    Metadata(MetadataArgs),
    /// Check a saved ArtifactResponse as the service provider would: both signatures with
    /// the pinned login.gov.pl certificate only, the statuses, issuers and InResponseTo
    /// chain, the decryption with our key, and the assertion (audience, recipient, validity,
    /// LoA, attributes); print the identity. Exit status: 0 every check passed, 1 a check
    /// failed (the reason and its error code are printed), 3 a file or key cannot be read,
    /// 64 usage.
    Inspect(InspectArgs),
}

impl WkCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            WkCommand::Inspect(a) => a.json,
            WkCommand::Keygen(_) | WkCommand::Metadata(_) => false,
        }
    }
}

/// Options of `wk keygen`.
#[derive(Args, Debug)]
pub(crate) struct KeygenArgs {
    /// The directory to write into (created if missing): sig.key.pem, sig.crt.pem, sig.csr,
    /// enc.key.pem, enc.crt.pem, enc.csr.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Our entity ID as registered at login.gov.pl; the common names are
    /// `<ENTITY-ID>_sig_ec` and `<ENTITY-ID>_enc_ec` (login.gov.pl's own naming).
    #[arg(long, value_name = "ENTITY-ID")]
    entity_id: String,
    /// Organization (`O`) of the subjects.
    #[arg(long)]
    organization: Option<String>,
    /// Country (`C`) of the subjects.
    #[arg(long, default_value = "PL")]
    country: String,
    /// Validity of the self-signed certificates, in days from now.
    #[arg(long, default_value_t = 730)]
    days: u32,
    /// PBKDF2 iterations for the key files.
    #[arg(long, default_value_t = DEFAULT_WRITE_ITERATIONS)]
    iterations: u32,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    password: PasswordArgs,
}

/// Options of `wk metadata`.
#[derive(Args, Debug)]
pub(crate) struct MetadataArgs {
    /// The directory `wk keygen` wrote (its sig.crt.pem and enc.crt.pem are used).
    #[arg(long, value_name = "DIR", required_unless_present_all = ["sig_cert", "enc_cert"])]
    keys: Option<PathBuf>,
    /// The signing certificate (PEM or DER), instead of --keys.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "keys",
        requires = "enc_cert"
    )]
    sig_cert: Option<PathBuf>,
    /// The encryption certificate (PEM or DER), instead of --keys.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "keys",
        requires = "sig_cert"
    )]
    enc_cert: Option<PathBuf>,
    /// Our entity ID.
    #[arg(long, value_name = "ENTITY-ID")]
    entity_id: String,
    /// Our assertion consumer service URL (where login.gov.pl sends the artifact).
    #[arg(long, value_name = "URL")]
    acs_url: String,
    /// The ProviderName provisioned for us (written as the organization's name).
    #[arg(long, value_name = "NAME")]
    provider_name: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite --out if it exists.
    #[arg(long)]
    force: bool,
}

/// A login.gov.pl environment (for the expected `Issuer`).
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum EnvironmentArg {
    /// login.gov.pl.
    Production,
    /// podmiotyzewnetrzne.login.gov.pl.
    ProductionPrivate,
    /// int.login.gov.pl.
    Integration,
    /// int-podmiotyzewnetrzne.login.gov.pl.
    IntegrationPrivate,
    /// COI's simulator (issuer localhost.wk.gov.pl).
    Simulator,
}

impl From<EnvironmentArg> for Environment {
    fn from(e: EnvironmentArg) -> Environment {
        match e {
            EnvironmentArg::Production => Environment::Production,
            EnvironmentArg::ProductionPrivate => Environment::ProductionPrivate,
            EnvironmentArg::Integration => Environment::Integration,
            EnvironmentArg::IntegrationPrivate => Environment::IntegrationPrivate,
            EnvironmentArg::Simulator => Environment::Simulator,
        }
    }
}

/// A level of assurance.
// The variants' docs are the values' help in `--help`, where a URL reads as itself.
#[allow(rustdoc::bare_urls)]
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum LoaArg {
    /// http://eidas.europa.eu/LoA/low.
    Low,
    /// http://eidas.europa.eu/LoA/substantial.
    Substantial,
    /// http://eidas.europa.eu/LoA/high.
    High,
}

impl From<LoaArg> for Loa {
    fn from(l: LoaArg) -> Loa {
        match l {
            LoaArg::Low => Loa::Low,
            LoaArg::Substantial => Loa::Substantial,
            LoaArg::High => Loa::High,
        }
    }
}

/// Options of `wk inspect`.
#[derive(Args, Debug)]
pub(crate) struct InspectArgs {
    /// The ArtifactResponse, in its SOAP envelope or bare (`-`: standard input).
    response: PathBuf,
    /// Our encryption key (PEM or DER; asked for its password when encrypted).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// login.gov.pl's signing certificate, pinned (repeat during a rollover). The
    /// response's KeyInfo is never used.
    #[arg(long, value_name = "FILE", required = true)]
    wk_cert: Vec<PathBuf>,
    /// The environment, for login.gov.pl's expected Issuer.
    #[arg(long, value_enum, default_value = "production")]
    environment: EnvironmentArg,
    /// The expected Issuer, instead of the environment's.
    #[arg(long, value_name = "ISSUER")]
    issuer: Option<String>,
    /// Our entity ID (the assertion's Audience).
    #[arg(long, value_name = "ENTITY-ID")]
    entity_id: String,
    /// Our ACS URL (the assertion's Recipient).
    #[arg(long, value_name = "URL")]
    acs_url: String,
    /// The ID of our AuthnRequest; without it the Response's own InResponseTo is taken and
    /// only the assertion's agreement with it is checked.
    #[arg(long, value_name = "ID")]
    request_id: Option<String>,
    /// The ID of our ArtifactResolve (the ArtifactResponse's InResponseTo); not checked
    /// without it.
    #[arg(long, value_name = "ID")]
    resolve_id: Option<String>,
    /// The lowest acceptable level of assurance.
    #[arg(long, value_enum, default_value = "substantial")]
    min_loa: LoaArg,
    /// Check the validity windows at this instant (RFC 3339 or a date) instead of now.
    #[arg(long, value_name = "TIME", value_parser = crate::cert::parse_time)]
    at: Option<OffsetDateTime>,
    /// Allowed clock difference, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 180)]
    clock_skew: u32,
    #[command(flatten)]
    password: PasswordArgs,
    /// Print JSON: `{"valid": true, "identity": {…}, "checked": {…}}`, or `{"valid": false,
    /// "error": {"code", "name", "family", "message"}}`.
    #[arg(long)]
    json: bool,
}

/// Runs `ezla wk …`.
pub(crate) fn run(command: WkCommand) -> Result<ExitCode> {
    match command {
        WkCommand::Keygen(a) => keygen(&a),
        WkCommand::Metadata(a) => write_metadata(&a),
        WkCommand::Inspect(a) => inspect(&a),
    }
}

fn subject(a: &KeygenArgs, suffix: &str) -> Result<Name> {
    if a.entity_id.trim().is_empty() {
        return Err(Error::invalid_argument("--entity-id", "is empty"));
    }
    let mut b = Name::builder().country(a.country.clone());
    if let Some(o) = &a.organization {
        b = b.organization(o.clone());
    }
    b.common_name(format!("{}_{suffix}", a.entity_id)).build()
}

fn keygen(a: &KeygenArgs) -> Result<ExitCode> {
    let files = [
        SIGNING_KEY,
        SIGNING_CERT,
        SIGNING_CSR,
        ENCRYPTION_KEY,
        ENCRYPTION_CERT,
        ENCRYPTION_CSR,
    ];
    if !a.force
        && let Some(existing) = files.iter().map(|f| a.out.join(f)).find(|p| p.exists())
    {
        return Err(Error::invalid_argument(
            "--out",
            format!("{} exists (use --force to overwrite)", existing.display()),
        ));
    }
    let password = a.password.for_writing("the login.gov.pl keys")?;
    let now = crate::cert::now();
    let mut written = Vec::new();
    let mut made = Vec::new();
    for (suffix, usage, key_file, cert_file, csr_file) in [
        (
            "sig_ec",
            KeyUsage::DIGITAL_SIGNATURE,
            SIGNING_KEY,
            SIGNING_CERT,
            SIGNING_CSR,
        ),
        (
            "enc_ec",
            KeyUsage::KEY_AGREEMENT | KeyUsage::KEY_ENCIPHERMENT | KeyUsage::DATA_ENCIPHERMENT,
            ENCRYPTION_KEY,
            ENCRYPTION_CERT,
            ENCRYPTION_CSR,
        ),
    ] {
        let name = subject(a, suffix)?;
        let key = PrivateKey::generate(KeySpec::EcP256)?;
        let certificate = ezla::pki::self_signed_certificate(&key, &name, usage, now, a.days)?;
        let request = CertificateRequest::new(&key, &name, None)?;
        let key_pem = Zeroizing::new(keyfile::encrypt_private_key_pem(
            &key,
            &password,
            Some(a.iterations),
        )?);
        made.push((key_file, key_pem, cert_file, certificate, csr_file, request));
    }
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    for (key_file, key_pem, cert_file, certificate, csr_file, request) in &made {
        write_file(&a.out.join(key_file), key_pem.as_bytes(), a.force, true)?;
        write_file(
            &a.out.join(cert_file),
            certificate.to_pem().as_bytes(),
            a.force,
            false,
        )?;
        write_file(
            &a.out.join(csr_file),
            request.to_pem().as_bytes(),
            a.force,
            false,
        )?;
        written.push(format!("{} ({})", cert_file, certificate.subject()));
    }
    eprintln!(
        "wrote the signing and encryption keys (P-256, encrypted), self-signed certificates \
         and requests into {}: {}",
        a.out.display(),
        written.join(", ")
    );
    Ok(exit::code(exit::SUCCESS))
}

fn read_certificate(path: &Path) -> Result<Certificate> {
    Certificate::from_der_or_pem(&read_file(path)?)
}

fn write_metadata(a: &MetadataArgs) -> Result<ExitCode> {
    let (sig, enc) = match (&a.keys, &a.sig_cert, &a.enc_cert) {
        (Some(dir), _, _) => (dir.join(SIGNING_CERT), dir.join(ENCRYPTION_CERT)),
        (None, Some(s), Some(e)) => (s.clone(), e.clone()),
        _ => {
            return Err(Error::invalid_argument(
                "--keys",
                "give --keys DIR, or --sig-cert and --enc-cert",
            ));
        }
    };
    let (sig, enc) = (read_certificate(&sig)?, read_certificate(&enc)?);
    let xml = metadata::sp_metadata_for(
        &a.entity_id,
        &a.acs_url,
        a.provider_name.as_deref(),
        &sig,
        &enc,
    );
    match &a.out {
        Some(path) => {
            write_file(path, xml.as_bytes(), a.force, false)?;
            eprintln!(
                "wrote the metadata of {} into {}",
                a.entity_id,
                path.display()
            );
        }
        None => println!("{xml}"),
    }
    Ok(exit::code(exit::SUCCESS))
}

/// Reads a private key, asking for a password only when the file is encrypted.
fn read_key(path: &Path, password: &PasswordArgs) -> Result<PrivateKey> {
    let data = Zeroizing::new(read_file(path)?);
    let limits = PbeLimits::default();
    if !password.given() {
        match read_private_key(&data, None, &limits) {
            Err(Error::InvalidArgument { .. }) => {}
            other => return other,
        }
    }
    let pw = password.for_reading(&path.display().to_string())?;
    read_private_key(&data, pw.as_ref().map(|p| p.as_str()), &limits)
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// What `inspect` compared, beside the identity.
struct Checked {
    issuer: String,
    request_id: String,
    request_id_given: bool,
    resolve_id: Option<String>,
    artifact_response_id: String,
    response_id: String,
    at: OffsetDateTime,
}

/// Every check of the service provider over the response, with the inputs of `a`.
fn check(
    a: &InspectArgs,
    bytes: &[u8],
    key: &PrivateKey,
    wk_certs: &[Certificate],
) -> Result<(Identity, Checked)> {
    let issuer = a
        .issuer
        .clone()
        .unwrap_or_else(|| Endpoints::preset(a.environment.into()).issuer);
    let wk_keys: Vec<_> = wk_certs.iter().map(|c| c.public_key().clone()).collect();
    let keys: [&dyn KeyAgreement; 1] = [key];
    let response = check_artifact_response(
        bytes,
        &ResponseExpectations {
            artifact_resolve_id: a.resolve_id.as_deref(),
            authn_request_id: a.request_id.as_deref(),
            issuer: &issuer,
            wk_keys: &wk_keys,
        },
        &keys,
    )?;
    let request_id = a
        .request_id
        .clone()
        .unwrap_or_else(|| response.in_response_to.clone());
    let at = a.at.unwrap_or_else(crate::cert::now);
    let identity = check_assertion(
        &response.assertion,
        &AssertionExpectations {
            issuer: &issuer,
            entity_id: &a.entity_id,
            acs_url: &a.acs_url,
            authn_request_id: &request_id,
            min_loa: a.min_loa.into(),
            now: at,
            clock_skew: time::Duration::seconds(i64::from(a.clock_skew)),
        },
    )?;
    Ok((
        identity,
        Checked {
            issuer,
            request_id,
            request_id_given: a.request_id.is_some(),
            resolve_id: a.resolve_id.clone(),
            artifact_response_id: response.artifact_response_id,
            response_id: response.response_id,
            at,
        },
    ))
}

/// The exit status for a failed check: a refusal is a negative verdict; only an internal
/// failure means the command could not do its job.
pub(crate) fn status_for_refusal(e: &Error) -> u8 {
    if e.code() == ErrorCode::Internal || e.family() == ErrorFamily::Internal {
        exit::ERROR
    } else {
        exit::NEGATIVE
    }
}

fn inspect(a: &InspectArgs) -> Result<ExitCode> {
    let bytes = read_input(&a.response)?;
    let key = read_key(&a.key, &a.password)?;
    let wk_certs = a
        .wk_cert
        .iter()
        .map(|p| read_certificate(p))
        .collect::<Result<Vec<_>>>()?;
    match check(a, &bytes, &key, &wk_certs) {
        Ok((identity, checked)) => {
            if a.json {
                let v = json!({
                    "valid": true,
                    "identity": identity_json(&identity),
                    "checked": checked_json(&checked),
                });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print!("{}", identity_text(&identity, &checked));
            }
            Ok(exit::code(exit::SUCCESS))
        }
        Err(e) => {
            if a.json {
                let v = json!({ "valid": false, "error": crate::error_value(&e) });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                println!(
                    "INVALID: {e} (code {}, {})",
                    e.code() as u32,
                    e.code().name()
                );
            }
            Ok(exit::code(status_for_refusal(&e)))
        }
    }
}

fn identity_json(i: &Identity) -> Value {
    json!({
        "pesel": i.pesel.as_str(),
        "given_name": i.given_name,
        "family_name": i.family_name,
        "birth_date": i.birth_date.to_string(),
        "loa": i.loa.uri(),
        "authenticating_authorities": i.authenticating_authorities,
        "name_id": i.name_id,
        "name_id_format": i.name_id_format,
        "session_index": i.session_index,
        "authn_instant": i.authn_instant.map(rfc3339),
        "assertion_id": i.assertion_id,
        "not_on_or_after": rfc3339(i.not_on_or_after),
    })
}

fn checked_json(c: &Checked) -> Value {
    json!({
        "issuer": c.issuer,
        "authn_request_id": c.request_id,
        "authn_request_id_given": c.request_id_given,
        "artifact_resolve_id": c.resolve_id,
        "artifact_response_id": c.artifact_response_id,
        "response_id": c.response_id,
        "at": rfc3339(c.at),
    })
}

fn identity_text(i: &Identity, c: &Checked) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "VALID: both signatures verify with the pinned certificate, the assertion decrypts \
         and passes its checks\n",
    );
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "PESEL: {}", i.pesel.as_str());
    let _ = writeln!(out, "Given name: {}", i.given_name);
    let _ = writeln!(out, "Family name: {}", i.family_name);
    let _ = writeln!(out, "Date of birth: {}", i.birth_date);
    let _ = writeln!(out, "Level of assurance: {}", i.loa.uri());
    let _ = writeln!(
        out,
        "Authenticating authority: {}",
        i.authenticating_authorities.join(", ")
    );
    let _ = writeln!(out, "NameID: {}", i.name_id);
    let _ = writeln!(out, "SessionIndex: {}", opt(&i.session_index));
    let _ = writeln!(out, "Assertion ID: {}", i.assertion_id);
    let _ = writeln!(out, "Valid until: {}", rfc3339(i.not_on_or_after));
    let _ = writeln!(out, "Issuer: {}", c.issuer);
    let _ = writeln!(
        out,
        "AuthnRequest ID: {}{}",
        c.request_id,
        if c.request_id_given {
            ""
        } else {
            " (taken from the Response; give --request-id to check it)"
        }
    );
    let _ = writeln!(
        out,
        "ArtifactResolve ID: {}",
        c.resolve_id
            .as_deref()
            .unwrap_or("not checked (give --resolve-id)")
    );
    let _ = writeln!(out, "Checked at: {}", rfc3339(c.at));
    out
}
