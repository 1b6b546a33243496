//! `ezla cms sign` and `ezla cms verify`: CAdES-BES (CMS `SignedData`) signatures over any
//! file — the PDF printout of an e-ZLA, attachments, exports.
//!
//! Signing takes the same key options as `ezla sign`; a detached signature is made while the
//! file is read, in bounded memory. Verification prints who signed, when they say they did,
//! with what, and whether the certificate is bound (ESS) and trusted — or the reason it
//! failed, with the exit statuses of `ezla verify` (0 valid, 1 invalid, 3 a file that cannot
//! be read, 64 usage).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand, ValueEnum};
use ezla::cms::{self, Report, SignOptions, VerifyOptions};
use ezla::crypto::DigestAlgorithm;
use ezla::pki::{Certificate, TrustAnchors};
use ezla::{Error, Result};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cert::{parse_time, read_certificates};
use crate::files::{read_content, write_file};
use crate::signature::{SignerArgs, SigningKey};

/// `ezla cms …`.
// Parsed once per run: the size difference between the commands does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub(crate) enum CmsCommand {
    /// Sign a file with CAdES-BES (CMS SignedData, `.p7s`), attached or detached, DER or PEM,
    /// with a .pfx or a key on a PKCS#11 token (the options of `ezla sign`).
    Sign(CmsSignArgs),
    /// Verify a CMS/CAdES signature and report who signed, when and how. Exit status: 0
    /// valid, 1 invalid (the reason is printed), 3 a file that cannot be read, 64 usage.
    Verify(CmsVerifyArgs),
}

impl CmsCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            CmsCommand::Sign(a) => a.json,
            CmsCommand::Verify(a) => a.json,
        }
    }
}

/// The digests a CMS signature or a time-stamp is made with.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum DigestArg {
    /// SHA-256 (the default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl From<DigestArg> for DigestAlgorithm {
    fn from(d: DigestArg) -> DigestAlgorithm {
        match d {
            DigestArg::Sha256 => DigestAlgorithm::Sha256,
            DigestArg::Sha384 => DigestAlgorithm::Sha384,
            DigestArg::Sha512 => DigestAlgorithm::Sha512,
        }
    }
}

/// Options of `ezla cms sign`.
#[derive(Args, Debug)]
pub(crate) struct CmsSignArgs {
    /// The file to sign, or `-` for standard input.
    #[arg(value_name = "INPUT")]
    input: PathBuf,
    /// Where to write the signature (`.p7s`), or `-` for standard output.
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    signer: SignerArgs,
    /// Leave the content out of the signature (a `.p7s` beside the file). The file is hashed
    /// as it is read, so a file of any size signs in bounded memory.
    #[arg(long)]
    detached: bool,
    /// Write PEM (`-----BEGIN CMS-----`, as `openssl cms -outform PEM`) instead of DER.
    #[arg(long)]
    pem: bool,
    /// The digest of the content and of the signed attributes.
    #[arg(long, value_enum, default_value = "sha256")]
    digest: DigestArg,
    /// Also carry the chain certificates of the .pfx besides the signer's own.
    #[arg(long)]
    include_chain: bool,
    #[command(flatten)]
    tsa: crate::ts::TsaOptions,
    /// Write this signing time instead of now (RFC 3339, or a date meaning midnight UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    signing_time: Option<OffsetDateTime>,
    /// Sign even though the certificate is expired or not yet valid at the signing time.
    #[arg(long)]
    allow_invalid_certificate: bool,
    /// Overwrite an existing output file.
    #[arg(long)]
    force: bool,
    /// Print what was signed as JSON on standard output: `{"input", "output", "signer",
    /// "pesel", "detached", "digest", "format", "content_bytes", "bytes"}` (not with `-o -`).
    #[arg(long)]
    json: bool,
}

