//! The money tables as people and machines read them: budget against actual by financier, the members'
//! shares against 50/25/25, the share spent on administration. The sums come from `analysis::money` by
//! ids; here they get names and labels, and rows are ordered as printed (by name). Two ids with one name
//! make one row, as a reader would see them.

use std::collections::BTreeMap;

use crate::analysis::costs::SPLIT_TOLERANCE_PP;
use crate::analysis::money::{
    administration_spending, budget_groups, federation_names, intervention_names, kronor, money_groups, paid_by_federation_year, percent,
    BudgetGroup, FederationYear, Paid, Spending, Sums,
};
use crate::analysis::Cohort;
use crate::codes::{CodeList, Financier, Lang};
use crate::error::Result;
use crate::model::Model;

use super::render::{Section, Value};

/// The cost output's three money tables (budget against actual, funding shares, administration) from one
/// read of the budget lines and one of the contributions.
pub(super) fn money_tables(model: &Model, c: &Cohort, lang: Lang) -> Result<(Section, Section, Section)> {
    let groups = money_groups(model, c)?;
    Ok((
        budget_section(model, &groups.budget, lang)?,
        funding_section(model, &groups.paid, lang)?,
        administration_section(model, &groups.administration, lang)?,
    ))
}

/// Budget and actual per intervention (or the office), year and financier: names and labels, not codes.
pub fn budget_vs_actual(model: &Model, c: &Cohort, lang: Lang) -> Result<Section> {
    budget_section(model, &budget_groups(model, c)?, lang)
}

fn budget_section(model: &Model, budget: &[BudgetGroup], lang: Lang) -> Result<Section> {
    let federations = federation_names(model)?;
    let interventions = intervention_names(model)?;
    let office = lang.pick("(förbundets kansli)", "(the federation's office)");
    // Keyed in the printed order: federation, intervention, year, the financier's label (then its code).
    let mut groups: BTreeMap<(String, String, i32, String, String), Sums> = BTreeMap::new();
    for group in budget {
        let Some(federation) = federations.get(&group.federation) else { continue };
        let intervention = group.intervention.as_ref().and_then(|i| interventions.get(i)).map_or(office, String::as_str);
        let label = Financier::ALL.iter().find(|f| f.code() == group.financier).map_or(group.financier.as_str(), |f| f.label(lang));
        groups
            .entry((federation.clone(), intervention.to_string(), group.year, label.to_string(), group.financier.clone()))
            .or_default()
            .merge(&group.sums);
    }
    let h = |key, sv, en| (key, lang.pick(sv, en));
    let mut section = Section::new(
        "budget",
        lang.pick("Budget och utfall per finansiär (kr)", "Budget and actual by financier (SEK)"),
        &[
            h("federation", "förbund", "federation"),
            h("intervention", "insats", "intervention"),
            h("year", "år", "year"),
            h("financier", "finansiär", "financier"),
            h("budget_sek", "budget (kr)", "budget (SEK)"),
            h("actual_sek", "utfall (kr)", "actual (SEK)"),
            h("deviation_sek", "avvikelse (kr)", "deviation (SEK)"),
            h("actual_pct_of_budget", "utfall i % av budget", "actual as % of budget"),
        ],
    );
    section.rows = groups
        .into_iter()
        .map(|((federation, intervention, year, label, financier), s)| {
            let deviation = s.actual.zip(s.budget_with_actual).map(|(a, b)| kronor(a - b));
            let pct = s.actual.zip(s.budget_with_actual).and_then(|(a, b)| percent(a, b));
            vec![
                Value::Text(federation),
                Value::Text(intervention),
                Value::Integer(Some(i64::from(year))),
                Value::label(financier, label),
                Value::Number(Some(kronor(s.budget))),
                Value::Number(s.actual.map(kronor)),
                Value::Number(deviation),
                Value::Rounded(pct, 1),
            ]
        })
        .collect();
    Ok(section)
}

/// Each party's share of what the members paid in, against 50/25/25 (FK pays the state's half, AF's part
/// included), with deviations beyond half a percentage point flagged (on the shares rounded to a hundredth
/// of a percentage point, as printed).
pub fn funding_shares(model: &Model, c: &Cohort, lang: Lang) -> Result<Section> {
    funding_section(model, &paid_by_federation_year(model, c)?, lang)
}

