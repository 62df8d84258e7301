//! Disclosure control: the one step between analysis results (true counts) and anything a board or the
//! public can see. Every face (CLI, Python, charts, exports, reports, plugins) presents what this module
//! publishes; a true count leaves it only when raw output was asked for, which warns and says so.
//!
//! # The promise
//! No protected output shows a count of 1–4 people, and no one combining two protected outputs (subtracting
//! one board paper from another, a period from a period one day longer, an intervention from the same plus
//! one more, a sex margin from a total, a survival table from a report) can work one out with certainty.
//! Long chains of outputs of nested cohorts (a period's start moved back one day at a time) can: a published
//! 0 caps the count at 4, and each change of the published value proves one more person. That is a known,
//! open weakness of bounded noise that is the same for the same people (docs/privacy.md, "Known limits").
//!
//! # The threat
//! Board papers of a samordningsförbund are public documents: anyone can collect them, set them side by
//! side and subtract. Suppressing small cells cannot hold against that when users choose their own
//! cohorts: two suppressed tables whose cohorts differ by one person differ by one in some shown cell.
//!
//! # The method (default): the cell-key method
//! The method of the Australian Bureau of Statistics' TableBuilder (Thompson, Broadfoot & Elazar 2013), used
//! by ONS for custom census tables and by Destatis for the 2022 census (Giessing & Tent 2019), and
//! implemented in the sdcTools packages `cellKey` and `ptable`:
//! - every counted unit carries a record key, a number fixed when its row is written (`record_key`, a
//!   32-bit fraction derived from the pseudonym; for enrolments from the pseudonym, intervention and start
//!   date, so a re-import keeps it); it is never printed;
//! - a cell's key is the sum of its units' keys modulo 1, so the same set of people always has the same key,
//!   whichever output counts it;
//! - the published count is looked up in a perturbation table (`Ptable`) by the true count and the cell
//!   key: unbiased noise of at most ±D (default 2, variance 1) for counts of 5 and more, and counts of 1–4
//!   published as 0 or 5. Totals are cells of their own; shares, intervals and differences are computed
//!   from published counts.
//!
//! A difference of two outputs is then the difference of two noisy values; the noise of the same cell never
//! changes, so asking again does not average it away. Survival curves and quartiles are not counts; they
//! are shown only where they cannot single out 1–4 people, and curves are estimated from perturbed counts
//! (`Protector::survival`, `Protector::quartiles_may_be_shown`).
//!
//! # Suppression (`Protection::Suppression`)
//! For publishers whose rules require suppression: counts of 1–4 are hidden and further cells are hidden
//! until no hidden count can be recovered from the same table's rows and columns (`suppression`, `audit`);
//! a report's tables, measures and heading are then audited together as one linear system (`linked`). It
//! does not protect against differencing between outputs of different filters; the legend says so.
//!
//! # Raw (`Protection::Raw`)
//! Every true count, for researchers with access to the database itself (who can read the same counts with
//! SQL). Raw output is marked as raw in every title and warns on the command line.

pub mod audit;
pub mod granularity;
pub mod linked;
pub mod ptable;

pub mod suppression;

use std::str::FromStr;

use crate::analysis::competing::Incidence;
use crate::analysis::stats::Share;
use crate::analysis::survival::Observation;
use crate::codes::Lang;
use crate::error::{FinsamError, Result};
use crate::model::Model;
pub use ptable::Ptable;
pub use suppression::SuppressedGrid as Grid;
use suppression::{share_may_be_shown, suppress_grid, suppress_grid_hiding_total, unsuppressed_grid, MIN_CELL};

/// A count as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// A count as shown (perturbed under the cell-key method, true under suppression and raw).
    Shown(u64),
    /// A count of 1–4 people, standing alone, under suppression: "<5".
    Suppressed,
    /// A hidden count of a table under suppression (small, or hidden to protect a small one): "..".
    Hidden,
}

impl Cell {
    /// The count shown, or `None` when it is hidden.
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Shown(v) => Some(v),
            Cell::Suppressed | Cell::Hidden => None,
        }
    }

    /// Whether the count is hidden (`<5` or `..`).
    pub fn is_hidden(self) -> bool {
        self.shown().is_none()
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Shown(v) => write!(f, "{v}"),
            Cell::Suppressed => f.write_str("<5"),
            Cell::Hidden => f.write_str(".."),
        }
    }
}

