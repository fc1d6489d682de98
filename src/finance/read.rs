//! Reading and checking a model's `[finance]` table. Reading keeps every value with its
//! span; compiling resolves band labels (every band needs a PD and a slotting category)
//! and checks that probabilities are probabilities, so a compiled [`Finance`] is usable
//! as is.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use super::basel::Category;
use super::spec::*;
use crate::diag::{Code, Diagnostic, SourceFile, Suggestions, name_list};
use crate::model::Band;
use crate::toml_read::{Reader, Sp, Table};

pub(crate) const FINANCE_KEYS: &[&str] = &[
    "pd",
    "horizon_years",
    "lgd",
    "lgd_source",
    "maturity_years",
    "short_maturity_option",
    "calibrated_on",
    "slotting",
    "mitigant",
];
pub(crate) const PD_KEYS: &[&str] = &["method", "annual", "intercept", "slope", "source"];
pub(crate) const PD_METHODS: &[&str] = &["table", "logistic"];
pub(crate) const MITIGANT_KEYS: &[&str] = &[
    "kind",
    "provider",
    "cover",
    "provider_pd",
    "provider_lgd",
    "peril_share",
];
pub(crate) const MITIGANT_KINDS: &[&str] = &["guarantee", "political_risk_insurance"];
/// Slotting categories a band may map to. Default is absent on purpose: it is an
/// obligor's status (`defaulted = true` in the project), never a band.
pub(crate) const CATEGORIES: &[&str] = &["strong", "good", "satisfactory", "weak"];

/// A `[finance]` table as read, before band labels are resolved.
pub(crate) struct RawFinance {
    span: Range<usize>,
    pd: RawPd,
    pd_span: Range<usize>,
    pd_source: String,
    calibrated_on: Option<String>,
    horizon_years: Sp<f64>,
    lgd: Option<Sp<f64>>,
    lgd_source: Option<String>,
    maturity_years: Option<Sp<f64>>,
    short_maturity_option: bool,
    slotting: Vec<(Sp<String>, Sp<String>)>,
    slotting_span: Range<usize>,
    mitigant: Option<RawMitigant>,
}

enum RawPd {
    Table(Vec<(Sp<String>, Sp<f64>)>),
    Logistic { intercept: f64, slope: f64 },
}

struct RawMitigant {
    kind: MitigantKind,
    provider: String,
    cover: Sp<f64>,
    provider_pd: Sp<f64>,
    provider_lgd: Option<Sp<f64>>,
    peril_share: Option<Sp<f64>>,
}

/// Reads `[finance]`; `None` when absent or unreadable (problems are reported).
pub(crate) fn read_finance(r: &Reader<'_>, top: &Table<'_, '_>) -> Option<RawFinance> {
    let t = top.table(r, "finance", FINANCE_KEYS)?;
    let pd_value = t.req(r, "pd");
    let pd_table = pd_value.and_then(|v| r.as_table(v, "finance.pd", PD_KEYS));
    let pd = pd_table.as_ref().and_then(|p| read_pd(r, p));
    let pd_source = pd_table
        .as_ref()
        .and_then(|p| p.req_str(r, "source"))
        .map(|s| s.value);
    let horizon_years = t.req_num(r, "horizon_years");
    let slotting_value = t.req(r, "slotting");
    let slotting = slotting_value
        .and_then(|v| band_map(r, v, "finance.slotting", |r, v, p| r.word(v, p, CATEGORIES)));
    let mitigant = match t.table(r, "mitigant", MITIGANT_KEYS) {
        Some(m) => Some(read_mitigant(r, &m)?),
        None => None,
    };
    let short = t
        .get("short_maturity_option")
        .and_then(|v| r.boolean(v, "finance.short_maturity_option"))
        .is_some_and(|b| b.value);
    Some(RawFinance {
        span: t.span(),
        pd: pd?,
        pd_span: pd_value?.span(),
        pd_source: pd_source?,
        calibrated_on: t.str(r, "calibrated_on").map(|s| s.value),
        horizon_years: horizon_years?,
        lgd: t.num(r, "lgd"),
        lgd_source: t.str(r, "lgd_source").map(|s| s.value),
        maturity_years: t.num(r, "maturity_years"),
        short_maturity_option: short,
        slotting: slotting?,
        slotting_span: slotting_value?.span(),
        mitigant,
    })
}

