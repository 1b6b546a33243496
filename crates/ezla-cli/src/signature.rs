//! `ezla sign` and `ezla verify`: XAdES-BES signatures on e-ZLA documents (and any other XML
//! document, such as the ZUS login statement).
//!
//! Signing splices the signature into the input's bytes (nothing else changes); verification
//! is strict and prints who signed what, when and how — or the reason it failed, with a
//! non-zero exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use ezla::crypto::Signer;
use ezla::pkcs11::Pkcs11Signer;
use ezla::pki::{Certificate, Identity, Pkcs12, Pkcs12Options, TrustAnchors};
use ezla::xades::{
    self, BatchOptions, Profile, Report, SignOptions, SigningCertificateVersion, VerifyOptions,
};
use ezla::{Error, Result};
use time::OffsetDateTime;

use crate::cert::{parse_time, read_certificates};
use crate::files::{read_file, read_input, write_file};
use crate::password::PasswordArgs;
use crate::token::Pkcs11Args;

/// The profiles on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ProfileArg {
    /// ZUS's sample shape with SHA-256 (RSA-SHA256 or ECDSA-SHA256); the default.
    Zus,
    /// ZUS's 2015–2018 sample shape exactly: RSA-SHA1 and SHA-1 digests.
    ZusLegacy,
    /// Generic enveloped XAdES-BES with SHA-256 (exclusive C14N, enveloped-signature).
    XadesBes,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Zus => Profile::Zus,
            ProfileArg::ZusLegacy => Profile::ZusLegacy,
            ProfileArg::XadesBes => Profile::XadesBes,
        }
    }
}

/// Which signing-certificate property to write.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum SigningCertificateArg {
    /// XAdES 1.3.2 `SigningCertificate` (ZUS's samples).
    V1,
    /// EN 319 132-1 `SigningCertificateV2` (baseline B-B).
    V2,
}

/// The key a signing command signs with: a .pfx (with its password) or a key on a PKCS#11
/// token. Shared by `ezla sign` and `ezla cms sign`, so both take the same options.
#[derive(Args, Debug)]
pub(crate) struct SignerArgs {
    /// The signer's .pfx/.p12 file (key, certificate, chain); or --pkcs11-module.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "pkcs11_module",
        conflicts_with = "pkcs11_module"
    )]
    pfx: Option<PathBuf>,
    #[command(flatten)]
    password: PasswordArgs,
    #[command(flatten)]
    pkcs11: Pkcs11Args,
    /// Sign with a .pfx that has no integrity protection (no MAC). Refused without this flag:
    /// such a file could have been altered, and its password was not checked.
    #[arg(long)]
    allow_unprotected_pfx: bool,
}

/// Options of `ezla sign`.
#[derive(Args, Debug)]
pub(crate) struct SignArgs {
    /// The XML documents to sign (UTF-8), or `-` for standard input (one document only).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Where to write the signed document, or `-` for standard output; with several inputs
    /// (or when it is a directory) the directory the signed documents go to, under their own
    /// file names (created if missing).
    #[arg(short, long, value_name = "FILE|DIR")]
    out: PathBuf,
    #[command(flatten)]
    signer: SignerArgs,
    /// The signature profile.
    #[arg(long, value_enum, default_value = "zus")]
    profile: ProfileArg,
    /// The signing-certificate property.
    #[arg(long, value_enum, default_value = "v1")]
    signing_certificate: SigningCertificateArg,
    /// Also put the chain certificates of the .pfx in `KeyInfo`.
    #[arg(long)]
    include_chain: bool,
    /// Add a signature to a document that is already signed (co-signing).
    #[arg(long)]
    cosign: bool,
    /// Sign even though the certificate is expired or not yet valid at the signing time.
    #[arg(long)]
    allow_invalid_certificate: bool,
    /// Write this signing time instead of now (RFC 3339, or a date meaning midnight UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    signing_time: Option<OffsetDateTime>,
    /// Fixed `Id`s built from this prefix instead of random ones; with `--signing-time` the
    /// output is reproducible byte for byte (golden files, tests).
    #[arg(long, value_name = "PREFIX")]
    id_prefix: Option<String>,
    /// Overwrite existing output files.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    tsa: crate::ts::TsaOptions,
    /// Worker threads for several documents (0: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Print what was signed as JSON on standard output: `{"input", "output", "signer",
    /// "pesel", "profile", "bytes"}` for one document; for several, `{"signer", "pesel",
    /// "profile", "signed", "failed", "documents": [{"input", "output", "bytes"} or {"input",
    /// "output", "error"}]}` (not with `-o -`, where standard output is the document).
    #[arg(long)]
    json: bool,
}

