//! Charts from analysis results: each kind asks the core's analyses for its numbers, publishes them through
//! the disclosure-control layer (`Protector`) unless raw output was asked for, and words its titles in
//! Swedish or English.

use super::theme::number;
use super::{Bar, Body, Bubble, Chart, ChartKind, CurveSeries, DumbbellRow};
use crate::analysis::cohort::{federation_names, intervention_names, interventions_by_plan};
use crate::analysis::compare::{refuse_shared_enrolments, AskTheData};
use crate::analysis::costs::{budget_by_year, contributions_by_year, unit_costs};
use crate::analysis::report::standard_reports_by_intervention;
use crate::analysis::stats::change;
use crate::analysis::survival::{durations_with_unobserved, Curve, Event, DAYS_PER_MONTH};
use crate::analysis::{standard_report, Cohort, Measure};
use crate::codes::{CodeList, Lang};
use crate::disclosure::Protection;
use crate::disclosure::{Cell, Protector, Tally};
use crate::error::{FinsamError, Result};
use crate::model::Model;
use crate::present::render::published_report_share;

/// What a chart is drawn of.
#[derive(Debug, Clone)]
pub struct ChartOptions {
    /// The cohort the chart is of.
    pub cohort: Cohort,
    /// The second period of a comparison (`periods`, and two curves for `survival`).
    pub vs: Option<String>,
    /// The measure a chart of one measure shows.
    pub measure: Measure,
    /// The event of a survival chart.
    pub event: Event,
    /// The language of the chart's texts.
    pub lang: Lang,
    /// How the counts are protected (perturbation by default).
    pub protection: Protection,
}

impl ChartOptions {
    /// The defaults for a cohort: work or studies, time to exit, Swedish, protected.
    pub fn new(cohort: Cohort) -> ChartOptions {
        ChartOptions { cohort, vs: None, measure: Measure::WorkOrStudies, event: Event::Exit, lang: Lang::Sv, protection: Protection::default() }
    }
}

/// At most this many interventions side by side.
const MAX_INTERVENTIONS: usize = 12;
/// At most this many survival curves in one chart.
const MAX_CURVES: usize = 6;

/// A chart of a built-in kind for the cohort in the options.
pub fn chart(model: &Model, kind: ChartKind, o: &ChartOptions) -> Result<Chart> {
    crate::disclosure::granularity::check_cohort(model, &o.cohort, o.protection)?;
    if let Some(vs) = &o.vs {
        crate::disclosure::granularity::check_cohort(model, &Cohort { period: Some(vs.clone()), ..o.cohort.clone() }, o.protection)?;
    }
    let lang = o.lang;
    let p = Protector::new(model, o.protection)?;
    let (title, subtitle, body) = match kind {
        ChartKind::Outcomes => outcomes(model, o, &p)?,
        ChartKind::Periods => periods(model, o, &p)?,
        ChartKind::CostOutcome => cost_outcome(model, o, &p)?,
        ChartKind::Funding => funding(model, o)?,
        ChartKind::Budget => budget(model, o)?,
        ChartKind::Survival => survival(model, o, &p)?,
        ChartKind::Transitions => transitions(model, o, &p)?,
        ChartKind::Pyramid => pyramid(model, o, &p)?,
    };
    Ok(Chart { name: kind.name(), title, subtitle, footnote: footnote(model, o.lang, &p)?, lang, body })
}

/// The source, whether the data is synthetic, and what the protection did: under every chart.
pub(crate) fn footnote(model: &Model, lang: Lang, p: &Protector) -> Result<String> {
    let source = model.path().and_then(|p| p.file_name()).map(|f| f.to_string_lossy().to_string()).unwrap_or_else(|| "finsam".into());
    let mut parts = vec![format!("{} finsam, {source}.", lang.pick("Källa:", "Source:").to_string())];
    if model.is_synthetic()? {
        parts.push(lang.pick("Syntetiska demodata – inga verkliga personer.", "Synthetic demo data – no real people.").to_string());
    }
    parts.push(match p.legend(lang) {
        Some(legend) => format!("{legend} {}", lang.pick("Andelar av färre än 5 visas inte.", "Shares of fewer than 5 are not shown.")),
        None => lang.pick("RÅDATA: ej röjandekontrollerad, endast för analys.", "RAW: not suppressed, for analysis only.").to_string(),
    });
    Ok(parts.join(" "))
}

