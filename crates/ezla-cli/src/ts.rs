//! `ezla ts query` and `ezla ts verify`: bare RFC 3161 time-stamp tokens — asking a TSA to
//! stamp a file's hash, and checking a token against the data it should stamp.
//!
//! Exit statuses: 0 stamped or valid; 1 a negative verdict (the TSA refused the request, or
//! its token, or the token given, does not verify); 3 the command could not do its job (a
//! file, the network, TLS, an HTTP error, an answer that is not a `TimeStampResp`); 64 usage.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use ezla::crypto::{DigestAlgorithm, hex};
use ezla::error::ErrorFamily;
use ezla::transport::{TransportConfig, UreqTransport};
use ezla::tsp::{self, ObjectIdentifier, Stamped, TimeStamp, TokenOptions, TsaClient};
use ezla::{Error, Result};
use serde_json::{Value, json};

use crate::cms::{DigestArg, certificate_json, rfc3339, trust_anchors};
use crate::exit;
use crate::files::{read_content, read_file, write_file};

/// `ezla ts …`.
#[derive(Subcommand, Debug)]
pub(crate) enum TsCommand {
    /// Time-stamp a file at a TSA (RFC 3161 over HTTP or HTTPS; only its hash is sent),
    /// check the answer, write the token. Exit status: 0 stamped, 1 the TSA refused or its
    /// token does not verify, 3 could not ask (network, TLS, HTTP, files), 64 usage.
    Query(QueryArgs),
    /// Verify a time-stamp token (or a response holding one) for a file or a hash. Exit
    /// status: 0 valid, 1 invalid (the reason is printed), 3 a file that cannot be read, 64
    /// usage.
    Verify(TsVerifyArgs),
}

impl TsCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            TsCommand::Query(a) => a.json,
            TsCommand::Verify(a) => a.json,
        }
    }
}

fn parse_oid(s: &str) -> std::result::Result<ObjectIdentifier, String> {
    s.parse::<ObjectIdentifier>()
        .map_err(|e| format!("`{s}` is not an object identifier (1.2.3.4): {e}"))
}

/// Options of `ezla ts query`.
#[derive(Args, Debug)]
pub(crate) struct QueryArgs {
    /// The file to time-stamp (hashed here, as it is read), or `-` for standard input.
    #[arg(value_name = "FILE")]
    input: PathBuf,
    /// The TSA's URL (`http://` or `https://`).
    #[arg(long, value_name = "URL")]
    tsa: String,
    /// The hash sent to the TSA.
    #[arg(long, value_enum, default_value = "sha256")]
    digest: DigestArg,
    /// Ask for this TSA policy (and require it in the token); default: the TSA's own.
    #[arg(long, value_name = "OID", value_parser = parse_oid)]
    policy: Option<ObjectIdentifier>,
    /// Trust anchors for the TSA's certificate (CA certificates, PEM or DER; repeatable):
    /// it must chain to one of them at the time stamped. Without any the token is checked
    /// with the certificate it carries and the report says `untrusted`.
    #[arg(long, value_name = "CA")]
    trust: Vec<PathBuf>,
    /// For an https URL: trust this CA (PEM) for the server's certificate instead of the
    /// system roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// For an https URL: check the server's certificate against this name (for a TSA
    /// addressed by IP).
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    /// Seconds to wait for the TSA's answer.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    timeout: u64,
    /// Where to write the token (DER `TimeStampToken`, as `openssl ts -verify -token_in`
    /// reads it).
    #[arg(short, long, value_name = "TOKEN")]
    out: Option<PathBuf>,
    /// Overwrite an existing output file.
    #[arg(long)]
    force: bool,
    /// Print JSON: `{"input", "output", "tsa_url", "time", "accuracy_seconds", "policy",
    /// "serial", "digest", "imprint", "nonce", "tsa": {…}, "trust"}`.
    #[arg(long)]
    json: bool,
}

/// The TSA options of the commands that add a signature time-stamp (`ezla sign`, `ezla cms
/// sign`, `ezla timestamp add`): XAdES-T and CAdES-T.
#[derive(Args, Debug, Clone)]
pub(crate) struct TsaOptions {
    /// Add a signature time-stamp (RFC 3161) from the TSA at this URL: XAdES-T for XML,
    /// CAdES-T for CMS.
    #[arg(long, value_name = "URL")]
    pub(crate) tsa: Option<String>,
    /// Ask the TSA for this policy (and require it in the token).
    #[arg(long, value_name = "OID", value_parser = parse_oid, requires = "tsa")]
    tsa_policy: Option<ObjectIdentifier>,
    /// Trust anchors for the TSA's certificate (PEM or DER; repeatable): the token must
    /// chain to one of them. Without any the token is checked with the certificate it
    /// carries.
    #[arg(long, value_name = "CA", requires = "tsa")]
    tsa_trust: Vec<PathBuf>,
    /// For an https TSA: trust this CA (PEM) for the server's certificate instead of the
    /// system roots.
    #[arg(long, value_name = "FILE", requires = "tsa")]
    tsa_ca: Option<PathBuf>,
    /// Seconds to wait for the TSA's answer.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    tsa_timeout: u64,
}

