//! Choosing a token and a key, and where the PIN comes from.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::crypto::hex;

/// Which token to use: by its label or by its serial number (both as `C_GetTokenInfo`
/// reports them, without the trailing padding).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenSelector {
    /// The token's label (`CK_TOKEN_INFO.label`).
    Label(String),
    /// The token's serial number (`CK_TOKEN_INFO.serialNumber`).
    Serial(String),
}

impl fmt::Display for TokenSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSelector::Label(l) => write!(f, "label \"{l}\""),
            TokenSelector::Serial(s) => write!(f, "serial \"{s}\""),
        }
    }
}

/// Which private key to use: by `CKA_LABEL` or by `CKA_ID`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySelector {
    /// The key's label (`CKA_LABEL`).
    Label(String),
    /// The key's identifier (`CKA_ID`), which also names its certificate.
    Id(Vec<u8>),
}

impl KeySelector {
    /// A selector from command-line text: `id:` followed by hex digits selects by `CKA_ID`,
    /// anything else is a label.
    pub fn parse(text: &str) -> crate::Result<KeySelector> {
        match text.strip_prefix("id:") {
            Some(digits) => Ok(KeySelector::Id(hex::try_decode(digits).ok_or_else(
                || crate::Error::invalid_argument("key", format!("`{digits}` is not hex")),
            )?)),
            None => Ok(KeySelector::Label(text.to_string())),
        }
    }
}

impl fmt::Display for KeySelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySelector::Label(l) => write!(f, "label \"{l}\""),
            KeySelector::Id(id) => write!(f, "id {}", hex::lower(id)),
        }
    }
}

/// What a PIN callback is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PinRequest<'a> {
    /// The token's label.
    pub token: &'a str,
    /// `true` for the context-specific login a key marked `CKA_ALWAYS_AUTHENTICATE` needs
    /// before each signature; `false` for the user login when the first session opens.
    pub context_specific: bool,
}

/// A PIN callback: returns the PIN, or `None` to decline.
pub type PinCallback = dyn Fn(&PinRequest<'_>) -> Option<Zeroizing<String>> + Send + Sync;

/// Where the PIN comes from. The PIN is held zeroized and never printed.
#[derive(Clone)]
#[non_exhaustive]
pub enum PinSource {
    /// A PIN given directly.
    Value(Zeroizing<String>),
    /// The PIN in an environment variable, read when needed.
    Env(String),
    /// A callback asked each time a PIN is needed (the user login, and each context-specific
    /// login of an always-authenticate key).
    Callback(Arc<PinCallback>),
    /// No PIN: the token authenticates on its own (a PIN pad, `CKF_PROTECTED_AUTHENTICATION_PATH`)
    /// or needs no login.
    None,
}

impl PinSource {
    /// A PIN given directly.
    pub fn value(pin: impl Into<String>) -> Self {
        PinSource::Value(Zeroizing::new(pin.into()))
    }

    /// The PIN in the environment variable `name`.
    pub fn env(name: impl Into<String>) -> Self {
        PinSource::Env(name.into())
    }

    /// A PIN callback.
    pub fn callback(
        f: impl Fn(&PinRequest<'_>) -> Option<Zeroizing<String>> + Send + Sync + 'static,
    ) -> Self {
        PinSource::Callback(Arc::new(f))
    }

    /// The PIN for `request`: `Ok(None)` for [`PinSource::None`], an error when the variable
    /// is unset or the callback declines.
    pub(crate) fn get(&self, request: &PinRequest<'_>) -> crate::Result<Option<Zeroizing<String>>> {
        let unavailable = |detail: String| {
            crate::Error::Key(crate::error::KeyError::PinUnavailable {
                token: request.token.to_string(),
                detail,
            })
        };
        match self {
            PinSource::Value(pin) => Ok(Some(pin.clone())),
            PinSource::Env(name) => match std::env::var(name) {
                Ok(pin) => Ok(Some(Zeroizing::new(pin))),
                Err(_) => Err(unavailable(format!(
                    "the environment variable {name} is not set (or not UTF-8)"
                ))),
            },
            PinSource::Callback(f) => match f(request) {
                Some(pin) => Ok(Some(pin)),
                None => Err(unavailable("the PIN callback declined".to_string())),
            },
            PinSource::None => Ok(None),
        }
    }
}

impl fmt::Debug for PinSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PinSource::Value(_) => f.write_str("PinSource::Value(<redacted>)"),
            PinSource::Env(name) => write!(f, "PinSource::Env({name:?})"),
            PinSource::Callback(_) => f.write_str("PinSource::Callback(..)"),
            PinSource::None => f.write_str("PinSource::None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn selectors_and_pins() {
        assert_eq!(
            KeySelector::parse("id:01ab").expect("id"),
            KeySelector::Id(vec![1, 0xab])
        );
        assert_eq!(
            KeySelector::parse("doctor").expect("label"),
            KeySelector::Label("doctor".into())
        );
        assert!(KeySelector::parse("id:xyz").is_err());
        assert_eq!(KeySelector::Id(vec![1, 0xab]).to_string(), "id 01ab");
        assert_eq!(
            TokenSelector::Label("card".into()).to_string(),
            "label \"card\""
        );
        let req = PinRequest {
            token: "card",
            context_specific: false,
        };
        let secret = PinSource::value("1234");
        assert_eq!(
            secret
                .get(&req)
                .expect("pin")
                .as_deref()
                .map(|s| s.as_str()),
            Some("1234")
        );
        assert!(!format!("{secret:?}").contains("1234"));
        let declined = PinSource::callback(|_| None);
        assert_eq!(
            declined.get(&req).expect_err("declines").code(),
            ErrorCode::PinUnavailable
        );
        let unset = PinSource::env("EZLA_TEST_PIN_THAT_IS_NEVER_SET");
        assert_eq!(
            unset.get(&req).expect_err("unset").code(),
            ErrorCode::PinUnavailable
        );
        assert!(PinSource::None.get(&req).expect("none").is_none());
    }
}