fn read_pd(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<RawPd> {
    let method = t.req(r, "method")?;
    let method = r.word(method, "finance.pd.method", PD_METHODS)?;
    let (wanted, unwanted): (&[&str], &[&str]) = if method.value == "table" {
        (&["annual"], &["intercept", "slope"])
    } else {
        (&["intercept", "slope"], &["annual"])
    };
    for key in unwanted {
        if let Some(v) = t.get(key) {
            r.error(
                Code::Finance,
                v.span(),
                format!(
                    "`finance.pd.{key}` does not apply to `method = \"{}\"` (it takes {})",
                    method.value,
                    wanted.join(" and ")
                ),
            );
        }
    }
    if method.value == "table" {
        let v = t.req(r, "annual")?;
        band_map(r, v, "finance.pd.annual", |r, v, p| r.number(v, p)).map(RawPd::Table)
    } else {
        let intercept = t.req_num(r, "intercept");
        let slope = t.req_num(r, "slope");
        Some(RawPd::Logistic {
            intercept: intercept?.value,
            slope: slope?.value,
        })
    }
}

fn read_mitigant(r: &Reader<'_>, t: &Table<'_, '_>) -> Option<RawMitigant> {
    let kind = t
        .req(r, "kind")
        .and_then(|v| r.word(v, "finance.mitigant.kind", MITIGANT_KINDS));
    let provider = t.req_str(r, "provider");
    let cover = t.req_num(r, "cover");
    let provider_pd = t.req_num(r, "provider_pd");
    let kind = kind.map(|k| {
        if k.value == "guarantee" {
            MitigantKind::Guarantee
        } else {
            MitigantKind::PoliticalRiskInsurance
        }
    });
    let peril_share = t.num(r, "peril_share");
    match (kind, &peril_share) {
        (Some(MitigantKind::Guarantee), Some(p)) => r.error(
            Code::Finance,
            p.span.clone(),
            "a guarantee covers default from any cause: `peril_share` applies only to political-risk insurance",
        ),
        (Some(MitigantKind::PoliticalRiskInsurance), None) => r.error(
            Code::MissingKey,
            t.span(),
            "political-risk insurance covers political perils only: `finance.mitigant` needs `peril_share`, the share of default risk those perils account for",
        ),
        _ => {}
    }
    Some(RawMitigant {
        kind: kind?,
        provider: provider?.value,
        cover: cover?,
        provider_pd: provider_pd?,
        provider_lgd: t.num(r, "provider_lgd"),
        peril_share,
    })
}

/// Reads a table from band labels to values, in file order.
fn band_map<T>(
    r: &Reader<'_>,
    v: &crate::toml_read::Value<'_>,
    path: &str,
    read: impl Fn(&Reader<'_>, &crate::toml_read::Value<'_>, &str) -> Option<Sp<T>>,
) -> Option<Vec<(Sp<String>, Sp<T>)>> {
    let map = r.raw_table(v, path)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (k, val) in map.iter() {
        let key = k.get_ref().to_string();
        match read(r, val, &format!("{path}.{key}")) {
            Some(x) => out.push((Sp::new(key, k.span()), x)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Resolves band labels and checks ranges; every problem is reported.
pub(crate) fn compile_finance(
    src: &SourceFile,
    raw: &RawFinance,
    bands: &[Band],
) -> (Option<Finance>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut err = |span: Range<usize>, msg: String| {
        diags.push(src.diag(Code::Finance, span, msg));
    };
    let probability = |err: &mut dyn FnMut(Range<usize>, String), what: &str, v: &Sp<f64>| {
        if !(0.0..=1.0).contains(&v.value) {
            err(
                v.span.clone(),
                format!("{what} = {} must be a probability in [0, 1]", v.value),
            );
        }
        v.value
    };
    let labels: Vec<&str> = bands.iter().map(|b| b.label.as_str()).collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (b, l) in labels.iter().enumerate() {
        index.entry(l).or_insert(b);
    }
    let suggestions = RefCell::new(Suggestions::default());
    // Each band's entry of a band map, reporting unknown and missing labels.
    let by_band = |err: &mut dyn FnMut(Range<usize>, String),
                   entries: &[(Sp<String>, Range<usize>)],
                   what: &str,
                   span: &Range<usize>|
     -> Vec<Option<usize>> {
        let mut found = vec![None; bands.len()];
        for (k, (label, _)) in entries.iter().enumerate() {
            match index.get(label.value.as_str()) {
                Some(&b) => found[b] = Some(k),
                None => {
                    let hint = suggestions
                        .borrow_mut()
                        .find(&label.value, labels.iter().copied())
                        .map_or_else(
                            || format!("bands are: {}", name_list(&labels)),
                            |m| format!("did you mean `{m}`?"),
                        );
                    err(
                        label.span.clone(),
                        format!(
                            "{what}: `{}` is not a band of this model ({hint})",
                            label.value
                        ),
                    );
                }
            }
        }
        let missing: Vec<&str> = found
            .iter()
            .zip(&labels)
            .filter(|(f, _)| f.is_none())
            .map(|(_, l)| *l)
            .collect();
        if !missing.is_empty() {
            err(
                span.clone(),
                format!(
                    "{what} must cover every band; missing: {}",
                    missing.join(", ")
                ),
            );
        }
        found
    };

    let pd = match &raw.pd {
        RawPd::Table(entries) => {
            let keyed: Vec<_> = entries
                .iter()
                .map(|(l, v)| (l.clone(), v.span.clone()))
                .collect();
            let found = by_band(&mut err, &keyed, "`finance.pd.annual`", &raw.pd_span);
            let mut annual = Vec::new();
            for f in found.iter() {
                let v = f.map(|k| probability(&mut err, "an annual PD", &entries[k].1));
                annual.push(v.unwrap_or(f64::NAN));
            }
            // A riskier band with a lower PD is almost surely a typo.
            for (b, pair) in annual.windows(2).enumerate() {
                if pair[1] < pair[0]
                    && let Some(k) = found[b + 1]
                {
                    err(
                        entries[k].1.span.clone(),
                        format!(
                            "band `{}` has an annual PD ({}) below the band under it, `{}` ({}): PDs must not fall as bands rise",
                            labels[b + 1],
                            pair[1],
                            labels[b],
                            pair[0]
                        ),
                    );
                }
            }
            PdMapping::Table { annual }
        }
        RawPd::Logistic { intercept, slope } => {
            if !(intercept.is_finite() && slope.is_finite()) || *slope < 0.0 {
                err(
                    raw.pd_span.clone(),
                    "`finance.pd`: the logistic needs a finite intercept and a slope >= 0 (PD must not fall as the score rises)".to_string(),
                );
            }
            PdMapping::Logistic {
                intercept: *intercept,
                slope: *slope,
            }
        }
    };
    if !(raw.horizon_years.value > 0.0 && raw.horizon_years.value <= 100.0) {
        err(
            raw.horizon_years.span.clone(),
            format!(
                "`finance.horizon_years` = {} must be positive (and at most 100)",
                raw.horizon_years.value
            ),
        );
    }
    let lgd = raw
        .lgd
        .as_ref()
        .map_or(DEFAULT_LGD, |l| probability(&mut err, "`finance.lgd`", l));
    let maturity_years = match &raw.maturity_years {
        Some(m) if !(m.value > 0.0 && m.value.is_finite()) => {
            err(
                m.span.clone(),
                format!("`finance.maturity_years` = {} must be positive", m.value),
            );
            DEFAULT_MATURITY_YEARS
        }
        Some(m) => m.value,
        None => DEFAULT_MATURITY_YEARS,
    };
    let keyed: Vec<_> = raw
        .slotting
        .iter()
        .map(|(l, v)| (l.clone(), v.span.clone()))
        .collect();
    let found = by_band(&mut err, &keyed, "`finance.slotting`", &raw.slotting_span);
    let slotting: Vec<Category> = found
        .iter()
        .map(|f| match f.map(|k| raw.slotting[k].1.value.as_str()) {
            Some("strong") => Category::Strong,
            Some("good") => Category::Good,
            Some("satisfactory") => Category::Satisfactory,
            _ => Category::Weak,
        })
        .collect();
    let mitigant = raw.mitigant.as_ref().map(|m| {
        let cover = probability(&mut err, "`finance.mitigant.cover`", &m.cover);
        let provider_pd = probability(&mut err, "`finance.mitigant.provider_pd`", &m.provider_pd);
        let provider_lgd = m.provider_lgd.as_ref().map_or(DEFAULT_LGD, |l| {
            probability(&mut err, "`finance.mitigant.provider_lgd`", l)
        });
        let peril_share = m.peril_share.as_ref().map_or(1.0, |p| {
            probability(&mut err, "`finance.mitigant.peril_share`", p)
        });
        Mitigant {
            kind: m.kind,
            provider: m.provider.clone(),
            cover,
            provider_pd,
            provider_lgd,
            peril_share,
        }
    });
    if !diags.is_empty() {
        return (None, diags);
    }
    let finance = Finance {
        pd,
        pd_source: raw.pd_source.clone(),
        calibrated_on: raw.calibrated_on.clone(),
        horizon_years: raw.horizon_years.value,
        lgd,
        lgd_source: match (&raw.lgd, &raw.lgd_source) {
            (_, Some(s)) => s.clone(),
            (None, None) => DEFAULT_LGD_SOURCE.to_string(),
            (Some(_), None) => "the model's `finance.lgd`".to_string(),
        },
        maturity_years,
        short_maturity_option: raw.short_maturity_option,
        slotting,
        mitigant,
        line: src.locate(raw.span.clone()).line,
    };
    (Some(finance), diags)
}
