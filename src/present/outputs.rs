//! The printable results of every analysis, as titled Arrow tables with a heading: what the CLI prints
//! and what the Python package returns. Both faces call these; neither builds a table of its own. Every
//! count goes through the disclosure-control layer (`Protector`) on its way here.

use super::costs::{published_outcomes, published_participants, unit_cost_section};
use super::published::PublishedReport;
use super::render::{comparison_section_of, report_sections_of, Section, Value};
use super::section::TitledTable;
use crate::analysis::compare::{refuse_shared_enrolments, AskTheData, Comparison};
use crate::analysis::competing::Incidence;
use crate::analysis::costs::{unit_costs, unit_costs_of_both, UnitCost};
use crate::analysis::survival::{durations_with_unobserved, Curve, Event, Observation};
use crate::analysis::{standard_report, Cohort};
use crate::codes::Lang;
use crate::disclosure::granularity::check_cohort;
use crate::disclosure::{Cell, Protection, Protector, PublishedMonth, Tally};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// A result ready to show: a heading and titled tables.
#[derive(Debug, Clone)]
pub struct Output {
    /// The line above the tables (the cohort, its counts as published).
    pub heading: String,
    /// The tables with their titles, in order, each as people read it and as machines read it.
    pub sections: Vec<TitledTable>,
    /// How the counts were protected (`Raw`: research output, marked as such).
    pub protection: Protection,
    /// What the protection does to the numbers, for a board's output.
    pub note: Option<String>,
    /// The language of the headings, labels and note.
    pub lang: Lang,
}

impl Output {
    /// The table with this stable name (`Section::id`).
    pub fn section(&self, id: &str) -> Option<&TitledTable> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Whether the output is protected for a board (anything but raw).
    pub fn is_protected(&self) -> bool {
        self.protection != Protection::Raw
    }
}

fn output(heading: String, sections: Vec<Section>, p: &Protector, lang: Lang) -> Result<Output> {
    let sections = sections.iter().map(TitledTable::of).collect::<Result<_>>()?;
    Ok(Output { heading, sections, protection: p.protection(), note: p.legend(lang), lang })
}

/// The standard participant report.
pub fn report_output(model: &Model, cohort: &Cohort, lang: Lang, protection: Protection) -> Result<Output> {
    check_cohort(model, cohort, protection)?;
    let p = Protector::new(model, protection)?;
    let report = standard_report(model, cohort)?;
    let published = PublishedReport::of(&report, &p);
    let (enrolments, exits) = (published.enrolments.to_string(), published.exits.to_string());
    let heading = match lang {
        Lang::Sv => {
            format!("Deltagarrapport: {} ({enrolments} inskrivningar, {exits} avslutade; data t.o.m. {})", report.cohort.get(lang), report.data_end)
        }
        Lang::En => {
            format!("Participant report: {} ({enrolments} enrolments, {exits} exits; data until {})", report.cohort.get(lang), report.data_end)
        }
    };
    output(heading, report_sections_of(&report, &published, lang, &p), &p, lang)
}

