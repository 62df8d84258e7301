//! The printable results of every analysis, as titled Arrow tables with a heading: what the CLI prints
//! and what the Python package returns. Both faces call these; neither builds a table of its own.

use super::allocation::{allocate, inputs_for_year, AllocationParams};
use super::compare::compare;
use super::costs::{administration_share, budget_vs_actual, funding_shares, unit_cost_section, unit_costs};
use super::privacy::{count_may_be_shown, legend, part_and_whole, Cell, MIN_CELL};
use super::render::{comparison_section, count_text, report_sections, Privacy, Section, Value};
use super::survival::{durations, Curve, Event, DAYS_PER_MONTH};
use super::{standard_report, Cohort};
use crate::codes::Lang;
use crate::error::Result;
use crate::model::Model;
use crate::table::Table;

/// A result ready to show: a heading and titled tables.
#[derive(Debug, Clone)]
pub struct Output {
    pub heading: String,
    pub sections: Vec<(String, Table)>,
    /// Whether the counts were suppressed for a board (false: raw research output).
    pub suppressed: bool,
    /// What the suppression markers mean, for a board's output.
    pub note: Option<String>,
}

fn output(heading: String, sections: Vec<Section>, privacy: Privacy, lang: Lang) -> Result<Output> {
    let sections = sections.into_iter().map(|s| Ok((s.title.clone(), s.to_table()?))).collect::<Result<_>>()?;
    let suppressed = privacy == Privacy::Suppressed;
    Ok(Output { heading, sections, suppressed, note: suppressed.then(|| legend(lang).to_string()) })
}

/// The standard participant report.
pub fn report_output(model: &Model, cohort: &Cohort, lang: Lang, privacy: Privacy) -> Result<Output> {
    let report = standard_report(model, cohort)?;
    let enrolments = if privacy == Privacy::Suppressed && report.hides_enrolments() { Cell::Hidden.to_string() } else { count_text(report.enrolments, privacy) };
    let exits = count_text(report.exited, privacy);
    let heading = match lang {
        Lang::Sv => format!("Deltagarrapport: {} ({enrolments} inskrivningar, {exits} avslutade; data t.o.m. {})", report.cohort.get(lang), report.data_end),
        Lang::En => format!("Participant report: {} ({enrolments} enrolments, {exits} exits; data until {})", report.cohort.get(lang), report.data_end),
    };
    output(heading, report_sections(&report, lang, privacy), privacy, lang)
}

/// Two cohorts side by side: each share, the change (second minus first), its interval and p-value.
pub fn compare_output(model: &Model, a: &Cohort, b: &Cohort, lang: Lang, privacy: Privacy) -> Result<Output> {
    let c = compare(model, a, b)?;
    let (a_exits, b_exits) = (count_text(c.a.exited, privacy), count_text(c.b.exited, privacy));
    let heading = match lang {
        Lang::Sv => format!("A: {} ({a_exits} avslutade). B: {} ({b_exits} avslutade).", c.a.cohort.get(lang), c.b.cohort.get(lang)),
        Lang::En => format!("A: {} ({a_exits} exits). B: {} ({b_exits} exits).", c.a.cohort.get(lang), c.b.cohort.get(lang)),
    };
    let costs = cost_comparison_section(&unit_costs(model, a)?, &unit_costs(model, b)?, c.a.cohort.get(lang), c.b.cohort.get(lang), lang, privacy);
    output(heading, vec![comparison_section(&c, lang, privacy), costs], privacy, lang)
}

