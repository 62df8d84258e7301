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
mod survival;

use std::str::FromStr;

use crate::analysis::stats::Share;
use crate::codes::Lang;
use crate::error::{FinsamError, Result};
use crate::model::Model;
pub use ptable::Ptable;
pub use suppression::SuppressedGrid as Grid;
use suppression::{share_may_be_shown, suppress_grid, suppress_grid_hiding_total, unsuppressed_grid, MIN_CELL};
pub use survival::{PublishedMonth, SURVIVAL_STEP_MONTHS};

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