/// A true count with its cell key (the number of units and the sum of their record keys modulo 2³²). Defined
/// in the plugin interface, so that plugins hand counts to this module in the same type as the core does.
pub use finsam_plugin::Tally;

/// How counts are protected before anyone sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protection {
    /// The cell-key method: every count perturbed consistently, no count of 1–4 (the default).
    #[default]
    Perturbation,
    /// Small-cell suppression within each table.
    Suppression,
    /// True counts, for research; marked as raw.
    Raw,
}

impl Protection {
    /// The names people choose by (`--protection NAME`), the default first.
    pub const NAMES: [&'static str; 3] = ["perturbation", "suppression", "raw"];

    /// The name people choose it by.
    pub fn name(self) -> &'static str {
        match self {
            Protection::Perturbation => "perturbation",
            Protection::Suppression => "suppression",
            Protection::Raw => "raw",
        }
    }

    /// The protection asked for by a face: `raw` (a flag) wins and must not contradict a named protection.
    pub fn choose(name: Option<&str>, raw: bool) -> Result<Protection> {
        match (name.map(str::parse::<Protection>).transpose()?, raw) {
            (None, false) => Ok(Protection::default()),
            (None, true) | (Some(Protection::Raw), _) => Ok(Protection::Raw),
            (Some(p), false) => Ok(p),
            (Some(p), true) => Err(FinsamError::invalid(format!("raw output and protection '{}' contradict each other: ask for one", p.name()))),
        }
    }

    /// The warning a face prints when raw output is asked for.
    pub const RAW_WARNING: &'static str = "warning: raw output shows true counts, also those under 5; it must not reach a board or the public";
}

impl crate::codes::Choice for Protection {
    const NAMES: &'static [&'static str] = &Protection::NAMES;
}

impl FromStr for Protection {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Protection> {
        match s.trim().to_ascii_lowercase().as_str() {
            "perturbation" | "cell-key" | "cellkey" => Ok(Protection::Perturbation),
            "suppression" => Ok(Protection::Suppression),
            "raw" => Ok(Protection::Raw),
            other => Err(FinsamError::invalid(format!("unknown protection '{other}': expected perturbation (the default), suppression or raw"))),
        }
    }
}

/// A share as published: its k and n, and the share with its interval when it may be shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PublishedShare {
    /// The count of those with the outcome, as published.
    pub k: Cell,
    /// The denominator, as published.
    pub n: Cell,
    /// Computed from the published k and n (perturbation) or the true ones (suppression, raw).
    pub share: Option<Share>,
}

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

/// The keys in `dataset_info` that set the perturbation table of a database.
pub const PTABLE_MAX_NOISE_KEY: &str = "ptable_max_noise";
/// The `dataset_info` key of the perturbation's variance V.
pub const PTABLE_VARIANCE_KEY: &str = "ptable_variance";

/// Applies one protection to analysis results. Every presented figure comes from here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Protector {
    protection: Protection,
    ptable: Ptable,
}

impl Protector {
    /// The protector for a database: its perturbation table is the one recorded in `dataset_info`
    /// (`ptable_max_noise`, `ptable_variance`), else the default (D = 2, V = 1). One table per database:
    /// outputs published with different tables could be averaged.
    pub fn new(model: &Model, protection: Protection) -> Result<Protector> {
        let ptable = database_ptable(model)?;
        Ok(Protector { protection, ptable })
    }

    /// A protector with a given perturbation table (tests, and callers that read it themselves).
    pub fn with_ptable(protection: Protection, ptable: Ptable) -> Protector {
        Protector { protection, ptable }
    }

    /// The protection it applies.
    pub fn protection(&self) -> Protection {
        self.protection
    }

    /// Its perturbation table.
    pub fn ptable(&self) -> &Ptable {
        &self.ptable
    }

    /// Whether it publishes true counts (research output, marked raw).
    pub fn is_raw(&self) -> bool {
        self.protection == Protection::Raw
    }

    /// A count standing alone (a heading, a cost table's participants).
    pub fn count(&self, t: Tally) -> Cell {
        match self.protection {
            Protection::Perturbation => Cell::Shown(self.ptable.publish(t)),
            Protection::Suppression if is_small(t.n) => Cell::Suppressed,
            Protection::Suppression | Protection::Raw => Cell::Shown(t.n),
        }
    }

    /// A count with its cell-key noise under either protection (the true count when raw): for amounts built
    /// from many counts, where suppression's gaps would themselves say something (see the plugin API's
    /// `Context::perturbed`).
    pub fn perturbed(&self, t: Tally) -> u64 {
        match self.protection {
            Protection::Raw => t.n,
            Protection::Perturbation | Protection::Suppression => self.ptable.publish(t),
        }
    }

