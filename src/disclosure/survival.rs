//! The protection of time-to-event tables: survival curves (Kaplan–Meier, or the life table on published
//! counts under perturbation), their numbers at risk and medians, and the cumulative incidence of an event
//! with a competing one. Every such table shares one grouping of its people by month (`month_groups`), so
//! that no difference between two shown months, in one output or across outputs, is a group of 1–4.

use super::suppression::MIN_CELL;
use super::{Cell, Protection, Protector};
use crate::analysis::competing::Incidence;
use crate::analysis::survival::{entered_before, Observation, DAYS_PER_MONTH};
use finsam_plugin::Tally;

/// A month of a survival table as published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedMonth {
    /// Months from the start.
    pub month: u32,
    /// How many are still followed then, as published.
    pub at_risk: Cell,
    /// The share still without the event and its 95 % interval, where it may be shown.
    pub survival: Option<(f64, Option<f64>, Option<f64>)>,
}

/// How one unit of a time-to-event table ended (an index into running tallies).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Event = 0,
    Competing = 1,
    Censored = 2,
}

impl Outcome {
    fn of(u: &Observation) -> Outcome {
        match (u.event, u.competing) {
            (true, _) => Outcome::Event,
            (false, true) => Outcome::Competing,
            (false, false) => Outcome::Censored,
        }
    }
}

/// The tallies of a time-to-event table between a month and the previous month shown.
struct MonthGroup {
    month: u32,
    shown: bool,
    at_risk: Cell,
    start: Tally,
    /// Under perturbation: the number at risk at the interval's start as published, derived from the
    /// published groups before it (see `month_groups`).
    start_published: f64,
    events: Tally,
    competing: Tally,
    censored: Tally,
    entrants: Tally,
}

impl MonthGroup {
    /// The life table's effective number exposed, on perturbed counts: those at risk at the start, with
    /// those entering or leaving otherwise within the interval counted for half of it.
    fn exposed(&self, p: &Protector, left_otherwise: Tally) -> f64 {
        self.start_published + p.perturbed_f64(self.entrants) / 2.0 - p.perturbed_f64(left_otherwise) / 2.0
    }

    /// The same on true counts (suppression, whose groups between shown months are 0 or at least 5).
    fn exposed_true(&self, left_otherwise: Tally) -> f64 {
        self.start.n as f64 + self.entrants.n as f64 / 2.0 - left_otherwise.n as f64 / 2.0
    }
}

/// Under perturbation a survival table is one table per cohort with a step every this many months (the
/// default months 3, 6, 9, 12, 18, 24 are on it): the number at risk is derived from the published groups of
/// the steps before it, so its error grows with the number of steps (its standard deviation is about
/// √(steps + 1) with V = 1: about 2 at 12 months; Spånga–Tensta's 43 of 150 at 12 months is published as 46),
/// and steps of three months keep it near the noise of a count.
pub const SURVIVAL_STEP_MONTHS: u32 = 3;

/// How far a protected median is read off the table: the longest follow-up window finsam takes (50 years).
const MEDIAN_HORIZON_MONTHS: u32 = crate::analysis::cohort::MAX_FOLLOW_UP_MONTHS;

