//! The calculation, free of SQL: what a change of status is worth to each actor over a horizon.
//!
//! A participant's status before the intervention is compared, quarter by quarter after the exit, with the
//! status then (the status at exit, replaced by each follow-up observation from its quarter on). Each
//! status has yearly flows per actor (parameters.rs); the change is counted per quarter as a quarter of the
//! yearly difference, less the deadweight share, less the effect's decay per whole year since the exit,
//! and discounted per whole year (the first year is not discounted). Flows stop at the pension age.

use std::collections::BTreeMap;

use finsam_plugin::Tally;

use crate::actors::{Actor, PerActor};
use crate::parameters::{Parameters, OCCUPATION_CODES};

/// A status: indices into the support and occupation code lists and the extent of work or studies (per
/// cent of full time; counted as full time when not recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Status {
    pub support: u8,
    pub occupation: u8,
    pub extent_pct: u8,
}

/// One participant's way through: the status before, and after the exit the status from each month on
/// (the first at month 0). People with the same path are worth the same, so they are counted together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path {
    pub before: Status,
    pub after: Vec<(u32, Status)>,
    /// Age at exit (years); only what the horizons need of it is kept (see `Path::age_kept`).
    pub age_at_exit: i32,
}

impl Path {
    /// The status in month `m` after the exit.
    fn status_at(&self, m: u32) -> Status {
        self.after.iter().rev().find(|(from, _)| *from <= m).map_or(self.before, |(_, s)| *s)
    }
}

/// Income (positive) and costs (negative) per actor.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Flows {
    pub income: PerActor,
    pub cost: PerActor,
}

impl Flows {
    pub fn net(&self) -> PerActor {
        std::array::from_fn(|a| self.income[a] + self.cost[a])
    }

    pub fn society(&self) -> f64 {
        self.net().iter().sum()
    }
}

/// What the yearly flows of a status are made of: (actor, item, SEK a year, positive = received). An item
/// is a parameter entry or a part of the value of work; the change of each item is income or cost for its
/// actor.
type Items = Vec<(Actor, usize, f64)>;

fn flow_items(p: &Parameters, flows: &[crate::parameters::Flow], scale: f64, out: &mut Items) {
    for flow in flows {
        let v = p.value(flow.entry) * scale;
        out.push((flow.from, flow.entry, -v));
        if let Some(to) = flow.to {
            out.push((to, flow.entry, v));
        }
    }
}

/// The items of a support, a year of it.
fn support_items(p: &Parameters, support: u8) -> Items {
    let mut out = Items::new();
    flow_items(p, &p.support[support as usize], 1.0, &mut out);
    out
}

/// The items of an occupation at an extent, a year of it; work adds its production, shared out.
fn occupation_items(p: &Parameters, occupation: u8, extent_pct: u8) -> Items {
    let mut out = Items::new();
    let extent = f64::from(extent_pct) / 100.0;
    let code = OCCUPATION_CODES[occupation as usize];
    let scale = if matches!(code, "work" | "studies") { extent } else { 1.0 };
    flow_items(p, &p.occupation[occupation as usize], scale, &mut out);
    if code == "work" {
        let k = &p.keys;
        let wage = p.value(k.wage) * extent;
        let fees = wage * p.value(k.employer_fee_rate);
        let taxable = (wage - p.value(k.basic_deduction)).max(0.0);
        let municipal = taxable * p.value(k.municipal_tax_rate);
        let regional = taxable * p.value(k.regional_tax_rate);
        let credit = (p.value(k.earned_income_tax_credit) * extent).min(municipal + regional);
        let base = p.entries.len();
        // The production (wage and fees) shared out: it all lands with some actor, so society gains it whole.
        out.push((Actor::Individual, base, wage - municipal - regional + credit));
        out.push((Actor::Municipality, base + 1, municipal));
        out.push((Actor::Region, base + 2, regional));
        out.push((Actor::State, base + 3, fees - credit));
    }
    out
}

/// The weight of the months of year `year` after the exit (0 = the first): deadweight, decay, discounting.
pub fn year_weight(p: &Parameters, year: u32) -> f64 {
    let k = &p.keys;
    let year = year as i32;
    (1.0 - p.value(k.deadweight)) * (1.0 - p.value(k.effect_decay)).powi(year) / (1.0 + p.value(k.discount_rate)).powi(year)
}

/// Months from the exit to the pension age.
pub fn months_to_pension(p: &Parameters, age_at_exit: i32) -> u32 {
    let years = (p.value(p.keys.pension_age) - f64::from(age_at_exit)).max(0.0);
    (years * 12.0).round() as u32
}

