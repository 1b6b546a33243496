//! `ezla cert …`: inspect certificates and `.pfx` files, watch expiry, make requests,
//! bundle and convert key stores — plus a test CA for demos, clearly marked as such.

mod render;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use ezla::crypto::{KeySpec, PrivateKey, Signer};
use ezla::error::{FormatError, KeyError};
use ezla::pki::monitor::{ScannedPath, certificate_files};
use ezla::pki::pkcs12::{DEFAULT_WRITE_ITERATIONS, Pkcs12};
use ezla::pki::testca::{DoctorSpec, IssueOptions, TestCa};
use ezla::pki::{
    Certificate, CertificateRequest, CertificateSummary, ExpiryPolicy, Identity, InputKind, Name,
    PbeLimits, Pkcs12Builder, Pkcs12Options, keyfile,
};
use ezla::{Error, Result};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::files::{read_file, write_file};
use crate::password::{KeyPasswordArgs, NewPasswordArgs, Password, PasswordArgs};

#[derive(Subcommand, Debug)]
pub(crate) enum CertCommand {
    /// Show what a certificate (DER or PEM) or a .pfx/.p12 file holds.
    Info(InfoArgs),
    /// Check certificates (files, or every certificate file of directories) against the ZUS
    /// expiry policy, and with --crl/--crl-fetch their issuers' CRLs, for monitoring: a
    /// table, JSON or Prometheus metrics. Exit status, the monitoring plugins'
    /// OK/WARNING/CRITICAL/UNKNOWN: 0 all valid, 1 any in the renewal window or expiring, 2
    /// any expired, not yet valid or revoked, 3 any file unreadable or revocation status
    /// unknown (2 wins over 3, 3 over 1); 64 usage.
    Check(CheckArgs),
    /// Generate a key and a PKCS#10 certificate request; the key is saved encrypted.
    Csr(CsrArgs),
    /// Bundle a private key with its certificate (and chain) into a modern .pfx.
    Bundle(BundleArgs),
    /// Re-encrypt a .pfx (for example a legacy RC2/3DES one) in the modern format.
    Convert(ConvertArgs),
    /// TEST ONLY: create a throw-away certificate authority. Its certificates are trusted by
    /// nobody; never use them for real documents.
    TestCa(TestCaArgs),
    /// TEST ONLY: issue a doctor's .pfx shaped like a ZUS certificate from the test CA.
    TestDoctor(TestDoctorArgs),
    /// TEST ONLY: issue a certificate for a request (from `ezla cert csr`) with the test CA.
    TestIssue(TestIssueArgs),
}

/// Options of `cert info`.
#[derive(Args, Debug)]
pub(crate) struct InfoArgs {
    /// The file: a certificate (DER or PEM, several in a PEM bundle) or a .pfx/.p12.
    file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    when: When,
    #[command(flatten)]
    password: PasswordArgs,
}

/// Options of `cert check`.
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// The files to check (certificates or .pfx files; all .pfx files use the same
    /// password), or directories: every .pfx, .p12, .crt, .cer, .pem and .der file in them,
    /// in name order.
    #[arg(required = true, value_name = "FILE|DIR")]
    files: Vec<PathBuf>,
    /// Look into the directories' subdirectories too.
    #[arg(long, short = 'r')]
    recursive: bool,
    /// The output: a table for people, JSON, or Prometheus metrics (the text format of
    /// node_exporter's textfile collector).
    #[arg(long, value_enum, default_value = "table")]
    format: CheckFormat,
    /// Print JSON instead of a table (the same as `--format json`).
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Write the output to this file instead of standard output, atomically (a temporary
    /// file in the same directory, then renamed over it), as the textfile collector needs.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    revocation: crate::revocation::RevocationArgs,
    /// With `--crl`/`--crl-fetch`: the issuers' CA certificates (PEM or DER; repeatable),
    /// which verify the CRLs. Also looked for: the chains the .pfx files carry and the other
    /// certificates checked.
    #[arg(long, value_name = "CA")]
    issuer: Vec<PathBuf>,
    #[command(flatten)]
    when: When,
    #[command(flatten)]
    password: PasswordArgs,
}

impl CheckArgs {
    fn format(&self) -> CheckFormat {
        if self.json {
            CheckFormat::Json
        } else {
            self.format
        }
    }
}

