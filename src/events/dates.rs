//! Date parsing for event files (`2020-03-21`, `21 March 2020`) and the partial
//! dates of position files (`2022`, `2022-07`, `2022-07-22`).

use jiff::SignedDuration;
use jiff::civil::Date;

/// The day that day number 0 stands for in the event table.
const EPOCH: Date = Date::constant(1970, 1, 1);

/// Days since 1970-01-01 (negative before). Every jiff date fits in an `i32`
/// (jiff stops at year 9999, about 3 million days out).
pub fn date_to_days(date: Date) -> i32 {
    // Civil days are exactly 24 hours, so whole hours / 24 is exact.
    let days = date.duration_since(EPOCH).as_hours() / 24;
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// The date of a day number from [`date_to_days`]. Numbers beyond jiff's range
/// (years -9999..=9999) are clamped to its ends instead of panicking.
pub fn days_to_date(days: i32) -> Date {
    EPOCH.saturating_add(SignedDuration::from_hours(i64::from(days) * 24))
}

/// Parses an ACLED `event_date`: `YYYY-MM-DD` (current exports) or
/// `D Month YYYY` (older exports: full English month name or its 3-letter
/// abbreviation, any case). Impossible dates such as 2025-02-30 give `None`.
pub fn parse_event_date(s: &str) -> Option<Date> {
    let s = s.trim();
    parse_iso_day(s).or_else(|| parse_day_month_year(s))
}

/// `YYYY-MM-DD` with exactly these widths; the fast path for current exports.
fn parse_iso_day(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    make_date(year, month, day)
}

/// `21 March 2020`, `1 jul 2025`: three whitespace-separated parts.
fn parse_day_month_year(s: &str) -> Option<Date> {
    let mut parts = s.split_ascii_whitespace();
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || day.len() > 2 || year.len() != 4 {
        return None;
    }
    make_date(
        digits(year.as_bytes())?,
        month_number(month)?,
        digits(day.as_bytes())?,
    )
}

/// Month number of an English month name or 3-letter abbreviation.
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(1..)
        .find(|(full, _)| {
            name.eq_ignore_ascii_case(full)
                || (name.len() == 3 && full.get(..3).is_some_and(|a| name.eq_ignore_ascii_case(a)))
        })
        .map(|(_, n)| n)
}

/// Value of a non-empty run of ASCII digits (at most 4 are ever passed).
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Builds a date, letting jiff reject day 0, day 31 of 30-day months, Feb 29
/// of common years and so on.
fn make_date(year: u32, month: u32, day: u32) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// A date known to the year, the month or the day, as sources report when a
/// position was observed or active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    /// A whole year, e.g. `2022`.
    Year(i16),
    /// A month of a year (month 1-12), e.g. `2022-07`.
    YearMonth(i16, u8),
    /// One day, e.g. `2022-07-22`.
    Day(Date),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let b = s.as_bytes();
        match b.len() {
            4 => Some(Self::Year(i16::try_from(digits(b)?).ok()?)),
            7 if b[4] == b'-' => {
                let year = i16::try_from(digits(&b[..4])?).ok()?;
                let month = u8::try_from(digits(&b[5..])?).ok()?;
                (1..=12)
                    .contains(&month)
                    .then_some(Self::YearMonth(year, month))
            }
            10 => parse_iso_day(s).map(Self::Day),
            _ => None,
        }
    }

    /// The first day of the period. Out-of-range values (possible only when
    /// built by hand) are clamped to jiff's range instead of panicking.
    pub fn first_day(&self) -> Date {
        match *self {
            Self::Year(y) => clamped(y, 1).first_of_year(),
            Self::YearMonth(y, m) => clamped(y, m),
            Self::Day(d) => d,
        }
    }

    /// The last day of the period (inclusive); clamped like [`Self::first_day`].
    pub fn last_day(&self) -> Date {
        match *self {
            Self::Year(y) => clamped(y, 1).last_of_year(),
            Self::YearMonth(y, m) => clamped(y, m).last_of_month(),
            Self::Day(d) => d,
        }
    }
}

/// First day of `year`-`month`, with year and month forced into valid ranges.
fn clamped(year: i16, month: u8) -> Date {
    let year = year.clamp(Date::MIN.year(), Date::MAX.year());
    let month = i8::try_from(month.clamp(1, 12)).unwrap_or(1);
    Date::new(year, month, 1).unwrap_or(Date::MIN)
}

impl std::fmt::Display for PartialDate {
    /// Writes the same text that [`PartialDate::parse`] accepts.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y:04}"),
            Self::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            Self::Day(d) => write!(f, "{d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn iso_and_long_forms() {
        assert_eq!(parse_event_date("2025-05-04"), Some(date(2025, 5, 4)));
        assert_eq!(parse_event_date("21 March 2020"), Some(date(2020, 3, 21)));
        assert_eq!(parse_event_date("1 July 2025"), Some(date(2025, 7, 1)));
        assert_eq!(parse_event_date("21 mar 2020"), Some(date(2020, 3, 21)));
        assert_eq!(
            parse_event_date("09 SEPTEMBER 1997"),
            Some(date(1997, 9, 9))
        );
        assert_eq!(parse_event_date(" 2020-02-29 "), Some(date(2020, 2, 29)));
    }

    #[test]
    fn impossible_or_malformed_dates() {
        for bad in [
            "2025-02-30",
            "2023-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-5-4",
            "30 February 2020",
            "21 Marc 2020",
            "21 March 20",
            "March 21 2020",
            "21/03/2020",
            "",
            "२०२५-०५-०४",
            "2025-05-04x",
        ] {
            assert_eq!(parse_event_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn day_numbers() {
        assert_eq!(date_to_days(date(1970, 1, 1)), 0);
        assert_eq!(date_to_days(date(1969, 12, 31)), -1);
        assert_eq!(date_to_days(date(2025, 5, 4)), 20_212);
        for d in [-1_000_000, -1, 0, 1, 20_212, 2_000_000] {
            assert_eq!(date_to_days(days_to_date(d)), d);
        }
        assert_eq!(days_to_date(i32::MAX), Date::MAX);
        assert_eq!(days_to_date(i32::MIN), Date::MIN);
    }

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2022"), Some(PartialDate::Year(2022)));
        assert_eq!(
            PartialDate::parse("2024-06"),
            Some(PartialDate::YearMonth(2024, 6))
        );
        assert_eq!(
            PartialDate::parse("2022-07-22"),
            Some(PartialDate::Day(date(2022, 7, 22)))
        );
        for bad in [
            "22",
            "2022-13",
            "2022-00",
            "2022-02-30",
            "2022/07",
            "July 2022",
            "",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad:?}");
        }
        let m = PartialDate::YearMonth(2024, 2);
        assert_eq!(
            (m.first_day(), m.last_day()),
            (date(2024, 2, 1), date(2024, 2, 29))
        );
        let y = PartialDate::Year(2022);
        assert_eq!(
            (y.first_day(), y.last_day()),
            (date(2022, 1, 1), date(2022, 12, 31))
        );
        assert_eq!(PartialDate::Year(i16::MAX).last_day(), Date::MAX);
        assert_eq!(
            PartialDate::YearMonth(2020, 200).first_day(),
            date(2020, 12, 1)
        );
        for s in ["2022", "2024-06", "2022-07-22"] {
            assert_eq!(
                PartialDate::parse(s).map(|p| p.to_string()).as_deref(),
                Some(s)
            );
        }
    }
}
