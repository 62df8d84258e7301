//! Every count of a report as published, decided together: the heading's enrolments and exits, the grid of
//! sex and age, occupation before and after, the support transitions and the outcome shares. The report's
//! tables, its charts and a comparison of two reports all print from here, so none shows what another
//! hides.
//!
//! Under suppression each table's own rules give a first pattern, and then the report's counts are
//! audited as one linear system (`disclosure::linked`): every identity that ties the tables together —
//! enrolments = still enrolled + exits, work or studies = work + studies after exit, self-supporting = the
//! columns of non-public support, the subsidised and the unknown among the exits — so that no combination
//! of the report's figures pins a hidden count to 1–4.

use crate::analysis::report::{Measure, OccupationCount, Report};
use crate::codes::{CodeList, Occupation, Support};
use crate::disclosure::linked::{Figure, Linked};
use crate::disclosure::{Cell, Grid, Protection, Protector, PublishedShare, Tally};

/// A report's counts as published.
#[derive(Debug, Clone)]
pub struct PublishedReport {
    /// The enrolments (the heading; the grid of sex and age adds up to them).
    pub enrolments: Cell,
    /// The exits (the heading; the number of exits of the days in the intervention).
    pub exits: Cell,
    /// Enrolments by age band (rows) and sex (women, men).
    pub sex_age: Grid,
    /// Occupation before of the exits, a grid of one column in `Occupation::ALL` order.
    pub occupation_before: Grid,
    /// Occupation after of the exits (where known), as `occupation_before`.
    pub occupation_after: Grid,
    /// Support before (rows) → after (columns) of the exits, over `Support::ALL` both ways.
    pub transitions: Grid,
    /// Every measure's share, in `Measure::ALL` order.
    pub shares: Vec<(Measure, PublishedShare)>,
}

impl PublishedReport {
    /// The report as `p` publishes it.
    pub fn of(r: &Report, p: &Protector) -> PublishedReport {
        let first = first_pattern(r, p);
        if p.protection() == Protection::Suppression {
            audited(r, first)
        } else {
            first
        }
    }

    /// A measure's share as published.
    pub fn share(&self, measure: Measure) -> PublishedShare {
        self.shares.iter().find(|(m, _)| *m == measure).map(|(_, s)| *s).expect("every measure is published")
    }

    /// Whether the enrolments are hidden (a plugin's table of the same cohort must not give them either).
    pub fn hides_enrolments(&self) -> bool {
        self.enrolments.is_hidden()
    }
}

/// A group of people as a reader may recognise it in another output: its count and cell key (the sum of
/// its units' record keys modulo 2³²). Two figures with the same signature are, but for a one-in-2³²
/// chance, the same units; an identity between two different groups of the same size is true of the
/// counts anyway, so taking it for one only makes an audit more careful.
pub type Signature = (u64, u32);

/// The signature of a tally.
pub fn signature(t: Tally) -> Signature {
    (t.n, t.key)
}

/// A suppressed report's audited system, for auditing another output of the same cohort beside it: every
/// figure is fixed as the report publishes it, and `printed` lists the signature of each printed figure.
pub struct ReportSystem {
    /// The report's figures and identities, after its audit.
    pub linked: Linked,
    /// Each printed figure of the report with the signature of its group.
    pub printed: Vec<(Figure, Signature)>,
}

impl ReportSystem {
    /// The report's system under suppression (None under any other protection: nothing to set against).
    pub fn of(r: &Report, p: &Protector) -> Option<ReportSystem> {
        if p.protection() != Protection::Suppression {
            return None;
        }
        let mut built = Built::of(r, &first_pattern(r, p));
        built.s.protect();
        built.s.fix_all();
        Some(ReportSystem { linked: built.s, printed: built.signatures })
    }

    /// Whether the report hides its enrolments.
    pub fn hides_enrolments(&self) -> bool {
        self.printed.first().is_some_and(|&(f, _)| self.linked.is_hidden(f))
    }
}