/// The outputs of `cert check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// One line per certificate, for people.
    Table,
    /// The JSON form (see docs/cli.md).
    Json,
    /// Prometheus text exposition format (gauges per certificate).
    Prometheus,
}

/// The instant and thresholds of the expiry policy.
#[derive(Args, Debug)]
pub(crate) struct When {
    /// Judge at this instant instead of now (RFC 3339, or a date meaning midnight UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<OffsetDateTime>,
    /// Days before expiry when a new certificate may be requested (ZUS: 28).
    #[arg(long, value_name = "DAYS", default_value_t = ExpiryPolicy::ZUS.renewal_window_days)]
    renewal_days: u32,
    /// Days before expiry when the certificate counts as expiring, a WARNING for `cert
    /// check` (ZUS warns at 14). `--warning-days` is the same.
    #[arg(
        long = "warn-days",
        visible_alias = "warning-days",
        value_name = "DAYS",
        default_value_t = ExpiryPolicy::ZUS.warning_days
    )]
    warning_days: u32,
}

impl When {
    fn instant(&self) -> OffsetDateTime {
        self.at.unwrap_or_else(now)
    }

    fn policy(&self) -> ExpiryPolicy {
        ExpiryPolicy {
            renewal_window_days: self.renewal_days,
            warning_days: self.warning_days,
        }
    }
}

/// The kinds of keys `cert csr` and `cert test-doctor` make.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum KeyType {
    /// RSA, 2048 bits.
    Rsa2048,
    /// RSA, 3072 bits.
    Rsa3072,
    /// RSA, 4096 bits.
    Rsa4096,
    /// ECDSA on NIST P-256.
    P256,
}

impl From<KeyType> for KeySpec {
    fn from(k: KeyType) -> KeySpec {
        match k {
            KeyType::Rsa2048 => KeySpec::Rsa2048,
            KeyType::Rsa3072 => KeySpec::Rsa3072,
            KeyType::Rsa4096 => KeySpec::Rsa4096,
            KeyType::P256 => KeySpec::EcP256,
        }
    }
}

/// The subject of a new request.
#[derive(Args, Debug)]
pub(crate) struct SubjectArgs {
    /// Given name (`givenName`).
    #[arg(long)]
    given_name: Option<String>,
    /// Surname (`sn`).
    #[arg(long)]
    surname: Option<String>,
    /// Common name (`CN`); default: the given name and the surname.
    #[arg(long)]
    common_name: Option<String>,
    /// PESEL, written as `serialNumber=PNOPL-<PESEL>` (checked).
    #[arg(long, conflicts_with = "serial_number")]
    pesel: Option<String>,
    /// Any other `serialNumber` value.
    #[arg(long)]
    serial_number: Option<String>,
    /// Organization (`O`).
    #[arg(long)]
    organization: Option<String>,
    /// Organizational unit (`OU`).
    #[arg(long)]
    organizational_unit: Option<String>,
    /// Locality (`L`).
    #[arg(long)]
    locality: Option<String>,
    /// Country (`C`).
    #[arg(long, default_value = "PL")]
    country: String,
}

impl SubjectArgs {
    fn name(&self) -> Result<Name> {
        let mut b = Name::builder().country(self.country.clone());
        if let Some(v) = &self.organization {
            b = b.organization(v.clone());
        }
        if let Some(v) = &self.organizational_unit {
            b = b.organizational_unit(v.clone());
        }
        if let Some(v) = &self.locality {
            b = b.locality(v.clone());
        }
        if let Some(v) = &self.surname {
            b = b.surname(v.clone());
        }
        if let Some(v) = &self.given_name {
            b = b.given_name(v.clone());
        }
        if let Some(p) = &self.pesel {
            let pesel = ezla::pl::Pesel::parse(p)?;
            b = b.serial_number(format!("PNOPL-{pesel}"));
        }
        if let Some(v) = &self.serial_number {
            b = b.serial_number(v.clone());
        }
        let cn = match (&self.common_name, &self.given_name, &self.surname) {
            (Some(cn), _, _) => Some(cn.clone()),
            (None, Some(g), Some(s)) => Some(format!("{g} {s}")),
            _ => None,
        };
        match cn {
            Some(cn) => b.common_name(cn).build(),
            None => Err(Error::invalid_argument(
                "--common-name",
                "give --common-name, or --given-name and --surname",
            )),
        }
    }
}