/// How many people were in each support and each occupation (with its extent), before and in one quarter
/// after the exit, among the people not yet at the pension age then.
///
/// The value of a status is the sum of its support's and its occupation's items, so the total change is
/// the margins after less the margins before: no count finer than "people on social assistance in the
/// third quarter after the exit" is needed, and such margins are large, so their published values are
/// close. Each margin is the published count of its cell, scaled so that every margin adds up to the
/// published number of people of the quarter (before and after then count the same people).
#[derive(Debug, Clone, Default)]
pub struct Quarter {
    pub support_before: BTreeMap<u8, f64>,
    pub support_after: BTreeMap<u8, f64>,
    pub occupation_before: BTreeMap<(u8, u8), f64>,
    pub occupation_after: BTreeMap<(u8, u8), f64>,
}

/// A person of the calculation: their count (one, with their record key) and path.
pub type Person<'a> = (Tally, &'a Path);

fn publish_margin<K: Ord + Copy>(cells: BTreeMap<K, Tally>, people: f64, publish: &dyn Fn(Tally) -> f64) -> BTreeMap<K, f64> {
    let published: Vec<(K, f64)> = cells.into_iter().map(|(k, t)| (k, publish(t))).collect();
    let sum: f64 = published.iter().map(|(_, v)| v).sum();
    published.into_iter().map(|(k, v)| (k, if sum > 0.0 { people * v / sum } else { 0.0 })).collect()
}

/// The quarters 0..`quarters` after the exit, every one of them: a quarter in which everyone has reached the
/// pension age is empty and adds nothing. (Stopping there made the payback table's length the youngest
/// person's true age at exit.)
pub fn quarters(p: &Parameters, people: &[Person], quarters: u32, publish: &dyn Fn(Tally) -> f64) -> Vec<Quarter> {
    let ends: Vec<u32> = people.iter().map(|(_, path)| months_to_pension(p, path.age_at_exit)).collect();
    let mut out = Vec::new();
    for q in 0..quarters {
        let month = q * 3;
        let active: Vec<usize> = (0..people.len()).filter(|&i| ends[i] > month).collect();
        let mut all = Tally::default();
        let (mut sb, mut sa, mut ob, mut oa) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        for &i in &active {
            let (t, path) = people[i];
            let now = path.status_at(month);
            all += t;
            *sb.entry(path.before.support).or_insert_with(Tally::default) += t;
            *sa.entry(now.support).or_insert_with(Tally::default) += t;
            *ob.entry((path.before.occupation, path.before.extent_pct)).or_insert_with(Tally::default) += t;
            *oa.entry((now.occupation, now.extent_pct)).or_insert_with(Tally::default) += t;
        }
        let n = publish(all);
        out.push(Quarter {
            support_before: publish_margin(sb, n, publish),
            support_after: publish_margin(sa, n, publish),
            occupation_before: publish_margin(ob, n, publish),
            occupation_after: publish_margin(oa, n, publish),
        });
    }
    out
}

/// Society's (or each item's) change in one quarter, a quarter of a year's flows, not yet weighted.
fn quarter_items(p: &Parameters, q: &Quarter) -> BTreeMap<(usize, usize), f64> {
    let mut per_item: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut add = |items: Items, people: f64| {
        for (actor, item, v) in items {
            *per_item.entry((actor.index(), item)).or_default() += v * people / 4.0;
        }
    };
    for (&s, &n) in &q.support_after {
        add(support_items(p, s), n);
    }
    for (&s, &n) in &q.support_before {
        add(support_items(p, s), -n);
    }
    for (&(o, e), &n) in &q.occupation_after {
        add(occupation_items(p, o, e), n);
    }
    for (&(o, e), &n) in &q.occupation_before {
        add(occupation_items(p, o, e), -n);
    }
    per_item
}

/// The present value of the change over the first `months` months (whole quarters), split per actor into
/// income and costs item by item (an item that changes by a net gain is income, by a net loss a cost).
pub fn value(p: &Parameters, quarters: &[Quarter], months: u32) -> Flows {
    let mut per_item: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (q, quarter) in quarters.iter().enumerate().take((months / 3) as usize) {
        let weight = year_weight(p, q as u32 / 4);
        for (key, v) in quarter_items(p, quarter) {
            *per_item.entry(key).or_default() += v * weight;
        }
    }
    let mut flows = Flows::default();
    for ((actor, _), v) in per_item {
        if v >= 0.0 {
            flows.income[actor] += v;
        } else {
            flows.cost[actor] += v;
        }
    }
    flows
}

/// The intervention's cost counted within a horizon: all of it, or (written off over `write_off` years)
/// the share of the years the horizon covers.
pub fn cost_within(cost: f64, horizon_months: u32, write_off_years: f64) -> f64 {
    cost * (f64::from(horizon_months) / 12.0 / write_off_years).min(1.0)
}

