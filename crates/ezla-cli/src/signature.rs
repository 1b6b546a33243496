//! `ezla sign` and `ezla verify`: XAdES-BES signatures on e-ZLA documents (and any other XML
//! document, such as the ZUS login statement).
//!
//! Signing splices the signature into the input's bytes (nothing else changes); verification
//! is strict and prints who signed what, when and how — or the reason it failed, with a
//! non-zero exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use ezla::pki::{Identity, Pkcs12, Pkcs12Options, TrustAnchors};
use ezla::xades::{self, Profile, Report, SignOptions, SigningCertificateVersion, VerifyOptions};
use ezla::{Error, Result};
use time::OffsetDateTime;

use crate::cert::{parse_time, read_certificates};
use crate::files::{read_file, read_input, write_file};
use crate::password::PasswordArgs;

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

/// Options of `ezla sign`.
#[derive(Args, Debug)]
pub(crate) struct SignArgs {
    /// The XML document to sign (UTF-8), or `-` for standard input.
    input: PathBuf,
    /// Where to write the signed document, or `-` for standard output.
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
    /// The signer's .pfx/.p12 file (key, certificate, chain).
    #[arg(long, value_name = "FILE")]
    pfx: PathBuf,
    #[command(flatten)]
    password: PasswordArgs,
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
    /// Overwrite an existing output file.
    #[arg(long)]
    force: bool,
    /// Sign with a .pfx that has no integrity protection (no MAC). Refused without this flag:
    /// such a file could have been altered, and its password was not checked.
    #[arg(long)]
    allow_unprotected_pfx: bool,
    /// Print what was signed as JSON on standard output: `{"input", "output", "signer",
    /// "pesel", "profile", "bytes"}` (not with `-o -`, where standard output is the document).
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
    /// Accept several signatures (each must verify).
    #[arg(long)]
    cosignatures: bool,
    /// Refuse the `zus-legacy` profile (SHA-1).
    #[arg(long)]
    no_legacy: bool,
    /// Print JSON: `{"valid": true, "signatures": [report…]}` or `{"valid": false, "error": …}`.
    #[arg(long)]
    json: bool,
}

/// Runs `ezla sign`.
pub(crate) fn sign(a: &SignArgs) -> Result<ExitCode> {
    if a.json && a.out == Path::new("-") {
        return Err(Error::invalid_argument(
            "--json",
            "standard output is the signed document with `-o -`; write it to a file to get JSON",
        ));
    }
    let document = read_input(&a.input)?;
    let pfx = read_file(&a.pfx)?;
    let password = a.password.for_reading(&a.pfx.display().to_string())?;
    let contents = Pkcs12::parse(
        &pfx,
        password.as_deref().map(String::as_str),
        &Pkcs12Options::default().allowing_unprotected(a.allow_unprotected_pfx),
    )?;
    if contents.info.mac.is_none() {
        eprintln!("{}", crate::cert::unprotected_warning(&a.pfx));
    }
    let identity = Identity::from_pkcs12_contents(contents)?;
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
    let signed = xades::sign_with_identity(&document, &identity, &options)?;
    if a.out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&signed)
            .and_then(|()| stdout.flush())
            .map_err(|e| Error::io(&a.out, e))?;
    } else {
        write_file(&a.out, &signed, a.force, false)?;
        let profile = Profile::from(a.profile).name();
        if a.json {
            let v = serde_json::json!({
                "input": a.input.display().to_string(),
                "output": a.out.display().to_string(),
                "signer": identity.certificate.subject().to_string(),
                "pesel": identity.certificate.pesel().map(|p| p.to_string()),
                "profile": profile,
                "bytes": signed.len(),
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        } else {
            eprintln!(
                "signed {} as {} ({profile} profile) -> {}",
                a.input.display(),
                identity.certificate.subject(),
                a.out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
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
            if a.json {
                let v = serde_json::json!({
                    "valid": false,
                    "error": crate::error_value(&e),
                });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                println!("INVALID: {e} (code {})", e.code() as u32);
                if let Some(hint) = expired_since_signing(&document, &options, &e) {
                    eprintln!("{hint}");
                }
            }
            Ok(ExitCode::from(1))
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
    if let Some(at) = a.at {
        options = options.at(at);
    }
    let skew = i64::try_from(a.max_clock_skew).unwrap_or(i64::MAX);
    options = options.with_max_clock_skew(time::Duration::seconds(skew));
    options.accept_legacy = !a.no_legacy;
    options.allow_cosignatures = a.cosignatures;
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