/// Options of `cert csr`.
#[derive(Args, Debug)]
pub(crate) struct CsrArgs {
    /// The key to generate.
    #[arg(long, value_enum, default_value = "rsa2048")]
    key_type: KeyType,
    #[command(flatten)]
    subject: SubjectArgs,
    /// Ask for this e-mail address as a subject alternative name.
    #[arg(long)]
    email: Option<String>,
    /// Where to write the request (PEM).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// Where to write the new key (encrypted PKCS#8 PEM, PBES2 AES-256).
    #[arg(long, value_name = "FILE")]
    key_out: PathBuf,
    /// PBKDF2 iterations for the key file.
    #[arg(long, default_value_t = DEFAULT_WRITE_ITERATIONS)]
    iterations: u32,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    password: PasswordArgs,
}

/// Options of `cert bundle`.
#[derive(Args, Debug)]
pub(crate) struct BundleArgs {
    /// The private key (PEM or DER; encrypted PKCS#8, PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The certificate for the key (DER or PEM; a PEM file may hold the chain too).
    #[arg(long, value_name = "FILE")]
    cert: PathBuf,
    /// Chain certificates (DER or PEM), repeatable.
    #[arg(long, value_name = "FILE")]
    chain: Vec<PathBuf>,
    /// Where to write the .pfx.
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// The friendly name (keytool's alias); default the certificate's common name.
    #[arg(long)]
    name: Option<String>,
    /// PBKDF2 and MAC iterations.
    #[arg(long, default_value_t = DEFAULT_WRITE_ITERATIONS)]
    iterations: u32,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// The password of the new .pfx.
    #[command(flatten)]
    password: PasswordArgs,
    /// The key file's password (default: the .pfx password).
    #[command(flatten)]
    key_password: KeyPasswordArgs,
}

/// Options of `cert convert`.
#[derive(Args, Debug)]
pub(crate) struct ConvertArgs {
    /// The .pfx to convert.
    input: PathBuf,
    /// Where to write the modern .pfx.
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// PBKDF2 and MAC iterations.
    #[arg(long, default_value_t = DEFAULT_WRITE_ITERATIONS)]
    iterations: u32,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    /// The password of the input .pfx.
    #[command(flatten)]
    password: PasswordArgs,
    /// A new password for the output (default: the same).
    #[command(flatten)]
    new_password: NewPasswordArgs,
    /// Accept an input .pfx without integrity protection (no MAC). Such a file could have
    /// been altered and its password was not checked; converting it would give it a MAC.
    #[arg(long)]
    allow_unprotected_pfx: bool,
}

/// Options of `cert test-ca`.
#[derive(Args, Debug)]
pub(crate) struct TestCaArgs {
    /// The directory to write `ca.crt` and `ca.key` (unencrypted!) into.
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
    /// The CA's common name.
    #[arg(long, default_value = "ezla TEST CA - not for real documents")]
    common_name: String,
    /// Validity in days.
    #[arg(long, default_value_t = 3650)]
    days: u32,
    /// Start of validity (default now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    not_before: Option<OffsetDateTime>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

/// Options of `cert test-doctor`.
#[derive(Args, Debug)]
pub(crate) struct TestDoctorArgs {
    /// The test CA directory (from `ezla cert test-ca`).
    #[arg(long, value_name = "DIR")]
    ca: PathBuf,
    /// Given name.
    #[arg(long)]
    given_name: String,
    /// Surname.
    #[arg(long)]
    surname: String,
    /// PESEL (checked), written as `serialNumber=PNOPL-<PESEL>`.
    #[arg(long)]
    pesel: String,
    /// An e-mail subject alternative name.
    #[arg(long)]
    email: Option<String>,
    /// The key to generate.
    #[arg(long, value_enum, default_value = "rsa2048")]
    key_type: KeyType,
    /// Start of validity (default now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    not_before: Option<OffsetDateTime>,
    /// Validity in days (default five years, like ZUS certificates).
    #[arg(long)]
    days: Option<u32>,
    /// The CRL distribution point to write (default a test URL that never resolves), e.g.
    /// a local server that serves the CA's CRL, for `--crl-fetch`.
    #[arg(long, value_name = "URL")]
    crl_url: Option<String>,
    /// Where to write the .pfx.
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// PBKDF2 and MAC iterations.
    #[arg(long, default_value_t = DEFAULT_WRITE_ITERATIONS)]
    iterations: u32,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    password: PasswordArgs,
}

/// Options of `cert test-issue`.
#[derive(Args, Debug)]
pub(crate) struct TestIssueArgs {
    /// The test CA directory (from `ezla cert test-ca`).
    #[arg(long, value_name = "DIR")]
    ca: PathBuf,
    /// The request (PEM or DER).
    #[arg(long, value_name = "FILE")]
    csr: PathBuf,
    /// Start of validity (default now).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    not_before: Option<OffsetDateTime>,
    /// Validity in days (default five years).
    #[arg(long)]
    days: Option<u32>,
    /// Where to write the certificate (PEM).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
}

/// Runs a `cert` command.
impl CertCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            CertCommand::Info(a) => a.json,
            CertCommand::Check(a) => a.format() == CheckFormat::Json,
            _ => false,
        }
    }
}