impl TsaOptions {
    /// The client of `--tsa`, `None` without it.
    pub(crate) fn client(&self) -> Result<Option<TsaClient<UreqTransport>>> {
        let Some(url) = &self.tsa else {
            return Ok(None);
        };
        client(
            url,
            DigestAlgorithm::Sha256,
            self.tsa_policy,
            &self.tsa_trust,
            self.tsa_ca.as_deref(),
            None,
            self.tsa_timeout,
        )
        .map(Some)
    }
}

/// A TSA client over the CLI's transport.
fn client(
    url: &str,
    digest: DigestAlgorithm,
    policy: Option<ObjectIdentifier>,
    trust: &[PathBuf],
    ca: Option<&Path>,
    server_name: Option<&str>,
    timeout: u64,
) -> Result<TsaClient<UreqTransport>> {
    let mut options = TokenOptions::default();
    if let Some(anchors) = trust_anchors(trust)? {
        options = options.with_trust(anchors);
    }
    let mut t = TransportConfig::builder().response_timeout(Duration::from_secs(timeout.max(1)));
    if let Some(ca) = ca {
        t = t.trust_pem(&read_file(ca)?);
    }
    if let Some(name) = server_name {
        t = t.expected_server_name(name.to_string());
    }
    let transport = UreqTransport::new(t.build()?)?;
    let mut client = TsaClient::new(url.to_string(), transport)
        .with_digest(digest)
        .with_options(options);
    if let Some(policy) = policy {
        client = client.with_policy(policy);
    }
    Ok(client)
}

/// Options of `ezla ts verify`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("stamped").required(true).args(["data", "digest_hex"])))]
pub(crate) struct TsVerifyArgs {
    /// The token (DER `TimeStampToken`), or a DER `TimeStampResp` that holds one (what
    /// `openssl ts -reply` writes).
    #[arg(value_name = "TOKEN")]
    token: PathBuf,
    /// The file the token should stamp.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// The hash the token should stamp, in hex (SHA-256, -384 or -512, told by its length).
    #[arg(long, value_name = "HEX")]
    digest_hex: Option<String>,
    /// The TSA policy the token must name.
    #[arg(long, value_name = "OID", value_parser = parse_oid)]
    policy: Option<ObjectIdentifier>,
    /// Trust anchors for the TSA's certificate (PEM or DER; repeatable).
    #[arg(long, value_name = "CA")]
    trust: Vec<PathBuf>,
    /// Print JSON: `{"valid": true, "time", …}` (as `ts query --json`) or `{"valid": false,
    /// "error": …}`.
    #[arg(long)]
    json: bool,
}

/// Runs an `ezla ts` command.
pub(crate) fn run(command: TsCommand) -> Result<ExitCode> {
    match command {
        TsCommand::Query(a) => query(&a),
        TsCommand::Verify(a) => verify(&a),
    }
}

/// The exit status for an error of `ts query`: a refusal by the TSA or a token that does not
/// verify is a negative verdict; what kept the question from being asked or answered is not.
pub(crate) fn status_for(e: &Error) -> u8 {
    match e.family() {
        ErrorFamily::Signature | ErrorFamily::Certificate => exit::NEGATIVE,
        _ => exit::for_error(e),
    }
}