/// Two cohorts side by side: each share, the change (second minus first), its interval and p-value.
pub fn compare_output(model: &Model, a: &Cohort, b: &Cohort, lang: Lang, protection: Protection) -> Result<Output> {
    check_cohort(model, a, protection)?;
    check_cohort(model, b, protection)?;
    let p = Protector::new(model, protection)?;
    // Three pieces of about the same length at once: the money of both cohorts (one statement when they
    // differ by period only) and each cohort's report, on connections kept for the purpose.
    refuse_shared_enrolments(model, a, b, AskTheData::when(protection == Protection::Raw))?;
    let ((a_costs, b_costs), (report_a, report_b)) =
        model.both(|m| unit_costs_of_both(m, a, b), |m| m.both(|m| standard_report(m, a), |m| standard_report(m, b)))?;
    let c = Comparison::of(report_a, report_b);
    let published = (PublishedReport::of(&c.a, &p), PublishedReport::of(&c.b, &p));
    let (a_exits, b_exits) = (published.0.exits.to_string(), published.1.exits.to_string());
    let heading = match lang {
        Lang::Sv => format!("A: {} ({a_exits} avslutade). B: {} ({b_exits} avslutade).", c.a.cohort.get(lang), c.b.cohort.get(lang)),
        Lang::En => format!("A: {} ({a_exits} exits). B: {} ({b_exits} exits).", c.a.cohort.get(lang), c.b.cohort.get(lang)),
    };
    // Columns headed by the periods when the cohorts are periods ("2020–2021", "2022–2023"), else "A" and "B".
    let short = |r: &crate::analysis::Report, fallback: &str| r.period.as_ref().map_or(fallback.to_string(), |p| p.label.clone());
    let (a_short, b_short) = (short(&c.a, "A"), short(&c.b, "B"));
    let (a_short, b_short) = if a_short == b_short { ("A".to_string(), "B".to_string()) } else { (a_short, b_short) };
    let costs = cost_comparison_section(&a_costs, &b_costs, (c.a.cohort.get(lang), &a_short), (c.b.cohort.get(lang), &b_short), lang, &p);
    let mut costs = costs;
    // Money is known per intervention and year, not per person: filters on people do not narrow it.
    if filters_people(a) || filters_people(b) {
        costs.title.push_str(money_is_not_filtered(lang));
    }
    let mut compared = comparison_section_of(&c, &published, lang, &p);
    // Periods compared on outcomes until the data's end have had unequal time: say so, and how to even it.
    if a.follow_up_months.is_none() && b.follow_up_months.is_none() && a.period != b.period {
        compared.title.push_str(lang.pick("; utfall vid avslut fram till datans slut: en senare period har haft kortare tid (se andelen fortfarande inskrivna; --follow-up MÅNADER ger båda lika lång uppföljning)", "; outcomes at exit until the data's end: a later period has had less time (see the share still enrolled; --follow-up MONTHS gives both the same follow-up)"));
    }
    output(heading, vec![compared, costs], &p, lang)
}