/// A time-to-event cohort's size and events as published (the survival heading, a chart's legend): the
/// disclosure layer's rule (`Protector::time_to_event_counts`), and under suppression, for time to exit,
/// whatever the cohort's report hides of the same two counts (its enrolments and exits), so that no
/// survival output gives a count the audited report hides.
pub fn time_to_event_counts(
    model: &crate::model::Model,
    cohort: &crate::analysis::Cohort,
    event: crate::analysis::survival::Event,
    all: Tally,
    events: Tally,
    p: &Protector,
) -> crate::error::Result<(Cell, Cell)> {
    let (mut n, mut e) = p.time_to_event_counts(event, all, events);
    if p.protection() == Protection::Suppression && event == crate::analysis::survival::Event::Exit {
        let published = PublishedReport::of(&crate::analysis::standard_report(model, cohort)?, p);
        if published.enrolments.is_hidden() && !n.is_hidden() {
            n = Cell::Hidden;
        }
        if published.exits.is_hidden() && !e.is_hidden() {
            e = Cell::Hidden;
        }
    }
    Ok((n, e))
}

/// The sex and age grid's cells: each band's women and men.
pub fn sex_age_cells(r: &Report) -> Vec<Vec<Tally>> {
    r.by_sex_age.iter().map(|c| vec![c.women, c.men]).collect()
}

/// Occupation before or after of the exits as a grid of one column, in `Occupation::ALL` order.
fn occupation_cells(r: &Report, pick: fn(&OccupationCount) -> Tally) -> Vec<Vec<Tally>> {
    r.occupation.iter().map(|c| vec![pick(c)]).collect()
}

/// The pattern of each table's own rules (the whole publication under perturbation and raw).
fn first_pattern(r: &Report, p: &Protector) -> PublishedReport {
    let suppression = p.protection() == Protection::Suppression;
    let hides_enrolments = suppression && crate::disclosure::suppression::hides_enrolments(r);
    let occupation_after = p.grid(&occupation_cells(r, |c| c.after), false);
    let transitions = p.grid(&super::render::transition_cells(r).2, false);
    let linked = if suppression { measures_linked_to_hidden(r, &occupation_after, &transitions) } else { Vec::new() };
    PublishedReport {
        enrolments: if hides_enrolments { Cell::Hidden } else { p.count(r.enrolments) },
        exits: p.count(r.exited),
        sex_age: p.grid(&sex_age_cells(r), hides_enrolments),
        occupation_before: p.grid(&occupation_cells(r, |c| c.before), false),
        occupation_after,
        transitions,
        shares: Measure::ALL.iter().map(|&m| (m, share_cells(r, m, p, &linked))).collect(),
    }
}

/// A share of a report as published. Under suppression the n of "still enrolled" (the enrolments) is also
/// hidden when the report hides it (`Report::hides_enrolments`), and a measure's k when it would give
/// away a count hidden elsewhere in the report (`linked`, from `measures_linked_to_hidden`).
fn share_cells(r: &Report, measure: Measure, p: &Protector, linked: &[Measure]) -> PublishedShare {
    let (k, n) = r.tallies(measure);
    let mut published = p.share(k, n);
    if p.protection() == Protection::Suppression {
        // The exits are shown elsewhere: an n that falls short of them by 1–4 would give away how many are
        // unknown for this measure.
        let unknown = if measure == Measure::StillEnrolled { 0 } else { r.exited.n - n.n };
        if (1..5).contains(&unknown) && !published.n.is_hidden() {
            published.n = Cell::Hidden;
            published.share = None;
        }
        if measure == Measure::StillEnrolled && crate::disclosure::suppression::hides_enrolments(r) && !published.n.is_hidden() {
            published.n = Cell::Hidden;
        }
        if !published.k.is_hidden() && linked.contains(&measure) {
            published.k = Cell::Hidden;
            published.share = None;
        }
    }
    published
}

/// Under suppression, the measures whose k would let a reader work out a count the report hides: a measure
/// that is a sum of table cells (work or studies = work + studies after exit; self-supporting = the columns
/// of non-public support after exit) of which one is hidden, or one that is part of a count shown elsewhere
/// with a rest of 1–4 (work after exit minus unsubsidised work is the subsidised; work or studies minus
/// started or increased). `after` and `transitions` are the report's grids as its rules publish them.
fn measures_linked_to_hidden(r: &Report, after: &Grid, transitions: &Grid) -> Vec<Measure> {
    let small = |v: u64| (1..5).contains(&v);
    let after_hidden = |o: Occupation| r.occupation.iter().position(|c| c.occupation == o).is_some_and(|i| after.cells[i][0].is_hidden());
    let after_count = |o: Occupation| r.occupation.iter().find(|c| c.occupation == o).map_or(0, |c| c.after.n);
    let k = |m: Measure| r.tallies(m).0.n;
    let work_or_studies = after_hidden(Occupation::Work) || after_hidden(Occupation::Studies);
    let linked = [
        (Measure::WorkOrStudies, work_or_studies),
        (Measure::UnsubsidisedWork, after_hidden(Occupation::Work) || small(after_count(Occupation::Work) - k(Measure::UnsubsidisedWork))),
        (Measure::StartedOrIncreased, work_or_studies || small(k(Measure::WorkOrStudies) - k(Measure::StartedOrIncreased))),
        (Measure::SelfSupporting, Support::ALL.iter().zip(&transitions.column_totals).any(|(s, c)| !s.is_public() && c.is_hidden())),
    ];
    linked.into_iter().filter(|(_, hidden)| *hidden).map(|(m, _)| m).collect()
}

