//! The national follow-up export: what a federation reports to Uppföljning Finsam, the national system
//! that replaced SUS in 2023, per federation, intervention and year, as one workbook (or CSV):
//!
//! - **Insatser**: per intervention and year, its kind (individual or structural), orientation and target
//!   group; participants by sex who started, ended and took part during the year; anonymous participants
//!   (counted without consent or reached by structural work) by sex; budget and actual by financier (state,
//!   municipalities, region, federation, ESF, others) and in total. Administration is a row of its own per
//!   federation and year (lines of the category administration, and the federation's own office).
//! - **Finansiering**: per federation and year, what each kind of member paid in (state, region,
//!   municipalities) and the equity at the start of the year where it is recorded.
//!
//! A second exporter, `sus-rapport`, writes SUS's standard participant report for a cohort in SUS's
//! layout (see `sus`).
//!
//! The fields are those the founding documents list for Uppföljning Finsam and for SUS's insats and cost
//! reports; the column names are finsam's Swedish rendering of them. Every count of people is protected by
//! the core (cell-key perturbation by default) like any other output.

mod columns;
mod sus;

use std::collections::BTreeMap;

use finsam_plugin::{ArgSpec, Args, Context, Exporter, Lang, Output, Param, Plugin, PluginError, Registrar, Rows, Section, Tally, Term, Value};

pub struct UppfoljningPlugin;

impl Plugin for UppfoljningPlugin {
    fn name(&self) -> &'static str {
        "uppfoljning"
    }
    fn description(&self) -> &'static str {
        "The national follow-up export (Uppföljning Finsam): per intervention and year, participants by sex and money by financier"
    }
    fn register(&self, registrar: &mut Registrar) {
        registrar.exporter(UppfoljningExport);
        registrar.exporter(sus::SusReport);
    }
}

struct UppfoljningExport;

/// The money of one row: budget and actual per financier column.
type Money = BTreeMap<&'static str, (f64, f64)>;

/// The counts of one intervention and year, by measure and sex (0 women, 1 men).
#[derive(Default)]
struct Counts {
    started: [Tally; 2],
    ended: [Tally; 2],
    active: [Tally; 2],
    anonymous: [Tally; 2],
    /// The year's enrolments still open at the data's end (a report of the year, counted by overlap, calls
    /// them "still enrolled").
    open: Tally,
    /// Enrolments that started in the year and are still open at the data's end, by sex (a report of the
    /// year's starters calls them "still enrolled").
    open_started: [Tally; 2],
    /// Enrolments (not people) enrolled at some time in the year, by sex: the stock the flows add up to.
    active_enrolments: [Tally; 2],
}

/// The column of new women; then new men, ended women and men, active women and men (two each).
const STARTED: usize = 7;