/// Cost per participant-year, per participant-month and per positive outcome in both cohorts, and the
/// change. Costs are the actual costs (all financiers) of the cohort's interventions in its years. The
/// participant-years and positive outcomes of all years are cells of their own, published once: money
/// divided by them gives away no more than they do.
fn cost_comparison_section(
    a: &[UnitCost],
    b: &[UnitCost],
    (a_name, a_column): (&str, &str),
    (b_name, b_column): (&str, &str),
    lang: Lang,
    p: &Protector,
) -> Section {
    let sv = lang == Lang::Sv;
    let sum = |u: &[UnitCost]| {
        let actual: f64 = u.iter().map(|x| x.actual_sek).sum();
        let people: Tally = u.iter().map(|x| x.participants).sum();
        let months: f64 = u.iter().map(|x| x.participant_months).sum();
        let positive: Tally = u.iter().map(|x| x.positive_outcomes).sum();
        // Participant-months are of the registered: divided by only where they are at least 5 (published).
        let registered = p.value(u.iter().map(|x| x.registered).sum());
        let months = registered.filter(|&n| p.divisor_of(Cell::Shown(n)).is_some()).map_or(0.0, |_| months);
        // Under suppression a sum is divided by only where the cost table shows every year's part: a year it
        // hides (those without consent 1–4, a lone small year of outcomes) would follow from the sum less a
        // report's figures, which an attack did through the cost per participant-year.
        let all_shown = |cells: Vec<Cell>| cells.iter().all(|c| !c.is_hidden());
        let people = p.value(people).filter(|_| all_shown(u.iter().map(|x| published_participants(x, p)).collect()));
        let positive = p.value(positive).filter(|_| all_shown(published_outcomes(u, p)));
        (actual, people, months, positive)
    };
    let (sa, sb) = (sum(a), sum(b));
    let title = if sv {
        format!("Kostnader: {b_name} mot {a_name} (utfall, alla finansiärer)")
    } else {
        format!("Costs: {b_name} against {a_name} (actual, all financiers)")
    };
    let columns =
        [("measure", lang.pick("mått", "measure")), ("value_a", a_column), ("value_b", b_column), ("change", lang.pick("förändring", "change"))];
    let mut section = Section::new("cost_comparison", title, &columns);
    section.metadata = vec![("finsam.a".into(), a_name.to_string()), ("finsam.b".into(), b_name.to_string())];
    // A cost per unit only where the published number of units is at least 5 (0 would divide by nothing).
    let per = |cost: f64, units: Option<u64>, divisor: f64| match units {
        Some(n) if p.divisor_of(Cell::Shown(n)).is_some() && divisor > 0.0 => Some((cost / divisor).round()),
        _ => None,
    };
    // Each row: its code, its label in Swedish and English, and the cost per unit in each cohort.
    type Row<'a> = (&'a str, &'a str, &'a str, Option<f64>, Option<f64>);
    let rows: [Row; 3] = [
        (
            "sek_per_participant_year",
            "Kronor per deltagarår",
            "SEK per participant-year",
            per(sa.0, sa.1, sa.1.unwrap_or(0) as f64),
            per(sb.0, sb.1, sb.1.unwrap_or(0) as f64),
        ),
        ("sek_per_participant_month", "Kronor per deltagarmånad", "SEK per participant-month", per(sa.0, sa.1, sa.2), per(sb.0, sb.1, sb.2)),
        (
            "sek_per_positive_outcome",
            "Kronor per positivt utfall",
            "SEK per positive outcome",
            per(sa.0, sa.3, sa.3.unwrap_or(0) as f64),
            per(sb.0, sb.3, sb.3.unwrap_or(0) as f64),
        ),
    ];
    for (code, label_sv, label_en, x, y) in rows {
        let change = match (x, y) {
            (Some(x), Some(y)) => Some(y - x),
            _ => None,
        };
        section.rows.push(vec![Value::label(code, lang.pick(label_sv, label_en)), Value::Number(x), Value::Number(y), Value::Number(change)]);
    }
    if p.is_raw() {
        section.title.push_str(Protector::raw_mark(lang));
    }
    section
}

/// Kaplan–Meier: the share still without the event after each number of months.
pub fn survival_output(model: &Model, cohort: &Cohort, event: Event, months: &[u32], lang: Lang, protection: Protection) -> Result<Output> {
    check_cohort(model, cohort, protection)?;
    check_survival_months(months, protection)?;
    let p = Protector::new(model, protection)?;
    let (observations, unobserved) = durations_with_unobserved(model, cohort, event)?;
    let curve = Curve::fit_observations(&observations);
    let never_at_risk = tally(unobserved.iter());
    // Whether the title explains delayed entry is decided on the filters: decided on the data, it said whether
    // anyone who started before the period was still enrolled in it (for example a cohort of one).
    let delayed = cohort.membership == crate::analysis::Membership::Overlap && cohort.period.is_some();
    let columns = survival_columns(lang);
    let mut section = Section::new(survival_id(event), survival_title(event, protection, delayed, lang), &columns);
    // Time to self-support is not shown under suppression (`Protector::self_support_may_be_shown`).
    let shown = event == Event::Exit || p.self_support_may_be_shown();
    let hidden = || months.iter().map(|&month| PublishedMonth { month, at_risk: Cell::Hidden, survival: None }).collect::<Vec<_>>();
    push_months(&mut section, if shown { p.survival(&observations, never_at_risk, &curve, months) } else { hidden() }, &p);
    let described = cohort.resolve(model)?.description;
    let median = if shown { p.median_months(&observations, never_at_risk, &curve) } else { None };
    let everyone = || observations.iter().chain(&unobserved);
    let counts = super::published::time_to_event_counts(model, cohort, event, tally(everyone()), tally(everyone().filter(|o| o.event)), &p)?;
    let heading = survival_heading(described.get(lang), counts, &observations, &unobserved, (median, shown), &p, lang);
    let mut sections = vec![section];
    if event == Event::SelfSupport {
        let mut incidence = self_support_incidence(&p, &observations, never_at_risk, months, lang, &columns);
        if !shown {
            incidence.rows.clear();
            push_months(&mut incidence, hidden(), &p);
        }
        sections.push(incidence);
    }
    if p.is_raw() {
        for section in &mut sections {
            section.title.push_str(Protector::raw_mark(lang));
        }
    }
    output(heading, sections, &p, lang)
}