/// The cohort in words, for subtitles.
fn describe(model: &Model, c: &Cohort, lang: Lang) -> Result<String> {
    Ok(c.resolve(model)?.description.get(lang).to_string())
}

/// The federations and years of a money chart, in words.
fn describe_money(model: &Model, c: &Cohort, lang: Lang) -> Result<String> {
    let mut parts = Vec::new();
    parts.push(if c.federations.is_empty() {
        lang.pick("alla förbund", "all federations").to_string()
    } else {
        federation_names(model, &c.federations)?.join(", ")
    });
    if !c.interventions.is_empty() {
        parts.push(intervention_names(model, &c.interventions)?.join(", "));
    }
    if let Some(p) = c.resolve(model)?.period {
        parts.push(p.label);
    }
    Ok(parts.join(" · "))
}

/// The interventions a chart shows side by side: those asked for, or the cohort's individual interventions
/// by their planned size (see `interventions_by_plan`).
fn interventions(model: &Model, c: &Cohort) -> Result<Vec<(String, String)>> {
    if !c.interventions.is_empty() {
        c.resolve(model)?;
        let labels = intervention_names(model, &c.interventions)?;
        return Ok(c.interventions.iter().cloned().zip(labels).collect());
    }
    interventions_by_plan(model, c, MAX_INTERVENTIONS)
}

fn with_intervention(c: &Cohort, id: &str) -> Cohort {
    Cohort { interventions: vec![id.to_string()], ..c.clone() }
}

fn no_participants(lang: Lang) -> Body {
    Body::Empty { message: lang.pick("Inga deltagare i urvalet", "No participants in the selection").to_string() }
}

fn n_note(n: Cell, lang: Lang) -> String {
    match n {
        Cell::Shown(n) => format!("n = {}", number(n as f64, 0, lang)),
        hidden => format!("n {hidden}"),
    }
}

type Parts = (String, String, Body);

fn outcomes(model: &Model, o: &ChartOptions, p: &Protector) -> Result<Parts> {
    let lang = o.lang;
    let mut bars = Vec::new();
    let shown = interventions(model, &o.cohort)?;
    let ids: Vec<String> = shown.iter().map(|(id, _)| id.clone()).collect();
    for ((_, label), report) in shown.into_iter().zip(standard_reports_by_intervention(model, &o.cohort, &ids)?) {
        let published = published_report_share(&report, o.measure, p);
        let value = match published.share {
            Some(crate::analysis::stats::Share { p: Some(share), low: Some(lo), high: Some(hi), .. }) => Some((share, lo, hi)),
            _ => None,
        };
        // Decided on what is published only (a note for 1–4 people but not for none would say which).
        let note = if value.is_none() && published.n.is_hidden() {
            lang.pick("för få för att visas", "too few to show").to_string()
        } else {
            n_note(published.n, lang)
        };
        bars.push(Bar { label, value, note });
    }
    let title = o.measure.label(lang).to_string();
    let subtitle = format!(
        "{} · {}",
        describe(model, &o.cohort, lang)?,
        lang.pick("andel av avslutade med 95 % konfidensintervall (Wilson)", "share of exits with 95% confidence interval (Wilson)")
    );
    let body = if bars.is_empty() {
        no_participants(lang)
    } else {
        Body::Bars { bars, y_label: lang.pick("Andel av avslutade (%)", "Share of exits (%)").to_string() }
    };
    Ok((title, subtitle, body))
}

