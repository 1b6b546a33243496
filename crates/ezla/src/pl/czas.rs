//! Polish civil time (*czas urzędowy*): the calendar day in Poland.
//!
//! An e-ZLA's dates are Polish calendar days: a certificate issued at 00:30 on 2 January in
//! Warsaw is dated 2 January, though it is still 1 January in UTC. Validation therefore
//! judges "today" in Polish time, not in UTC.
//!
//! Poland keeps Central European Time (UTC+1) and, in summer, Central European Summer Time
//! (UTC+2), switching with the rest of the EU: at 01:00 UTC on the last Sunday of March to
//! summer time, and at 01:00 UTC on the last Sunday of October back (Directive 2000/84/EC,
//! which Poland applies by regulation of the Prime Minister). The rule is computed here
//! rather than read from a time-zone database, so it holds on any machine; it is the rule
//! in force since 1996, and dates before that are not judged with it.

use time::{Date, Month, OffsetDateTime, Time, UtcOffset, Weekday};

/// The offset of Polish civil time from UTC at `instant`: +1 h (CET) or +2 h (CEST).
pub fn offset_at(instant: OffsetDateTime) -> UtcOffset {
    let utc = instant.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let summer_start = switch_instant(year, Month::March);
    let summer_end = switch_instant(year, Month::October);
    let hours = if utc >= summer_start && utc < summer_end {
        2
    } else {
        1
    };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// `instant` in Polish civil time.
pub fn in_poland(instant: OffsetDateTime) -> OffsetDateTime {
    instant.to_offset(offset_at(instant))
}

/// The calendar day in Poland at `instant`.
pub fn date_at(instant: OffsetDateTime) -> Date {
    in_poland(instant).date()
}

/// Today's date in Poland (from the system clock).
pub fn today() -> Date {
    date_at(OffsetDateTime::now_utc())
}

/// 01:00 UTC on the last Sunday of `month` (March or October) of `year`.
fn switch_instant(year: i32, month: Month) -> OffsetDateTime {
    // Both months have 31 days; the last Sunday is within the last seven.
    let last = Date::from_calendar_date(year, month, 31).unwrap_or(Date::MIN);
    let back = last.weekday().number_days_from_sunday();
    let sunday = last
        .checked_sub(time::Duration::days(i64::from(back)))
        .unwrap_or(last);
    debug_assert!(sunday == Date::MIN || sunday.weekday() == Weekday::Sunday);
    sunday
        .with_time(Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn winter_is_utc_plus_one() {
        let t = datetime!(2026-01-15 12:00 UTC);
        assert_eq!(offset_at(t).whole_hours(), 1);
        assert_eq!(in_poland(t).hour(), 13);
    }

    #[test]
    fn summer_is_utc_plus_two() {
        assert_eq!(offset_at(datetime!(2026-07-01 12:00 UTC)).whole_hours(), 2);
    }

    #[test]
    fn switches_at_one_utc_on_the_last_sundays() {
        // 2026: 29 March and 25 October (both Sundays).
        assert_eq!(date!(2026 - 03 - 29).weekday(), Weekday::Sunday);
        assert_eq!(date!(2026 - 10 - 25).weekday(), Weekday::Sunday);
        assert_eq!(
            offset_at(datetime!(2026-03-29 00:59:59 UTC)).whole_hours(),
            1
        );
        assert_eq!(offset_at(datetime!(2026-03-29 01:00 UTC)).whole_hours(), 2);
        assert_eq!(
            offset_at(datetime!(2026-10-25 00:59:59 UTC)).whole_hours(),
            2
        );
        assert_eq!(offset_at(datetime!(2026-10-25 01:00 UTC)).whole_hours(), 1);
        // A year whose 31 March is itself a Sunday (2024) switches on the 31st.
        assert_eq!(offset_at(datetime!(2024-03-31 01:00 UTC)).whole_hours(), 2);
        assert_eq!(offset_at(datetime!(2024-03-30 23:00 UTC)).whole_hours(), 1);
    }

    #[test]
    fn the_polish_day_starts_before_the_utc_day() {
        // 23:30 UTC on 31 December is 00:30 on 1 January in Warsaw.
        assert_eq!(
            date_at(datetime!(2026-12-31 23:30 UTC)),
            date!(2027 - 01 - 01)
        );
        // In summer the day starts at 22:00 UTC.
        assert_eq!(
            date_at(datetime!(2026-06-30 21:59 UTC)),
            date!(2026 - 06 - 30)
        );
        assert_eq!(
            date_at(datetime!(2026-06-30 22:00 UTC)),
            date!(2026 - 07 - 01)
        );
        // An instant given with another offset is the same instant.
        assert_eq!(
            date_at(datetime!(2027-01-01 00:30 +01:00)),
            date!(2027 - 01 - 01)
        );
    }

    #[test]
    fn the_offset_changes_twice_a_year() {
        // Walking hour by hour through 2025–2034, the offset changes exactly twice a year.
        let mut t = datetime!(2025-01-01 00:00 UTC);
        let end = datetime!(2035-01-01 00:00 UTC);
        let mut last = offset_at(t);
        let mut changes = 0;
        while t < end {
            t += time::Duration::hours(1);
            let now = offset_at(t);
            if now != last {
                changes += 1;
                last = now;
            }
        }
        assert_eq!(changes, 20);
    }
}