/// The figures of one grid in a linked system, in the grid's shape.
struct GridFigures {
    cells: Vec<Vec<Figure>>,
    row_totals: Vec<Figure>,
    column_totals: Vec<Figure>,
    total: Figure,
}

impl GridFigures {
    /// A grid's cells and totals as figures, hidden as `g` hides them, with its identities.
    fn add(s: &mut Linked, signatures: &mut Vec<(Figure, Signature)>, cells: &[Vec<Tally>], g: &Grid) -> GridFigures {
        let rows = cells.len();
        let cols = cells.first().map_or(0, Vec::len);
        let mut figure = |t: Tally, c: Cell| {
            let f = single(s, t.n, c);
            signatures.push((f, signature(t)));
            f
        };
        let cell_figures: Vec<Vec<Figure>> = (0..rows).map(|i| (0..cols).map(|j| figure(cells[i][j], g.cells[i][j])).collect()).collect();
        // A grid of one column (a distribution) prints no row totals: each would be its cell.
        let row_totals: Vec<Figure> = if cols == 1 {
            cell_figures.iter().map(|r| r[0]).collect()
        } else {
            (0..rows).map(|i| figure(cells[i].iter().copied().sum(), g.row_totals[i])).collect()
        };
        let column_totals: Vec<Figure> = (0..cols).map(|j| figure(cells.iter().map(|r| r[j]).sum(), g.column_totals[j])).collect();
        let total = figure(cells.iter().flatten().copied().sum(), g.total);
        for i in (0..rows).filter(|_| cols > 1) {
            s.sum(row_totals[i], &cell_figures[i]);
        }
        for j in 0..cols {
            s.sum(column_totals[j], &cell_figures.iter().map(|r| r[j]).collect::<Vec<_>>());
        }
        s.sum(total, &row_totals);
        s.sum(total, &column_totals);
        GridFigures { cells: cell_figures, row_totals, column_totals, total }
    }

    /// The grid as published after the audit.
    fn published(&self, s: &Linked) -> Grid {
        let cell = |f: Figure| published_cell(s, f);
        Grid {
            cells: self.cells.iter().map(|r| r.iter().map(|&f| cell(f)).collect()).collect(),
            row_totals: self.row_totals.iter().map(|&f| cell(f)).collect(),
            column_totals: self.column_totals.iter().map(|&f| cell(f)).collect(),
            total: cell(self.total),
        }
    }
}

/// A figure as published after the audit: "<5" for a count of 1–4 marked so by the first pattern, ".." for
/// any other hidden one.
pub(crate) fn published_cell(s: &Linked, f: Figure) -> Cell {
    match (s.is_hidden(f), s.is_announced(f)) {
        (false, _) => Cell::Shown(s.value(f)),
        (true, true) => Cell::Suppressed,
        (true, false) => Cell::Hidden,
    }
}

/// A figure for a count standing alone, hidden and marked as the first pattern has it.
pub(crate) fn single(s: &mut Linked, v: u64, c: Cell) -> Figure {
    match c {
        Cell::Suppressed => s.announced_small(v),
        _ => s.printed(v, c.is_hidden()),
    }
}

/// `whole` = `parts` + the rest, a group of people of its own that no table prints.
fn split(s: &mut Linked, whole: Figure, parts: &[Figure]) {
    let Some(rest) = s.value(whole).checked_sub(parts.iter().map(|&f| s.value(f)).sum::<u64>()) else {
        return s.mark_inconsistent();
    };
    let rest = s.unprinted(rest);
    let mut all = parts.to_vec();
    all.push(rest);
    s.sum(whole, &all);
}

/// The first pattern, audited as one system and extended until no count of 1–4 can be worked out.
fn audited(r: &Report, first: PublishedReport) -> PublishedReport {
    let mut built = Built::of(r, &first);
    built.s.protect();
    built.published(&first)
}