fn periods(model: &Model, o: &ChartOptions, p: &Protector) -> Result<Parts> {
    let lang = o.lang;
    let (Some(first), Some(second)) = (o.cohort.period.clone(), o.vs.clone()) else {
        return Err(FinsamError::invalid("the periods chart compares two periods: give --period and --vs"));
    };
    let second_cohort = Cohort { period: Some(second.clone()), ..o.cohort.clone() };
    let mut rows = Vec::new();
    let mut labels = (first.clone(), second.clone());
    let mut ids = interventions(model, &o.cohort)?;
    for extra in interventions(model, &second_cohort)? {
        if !ids.contains(&extra) {
            ids.push(extra);
        }
    }
    ids.truncate(MAX_INTERVENTIONS);
    // Both periods' reports of every intervention, one statement per period (the comparison's own check that
    // the two cohorts share no enrolment runs once, on the whole cohorts).
    let only: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
    let narrowed = |c: &Cohort| Cohort { interventions: only.clone(), ..c.clone() };
    refuse_shared_enrolments(model, &narrowed(&o.cohort), &narrowed(&second_cohort), AskTheData::when(p.is_raw()))?;
    let firsts = standard_reports_by_intervention(model, &o.cohort, &only)?;
    let seconds = standard_reports_by_intervention(model, &second_cohort, &only)?;
    for (((_, label), first), second) in ids.into_iter().zip(firsts).zip(seconds) {
        if let (Some(a), Some(b)) = (&first.period, &second.period) {
            labels = (a.label.clone(), b.label.clone());
        }
        // Both shares as published, and the change (second minus first) computed from them.
        let publish = |r: &crate::analysis::Report| published_report_share(r, o.measure, p).share;
        let (first_share, second_share) = (publish(&first), publish(&second));
        let (a, b) = (first_share.and_then(|s| s.p), second_share.and_then(|s| s.p));
        let d = match (first_share, second_share) {
            (Some(x), Some(y)) => change(x, y),
            _ => change(crate::analysis::stats::Share::new(0, 0), crate::analysis::stats::Share::new(0, 0)),
        };
        let pp = lang.pick("p.e.", "pp").to_string();
        let note = match (a, b, d.diff, d.low, d.high) {
            (Some(_), Some(_), Some(diff), Some(lo), Some(hi)) => format!(
                "{}{} {pp} ({} – {})",
                if diff >= 0.0 { "+" } else { "" },
                number(diff * 100.0, 1, lang),
                number(lo * 100.0, 1, lang),
                number(hi * 100.0, 1, lang)
            ),
            _ => lang.pick("för få för att jämföra", "too few to compare").to_string(),
        };
        rows.push(DumbbellRow { label, a, b, note });
    }
    // The later period against the earlier, as the comparison tables say it.
    let title = format!("{}: {} {} {}", o.measure.label(lang), labels.1, lang.pick("mot", "against"), labels.0);
    let subtitle = format!(
        "{} · {}",
        describe(model, &Cohort { period: None, ..o.cohort.clone() }, lang)?,
        lang.pick("förändring med 95 % intervall (Newcombe), i procentenheter", "change with 95% interval (Newcombe), in percentage points")
    );
    let body = if rows.is_empty() {
        no_participants(lang)
    } else {
        Body::Dumbbell { rows, a_label: labels.0, b_label: labels.1, x_label: lang.pick("Andel av avslutade (%)", "Share of exits (%)").to_string() }
    };
    Ok((title, subtitle, body))
}

fn cost_outcome(model: &Model, o: &ChartOptions, p: &Protector) -> Result<Parts> {
    let lang = o.lang;
    let title = lang
        .pick("Kostnad per positivt utfall mot andel i arbete eller studier", "Cost per positive outcome against share in work or studies")
        .to_string();
    // Under suppression the cost table's positive outcomes are not published (`published_outcomes`): they
    // are the report's work or studies, which its audit hides where needed, and the exact kronor divided by
    // a bubble's height gave them back (an attack read 1–4 exits to studies off a chart of the men beside the
    // report). So no cost per positive outcome is drawn then, and the chart says why.
    if p.protection() == Protection::Suppression {
        let message = lang.pick(
            "Kostnad per positivt utfall visas inte vid undertryckning (antalet positiva utfall publiceras inte)",
            "Cost per positive outcome is not shown under suppression (the number of positive outcomes is not published)",
        );
        return Ok((title, describe(model, &o.cohort, lang)?, Body::Empty { message: message.to_string() }));
    }
    let mut points = Vec::new();
    let mut hidden = 0;
    let shown = interventions(model, &o.cohort)?;
    let ids: Vec<String> = shown.iter().map(|(id, _)| id.clone()).collect();
    for ((id, label), report) in shown.into_iter().zip(standard_reports_by_intervention(model, &o.cohort, &ids)?) {
        let c = with_intervention(&o.cohort, &id);
        let costs = unit_costs(model, &c)?;
        let actual: f64 = costs.iter().map(|u| u.actual_sek).sum();
        let positive = p.count(costs.iter().map(|u| u.positive_outcomes).sum::<Tally>()).shown().filter(|&k| k >= 5 || p.is_raw());
        let published = published_report_share(&report, Measure::WorkOrStudies, p);
        let share = published.share.and_then(|s| s.p);
        // Bubbles are sized by the published number of enrolments.
        let enrolments = p.count(report.enrolments).shown().unwrap_or(0);
        match (share, positive) {
            (Some(share), Some(k)) if k > 0 && actual > 0.0 => {
                points.push(Bubble { label, share, cost: actual / k as f64, participants: enrolments })
            }
            // Counted as hidden only where something was published (n not 0): decided on published values.
            (None, _) | (_, None) if published.n != Cell::Shown(0) => hidden += 1,
            _ => {}
        }
    }
    let mut subtitle = format!(
        "{} · {}",
        describe(model, &o.cohort, lang)?,
        lang.pick(
            "bubblans yta visar antal inskrivningar; positivt utfall = arbete eller studier efter avslut",
            "bubble area shows enrolments; positive outcome = work or studies after exit"
        )
    );
    if hidden > 0 {
        subtitle.push_str(&format!(
            " · {hidden} {}",
            lang.pick("insatser med för få utfall visas inte", "interventions with too few outcomes not shown")
        ));
    }
    let body = if points.is_empty() {
        no_participants(lang)
    } else {
        Body::Bubbles {
            points,
            x_label: lang.pick("Andel i arbete eller studier efter avslut (%)", "Share in work or studies after exit (%)").to_string(),
            y_label: lang.pick("Kostnad per positivt utfall (kr)", "Cost per positive outcome (SEK)").to_string(),
        }
    };
    Ok((title, subtitle, body))
}