pub(crate) fn run(command: CertCommand) -> Result<ExitCode> {
    match command {
        CertCommand::Info(a) => info(&a),
        CertCommand::Check(a) => Ok(check(&a)),
        CertCommand::Csr(a) => csr(&a),
        CertCommand::Bundle(a) => bundle(&a),
        CertCommand::Convert(a) => convert(&a),
        CertCommand::TestCa(a) => test_ca(&a),
        CertCommand::TestDoctor(a) => test_doctor(&a),
        CertCommand::TestIssue(a) => test_issue(&a),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading inputs

/// What a file turned out to hold.
pub(crate) struct Loaded {
    /// The certificates: for a .pfx with a key, the key's certificate first, then its chain.
    pub(crate) certificates: Vec<Certificate>,
    /// The PKCS#12 contents, for .pfx files.
    pub(crate) pkcs12: Option<Pkcs12>,
}

/// Reads a certificate file or a key store; `password` is asked for only for PKCS#12 files.
fn load(path: &Path, password: &dyn Fn(&Path) -> Result<Password>) -> Result<Loaded> {
    let data = read_file(path)?;
    match ezla::pki::detect(&data) {
        InputKind::Pem => {
            let certificates = Certificate::all_from_pem(&data)?;
            if certificates.is_empty() {
                return Err(Error::Format(FormatError::Unknown {
                    what: path.display().to_string(),
                    expected: "PEM with CERTIFICATE blocks",
                }));
            }
            Ok(Loaded {
                certificates,
                pkcs12: None,
            })
        }
        InputKind::Certificate => Ok(Loaded {
            certificates: vec![Certificate::from_der(&data)?],
            pkcs12: None,
        }),
        InputKind::Pkcs12 => {
            let pw = password(path)?;
            // Inspecting is not signing: a file without a MAC is shown (with a warning), not
            // refused.
            let p = Pkcs12::parse(
                &data,
                pw.as_deref().map(String::as_str),
                &Pkcs12Options::default().allowing_unprotected(true),
            )?;
            let mut certificates: Vec<Certificate> = Vec::new();
            if !p.keys.is_empty() {
                let id = Identity::from_pkcs12_contents(p.clone())?;
                certificates.push(id.certificate);
                certificates.extend(id.chain);
            }
            for c in &p.certificates {
                if !certificates.contains(&c.certificate) {
                    certificates.push(c.certificate.clone());
                }
            }
            Ok(Loaded {
                certificates,
                pkcs12: Some(p),
            })
        }
        _ => Err(Error::Format(FormatError::Unknown {
            what: path.display().to_string(),
            expected: "a certificate (DER or PEM) or a PKCS#12 (.pfx/.p12) file",
        })),
    }
}

/// The warning for a .pfx without integrity protection, naming the file.
pub(crate) fn unprotected_warning(path: &Path) -> String {
    format!(
        "warning: {}: no integrity protection (no MAC): the file could have been altered and \
         its password was not checked; `ezla sign` refuses it without --allow-unprotected-pfx",
        path.display()
    )
}

/// Reads every certificate of one or more DER/PEM files.
pub(crate) fn read_certificates(paths: &[&Path]) -> Result<Vec<Certificate>> {
    let mut out = Vec::new();
    for path in paths {
        let data = read_file(path)?;
        match ezla::pki::detect(&data) {
            InputKind::Pem => out.extend(Certificate::all_from_pem(&data)?),
            _ => out.push(Certificate::from_der(&data)?),
        }
    }
    Ok(out)
}

/// Java cannot open PBES2 files protected by non-ASCII passwords: say so when writing one.
fn note_password(password: &str) {
    if !password.is_ascii() {
        eprintln!(
            "note: the password has non-ASCII characters; OpenSSL and ezla open the file, \
             Java's keytool and KeyStore cannot"
        );
    }
}

pub(crate) fn parse_time(s: &str) -> std::result::Result<OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| {
            format!("`{s}` is neither RFC 3339 (2026-05-01T12:00:00Z) nor a date (2026-05-01)")
        })
}