/// Options of `ezla cms verify`.
#[derive(Args, Debug)]
pub(crate) struct CmsVerifyArgs {
    /// The signature (`.p7s`, DER or PEM), or `-` for standard input.
    #[arg(value_name = "SIGNATURE")]
    input: PathBuf,
    /// The signed file, for a detached signature (for an attached one it must be the content
    /// the signature carries).
    #[arg(long, value_name = "FILE")]
    content: Option<PathBuf>,
    /// Trust anchors (CA certificates, PEM or DER; repeatable). The signer's certificate must
    /// chain to one of them; without any the signature is checked with the certificate it
    /// carries and the report says `untrusted`.
    #[arg(long, value_name = "CA")]
    trust: Vec<PathBuf>,
    /// Check the certificate at this instant (RFC 3339, or a date) instead of now (or of a
    /// trusted time-stamp's time). The signing time the signature claims is only the
    /// signer's word and is never used for it.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<OffsetDateTime>,
    /// Trust anchors for the TSAs of signature time-stamps (CAdES-T; PEM or DER;
    /// repeatable). Every time-stamp is checked either way; with these, one whose TSA
    /// chains to them is trusted and (without `--at`) sets the instant the certificate is
    /// judged at.
    #[arg(long, value_name = "CA")]
    tsa_trust: Vec<PathBuf>,
    #[command(flatten)]
    revocation: crate::revocation::RevocationArgs,
    /// Print JSON: `{"valid": true, "signer": {…}, "signing_time", "digest", "algorithm",
    /// "attached", "content_bytes", "trust", "ess_binding", "timestamps": […],
    /// "judged_at", "revocation"}` or `{"valid": false, "error": …}`.
    #[arg(long)]
    json: bool,
}

/// Runs an `ezla cms` command.
pub(crate) fn run(command: CmsCommand) -> Result<ExitCode> {
    match command {
        CmsCommand::Sign(a) => sign(&a),
        CmsCommand::Verify(a) => verify(&a),
    }
}

fn is_stdio(path: &Path) -> bool {
    path == Path::new("-")
}