fn funding(model: &Model, o: &ChartOptions) -> Result<Parts> {
    let lang = o.lang;
    // Money is known per federation and year: the interventions of the cohort do not narrow it.
    let paid = contributions_by_year(model, &Cohort { interventions: Vec::new(), ..o.cohort.clone() })?;
    let years: Vec<i32> = paid.iter().map(|y| y.year).collect();
    let values: [Vec<f64>; 3] =
        [paid.iter().map(|y| y.state).collect(), paid.iter().map(|y| y.region).collect(), paid.iter().map(|y| y.municipalities).collect()];
    let names = [
        lang.pick("Staten (FK/AF)", "The state (FK/AF)").to_string(),
        lang.pick("Regionen", "The region").to_string(),
        lang.pick("Kommunerna", "The municipalities").to_string(),
    ];
    let series: Vec<(String, Vec<f64>)> = names.into_iter().zip(values).collect();
    let title = lang.pick("Medlemmarnas insatser per år", "Members' contributions per year").to_string();
    let subtitle = format!(
        "{} · {}",
        describe_money(model, &Cohort { interventions: Vec::new(), ..o.cohort.clone() }, lang)?,
        lang.pick("svarta streck: 50/25/25-fördelningen (50 % och 75 % av året)", "black marks: the 50/25/25 split (50% and 75% of the year)")
    );
    let body = if years.is_empty() {
        Body::Empty { message: lang.pick("Inga insatta medel i urvalet", "No contributions in the selection").to_string() }
    } else {
        Body::StackedYears {
            years,
            series,
            reference: vec![(0.5, lang.pick("Fördelning 50/25/25", "The 50/25/25 split").to_string()), (0.75, String::new())],
            y_label: lang.pick("Kronor per år", "SEK per year").to_string(),
        }
    };
    Ok((title, subtitle, body))
}

fn budget(model: &Model, o: &ChartOptions) -> Result<Parts> {
    let lang = o.lang;
    let lines = budget_by_year(model, &o.cohort)?;
    let years: Vec<i32> = lines.iter().map(|y| y.year).collect();
    let title = lang.pick("Budget och utfall per år", "Budget and actual per year").to_string();
    let subtitle = format!("{} · {}", describe_money(model, &o.cohort, lang)?, lang.pick("alla finansiärer", "all financiers"));
    let body = if years.is_empty() {
        Body::Empty { message: lang.pick("Ingen budget i urvalet", "No budget in the selection").to_string() }
    } else {
        let (budget, actual) = (lines.iter().map(|y| y.budget).collect(), lines.iter().map(|y| y.actual).collect());
        Body::BudgetActual { years, budget, actual, y_label: lang.pick("Kronor", "SEK").to_string() }
    };
    Ok((title, subtitle, body))
}