/// `cert check`'s status for one certificate's expiry status.
pub(crate) fn severity(status: ezla::pki::ExpiryStatus) -> u8 {
    render::severity(Some(status))
}

pub(crate) fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(0).unwrap_or(t)
}

// ---------------------------------------------------------------------------------------------
// Commands

fn info(a: &InfoArgs) -> Result<ExitCode> {
    let loaded = load(&a.file, &|p| {
        a.password.for_reading(&p.display().to_string())
    })?;
    let at = a.when.instant();
    let policy = a.when.policy();
    if a.json {
        let v = render::info_json(&a.file, &loaded, at, &policy);
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", render::info_text(&a.file, &loaded, at, &policy));
    }
    Ok(ExitCode::SUCCESS)
}

fn check(a: &CheckArgs) -> ExitCode {
    let format = a.format();
    let fail = |e: &Error| {
        if format == CheckFormat::Json {
            println!("{}", crate::error_json(e));
        }
        crate::report(e);
        crate::exit::code(crate::exit::for_error(e))
    };
    let mut summary = CertificateSummary::new(a.when.policy(), a.when.instant());
    // One password for every .pfx: read it once when it comes from a file or a variable.
    let shared = if a.password.given() {
        match a.password.for_reading("the .pfx files") {
            Ok(p) => Some(p),
            Err(e) => return fail(&e),
        }
    } else {
        None
    };
    for found in certificate_files(&a.files, a.recursive) {
        let file = match found {
            ScannedPath::File(f) => f,
            ScannedPath::Failed { path, error } => {
                summary.add_unreadable(path.display().to_string(), &error);
                continue;
            }
        };
        let source = file.display().to_string();
        let data = match read_file(&file) {
            Ok(d) => d,
            Err(e) => {
                summary.add_unreadable(source, &e);
                continue;
            }
        };
        // A password only for PKCS#12 files, asked for each when it is not shared.
        let password = match (ezla::pki::detect(&data), &shared) {
            (InputKind::Pkcs12, Some(pw)) => Ok(pw.clone()),
            (InputKind::Pkcs12, None) => a.password.for_reading(&source),
            _ => Ok(None),
        };
        match password {
            Ok(pw) => summary.add_contents(source, &data, pw.as_deref().map(String::as_str)),
            Err(e) => summary.add_unreadable(source, &e),
        }
    }
    // Revocation: a CRL per issuer, given or fetched; a revoked certificate is CRITICAL, one
    // whose status cannot be told UNKNOWN.
    let checker = match a.revocation.checker() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    if let Some(checker) = checker {
        let paths: Vec<&Path> = a.issuer.iter().map(PathBuf::as_path).collect();
        let issuers = match read_certificates(&paths) {
            Ok(i) => i,
            Err(e) => return fail(&e),
        };
        summary.check_revocation(&checker, &issuers);
    } else if !a.issuer.is_empty() {
        return fail(&Error::invalid_argument(
            "--issuer",
            "is used with --crl or --crl-fetch",
        ));
    }
    let mut text = match format {
        CheckFormat::Json => {
            let mut t = summary.to_json();
            t.push('\n');
            t
        }
        CheckFormat::Prometheus => summary.to_prometheus(),
        CheckFormat::Table => summary.to_table(),
    };
    if format == CheckFormat::Table {
        let mut warned: Vec<&str> = Vec::new();
        for r in summary
            .certificates()
            .filter(|r| r.integrity_protected == Some(false))
        {
            if !warned.contains(&r.source.as_str()) {
                warned.push(&r.source);
                text.push_str(&unprotected_warning(Path::new(&r.source)));
                text.push('\n');
            }
        }
    }
    match &a.out {
        Some(path) => {
            if let Err(e) = crate::files::write_atomically(path, text.as_bytes()) {
                return fail(&e);
            }
        }
        None => print!("{text}"),
    }
    ExitCode::from(summary.exit_code())
}