/// Protected survival tables take months on one grid (`SURVIVAL_STEP_MONTHS`), so that tables asked at
/// different months cannot be set against each other.
fn check_survival_months(months: &[u32], protection: Protection) -> Result<()> {
    let most = crate::analysis::cohort::MAX_FOLLOW_UP_MONTHS;
    if let Some(m) = months.iter().find(|m| **m > most) {
        return Err(FinsamError::invalid(format!("month {m}: expected months from 0 to {most} (50 years, as for --follow-up)")));
    }
    if months.len() > most as usize {
        return Err(FinsamError::invalid(format!("{} months asked: at most {most} in one table", months.len())));
    }
    let step = crate::disclosure::SURVIVAL_STEP_MONTHS;
    match months.iter().find(|m| *m % step != 0) {
        Some(m) if protection == Protection::Perturbation => Err(FinsamError::invalid(format!(
            "month {m}: protected survival tables take months in steps of {step} (3, 6, 9, 12, 18, 24...), one table per \
             cohort, so that tables asked at different months cannot be set against each other; research output (--raw) \
             takes any months"
        ))),
        _ => Ok(()),
    }
}

/// The units as one count with their cell key.
fn tally<'a>(units: impl Iterator<Item = &'a Observation>) -> Tally {
    units.map(|o| Tally::unit(o.key)).sum()
}

/// The columns of a table of months: the month, the number at risk, the share and its interval.
fn survival_columns(lang: Lang) -> [(&'static str, &'static str); 5] {
    [
        ("months", lang.pick("månader", "months")),
        ("at_risk", lang.pick("i risk", "at risk")),
        ("share", lang.pick("andel", "share")),
        ("ci_low", lang.pick("lägre 95 %", "low 95%")),
        ("ci_high", lang.pick("övre 95 %", "high 95%")),
    ]
}

/// The survival table's stable name, by its event.
fn survival_id(event: Event) -> &'static str {
    match event {
        Event::Exit => "time_to_exit",
        Event::SelfSupport => "time_to_self_support",
    }
}