/// A report's figures in a linked system, with the identities between them (not yet audited).
struct Built {
    s: Linked,
    /// The printed figures with their groups' signatures; the enrolments first.
    signatures: Vec<(Figure, Signature)>,
    enrolments: Figure,
    exits: Figure,
    sex_age: GridFigures,
    before: GridFigures,
    after: GridFigures,
    transitions: GridFigures,
    share_figures: Vec<(Measure, Figure, Figure)>,
}

impl Built {
    fn of(r: &Report, first: &PublishedReport) -> Built {
        let mut s = Linked::new();
        let mut signatures = Vec::new();
        let enrolments = single(&mut s, r.enrolments.n, first.enrolments);
        let exits = single(&mut s, r.exited.n, first.exits);
        signatures.extend([(enrolments, signature(r.enrolments)), (exits, signature(r.exited))]);
        s.keep_shown(exits);

        // Enrolments by sex and age: the grid's total is the enrolments (an age outside every band, a data
        // error, would leave some out: then they are a group of their own).
        let sex_age = GridFigures::add(&mut s, &mut signatures, &sex_age_cells(r), &first.sex_age);
        if s.value(sex_age.total) == r.enrolments.n {
            s.sum(enrolments, &[sex_age.total]);
        } else {
            split(&mut s, enrolments, &[sex_age.total]);
        }

        // Occupation before of every exit; after where known.
        let before = GridFigures::add(&mut s, &mut signatures, &occupation_cells(r, |c| c.before), &first.occupation_before);
        s.sum(exits, &[before.total]);
        let after = GridFigures::add(&mut s, &mut signatures, &occupation_cells(r, |c| c.after), &first.occupation_after);
        split(&mut s, exits, &[after.total]);
        let after_of = |o: Occupation| {
            r.occupation.iter().position(|c| c.occupation == o).map(|i| after.cells[i][0]).expect("every occupation is in the report")
        };

        // Support before → after of the exits with a known support after.
        let transitions = GridFigures::add(&mut s, &mut signatures, &super::render::transition_cells(r).2, &first.transitions);
        split(&mut s, exits, &[transitions.total]);

        // The measures: k and n of each, tied to the tables.
        let mut share_figures: Vec<(Measure, Figure, Figure)> = Vec::new();
        for (measure, published) in &first.shares {
            let (k, n) = r.tallies(*measure);
            let (kf, nf) = (single(&mut s, k.n, published.k), single(&mut s, n.n, published.n));
            signatures.extend([(kf, signature(k)), (nf, signature(n))]);
            // n = k + the rest (the people for whom the measure is known and false).
            split(&mut s, nf, &[kf]);
            share_figures.push((*measure, kf, nf));
        }
        let figures = |m: Measure| share_figures.iter().find(|(x, _, _)| *x == m).map(|&(_, k, n)| (k, n)).expect("every measure has figures");
        let (work_or_studies, wos_n) = figures(Measure::WorkOrStudies);
        s.sum(wos_n, &[exits]);
        s.sum(work_or_studies, &[after_of(Occupation::Work), after_of(Occupation::Studies)]);
        // Started or increased: of those in work or studies after; unknown only among them.
        let (started, started_n) = figures(Measure::StartedOrIncreased);
        let unknown_started = s.unprinted(r.exited.n.saturating_sub(s.value(started_n)));
        s.sum(exits, &[started_n, unknown_started]);
        split(&mut s, work_or_studies, &[started, unknown_started]);
        // Self-supporting: the columns of non-public support after.
        let (self_supporting, self_supporting_n) = figures(Measure::SelfSupporting);
        s.sum(self_supporting_n, &[exits]);
        let non_public: Vec<Figure> =
            Support::ALL.iter().enumerate().filter(|(_, a)| !a.is_public()).map(|(j, _)| transitions.column_totals[j]).collect();
        s.sum(self_supporting, &non_public);
        // Unsubsidised work: of those in work after; unknown (no wage-subsidy flag) only among them.
        let (unsubsidised, unsubsidised_n) = figures(Measure::UnsubsidisedWork);
        let unknown_subsidy = s.unprinted(r.exited.n.saturating_sub(s.value(unsubsidised_n)));
        s.sum(exits, &[unsubsidised_n, unknown_subsidy]);
        split(&mut s, after_of(Occupation::Work), &[unsubsidised, unknown_subsidy]);
        // Still enrolled: the enrolments less the exits.
        let (still_enrolled, still_enrolled_n) = figures(Measure::StillEnrolled);
        s.sum(still_enrolled_n, &[enrolments]);
        s.sum(enrolments, &[still_enrolled, exits]);
        Built { s, signatures, enrolments, exits, sex_age, before, after, transitions, share_figures }
    }