impl Protector {
    /// A survival table as published: the months (ascending, each once), the number at risk and, where
    /// it may be shown, the share still without the event with its 95 % interval.
    ///
    /// Once fewer than 5 are at risk (under perturbation: the published number at risk is 0), no later
    /// month is shown. Under suppression the months that may be shown are decided on every whole month,
    /// whatever the output asks for (`month_groups`): since the previous such month, nobody or at least 5
    /// had the event, a competing event, left observation otherwise or entered, and what is left after the
    /// last one is a group of 0 or ≥ 5 too; so no difference between two shown months, in one output or
    /// across outputs, is a group of 1–4. The number at risk is hidden with its month (two exact numbers at
    /// risk would subtract to the people who left between them).
    ///
    /// Raw and suppression publish the Kaplan–Meier estimate `curve`. Under perturbation an exact estimate
    /// would undo the noise (two cohorts that differ by one person give curves that differ by exactly that
    /// person), so the curve is estimated from published counts instead: between consecutive shown months,
    /// the perturbed number at risk at the start, events, censored and (delayed entry) entrants give the
    /// actuarial (life-table) factor 1 − e / (r + a/2 − c/2), with Greenwood's variance on the log(−log)
    /// scale. Without censoring or late entry it equals Kaplan–Meier on the perturbed counts. Under
    /// suppression the entrants between two shown months are a group like the events and the censored.
    pub fn survival(
        &self,
        units: &[Observation],
        unobserved: Tally,
        curve: &crate::analysis::survival::Curve,
        months: &[u32],
    ) -> Vec<PublishedMonth> {
        // The groups as the cumulative incidence has them (so that both tables of an output show the same
        // months); Kaplan–Meier censors a competing event, so its life table counts them with the censored.
        let groups = self.month_groups(units, unobserved, months, Outcome::of);
        let (mut grouped, mut greenwood) = (1.0_f64, 0.0_f64);
        groups
            .into_iter()
            .map(|g| {
                // Protected: a life table on the groups between the months shown (perturbed, or true ones of 0
                // or at least 5 under suppression), so that no figure depends on the order in which people
                // left within an interval (the exact curve's value does, and gave it away at full precision).
                let life_table = |exposed: f64, e: f64, grouped: &mut f64, greenwood: &mut f64| {
                    let q = if exposed > 0.0 { (e / exposed).clamp(0.0, 1.0) } else { 0.0 };
                    *grouped *= 1.0 - q;
                    if exposed > e && e > 0.0 {
                        *greenwood += e / (exposed * (exposed - e));
                    }
                    let (low, high) = crate::analysis::survival::log_log_interval(*grouped, *greenwood);
                    Some((*grouped, low, high))
                };
                let survival = match (g.shown, self.protection) {
                    (false, _) => None,
                    (true, Protection::Perturbation) => {
                        life_table(g.exposed(self, g.censored + g.competing), self.perturbed_f64(g.events), &mut grouped, &mut greenwood)
                    }
                    (true, Protection::Suppression) => {
                        life_table(g.exposed_true(g.censored + g.competing), g.events.n as f64, &mut grouped, &mut greenwood)
                    }
                    (true, Protection::Raw) => {
                        let days = f64::from(g.month) * crate::analysis::survival::DAYS_PER_MONTH;
                        let (low, high) = curve.step_at(days).map_or((Some(1.0), Some(1.0)), |s| (s.low, s.high));
                        Some((curve.survival_at(days), low, high))
                    }
                };
                PublishedMonth { month: g.month, at_risk: g.at_risk, survival }
            })
            .filter(|m| months.contains(&m.month))
            .collect()
    }

    /// A time-to-event cohort's size and events as published (the survival heading, a chart's legend). Under
    /// suppression the size is hidden when the rest (size − events: for time to exit, the report's "still
    /// enrolled") is 1–4, as the report hides its enrolments, so the two cannot be subtracted; for time to
    /// self-support both are hidden: the cohort (those on public support before) and its events (self-support
    /// at exit or at a later follow-up) are not the report's, and an attack subtracted the report's exits and
    /// its "self-supporting after exit" from them to find groups of 1–4.
    pub fn time_to_event_counts(&self, event: crate::analysis::survival::Event, all: Tally, events: Tally) -> (Cell, Cell) {
        use crate::analysis::survival::Event;
        match (self.protection, event) {
            (Protection::Suppression, Event::SelfSupport) => (Cell::Hidden, Cell::Hidden),
            (Protection::Suppression, Event::Exit) => {
                let n = match self.count(all) {
                    Cell::Shown(_) if (1..MIN_CELL).contains(&(all.n - events.n)) => Cell::Hidden,
                    other => other,
                };
                (n, self.count(events))
            }
            _ => (self.count(all), self.count(events)),
        }
    }