/// The survival table's title: what the share is, how it is estimated, and what a reader must know (delayed
/// entry, those censored when they left without self-support).
fn survival_title(event: Event, protection: Protection, delayed: bool, lang: Lang) -> String {
    let what = match event {
        Event::Exit => lang.pick("kvar i insatsen", "still in the intervention"),
        Event::SelfSupport => lang.pick("ännu utan egen försörjning", "not yet self-supporting"),
    };
    let mut title = match (protection, lang) {
        (Protection::Perturbation, Lang::Sv) => {
            format!("Andel {what} efter N månader (livstabell på justerade antal mellan de visade månaderna, 95 % intervall: Greenwood, log(-log))")
        }
        (Protection::Perturbation, Lang::En) => {
            format!("Share {what} after N months (life table on adjusted counts between the months shown, 95% interval: Greenwood, log(-log))")
        }
        (Protection::Suppression, Lang::Sv) => {
            format!("Andel {what} efter N månader (livstabell på antalen mellan de visade månaderna, 95 % intervall: Greenwood, log(-log))")
        }
        (Protection::Suppression, Lang::En) => {
            format!("Share {what} after N months (life table on the counts between the months shown, 95% interval: Greenwood, log(-log))")
        }
        (_, Lang::Sv) => format!("Andel {what} efter N månader (Kaplan–Meier, 95 % intervall: Greenwood, log(-log))"),
        (_, Lang::En) => format!("Share {what} after N months (Kaplan–Meier, 95% interval: Greenwood, log(-log))"),
    };
    if delayed {
        title.push_str(lang.pick(
            "; inskrivna före perioden räknas från periodens första dag (fördröjt inträde)",
            "; enrolments that started before the period count from its first day (delayed entry)",
        ));
    }
    if event == Event::SelfSupport {
        title.push_str(lang.pick("; den som avslutat utan egen försörjning räknas som censurerad vid sista observationen (antas inte skilja sig från dem som är kvar; se även tabellen med konkurrerande händelse)", "; those who left without self-support are censored at their last observation (assumed no different from those still followed; see also the table with a competing event)"));
        if protection == Protection::Suppression {
            title.push_str(lang.pick(
                " — visas inte vid undertryckning (tillsammans med tabellen över tid till avslut och rapporten skulle den ge antal under 5; standardskyddet visar den)",
                " — not shown under suppression (beside the table of time to exit and the report it would give counts under 5; the default protection shows it)",
            ));
        }
    }
    title
}

/// "Cohort: n people, e events; median m months", as published. The heading counts the whole cohort,
/// those never observed at risk too, as the report does: its n and events are then the report's (a heading
/// over the curve's units alone would differ from the report's by the enrolments that ended on the
/// period's first day).
fn survival_heading(
    described: &str,
    (n, events): (Cell, Cell),
    observations: &[Observation],
    unobserved: &[Observation],
    (median, table_shown): (Option<f64>, bool),
    p: &Protector,
    lang: Lang,
) -> String {
    let all = tally(observations.iter().chain(unobserved));
    // Shown where quartiles may be (each quarter at least 5 people); protected, it is read off the published
    // table (`Protector::median_months`).
    let median = if p.quartiles_may_be_shown(all) { median.map(|m| format!("{m:.1}")) } else { None };
    // "Too few" whenever the published count says so, reached or not: the wording must not depend on more
    // than what is published.
    let not_shown = match (table_shown, p.quartiles_may_be_shown(all)) {
        (false, _) => lang.pick("visas inte", "not shown"),
        (true, true) => lang.pick("ej nådd", "not reached"),
        (true, false) => lang.pick("visas inte (för få)", "not shown (too few)"),
    };
    // Events of n as published beside the report (`published::time_to_event_counts`).
    let median = match median {
        Some(m) => format!("{m} {}", lang.pick("månader", "months")),
        None => not_shown.to_string(),
    };
    match lang {
        Lang::Sv => format!("{described}: {n} personer, {events} händelser; median {median}"),
        Lang::En => format!("{described}: {n} people, {events} events; median {median}"),
    }
}

