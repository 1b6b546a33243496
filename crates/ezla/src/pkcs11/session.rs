//! One PKCS#11 session, counted and always closed.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use cryptoki::error::{Error as CkError, RvError};
use cryptoki::session::{Session, SessionState, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

use super::fail::token_error;
use super::module::{Loaded, Module, TokenInfo};
use super::select::{PinRequest, PinSource};
use crate::Result;
use crate::error::KeyError;

/// A read-only session that ezla counts in [`Module::open_sessions`] and closes on drop.
///
/// `Send`, not `Sync` (as `cryptoki`'s `Session`): a session serves one thread at a time.
#[derive(Debug)]
pub(crate) struct TokenSession {
    session: Option<Session>,
    loaded: Arc<Loaded>,
    slot: Slot,
}

impl TokenSession {
    /// Opens a session on `slot` and, when the token needs it and the application is not
    /// logged in yet (the login state is shared by all of an application's sessions on a
    /// token), logs the user in with a PIN from `pin`.
    pub(crate) fn open(
        module: &Module,
        slot: Slot,
        token: &TokenInfo,
        pin: &PinSource,
    ) -> Result<TokenSession> {
        let loaded = Arc::clone(module.loaded());
        let session = loaded
            .ctx
            .open_ro_session(slot)
            .map_err(|e| token_error(&token.label, "opening a session", e))?;
        loaded.sessions.fetch_add(1, Ordering::SeqCst);
        let this = TokenSession {
            session: Some(session),
            loaded,
            slot,
        };
        if token.login_required {
            this.login_user(token, pin)?;
        }
        Ok(this)
    }

    /// The underlying session.
    pub(crate) fn session(&self) -> &Session {
        // Always `Some` until drop.
        match &self.session {
            Some(s) => s,
            None => unreachable!("a TokenSession is only emptied by its drop"),
        }
    }

    fn login_user(&self, token: &TokenInfo, pin: &PinSource) -> Result<()> {
        let state = self
            .session()
            .get_session_info()
            .map_err(|e| token_error(&token.label, "reading the session state", e))?
            .session_state();
        if !matches!(state, SessionState::RoPublic | SessionState::RwPublic) {
            return Ok(());
        }
        if token.pin_locked {
            return Err(crate::Error::Key(KeyError::PinLocked {
                token: token.label.clone(),
            }));
        }
        let request = PinRequest {
            token: &token.label,
            context_specific: false,
        };
        let secret = pin.get(&request)?;
        if secret.is_none() && !token.protected_authentication_path {
            // No PIN and no PIN pad: stay public (certificates and public keys only).
            return Ok(());
        }
        self.login(token, UserType::User, secret.as_deref().map(|s| s.as_str()))
    }

    /// `C_Login` as `user`; `CKR_USER_ALREADY_LOGGED_IN` counts as success.
    pub(crate) fn login(&self, token: &TokenInfo, user: UserType, pin: Option<&str>) -> Result<()> {
        let pin = pin.map(|p| AuthPin::from(p.to_string()));
        match self.session().login(user, pin.as_ref()) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
            Err(e) => {
                let mut err = token_error(&token.label, "logging in", e);
                if let crate::Error::Key(KeyError::PinIncorrect { tries_low, .. }) = &mut err {
                    // The token's flags after the failure say whether the PIN is near locking.
                    if let Ok(info) = self.loaded.ctx.get_token_info(self.slot()) {
                        *tries_low = info.user_pin_count_low() || info.user_pin_final_try();
                        if info.user_pin_locked() {
                            err = crate::Error::Key(KeyError::PinLocked {
                                token: token.label.clone(),
                            });
                        }
                    }
                }
                Err(err)
            }
        }
    }

    fn slot(&self) -> Slot {
        self.slot
    }
}

impl Drop for TokenSession {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            // `C_CloseSession` fails only when the session is gone already (token removed,
            // module finalized): closed either way.
            let _ = session.close();
            self.loaded.sessions.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