/// The longest follow-up a survival chart draws, in months.
const MAX_CHART_MONTHS: u32 = 60;

/// A cohort's curve as published, and whether a reader may be told it has nobody: under perturbation when
/// its size is published as 0 (a true 1–4 is published as 0 too), under suppression and raw when it is 0
/// (zeros are shown).
fn curve_series(model: &Model, c: &Cohort, label: String, o: &ChartOptions, p: &Protector) -> Result<(CurveSeries, bool)> {
    let (observations, unobserved) = durations_with_unobserved(model, c, o.event)?;
    let curve = Curve::fit_observations(&observations);
    let never_at_risk: Tally = unobserved.iter().map(|u| Tally::unit(u.key)).sum();
    // The legend's n is the cohort's, as in the survival heading and the report.
    let all: Tally = observations.iter().chain(&unobserved).map(|u| Tally::unit(u.key)).sum();
    let shown = o.event == Event::Exit || p.self_support_may_be_shown();
    let steps = if !shown {
        Vec::new()
    } else if p.is_raw() {
        curve.steps.iter().filter(|s| s.events > 0).map(|s| (s.time / DAYS_PER_MONTH, s.survival, s.low, s.high)).collect()
    } else {
        // A board sees the curve month by month, where the layer allows it (no step of 1–4 people), as far as
        // the filters allow: from the period's first day to the data's end. (Drawn to the longest true stay,
        // its length said whether anyone in the cohort stayed past a month the table shows at a share
        // published above 0.)
        let months: Vec<u32> = (1..=chart_horizon_months(model, c)?).collect();
        p.survival(&observations, never_at_risk, &curve, &months)
            .into_iter()
            .filter_map(|m| m.survival.map(|(s, low, high)| (f64::from(m.month), s, low, high)))
            .collect()
    };
    let events: Tally = observations.iter().chain(&unobserved).filter(|u| u.event).map(|u| Tally::unit(u.key)).sum();
    let (n, _) = crate::present::published::time_to_event_counts(model, c, o.event, all, events, p)?;
    let nobody = if p.protection() == crate::disclosure::Protection::Perturbation { n == Cell::Shown(0) } else { all.n == 0 };
    Ok((CurveSeries { label: format!("{label} ({})", n_note(n, o.lang)), steps }, nobody))
}

/// How many months a protected survival curve may run, on the filters alone: from the period's first day to
/// the data's end (every month up to `MAX_CHART_MONTHS` without a period).
fn chart_horizon_months(model: &Model, c: &Cohort) -> Result<u32> {
    let resolved = c.resolve(model)?;
    Ok(resolved.period.map_or(MAX_CHART_MONTHS, |period| {
        let days = (resolved.data_end - period.start).num_days().max(0) as f64;
        ((days / DAYS_PER_MONTH).ceil() as u32).clamp(1, MAX_CHART_MONTHS)
    }))
}