/// Cost per participant-year, per participant-month and per positive outcome in both cohorts, and the
/// change. Costs are the actual costs (all financiers) of the cohort's interventions in its years.
fn cost_comparison_section(a: &[super::costs::UnitCost], b: &[super::costs::UnitCost], a_name: &str, b_name: &str, lang: Lang, privacy: Privacy) -> Section {
    let sv = lang == Lang::Sv;
    let sum = |u: &[super::costs::UnitCost]| {
        let actual: f64 = u.iter().map(|x| x.actual_sek).sum();
        let people: u64 = u.iter().map(|x| x.participants).sum();
        let months: f64 = u.iter().map(|x| x.participant_months).sum();
        let positive: u64 = u.iter().map(|x| x.positive_outcomes).sum();
        (actual, people, months, positive)
    };
    let (sa, sb) = (sum(a), sum(b));
    let title = if sv {
        format!("Kostnader: {b_name} mot {a_name} (utfall, alla finansiärer)")
    } else {
        format!("Costs: {b_name} against {a_name} (actual, all financiers)")
    };
    let columns: Vec<&str> = if sv { vec!["mått", "A", "B", "förändring"] } else { vec!["measure", "A", "B", "change"] };
    let mut section = Section::new(title, &columns);
    let per = |cost: f64, n: f64, shown: bool| if n > 0.0 && shown { Some((cost / n).round()) } else { None };
    let board = privacy == Privacy::Suppressed;
    let rows: [(&str, &str, Option<f64>, Option<f64>); 3] = [
        ("Kronor per deltagarår", "SEK per participant-year", per(sa.0, sa.1 as f64, !board || count_may_be_shown(sa.1)), per(sb.0, sb.1 as f64, !board || count_may_be_shown(sb.1))),
        ("Kronor per deltagarmånad", "SEK per participant-month", per(sa.0, sa.2, !board || count_may_be_shown(sa.1)), per(sb.0, sb.2, !board || count_may_be_shown(sb.1))),
        ("Kronor per positivt utfall", "SEK per positive outcome", per(sa.0, sa.3 as f64, !board || count_may_be_shown(sa.3)), per(sb.0, sb.3 as f64, !board || count_may_be_shown(sb.3))),
    ];
    for (label_sv, label_en, x, y) in rows {
        let change = match (x, y) {
            (Some(x), Some(y)) => Some(y - x),
            _ => None,
        };
        section.rows.push(vec![Value::Text(if sv { label_sv } else { label_en }.to_string()), Value::Number(x), Value::Number(y), Value::Number(change)]);
    }
    section
}

/// Kaplan–Meier: the share still without the event after each number of months.
pub fn survival_output(model: &Model, cohort: &Cohort, event: Event, months: &[u32], lang: Lang, privacy: Privacy) -> Result<Output> {
    let curve = Curve::fit(&durations(model, cohort, event)?);
    let (what_sv, what_en) = match event {
        Event::Exit => ("kvar i insatsen", "still in the intervention"),
        Event::SelfSupport => ("ännu utan egen försörjning", "not yet self-supporting"),
    };
    let sv = lang == Lang::Sv;
    let title = if sv {
        format!("Andel {what_sv} efter N månader (Kaplan–Meier, 95 % intervall: Greenwood, log(-log))")
    } else {
        format!("Share {what_en} after N months (Kaplan–Meier, 95% interval: Greenwood, log(-log))")
    };
    let columns: Vec<&str> = if sv { vec!["månader", "i risk", "andel", "lägre 95 %", "övre 95 %"] } else { vec!["months", "at risk", "share", "low 95%", "high 95%"] };
    let mut section = Section::new(title, &columns);
    for m in months {
        let days = *m as f64 * DAYS_PER_MONTH;
        let at_risk = curve.steps.iter().find(|s| s.time > days).map_or(0, |s| s.at_risk);
        // A board must not learn that fewer than five people remain, nor a share resting on them.
        let visible = privacy == Privacy::Raw || (at_risk >= MIN_CELL || at_risk == 0) && curve.n >= MIN_CELL;
        let step = curve.step_at(days);
        let number = |x: Option<f64>| Value::Number(if visible { x.map(|v| (v * 1e4).round() / 1e4) } else { None });
        section.rows.push(vec![
            Value::Count(Cell::Shown(*m as u64)),
            if privacy == Privacy::Raw || count_may_be_shown(at_risk) { Value::Count(Cell::Shown(at_risk)) } else { Value::Count(Cell::Suppressed) },
            number(Some(curve.survival_at(days))),
            number(step.and_then(|s| s.low).or(if step.is_none() { Some(1.0) } else { None })),
            number(step.and_then(|s| s.high).or(if step.is_none() { Some(1.0) } else { None })),
        ]);
    }
    let median = curve.median().map(|d| format!("{:.1}", d / DAYS_PER_MONTH));
    let described = cohort.resolve(model)?.description;
    // Events of n: neither may give away a small group, nor may the rest (censored, n − events).
    let (events, n) = match privacy {
        Privacy::Suppressed => {
            let (events, n) = part_and_whole(curve.events, curve.n);
            (events.to_string(), n.to_string())
        }
        Privacy::Raw => (curve.events.to_string(), curve.n.to_string()),
    };
    let heading = if sv {
        format!("{}: {n} personer, {events} händelser; median {} månader", described.get(lang), median.unwrap_or_else(|| "ej nådd".into()))
    } else {
        format!("{}: {n} people, {events} events; median {} months", described.get(lang), median.unwrap_or_else(|| "not reached".into()))
    };
    if privacy == Privacy::Raw {
        section.title.push_str(if sv { " [RÅDATA: ej röjandekontrollerad]" } else { " [RAW: not suppressed]" });
    }
    output(heading, vec![section], privacy, lang)
}