    /// Whether a time-to-self-support table (and chart) may show any month: not under suppression. Its
    /// numbers at risk are groups of the report's and of the time-to-exit table's people cut another way,
    /// and each of these pairs gives a group of 1–4: the first number at risk beside the
    /// report's enrolments (those not on public support before), beside the report's grid of support before
    /// and after (a hidden row: 47 demo cohorts), and, counted by overlap, beside the time-to-exit
    /// table's first number at risk (the period's starters not on public support before: 43
    /// demo groups). Suppression has no joint audit of the two tables; the default protection publishes them.
    pub fn self_support_may_be_shown(&self) -> bool {
        self.protection != Protection::Suppression
    }

    /// The median time (months) as published: raw output gives the exact curve's median; protected output
    /// reads it off the published table, by linear interpolation between the two months shown around a
    /// share of one half (the life table's median), so that it says nothing the table does not. (The
    /// exact median is one person's time at a known rank: under suppression an attack set it against the
    /// numbers at risk and the months hidden, and read off exact groups of 1–4.) `None`: not reached.
    pub fn median_months(&self, units: &[Observation], unobserved: Tally, curve: &crate::analysis::survival::Curve) -> Option<f64> {
        use crate::analysis::survival::DAYS_PER_MONTH;
        if self.protection == Protection::Raw {
            return curve.median().map(|d| d / DAYS_PER_MONTH);
        }
        // The table is read as far as any follow-up goes (a fixed number of months): read up to the cohort's
        // longest true stay, whether the median was reached said whether anyone stayed past a month whose
        // groups are published as 0 .
        let step = if self.protection == Protection::Perturbation { SURVIVAL_STEP_MONTHS } else { 1 };
        let grid: Vec<u32> = (0..=MEDIAN_HORIZON_MONTHS).filter(|m| m % step == 0).collect();
        // The shares as the table prints them (four decimals), so that the median is the printed table's.
        let shown: Vec<(f64, f64)> = self
            .survival(units, unobserved, curve, &grid)
            .into_iter()
            .filter_map(|m| m.survival.map(|(s, _, _)| (f64::from(m.month), (s * 1e4).round() / 1e4)))
            .collect();
        let mut before = (0.0, 1.0);
        for (month, share) in shown {
            if share <= 0.5 {
                let (m0, s0) = before;
                return Some(if s0 > share { m0 + (s0 - 0.5) / (s0 - share) * (month - m0) } else { month });
            }
            before = (month, share);
        }
        None
    }

    /// The cumulative incidence with a competing event (Aalen–Johansen) as published, month by month, under
    /// the same rules as `survival`: under suppression the competing events between two shown months are a
    /// group of their own (0 or at least 5); under perturbation the estimate is the Aalen–Johansen life table
    /// on perturbed counts (events and competing events at the interval's end, the censored and the entrants
    /// exposed for half of it). `fit` is the estimate from individual observations (raw and suppression).
    pub fn incidence(&self, units: &[Observation], unobserved: Tally, fit: &Incidence, months: &[u32]) -> Vec<PublishedMonth> {
        let groups = self.month_groups(units, unobserved, months, Outcome::of);
        let mut life_table = Vec::new();
        groups
            .into_iter()
            .map(|g| {
                let days = f64::from(g.month) * crate::analysis::survival::DAYS_PER_MONTH;
                let incidence = match (g.shown, self.protection) {
                    (false, _) => None,
                    (true, Protection::Perturbation) => {
                        life_table.push((days, g.exposed(self, g.censored), self.perturbed_f64(g.events), self.perturbed_f64(g.competing)));
                        Some(Incidence::from_counts(life_table.iter().copied()).at(days))
                    }
                    (true, Protection::Suppression) => {
                        life_table.push((days, g.exposed_true(g.censored), g.events.n as f64, g.competing.n as f64));
                        Some(Incidence::from_counts(life_table.iter().copied()).at(days))
                    }
                    (true, Protection::Raw) => Some(fit.at(days)),
                };
                PublishedMonth { month: g.month, at_risk: g.at_risk, survival: incidence }
            })
            .filter(|m| months.contains(&m.month))
            .collect()
    }