    /// The report as its (audited) system publishes it.
    fn published(&self, first: &PublishedReport) -> PublishedReport {
        let s = &self.s;
        let shares = first
            .shares
            .iter()
            .map(|(measure, published)| {
                let (_, kf, nf) = *self.share_figures.iter().find(|(m, _, _)| m == measure).expect("every measure has figures");
                let (k, n) = (published_cell(s, kf), published_cell(s, nf));
                let share = if k.is_hidden() || n.is_hidden() { None } else { published.share };
                (*measure, PublishedShare { k, n, share })
            })
            .collect();
        PublishedReport {
            enrolments: published_cell(s, self.enrolments),
            exits: published_cell(s, self.exits),
            sex_age: self.sex_age.published(s),
            occupation_before: self.before.published(s),
            occupation_after: self.after.published(s),
            transitions: self.transitions.published(s),
            shares,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::report::{AgeBandCount, MeasureCount};
    use crate::disclosure::Ptable;

    fn t(n: u64) -> Tally {
        Tally::new(n, n * 1_000_003)
    }

    /// 40 exits: 20 in work or studies after (work 12, studies 8), 11 of them started or increased, and
    /// that measure unknown for 6 (a missing extent; 34 known). Every table passes its own rules, yet the
    /// exits in work or studies before and after who did not increase are 20 − 11 − (40 − 34) = 3, a group
    /// of 1–4 that no table prints. The report's audit must hide one of the four counts that give it.
    fn report() -> Report {
        let occupation = |o: Occupation, before: u64, after: u64| OccupationCount { occupation: o, before: t(before), after: t(after) };
        let measure = |m: Measure, k: u64, n: u64| MeasureCount { measure: m, k: t(k), n: t(n) };
        Report {
            cohort: crate::text::Words { sv: "test".into(), en: "test".into() },
            period: None,
            data_end: chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            enrolments: t(50),
            participants: 50,
            exited: t(40),
            by_sex_age: vec![AgeBandCount { band: "20–24", women: t(25), men: t(25) }],
            occupation: vec![
                occupation(Occupation::Work, 10, 12),
                occupation(Occupation::Studies, 10, 8),
                occupation(Occupation::JobSeeking, 10, 10),
                occupation(Occupation::Other, 10, 10),
            ],
            outcomes: vec![
                measure(Measure::WorkOrStudies, 20, 40),
                measure(Measure::StartedOrIncreased, 11, 34),
                measure(Measure::SelfSupporting, 0, 40),
                measure(Measure::UnsubsidisedWork, 6, 40),
                measure(Measure::StillEnrolled, 10, 50),
            ],
            transitions: Vec::new(),
            days: None,
            overlap: false,
            anonymous: Vec::new(),
        }
    }

    #[test]
    fn a_group_no_table_prints_is_not_given_away_by_the_measures() {
        let r = report();
        let p = Protector::with_ptable(Protection::Suppression, Ptable::default());
        let first = first_pattern(&r, &p);
        let shown = |c: Cell| c.shown().is_some();
        let gives_three = |pr: &PublishedReport| {
            let (wos, started) = (pr.share(Measure::WorkOrStudies), pr.share(Measure::StartedOrIncreased));
            shown(wos.k) && shown(started.k) && shown(started.n) && shown(pr.exits)
        };
        assert!(gives_three(&first), "the tables' own rules show all four counts (the case the audit exists for)");
        let published = PublishedReport::of(&r, &p);
        assert!(!gives_three(&published), "the audited report still gives 20 - 11 - (40 - 34) = 3");
        assert!(shown(published.exits), "the heading's exits stay shown");
    }

    /// Under perturbation and raw the report is its tables' own pattern, with no audit.
    #[test]
    fn only_suppression_is_audited_as_one_system() {
        let r = report();
        for protection in [Protection::Perturbation, Protection::Raw] {
            let p = Protector::with_ptable(protection, Ptable::default());
            assert_eq!(PublishedReport::of(&r, &p).share(Measure::StartedOrIncreased), first_pattern(&r, &p).share(Measure::StartedOrIncreased));
        }
    }
}
