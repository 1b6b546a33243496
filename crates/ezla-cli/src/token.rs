//! Keys on PKCS#11 tokens: the options `ezla sign` takes instead of `--pfx`, and
//! `ezla token list`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ezla::pkcs11::{
    KeySelector, Module, ObjectKind, PinSource, Pkcs11Signer, SignerOptions, TokenInfo,
    TokenObject, TokenSelector,
};
use ezla::pki::{Certificate, ExpiryPolicy};
use ezla::{Error, Result};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use crate::files::read_file;

/// Where the signing key is when it is on a token.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct Pkcs11Args {
    /// Sign with a key on a PKCS#11 token (smart card, HSM) through this module, e.g.
    /// /usr/lib/softhsm/libsofthsm2.so or the card vendor's library; instead of --pfx.
    #[arg(long, value_name = "PATH")]
    pub(crate) pkcs11_module: Option<PathBuf>,
    /// The token's label (with --pkcs11-module).
    #[arg(long, value_name = "LABEL", requires = "pkcs11_module")]
    pub(crate) token: Option<String>,
    /// The token's serial number, instead of --token.
    #[arg(
        long,
        value_name = "SERIAL",
        requires = "pkcs11_module",
        conflicts_with = "token"
    )]
    pub(crate) token_serial: Option<String>,
    /// The key's label, or `id:` and its CKA_ID in hex (with --pkcs11-module).
    #[arg(long, value_name = "LABEL|id:HEX", requires = "pkcs11_module")]
    pub(crate) key: Option<String>,
    /// Read the token PIN from this environment variable; without it the PIN is asked on
    /// the terminal (for an always-authenticate key, before each signature).
    #[arg(long, value_name = "NAME", requires = "pkcs11_module")]
    pub(crate) pin_env: Option<String>,
    /// The signer's certificate (PEM or DER) when it is not on the token.
    #[arg(long, value_name = "FILE", requires = "pkcs11_module")]
    pub(crate) token_cert: Option<PathBuf>,
}

impl Pkcs11Args {
    /// The token selector: --token or --token-serial.
    fn token_selector(&self) -> Option<TokenSelector> {
        match (&self.token, &self.token_serial) {
            (Some(l), _) => Some(TokenSelector::Label(l.clone())),
            (None, Some(s)) => Some(TokenSelector::Serial(s.clone())),
            (None, None) => None,
        }
    }

    /// Opens the signer the options name.
    pub(crate) fn open_signer(&self, module_path: &Path) -> Result<Pkcs11Signer> {
        let token = self.token_selector().ok_or_else(|| {
            Error::invalid_argument(
                "--token",
                "--pkcs11-module needs --token LABEL or --token-serial SERIAL",
            )
        })?;
        let key = KeySelector::parse(self.key.as_deref().ok_or_else(|| {
            Error::invalid_argument("--key", "--pkcs11-module needs --key LABEL (or id:HEX)")
        })?)?;
        let mut options = SignerOptions::new(token, key, pin_source(self.pin_env.as_deref())?);
        if let Some(path) = &self.token_cert {
            options = options.certificate(Certificate::from_der_or_pem(&read_file(path)?)?);
        }
        let module = Module::open(module_path)?;
        Pkcs11Signer::open(&module, options)
    }
}

/// The PIN from `--pin-env`, or a prompt on the terminal (refused without one, so scripts
/// fail instead of hanging).
pub(crate) fn pin_source(env: Option<&str>) -> Result<PinSource> {
    if let Some(name) = env {
        if std::env::var_os(name).is_none() {
            return Err(Error::invalid_argument(
                "--pin-env",
                format!("the environment variable {name} is not set"),
            ));
        }
        return Ok(PinSource::env(name));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid_argument(
            "--pin-env",
            "no PIN given: use --pin-env NAME (or run on a terminal to be asked)",
        ));
    }
    Ok(PinSource::callback(|request| {
        let text = if request.context_specific {
            format!("PIN for token {} (this signature): ", request.token)
        } else {
            format!("PIN for token {}: ", request.token)
        };
        rpassword::prompt_password(text).ok().map(Zeroizing::new)
    }))
}

/// `ezla token …`.
#[derive(Subcommand, Debug)]
pub(crate) enum TokenCommand {
    /// List the tokens of a PKCS#11 module with their keys and certificates, and each
    /// certificate's expiry status as `ezla cert check` gives it. Exit status: as `cert
    /// check` over the certificates (0 all valid, 1 renewal window or expiring, 2 expired or
    /// not yet valid), 3 when the module or a token cannot be read.
    List(ListArgs),
}

impl TokenCommand {
    /// Whether JSON output was asked for.
    pub(crate) fn json(&self) -> bool {
        match self {
            TokenCommand::List(a) => a.json,
        }
    }
}

/// Options of `ezla token list`.
#[derive(Args, Debug)]
pub(crate) struct ListArgs {
    /// The PKCS#11 module.
    #[arg(long, value_name = "PATH")]
    pkcs11_module: PathBuf,
    /// Only the token with this label.
    #[arg(long, value_name = "LABEL")]
    token: Option<String>,
    /// Log in with the PIN in this environment variable, to list private keys too (without
    /// it only public objects: certificates and public keys).
    #[arg(long, value_name = "NAME")]
    pin_env: Option<String>,
    /// Print JSON: `{"module", "at", "exit_status", "tokens": [{"label", "serial", …,
    /// "objects": [{"kind", "label", "id", "key", "certificate"}]}]}`.
    #[arg(long)]
    json: bool,
}