fn query(a: &QueryArgs) -> Result<ExitCode> {
    if let Some(out) = &a.out
        && !a.force
        && out.exists()
    {
        return Err(Error::invalid_argument(
            "output",
            format!("{} exists (use --force to overwrite)", out.display()),
        ));
    }
    let digest = DigestAlgorithm::from(a.digest);
    let hash = hash_file(&a.input, digest)?;
    let client = client(
        &a.tsa,
        digest,
        a.policy,
        &a.trust,
        a.ca.as_deref(),
        a.server_name.as_deref(),
        a.timeout,
    )?;
    let (token, stamp) = client.stamp_digest(digest, &hash)?;
    if let Some(out) = &a.out {
        write_file(out, &token, a.force, false)?;
    }
    let mut v = stamp_json(&stamp);
    v["input"] = json!(a.input.display().to_string());
    v["output"] = json!(a.out.as_ref().map(|p| p.display().to_string()));
    v["tsa_url"] = json!(a.tsa);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", render_stamp("TIME-STAMPED", &stamp));
        if let Some(out) = &a.out {
            eprintln!("wrote the token to {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The `digest` hash of a file (or standard input), read in pieces.
fn hash_file(path: &Path, digest: DigestAlgorithm) -> Result<Vec<u8>> {
    let mut reader: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
    };
    let mut hasher = digest.hasher();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(hasher.finish())
}

fn verify(a: &TsVerifyArgs) -> Result<ExitCode> {
    // What cannot be read stops the command (3); what is read but does not verify is a
    // negative verdict (1), as with `ezla verify`.
    let input = read_file(&a.token)?;
    let data = match &a.data {
        Some(path) => Some(read_content(path)?),
        None => None,
    };
    let hash = match &a.digest_hex {
        Some(text) => Some(digest_from_hex(text)?),
        None => None,
    };
    let mut options = TokenOptions::default();
    if let Some(anchors) = trust_anchors(&a.trust)? {
        options = options.with_trust(anchors);
    }
    options.policy = a.policy;
    let stamped = match (&data, &hash) {
        (Some(d), _) => Stamped::Data(d),
        (None, Some((alg, h))) => Stamped::Digest(*alg, h),
        (None, None) => {
            return Err(Error::invalid_argument(
                "--data",
                "give --data FILE or --digest-hex HEX",
            ));
        }
    };
    let result = token_of(&input).and_then(|token| tsp::verify_token(&token, stamped, &options));
    match result {
        Ok(stamp) => {
            if a.json {
                let mut v = stamp_json(&stamp);
                v["valid"] = Value::Bool(true);
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print!("{}", render_stamp("VALID time-stamp token", &stamp));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if a.json {
                let v = json!({ "valid": false, "error": crate::error_value(&e) });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                println!("INVALID: {e} (code {})", e.code() as u32);
            }
            Ok(exit::code(exit::NEGATIVE))
        }
    }
}

/// The token in `input`: `input` itself, or the token of the granted `TimeStampResp` it is.
fn token_of(input: &[u8]) -> Result<Vec<u8>> {
    match tsp::parse_response(input) {
        // A response: its token, when the TSA granted one.
        Ok(response) => match response.token {
            Some(token) if response.status.is_granted() => Ok(token),
            _ => Err(Error::invalid_argument(
                "TOKEN",
                format!(
                    "a time-stamp response with status {} and no token",
                    response.status.name()
                ),
            )),
        },
        // Not a response: a token (verify_token says what is wrong with it otherwise).
        Err(_) => Ok(input.to_vec()),
    }
}

/// `--digest-hex`: the hash, its algorithm told by its length.
fn digest_from_hex(text: &str) -> Result<(DigestAlgorithm, Vec<u8>)> {
    let bytes = hex::try_decode(text.trim())
        .ok_or_else(|| Error::invalid_argument("--digest-hex", "not hexadecimal"))?;
    let algorithm = [
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ]
    .into_iter()
    .find(|d| d.output_len() == bytes.len())
    .ok_or_else(|| {
        Error::invalid_argument(
            "--digest-hex",
            format!(
                "{} bytes: not a SHA-256 (32), SHA-384 (48) or SHA-512 (64) hash",
                bytes.len()
            ),
        )
    })?;
    Ok((algorithm, bytes))
}

pub(crate) fn stamp_json(s: &TimeStamp) -> Value {
    json!({
        "time": rfc3339(s.time),
        "accuracy_seconds": s.accuracy.map(|d| d.as_seconds_f64()),
        "policy": s.policy.to_string(),
        "serial": s.serial,
        "digest": s.digest.name(),
        "imprint": hex::lower(&s.imprint),
        "nonce": s.nonce.as_deref().map(hex::lower),
        "tsa": certificate_json(&s.tsa),
        "trust": s.trust,
    })
}

fn render_stamp(title: &str, s: &TimeStamp) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if s.trust == "untrusted" {
        let _ = writeln!(out, "{title} by an UNTRUSTED TSA (no --trust given)");
    } else {
        let _ = writeln!(out, "{title}");
    }
    let accuracy = s
        .accuracy
        .map(|d| format!(" (± {} s)", d.as_seconds_f64()))
        .unwrap_or_default();
    let _ = writeln!(out, "  time:        {}{accuracy}", rfc3339(s.time));
    let _ = writeln!(out, "  TSA:         {}", s.tsa.subject());
    let _ = writeln!(out, "  issuer:      {}", s.tsa.issuer());
    let _ = writeln!(out, "  policy:      {}", s.policy);
    let _ = writeln!(out, "  serial:      {}", s.serial);
    let _ = writeln!(
        out,
        "  imprint:     {} {}",
        s.digest.name(),
        hex::lower(&s.imprint)
    );
    let trust = match s.trust {
        "chain" => "chain to a trust anchor at the time stamped".to_owned(),
        other => format!("{other} (no --trust given: anyone can make such a certificate)"),
    };
    let _ = writeln!(out, "  trust:       {trust}");
    out
}