/// Budget against actual, unit costs, funding shares against 50/25/25, administration.
pub fn costs_output(model: &Model, cohort: &Cohort, lang: Lang, privacy: Privacy) -> Result<Output> {
    let sv = lang == Lang::Sv;
    let title = |s: &str, e: &str| if sv { s.to_string() } else { e.to_string() };
    let units = unit_cost_section(&unit_costs(model, cohort)?, lang, privacy);
    let sections = vec![
        (title("Budget och utfall per finansiär (kr)", "Budget and actual by financier (SEK)"), budget_vs_actual(model, cohort, lang)?),
        (units.title.clone(), units.to_table()?),
        (
            title("Medlemmarnas andelar av insatta medel mot 50/25/25 (procent)", "Members' shares of contributions against 50/25/25 (per cent)"),
            funding_shares(model, cohort, lang)?,
        ),
        (title("Andel till styrning, ledning och administration", "Share spent on governance and administration"), administration_share(model, cohort, lang)?),
    ];
    let heading = title("Kostnader och finansiering", "Costs and funding");
    let suppressed = privacy == Privacy::Suppressed;
    Ok(Output { heading, sections, suppressed, note: suppressed.then(|| legend(lang).to_string()) })
}

/// The state allocation model for a year.
pub fn allocation_output(model: &Model, year: i32, params: &AllocationParams, lang: Lang) -> Result<Output> {
    let amount = params.amount;
    let result = allocate(&inputs_for_year(model, year)?, params)?;
    let sv = lang == Lang::Sv;
    let columns: Vec<&str> = if sv {
        vec!["förbund", "försörjningsmått", "befolkning 16–64", "eget kapital kr", "andel av nyckeln", "preliminärt kr", "rimlig nivå kr", "avdrag kr", "tilldelning kr"]
    } else {
        vec!["federation", "support measure", "population 16–64", "equity SEK", "key share", "preliminary SEK", "reasonable level SEK", "reduction SEK", "allocation SEK"]
    };
    let title = if sv {
        "Statens fördelningsmodell: grundbelopp, 75 % efter försörjningsmått och 25 % efter befolkning 16–64, avdrag för högt eget kapital"
    } else {
        "The state allocation model: base amount, 75% by support measure and 25% by population 16–64, reduction for high equity"
    };
    let mut section = Section::new(title, &columns);
    let n = |x: f64| Value::Number(Some(x.round()));
    // Federations by name, as a board knows them.
    let names: std::collections::HashMap<String, String> =
        model.query("SELECT federation_id, name FROM federation", &[])?.rows_as_text()?.into_iter().map(|mut r| (r.remove(0), r.remove(0))).collect();
    for a in &result {
        section.rows.push(vec![
            Value::Text(names.get(&a.input.federation).cloned().unwrap_or_else(|| a.input.federation.clone())),
            n(a.input.support_measure),
            Value::Count(Cell::Shown(a.input.population_16_64 as u64)),
            n(a.input.equity_sek),
            Value::Number(Some((a.key_share * 1e6).round() / 1e6)),
            n(a.preliminary),
            n(a.reasonable_equity),
            n(a.reduction),
            n(a.allocation),
        ]);
    }
    let total: f64 = result.iter().map(|a| a.allocation).sum();
    let heading = if sv {
        format!("År {}: {:.0} kr att fördela, {:.0} kr fördelat", year, amount, total)
    } else {
        format!("Year {}: {:.0} SEK to divide, {:.0} SEK allocated", year, amount, total)
    };
    // Allocation inputs are federation-level figures, not counts of people.
    output(heading, vec![section], Privacy::Raw, lang).map(|o| Output { suppressed: true, ..o })
}