impl Exporter for UppfoljningExport {
    fn name(&self) -> &'static str {
        "uppfoljning"
    }
    fn description(&self) -> &'static str {
        "Uppföljning Finsam: interventions per year (participants by sex, budget and actual by financier) and the federations' funding"
    }
    fn args(&self) -> Vec<ArgSpec> {
        vec![
            ArgSpec::integer("year", "Only this year (default: every year with participants or money)").optional(),
            ArgSpec::text("federation_id", "Only this federation (default: every federation in the database)").optional(),
        ]
    }
    fn uses_cohort(&self) -> bool {
        false
    }
    fn export(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError> {
        let year = args.get("year").map(|_| args.integer("year")).transpose()?;
        let federation = args.get("federation_id").map(|_| args.text("federation_id").map(str::to_string)).transpose()?;
        if let Some(f) = &federation {
            let known = Rows::new(ctx.query("SELECT federation_id FROM finsam_federation ORDER BY 1", &[])?).texts("federation_id")?;
            if !known.iter().flatten().any(|k| k == f) {
                let list: Vec<String> = known.into_iter().flatten().collect();
                return Err(PluginError::new(format!("unknown federation '{f}': expected one of {}", list.join(", "))));
            }
        }
        let lang = ctx.lang();
        let interventions = interventions(ctx, federation.as_deref(), lang)?;
        // Every year's counts: a year's export is the all-years table audited whole, with the other years'
        // rows audited but not printed, so that a year's cells are published alike in every export and the
        // yearly exports together give away no more than the all-years one.
        let counts = counts(ctx)?;
        let money = money(ctx, year)?;
        // A row for every year of an intervention's life and every year with money, whether anyone took
        // part or not, and no other: a row that appeared only where someone did would say so even with
        // published 0s (for example an enrolment after an intervention's end added a row of 0s).
        let lifetime = interventions.iter().flat_map(|(id, info)| info.years.clone().map(move |y| (id.clone(), y)));
        let mut keys: Vec<(String, i64)> = lifetime.chain(money.keys().filter(|(i, _)| !i.starts_with(ADMIN)).cloned()).collect();
        keys.sort();
        keys.dedup();
        // People counted in a year outside those are a contradiction in the data (an enrolment before the
        // intervention's start or after its end, or anonymous counts of such a year): the export is refused,
        // naming them, rather than published with them left out or with a row that gives them away.
        let outside: Vec<String> = counts
            .keys()
            .filter(|(id, y)| interventions.contains_key(id) && keys.binary_search(&(id.clone(), *y)).is_err())
            .map(|(id, y)| {
                let info = &interventions[id];
                format!("{id} in {y} (the intervention runs {}–{})", info.years.start(), info.years.end())
            })
            .collect();
        if !outside.is_empty() {
            return Err(PluginError::new(format!(
                "people are counted outside their intervention's years: {}. Correct the intervention's start or end date \
                 (`intervention` table) or the enrolments and anonymous counts of those years, then export again",
                outside.join("; ")
            )));
        }
        let names = columns::interventions(lang);
        let mut section = Section::new(
            "interventions",
            lang.pick("Insatser per år", "Interventions per year"),
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        // Machines read the English headings as snake_case in either language (`started_women`, `budget_esf`).
        section.keys = finsam_plugin::machine_names(&columns::interventions(Lang::En));
        // New, exited, active and anonymous participants by sex: a report of the intervention-year publishes
        // each pair's sum, so under suppression no one of a pair is hidden alone.
        section.public_sums = vec![vec![7, 8], vec![9, 10], vec![11, 12], vec![13, 14]];
        let empty_counts = Counts::default();
        let mut before: Option<(String, Stock)> = None;
        let data_end_year = data_end_year_of(ctx);
        for (intervention, y) in keys {
            let Some(info) = interventions.get(&intervention) else { continue };
            if year.is_some_and(|only| only != y) {
                section.context_rows.push(section.rows.len());
            }
            let c = counts.get(&(intervention.clone(), y)).unwrap_or(&empty_counts);
            let mut row = vec![
                Value::Text(info.federation.clone()),
                Value::Text(intervention.clone()),
                Value::Text(info.name.clone()),
                Value::Integer(Some(y)),
                Value::Text(kind_label(&info.kind, lang).to_string()),
                Value::Text(info.orientation.clone()),
                Value::Text(info.target_group.clone()),
            ];
            // A report of the intervention-year (counted by overlap) hides its enrolments when 1–4 are still
            // enrolled; the active pair would give that total away, so it is not shown either where the
            // still-enrolled count is not published (suppression; an attack did it for three intervention-years).
            // The same for the year's starters: a report of them (by either sex or both) hides its enrolments
            // when 1–4 of them are still enrolled, and the new pair is those enrolments (an attack read 3 still
            // enrolled women off vuxenslussen 2023: 32 new here, 29 exits in the report).
            let active_hidden = ctx.published(c.open).is_none();
            let [w, m] = c.open_started;
            let started_hidden = [w, m, w + m].into_iter().any(|t| ctx.published(t).is_none());
            let row_index = section.rows.len();
            let mut terms = [[Term::Group(0); 4]; 2];
            for (k, pair) in [&c.started, &c.ended, &c.active, &c.anonymous].into_iter().enumerate() {
                let hidden_by_rule = (k == 0 && started_hidden) || (k == 2 && active_hidden);
                if hidden_by_rule {
                    row.extend([Value::Text("..".into()), Value::Text("..".into())]);
                } else {
                    row.extend(pair.iter().map(|t| Value::Count(*t)));
                }
                for sex in 0..2 {
                    // A pair not shown is a group the table does not print.
                    terms[sex][k] = if hidden_by_rule { section.group(pair[sex], false) } else { Term::Cell(row_index, STARTED + 2 * k + sex) };
                }
            }
            // A year after the data's end (a row for its money or anonymous counts) has no enrolments yet:
            // its stock and flows are not known, so nothing is carried into it.
            let last = before.take().filter(|(id, stock)| *id == intervention && stock.year + 1 == y).map(|(_, stock)| stock);
            if y <= data_end_year {
                let ends = [*info.years.start() == y, y == data_end_year];
                let shown = |t: Tally| ctx.published(t).is_some();
                before = Some((intervention.clone(), stock_and_flows(&mut section, c, y, &terms, last, ends, &shown)));
            }
            row.extend(money_values(money.get(&(intervention.clone(), y))));
            section.push(row);
        }
        // Administration: one row per federation and year.
        let mut admin: Vec<(&(String, i64), &Money)> = money.iter().filter(|((i, _), _)| i.starts_with(ADMIN)).collect();
        admin.sort_by(|a, b| a.0.cmp(b.0));
        for ((id, y), m) in admin {
            let federation_id = &id[ADMIN.len()..];
            if federation.as_deref().is_some_and(|f| f != federation_id) {
                continue;
            }
            let mut row = vec![
                Value::Text(federation_id.to_string()),
                Value::Text(String::new()),
                Value::Text(lang.pick("Styrning, ledning och administration", "Governance and administration").to_string()),
                Value::Integer(Some(*y)),
                Value::Text(String::new()),
                Value::Text(String::new()),
                Value::Text(String::new()),
            ];
            row.extend((0..8).map(|_| Value::Integer(None)));
            row.extend(money_values(Some(m)));
            section.push(row);
        }
        let funding = funding(ctx, year, federation.as_deref(), lang)?;
        let heading = match (lang, year) {
            (Lang::Sv, Some(y)) => format!("Uppföljning Finsam {y}"),
            (Lang::Sv, None) => "Uppföljning Finsam".to_string(),
            (Lang::En, Some(y)) => format!("National follow-up (Uppföljning Finsam) {y}"),
            (Lang::En, None) => "National follow-up (Uppföljning Finsam)".to_string(),
        };
        Ok(Output { heading, sections: vec![section, funding] })
    }
}

/// An intervention-year's enrolments during the year and its exits, by sex: what the next year's row is
/// tied to.
struct Stock {
    year: i64,
    /// Each sex's enrolments during the year (a group) and how many.
    during: [(Term, u64); 2],
    /// Each sex's exits in the year (a cell, or a group where the pair is not shown) and how many.
    ended: [(Term, u64); 2],
}

/// The identities of one row's stock and flows, by sex (`terms`: each sex's started, ended, active and
/// anonymous). The enrolments during a year are those carried over from the year before plus those who
/// started; those carried over are last year's less those who left (a group shared by the two rows), and
/// none in an intervention's first year. They are also the people active (each once) plus those enrolled
/// twice, whom a reader is taken to know (most are enrolled once, and guessing nobody twice is usually
/// right). An attack recovered 94 hidden counts, 18 of them 1–4, from one all-years export, and 92 from the
/// yearly ones, by these identities before the export was audited with them.
///
/// Reports of the intervention-year print some pairs' sums, how many are still enrolled, and their exits
/// (where `shown`: not 1–4): the year's starters (by sex, and both
/// together) are those still enrolled plus the exits a report of them prints, and so are the enrolments
/// during the year (a report counted by overlap). The still enrolled are groups of their own, so that no
/// new or active count shown here gives a small one away beside a report (an attack read 3 still enrolled
/// women off vuxenslussen 2023: 32 new here, 29 exits in the report).
fn stock_and_flows(
    section: &mut Section,
    c: &Counts,
    year: i64,
    terms: &[[Term; 4]; 2],
    before: Option<Stock>,
    [first_year, last_year]: [bool; 2],
    shown: &dyn Fn(Tally) -> bool,
) -> Stock {
    let less = |whole: u64, part: u64| Tally::new(whole.saturating_sub(part), 0);
    // Reports of the intervention-year print the new and the active pairs' sums, but not the starters'
    // while 1–4 of them are still enrolled, nor those during the year while 1–4 of those are, and the
    // anonymous counts; none a sum of 1–4. Those printed are known.
    let pair = |p: [Tally; 2]| shown(p[0] + p[1]);
    // The last year's exits are those of a report of the year counted by overlap (no later exits yet).
    let sums_printed = [pair(c.open_started) && pair(c.started), last_year && pair(c.ended), shown(c.open) && pair(c.active), pair(c.anonymous)];
    for (k, pair) in [c.started, c.ended, c.active, c.anonymous].into_iter().enumerate().filter(|(k, _)| sums_printed[*k]) {
        let sum = section.group(pair[0] + pair[1], true);
        section.identity(sum, &[terms[0][k], terms[1][k]]);
    }
    let mut stock = Stock { year, during: [(Term::Group(0), 0); 2], ended: [(Term::Group(0), 0); 2] };
    let mut still_terms = Vec::new();
    for (sex, &[started, ended, active, _]) in terms.iter().enumerate() {
        let during = c.active_enrolments[sex];
        let enrolments = section.group(during, false);
        let twice = section.group(less(during.n, c.active[sex].n), true);
        section.identity(enrolments, &[active, twice]);
        let carried_in = match &before {
            Some(last) => {
                let (last_during, last_n) = last.during[sex];
                let (left, left_n) = last.ended[sex];
                let carried = section.group(less(last_n, left_n), false);
                section.identity(last_during, &[left, carried]);
                carried
            }
            None => section.group(less(during.n, c.started[sex].n), first_year),
        };
        section.identity(enrolments, &[started, carried_in]);
        let still = section.group(c.open_started[sex], false);
        let exits = less(c.started[sex].n, c.open_started[sex].n);
        let left = section.group(exits, shown(exits));
        section.identity(started, &[still, left]);
        stock.during[sex] = (enrolments, during.n);
        stock.ended[sex] = (ended, c.ended[sex].n);
        still_terms.push(still);
    }
    let [w, m] = c.open_started;
    let still_both = section.group(w + m, false);
    section.identity(still_both, &still_terms);
    let [w, m] = c.active_enrolments;
    let during_both = section.group(w + m, false);
    section.identity(during_both, &[stock.during[0].0, stock.during[1].0]);
    let still_during = section.group(c.open, false);
    let exits = less((w + m).n, c.open.n);
    let left_during = section.group(exits, shown(exits));
    section.identity(during_both, &[still_during, left_during]);
    stock
}

/// The year of the data's end.
fn data_end_year_of(ctx: &dyn Context) -> i64 {
    ctx.data_end().get(..4).and_then(|y| y.parse().ok()).unwrap_or(i64::MAX)
}

/// The prefix of the money rows of a federation's administration (an intervention id never starts so).
const ADMIN: &str = "\u{0}admin:";

struct Intervention {
    federation: String,
    name: String,
    kind: String,
    orientation: String,
    target_group: String,
    /// The years it runs: from its start to its end or the data's end.
    years: std::ops::RangeInclusive<i64>,
}

fn interventions(ctx: &dyn Context, federation: Option<&str>, lang: Lang) -> Result<BTreeMap<String, Intervention>, PluginError> {
    let rows = Rows::new(ctx.query(
        "SELECT i.intervention_id, i.federation_id, i.name, i.kind, coalesce(i.orientation, '') AS orientation,
                coalesce(CASE WHEN ? = 'sv' THEN c.label_sv ELSE c.label_en END, i.target_group) AS target_group,
                year(i.start_date)::BIGINT AS first_year, year(least(coalesce(i.end_date, ?::DATE), ?::DATE))::BIGINT AS last_year
         FROM finsam_intervention i LEFT JOIN finsam_code_list c ON c.list = 'target_group' AND c.code = i.target_group
         WHERE ?::VARCHAR IS NULL OR i.federation_id = ?::VARCHAR",
        &[
            Param::Text(lang.pick("sv", "en").to_string()),
            Param::Text(ctx.data_end()),
            Param::Text(ctx.data_end()),
            text_or_null(federation),
            text_or_null(federation),
        ],
    )?);
    let column = |name: &str| rows.texts(name).map(|v| v.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>());
    let (ids, feds, names, kinds, orientations, groups) =
        (column("intervention_id")?, column("federation_id")?, column("name")?, column("kind")?, column("orientation")?, column("target_group")?);
    let (firsts, lasts) = (rows.integers("first_year")?, rows.integers("last_year")?);
    Ok((0..ids.len())
        .map(|i| {
            (
                ids[i].clone(),
                Intervention {
                    federation: feds[i].clone(),
                    name: names[i].clone(),
                    kind: kinds[i].clone(),
                    orientation: orientations[i].clone(),
                    target_group: groups[i].clone(),
                    years: firsts[i].unwrap_or(0)..=lasts[i].unwrap_or(-1),
                },
            )
        })
        .collect())
}

fn text_or_null(value: Option<&str>) -> Param {
    match value {
        Some(v) => Param::Text(v.to_string()),
        None => Param::Null,
    }
}

/// Started, ended and active participants (consenting enrolments) and anonymous ones, per intervention,
/// year and sex, each with its cell key, for every year (a year's export audits the whole table). Active =
/// enrolled at some time in the year, each person once.
fn counts(ctx: &dyn Context) -> Result<BTreeMap<(String, i64), Counts>, PluginError> {
    let data_end = ctx.data_end();
    let rows = Rows::new(ctx.query(
        "WITH spans AS (
             SELECT e.intervention_id, e.participant_key, e.record_key AS e_key, p.record_key AS p_key, p.sex, e.start_date,
                    CASE WHEN e.exit_date <= ?::DATE THEN e.exit_date END AS exit_known
             FROM finsam_enrolment e JOIN finsam_participant p USING (participant_key)
             -- What starts after the data's end is not known yet (a data end set earlier than the rows).
             WHERE e.consent AND e.start_date <= ?::DATE),
         active AS (
             SELECT DISTINCT intervention_id, participant_key, p_key, sex,
                    unnest(range(year(start_date), year(coalesce(exit_known, ?::DATE)) + 1)) AS year
             FROM spans),
         open_years AS (
             SELECT intervention_id, e_key, unnest(range(year(start_date), year(?::DATE) + 1)) AS year
             FROM spans WHERE exit_known IS NULL),
         measured AS (
             SELECT 'started' AS measure, intervention_id, year(start_date) AS year, sex, count(*) AS n, sum(e_key) AS key, min(e_key) AS key_min FROM spans GROUP BY ALL
             UNION ALL
             SELECT 'ended', intervention_id, year(exit_known), sex, count(*), sum(e_key), min(e_key) FROM spans WHERE exit_known IS NOT NULL GROUP BY ALL
             UNION ALL
             SELECT 'active', intervention_id, year, sex, count(*), sum(p_key), min(p_key) FROM active GROUP BY ALL
             UNION ALL
             SELECT 'open', intervention_id, year, NULL, count(*), sum(e_key), min(e_key) FROM open_years GROUP BY ALL
             UNION ALL
             SELECT 'open_started', intervention_id, year(start_date), sex, count(*), sum(e_key), min(e_key) FROM spans WHERE exit_known IS NULL GROUP BY ALL
             UNION ALL
             SELECT 'active_enrolments', intervention_id, year, sex, count(*), sum(e_key), min(e_key)
             FROM (SELECT intervention_id, e_key, sex, unnest(range(year(start_date), year(coalesce(exit_known, ?::DATE)) + 1)) AS year FROM spans)
             GROUP BY ALL
             UNION ALL
             -- Aggregate rows: each row's key and the smallest key of its people (the view derives both).
             SELECT 'anonymous', intervention_id, year, sex, sum(count), sum(record_key), min(key_min) FROM finsam_anonymous_count WHERE count > 0 GROUP BY ALL)
         SELECT * FROM measured",
        &[
            Param::Text(data_end.clone()),
            Param::Text(data_end.clone()),
            Param::Text(data_end.clone()),
            Param::Text(data_end.clone()),
            Param::Text(data_end),
        ],
    )?);
    let (measures, ids, years, sexes, tallies) =
        (rows.texts("measure")?, rows.texts("intervention_id")?, rows.integers("year")?, rows.texts("sex")?, rows.tallies("n", "key")?);
    let mut out: BTreeMap<(String, i64), Counts> = BTreeMap::new();
    for i in 0..tallies.len() {
        let (Some(id), Some(y)) = (ids[i].clone(), years[i]) else { continue };
        let c = out.entry((id, y)).or_default();
        if measures[i].as_deref() == Some("open") {
            c.open += tallies[i];
            continue;
        }
        let slot = match measures[i].as_deref() {
            Some("open_started") => &mut c.open_started,
            Some("active_enrolments") => &mut c.active_enrolments,
            Some("started") => &mut c.started,
            Some("ended") => &mut c.ended,
            Some("active") => &mut c.active,
            _ => &mut c.anonymous,
        };
        slot[usize::from(sexes[i].as_deref() != Some("female"))] += tallies[i];
    }
    Ok(out)
}

