//! The expiry policy of ZUS certificates.
//!
//! A ZUS certificate is valid for five years. A new one may be requested from 28 days before
//! the old one expires (the *renewal window*), and ZUS starts warning 14 days before expiry.
//! [`ExpiryPolicy`] holds those two thresholds (configurable, for other certificates) and
//! [`ExpiryPolicy::status`] tells where a certificate stands at an instant.
//!
//! # Semantics
//!
//! All instants are UTC; `remaining` is `notAfter − at`.
//!
//! * **Not yet valid**: `at < notBefore`.
//! * **Expired**: `at > notAfter` (a certificate is valid *through* its `notAfter`, RFC 5280
//!   §4.1.2.5).
//! * **Expiring**: `remaining ≤ warning_days × 24 h`.
//! * **Renewal window**: `remaining ≤ renewal_window_days × 24 h`.
//! * **Valid**: otherwise.
//!
//! The checks apply in that order. `days_left` is the number of *whole* days remaining,
//! rounded down: `⌊remaining / 24 h⌋`, so it is `0` during the last day, and negative once
//! expired (`-1` during the first day after `notAfter`). Because the window boundaries are
//! exact instants, a certificate can still be *Valid* with `days_left == 28` during the last
//! hours before the window opens. `renewal_opens` is the instant `notAfter − renewal_window_days × 24 h`.

use std::fmt;

use time::{Duration, OffsetDateTime};

/// Thresholds of the expiry policy, in days before `notAfter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExpiryPolicy {
    /// From this many days before expiry a new certificate may be requested (ZUS: 28).
    pub renewal_window_days: u32,
    /// From this many days before expiry the holder is warned (ZUS: 14).
    pub warning_days: u32,
}

impl Default for ExpiryPolicy {
    /// The ZUS policy: renewal window 28 days, warning 14 days.
    fn default() -> Self {
        ExpiryPolicy::ZUS
    }
}

impl ExpiryPolicy {
    /// The ZUS policy: renewal window 28 days, warning 14 days.
    pub const ZUS: ExpiryPolicy = ExpiryPolicy {
        renewal_window_days: 28,
        warning_days: 14,
    };

    /// Where a certificate valid from `not_before` to `not_after` stands at `at`.
    pub fn status(
        &self,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        at: OffsetDateTime,
    ) -> ExpiryStatus {
        let remaining = not_after - at;
        let days_left = remaining.whole_seconds().div_euclid(86_400);
        let renewal_opens = not_after - Duration::days(i64::from(self.renewal_window_days));
        let state = if at < not_before {
            State::NotYetValid
        } else if at > not_after {
            State::Expired
        } else if remaining <= Duration::days(i64::from(self.warning_days)) {
            State::Expiring
        } else if remaining <= Duration::days(i64::from(self.renewal_window_days)) {
            State::RenewalWindow
        } else {
            State::Valid
        };
        match state {
            State::NotYetValid => ExpiryStatus::NotYetValid {
                days_left,
                renewal_opens,
                not_after,
            },
            State::Valid => ExpiryStatus::Valid {
                days_left,
                renewal_opens,
                not_after,
            },
            State::RenewalWindow => ExpiryStatus::RenewalWindow {
                days_left,
                renewal_opens,
                not_after,
            },
            State::Expiring => ExpiryStatus::Expiring {
                days_left,
                renewal_opens,
                not_after,
            },
            State::Expired => ExpiryStatus::Expired {
                days_left,
                renewal_opens,
                not_after,
            },
        }
    }
}

enum State {
    NotYetValid,
    Valid,
    RenewalWindow,
    Expiring,
    Expired,
}

/// Where a certificate stands under an [`ExpiryPolicy`] at an instant.
///
/// Every variant carries `days_left` (whole days until `notAfter`, rounded down; negative
/// once expired), `renewal_opens` (when a new certificate may be requested) and
/// `not_after`; see the
/// [module documentation](self) for the exact rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExpiryStatus {
    /// Before `notBefore`.
    NotYetValid {
        /// Whole days until `notAfter`.
        days_left: i64,
        /// When the renewal window opens.
        renewal_opens: OffsetDateTime,
        /// End of the certificate's validity.
        not_after: OffsetDateTime,
    },
    /// Valid, before the renewal window.
    Valid {
        /// Whole days until `notAfter`.
        days_left: i64,
        /// When the renewal window opens.
        renewal_opens: OffsetDateTime,
        /// End of the certificate's validity.
        not_after: OffsetDateTime,
    },
    /// In the renewal window: a new certificate may be requested.
    RenewalWindow {
        /// Whole days until `notAfter`.
        days_left: i64,
        /// When the renewal window opened.
        renewal_opens: OffsetDateTime,
        /// End of the certificate's validity.
        not_after: OffsetDateTime,
    },
    /// In the warning period: renew now.
    Expiring {
        /// Whole days until `notAfter`.
        days_left: i64,
        /// When the renewal window opened.
        renewal_opens: OffsetDateTime,
        /// End of the certificate's validity.
        not_after: OffsetDateTime,
    },
    /// After `notAfter`.
    Expired {
        /// Whole days until `notAfter`: negative.
        days_left: i64,
        /// When the renewal window opened.
        renewal_opens: OffsetDateTime,
        /// End of the certificate's validity.
        not_after: OffsetDateTime,
    },
}

impl ExpiryStatus {
    /// Whole days until `notAfter`, rounded down (negative once expired).
    pub fn days_left(&self) -> i64 {
        match *self {
            ExpiryStatus::NotYetValid { days_left, .. }
            | ExpiryStatus::Valid { days_left, .. }
            | ExpiryStatus::RenewalWindow { days_left, .. }
            | ExpiryStatus::Expiring { days_left, .. }
            | ExpiryStatus::Expired { days_left, .. } => days_left,
        }
    }

