//! The exit statuses of every `ezla` command: one scheme, written in `docs/cli.md`.
//!
//! | status | meaning |
//! |---:|---|
//! | 0 | success; the signature, document or certificates are valid |
//! | 1 | a negative verdict: the signature or document is invalid or refused; `cert check`: a certificate is in the renewal window or expiring (WARNING) |
//! | 2 | `cert check` only: a certificate is expired or not yet valid (CRITICAL) |
//! | 3 | the command could not do its job: a file missing or unreadable, input it cannot read, a wrong password, a failed write; `cert check`: a file it cannot read (UNKNOWN) |
//! | 64 | usage: the command line is wrong (an unknown option, a missing or unusable argument) |
//!
//! 0–3 are the statuses of monitoring plugins (Nagios, Icinga, Zabbix) in their order: OK,
//! WARNING, CRITICAL, UNKNOWN. 64 is `EX_USAGE` of `sysexits.h`, apart from all of them.

use std::process::ExitCode;

use ezla::{Error, ErrorCode};

/// Success, or a positive verdict.
pub(crate) const SUCCESS: u8 = 0;
/// A negative verdict (invalid, refused), or WARNING in `cert check`.
pub(crate) const NEGATIVE: u8 = 1;
/// `cert check`: CRITICAL (expired, not yet valid).
pub(crate) const CRITICAL: u8 = 2;
/// The command could not do its job; UNKNOWN in `cert check`.
pub(crate) const ERROR: u8 = 3;
/// The command line is wrong.
pub(crate) const USAGE: u8 = 64;

/// The status for an error that stopped a command: usage for an unusable argument, else
/// [`ERROR`].
pub(crate) fn for_error(e: &Error) -> u8 {
    if e.code() == ErrorCode::InvalidArgument {
        USAGE
    } else {
        ERROR
    }
}

/// `cert check`'s status over several rows: the most urgent one, CRITICAL before UNKNOWN
/// before WARNING before OK (an expired certificate is worth a page even when another file
/// could not be read).
pub(crate) fn most_urgent(statuses: impl IntoIterator<Item = u8>) -> u8 {
    let rank = |s: u8| match s {
        CRITICAL => 3,
        ERROR => 2,
        NEGATIVE => 1,
        _ => 0,
    };
    statuses
        .into_iter()
        .max_by_key(|&s| rank(s))
        .unwrap_or(SUCCESS)
}

/// An [`ExitCode`] from one of the statuses above.
pub(crate) fn code(status: u8) -> ExitCode {
    ExitCode::from(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_distinct_and_urgency_is_ordered() {
        let all = [SUCCESS, NEGATIVE, CRITICAL, ERROR, USAGE];
        for (i, a) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|b| a != b));
        }
        assert_eq!(most_urgent([SUCCESS, NEGATIVE, ERROR, CRITICAL]), CRITICAL);
        assert_eq!(most_urgent([NEGATIVE, ERROR]), ERROR);
        assert_eq!(most_urgent([SUCCESS, NEGATIVE]), NEGATIVE);
        assert_eq!(most_urgent([]), SUCCESS);
        assert_eq!(for_error(&Error::invalid_argument("--at", "x")), USAGE);
        assert_eq!(for_error(&Error::internal("x")), ERROR);
    }
}
