//! What the board report shows, gathered from the protected outputs of the analyses (the same tables the
//! CLI prints and Python returns), so every number in the HTML is a number those outputs publish.

use serde::Serialize;

use super::summary::{cost_figure, exits_figure, share_figure, ComparedCost, ComparedShare, KeyFigure};
use super::BoardRequest;
use crate::analysis::cohort::resolve_period;
use crate::analysis::{Cohort, Period};
use crate::charts::build::ChartOptions;
use crate::codes::Lang;
use crate::disclosure::Protection;
use crate::disclosure::Protector;
use crate::error::{FinsamError, Result};
use crate::format;
use crate::model::Model;
use crate::plugins::chart_by_name;
use crate::present::outputs::{compare_output, costs_output, report_output, Output};
use crate::table::Table;

/// Board papers are public: always the default protection, never raw.
const PROTECTION: Protection = Protection::Perturbation;

#[derive(Debug, Serialize)]
pub struct TableView {
    pub title: String,
    pub columns: Vec<String>,
    /// Per column: numbers (aligned right) or text (aligned left).
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct ChartView {
    pub title: String,
    /// The chart as inline SVG (drawn by finsam, not user text).
    pub svg: String,
}

/// One intervention's pages.
#[derive(Debug, Serialize)]
pub struct Part {
    pub id: String,
    pub name: String,
    pub heading: String,
    pub tables: Vec<TableView>,
    pub charts: Vec<ChartView>,
}

#[derive(Debug, Serialize)]
pub struct Definition {
    pub term: String,
    pub text: String,
}

/// Everything a template can show.
#[derive(Debug, Serialize)]
pub struct Page {
    pub lang: &'static str,
    pub title: String,
    pub federation: String,
    pub interventions: Vec<String>,
    pub period_a: String,
    pub period_b: String,
    pub data_end: String,
    pub source: String,
    pub synthetic: bool,
    pub synthetic_note: Option<String>,
    /// No participants in either period: the report says so instead of empty tables.
    pub empty: bool,
    /// What a reader must know before reading the numbers (a period that runs past the data's end).
    pub warnings: Vec<String>,
    pub summary: Vec<KeyFigure>,
    pub overview: Vec<TableView>,
    pub overview_charts: Vec<ChartView>,
    pub parts: Vec<Part>,
    pub money: Vec<TableView>,
    pub money_charts: Vec<ChartView>,
    /// The socio-economic calculation of the later period, when the plugin is present.
    pub socioeconomic: Option<super::socioeconomic::SocioEconomicView>,
    pub legend: String,
    pub definitions: Vec<Definition>,
    pub method: Vec<String>,
    pub t: PageWords,
}

pub fn page(model: &Model, request: &BoardRequest) -> Result<Page> {
    let lang = request.lang;
    let (a, b) = (resolve_period(model, &request.period)?, resolve_period(model, &request.vs)?);
    let base = Cohort { federations: vec![request.federation.clone()], interventions: request.interventions.clone(), ..Default::default() };
    // Checks the federation and the interventions (unknown names list the known ones).
    base.resolve(model)?;
    let federation = federation_name(model, &request.federation)?;
    let in_period = |p: &str| Cohort { period: Some(p.to_string()), ..base.clone() };
    let (cohort_a, cohort_b) = (in_period(&request.period), in_period(&request.vs));
    check_interventions_of(model, &request.federation, &request.interventions)?;
    let interventions = interventions(model, &request.federation, &request.interventions, &[(a.start, a.end), (b.start, b.end)])?;
    let empty = interventions.is_empty();
    let end = crate::analysis::cohort::data_end(model)?;
    let data_end = end.to_string();
    let warnings = [&a, &b].into_iter().filter(|p| p.end > end).map(|p| past_the_data(&p.label, &data_end, lang)).collect();

    let (summary, overview, overview_charts, parts) = if empty {
        Default::default()
    } else {
        let (summary, overview, overview_charts) = overview_of(model, (&cohort_a, &cohort_b), (&a, &b), &request.vs, &data_end, lang)?;
        // One part per intervention, on two connections at once (the machine's cores; a part is a few
        // reports, a comparison and a chart). The parts keep the order of the interventions.
        let half = interventions.len().div_ceil(2);
        let (first, second) = interventions.split_at(half);
        let (ca, cb) = (&cohort_a, &cohort_b);
        let (mut parts, theirs) = model.both(|m| parts_of(m, first, ca, cb, lang), |m| parts_of(m, second, ca, cb, lang))?;
        parts.extend(theirs);
        (summary, overview, overview_charts, parts)
    };
    let (money, money_charts) = money_of(model, request, (&a, &b), lang)?;
    let socioeconomic = if empty { None } else { super::socioeconomic::section(model, &cohort_b, lang, PROTECTION)? };
    let synthetic = model.is_synthetic()?;
    let synthetic_note = if synthetic { Some(synthetic_note(model, lang)?) } else { None };
    let source = model.path().and_then(|p| p.file_name()).map(|f| f.to_string_lossy().to_string()).unwrap_or_else(|| "finsam".into());
    let t = PageWords::new(lang);
    let title = format!("{} {}: {} {} {}", t.report, federation, b.label, t.against, a.label);
    Ok(Page {
        lang: lang.pick("sv", "en"),
        title,
        federation,
        interventions: interventions.into_iter().map(|(_, name)| name).collect(),
        period_a: a.label,
        period_b: b.label,
        data_end,
        source,
        synthetic,
        synthetic_note,
        empty,
        warnings,
        summary,
        overview,
        overview_charts,
        parts,
        money,
        money_charts,
        socioeconomic,
        legend: Protector::new(model, PROTECTION)?.legend(lang).unwrap_or_default(),
        definitions: definitions(lang),
        method: method(lang),
        t,
    })
}

/// The federation's key figures, its comparison tables and the periods' chart.
fn overview_of(
    model: &Model,
    (cohort_a, cohort_b): (&Cohort, &Cohort),
    (a, b): (&Period, &Period),
    vs: &str,
    data_end: &str,
    lang: Lang,
) -> Result<(Vec<KeyFigure>, Vec<TableView>, Vec<ChartView>)> {
    let comparison = compare_output(model, cohort_a, cohort_b, lang, PROTECTION)?;
    let rows = ComparedShare::rows(comparison.section("comparison").ok_or_else(|| FinsamError::Internal("a comparison without its table".into()))?)?;
    let mut summary = Vec::new();
    if let Some(first) = rows.first() {
        summary.push(exits_figure(first, &a.label, &b.label, data_end, lang));
    }
    // The outcome shares (all but "still enrolled", which is no outcome of an exit).
    for row in rows.iter().take(4) {
        summary.push(share_figure(row, &a.label, &b.label, lang));
    }
    if let Some(costs) = comparison.section("cost_comparison") {
        if let Some(row) = ComparedCost::first(costs)? {
            summary.extend(cost_figure(&row, &a.label, &b.label, lang));
        }
    }
    let overview = tables(&comparison, lang, &["comparison", "cost_comparison"])?;
    let mut options = ChartOptions::new(cohort_a.clone());
    options.vs = Some(vs.to_string());
    options.lang = lang;
    Ok((summary, overview, vec![chart(model, "periods", &options)?]))
}

/// The money over both periods (from the first start to the last end): its tables and charts.
fn money_of(model: &Model, request: &BoardRequest, (a, b): (&Period, &Period), lang: Lang) -> Result<(Vec<TableView>, Vec<ChartView>)> {
    let span = format!("{}..{}", a.start.min(b.start), a.end.max(b.end));
    let money_cohort = Cohort {
        federations: vec![request.federation.clone()],
        interventions: request.interventions.clone(),
        period: Some(span),
        ..Default::default()
    };
    let costs = costs_output(model, &money_cohort, lang, PROTECTION)?;
    let money = tables(&costs, lang, &["funding_shares", "budget", "administration", "unit_costs"])?;
    let mut options = ChartOptions::new(money_cohort);
    options.lang = lang;
    Ok((money, vec![chart(model, "funding", &options)?, chart(model, "budget", &options)?]))
}

/// What the data is, when it is synthetic, in the page's language.
fn synthetic_note(model: &Model, lang: Lang) -> Result<String> {
    model.synthetic_note(lang)
}

/// A period that runs past the data's end: its later enrolments and their outcomes are not in the data yet.
fn past_the_data(period: &str, data_end: &str, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!(
            "Perioden {period} sträcker sig förbi datans slut ({data_end}): inskrivningar och utfall efter det datumet saknas, \
             och fler av periodens deltagare är fortfarande inskrivna. Jämför med försiktighet."
        ),
        Lang::En => format!(
            "The period {period} runs past the data's end ({data_end}): enrolments and outcomes after that date are missing, \
             and more of the period's participants are still enrolled. Compare with care."
        ),
    }
}

