//! How much of a score rests on weak data: the data-quality headline of an assessment
//! (the share of the score's points that rest on unverified, contradicted, imputed or
//! region-level figures, or on data files that do not cover what they are read for) and the age of each figure against the model's freshness limit.

use jiff::civil::Date;
use serde::Serialize;

use super::assess::IndicatorResult;
use crate::project::Status;

/// Shares of the score's indicator points resting on weak data. Each share is a fraction
/// of the points all indicators account for; an indicator can count in several (an
/// unverified figure that was also imputed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataQuality {
    /// Points all indicators account for.
    pub indicator_points: f64,
    /// Share resting on figures whose status is unverified.
    pub unverified: f64,
    /// Share resting on figures contradicted by their sources.
    pub contradicted: f64,
    /// Share resting on imputed figures.
    pub imputed: f64,
    /// Share resting on events placed only at region level (geo_precision 3), in
    /// proportion to the region-level events among those an indicator counted.
    pub region_level: f64,
    /// Share resting on values derived from a data file that does not cover the window
    /// they read (the file ends long before the as-of date, starts after the window
    /// begins, holds no event, or no army position is active): see the VG107 warnings.
    pub coverage: f64,
    /// Share resting on any of the above (each indicator counted once, at its largest
    /// weak share).
    pub any: f64,
}

/// The headline for an assessment's indicators.
pub fn data_quality(indicators: &[IndicatorResult]) -> DataQuality {
    let total: f64 = indicators.iter().map(|i| i.contribution.abs()).sum();
    let share = |f: &dyn Fn(&IndicatorResult) -> f64| {
        if total > 0.0 {
            indicators
                .iter()
                .map(|i| i.contribution.abs() * f(i))
                .sum::<f64>()
                / total
        } else {
            0.0
        }
    };
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let unverified = |i: &IndicatorResult| flag(i.status == Some(Status::Unverified));
    let contradicted = |i: &IndicatorResult| flag(i.status == Some(Status::Contradicted));
    let imputed = |i: &IndicatorResult| flag(i.imputed);
    let region = |i: &IndicatorResult| {
        i.derived.as_ref().map_or(0.0, |t| {
            if t.matched > 0 {
                t.matched_region_level as f64 / t.matched as f64
            } else {
                0.0
            }
        })
    };
    let coverage =
        |i: &IndicatorResult| flag(i.derived.as_ref().is_some_and(|t| t.coverage.is_some()));
    DataQuality {
        indicator_points: total,
        unverified: share(&unverified),
        contradicted: share(&contradicted),
        imputed: share(&imputed),
        region_level: share(&region),
        coverage: share(&coverage),
        any: share(&|i| {
            unverified(i)
                .max(contradicted(i))
                .max(imputed(i))
                .max(region(i))
                .max(coverage(i))
        }),
    }
}

/// The last day of the period a figure refers to, from its `as_of` text: "2023" is the
/// end of 2023, "2023-05" the end of May 2023, "2023-05-17" that day. A figure is as old
/// as the end of its period, the most lenient reading. `None` when the text has no such
/// leading date.
pub fn period_end(text: &str) -> Option<Date> {
    let t = text.trim();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let year: i16 = t.get(0..4).filter(|s| digits(s))?.parse().ok()?;
    let rest = &t[4..];
    if rest.is_empty() || !rest.starts_with('-') {
        return Date::new(year, 12, 31).ok();
    }
    let month: i8 = rest.get(1..3).filter(|s| digits(s))?.parse().ok()?;
    let first = Date::new(year, month, 1).ok()?;
    match rest
        .get(4..6)
        .filter(|s| digits(s) && rest.as_bytes().get(3) == Some(&b'-'))
    {
        Some(d) => Date::new(year, month, d.parse().ok()?).ok(),
        None => first.last_of_month().into(),
    }
}

/// Age in years (365.25 days) of a figure whose period ended on `end`, on `as_of`.
pub fn age_years(end: Date, as_of: Date) -> f64 {
    (as_of - end).get_days() as f64 / 365.25
}

/// The first day of the period a figure refers to, read as [`period_end`] reads its last:
/// "2023" starts on 2023-01-01, "2023-05" on 2023-05-01.
pub fn period_start(text: &str) -> Option<Date> {
    let end = period_end(text)?;
    let t = text.trim();
    match t.as_bytes().get(4) {
        Some(b'-') if t.as_bytes().get(7) == Some(&b'-') => Some(end),
        Some(b'-') => Some(end.first_of_month()),
        _ => Date::new(end.year(), 1, 1).ok(),
    }
}

/// Why a project value cannot be used as it stands on the as-of date, if so: its period
/// begins after the as-of date (a figure not known then: scoring with it looks ahead), or
/// ended more than the model's `max_age_years` before it.
pub fn stale_message(
    model: &crate::Model,
    as_of: Date,
    id: &str,
    v: &crate::project::InputValue,
) -> Option<String> {
    let text = v.as_of.as_deref()?;
    if period_start(text).is_some_and(|start| start > as_of) {
        return Some(format!(
            "`{id}` dates from {}, after the as-of date {as_of}: it was not known then, so the score looks ahead",
            crate::diag::excerpt(text)
        ));
    }
    let limit = model.meta().governance.max_age_years?;
    let age = age_years(period_end(text)?, as_of);
    (age > limit).then(|| {
        format!(
            "`{id}` dates from {}: {age:.1} years before the as-of date, beyond the model's limit of {limit} years",
            crate::diag::excerpt(text)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_end_where_their_text_says() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(period_end("2023"), Some(d(2023, 12, 31)));
        assert_eq!(period_end("2024-02"), Some(d(2024, 2, 29)));
        assert_eq!(period_end("2025-05-24"), Some(d(2025, 5, 24)));
        assert_eq!(period_end("2019/20 survey"), Some(d(2019, 12, 31)));
        assert_eq!(period_end("recent"), None);
        assert_eq!(period_start("2023"), Some(d(2023, 1, 1)));
        assert_eq!(period_start("2024-02"), Some(d(2024, 2, 1)));
        assert_eq!(period_start("2025-05-24"), Some(d(2025, 5, 24)));
        assert_eq!(period_start("2019/20 survey"), Some(d(2019, 1, 1)));
        // 2019-12-31 to 2025-10-31: 2131 days.
        let age = age_years(d(2019, 12, 31), d(2025, 10, 31));
        assert!((age - 2131.0 / 365.25).abs() < 1e-12, "{age}");
    }
}