    fn perturbed_f64(&self, t: Tally) -> f64 {
        self.ptable.publish(t) as f64
    }

    /// The months (ascending, each once) with the tallies between each and the previous month shown, and
    /// whether it may be shown (see `survival`): the shared part of every time-to-event table. `unobserved`
    /// are the cohort's enrolments never observed at risk (in the heading's n, never in the curve).
    fn month_groups(&self, units: &[Observation], unobserved: Tally, months: &[u32], outcome: fn(&Observation) -> Outcome) -> Vec<MonthGroup> {
        let mut months = months.to_vec();
        months.sort_unstable();
        months.dedup();
        let timeline = Timeline::new(self, units, outcome);
        match self.protection {
            Protection::Raw => timeline.walk(&months, &mut |_, _, _| true),
            Protection::Perturbation => timeline.perturbed(&months),
            Protection::Suppression => timeline.suppressed(&months, unobserved),
        }
    }
}

/// A time-to-event table's units sorted by time and by entry, with running tallies per outcome: every
/// count of `month_groups` is a difference of two prefixes (one sort, then a binary search per month).
struct Timeline<'a> {
    protector: &'a Protector,
    outcome: fn(&Observation) -> Outcome,
    /// The units by the time they left observation, and the tallies of those up to each index by outcome.
    sorted: Vec<&'a Observation>,
    upto: Vec<[Tally; 3]>,
    /// The units by their entry (delayed entry: an enrolment observed from a period's first day), and the
    /// tallies of those entered up to each index.
    entries: Vec<&'a Observation>,
    entered_upto: Vec<Tally>,
    /// The month after the last day anyone was observed.
    horizon: u32,
}