fn year_param(year: Option<i64>) -> Param {
    year.map_or(Param::Null, Param::Integer)
}

/// Budget and actual per intervention (or federation administration) and year, by financier column.
fn money(ctx: &dyn Context, year: Option<i64>) -> Result<BTreeMap<(String, i64), Money>, PluginError> {
    let rows = Rows::new(ctx.query(
        "SELECT CASE WHEN category = 'administration' OR intervention_id IS NULL THEN ? || federation_id ELSE intervention_id END AS id,
                year, financier, sum(budget_sek)::DOUBLE AS budget, sum(coalesce(actual_sek, 0))::DOUBLE AS actual
         FROM finsam_budget_line WHERE ?::BIGINT IS NULL OR year = ?::BIGINT GROUP BY ALL",
        &[Param::Text(ADMIN.to_string()), year_param(year), year_param(year)],
    )?);
    let (ids, years, financiers, budgets, actuals) =
        (rows.texts("id")?, rows.integers("year")?, rows.texts("financier")?, rows.numbers("budget")?, rows.numbers("actual")?);
    let mut out: BTreeMap<(String, i64), Money> = BTreeMap::new();
    for i in 0..ids.len() {
        let (Some(id), Some(y)) = (ids[i].clone(), years[i]) else { continue };
        let column = columns::financier(financiers[i].as_deref().unwrap_or("other"));
        let cell = out.entry((id, y)).or_default().entry(column).or_insert((0.0, 0.0));
        cell.0 += budgets[i].unwrap_or(0.0);
        cell.1 += actuals[i].unwrap_or(0.0);
    }
    Ok(out)
}

