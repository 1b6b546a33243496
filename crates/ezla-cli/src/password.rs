//! Where passwords come from: a file, an environment variable, or a prompt on a terminal —
//! never a command-line argument, which other users can see in the process list.
//!
//! [`PasswordArgs`] is the `--password-file` / `--password-env` / `--no-password` group
//! shared by every command that opens or writes a protected file; [`NewPasswordArgs`] and
//! [`KeyPasswordArgs`] are the same options under other names, for commands that need a
//! second password.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use zeroize::Zeroizing;

/// A password read from somewhere, zeroized on drop. `None` is "no password at all".
pub(crate) type Password = Option<Zeroizing<String>>;

/// The password of the file being read or written.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct PasswordArgs {
    /// Read the password from this file (its first line; a trailing newline is dropped).
    #[arg(long, value_name = "FILE", group = "password")]
    pub(crate) password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, value_name = "NAME", group = "password")]
    pub(crate) password_env: Option<String>,
    /// The file has no password at all (not even an empty one).
    #[arg(long, group = "password")]
    pub(crate) no_password: bool,
}

/// A second password for the file being written (`convert`); defaults to the first.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct NewPasswordArgs {
    /// Read the new password from this file.
    #[arg(long, value_name = "FILE", group = "new_password")]
    pub(crate) new_password_file: Option<PathBuf>,
    /// Read the new password from this environment variable.
    #[arg(long, value_name = "NAME", group = "new_password")]
    pub(crate) new_password_env: Option<String>,
}

/// The password of a private key file (`bundle`); defaults to the output password.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct KeyPasswordArgs {
    /// Read the key's password from this file.
    #[arg(long, value_name = "FILE", group = "key_password")]
    pub(crate) key_password_file: Option<PathBuf>,
    /// Read the key's password from this environment variable.
    #[arg(long, value_name = "NAME", group = "key_password")]
    pub(crate) key_password_env: Option<String>,
}

impl PasswordArgs {
    /// The password to open an existing file; prompts once on a terminal.
    pub(crate) fn for_reading(&self, what: &str) -> ezla::Result<Password> {
        if self.no_password {
            return Ok(None);
        }
        resolve(
            self.password_file.as_deref(),
            self.password_env.as_deref(),
            "--password-env",
        )?
        .map(|p| Ok(Some(p)))
        .unwrap_or_else(|| prompt(&format!("Password for {what}: "), false).map(Some))
    }

    /// The password for a new file; prompts twice on a terminal. `--no-password` writes an
    /// empty password.
    pub(crate) fn for_writing(&self, what: &str) -> ezla::Result<Zeroizing<String>> {
        if self.no_password {
            return Ok(Zeroizing::new(String::new()));
        }
        match resolve(
            self.password_file.as_deref(),
            self.password_env.as_deref(),
            "--password-env",
        )? {
            Some(p) => Ok(p),
            None => prompt(&format!("New password for {what}: "), true),
        }
    }

    /// Whether a source was given on the command line.
    pub(crate) fn given(&self) -> bool {
        self.no_password || self.password_file.is_some() || self.password_env.is_some()
    }
}

impl NewPasswordArgs {
    /// The new password, if one was given.
    pub(crate) fn get(&self) -> ezla::Result<Option<Zeroizing<String>>> {
        resolve(
            self.new_password_file.as_deref(),
            self.new_password_env.as_deref(),
            "--new-password-env",
        )
    }
}

impl KeyPasswordArgs {
    /// The key's password, if one was given.
    pub(crate) fn get(&self) -> ezla::Result<Option<Zeroizing<String>>> {
        resolve(
            self.key_password_file.as_deref(),
            self.key_password_env.as_deref(),
            "--key-password-env",
        )
    }
}

/// The password from a file or an environment variable, if either is given.
fn resolve(
    file: Option<&Path>,
    env: Option<&str>,
    option: &'static str,
) -> ezla::Result<Option<Zeroizing<String>>> {
    if let Some(path) = file {
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| ezla::Error::io(path, e))?);
        let text = std::str::from_utf8(&bytes).map_err(|_| ezla::Error::InvalidUtf8 {
            what: "the password file",
        })?;
        let line = text.split('\n').next().unwrap_or_default();
        let line = line.strip_suffix('\r').unwrap_or(line);
        return Ok(Some(Zeroizing::new(line.to_string())));
    }
    if let Some(name) = env {
        return match std::env::var(name) {
            Ok(v) => Ok(Some(Zeroizing::new(v))),
            Err(std::env::VarError::NotPresent) => Err(ezla::Error::invalid_argument(
                option,
                format!("the environment variable {name} is not set"),
            )),
            Err(std::env::VarError::NotUnicode(_)) => Err(ezla::Error::InvalidUtf8 {
                what: "the password environment variable",
            }),
        };
    }
    Ok(None)
}

/// Asks on the terminal; refuses when there is none, so scripts fail instead of hanging.
fn prompt(text: &str, confirm: bool) -> ezla::Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        return Err(ezla::Error::invalid_argument(
            "password",
            "no password given: use --password-file FILE or --password-env NAME \
             (or run on a terminal to be asked)",
        ));
    }
    let first = Zeroizing::new(rpassword::prompt_password(text).map_err(ezla::Error::from)?);
    if confirm {
        let again =
            Zeroizing::new(rpassword::prompt_password("Repeat it: ").map_err(ezla::Error::from)?);
        if *again != *first {
            return Err(ezla::Error::invalid_argument(
                "password",
                "the two entries differ",
            ));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_lose_one_trailing_newline_only() {
        let dir = std::env::temp_dir().join(format!("ezla-pw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        for (content, want) in [
            ("secret\n", "secret"),
            ("secret\r\n", "secret"),
            (" spaced secret \nsecond line", " spaced secret "),
            ("", ""),
        ] {
            let f = dir.join("pw");
            std::fs::write(&f, content).expect("write");
            let got = resolve(Some(&f), None, "-").expect("read").expect("some");
            assert_eq!(got.as_str(), want);
        }
        std::fs::remove_dir_all(&dir).ok();
        assert!(resolve(None, Some("EZLA_SURELY_UNSET_VARIABLE"), "-").is_err());
        assert!(resolve(None, None, "-").expect("none").is_none());
    }
}
