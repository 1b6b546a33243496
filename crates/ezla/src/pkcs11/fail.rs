//! From `cryptoki` errors to ezla's typed errors.

use cryptoki::error::{Error as CkError, RvError};

use crate::Error;
use crate::error::KeyError;

/// What a `CKR_` value means for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// The PIN is wrong.
    PinIncorrect,
    /// The PIN is locked.
    PinLocked,
    /// The token, its session, its key or the module went away.
    Removed,
    /// Anything else.
    Other,
}

/// Classifies a return value.
pub(crate) fn meaning(rv: RvError) -> Meaning {
    match rv {
        RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange => Meaning::PinIncorrect,
        RvError::PinLocked => Meaning::PinLocked,
        RvError::DeviceRemoved
        | RvError::TokenNotPresent
        | RvError::TokenNotRecognized
        | RvError::SessionHandleInvalid
        | RvError::SessionClosed
        | RvError::SlotIdInvalid
        | RvError::ObjectHandleInvalid
        | RvError::KeyHandleInvalid
        | RvError::CryptokiNotInitialized => Meaning::Removed,
        _ => Meaning::Other,
    }
}

/// `C_Sign: PinIncorrect`-style text for a cryptoki error.
pub(crate) fn describe(e: &CkError) -> String {
    match e {
        CkError::Pkcs11(rv, function) => format!("C_{function:?} returned CKR {rv:?}"),
        other => other.to_string(),
    }
}

/// The typed error for a cryptoki failure during `operation` on `token`.
pub(crate) fn token_error(token: &str, operation: &'static str, e: CkError) -> Error {
    let token = token.to_string();
    let detail = describe(&e);
    let meaning = match &e {
        CkError::Pkcs11(rv, _) => meaning(*rv),
        _ => Meaning::Other,
    };
    Error::Key(match meaning {
        Meaning::PinIncorrect => KeyError::PinIncorrect {
            token,
            tries_low: false,
        },
        Meaning::PinLocked => KeyError::PinLocked { token },
        Meaning::Removed => KeyError::TokenRemoved { token, detail },
        Meaning::Other => KeyError::TokenFailed {
            token,
            operation,
            detail,
        },
    })
}

#[cfg(test)]
mod tests {
    use cryptoki::context::Function;

    use super::*;
    use crate::ErrorCode;

    #[test]
    fn return_values_map_to_typed_errors() {
        let cases = [
            (RvError::PinIncorrect, ErrorCode::PinIncorrect),
            (RvError::PinLocked, ErrorCode::PinLocked),
            (RvError::DeviceRemoved, ErrorCode::TokenRemoved),
            (RvError::TokenNotPresent, ErrorCode::TokenRemoved),
            (RvError::SessionHandleInvalid, ErrorCode::TokenRemoved),
            (RvError::ObjectHandleInvalid, ErrorCode::TokenRemoved),
            (RvError::CryptokiNotInitialized, ErrorCode::TokenRemoved),
            (RvError::MechanismInvalid, ErrorCode::TokenFailed),
            (RvError::GeneralError, ErrorCode::TokenFailed),
        ];
        for (rv, code) in cases {
            let err = token_error("card", "signing", CkError::Pkcs11(rv, Function::Sign));
            assert_eq!(err.code(), code, "{rv:?}: {err}");
            assert!(err.to_string().contains("card"), "{err}");
        }
        let err = token_error(
            "card",
            "signing",
            CkError::Pkcs11(RvError::MechanismInvalid, Function::SignInit),
        );
        assert!(
            err.to_string()
                .contains("C_SignInit returned CKR MechanismInvalid"),
            "{err}"
        );
        let locked = token_error(
            "card",
            "login",
            CkError::Pkcs11(RvError::PinLocked, Function::Login),
        );
        assert!(locked.to_string().contains("locked"), "{locked}");
    }
}
