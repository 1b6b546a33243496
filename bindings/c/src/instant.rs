//! Instants at the C boundary: Unix seconds (UTC), with `EZLA_NOW` for "the current time".

use time::OffsetDateTime;

/// Pass as an instant (`int64_t`, Unix seconds) to mean "now": the current time when the
/// call runs.
pub const EZLA_NOW: i64 = i64::MIN;

/// Unix seconds of an instant.
pub(crate) fn unix(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}