fn survival(model: &Model, o: &ChartOptions, p: &Protector) -> Result<Parts> {
    let lang = o.lang;
    let mut curves = Vec::new();
    if let (Some(first), Some(second)) = (&o.cohort.period, &o.vs) {
        for period in [first, second] {
            let c = Cohort { period: Some(period.clone()), ..o.cohort.clone() };
            let label = c.resolve(model)?.period.map(|p| p.label).unwrap_or_else(|| period.clone());
            curves.push(curve_series(model, &c, label, o, p)?);
        }
    } else if o.cohort.interventions.len() > 1 {
        if o.cohort.interventions.len() > MAX_CURVES {
            return Err(FinsamError::invalid(format!(
                "a survival chart shows at most {MAX_CURVES} cohorts; {} interventions were given",
                o.cohort.interventions.len()
            )));
        }
        for (id, label) in interventions(model, &o.cohort)? {
            curves.push(curve_series(model, &with_intervention(&o.cohort, &id), label, o, p)?);
        }
    } else {
        curves.push(curve_series(model, &o.cohort, describe(model, &o.cohort, lang)?, o, p)?);
    }
    // "No participants" only where every cohort may be said to have nobody; a cohort with people whose curve
    // the layer does not show says so.
    let nobody = curves.iter().all(|(_, nobody)| *nobody);
    let curves: Vec<CurveSeries> = curves.into_iter().map(|(c, _)| c).filter(|c| !c.steps.is_empty()).collect();
    let (title, y_label) = match o.event {
        Event::Exit => (
            lang.pick("Andel kvar i insatsen", "Share still in the intervention").to_string(),
            lang.pick("Andel kvar (%)", "Share remaining (%)").to_string(),
        ),
        Event::SelfSupport => (
            lang.pick("Andel ännu utan egen försörjning", "Share not yet self-supporting").to_string(),
            lang.pick("Andel utan egen försörjning (%)", "Share not self-supporting (%)").to_string(),
        ),
    };
    let subtitle = format!(
        "{} · {}",
        describe(model, &Cohort { period: None, ..o.cohort.clone() }, lang)?,
        lang.pick("Kaplan–Meier med 95 % intervall", "Kaplan–Meier with 95% interval")
    );
    let body = if o.event == Event::SelfSupport && !p.self_support_may_be_shown() {
        Body::Empty {
            message: lang
                .pick(
                    "Tid till egen försörjning visas inte vid undertryckning (standardskyddet visar den)",
                    "Time to self-support is not shown under suppression (the default protection shows it)",
                )
                .to_string(),
        }
    } else if curves.is_empty() && nobody {
        no_participants(lang)
    } else if curves.is_empty() {
        Body::Empty {
            message: lang
                .pick(
                    "Kurvan visas inte: för få personer för att visa den utan att röja små antal",
                    "Not shown: too few people to show the curve without revealing small counts",
                )
                .to_string(),
        }
    } else {
        Body::Curves { curves, x_label: lang.pick("Månader sedan inskrivning", "Months since enrolment").to_string(), y_label }
    };
    Ok((title, subtitle, body))
}

fn transitions(model: &Model, o: &ChartOptions, p: &Protector) -> Result<Parts> {
    let lang = o.lang;
    let r = standard_report(model, &o.cohort)?;
    // One published report for the matrix and the exits (under suppression its audit runs once).
    let published = crate::present::published::PublishedReport::of(&r, p);
    let (befores, afters, grid) = crate::present::render::published_transitions(&r, &published);
    let title = lang.pick("Försörjning före och efter insatsen", "Support before and after the intervention").to_string();
    let exits = match published.exits {
        Cell::Shown(n) => number(n as f64, 0, lang),
        hidden => hidden.to_string(),
    };
    let subtitle = format!("{} · {exits} {}", describe(model, &o.cohort, lang)?, lang.pick("avslutade", "exits"));
    let body = if befores.is_empty() || afters.is_empty() {
        no_participants(lang)
    } else {
        Body::Heatmap {
            rows: befores.iter().map(|s| s.label(lang).to_string()).collect(),
            cols: afters.iter().map(|s| s.label(lang).to_string()).collect(),
            cells: grid.cells,
            row_label: lang.pick("Före ↓", "Before ↓").to_string(),
            col_label: lang.pick("Efter →", "After →").to_string(),
        }
    };
    Ok((title, subtitle, body))
}

fn pyramid(model: &Model, o: &ChartOptions, p: &Protector) -> Result<Parts> {
    let lang = o.lang;
    let r = standard_report(model, &o.cohort)?;
    // The report's own grid as published (under suppression audited with the rest of the report).
    let grid = crate::present::published::PublishedReport::of(&r, p).sex_age;
    let enrolments = match grid.total {
        Cell::Shown(n) => number(n as f64, 0, lang),
        hidden => hidden.to_string(),
    };
    let title = lang.pick("Inskrivningar efter kön och ålder", "Enrolments by sex and age").to_string();
    let subtitle = format!(
        "{} · {enrolments} {} · {}",
        describe(model, &o.cohort, lang)?,
        lang.pick("inskrivningar", "enrolments"),
        lang.pick("ålder vid inskrivning", "age at enrolment")
    );
    // "No participants" only when the published total is 0: a true 1–4 is published as 0 or 5 too.
    let body = if grid.total == Cell::Shown(0) {
        no_participants(lang)
    } else {
        Body::Pyramid {
            bands: r.by_sex_age.iter().map(|c| c.band.to_string()).collect(),
            women: grid.cells.iter().map(|c| c[0]).collect(),
            men: grid.cells.iter().map(|c| c[1]).collect(),
        }
    };
    Ok((title, subtitle, body))
}