/// Budget and actual for each financier column, then the totals.
fn money_values(money: Option<&Money>) -> Vec<Value> {
    let mut values = Vec::new();
    let (mut budget, mut actual) = (0.0, 0.0);
    for column in columns::FINANCIERS {
        let (b, a) = money.and_then(|m| m.get(column)).copied().unwrap_or((0.0, 0.0));
        values.push(sek(b));
        values.push(sek(a));
        budget += b;
        actual += a;
    }
    values.push(sek(budget));
    values.push(sek(actual));
    values
}

/// An amount in whole kronor.
fn sek(amount: f64) -> Value {
    Value::Integer(Some(amount.round() as i64))
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "individual" => lang.pick("individinriktad", "individual"),
        "structural" => lang.pick("strukturinriktad", "structural"),
        _ => "",
    }
}

/// What the members paid in per federation and year, by kind of member, and the equity where recorded.
fn funding(ctx: &dyn Context, year: Option<i64>, federation: Option<&str>, lang: Lang) -> Result<Section, PluginError> {
    let rows = Rows::new(ctx.query(
        "WITH paid AS (
             SELECT m.federation_id, c.year,
                    sum(c.amount_sek) FILTER (m.party IN ('fk', 'af'))::DOUBLE AS state,
                    sum(c.amount_sek) FILTER (m.party = 'region')::DOUBLE AS region,
                    sum(c.amount_sek) FILTER (m.party = 'municipality')::DOUBLE AS municipalities
             FROM finsam_contribution c JOIN finsam_member m USING (member_id) GROUP BY ALL)
         SELECT p.*, a.equity_sek::DOUBLE AS equity
         FROM paid p LEFT JOIN finsam_allocation_input a USING (federation_id, year)
         WHERE (?::BIGINT IS NULL OR p.year = ?::BIGINT) AND (?::VARCHAR IS NULL OR p.federation_id = ?::VARCHAR)
         ORDER BY p.federation_id, p.year",
        &[year_param(year), year_param(year), text_or_null(federation), text_or_null(federation)],
    )?);
    let (ids, years) = (rows.texts("federation_id")?, rows.integers("year")?);
    let (state, region, municipalities, equity) =
        (rows.numbers("state")?, rows.numbers("region")?, rows.numbers("municipalities")?, rows.numbers("equity")?);
    let mut section = Section::new("funding", lang.pick("Förbundens finansiering", "The federations' funding"), &columns::funding(lang));
    section.keys = finsam_plugin::machine_names(&columns::funding(Lang::En).iter().map(|c| c.to_string()).collect::<Vec<_>>());
    let sek = |x: Option<f64>| sek(x.unwrap_or(0.0));
    for i in 0..ids.len() {
        let total = state[i].unwrap_or(0.0) + region[i].unwrap_or(0.0) + municipalities[i].unwrap_or(0.0);
        section.push(vec![
            Value::Text(ids[i].clone().unwrap_or_default()),
            Value::Integer(years[i]),
            sek(state[i]),
            sek(region[i]),
            sek(municipalities[i]),
            sek(Some(total)),
            Value::Integer(equity[i].map(|e| e.round() as i64)),
        ]);
    }
    Ok(section)
}