fn funding_section(model: &Model, paid_by_id: &[(FederationYear, Paid)], lang: Lang) -> Result<Section> {
    let federations = federation_names(model)?;
    let mut paid: BTreeMap<(String, i32), Paid> = BTreeMap::new();
    for ((federation, year), p) in paid_by_id {
        let Some(federation) = federations.get(federation) else { continue };
        paid.entry((federation.clone(), *year)).or_default().merge(p);
    }
    let (yes, no) = if lang == Lang::Sv { ("ja", "nej") } else { ("yes", "no") };
    // As DuckDB rounds a float to two decimals.
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    let h = |key, sv, en| (key, lang.pick(sv, en));
    let mut section = Section::new(
        "funding_shares",
        lang.pick("Medlemmarnas andelar av insatta medel mot 50/25/25 (procent)", "Members' shares of contributions against 50/25/25 (per cent)"),
        &[
            h("federation", "förbund", "federation"),
            h("year", "år", "year"),
            h("paid_in_sek", "insatt totalt (kr)", "paid in (SEK)"),
            h("state_pct", "staten %", "state %"),
            h("region_pct", "regionen %", "region %"),
            h("municipalities_pct", "kommunerna %", "municipalities %"),
            h("deviates", "avviker från 50/25/25", "deviates from 50/25/25"),
        ],
    );
    section.rows = paid
        .into_iter()
        .filter(|(_, p)| p.total > 0)
        .map(|((federation, year), p)| {
            let total = kronor(p.total);
            let pct = |part: Option<i128>| 100.0 * kronor(part.unwrap_or(0)) / total;
            let (state, region, municipalities) = (pct(p.state), pct(p.region), pct(p.municipalities));
            let deviation = (round2(state) - 50.0).abs().max((round2(region) - 25.0).abs()).max((round2(municipalities) - 25.0).abs());
            let deviates = deviation > SPLIT_TOLERANCE_PP;
            vec![
                Value::Text(federation),
                Value::Integer(Some(i64::from(year))),
                Value::Number(Some(total)),
                Value::Rounded(Some(state), 2),
                Value::Rounded(Some(region), 2),
                Value::Rounded(Some(municipalities), 2),
                Value::Flag { value: deviates, label: if deviates { yes } else { no }.to_string() },
            ]
        })
        .collect();
    Ok(section)
}

/// The share of the federation's own spending (financier: the federation) that went to governance and
/// administration, per federation and year.
pub fn administration_share(model: &Model, c: &Cohort, lang: Lang) -> Result<Section> {
    administration_section(model, &administration_spending(model, c)?, lang)
}

fn administration_section(model: &Model, by_id: &[(FederationYear, Spending)], lang: Lang) -> Result<Section> {
    let federations = federation_names(model)?;
    let mut spent: BTreeMap<(String, i32), (Option<i128>, i128)> = BTreeMap::new();
    for ((federation, year), (administration, total)) in by_id {
        let Some(federation) = federations.get(federation) else { continue };
        let sum = spent.entry((federation.clone(), *year)).or_default();
        if let Some(a) = administration {
            *sum.0.get_or_insert(0) += a;
        }
        sum.1 += total;
    }
    let h = |key, sv, en| (key, lang.pick(sv, en));
    let mut section = Section::new(
        "administration",
        lang.pick("Andel till styrning, ledning och administration", "Share spent on governance and administration"),
        &[
            h("federation", "förbund", "federation"),
            h("year", "år", "year"),
            h("administration_sek", "styrning och administration (kr)", "governance and administration (SEK)"),
            h("total_actual_sek", "förbundets utfall totalt (kr)", "the federation's total actual (SEK)"),
            h("administration_pct", "andel administration %", "administration share %"),
        ],
    );
    section.rows = spent
        .into_iter()
        .map(|((federation, year), (administration, total))| {
            vec![
                Value::Text(federation),
                Value::Integer(Some(i64::from(year))),
                Value::Number(administration.map(kronor)),
                Value::Number(Some(kronor(total))),
                Value::Rounded(administration.and_then(|a| percent(a, total)), 1),
            ]
        })
        .collect();
    Ok(section)
}
