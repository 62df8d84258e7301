//! The intervention's cost for the cohort, and who bears it.
//!
//! Each intervention-year's actual cost (all its budget lines) is shared out per participant enrolled at
//! some time in the year (with or without consent to registration), the core's definition of cost per
//! participant. The part charged is that of the people the calculation values (the cohort's exits with a
//! recorded status after): their perturbed number of participants that year over the perturbed number of all
//! of them (a part computed from true counts would let a reader divide its way to a small count). Costs are
//! restated in the parameters' price year with the price index, as every amount of the calculation is.
//! Each financier's money is borne by the actor `cost_bearers` names; the federation's own money by its
//! members in proportion to what they paid in that year (the statutory 50/25/25 when no contribution is
//! recorded).

use std::collections::BTreeMap;

use finsam_plugin::{Context, PluginError, Rows, Tally};

use crate::actors::{Actor, PerActor};
use crate::parameters::{Bearer, Parameters};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostSource {
    /// Actual costs from the budget lines.
    Budget,
    /// Given with the call (`cost_sek`).
    Given,
    /// No actual cost recorded for the cohort's years.
    Missing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InterventionCost {
    pub total: f64,
    pub per_actor: PerActor,
    pub source: CostSource,
    /// Intervention-years counted whole because fewer than 5 participants were published for them.
    pub counted_whole: u32,
    /// Years whose costs could not be restated in the price year (no price index for them).
    pub not_restated: std::collections::BTreeSet<i64>,
}

/// The statutory split when a federation's contributions are not recorded: the state half (paid by
/// Försäkringskassan), the region a quarter, the municipalities a quarter.
const STATUTORY: [(Actor, f64); 3] = [(Actor::Fk, 0.5), (Actor::Region, 0.25), (Actor::Municipality, 0.25)];

/// The members' shares of a federation's money in a year (or over all years when `year` is `None`).
fn member_shares(contributions: &[(String, i64, Actor, f64)], federation: &str, year: Option<i64>) -> Vec<(Actor, f64)> {
    let mut by_actor: BTreeMap<usize, (Actor, f64)> = BTreeMap::new();
    for (f, y, actor, amount) in contributions {
        if f == federation && year.is_none_or(|year| *y == year) {
            by_actor.entry(actor.index()).or_insert((*actor, 0.0)).1 += amount;
        }
    }
    let sum: f64 = by_actor.values().map(|(_, a)| a).sum();
    if sum <= 0.0 {
        return STATUTORY.to_vec();
    }
    by_actor.into_values().map(|(a, v)| (a, v / sum)).collect()
}

fn bear(per_actor: &mut PerActor, amount: f64, bearer: Bearer, members: &[(Actor, f64)]) {
    match bearer {
        Bearer::Actor(a) => per_actor[a.index()] += amount,
        Bearer::Members => {
            for (a, share) in members {
                per_actor[a.index()] += amount * share;
            }
        }
    }
}

fn contributions(ctx: &dyn Context) -> Result<Vec<(String, i64, Actor, f64)>, PluginError> {
    let rows = Rows::new(ctx.query(
        "SELECT m.federation_id, c.year, m.party, sum(c.amount_sek)::DOUBLE AS amount
         FROM finsam_contribution c JOIN finsam_member m USING (member_id)
         WHERE m.federation_id IN (SELECT DISTINCT federation_id FROM cohort)
         GROUP BY ALL",
        &[],
    )?);
    let (feds, years, parties, amounts) = (rows.texts("federation_id")?, rows.integers("year")?, rows.texts("party")?, rows.numbers("amount")?);
    Ok((0..feds.len())
        .filter_map(|i| {
            let actor = Actor::of_party(parties[i].as_deref()?)?;
            Some((feds[i].clone()?, years[i]?, actor, amounts[i].unwrap_or(0.0)))
        })
        .collect())
}

/// The cost the caller gave, borne by the members of the cohort's federation(s) over all their years.
pub fn given(ctx: &dyn Context, amount: f64) -> Result<InterventionCost, PluginError> {
    if !(amount.is_finite() && amount >= 0.0) {
        return Err(PluginError::new(format!("cost_sek: expected an amount of at least 0 SEK, found {amount}")));
    }
    let contributions = contributions(ctx)?;
    // Split over the federations whose people in the cohort are published above 0: which federations had
    // anyone at all is a true count (for example one open enrolment moved the municipalities' share).
    let rows =
        Rows::new(ctx.query(
            "SELECT federation_id, count(*) AS n, sum(record_key) AS key, min(record_key) AS key_min FROM cohort GROUP BY ALL ORDER BY 1",
            &[],
        )?);
    let (ids, tallies) = (rows.texts("federation_id")?, rows.tallies("n", "key")?);
    let federations: Vec<Option<String>> = ids.into_iter().zip(tallies).filter(|(_, t)| ctx.perturbed(*t) > 0).map(|(id, _)| id).collect();
    let mut per_actor = PerActor::default();
    let count = federations.len().max(1) as f64;
    for f in federations.iter().flatten() {
        bear(&mut per_actor, amount / count, Bearer::Members, &member_shares(&contributions, f, None));
    }
    if federations.is_empty() {
        bear(&mut per_actor, amount, Bearer::Members, &STATUTORY);
    }
    Ok(InterventionCost { total: amount, per_actor, source: CostSource::Given, counted_whole: 0, not_restated: Default::default() })
}

/// The cohort's share of its interventions' actual costs.
pub fn from_budget(ctx: &dyn Context, p: &Parameters) -> Result<InterventionCost, PluginError> {
    let years = Rows::new(ctx.query(
        "WITH cost_years AS (
             SELECT DISTINCT b.intervention_id, b.year FROM finsam_budget_line b
             WHERE b.actual_sek IS NOT NULL AND b.intervention_id IN (SELECT DISTINCT intervention_id FROM cohort)),
         active AS (
             SELECT y.intervention_id, y.year, e.participant_key, any_value(p.record_key) AS person_key,
                    -- The people valued: exits with a recorded status after (people.rs).
                    bool_or(e.enrolment_id IN (SELECT enrolment_id FROM cohort
                                               WHERE exit_known IS NOT NULL AND support_after IS NOT NULL AND occupation_after IS NOT NULL)) AS in_cohort
             FROM cost_years y
             JOIN finsam_enrolment e ON e.intervention_id = y.intervention_id AND e.consent
             JOIN finsam_participant p USING (participant_key)
             WHERE e.start_date <= make_date(y.year, 12, 31) AND (e.exit_date IS NULL OR e.exit_date >= make_date(y.year, 1, 1))
             GROUP BY ALL),
         counted AS (
             SELECT a.intervention_id, a.year, i.federation_id,
                    count(*) AS n_all, sum(a.person_key) AS key_all, min(a.person_key) AS key_all_min,
                    count(*) FILTER (a.in_cohort) AS n_cohort, coalesce(sum(a.person_key) FILTER (a.in_cohort), 0) AS key_cohort,
                    min(a.person_key) FILTER (a.in_cohort) AS key_cohort_min
             FROM active a JOIN finsam_intervention i USING (intervention_id)
             GROUP BY ALL HAVING count(*) FILTER (a.in_cohort) > 0),
         -- Those who took part without consenting to registration were paid for too.
         without_consent AS (
             SELECT intervention_id, year, sum(count) AS n, sum(record_key) AS n_key, min(key_min) AS n_min
             FROM finsam_anonymous_count WHERE reason = 'no_consent' AND count > 0 GROUP BY ALL)
         SELECT c.intervention_id, c.year, c.federation_id,
                c.n_all + coalesce(w.n, 0) AS n_all, c.key_all + coalesce(w.n_key, 0) AS key_all,
                -- The smallest key of the registered and of the people counted by the aggregate rows.
                least(c.key_all_min, w.n_min) AS key_all_min,
                c.n_cohort, c.key_cohort, c.key_cohort_min
         FROM counted c LEFT JOIN without_consent w USING (intervention_id, year)
         ORDER BY 1, 2",
        &[],
    )?);
    let lines = Rows::new(ctx.query(
        "SELECT intervention_id, year, financier, sum(actual_sek)::DOUBLE AS actual FROM finsam_budget_line
         WHERE actual_sek IS NOT NULL AND intervention_id IN (SELECT DISTINCT intervention_id FROM cohort)
         GROUP BY ALL",
        &[],
    )?);
    let mut actual: BTreeMap<(String, i64), Vec<(String, f64)>> = BTreeMap::new();
    {
        let (ids, ys, financiers, amounts) =
            (lines.texts("intervention_id")?, lines.integers("year")?, lines.texts("financier")?, lines.numbers("actual")?);
        for i in 0..ids.len() {
            if let (Some(id), Some(y), Some(f), Some(a)) = (ids[i].clone(), ys[i], financiers[i].clone(), amounts[i]) {
                actual.entry((id, y)).or_default().push((f, a));
            }
        }
    }
    let contributions = contributions(ctx)?;
    let (ids, ys, feds) = (years.texts("intervention_id")?, years.integers("year")?, years.texts("federation_id")?);
    let (all, cohort) = (years.tallies("n_all", "key_all")?, years.tallies("n_cohort", "key_cohort")?);
    let mut cost = InterventionCost {
        total: 0.0,
        per_actor: PerActor::default(),
        source: CostSource::Missing,
        counted_whole: 0,
        not_restated: Default::default(),
    };
    for i in 0..ids.len() {
        let (Some(id), Some(year), Some(federation)) = (ids[i].clone(), ys[i], feds[i].clone()) else { continue };
        let share = cohort_share(ctx, cohort[i], all[i], &mut cost.counted_whole);
        let members = member_shares(&contributions, &federation, Some(year));
        let in_price_year = match i32::try_from(year).ok().and_then(|y| p.price_factor(y)) {
            Some(factor) => factor,
            None => {
                // Said only of a year that is charged, decided on published counts: the years read are those
                // with valued people (a true count), and a note of a year whose part is published as 0 said
                // that 1–4 of them were enrolled then (for example a board report's appendix).
                if share > 0.0 {
                    cost.not_restated.insert(year);
                }
                1.0
            }
        };
        for (financier, amount) in actual.get(&(id, year)).into_iter().flatten() {
            let bearer = p.bearers.get(financier).copied().unwrap_or(Bearer::Members);
            let charged = amount * share * in_price_year;
            cost.total += charged;
            bear(&mut cost.per_actor, charged, bearer, &members);
            // A year charged nothing (its valued people published as 0) does not make the cost "actual": the
            // years read are those with valued people, a true count .
            if share > 0.0 {
                cost.source = CostSource::Budget;
            }
        }
    }
    Ok(cost)
}

/// The valued people's part of an intervention-year: 1 when they are everyone; otherwise perturbed over
/// perturbed (a part of 1–4 is then 0 or at least 5, as it would be published, never hidden and so never
/// charged whole); counted whole (and said so) only when the whole is too small to divide by.
fn cohort_share(ctx: &dyn Context, cohort: Tally, all: Tally, counted_whole: &mut u32) -> f64 {
    // Decided on published counts only: a year whose valued people are published as 0 is charged nothing
    // (as one with nobody), and everyone (the same set) gets the same published count, so a share of 1.
    let (part, whole) = (ctx.perturbed(cohort), ctx.perturbed(all));
    if part == 0 {
        return 0.0;
    }
    if whole >= 5 {
        (part as f64 / whole as f64).min(1.0)
    } else {
        *counted_whole += 1;
        1.0
    }
}