    /// The published value of a count, when it is shown.
    pub fn value(&self, t: Tally) -> Option<u64> {
        self.count(t).shown()
    }

    /// The published value of a count when an amount per person may be divided by it: at least 5 published
    /// (or a raw run). Amounts per person are always divided by the published count, never the true one.
    pub fn divisor(&self, t: Tally) -> Option<u64> {
        self.divisor_of(self.count(t))
    }

    /// `divisor` for a count already published.
    pub fn divisor_of(&self, published: Cell) -> Option<u64> {
        published.shown().filter(|&n| self.is_raw() || n >= ptable::SMALLEST_PUBLISHED)
    }

    /// A table of counts with its row, column and grand totals. `hide_total` (suppression only): the grand
    /// total must not be shown or worked out (it would give away a small difference beside another count).
    pub fn grid(&self, cells: &[Vec<Tally>], hide_total: bool) -> Grid {
        let counts: Vec<Vec<u64>> = cells.iter().map(|r| r.iter().map(|t| t.n).collect()).collect();
        match self.protection {
            Protection::Raw => unsuppressed_grid(&counts),
            Protection::Suppression if hide_total => suppress_grid_hiding_total(&counts),
            Protection::Suppression => suppress_grid(&counts),
            Protection::Perturbation => {
                let cols = cells.first().map_or(0, Vec::len);
                let row_totals: Vec<Tally> = cells.iter().map(|r| r.iter().copied().sum()).collect();
                let column_totals: Vec<Tally> = (0..cols).map(|j| cells.iter().map(|r| r[j]).sum()).collect();
                let total: Tally = row_totals.iter().copied().sum();
                Grid {
                    cells: cells.iter().map(|r| r.iter().map(|t| self.count(*t)).collect()).collect(),
                    row_totals: row_totals.into_iter().map(|t| self.count(t)).collect(),
                    column_totals: column_totals.into_iter().map(|t| self.count(t)).collect(),
                    total: self.count(total),
                }
            }
        }
    }

    /// A share k of n. Perturbation: k and n published as cells (the same values as everywhere else), the
    /// share and its interval from them (k capped at n), shown when the published n is at least 5. Suppression: k hidden when it or the rest (n − k) is
    /// 1–4, the share left out for such groups. Raw: as it is.
    pub fn share(&self, k: Tally, n: Tally) -> PublishedShare {
        match self.protection {
            Protection::Raw => PublishedShare { k: Cell::Shown(k.n), n: Cell::Shown(n.n), share: Some(Share::new(k.n, n.n)) },
            Protection::Suppression => {
                let (k_cell, n_cell) = suppression::part_and_whole(k.n, n.n);
                PublishedShare { k: k_cell, n: n_cell, share: share_may_be_shown(k.n, n.n).then(|| Share::new(k.n, n.n)) }
            }
            Protection::Perturbation => {
                let n_published = self.ptable.publish(n);
                let k_published = self.ptable.publish(k);
                PublishedShare {
                    k: Cell::Shown(k_published),
                    n: Cell::Shown(n_published),
                    share: (n_published >= MIN_CELL).then(|| Share::new(k_published.min(n_published), n_published)),
                }
            }
        }
    }