fn sign(a: &CmsSignArgs) -> Result<ExitCode> {
    if a.json && is_stdio(&a.out) {
        return Err(Error::invalid_argument(
            "--json",
            "standard output is the signature with `-o -`; write it to a file to get JSON",
        ));
    }
    // Refused before the file is read and the key opened (a PIN is not asked for nothing).
    if !a.force && !is_stdio(&a.out) && a.out.exists() {
        return Err(Error::invalid_argument(
            "output",
            format!("{} exists (use --force to overwrite)", a.out.display()),
        ));
    }
    let tsa = a.tsa.client()?;
    let mut options = SignOptions::default();
    options.digest = a.digest.into();
    options.detached = a.detached;
    options.include_chain = a.include_chain;
    options.signing_time = a.signing_time;
    let (der, content_bytes) = if a.detached {
        // Opened before the key, hashed as it is read after.
        let mut reader = ContentReader::open(&a.input)?;
        let key = SigningKey::open(&a.signer)?;
        check_validity(a, key.certificate())?;
        let der = cms::sign_detached_reader(
            &mut reader,
            key.signer(),
            key.certificate(),
            key.chain(),
            &options,
        )
        .map_err(|e| with_path(e, &a.input))?;
        (Signed::new(der, key.certificate()), reader.count)
    } else {
        let content = read_content(&a.input)?;
        let key = SigningKey::open(&a.signer)?;
        check_validity(a, key.certificate())?;
        let der = cms::sign(
            &content,
            key.signer(),
            key.certificate(),
            key.chain(),
            &options,
        )?;
        (Signed::new(der, key.certificate()), content.len() as u64)
    };
    // CAdES-T: the signature time-stamp, when `--tsa` asks for one.
    let der = match &tsa {
        Some(client) => Signed {
            der: ezla::tsp::cades::add_timestamp(&der.der, client)?,
            ..der
        },
        None => der,
    };
    let bytes = if a.pem {
        cms::to_pem(&der.der).into_bytes()
    } else {
        der.der
    };
    if is_stdio(&a.out) {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&bytes)
            .and_then(|()| stdout.flush())
            .map_err(|e| Error::io(&a.out, e))?;
        return Ok(ExitCode::SUCCESS);
    }
    write_file(&a.out, &bytes, a.force, false)?;
    let digest = DigestAlgorithm::from(a.digest).name();
    let format = if a.pem { "PEM" } else { "DER" };
    if a.json {
        let v = json!({
            "input": a.input.display().to_string(),
            "output": a.out.display().to_string(),
            "signer": der.subject,
            "pesel": der.pesel,
            "detached": a.detached,
            "digest": digest,
            "format": format,
            "content_bytes": content_bytes,
            "bytes": bytes.len(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!(
            "signed {} ({content_bytes} bytes) as {} (CAdES-BES, {}, {digest}, {format}) -> {}",
            a.input.display(),
            der.subject,
            if a.detached { "detached" } else { "attached" },
            a.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The certificate must be valid at the signing time, as `ezla sign` requires, unless
/// `--allow-invalid-certificate`.
fn check_validity(a: &CmsSignArgs, cert: &Certificate) -> Result<()> {
    if a.allow_invalid_certificate {
        return Ok(());
    }
    cert.check_valid_at(a.signing_time.unwrap_or_else(OffsetDateTime::now_utc))
}

/// A signature made, with what the report of it names.
struct Signed {
    der: Vec<u8>,
    subject: String,
    pesel: Option<String>,
}

impl Signed {
    fn new(der: Vec<u8>, cert: &Certificate) -> Self {
        Signed {
            der,
            subject: cert.subject().to_string(),
            pesel: cert.pesel().map(|p| p.to_string()),
        }
    }
}

/// The content of a detached signature as it is read: a file or standard input, counted.
struct ContentReader {
    inner: Box<dyn std::io::Read>,
    count: u64,
}

impl ContentReader {
    fn open(path: &Path) -> Result<Self> {
        let inner: Box<dyn std::io::Read> = if is_stdio(path) {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
        };
        Ok(ContentReader { inner, count: 0 })
    }
}

impl std::io::Read for ContentReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// A read error of the core, which does not know the file's name, with it.
fn with_path(e: Error, path: &Path) -> Error {
    match e {
        Error::Io { path: None, source } => Error::io(path, source),
        other => other,
    }
}

fn verify(a: &CmsVerifyArgs) -> Result<ExitCode> {
    // What cannot be read stops the command (3); what is read but does not verify is a
    // negative verdict (1), as with `ezla verify`.
    let input = read_content(&a.input)?;
    let content = match &a.content {
        Some(path) => Some(read_content(path)?),
        None => None,
    };
    let mut options = verify_options(&a.trust, a.at)?;
    if let Some(checker) = a.revocation.checker_for(options.trust.is_some())? {
        options = options.with_revocation(checker);
    }
    let mut tsa = ezla::tsp::TokenOptions::default();
    if let Some(anchors) = trust_anchors(&a.tsa_trust)? {
        tsa = tsa.with_trust(anchors);
    }
    let result = cms::from_pem_or_der(&input)
        .and_then(|der| ezla::tsp::cades::verify(&der, content.as_deref(), &options, &tsa));
    match result {
        Ok(verified) => {
            let report = &verified.report;
            if a.json {
                let mut v = report_json(report);
                v["valid"] = Value::Bool(true);
                v["timestamps"] = Value::Array(
                    verified
                        .timestamps
                        .iter()
                        .map(crate::ts::stamp_json)
                        .collect(),
                );
                v["invalid_timestamps"] = Value::Array(
                    verified
                        .invalid_timestamps
                        .iter()
                        .map(crate::error_value)
                        .collect(),
                );
                v["judged_at"] = json!(rfc3339(verified.judged_at));
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print!("{}", render_report(report, a.content.as_deref()));
                for t in &verified.timestamps {
                    let trust = if t.trust == "chain" {
                        "TSA trusted"
                    } else {
                        "TSA untrusted: no --tsa-trust"
                    };
                    println!(
                        "  time-stamp:  {} by {} ({trust}; policy {}, serial {})",
                        rfc3339(t.time),
                        t.tsa.subject(),
                        t.policy,
                        t.serial
                    );
                }
                for e in &verified.invalid_timestamps {
                    println!("  time-stamp:  INVALID ({:?}: {e}): not used", e.code());
                }
                if !verified.timestamps.is_empty() || !verified.invalid_timestamps.is_empty() {
                    println!("  judged at:   {}", rfc3339(verified.judged_at));
                }
                if let Some(revocation) = &report.revocation {
                    println!("  revocation:  {}", crate::revocation::line(revocation));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let (word, status) = crate::revocation::failure(&e);
            if a.json {
                let v = json!({ "valid": false, "error": crate::error_value(&e) });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                println!("{word}: {e} (code {})", e.code() as u32);
            }
            Ok(crate::exit::code(status))
        }
    }
}

/// Trust anchors from `--trust` files and the instant of `--at`.
fn verify_options(trust: &[PathBuf], at: Option<OffsetDateTime>) -> Result<VerifyOptions> {
    let mut options = VerifyOptions::default();
    if let Some(anchors) = trust_anchors(trust)? {
        options = options.with_trust(anchors);
    }
    if let Some(at) = at {
        options = options.at(at);
    }
    Ok(options)
}

/// The trust anchors in `paths`, `None` when none are given; files without a certificate
/// are refused.
pub(crate) fn trust_anchors(paths: &[PathBuf]) -> Result<Option<Arc<TrustAnchors>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let anchors = read_certificates(&paths)?;
    if anchors.is_empty() {
        return Err(Error::invalid_argument(
            "trust",
            "the trust files hold no certificates",
        ));
    }
    Ok(Some(Arc::new(TrustAnchors::new(anchors))))
}

/// An instant in RFC 3339, as the reports write them.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// A certificate as the reports describe it (the fields of `ezla verify --json`'s signer).
pub(crate) fn certificate_json(c: &Certificate) -> Value {
    json!({
        "subject": c.subject().to_rfc4514(),
        "issuer": c.issuer().to_rfc4514(),
        "serial": c.serial_decimal(),
        "pesel": c.pesel().map(|p| p.as_str().to_string()),
        "not_before": rfc3339(c.not_before()),
        "not_after": rfc3339(c.not_after()),
        "sha256_fingerprint": c.fingerprint_hex(DigestAlgorithm::Sha256),
    })
}

fn report_json(r: &Report) -> Value {
    json!({
        "signer": certificate_json(&r.signer),
        "pesel": r.pesel,
        "signing_time": r.signing_time.map(rfc3339),
        "digest": r.digest.name(),
        "algorithm": r.algorithm.name(),
        "attached": r.attached,
        "content_bytes": r.content.len(),
        "trust": r.trust,
        "ess_binding": r.ess_binding,
        "revocation": r.revocation,
    })
}

/// The text form of a verification report.
fn render_report(r: &Report, content: Option<&Path>) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if r.trust == "untrusted" {
        let _ = writeln!(
            out,
            "VALID CMS signature by an UNTRUSTED signer (no --trust given)"
        );
    } else {
        let _ = writeln!(out, "VALID CMS signature");
    }
    let c = &r.signer;
    let _ = writeln!(out, "  signer:      {}", c.subject());
    if let Some(pesel) = &r.pesel {
        let _ = writeln!(out, "  PESEL:       {pesel}");
    }
    let _ = writeln!(out, "  issuer:      {}", c.issuer());
    let _ = writeln!(out, "  serial:      {}", c.serial_decimal());
    let _ = writeln!(
        out,
        "  validity:    {} .. {}",
        rfc3339(c.not_before()),
        rfc3339(c.not_after())
    );
    let _ = writeln!(
        out,
        "  SHA-256:     {}",
        c.fingerprint_hex(DigestAlgorithm::Sha256)
    );
    let trust = match r.trust {
        "chain" => "chain to a trust anchor".to_owned(),
        other => format!("{other} (no --trust given: anyone can make such a certificate)"),
    };
    let _ = writeln!(out, "  trust:       {trust}");
    let _ = writeln!(
        out,
        "  signed at:   {} (claimed by the signer)",
        r.signing_time.map(rfc3339).as_deref().unwrap_or("-")
    );
    let _ = writeln!(out, "  digest:      {}", r.digest.name());
    let _ = writeln!(out, "  algorithm:   {}", r.algorithm.name());
    let what = match (r.attached, content) {
        (true, _) => format!("attached ({} bytes)", r.content.len()),
        (false, Some(p)) => format!("detached: {} ({} bytes)", p.display(), r.content.len()),
        (false, None) => format!("detached ({} bytes)", r.content.len()),
    };
    let _ = writeln!(out, "  content:     {what}");
    let ess = if r.ess_binding {
        "the signed attributes bind the signer's certificate (ESS, checked): CAdES-BES"
    } else {
        "none: plain CMS, a certificate with the same key could be substituted"
    };
    let _ = writeln!(out, "  ESS binding: {ess}");
    out
}