fn csr(a: &CsrArgs) -> Result<ExitCode> {
    let subject = a.subject.name()?;
    let password = a.password.for_writing(&a.key_out.display().to_string())?;
    let key = PrivateKey::generate(a.key_type.into())?;
    let request = CertificateRequest::new(&key, &subject, a.email.as_deref())?;
    let key_pem = Zeroizing::new(keyfile::encrypt_private_key_pem(
        &key,
        &password,
        Some(a.iterations),
    )?);
    write_file(&a.key_out, key_pem.as_bytes(), a.force, true)?;
    write_file(&a.out, request.to_pem().as_bytes(), a.force, false)?;
    eprintln!(
        "wrote {} ({} key, encrypted) and {} for {}",
        a.key_out.display(),
        key.kind(),
        a.out.display(),
        subject
    );
    Ok(ExitCode::SUCCESS)
}

fn bundle(a: &BundleArgs) -> Result<ExitCode> {
    let password = a.password.for_writing(&a.out.display().to_string())?;
    let key_password = a.key_password.get()?;
    let key_data = Zeroizing::new(read_file(&a.key)?);
    let key = keyfile::read_private_key(
        &key_data,
        Some(key_password.as_deref().unwrap_or(&password)),
        &PbeLimits::default(),
    )?;
    let mut paths: Vec<&Path> = vec![&a.cert];
    paths.extend(a.chain.iter().map(PathBuf::as_path));
    let certs = read_certificates(&paths)?;
    let leaf = certs
        .iter()
        .find(|c| c.matches_key(key.public_key()))
        .cloned()
        .ok_or_else(|| match certs.first() {
            Some(c) => Error::Key(KeyError::CertificateMismatch {
                subject: c.subject().to_rfc4514(),
            }),
            None => Error::Key(KeyError::NoCertificate {
                what: a.cert.display().to_string(),
            }),
        })?;
    let chain: Vec<Certificate> = certs.into_iter().filter(|c| *c != leaf).collect();
    let mut builder = Pkcs12Builder::new(&key, &leaf)?
        .chain(chain.clone())
        .iterations(a.iterations);
    if let Some(name) = &a.name {
        builder = builder.friendly_name(name.clone());
    }
    let pfx = builder.build(&password)?;
    write_file(&a.out, &pfx, a.force, true)?;
    note_password(&password);
    eprintln!(
        "wrote {}: {} key, certificate {}, {} chain certificate(s)",
        a.out.display(),
        key.kind(),
        leaf.subject(),
        chain.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn convert(a: &ConvertArgs) -> Result<ExitCode> {
    let data = read_file(&a.input)?;
    let password = a.password.for_reading(&a.input.display().to_string())?;
    let p = Pkcs12::parse(
        &data,
        password.as_deref().map(String::as_str),
        &Pkcs12Options::default().allowing_unprotected(a.allow_unprotected_pfx),
    )?;
    if p.info.mac.is_none() {
        eprintln!("{}", unprotected_warning(&a.input));
    }
    let before = render::protection(&p.info);
    let extra_keys = p.keys.len().saturating_sub(1);
    let all_certs: Vec<Certificate> = p
        .certificates
        .iter()
        .map(|c| c.certificate.clone())
        .collect();
    let id = Identity::from_pkcs12_contents(p)?;
    let new_password = match a.new_password.get()? {
        Some(p) => p,
        None => Zeroizing::new(password.as_deref().cloned().unwrap_or_default()),
    };
    let others: Vec<Certificate> = all_certs
        .into_iter()
        .filter(|c| *c != id.certificate)
        .collect();
    let pfx = Pkcs12Builder::new(&id.key, &id.certificate)?
        .chain(others)
        .friendly_name(
            id.friendly_name
                .clone()
                .or_else(|| id.certificate.subject().common_name().map(str::to_string))
                .unwrap_or_else(|| "ezla".into()),
        )
        .iterations(a.iterations)
        .build(&new_password)?;
    // Check what was written opens before reporting success.
    Pkcs12::parse(
        &pfx,
        Some(&new_password),
        &Pkcs12Options::with_max_iterations(u64::from(a.iterations)),
    )?;
    write_file(&a.out, &pfx, a.force, true)?;
    note_password(&new_password);
    eprintln!(
        "converted {} ({before}) to {} (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA-256, SHA-256 MAC, {} iterations)",
        a.input.display(),
        a.out.display(),
        a.iterations
    );
    if extra_keys > 0 {
        eprintln!("note: {extra_keys} other private key(s) in the input were not carried over");
    }
    Ok(ExitCode::SUCCESS)
}

fn test_ca(a: &TestCaArgs) -> Result<ExitCode> {
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    let ca = TestCa::generate(&a.common_name, a.not_before.unwrap_or_else(now), a.days)?;
    let key_pem = Zeroizing::new(ezla::pki::pem::encode("PRIVATE KEY", ca.key().pkcs8_der()));
    write_file(&a.out.join("ca.key"), key_pem.as_bytes(), a.force, true)?;
    write_file(
        &a.out.join("ca.crt"),
        ca.certificate().to_pem().as_bytes(),
        a.force,
        false,
    )?;
    eprintln!(
        "TEST ONLY: wrote test CA {} to {} (ca.crt, unencrypted ca.key)",
        ca.certificate().subject(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn open_test_ca(dir: &Path) -> Result<TestCa> {
    let key = keyfile::read_private_key(
        &read_file(&dir.join("ca.key"))?,
        None,
        &PbeLimits::default(),
    )?;
    let cert = Certificate::from_pem(&read_file(&dir.join("ca.crt"))?)?;
    TestCa::new(key, cert)
}

fn issue_options(not_before: Option<OffsetDateTime>, days: Option<u32>) -> IssueOptions {
    let mut options = IssueOptions::doctor(not_before.unwrap_or_else(now));
    if let Some(days) = days {
        options.not_after = options.not_before + time::Duration::days(i64::from(days));
    }
    options
}

fn test_doctor(a: &TestDoctorArgs) -> Result<ExitCode> {
    let ca = open_test_ca(&a.ca)?;
    let password = a.password.for_writing(&a.out.display().to_string())?;
    let mut spec = DoctorSpec::new(
        a.given_name.clone(),
        a.surname.clone(),
        ezla::pl::Pesel::parse(&a.pesel)?,
    );
    spec.email = a.email.clone();
    spec.key = a.key_type.into();
    spec.options = issue_options(a.not_before, a.days);
    spec.options.crl_url = a.crl_url.clone();
    let id = ca.issue_doctor(&spec)?;
    let pfx = id.to_pkcs12(&password, a.iterations)?;
    write_file(&a.out, &pfx, a.force, true)?;
    note_password(&password);
    eprintln!(
        "TEST ONLY: wrote {} for {} (valid until {})",
        a.out.display(),
        id.certificate.subject(),
        id.certificate.not_after().date()
    );
    Ok(ExitCode::SUCCESS)
}

fn test_issue(a: &TestIssueArgs) -> Result<ExitCode> {
    let ca = open_test_ca(&a.ca)?;
    let data = read_file(&a.csr)?;
    let request = if ezla::pki::pem::is_pem(&data) {
        CertificateRequest::from_pem(&data)?
    } else {
        CertificateRequest::from_der(&data)?
    };
    let cert = ca.issue_for_request(&request, &issue_options(a.not_before, a.days))?;
    let mut pem = cert.to_pem();
    pem.push_str(&ca.certificate().to_pem());
    write_file(&a.out, pem.as_bytes(), a.force, false)?;
    eprintln!(
        "TEST ONLY: wrote {} for {} with the test CA certificate after it",
        a.out.display(),
        cert.subject()
    );
    Ok(ExitCode::SUCCESS)
}