impl SignArgs {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

/// Options of `ezla verify`.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The signed XML document, or `-` for standard input.
    input: PathBuf,
    /// Trust anchors (CA certificates, PEM or DER; repeatable). The signer's certificate must
    /// chain to one of them; without any the signature is checked with the certificate it
    /// carries and the report says `untrusted`.
    #[arg(long, value_name = "CA")]
    trust: Vec<PathBuf>,
    /// The signer's certificate (PEM or DER), when known: the signature must verify with it.
    #[arg(long, value_name = "CERT")]
    signer_cert: Option<PathBuf>,
    /// Check certificates at this instant instead of now (RFC 3339, or a date).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<OffsetDateTime>,
    /// How many seconds the claimed signing time may lie after the verification instant
    /// (now, or `--at`), for clocks that are slightly off; a later signing time is invalid.
    #[arg(long, value_name = "SECONDS",
          default_value_t = xades::DEFAULT_MAX_CLOCK_SKEW.whole_seconds().unsigned_abs())]
    max_clock_skew: u64,
    /// Trust anchors for the TSAs of signature time-stamps (XAdES-T; PEM or DER;
    /// repeatable). Every time-stamp is checked either way; with these, one whose TSA chains
    /// to them is trusted, and (without `--at`) the signer's certificate is judged at the
    /// time it stamps: a signature stamped while the certificate was valid verifies after
    /// it expired.
    #[arg(long, value_name = "CA")]
    tsa_trust: Vec<PathBuf>,
    /// Accept several signatures (each must verify).
    #[arg(long)]
    cosignatures: bool,
    /// Refuse the `zus-legacy` profile (SHA-1).
    #[arg(long)]
    no_legacy: bool,
    #[command(flatten)]
    revocation: crate::revocation::RevocationArgs,
    /// Print JSON: `{"valid": true, "signatures": [report…]}` or `{"valid": false, "error": …}`.
    #[arg(long)]
    json: bool,
}

/// The key a signing command signs with: from a .pfx or on a token.
pub(crate) enum SigningKey {
    Pfx(Box<Identity>),
    Token(Box<Pkcs11Signer>),
}

impl SigningKey {
    /// Opens the key `a` names (asking for the password or PIN if needed).
    pub(crate) fn open(a: &SignerArgs) -> Result<SigningKey> {
        if let Some(module) = &a.pkcs11.pkcs11_module {
            return Ok(SigningKey::Token(Box::new(a.pkcs11.open_signer(module)?)));
        }
        let Some(pfx_path) = &a.pfx else {
            return Err(Error::invalid_argument(
                "--pfx",
                "give --pfx FILE or --pkcs11-module PATH",
            ));
        };
        let pfx = read_file(pfx_path)?;
        let password = a.password.for_reading(&pfx_path.display().to_string())?;
        let contents = Pkcs12::parse(
            &pfx,
            password.as_deref().map(String::as_str),
            &Pkcs12Options::default().allowing_unprotected(a.allow_unprotected_pfx),
        )?;
        if contents.info.mac.is_none() {
            eprintln!("{}", crate::cert::unprotected_warning(pfx_path));
        }
        Ok(SigningKey::Pfx(Box::new(Identity::from_pkcs12_contents(
            contents,
        )?)))
    }

    /// The signer.
    pub(crate) fn signer(&self) -> &dyn Signer {
        match self {
            SigningKey::Pfx(id) => &id.key,
            SigningKey::Token(t) => t.as_ref(),
        }
    }

    /// The signer's certificate.
    pub(crate) fn certificate(&self) -> &Certificate {
        match self {
            SigningKey::Pfx(id) => &id.certificate,
            SigningKey::Token(t) => t.certificate(),
        }
    }

    /// The chain certificates (of a .pfx; none for a token).
    pub(crate) fn chain(&self) -> &[Certificate] {
        match self {
            SigningKey::Pfx(id) => &id.chain,
            SigningKey::Token(_) => &[],
        }
    }
}

/// Batches at least this long show progress on a terminal.
const PROGRESS_FROM: usize = 10;