    /// Whether quartiles (or a median) of the values of `n` units may be shown: each quarter must hold at
    /// least 5 of them, so no quartile rests on a group of 1–4. Decided on the published count (a decision
    /// on the true one would itself say whether it is below 20).
    pub fn quartiles_may_be_shown(&self, n: Tally) -> bool {
        match self.protection {
            Protection::Raw => true,
            Protection::Perturbation => self.ptable.publish(n) >= 4 * MIN_CELL,
            Protection::Suppression => n.n >= 4 * MIN_CELL,
        }
    }

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
        use crate::analysis::survival::DAYS_PER_MONTH;
        let mut months = months.to_vec();
        months.sort_unstable();
        months.dedup();
        // Units sorted by time, with running tallies per outcome: every count below is a difference of two
        // prefixes (one sort, then a binary search per month).
        let mut sorted: Vec<&Observation> = units.iter().collect();
        sorted.sort_by(|a, b| a.days.total_cmp(&b.days));
        let mut upto = vec![[Tally::default(); 3]];
        for u in &sorted {
            let mut next = *upto.last().expect("starts with one");
            next[outcome(u) as usize] = next[outcome(u) as usize] + Tally::unit(u.key);
            upto.push(next);
        }
        // Entries (delayed entry: an enrolment observed from a period's first day) with running tallies too.
        let mut entries: Vec<&Observation> = units.iter().collect();
        entries.sort_by(|a, b| a.entry.total_cmp(&b.entry));
        let mut entered_upto = vec![Tally::default()];
        for u in &entries {
            let e = *entered_upto.last().expect("starts with one");
            entered_upto.push(e + Tally::unit(u.key));
        }
        // How many units end at or before `days`; the tally of those entered before `days` (as the estimate
        // counts them: those entering at 0 are there from the start).
        let total_entered = *entered_upto.last().expect("starts with one");
        let ended = |days: f64| sorted.partition_point(|u| u.days <= days);
        let entered = |days: f64| entered_upto[entries.partition_point(|u| crate::analysis::survival::entered_before(u.entry, days))];
        let left = |i: usize| upto[i][0] + upto[i][1] + upto[i][2];
        let between = |from: usize, to: usize, o: Outcome| {
            let t = upto[to][o as usize].without(upto[from][o as usize]);
            with_smallest_key(t, || sorted[from..to].iter().filter(|u| outcome(u) == o).copied())
        };
        // Those at risk just after `days` (entered before it, not yet left: at or after index `to`).
        let at_risk_after = |days: f64, to: usize| {
            let t = entered(days).without(left(to));
            with_smallest_key(t, || sorted[to..].iter().filter(|u| crate::analysis::survival::entered_before(u.entry, days)).copied())
        };
        let entered_between = |from: f64, to: f64| {
            let t = entered(to).without(entered(from));
            let first = |days: f64| entries.partition_point(|u| crate::analysis::survival::entered_before(u.entry, days));
            with_smallest_key(t, || entries[first(from)..first(to)].iter().copied())
        };
        let group_ok = |t: Tally| t.n == 0 || t.n >= MIN_CELL;
        // The months, each with the groups since the previous month shown; `decide` says whether a month is
        // shown, given them.
        let walk = |months: &[u32], decide: &mut dyn FnMut(u32, &MonthGroup, Tally) -> bool| -> Vec<MonthGroup> {
            let mut out = Vec::with_capacity(months.len());
            // The last month shown (in days; before time 0 at the start).
            let mut shown_until = -1.0_f64;
            for &month in months {
                let days = f64::from(month) * DAYS_PER_MONTH;
                let (from, to) = (ended(shown_until), ended(days));
                let at_risk = at_risk_after(days, to);
                let mut group = MonthGroup {
                    month,
                    shown: false,
                    at_risk: Cell::Shown(at_risk.n),
                    start: at_risk_after(shown_until, from),
                    start_published: 0.0,
                    events: between(from, to, Outcome::Event),
                    competing: between(from, to, Outcome::Competing),
                    censored: between(from, to, Outcome::Censored),
                    entrants: entered_between(shown_until, days),
                };
                group.shown = decide(month, &group, at_risk);
                if group.shown {
                    shown_until = days;
                }
                group.at_risk = match self.protection {
                    Protection::Suppression if !group.shown => Cell::Hidden,
                    _ => self.count(at_risk),
                };
                out.push(group);
            }
            out
        };
        let last_day = units.iter().map(|u| u.days.max(u.entry)).fold(0.0, f64::max);
        let horizon = (last_day / DAYS_PER_MONTH).ceil() as u32 + 1;
        let every: Vec<u32> = (0..=horizon.max(months.last().copied().unwrap_or(0))).collect();
        let quarters: Vec<u32> = every.iter().copied().filter(|m| m % SURVIVAL_STEP_MONTHS == 0).collect();
        match self.protection {
            Protection::Raw => walk(&months, &mut |_, _, _| true),
            // One table per cohort, every `SURVIVAL_STEP_MONTHS` months, whatever months an output asks for: each step's
            // groups (events, competing events, censored, entrants) are cells of their own, and the number at
            // risk is the published start plus the published entrants less the published departures, month
            // by month. Two published numbers at risk then differ by published groups only: a group
            // published as 0 may hold 1–4 people, so a change no longer proves that anyone left, and a
            // coarse table is the same table read at fewer months (the curve is a product over the same
            // months), so a fine and a coarse table cannot be set against each other. Every decision is on
            // published counts.
            Protection::Perturbation => {
                let mut closed = false;
                let mut at_risk_published: Option<f64> = None;
                let mut derived = Vec::with_capacity(every.len());
                let canonical = walk(&quarters, &mut |_, g, _| {
                    let start = at_risk_published.unwrap_or_else(|| self.perturbed_f64(g.start));
                    let left = self.perturbed_f64(g.events) + self.perturbed_f64(g.competing) + self.perturbed_f64(g.censored);
                    let now = (start + self.perturbed_f64(g.entrants) - left).max(0.0);
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
            // The counts shown are true, so the groups between shown months must be 0 or ≥ 5, and that must
            // hold between any two outputs of the cohort, whatever months each asks for: the months that may
            // be shown are decided once, on every whole month, and an output shows those of its months. The
            // difference between any two of them is then a sum of groups of 0 or ≥ 5.
            Protection::Suppression => {
                let mut closed = false;
                let canonical = walk(&every, &mut |month, g, at_risk| {
                    closed |= at_risk.n < MIN_CELL;
                    // The heading's n less the number at risk is everyone who left, who has not yet entered
                    // (delayed entry) or was never observed: the last two are groups like the others.
                    let not_yet_entered = (total_entered + unobserved).without(entered(f64::from(month) * DAYS_PER_MONTH));
                    !closed
                        && group_ok(g.events)
                        && group_ok(g.competing)
                        && group_ok(g.censored)
                        && group_ok(g.entrants)
                        && group_ok(not_yet_entered)
                });
                let mut may_show: Vec<u32> = canonical.iter().filter(|g| g.shown).map(|g| g.month).collect();
                // After the last month shown, what is left (the heading's totals less that month's) is a group
                // too: while it is 1–4, the last month is not shown.
                let end = sorted.len();
                while let Some(&last) = may_show.last() {
                    let days = f64::from(last) * DAYS_PER_MONTH;
                    let from = ended(days);
                    let rest_ok = [Outcome::Event, Outcome::Competing, Outcome::Censored].iter().all(|o| group_ok(between(from, end, *o)))
                        && group_ok(total_entered.without(entered(days)));
                    if rest_ok {
                        break;
                    }
                    may_show.pop();
                }
                // Every month that may be shown is walked (the life table steps through all of them); the
                // output keeps the months it asked for.
                let mut walked: Vec<u32> = may_show.iter().copied().chain(months.iter().copied()).collect();
                walked.sort_unstable();
                walked.dedup();
                walk(&walked, &mut |month, _, _| may_show.binary_search(&month).is_ok())
            }
        }
    }

    /// What the output's markers and numbers mean, for a note under every protected output; `None` for raw
    /// output (its titles say raw).
    pub fn legend(&self, lang: Lang) -> Option<String> {
        let d = self.ptable.max_noise();
        match (self.protection, lang) {
            (Protection::Perturbation, Lang::Sv) => Some(format!(
                "Antalen är slumpmässigt justerade med högst ±{d} för att skydda enskilda personer (samma uppgift får alltid samma värde). \
                 Antal 1–4 visas aldrig: de redovisas som 0 eller 5. Summor är justerade för sig och kan avvika från summan av delarna; \
                 andelar och intervall är beräknade på de justerade antalen."
            )),
            (Protection::Perturbation, Lang::En) => Some(format!(
                "Counts are randomly adjusted by at most ±{d} to protect individuals (the same figure always gets the same value). \
                 Counts of 1–4 are never shown: they appear as 0 or 5. Totals are adjusted on their own and may differ from the sum of \
                 their parts; shares and intervals are computed from the adjusted counts."
            )),
            (Protection::Suppression, Lang::Sv) => {
                Some("<5 = 1–4 personer. .. = dolt: färre än 5 personer, eller dolt så att ett sådant antal inte kan räknas fram ur tabellen. \
                      Undertryckning skyddar inte mot att två utdata med olika urval (kön, period, insats) jämförs; för offentliga handlingar används standardskyddet.".into())
            }
            (Protection::Suppression, Lang::En) => {
                Some("<5 = 1–4 people. .. = hidden: fewer than 5 people, or hidden so that such a count cannot be worked out from the table. \
                      Suppression does not protect against comparing two outputs with different selections (sex, period, intervention); public papers use the default protection.".into())
            }
            (Protection::Raw, _) => None,
        }
    }

    /// The mark every raw title carries.
    pub fn raw_mark(lang: Lang) -> &'static str {
        lang.pick(" [RÅDATA: ej röjandekontrollerad]", " [RAW: not suppressed]")
    }
}

fn is_small(v: u64) -> bool {
    v > 0 && v < MIN_CELL
}

/// The perturbation table recorded for a database, or the default; an out-of-range value is an error that
/// names the setting (never a silent fallback to another table).
fn database_ptable(model: &Model) -> Result<Ptable> {
    let mut values = model.dataset_infos(&[PTABLE_MAX_NOISE_KEY, PTABLE_VARIANCE_KEY])?.into_iter();
    let (d, v) = (values.next().flatten(), values.next().flatten());
    if d.is_none() && v.is_none() {
        return Ok(Ptable::default());
    }
    let d = match d {
        Some(text) => text.trim().parse::<u32>().map_err(|_| {
            FinsamError::invalid(format!("dataset_info {PTABLE_MAX_NOISE_KEY} = '{text}' is not a whole number from 1 to {}", Ptable::MAX_MAX_NOISE))
        })?,
        None => Ptable::DEFAULT_MAX_NOISE,
    };
    let v = match v {
        Some(text) => {
            text.trim().parse::<f64>().map_err(|_| FinsamError::invalid(format!("dataset_info {PTABLE_VARIANCE_KEY} = '{text}' is not a number")))?
        }
        None => Ptable::DEFAULT_VARIANCE,
    };
    Ptable::new(d, v).map_err(|e| FinsamError::invalid(format!("the database's perturbation table (dataset_info): {e}")))
}

/// A count made by subtracting two running totals, with its smallest record key found among `units` (its
/// units) when the subtraction could not keep it and the count is one the key decides (1–4; see `Tally`).
fn with_smallest_key<'a, I: Iterator<Item = &'a Observation>>(t: Tally, units: impl FnOnce() -> I) -> Tally {
    if t.min.is_some() || !(1..MIN_CELL).contains(&t.n) {
        return t;
    }
    Tally { min: Some(units().map(|u| u.key).min().unwrap_or(u32::MAX)), ..t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_keys_add_and_subtract() {
        let a = Tally::with_min(3, u64::from(u32::MAX - 1), 100);
        let b = Tally::with_min(2, 5, 2);
        let sum = a + b;
        assert_eq!(sum, Tally::with_min(5, 3, 2), "keys wrap modulo 2³²; the smallest key is the smaller one");
        assert_eq!([a, b].into_iter().sum::<Tally>(), sum);
        assert_eq!(Tally::new(1, (1u64 << 32) + 7).key, 7);
        // Taking away a part that holds the smallest key leaves it unknown; one that does not, known.
        assert_eq!(sum.without(b), Tally { min: None, ..a });
        assert_eq!(sum.without(a), b);
        assert_eq!(sum.without(Tally::default()), sum);
        assert_eq!(sum.without(sum), Tally::default());
        // Plugins that sum keys only: the smallest key of their counts is unknown, of nobody known.
        assert_eq!(Tally::new(3, 9).min, None);
        assert_eq!(Tally::from_sql(0, None, None), Tally::default());
        assert_eq!(Tally::from_sql(2, Some(9), Some(4)), Tally::with_min(2, 9, 4));
    }

    #[test]
    fn the_same_cell_is_published_the_same_everywhere() {
        let p = Protector::with_ptable(Protection::Perturbation, Ptable::default());
        let cells = vec![vec![Tally::with_min(3, 10, 1), Tally::with_min(40, 2_000_000_000, 0)], vec![Tally::with_min(12, 7, 0), Tally::default()]];
        let g = p.grid(&cells, false);
        assert_eq!(g.cells[0][1], p.count(cells[0][1]));
        assert_eq!(g.total, p.count(cells.iter().flatten().copied().sum()));
        assert!(g.cells.iter().flatten().chain(&g.row_totals).chain(&g.column_totals).all(|c| !matches!(c.shown(), Some(1..=4))));
        let s = p.share(cells[0][0], cells[0][0] + cells[0][1]);
        assert_eq!(s.n, g.row_totals[0], "a share's n is the same cell as the row's total");
    }

    #[test]
    fn protection_names() {
        assert_eq!("suppression".parse::<Protection>().unwrap(), Protection::Suppression);
        assert!("none".parse::<Protection>().unwrap_err().to_string().contains("expected perturbation"));
        assert_eq!(Protection::choose(None, false).unwrap(), Protection::Perturbation);
        assert_eq!(Protection::choose(None, true).unwrap(), Protection::Raw);
        assert!(Protection::choose(Some("suppression"), true).is_err());
    }
}