/// Society's cumulative gain less the cost at the end of each quarter (index 0: the exit, the cost alone).
pub fn payback_curve(p: &Parameters, quarters: &[Quarter], cost: f64) -> Vec<f64> {
    let mut curve = vec![-cost];
    let mut running = -cost;
    for (q, quarter) in quarters.iter().enumerate() {
        running += quarter_items(p, quarter).values().sum::<f64>() * year_weight(p, q as u32 / 4);
        curve.push(running);
    }
    curve
}

/// The month in which society's cumulative gain covers the cost, the quarter's gain spread evenly over its
/// months (`None`: not within the curve).
pub fn payback_month(curve: &[f64]) -> Option<u32> {
    if curve.first().is_some_and(|v| *v >= 0.0) {
        return Some(0);
    }
    curve.windows(2).position(|w| w[1] >= 0.0).map(|q| {
        let (start, end) = (curve[q], curve[q + 1]);
        let within = (-start / (end - start) * 3.0).ceil().max(1.0) as u32;
        q as u32 * 3 + within
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parameters::SUPPORT_CODES;

    fn code(list: &[&str], c: &str) -> u8 {
        list.iter().position(|x| *x == c).unwrap() as u8
    }

    fn status(support: &str, occupation: &str, extent_pct: u8) -> Status {
        Status { support: code(&SUPPORT_CODES, support), occupation: code(&OCCUPATION_CODES, occupation), extent_pct }
    }

    /// A one-page parameter file whose every number is round, so the results can be worked out by hand.
    const HAND: &str = include_str!("../tests/hand-computed.toml");

    fn hand() -> Parameters {
        Parameters::parse(HAND, "hand.toml").unwrap()
    }

    fn path(before: Status, after: &[(u32, Status)], age: i32) -> Path {
        Path { before, after: after.to_vec(), age_at_exit: age }
    }

    /// The true counts (a raw run): what the calculation gives before any protection.
    fn worth(p: &Parameters, paths: &[&Path], months: u32) -> Flows {
        let people: Vec<Person> = paths.iter().enumerate().map(|(i, path)| (Tally::new(1, i as u64), *path)).collect();
        value(p, &quarters(p, &people, months.div_ceil(3), &|t| t.n as f64), months)
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 0.005, "{a} against {b}");
    }

    /// Three people worked out by hand (to the öre).
    ///
    /// A: social assistance and job-seeking → wage and full-time work. Per year: municipality saves the
    /// assistance 100 000 × 110/100 = 110 000 and the handling 12 000, and gains tax 0.20 × 180 000 =
    /// 36 000; region gains 18 000; AF saves 24 000; the state gains fees 60 000 less the credit 10 000;
    /// the individual loses 110 000 of assistance and gains 200 000 − 36 000 − 18 000 + 10 000 = 156 000.
    /// Society: 200 000 + 60 000 + 12 000 + 24 000 = 296 000 a year.
    /// B: sickness benefit and other → studies at 50 % with study allowance: FK saves 150 000; municipality
    /// pays 30 000 for the place; the state pays 24 000; the individual loses 150 000 and gains 24 000.
    /// Society: −30 000 a year. C: after 6 months goes from job-seeking (same as before) to full-time work.
    #[test]
    fn three_people_by_hand() {
        let p = hand();
        let a = path(status("social_assistance", "job_seeking", 0), &[(0, status("wage", "work", 100))], 30);
        let b = path(status("sickness_benefit", "other", 0), &[(0, status("study_allowance", "studies", 50))], 40);
        let c = path(
            status("social_assistance", "job_seeking", 0),
            &[(0, status("social_assistance", "job_seeking", 0)), (6, status("wage", "work", 100))],
            30,
        );
        let one = worth(&p, &[&a], 12);
        let net = one.net();
        close(net[Actor::Municipality.index()], 110000.0 + 12000.0 + 36000.0);
        close(net[Actor::Region.index()], 18000.0);
        close(net[Actor::Af.index()], 24000.0);
        close(net[Actor::State.index()], 50000.0);
        close(net[Actor::Individual.index()], -110000.0 + 156000.0);
        close(one.society(), 296000.0);
        // Income and cost kept apart: the individual's lost assistance is a cost, the wage an income.
        close(one.cost[Actor::Individual.index()], -110000.0);
        close(one.income[Actor::Individual.index()], 156000.0);
        // Two years: the second discounted by 10 %.
        close(worth(&p, &[&a], 24).society(), 296000.0 + 296000.0 / 1.1);
        let b1 = worth(&p, &[&b], 12);
        close(b1.net()[Actor::Fk.index()], 150000.0);
        close(b1.net()[Actor::Municipality.index()], -30000.0);
        close(b1.net()[Actor::State.index()], -24000.0);
        close(b1.society(), -30000.0);
        // C works the second half of the first year: half of A's year.
        close(worth(&p, &[&c], 12).society(), 148000.0);
        // The three together over a year, against a cost of 300 000: 296 000 − 30 000 + 148 000 − 300 000.
        close(worth(&p, &[&a, &b, &c], 12).society() - 300000.0, 114000.0);
        // Payback: (296 000 − 30 000)/12 a month for 6 months, then + 296 000/12 more: the cumulative gain
        // passes 300 000 in month 10.
        let people: Vec<Person> = [&a, &b, &c].into_iter().enumerate().map(|(i, path)| (Tally::new(1, i as u64), path)).collect();
        let curve = payback_curve(&p, &quarters(&p, &people, 8, &|t| t.n as f64), 300000.0);
        close(curve[4], 114000.0);
        assert_eq!(payback_month(&curve), Some(10));
        // Written off over three years, a one-year horizon counts a third of the cost.
        close(cost_within(300000.0, 12, 3.0), 100000.0);
        close(cost_within(300000.0, 60, 3.0), 300000.0);
    }

    #[test]
    fn pension_age_ends_the_flows() {
        let p = hand();
        let a = path(status("social_assistance", "job_seeking", 0), &[(0, status("wage", "work", 100))], 64);
        close(worth(&p, &[&a], 60).society(), 296000.0);
    }

    #[test]
    fn deadweight_and_decay_scale_the_effect() {
        let p = hand();
        let a = path(status("social_assistance", "job_seeking", 0), &[(0, status("wage", "work", 100))], 30);
        let half = p.with(p.keys.deadweight, 0.5);
        close(worth(&half, &[&a], 12).society(), 148000.0);
        let decay = p.with(p.keys.effect_decay, 0.5).with(p.keys.discount_rate, 0.0);
        close(worth(&decay, &[&a], 24).society(), 296000.0 * 1.5);
    }

    /// A better outcome never lowers the return: more work, less support, for every actor's total.
    #[test]
    fn a_better_outcome_never_lowers_the_return() {
        let p = Parameters::load(None).unwrap();
        let before = status("social_assistance", "job_seeking", 0);
        let ladder = [
            status("social_assistance", "job_seeking", 0),
            status("social_assistance", "work", 25),
            status("social_assistance", "work", 50),
            status("wage", "work", 50),
            status("wage", "work", 75),
            status("wage", "work", 100),
        ];
        let mut last = f64::NEG_INFINITY;
        for s in ladder {
            let v = worth(&p, &[&path(before, &[(0, s)], 30)], 60).society();
            assert!(v >= last, "{s:?}: {v} < {last}");
            last = v;
        }
    }

    /// The literature's figure: a person outside work from 20 to pension costs society 10–15 MSEK.
    #[test]
    fn a_working_life_from_social_assistance_lands_in_the_literatures_range() {
        let p = Parameters::load(None).unwrap();
        let from = status("social_assistance", "job_seeking", 0);
        let lifetime = worth(&p, &[&path(from, &[(0, status("wage", "work", 100))], 20)], 12 * 50).society();
        assert!((10.0e6..=15.0e6).contains(&lifetime), "{lifetime}");
    }
}

#[cfg(test)]
mod protection_tests {
    use super::*;

    /// The margins are scaled to the published number of people: a published margin that adds up to more
    /// or fewer people than the published total does not add or remove anyone's value.
    #[test]
    fn margins_add_up_to_the_published_total() {
        let p = Parameters::load(None).unwrap();
        let before = Status { support: 6, occupation: 2, extent_pct: 0 };
        let work = Status { support: 0, occupation: 0, extent_pct: 100 };
        let paths: Vec<Path> = (0..7).map(|i| Path { before, after: vec![(0, if i < 3 { work } else { before })], age_at_exit: 30 }).collect();
        let people: Vec<Person> = paths.iter().enumerate().map(|(i, path)| (Tally::new(1, i as u64), path)).collect();
        // A "publication" that rounds every count up to a multiple of 5: 7 people → 10, 3 → 5, 4 → 5.
        let publish = |t: Tally| (t.n as f64 / 5.0).ceil() * 5.0;
        let q = &quarters(&p, &people, 1, &publish)[0];
        close(q.support_before.values().sum(), 10.0);
        close(q.support_after.values().sum(), 10.0);
        close(q.support_after[&0], 5.0);
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} against {b}");
    }
}