/// The parts of some interventions (one model: one connection, one thread).
fn parts_of(model: &Model, interventions: &[(String, String)], cohort_a: &Cohort, cohort_b: &Cohort, lang: Lang) -> Result<Vec<Part>> {
    let mut parts = Vec::with_capacity(interventions.len());
    for (id, name) in interventions {
        let one = |c: &Cohort| Cohort { interventions: vec![id.clone()], ..c.clone() };
        let report = report_output(model, &one(cohort_b), lang, PROTECTION)?;
        let compared = compare_output(model, &one(cohort_a), &one(cohort_b), lang, PROTECTION)?;
        let mut part_tables = tables(&report, lang, &["sex_age", "outcomes", "days"])?;
        part_tables.extend(tables(&compared, lang, &["comparison", "cost_comparison"])?);
        let mut options = ChartOptions::new(one(cohort_b));
        options.lang = lang;
        parts.push(Part {
            id: id.clone(),
            name: name.clone(),
            heading: report.heading.clone(),
            tables: part_tables,
            charts: vec![chart(model, "pyramid", &options)?],
        });
    }
    Ok(parts)
}

/// The chosen sections of an output by their ids, formatted for the page.
pub(super) fn tables(output: &Output, lang: Lang, which: &[&str]) -> Result<Vec<TableView>> {
    which
        .iter()
        .map(|id| {
            let s = output
                .section(id)
                .ok_or_else(|| FinsamError::Internal(format!("the board report wants the table '{id}', which the output does not have")))?;
            view(&s.title, &s.shown, lang)
        })
        .collect()
}