/// Runs `ezla token …`.
pub(crate) fn run(command: TokenCommand) -> Result<ExitCode> {
    match command {
        TokenCommand::List(a) => list(&a),
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

fn list(a: &ListArgs) -> Result<ExitCode> {
    let module = Module::open(&a.pkcs11_module)?;
    let pin = match &a.pin_env {
        Some(name) => pin_source(Some(name))?,
        None => PinSource::None,
    };
    let at = crate::cert::now();
    let policy = ExpiryPolicy::ZUS;
    let mut tokens: Vec<(TokenInfo, Vec<TokenObject>)> = Vec::new();
    for info in module.tokens()? {
        if a.token.as_ref().is_some_and(|l| *l != info.label) {
            continue;
        }
        let objects = module.objects(&TokenSelector::Serial(info.serial.clone()), &pin)?;
        tokens.push((info, objects));
    }
    if let Some(label) = &a.token
        && tokens.is_empty()
    {
        return Err(Error::Key(ezla::error::KeyError::TokenNotFound {
            token: format!("label \"{label}\""),
            detail: "not in this module".to_string(),
        }));
    }
    let worst = crate::exit::most_urgent(tokens.iter().flat_map(|(_, objects)| {
        objects
            .iter()
            .filter_map(|o| o.certificate.as_ref())
            .map(|c| crate::cert::severity(c.status_at(at, &policy)))
    }));
    if a.json {
        let v = json!({
            "module": module.path().display().to_string(),
            "at": rfc3339(at),
            "exit_status": worst,
            "tokens": tokens.iter().map(|(t, objects)| token_json(t, objects, at, &policy)).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", list_text(&tokens, at, &policy, a.pin_env.is_some()));
    }
    Ok(crate::exit::code(worst))
}

fn token_json(
    t: &TokenInfo,
    objects: &[TokenObject],
    at: OffsetDateTime,
    policy: &ExpiryPolicy,
) -> Value {
    json!({
        "label": t.label,
        "serial": t.serial,
        "manufacturer": t.manufacturer,
        "model": t.model,
        "slot": t.slot,
        "login_required": t.login_required,
        "pin_locked": t.pin_locked,
        "pin_count_low": t.pin_count_low,
        "objects": objects.iter().map(|o| object_json(o, at, policy)).collect::<Vec<_>>(),
    })
}

fn object_json(o: &TokenObject, at: OffsetDateTime, policy: &ExpiryPolicy) -> Value {
    json!({
        "kind": o.kind.name(),
        "label": o.label,
        "id": ezla::crypto::hex::lower(&o.id),
        "key": o.key_kind.map(|k| json!({
            "algorithm": k.algorithm_name(),
            "bits": k.bits(),
            "curve": k.curve_name(),
        })),
        "always_authenticate": o.always_authenticate,
        "certificate": o.certificate.as_ref().map(|c| {
            let s = c.status_at(at, policy);
            json!({
                "subject": c.subject().to_rfc4514(),
                "serial_hex": c.serial_hex(),
                "not_after": rfc3339(c.not_after()),
                "status": s.name(),
                "days_left": s.days_left(),
                "renewal_opens": rfc3339(s.renewal_opens()),
            })
        }),
    })
}

fn list_text(
    tokens: &[(TokenInfo, Vec<TokenObject>)],
    at: OffsetDateTime,
    policy: &ExpiryPolicy,
    logged_in: bool,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if tokens.is_empty() {
        out.push_str("no tokens\n");
    }
    for (t, objects) in tokens {
        let _ = writeln!(
            out,
            "token \"{}\"  serial {}  {} {}  slot {}{}{}",
            t.label,
            t.serial,
            t.manufacturer,
            t.model,
            t.slot,
            if t.pin_locked { "  PIN LOCKED" } else { "" },
            if t.pin_count_low {
                "  (PIN: few tries left)"
            } else {
                ""
            },
        );
        for o in objects {
            let id = ezla::crypto::hex::lower(&o.id);
            let detail = match (&o.certificate, o.key_kind) {
                (Some(c), _) => {
                    let s = c.status_at(at, policy);
                    format!(
                        "{}  {} days  until {}  {}",
                        s.name(),
                        s.days_left(),
                        c.not_after().date(),
                        c.subject()
                            .common_name()
                            .map(str::to_string)
                            .unwrap_or_else(|| c.subject().to_rfc4514())
                    )
                }
                (None, Some(k)) => {
                    let mut d = k.to_string();
                    if o.always_authenticate {
                        d.push_str("  always-authenticate");
                    }
                    d
                }
                (None, None) if o.kind == ObjectKind::Certificate => {
                    "unreadable certificate".to_string()
                }
                (None, None) => "key type not used by ezla".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<11}  {:<16}  id {:<6}  {detail}",
                o.kind.name(),
                o.label,
                id
            );
        }
        if !logged_in && t.login_required {
            out.push_str("  (private keys are listed after a login: --pin-env NAME)\n");
        }
    }
    out
}