impl<'a> Timeline<'a> {
    fn new(protector: &'a Protector, units: &'a [Observation], outcome: fn(&Observation) -> Outcome) -> Timeline<'a> {
        let mut sorted: Vec<&Observation> = units.iter().collect();
        sorted.sort_by(|a, b| a.days.total_cmp(&b.days));
        let mut upto = vec![[Tally::default(); 3]];
        for u in &sorted {
            let mut next = *upto.last().expect("starts with one");
            next[outcome(u) as usize] = next[outcome(u) as usize] + Tally::unit(u.key);
            upto.push(next);
        }
        let mut entries: Vec<&Observation> = units.iter().collect();
        entries.sort_by(|a, b| a.entry.total_cmp(&b.entry));
        let mut entered_upto = vec![Tally::default()];
        for u in &entries {
            let e = *entered_upto.last().expect("starts with one");
            entered_upto.push(e + Tally::unit(u.key));
        }
        let last_day = units.iter().map(|u| u.days.max(u.entry)).fold(0.0, f64::max);
        let horizon = (last_day / DAYS_PER_MONTH).ceil() as u32 + 1;
        Timeline { protector, outcome, sorted, upto, entries, entered_upto, horizon }
    }

    /// Every whole month to the horizon (or to the last month asked for, when later), and every
    /// `SURVIVAL_STEP_MONTHS`th of them.
    fn reaching(&self, months: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let end = self.horizon.max(months.last().copied().unwrap_or(0));
        let every: Vec<u32> = (0..=end).collect();
        let quarters = every.iter().copied().filter(|m| m % SURVIVAL_STEP_MONTHS == 0).collect();
        (every, quarters)
    }

    /// Everyone entered, as the estimate counts them.
    fn total_entered(&self) -> Tally {
        *self.entered_upto.last().expect("starts with one")
    }

    /// How many units end at or before `days`.
    fn ended(&self, days: f64) -> usize {
        self.sorted.partition_point(|u| u.days <= days)
    }

    /// The tally of those entered before `days` (those entering at 0 are there from the start).
    fn entered(&self, days: f64) -> Tally {
        self.entered_upto[self.entries.partition_point(|u| entered_before(u.entry, days))]
    }

    /// Those who left, by any outcome, up to index `i`.
    fn left(&self, i: usize) -> Tally {
        self.upto[i][0] + self.upto[i][1] + self.upto[i][2]
    }

    /// Those with outcome `o` between two indices.
    fn between(&self, from: usize, to: usize, o: Outcome) -> Tally {
        let t = self.upto[to][o as usize].without(self.upto[from][o as usize]);
        with_smallest_key(t, || self.sorted[from..to].iter().filter(|u| (self.outcome)(u) == o).copied())
    }

    /// Those at risk just after `days` (entered before it, not yet left: at or after index `to`).
    fn at_risk_after(&self, days: f64, to: usize) -> Tally {
        let t = self.entered(days).without(self.left(to));
        with_smallest_key(t, || self.sorted[to..].iter().filter(|u| entered_before(u.entry, days)).copied())
    }

    /// Those who entered between two times.
    fn entered_between(&self, from: f64, to: f64) -> Tally {
        let t = self.entered(to).without(self.entered(from));
        let first = |days: f64| self.entries.partition_point(|u| entered_before(u.entry, days));
        with_smallest_key(t, || self.entries[first(from)..first(to)].iter().copied())
    }

    /// The months, each with the groups since the previous month shown; `decide` says whether a month is
    /// shown, given them.
    fn walk(&self, months: &[u32], decide: &mut dyn FnMut(u32, &MonthGroup, Tally) -> bool) -> Vec<MonthGroup> {
        let mut out = Vec::with_capacity(months.len());
        // The last month shown (in days; before time 0 at the start).
        let mut shown_until = -1.0_f64;
        for &month in months {
            let days = f64::from(month) * DAYS_PER_MONTH;
            let (from, to) = (self.ended(shown_until), self.ended(days));
            let at_risk = self.at_risk_after(days, to);
            let mut group = MonthGroup {
                month,
                shown: false,
                at_risk: Cell::Shown(at_risk.n),
                start: self.at_risk_after(shown_until, from),
                start_published: 0.0,
                events: self.between(from, to, Outcome::Event),
                competing: self.between(from, to, Outcome::Competing),
                censored: self.between(from, to, Outcome::Censored),
                entrants: self.entered_between(shown_until, days),
            };
            group.shown = decide(month, &group, at_risk);
            if group.shown {
                shown_until = days;
            }
            group.at_risk = match self.protector.protection {
                Protection::Suppression if !group.shown => Cell::Hidden,
                _ => self.protector.count(at_risk),
            };
            out.push(group);
        }
        out
    }

    /// Under perturbation: one table per cohort, every `SURVIVAL_STEP_MONTHS` months, whatever months an
    /// output asks for: each step's groups (events, competing events, censored, entrants) are cells of their
    /// own, and the number at risk is the published start plus the published entrants less the published
    /// departures, month by month. Two published numbers at risk then differ by published groups only: a
    /// group published as 0 may hold 1–4 people, so a change no longer proves that anyone left, and a coarse
    /// table is the same table read at fewer months (the curve is a product over the same months), so a fine
    /// and a coarse table cannot be set against each other. Every decision is on published counts.
    fn perturbed(&self, months: &[u32]) -> Vec<MonthGroup> {
        let p = self.protector;
        let (_, quarters) = self.reaching(months);
        let mut closed = false;
        let mut at_risk_published: Option<f64> = None;
        let mut derived = Vec::with_capacity(quarters.len());
        let canonical = self.walk(&quarters, &mut |_, g, _| {
            let start = at_risk_published.unwrap_or_else(|| p.perturbed_f64(g.start));
            let left = p.perturbed_f64(g.events) + p.perturbed_f64(g.competing) + p.perturbed_f64(g.censored);
            let now = (start + p.perturbed_f64(g.entrants) - left).max(0.0);
            at_risk_published = Some(now);
            derived.push((start, now));
            closed |= now < MIN_CELL as f64;
            !closed
        });
        let asked = |m: u32| months.binary_search(&m).is_ok();
        canonical
            .into_iter()
            .zip(derived)
            // A derived number below 5 is published as 0, as a small count is.
            .map(|(g, (start, now))| MonthGroup {
                start_published: start,
                at_risk: Cell::Shown(if now < MIN_CELL as f64 { 0 } else { now.round() as u64 }),
                ..g
            })
            // The life table needs every month shown; `survival` and `incidence` keep the asked ones.
            .filter(|g| g.shown || asked(g.month))
            .collect()
    }

    /// Under suppression the counts shown are true, so the groups between shown months must be 0 or ≥ 5,
    /// and that must hold between any two outputs of the cohort, whatever months each asks for: the months
    /// that may be shown are decided once, on every whole month, and an output shows those of its months.
    /// The difference between any two of them is then a sum of groups of 0 or ≥ 5.
    fn suppressed(&self, months: &[u32], unobserved: Tally) -> Vec<MonthGroup> {
        let may_show = self.months_that_may_be_shown(months, unobserved);
        // Every month that may be shown is walked (the life table steps through all of them); the output
        // keeps the months it asked for.
        let mut walked: Vec<u32> = may_show.iter().copied().chain(months.iter().copied()).collect();
        walked.sort_unstable();
        walked.dedup();
        self.walk(&walked, &mut |month, _, _| may_show.binary_search(&month).is_ok())
    }

    /// The whole months whose groups since the previous one, and what is left after the last, are 0 or ≥ 5.
    fn months_that_may_be_shown(&self, months: &[u32], unobserved: Tally) -> Vec<u32> {
        let group_ok = |t: Tally| t.n == 0 || t.n >= MIN_CELL;
        let (every, _) = self.reaching(months);
        let total_entered = self.total_entered();
        let mut closed = false;
        let canonical = self.walk(&every, &mut |month, g, at_risk| {
            closed |= at_risk.n < MIN_CELL;
            // The heading's n less the number at risk is everyone who left, who has not yet entered (delayed
            // entry) or was never observed: the last two are groups like the others.
            let not_yet_entered = (total_entered + unobserved).without(self.entered(f64::from(month) * DAYS_PER_MONTH));
            !closed && group_ok(g.events) && group_ok(g.competing) && group_ok(g.censored) && group_ok(g.entrants) && group_ok(not_yet_entered)
        });
        let mut may_show: Vec<u32> = canonical.iter().filter(|g| g.shown).map(|g| g.month).collect();
        // After the last month shown, what is left (the heading's totals less that month's) is a group too:
        // while it is 1–4, the last month is not shown.
        let end = self.sorted.len();
        while let Some(&last) = may_show.last() {
            let days = f64::from(last) * DAYS_PER_MONTH;
            let from = self.ended(days);
            let rest_ok = [Outcome::Event, Outcome::Competing, Outcome::Censored].iter().all(|o| group_ok(self.between(from, end, *o)))
                && group_ok(total_entered.without(self.entered(days)));
            if rest_ok {
                break;
            }
            may_show.pop();
        }
        may_show
    }
}

/// A count made by subtracting two running totals, with its smallest record key found among `units` (its
/// units) when the subtraction could not keep it and the count is one the key decides (1–4; see `Tally`).
fn with_smallest_key<'a, I: Iterator<Item = &'a Observation>>(t: Tally, units: impl FnOnce() -> I) -> Tally {
    if t.min.is_some() || !(1..MIN_CELL).contains(&t.n) {
        return t;
    }
    Tally { min: Some(units().map(|u| u.key).min().unwrap_or(u32::MAX)), ..t }
}