fn view(title: &str, table: &Table, lang: Lang) -> Result<TableView> {
    let columns = table.column_names();
    // A comparison's difference and its interval are in percentage points, not percent.
    let difference = columns.iter().position(|c| c == "skillnad" || c == "difference");
    let rows = table
        .rows_as_text()?
        .into_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, v)| match (difference, v.parse::<f64>()) {
                    (Some(d), Ok(x)) if (d..d + 3).contains(&i) => format::points_short(x, lang),
                    _ => format::cell(v, &columns[i], lang),
                })
                .collect()
        })
        .collect();
    // "lägre 95 %" must not break before its "%".
    let columns = columns.into_iter().map(|c| c.replace(" %", "\u{a0}%")).collect();
    let numeric = table.schema().fields().iter().map(|f| f.data_type().is_numeric()).collect();
    Ok(TableView { title: title.to_string(), columns, numeric, rows })
}

fn chart(model: &Model, kind: &str, options: &ChartOptions) -> Result<ChartView> {
    let drawn = chart_by_name(model, kind, options)?;
    Ok(ChartView { title: drawn.title.clone(), svg: drawn.to_svg()? })
}

fn federation_name(model: &Model, id: &str) -> Result<String> {
    let names = model.query_rows("SELECT name FROM finsam_federation WHERE federation_id = ?", &[&id], |r| r.get::<_, String>(0))?;
    names.into_iter().next().ok_or_else(|| FinsamError::invalid(format!("unknown federation '{id}'")))
}

/// The interventions of the federation (or the ones asked for) whose consenting enrolments that started in
/// either period are published as more than 0, by name. Decided on the published counts: an intervention
/// with 1–4 such enrolments, shown with a part of its own, would say that it had some.
fn interventions(
    model: &Model,
    federation: &str,
    asked: &[String],
    periods: &[(chrono::NaiveDate, chrono::NaiveDate); 2],
) -> Result<Vec<(String, String)>> {
    let rows = crate::analysis::starts::consenting_starts(model, federation, periods)?;
    let p = Protector::new(model, PROTECTION)?;
    let mut shown: Vec<(String, String)> = Vec::new();
    for crate::analysis::starts::InterventionStarts { id, name, starts, .. } in rows {
        let published = p.count(starts).shown().unwrap_or(0) > 0;
        if published && (asked.is_empty() || asked.contains(&id)) && !shown.iter().any(|(i, _)| *i == id) {
            shown.push((id, name));
        }
    }
    Ok(shown)
}

/// Interventions asked for must be the federation's own (another federation's would make an empty report).
fn check_interventions_of(model: &Model, federation: &str, asked: &[String]) -> Result<()> {
    let own = model.query_rows("SELECT intervention_id FROM finsam_intervention WHERE federation_id = ? ORDER BY 1", &[&federation], |r| {
        r.get::<_, String>(0)
    })?;
    match asked.iter().find(|id| !own.contains(id)) {
        Some(id) => Err(FinsamError::Unknown { what: "intervention of this federation", name: id.clone(), known: own }),
        None => Ok(()),
    }
}