    /// When the renewal window opens (or opened).
    pub fn renewal_opens(&self) -> OffsetDateTime {
        match *self {
            ExpiryStatus::NotYetValid { renewal_opens, .. }
            | ExpiryStatus::Valid { renewal_opens, .. }
            | ExpiryStatus::RenewalWindow { renewal_opens, .. }
            | ExpiryStatus::Expiring { renewal_opens, .. }
            | ExpiryStatus::Expired { renewal_opens, .. } => renewal_opens,
        }
    }

    /// End of the certificate's validity.
    pub fn not_after(&self) -> OffsetDateTime {
        match *self {
            ExpiryStatus::NotYetValid { not_after, .. }
            | ExpiryStatus::Valid { not_after, .. }
            | ExpiryStatus::RenewalWindow { not_after, .. }
            | ExpiryStatus::Expiring { not_after, .. }
            | ExpiryStatus::Expired { not_after, .. } => not_after,
        }
    }

    /// A stable machine-readable name: `not-yet-valid`, `valid`, `renewal-window`,
    /// `expiring`, `expired`.
    pub const fn name(&self) -> &'static str {
        match self {
            ExpiryStatus::NotYetValid { .. } => "not-yet-valid",
            ExpiryStatus::Valid { .. } => "valid",
            ExpiryStatus::RenewalWindow { .. } => "renewal-window",
            ExpiryStatus::Expiring { .. } => "expiring",
            ExpiryStatus::Expired { .. } => "expired",
        }
    }

    /// Whether the certificate can be used at the instant (valid, in the renewal window or
    /// expiring).
    pub const fn is_usable(&self) -> bool {
        matches!(
            self,
            ExpiryStatus::Valid { .. }
                | ExpiryStatus::RenewalWindow { .. }
                | ExpiryStatus::Expiring { .. }
        )
    }
}

impl fmt::Display for ExpiryStatus {
    /// A sentence for people, e.g. `renewal window: 20 days left; a new certificate may be
    /// requested since 2026-05-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.renewal_opens().date();
        let days = |n: i64| {
            if n == 1 {
                "1 day".to_string()
            } else {
                format!("{n} days")
            }
        };
        match *self {
            ExpiryStatus::NotYetValid { .. } => f.write_str("not yet valid"),
            ExpiryStatus::Valid { days_left, .. } => {
                write!(f, "valid: {} left; renewal opens {date}", days(days_left))
            }
            ExpiryStatus::RenewalWindow { days_left, .. } => write!(
                f,
                "renewal window: {} left; a new certificate may be requested since {date}",
                days(days_left)
            ),
            ExpiryStatus::Expiring { days_left, .. } => write!(
                f,
                "expiring: {} left; request a new certificate now",
                days(days_left)
            ),
            ExpiryStatus::Expired { not_after, .. } => {
                write!(f, "expired on {}", not_after.date())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NB: OffsetDateTime = datetime!(2022-01-10 12:00 UTC);
    const NA: OffsetDateTime = datetime!(2027-01-10 12:00 UTC);

    fn at(t: OffsetDateTime) -> ExpiryStatus {
        ExpiryPolicy::default().status(NB, NA, t)
    }

    #[test]
    fn boundaries_are_exact_instants() {
        let s = |d: Duration| at(NA - d);
        let sec = Duration::SECOND;
        // (time before notAfter, expected state, days_left)
        let cases = [
            (Duration::days(400), "valid", 400),
            (Duration::days(28) + sec, "valid", 28),
            (Duration::days(28), "renewal-window", 28),
            (Duration::days(14) + sec, "renewal-window", 14),
            (Duration::days(14), "expiring", 14),
            (Duration::hours(23), "expiring", 0),
            (Duration::ZERO, "expiring", 0),
            (-sec, "expired", -1),
            (-Duration::days(1), "expired", -1),
            (-Duration::days(1) - sec, "expired", -2),
        ];
        for (before, name, days) in cases {
            let status = s(before);
            assert_eq!(status.name(), name, "{before}");
            assert_eq!(status.days_left(), days, "{before}");
            assert_eq!(status.renewal_opens(), datetime!(2026-12-13 12:00 UTC));
        }
        assert_eq!(at(NB - sec).name(), "not-yet-valid");
        assert_eq!(at(NB).name(), "valid");
        assert!(at(NB).is_usable());
        assert!(!at(NA + sec).is_usable());
    }

    #[test]
    fn thresholds_are_configurable_and_display_reads_well() {
        let policy = ExpiryPolicy {
            renewal_window_days: 60,
            warning_days: 30,
        };
        assert_eq!(
            policy.status(NB, NA, NA - Duration::days(45)).name(),
            "renewal-window"
        );
        assert_eq!(
            policy.status(NB, NA, NA - Duration::days(29)).name(),
            "expiring"
        );
        assert_eq!(
            at(NA - Duration::days(20)).to_string(),
            "renewal window: 20 days left; a new certificate may be requested since 2026-12-13"
        );
        assert_eq!(
            at(NA - Duration::hours(36)).to_string(),
            "expiring: 1 day left; request a new certificate now"
        );
        assert_eq!(
            at(NA + Duration::days(3)).to_string(),
            "expired on 2027-01-10"
        );
        assert_eq!(
            at(NB).to_string(),
            "valid: 1826 days left; renewal opens 2026-12-13"
        );
    }
}