/// Time to self-support with leaving without it as a competing event: the cumulative incidence
/// (Aalen–Johansen), which does not assume that those who left would have become self-supporting as often as
/// those still followed.
fn self_support_incidence(
    p: &Protector,
    observations: &[Observation],
    never_at_risk: Tally,
    months: &[u32],
    lang: Lang,
    columns: &[(&'static str, &'static str)],
) -> Section {
    let mut columns = columns.to_vec();
    columns[2] = ("incidence", lang.pick("andel med egen försörjning", "share self-supporting"));
    let title = match (p.protection(), lang) {
        (Protection::Perturbation, Lang::Sv) => "Andel som fått egen försörjning efter N månader, med avslut utan egen försörjning som konkurrerande händelse (Aalen–Johansen som livstabell på justerade antal mellan de visade månaderna, 95 % intervall: deltametoden, log(-log))",
        (Protection::Perturbation, Lang::En) => "Share who became self-supporting after N months, with leaving without self-support as a competing event (Aalen–Johansen as a life table on adjusted counts between the months shown, 95% interval: delta method, log(-log))",
        (Protection::Suppression, Lang::Sv) => "Andel som fått egen försörjning efter N månader, med avslut utan egen försörjning som konkurrerande händelse (Aalen–Johansen som livstabell på antalen mellan de visade månaderna, 95 % intervall: deltametoden, log(-log))",
        (Protection::Suppression, Lang::En) => "Share who became self-supporting after N months, with leaving without self-support as a competing event (Aalen–Johansen as a life table on the counts between the months shown, 95% interval: delta method, log(-log))",
        (_, Lang::Sv) => "Andel som fått egen försörjning efter N månader, med avslut utan egen försörjning som konkurrerande händelse (Aalen–Johansen, 95 % intervall: deltametoden, log(-log))",
        (_, Lang::En) => "Share who became self-supporting after N months, with leaving without self-support as a competing event (Aalen–Johansen, 95% interval: delta method, log(-log))",
    };
    let mut section = Section::new("cumulative_incidence", title, &columns);
    push_months(&mut section, p.incidence(observations, never_at_risk, &Incidence::fit(observations), months), p);
    section
}

/// One row per month: the month, the number at risk and the share with its interval (blank where hidden).
///
/// Protected shares are rounded to four decimals for machines too, as printed. (They are life tables on the
/// groups between the months shown, so no digit depends on the order in which people left within an
/// interval; the exact curve's did, and an attack read runs of 1–4 people off its full precision.)
fn push_months(section: &mut Section, published: Vec<PublishedMonth>, p: &Protector) {
    let share = |x: Option<f64>| Value::Share(if p.is_raw() { x } else { x.map(|v| (v * 1e4).round() / 1e4) });
    for month in published {
        let (value, low, high) = month.survival.unwrap_or((f64::NAN, None, None));
        section.rows.push(vec![
            Value::Integer(Some(i64::from(month.month))),
            Value::Count(month.at_risk),
            share(month.survival.map(|_| value)),
            share(low),
            share(high),
        ]);
    }
}

/// Whether a cohort filters on people (sex, age, target group, support, follow-up): money is known per
/// intervention and year, not per person, so such filters do not narrow it, and the output says so.
fn filters_people(c: &Cohort) -> bool {
    c.sex.is_some() || c.age.is_some() || !c.support_before.is_empty() || !c.target_groups.is_empty() || c.follow_up_months.is_some()
}

/// What a cost table says when its cohort filters on people.
fn money_is_not_filtered(lang: Lang) -> &'static str {
    lang.pick("; kostnaderna gäller insatsernas alla deltagare: filter på kön, ålder, målgrupp, försörjning och uppföljningstid gäller inte pengarna", "; the costs are of all the interventions' participants: filters on sex, age, target group, support and follow-up window do not apply to money")
}

/// Budget against actual, unit costs, funding shares against 50/25/25, administration.
pub fn costs_output(model: &Model, cohort: &Cohort, lang: Lang, protection: Protection) -> Result<Output> {
    check_cohort(model, cohort, protection)?;
    let p = Protector::new(model, protection)?;
    // The unit costs (the longest) on one connection, the money tables (two reads) on the other.
    let (unit_costs, (budget, funding, administration)) = model.both(|m| unit_costs(m, cohort), |m| super::money::money_tables(m, cohort, lang))?;
    let mut units = unit_cost_section(&unit_costs, lang, &p);
    if filters_people(cohort) {
        units.title.push_str(money_is_not_filtered(lang));
    }
    let sections = [budget, units, funding, administration].iter().map(TitledTable::of).collect::<Result<_>>()?;
    let heading = lang.pick("Kostnader och finansiering", "Costs and funding").to_string();
    Ok(Output { heading, sections, protection, note: p.legend(lang), lang })
}