/// Runs `ezla sign`.
pub(crate) fn sign(a: &SignArgs) -> Result<ExitCode> {
    if a.json && a.out == Path::new("-") {
        return Err(Error::invalid_argument(
            "--json",
            "standard output is the signed document with `-o -`; write it to a file to get JSON",
        ));
    }
    let to_dir = a.inputs.len() > 1 || a.out.is_dir();
    if to_dir && a.inputs.iter().any(|p| p == Path::new("-")) {
        return Err(Error::invalid_argument(
            "INPUT",
            "standard input (`-`) can only be signed alone, to a file",
        ));
    }
    if to_dir && a.out == Path::new("-") {
        return Err(Error::invalid_argument(
            "--out",
            "several documents need -o DIR, not standard output",
        ));
    }
    let outputs: Vec<PathBuf> = if to_dir {
        output_paths(&a.inputs, &a.out)?
    } else {
        vec![a.out.clone()]
    };
    // Read the inputs before opening the key (a PIN is asked only when there is work).
    let mut documents: Vec<Result<Vec<u8>>> = Vec::with_capacity(a.inputs.len());
    for input in &a.inputs {
        let document = read_input(input);
        if !to_dir {
            documents.push(Ok(document?));
        } else {
            documents.push(document);
        }
    }
    let tsa = a.tsa.client()?;
    // XAdES-T: the signature time-stamp, when `--tsa` asks for one.
    let stamp = |signed: Vec<u8>| -> Result<Vec<u8>> {
        match &tsa {
            Some(client) => xades::add_timestamp(&signed, client),
            None => Ok(signed),
        }
    };
    let key = SigningKey::open(&a.signer)?;
    let mut options = SignOptions::profile(a.profile.into());
    options.signing_certificate = match a.signing_certificate {
        SigningCertificateArg::V1 => SigningCertificateVersion::V1,
        SigningCertificateArg::V2 => SigningCertificateVersion::V2,
    };
    options.include_chain = a.include_chain;
    options.allow_cosigning = a.cosign;
    options.allow_invalid_certificate = a.allow_invalid_certificate;
    options.signing_time = a.signing_time;
    if let Some(prefix) = &a.id_prefix {
        options.ids = xades::IdMode::Deterministic(prefix.clone());
    }
    let profile = Profile::from(a.profile).name();
    let certificate = key.certificate();
    if !to_dir {
        let document = match documents.into_iter().next() {
            Some(Ok(d)) => d,
            _ => return Err(Error::internal("one input expected")),
        };
        let signed = stamp(xades::sign(
            &document,
            key.signer(),
            certificate,
            key.chain(),
            &options,
        )?)?;
        let input = a.inputs.first().cloned().unwrap_or_default();
        if a.out == Path::new("-") {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&signed)
                .and_then(|()| stdout.flush())
                .map_err(|e| Error::io(&a.out, e))?;
        } else {
            write_file(&a.out, &signed, a.force, false)?;
            if a.json {
                let v = serde_json::json!({
                    "input": input.display().to_string(),
                    "output": a.out.display().to_string(),
                    "signer": certificate.subject().to_string(),
                    "pesel": certificate.pesel().map(|p| p.to_string()),
                    "profile": profile,
                    "bytes": signed.len(),
                });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                eprintln!(
                    "signed {} as {} ({profile} profile) -> {}",
                    input.display(),
                    certificate.subject(),
                    a.out.display()
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    // Several documents: sign the readable ones on every core, keep each one's error.
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    let readable: Vec<&[u8]> = documents
        .iter()
        .filter_map(|d| d.as_ref().ok().map(Vec::as_slice))
        .collect();
    let total = readable.len();
    let show_progress = total >= PROGRESS_FROM && std::io::stderr().is_terminal();
    let progress = |done: usize| {
        if done == total || done.is_multiple_of(5) {
            eprint!("\rsigning: {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let mut batch = BatchOptions::default().threads(a.jobs);
    if show_progress {
        batch = batch.progress(&progress);
    }
    let mut signed = xades::sign_many(
        &readable,
        key.signer(),
        certificate,
        key.chain(),
        &options,
        &batch,
    )
    .into_iter();
    let mut rows = Vec::with_capacity(documents.len());
    let mut first_error: Option<Error> = None;
    for ((input, output), document) in a.inputs.iter().zip(&outputs).zip(&documents) {
        let result = match document {
            Err(e) => Err(clone_error(e)),
            Ok(_) => signed
                .next()
                .unwrap_or_else(|| Err(Error::internal("a signed document is missing")))
                .and_then(stamp)
                .and_then(|bytes| write_file(output, &bytes, a.force, false).map(|()| bytes.len())),
        };
        match result {
            Ok(bytes) => rows.push(serde_json::json!({
                "input": input.display().to_string(),
                "output": output.display().to_string(),
                "bytes": bytes,
            })),
            Err(e) => {
                let text = e.to_string();
                let name = input.display().to_string();
                if text.starts_with(&name) {
                    eprintln!("error: {text} (code {})", e.code() as u32);
                } else {
                    eprintln!("error: {name}: {text} (code {})", e.code() as u32);
                }
                rows.push(serde_json::json!({
                    "input": input.display().to_string(),
                    "output": output.display().to_string(),
                    "error": crate::error_value(&e),
                }));
                first_error.get_or_insert(e);
            }
        }
    }
    let failed = rows.iter().filter(|r| r.get("error").is_some()).count();
    if a.json {
        let v = serde_json::json!({
            "signer": certificate.subject().to_string(),
            "pesel": certificate.pesel().map(|p| p.to_string()),
            "profile": profile,
            "signed": rows.len() - failed,
            "failed": failed,
            "documents": rows,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!(
            "signed {} of {} documents as {} ({profile} profile) -> {}",
            rows.len() - failed,
            rows.len(),
            certificate.subject(),
            a.out.display()
        );
    }
    Ok(match first_error {
        Some(e) => crate::exit::code(crate::exit::for_error(&e)),
        None => ExitCode::SUCCESS,
    })
}

/// The output path of each input in `dir`: the input's file name; two inputs with the same
/// name are refused before anything is signed.
fn output_paths(inputs: &[PathBuf], dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let name = input.file_name().ok_or_else(|| {
            Error::invalid_argument("INPUT", format!("{} has no file name", input.display()))
        })?;
        let path = dir.join(name);
        if out.contains(&path) {
            return Err(Error::invalid_argument(
                "INPUT",
                format!(
                    "two inputs would both be written to {}; sign them in separate runs",
                    path.display()
                ),
            ));
        }
        out.push(path);
    }
    Ok(out)
}

/// An error read once, reported twice (stderr and JSON): ezla's errors are not `Clone`, so
/// the copy keeps the code family's meaning through the I/O variant or the text.
fn clone_error(e: &Error) -> Error {
    match e {
        Error::Io { path, source } => Error::Io {
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        Error::InvalidArgument { argument, reason } => Error::InvalidArgument {
            argument,
            reason: reason.clone(),
        },
        other => Error::internal(other.to_string()),
    }
}

impl VerifyArgs {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

/// Runs `ezla verify`: exit 0 when valid, 1 when not (with the reason), 3 when the input or
/// an option file cannot be read.
pub(crate) fn verify(a: &VerifyArgs) -> Result<ExitCode> {
    let document = read_input(&a.input)?;
    let options = verify_options(a)?;
    // An e-ZLA's signatures must also sit where `ezla kedu check` accepts them (the same
    // rule, with the same wording): verification alone does not look at their place.
    let result = ezla::kedu::check_signature_placement(&document).and_then(|_| {
        if a.cosignatures {
            xades::verify_all(&document, &options)
        } else {
            xades::verify(&document, &options).map(|r| vec![r])
        }
    });
    match result {
        Ok(reports) => {
            if a.json {
                let v = serde_json::json!({ "valid": true, "signatures": reports });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                for (i, report) in reports.iter().enumerate() {
                    if i > 0 {
                        println!();
                    }
                    print!("{}", render_report(report));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let (word, status) = crate::revocation::failure(&e);
            if a.json {
                let v = serde_json::json!({
                    "valid": false,
                    "error": crate::error_value(&e),
                });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                println!("{word}: {e} (code {})", e.code() as u32);
                if let Some(hint) = expired_since_signing(&document, &options, &e) {
                    eprintln!("{hint}");
                }
            }
            Ok(crate::exit::code(status))
        }
    }
}

/// When the chain check failed only because a certificate has expired since, and the
/// document is otherwise intact: a hint naming the signing time the document claims, at
/// which `--at` would check the chain. (Only the signer claims that time; nothing here
/// proves it, which is why it is not applied on its own.)
fn expired_since_signing(
    document: &[u8],
    options: &VerifyOptions,
    error: &Error,
) -> Option<String> {
    if error.code() != ezla::ErrorCode::CertificateExpired
        || options.trust.is_none()
        || options.at.is_some()
    {
        return None;
    }
    let mut untrusted = options.clone();
    untrusted.trust = None;
    let report = xades::verify(document, &untrusted).ok()?;
    let signed = report.signing_time?;
    Some(format!(
        "hint: the signature itself is intact, and the document says it was signed at \
         {signed}, while the certificate was valid ({} – {}). That time is the signer's own \
         claim: to check the chain as of then, pass `--at {signed}`.",
        report.signer.not_before, report.signer.not_after
    ))
}

fn verify_options(a: &VerifyArgs) -> Result<VerifyOptions> {
    let mut options = VerifyOptions::default();
    if !a.trust.is_empty() {
        let paths: Vec<&Path> = a.trust.iter().map(PathBuf::as_path).collect();
        let anchors = read_certificates(&paths)?;
        if anchors.is_empty() {
            return Err(Error::invalid_argument(
                "trust",
                "the trust files hold no certificates",
            ));
        }
        options = options.with_trust(Arc::new(TrustAnchors::new(anchors)));
    }
    if let Some(path) = &a.signer_cert {
        let mut certificates = read_certificates(&[path.as_path()])?;
        if certificates.len() != 1 {
            return Err(Error::invalid_argument(
                "signer-cert",
                format!(
                    "{} holds {} certificates; give exactly one",
                    path.display(),
                    certificates.len()
                ),
            ));
        }
        options.signer_certificate = certificates.pop();
    }
    if let Some(anchors) = crate::cms::trust_anchors(&a.tsa_trust)? {
        options = options.with_tsa_trust(anchors);
    }
    if let Some(at) = a.at {
        options = options.at(at);
    }
    let skew = i64::try_from(a.max_clock_skew).unwrap_or(i64::MAX);
    options = options.with_max_clock_skew(time::Duration::seconds(skew));
    options.accept_legacy = !a.no_legacy;
    options.allow_cosignatures = a.cosignatures;
    if let Some(checker) = a.revocation.checker_for(options.trust.is_some())? {
        options = options.with_revocation(checker);
    }
    Ok(options)
}

/// The text form of a verification report.
fn render_report(r: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if r.trust == "untrusted" {
        // The signature value is right, but nothing says who made the certificate.
        let _ = writeln!(
            out,
            "VALID signature {} by an UNTRUSTED signer (no --trust or --signer-cert given)",
            r.signature_id
        );
    } else {
        let _ = writeln!(out, "VALID signature {}", r.signature_id);
    }
    let _ = writeln!(out, "  signer:      {}", r.signer.subject);
    if let Some(pesel) = &r.signer.pesel {
        let _ = writeln!(out, "  PESEL:       {pesel}");
    }
    let _ = writeln!(out, "  issuer:      {}", r.signer.issuer);
    let _ = writeln!(out, "  serial:      {}", r.signer.serial);
    let _ = writeln!(
        out,
        "  validity:    {} .. {}",
        r.signer.not_before, r.signer.not_after
    );
    let _ = writeln!(out, "  SHA-256:     {}", r.signer.sha256_fingerprint);
    let trust = match r.trust.as_str() {
        "chain" => format!("chain to a trust anchor ({})", r.chain.join(" <- ")),
        "pinned" => "the certificate given with --signer-cert".to_owned(),
        other => format!("{other} (no --trust given: anyone can make such a certificate)"),
    };
    let _ = writeln!(out, "  trust:       {trust}");
    let _ = writeln!(
        out,
        "  signed at:   {} (claimed by the signer)",
        r.signing_time.as_deref().unwrap_or("-")
    );
    for t in &r.timestamps {
        if let Some(error) = &t.error {
            let _ = writeln!(out, "  time-stamp:  INVALID ({error}): not used");
            continue;
        }
        let trust = if t.trust == "chain" {
            "TSA trusted"
        } else {
            "TSA untrusted: no --tsa-trust"
        };
        let _ = writeln!(
            out,
            "  time-stamp:  {} by {} ({trust}; policy {}, serial {})",
            t.time, t.tsa, t.policy, t.serial
        );
    }
    if !r.timestamps.is_empty() {
        // The instant the certificate was judged at: `--at`, else the trusted stamp, else now.
        let _ = writeln!(out, "  judged at:   {}", r.judged_at);
    }
    if let Some(revocation) = &r.revocation {
        let _ = writeln!(
            out,
            "  revocation:  {}",
            crate::revocation::line(revocation)
        );
    }
    let _ = writeln!(out, "  profile:     {}", r.profile.name());
    let _ = writeln!(out, "  algorithm:   {}", r.signature_algorithm);
    let _ = writeln!(out, "  C14N:        {}", r.canonicalization);
    let _ = writeln!(out, "  certificate: {}", r.signing_certificate);
    if let Some(policy) = &r.signature_policy {
        let _ = writeln!(out, "  policy:      {policy}");
    }
    let _ = writeln!(out, "  covers:");
    for reference in &r.references {
        let _ = writeln!(
            out,
            "    - {} ({}, URI=\"{}\")",
            reference.covers, reference.digest, reference.uri
        );
    }
    out
}
