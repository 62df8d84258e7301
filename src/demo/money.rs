//! The demo's money: yearly budget and actual per intervention and financier, the federation's office, and
//! the members' contributions under the 50/25/25 rule.
//!
//! Contributions are derived from what the federation spends, so the money adds up: each year the members
//! pay in a little more than the federation budgets (the rest builds equity), FK half, the region a
//! quarter and the municipalities a quarter split by population.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::catalogue::{FederationSpec, Funding, InterventionSpec, DATA_END};
use super::people::date;
use crate::codes::{CostCategory, Financier, InterventionKind};
use crate::rng::{apportion, Rng};

pub struct BudgetLine {
    pub federation: &'static str,
    pub intervention: Option<&'static str>,
    pub year: i32,
    pub financier: Financier,
    pub category: CostCategory,
    pub budget_sek: i64,
    pub actual_sek: i64,
}

pub struct Contribution {
    pub member_id: String,
    pub year: i32,
    pub amount_sek: i64,
}

/// The first year with money in the demo (the ESF project Framgången and DUA's development lead).
const FIRST_YEAR: i32 = 2016;

fn round_to(value: f64, unit: f64) -> i64 {
    ((value / unit).round() * unit) as i64
}

pub fn budget_lines(interventions: &[InterventionSpec], rng: &mut Rng) -> Vec<BudgetLine> {
    let last_year = date(DATA_END).year();
    let mut lines = Vec::new();
    for spec in interventions {
        let category = match spec.kind {
            InterventionKind::Individual => CostCategory::Individual,
            InterventionKind::Structural => CostCategory::Structural,
        };
        let first = date(spec.start).year().max(FIRST_YEAR);
        let last = spec.end.map(|d| date(d).year()).unwrap_or(last_year).min(last_year);
        for year in first..=last {
            let yearly = |given: u32| -> f64 {
                if given > 0 {
                    given as f64
                } else {
                    let p = spec.people.as_ref().expect("individual interventions have people");
                    (p.intake_per_year * p.cost_per_participant) as f64
                }
            };
            // Actuals land a little under or over budget, as in a real annual report.
            let mut push = |financier: Financier, budget: f64, rng: &mut Rng| {
                let budget_sek = round_to(budget, 1000.0);
                let actual_sek = round_to(budget * (0.82 + 0.24 * rng.unit()), 100.0);
                lines.push(BudgetLine {
                    federation: spec.federation,
                    intervention: Some(spec.id),
                    year,
                    financier,
                    category,
                    budget_sek,
                    actual_sek,
                });
            };
            match spec.funding {
                Funding::Federation { yearly_sek, in_kind_share } => {
                    let amount = yearly(yearly_sek);
                    push(Financier::Federation, amount, rng);
                    if in_kind_share > 0.0 {
                        push(Financier::InKind, amount * in_kind_share, rng);
                    }
                }
                Funding::Esf { yearly_sek, esf_share } => {
                    let total = yearly(yearly_sek);
                    push(Financier::Esf, total * esf_share, rng);
                    push(Financier::Federation, total * (1.0 - esf_share), rng);
                }
                Funding::SelfFinancedFrom { yearly_sek, from_year } => {
                    let payer = if year < from_year { Financier::Federation } else { Financier::Municipality };
                    push(payer, yearly(yearly_sek), rng);
                }
            }
        }
    }
    lines
}

/// The federation's own office (governance and administration): about a tenth of what it funds, and at
/// least 300 000 SEK in every year from 2019, also in years when it funds no intervention.
pub fn office_lines(federations: &[FederationSpec], lines: &[BudgetLine], rng: &mut Rng) -> Vec<BudgetLine> {
    let funded = federation_money_by_year(lines);
    let last_year = date(DATA_END).year();
    let mut office = Vec::new();
    for fed in federations {
        let mut years: BTreeMap<i32, i64> = (2019..=last_year).map(|y| (y, 0)).collect();
        for (&(_, year), &sek) in funded.range((fed.id, i32::MIN)..=(fed.id, i32::MAX)) {
            years.insert(year, sek);
        }
        for (year, sek) in years {
            let budget = (sek as f64 * 0.11).max(300_000.0);
            office.push(BudgetLine {
                federation: fed.id,
                intervention: None,
                year,
                financier: Financier::Federation,
                category: CostCategory::Administration,
                budget_sek: round_to(budget, 1000.0),
                actual_sek: round_to(budget * (0.93 + 0.08 * rng.unit()), 100.0),
            });
        }
    }
    office
}

fn federation_money_by_year(lines: &[BudgetLine]) -> BTreeMap<(&'static str, i32), i64> {
    let mut by_year = BTreeMap::new();
    for line in lines.iter().filter(|l| l.financier == Financier::Federation) {
        *by_year.entry((line.federation, line.year)).or_insert(0) += line.budget_sek;
    }
    by_year
}

/// The members' payments: FK 50 %, the region 25 %, the municipalities 25 % split by population.
/// `member_id` gives the id of a member from its federation and its position in the member list.
pub fn contributions(
    federations: &[FederationSpec],
    all_lines: &[BudgetLine],
    member_id: impl Fn(&FederationSpec, MemberRole) -> String,
) -> Vec<Contribution> {
    let budgeted = federation_money_by_year(all_lines);
    let mut rows = Vec::new();
    for fed in federations {
        for (&(_, year), &sek) in budgeted.range((fed.id, i32::MIN)..=(fed.id, i32::MAX)) {
            // A little more than the budget, in whole thousands divisible by four so the halves and
            // quarters are whole kronor.
            let total = ((sek as f64 * 1.04) / 4000.0).ceil() as i64 * 4000;
            rows.push(Contribution { member_id: member_id(fed, MemberRole::Fk), year, amount_sek: total / 2 });
            rows.push(Contribution { member_id: member_id(fed, MemberRole::Region), year, amount_sek: total / 4 });
            let populations: Vec<f64> = fed.municipalities.iter().map(|(_, p)| *p as f64).collect();
            let split = apportion((total / 4) as usize, &populations);
            for (i, amount) in split.into_iter().enumerate() {
                rows.push(Contribution { member_id: member_id(fed, MemberRole::Municipality(i)), year, amount_sek: amount as i64 });
            }
        }
    }
    rows
}

#[derive(Clone, Copy)]
pub enum MemberRole {
    Fk,
    Af,
    Region,
    Municipality(usize),
}