fn definitions(lang: Lang) -> Vec<Definition> {
    let d = |term: &str, text: &str| Definition { term: term.into(), text: text.into() };
    match lang {
        Lang::Sv => vec![
            d("Arbete eller studier efter avslut", "Andelen av dem som avslutat insatsen som direkt efter hade förvärvsarbete eller studerade."),
            d("Började eller ökade arbete/studier", "Andelen avslutade som gick till arbete eller studier utan att ha haft det före, eller med högre omfattning än före."),
            d("Egen försörjning efter avslut", "Andelen avslutade som efter avslut inte hade offentlig försörjning (a-kassa, sjukpenning, aktivitets- eller sjukersättning, försörjningsstöd)."),
            d("Osubventionerat arbete efter avslut", "Andelen avslutade i förvärvsarbete utan lönesubvention."),
            d("Kronor per deltagarår", "Faktiska kostnader (alla finansiärer) delat med antalet deltagare som var inskrivna någon gång under året, summerat över åren."),
        ],
        Lang::En => vec![
            d("Work or studies after exit", "The share of those who left the intervention who were in paid work or studies right after."),
            d("Started or increased work/studies", "The share of exits who went to work or studies without having it before, or to more of it than before."),
            d("Self-supporting after exit", "The share of exits without public support after exit (unemployment insurance, sickness benefits, activity or sickness compensation, social assistance)."),
            d("Unsubsidised work after exit", "The share of exits in paid work without a wage subsidy."),
            d("SEK per participant-year", "Actual costs (all financiers) divided by the participants enrolled at some time in the year, summed over the years."),
        ],
    }
}

fn method(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Sv => vec![
            "Perioderna jämförs på de inskrivningar som började under respektive period; utfallen gäller dem som avslutat insatsen när data tar slut.".into(),
            "Andelar visas med 95 % konfidensintervall (Wilson). Skillnader mellan perioderna visas med 95 % intervall enligt Newcombe och p-värde från z-test för två andelar. En skillnad kallas statistiskt säkerställd när intervallet inte innehåller noll.".into(),
            "Alla antal är skyddade för att inga enskilda personer ska kunna pekas ut (se förklaringen nedan); andelar och intervall är beräknade på de skyddade antalen.".into(),
        ],
        Lang::En => vec![
            "The periods are compared on the enrolments that started in each; outcomes are those of the people who had left by the data's end.".into(),
            "Shares are shown with 95% confidence intervals (Wilson). Differences between the periods have Newcombe's 95% interval and the p-value of the two-proportion z-test. A difference is called significant when its interval leaves out zero.".into(),
            "Every count is protected so that no individual can be singled out (see the note below); shares and intervals are computed from the protected counts.".into(),
        ],
    }
}

/// The page's fixed words in the chosen language (templates use `t.NAME`; a federation's own template may
/// write its own words instead).
#[derive(Debug, Serialize)]
pub struct PageWords {
    pub report: &'static str,
    pub against: &'static str,
    pub summary: &'static str,
    pub federation_overview: &'static str,
    pub interventions: &'static str,
    pub periods: &'static str,
    pub data_end: &'static str,
    pub source: &'static str,
    pub synthetic: &'static str,
    pub money: &'static str,
    pub socioeconomic: &'static str,
    pub assumptions: &'static str,
    pub appendix: &'static str,
    pub definitions: &'static str,
    pub method: &'static str,
    pub protection: &'static str,
    pub empty: &'static str,
    pub contents: &'static str,
}

impl PageWords {
    fn new(lang: Lang) -> PageWords {
        match lang {
            Lang::Sv => PageWords {
                report: "Styrelserapport",
                against: "mot",
                summary: "Sammanfattning",
                federation_overview: "Förbundet som helhet",
                interventions: "Insatser",
                periods: "Perioder",
                data_end: "Data till och med",
                source: "Källa",
                synthetic: "OBS!",
                money: "Ekonomi",
                socioeconomic: "Samhällsekonomisk kalkyl",
                assumptions: "Den samhällsekonomiska kalkylens antaganden",
                appendix: "Bilaga",
                definitions: "Definitioner",
                method: "Metod",
                protection: "Skydd av enskilda personer",
                empty: "Inga deltagare började någon insats under perioderna.",
                contents: "Innehåll",
            },
            Lang::En => PageWords {
                report: "Board report",
                against: "against",
                summary: "Summary",
                federation_overview: "The federation as a whole",
                interventions: "Interventions",
                periods: "Periods",
                data_end: "Data until",
                source: "Source",
                synthetic: "Note:",
                money: "Money",
                socioeconomic: "Socio-economic calculation",
                assumptions: "The socio-economic calculation's assumptions",
                appendix: "Appendix",
                definitions: "Definitions",
                method: "Method",
                protection: "Protecting individuals",
                empty: "No participants started an intervention in the periods.",
                contents: "Contents",
            },
        }
    }
}
