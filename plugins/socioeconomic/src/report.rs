//! The analysis `socio-economic`: the calculation for a cohort as tables (per actor, key figures, the
//! basis, per group, sensitivity, scenarios, the payback over time, the parameters and the assumptions).
//!
//! Every amount is computed from *published* counts (`Context::published`): people with the same path are
//! counted together and each group's count is published as every other output publishes it, so the amounts
//! give away nothing the published counts do not.

use std::collections::BTreeMap;

use finsam_plugin::format::number;
use finsam_plugin::{Args, Context, Lang, Output, PluginError, Section, Tally, Value};

use crate::actors::{society_label, PerActor, ACTORS};
use crate::calculation::{cost_within, payback_curve, payback_month, quarters, value, Flows, Path, Person, Quarter};
use crate::cost::{self, CostSource, InterventionCost};
use crate::parameters::{Entry, Parameters, Unit};
use crate::people::{self, Exit};

/// The ids of the tables the chart kinds draw.
pub const ACTOR_SECTION: &str = "actors";
pub const SENSITIVITY_SECTION: &str = "sensitivity";
pub const PAYBACK_SECTION: &str = "payback";

/// A horizon: its label and its length in months (to the pension age: `MAX_MONTHS`, where flows stop at each
/// person's pension age).
struct Horizon {
    sv: String,
    en: String,
    months: u32,
}

fn horizons(years: u32, lifetime: bool) -> Vec<Horizon> {
    let mut h = vec![Horizon { sv: "1 år".into(), en: "1 year".into(), months: 12 }];
    if years != 1 {
        h.push(Horizon { sv: format!("{years} år"), en: format!("{years} years"), months: years * 12 });
    }
    if lifetime {
        h.push(Horizon { sv: "till pension".into(), en: "to pension".into(), months: MAX_MONTHS });
    }
    h
}

fn sek(v: f64) -> Value {
    Value::Number(Some(v.round()))
}

/// The people valued and the published margins their value is computed from (calculation.rs), for the
/// quarters up to the longest horizon.
struct Valued<'a> {
    ctx: &'a dyn Context,
    people: Vec<(Tally, Path)>,
    tally: Tally,
    quarters: Vec<Quarter>,
    pension_age: f64,
}

impl<'a> Valued<'a> {
    fn new<'e>(exits: impl Iterator<Item = &'e Exit>, ctx: &'a dyn Context, p: &Parameters, months: u32) -> Valued<'a> {
        let people: Vec<(Tally, Path)> = exits.map(|e| (e.tally, e.path.clone())).collect();
        let tally = people.iter().map(|(t, _)| *t).sum();
        let quarters = Valued::margins(ctx, p, &people, months);
        Valued { ctx, people, tally, quarters, pension_age: p.value(p.keys.pension_age) }
    }

    fn margins(ctx: &dyn Context, p: &Parameters, people: &[(Tally, Path)], months: u32) -> Vec<Quarter> {
        let refs: Vec<Person> = people.iter().map(|(t, path)| (*t, path)).collect();
        quarters(p, &refs, months.min(MAX_MONTHS).div_ceil(3), &|t| ctx.perturbed(t) as f64)
    }

    /// Whether the call is raw: a protected count of one person is never published as 1.
    fn is_raw(&self) -> bool {
        self.ctx.perturbed(Tally::unit(0)) == 1
    }

    /// The value over `months` with parameters `p` (margins counted again when the pension age differs).
    fn total(&self, p: &Parameters, months: u32) -> Flows {
        if p.value(p.keys.pension_age) == self.pension_age {
            value(p, &self.quarters, months)
        } else {
            value(p, &Valued::margins(self.ctx, p, &self.people, months), months)
        }
    }
}

/// The longest horizon counted: 50 years (to the pension age from 17).
const MAX_MONTHS: u32 = 12 * 50;

/// The intervention's cost borne per actor within a horizon (written off over `write_off` years).
fn cost_borne(cost: &InterventionCost, months: u32, write_off: f64) -> PerActor {
    let share = if cost.total > 0.0 { cost_within(cost.total, months, write_off) / cost.total } else { 0.0 };
    std::array::from_fn(|a| cost.per_actor[a] * share)
}

/// Society's net over a horizon: the change's value less the cost counted within it.
fn society_net(p: &Parameters, valued: &Valued, cost: f64, months: u32, write_off: f64) -> f64 {
    valued.total(p, months).society() - cost_within(cost, months, write_off)
}

pub fn run(ctx: &dyn Context, args: &Args) -> Result<Output, PluginError> {
    let lang = ctx.lang();
    let sv = lang == Lang::Sv;
    let p = Parameters::from_args(args)?;
    let years = u32::try_from(args.integer("horizon_years")?).ok().filter(|y| (1..=50).contains(y)).ok_or("horizon_years: expected 1 to 50 years")?;
    let lifetime = args.flag("lifetime")?;
    let cohort = people::read(ctx)?;
    let description = ctx.cohort_description().unwrap_or_default();
    let heading = if sv { format!("Samhällsekonomisk kalkyl: {description}") } else { format!("Socio-economic calculation: {description}") };
    let horizons = horizons(years, lifetime);
    let long = horizons.iter().map(|h| h.months).max().unwrap_or(12);
    let all = Valued::new(cohort.exits.iter(), ctx, &p, long);
    // Decided on the published count, not the true one: a full calculation beside a published 0 would say
    // that there are 1–4 exits.
    if cohort.exits.is_empty() || ctx.perturbed(all.tally) == 0 {
        return Ok(no_exits(lang, heading, all.tally, cohort.open, cohort.without_status));
    }
    let valued = all.tally;
    let cost = match args.number_or_none("cost_sek")? {
        Some(amount) => cost::given(ctx, amount)?,
        None => cost::from_budget(ctx, &p)?,
    };
    let main = horizons.iter().find(|h| h.months == years * 12).unwrap_or(&horizons[0]);

    let mut sections = vec![actor_section(&p, &all, &cost, &horizons, lang)];
    sections.push(key_figures(ctx, &p, &all, &cost, valued, main, long, lang));
    sections.push(basis(valued, cohort.open, cohort.without_status, lang));
    for (id, title_sv, title_en, dimension) in [
        ("gain_by_sex", "efter kön", "by sex", 0usize),
        ("gain_by_age", "efter ålder vid start", "by age at start", 1),
        ("gain_by_education", "efter utbildning", "by education", 2),
    ] {
        sections.push(breakdown(ctx, &p, &cohort.exits, long, (id, title_sv, title_en, dimension), &horizons, lang));
    }
    let labels = CodeLabels::read(ctx)?;
    sections.push(sensitivity(&p, &all, cost.total, main, &labels, lang));
    sections.push(scenarios(&p, &all, cost.total, &horizons, lang));
    sections.push(payback_section(&p, &all, cost.total, lang));
    sections.push(parameter_section(&p, &labels, lang));
    sections.push(assumption_section(&p, &cost, &labels, lang));
    Ok(Output { heading, sections })
}

/// Why there is nothing to value, in counts: the exits that could be valued (published as 0 here), those
/// still open and those without a status after. All three are in the table, so that under suppression the
/// host audits them together: open and without-status alone, beside the report's enrolments, gave away the
/// valued exits (1–4) when that row was left out.
fn no_exits(lang: Lang, heading: String, valued: Tally, open: Tally, without: Tally) -> Output {
    let mut s = Section::new(
        "nothing_to_value",
        lang.pick(
            "Ingen avslutad inskrivning att värdera: kalkylen jämför läget före med läget efter utskrivning",
            "No exit to value: the calculation compares the status before with the status after the exit",
        ),
        &[lang.pick("inskrivningar", "enrolments"), lang.pick("antal", "number")],
    );
    s.push(vec![
        Value::Text(lang.pick("avslutade med läge efter (att värdera)", "exits with a status after (to value)").into()),
        Value::Count(valued),
    ]);
    s.push(vec![Value::Text(lang.pick("pågående vid datans slut", "still open at the data's end").into()), Value::Count(open)]);
    s.push(vec![Value::Text(lang.pick("avslutade utan läge efter", "exits without a status after").into()), Value::Count(without)]);
    Output { heading, sections: vec![s] }
}

fn actor_section(p: &Parameters, valued: &Valued, cost: &InterventionCost, horizons: &[Horizon], lang: Lang) -> Section {
    // Machines read `income_5_years`, `costs_5_years`, `net_5_years` (the horizon in English) in either language.
    let mut columns = vec![("actor".to_string(), lang.pick("aktör", "actor").to_string())];
    let mut values: Vec<(Flows, PerActor)> = Vec::new();
    for h in horizons {
        let (label, key) = (lang.pick(&h.sv, &h.en), h.en.replace(' ', "_"));
        columns.push((format!("income_{key}"), format!("{} {label}", lang.pick("intäkter", "income"))));
        columns.push((format!("costs_{key}"), format!("{} {label}", lang.pick("kostnader", "costs"))));
        columns.push((format!("net_{key}"), format!("{} {label}", lang.pick("netto", "net"))));
        values.push((valued.total(p, h.months), cost_borne(cost, h.months, 1.0)));
    }
    let refs: Vec<(&str, &str)> = columns.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
    let mut s = Section::keyed(
        ACTOR_SECTION,
        lang.pick("Intäkter, kostnader och netto per aktör (kronor, nuvärde)", "Income, costs and net per actor (SEK, present value)"),
        &refs,
    );
    let row = |label: String, pick: &dyn Fn(&Flows, &PerActor) -> (f64, f64)| {
        let mut r = vec![Value::Text(label)];
        for (flows, borne) in &values {
            let (income, costs) = pick(flows, borne);
            r.extend([sek(income), sek(costs), sek(income + costs)]);
        }
        r
    };
    for actor in ACTORS {
        let a = actor.index();
        s.push(row(actor.label(lang).to_string(), &|f, b| (f.income[a], f.cost[a] - b[a])));
    }
    s.push(row(society_label(lang).to_string(), &|f, b| (f.income.iter().sum(), f.cost.iter().sum::<f64>() - b.iter().sum::<f64>())));
    s
}

#[allow(clippy::too_many_arguments)]
fn key_figures(
    ctx: &dyn Context,
    p: &Parameters,
    valued_groups: &Valued,
    cost: &InterventionCost,
    valued: Tally,
    main: &Horizon,
    long: u32,
    lang: Lang,
) -> Section {
    let mut s = Section::keyed(
        "key_figures",
        lang.pick("Nyckeltal", "Key figures"),
        &[("measure", lang.pick("mått", "measure")), ("value", lang.pick("värde", "value")), ("unit", lang.pick("enhet", "unit"))],
    );
    let kr = lang.pick("kr", "SEK");
    let label = lang.pick(&main.sv, &main.en);
    let mut push =
        |measure: String, value: Option<f64>, unit: &str| s.push(vec![Value::Text(measure), Value::Number(value), Value::Text(unit.to_string())]);
    let cost_words = match cost.source {
        CostSource::Budget => lang.pick("Insatsens kostnad för kohorten (utfall)", "The intervention's cost for the cohort (actual)"),
        CostSource::Given => lang.pick("Insatsens kostnad (angiven)", "The intervention's cost (given)"),
        CostSource::Missing => lang.pick("Insatsens kostnad: inget utfall registrerat", "The intervention's cost: no actual recorded"),
    };
    push(cost_words.to_string(), Some(cost.total.round()), kr);
    let per_person = per_person_divisor(ctx, valued).map(|n| (cost.total / n as f64).round());
    push(lang.pick("Kostnad per värderad deltagare", "Cost per participant valued").to_string(), per_person, kr);
    let gain = valued_groups.total(p, main.months).society();
    let net = gain - cost_within(cost.total, main.months, 1.0);
    push(format!("{} {label}", lang.pick("Samhällets nettonuvärde,", "Society's net present value,")), Some(net.round()), kr);
    let per_krona = (cost.total > 0.0).then(|| (gain / cost.total * 100.0).round() / 100.0);
    push(format!("{} {label}", lang.pick("Återbäring per satsad krona,", "Return per krona spent,")), per_krona, kr);
    let curve = payback_curve(p, &valued_groups.quarters, cost.total);
    let months = if cost.total > 0.0 { payback_month(&curve).map(f64::from) } else { None };
    let within =
        if long >= MAX_MONTHS { lang.pick("till pension", "to pension").to_string() } else { format!("{} {}", long / 12, lang.pick("år", "years")) };
    let unit = match months {
        Some(_) => lang.pick("månader", "months").to_string(),
        None if cost.total > 0.0 => format!("{} ({within})", lang.pick("nås inte", "not reached")),
        None => lang.pick("ingen kostnad att återbetala", "no cost to pay back").to_string(),
    };
    push(lang.pick("Återbetalningstid för samhället", "Payback time for society").to_string(), months, &unit);
    s
}

fn basis(valued: Tally, open: Tally, without: Tally, lang: Lang) -> Section {
    let mut s = Section::new(
        "basis",
        lang.pick("Underlag: kohortens inskrivningar", "Basis: the cohort's enrolments"),
        &[lang.pick("inskrivningar", "enrolments"), lang.pick("antal", "number")],
    );
    s.push(vec![Value::Text(lang.pick("avslutade och värderade", "exited and valued").into()), Value::Count(valued)]);
    s.push(vec![
        Value::Text(lang.pick("pågående vid datans slut (inte värderade)", "still open at the data's end (not valued)").into()),
        Value::Count(open),
    ]);
    s.push(vec![
        Value::Text(lang.pick("avslutade utan läge efter (inte värderade)", "exited without a status after (not valued)").into()),
        Value::Count(without),
    ]);
    s
}

/// The groups of a dimension, in the order the breakdown lists them.
fn all_groups(dimension: usize, lang: Lang) -> Vec<String> {
    match dimension {
        0 => vec![lang.pick("kvinnor", "women").into(), lang.pick("män", "men").into()],
        1 => finsam_plugin::stats::AGE_BANDS.iter().map(|(band, _, _)| band.to_string()).collect(),
        _ => [
            ("ej fullständig grundskola", "compulsory school not completed"),
            ("grundskola", "compulsory school"),
            ("gymnasieskola", "upper-secondary school"),
            ("eftergymnasial utbildning", "post-secondary education"),
            ("uppgift saknas", "not recorded"),
        ]
        .iter()
        .map(|(sv, en)| lang.pick(sv, en).to_string())
        .collect(),
    }
}

fn group_label(e: &Exit, dimension: usize, lang: Lang) -> String {
    match dimension {
        0 => match e.sex.as_str() {
            "female" => lang.pick("kvinnor", "women").into(),
            "male" => lang.pick("män", "men").into(),
            other => other.into(),
        },
        1 => e.age_band.clone(),
        _ => match e.education.as_deref() {
            Some("primary_incomplete") => lang.pick("ej fullständig grundskola", "compulsory school not completed").into(),
            Some("primary") => lang.pick("grundskola", "compulsory school").into(),
            Some("upper_secondary") => lang.pick("gymnasieskola", "upper-secondary school").into(),
            Some("post_secondary") => lang.pick("eftergymnasial utbildning", "post-secondary education").into(),
            Some(other) => other.into(),
            None => lang.pick("uppgift saknas", "not recorded").into(),
        },
    }
}

/// What an amount per participant is divided by: the perturbed count of the people, where the protection
/// allows dividing at all (`Context::divisor`; the true count in a raw run). Perturbed under suppression too, like the margins the amounts come from: a
/// division by the true count would give the count back to anyone holding the amount's total, and it would
/// differ from the perturbed output's division by exactly what the protection hides.
fn per_person_divisor(ctx: &dyn Context, people: Tally) -> Option<u64> {
    ctx.divisor(people).map(|_| ctx.perturbed(people)).filter(|&n| n > 0)
}

/// Society's net per participant in each group (no intervention cost: it is not known per group), where
/// the group's published count allows dividing.
fn breakdown(
    ctx: &dyn Context,
    p: &Parameters,
    exits: &[Exit],
    long: u32,
    (id, sv, en, dimension): (&str, &str, &str, usize),
    horizons: &[Horizon],
    lang: Lang,
) -> Section {
    let title = match lang {
        Lang::Sv => format!("Samhällets vinst per värderad deltagare {sv} (före insatsens kostnad)"),
        Lang::En => format!("Society's gain per participant valued {en} (before the intervention's cost)"),
    };
    let mut columns = vec![lang.pick("grupp", "group").to_string(), lang.pick("deltagare", "participants").to_string()];
    columns.extend(horizons.iter().map(|h| format!("{} {}", lang.pick("kr per deltagare", "SEK per participant"), lang.pick(&h.sv, &h.en))));
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut s = Section::new(id, title, &refs);
    // Every group of the dimension has its row, with people or without: a row that appeared only where the
    // true count is above 0 would say so even when its published count is 0.
    let mut by_label: Vec<(String, Vec<&Exit>)> = all_groups(dimension, lang).into_iter().map(|l| (l, Vec::new())).collect();
    let fixed = by_label.len();
    for e in exits {
        let label = group_label(e, dimension, lang);
        match by_label.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(e),
            None => by_label.push((label, vec![e])),
        }
    }
    // A value outside the code lists (the import refuses them) would follow the fixed rows.
    by_label[fixed..].sort_by(|a, b| a.0.cmp(&b.0));
    for (label, members) in by_label {
        let valued = Valued::new(members.into_iter(), ctx, p, long);
        let divisor = per_person_divisor(ctx, valued.tally);
        let mut row = vec![Value::Text(label), Value::Count(valued.tally)];
        for h in horizons {
            row.push(Value::Number(divisor.map(|n| (valued.total(p, h.months).society() / n as f64).round())));
        }
        s.push(row);
    }
    s
}

fn shown(e: &Entry, v: f64, lang: Lang) -> String {
    match e.unit {
        Unit::Sek => format!("{} {}", number(v, 0, lang), lang.pick("kr", "SEK")),
        Unit::Rate => format!("{} %", number(v * 100.0, if (v * 100.0).fract().abs() < 1e-9 { 0 } else { 2 }, lang)),
        Unit::Years => format!("{} {}", number(v, 0, lang), lang.pick("år", "years")),
    }
}

/// The words of the database's code lists (support and occupation), for labels.
pub struct CodeLabels(BTreeMap<(String, String), (String, String)>);

impl CodeLabels {
    pub fn read(ctx: &dyn Context) -> Result<CodeLabels, PluginError> {
        let rows = finsam_plugin::Rows::new(
            ctx.query("SELECT list, code, label_sv, label_en FROM finsam_code_list WHERE list IN ('support', 'occupation')", &[])?,
        );
        let (lists, codes, sv, en) = (rows.texts("list")?, rows.texts("code")?, rows.texts("label_sv")?, rows.texts("label_en")?);
        let mut map = BTreeMap::new();
        for i in 0..lists.len() {
            if let (Some(l), Some(c)) = (lists[i].clone(), codes[i].clone()) {
                map.insert((l, c), (sv[i].clone().unwrap_or_default(), en[i].clone().unwrap_or_default()));
            }
        }
        Ok(CodeLabels(map))
    }

    fn get(&self, list: &str, code: &str, lang: Lang) -> String {
        self.0.get(&(list.to_string(), code.to_string())).map_or_else(|| code.to_string(), |(sv, en)| lang.pick(sv, en).to_string())
    }
}

/// A parameter in words ("Försörjningsstöd: handläggning"), from its key in the file.
pub fn entry_label(e: &Entry, labels: &CodeLabels, lang: Lang) -> String {
    let key = e.key.as_str();
    let fixed = [
        ("rates.discount_rate", "Diskonteringsränta", "Discount rate"),
        ("rates.deadweight", "Andel som hade nått samma läge ändå", "Deadweight share"),
        ("rates.effect_decay", "Effektens avklingning per år", "Yearly decay of the effect"),
        ("rates.pension_age", "Pensionsålder", "Pension age"),
        ("rates.write_off_years", "Avskrivningstid för kostnaden", "Years to write the cost off"),
        ("work.wage", "Lön vid heltidsarbete", "Full-time wage"),
        ("work.employer_fee_rate", "Arbetsgivaravgift", "Employer's fees"),
        ("work.municipal_tax_rate", "Kommunalskatt", "Municipal tax"),
        ("work.regional_tax_rate", "Regionskatt", "Regional tax"),
        ("work.basic_deduction", "Grundavdrag", "Basic deduction"),
        ("work.earned_income_tax_credit", "Jobbskatteavdrag", "Earned-income tax credit"),
    ];
    if let Some((_, sv, en)) = fixed.iter().find(|(k, _, _)| *k == key) {
        return lang.pick(sv, en).to_string();
    }
    let mut parts = key.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(list @ ("support" | "occupation")), Some(code), Some(rest)) => {
            let status = labels.get(list, code, lang);
            let what = match (&e.what, rest) {
                (Some((sv, en)), _) => lang.pick(sv, en).to_string(),
                (None, "payment") => lang.pick("utbetalning", "payment").to_string(),
                (None, _) => rest.to_string(),
            };
            format!("{status}: {what}")
        }
        _ => key.to_string(),
    }
}

fn sensitivity(p: &Parameters, groups: &Valued, cost: f64, main: &Horizon, labels: &CodeLabels, lang: Lang) -> Section {
    let label = lang.pick(&main.sv, &main.en);
    // Another pension age counts the margins again over the people not yet at it, chosen by their true ages:
    // whether that moved the result said whether anyone in the cohort left at an age near the pension age,
    // beside an age table publishing 0 there . A price or a rate moves the result only through
    // published margins, so its row is decided on published counts.
    let protected = !groups.is_raw();
    let title = match lang {
        Lang::Sv => format!("Känslighetsanalys: hur samhällets nettonuvärde {label} ändras när en parameter i taget ändras (parametrar som inte påverkar utelämnas{})", if protected { "; pensionsåldern prövas bara i rådata: dess effekt beror på enskilda personers ålder" } else { "" }),
        Lang::En => format!("Sensitivity: how society's net present value over {label} changes when one parameter at a time changes (parameters with no effect left out{})", if protected { "; the pension age is tried in raw output only: its effect depends on single people's ages" } else { "" }),
    };
    let mut s = Section::new(
        SENSITIVITY_SECTION,
        title,
        &[
            lang.pick("parameter", "parameter"),
            lang.pick("lågt värde", "low value"),
            lang.pick("högt värde", "high value"),
            lang.pick("förändring vid lågt", "change at low"),
            lang.pick("förändring vid högt", "change at high"),
        ],
    );
    let base = society_net(p, groups, cost, main.months, 1.0);
    let mut rows: Vec<(String, String, String, f64, f64)> = Vec::new();
    for (i, e) in p.entries.iter().enumerate() {
        if e.range.0 == e.range.1 || (protected && i == p.keys.pension_age) {
            continue;
        }
        let write_off = |q: &Parameters| if i == q.keys.write_off_years { q.value(i) } else { 1.0 };
        let at = |v: f64| {
            let q = p.with(i, v);
            society_net(&q, groups, cost, main.months, write_off(&q)) - base
        };
        let (low, high) = (at(e.range.0), at(e.range.1));
        // A parameter that does not move the result (a status nobody in the cohort had) is left out.
        if low.abs() >= 0.5 || high.abs() >= 0.5 {
            rows.push((entry_label(e, labels, lang), shown(e, e.range.0, lang), shown(e, e.range.1, lang), low, high));
        }
    }
    if cost > 0.0 {
        let at = |f: f64| society_net(p, groups, cost * f, main.months, 1.0) - base;
        rows.push((lang.pick("Insatsens kostnad", "The intervention's cost").into(), "−25 %".into(), "+25 %".into(), at(0.75), at(1.25)));
    }
    rows.sort_by(|a, b| (b.4 - b.3).abs().total_cmp(&(a.4 - a.3).abs()).then(a.0.cmp(&b.0)));
    for (key, lo, hi, at_lo, at_hi) in rows {
        s.push(vec![Value::Text(key), Value::Text(lo), Value::Text(hi), sek(at_lo), sek(at_hi)]);
    }
    s
}

fn scenarios(p: &Parameters, groups: &Valued, cost: f64, horizons: &[Horizon], lang: Lang) -> Section {
    let mut columns = vec![lang.pick("scenario", "scenario").to_string()];
    columns.extend(horizons.iter().map(|h| format!("{} {}", lang.pick("samhällets netto", "society's net"), lang.pick(&h.sv, &h.en))));
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut s = Section::new("scenarios", lang.pick("Scenarier (kronor, nuvärde)", "Scenarios (SEK, present value)"), &refs);
    let write_off = p.value(p.keys.write_off_years);
    let deadweight = p.keys.deadweight;
    let scenario = |label: String, q: &Parameters, w: f64| {
        let mut row = vec![Value::Text(label)];
        row.extend(horizons.iter().map(|h| sek(society_net(q, groups, cost, h.months, w))));
        row
    };
    s.push(scenario(lang.pick("Grundkalkyl", "Base case").into(), p, 1.0));
    let years = match lang {
        Lang::Sv => format!("Kostnaden skrivs av på {write_off} år"),
        Lang::En => format!("The cost written off over {write_off} years"),
    };
    s.push(scenario(years, p, write_off));
    for share in [0.0, 0.25, 0.5] {
        let label = match lang {
            Lang::Sv => format!("{} % hade nått samma läge utan insatsen", share * 100.0),
            Lang::En => format!("{} % would have reached the same status without it", share * 100.0),
        };
        s.push(scenario(label, &p.with(deadweight, share), 1.0));
    }
    s
}

fn payback_section(p: &Parameters, valued: &Valued, cost: f64, lang: Lang) -> Section {
    let curve = payback_curve(p, &valued.quarters, cost);
    // Every quarter over ten years, then every year.
    let step = if curve.len() <= 41 { 1 } else { 4 };
    let mut s = Section::new(
        PAYBACK_SECTION,
        lang.pick(
            "Samhällets ackumulerade netto efter utskrivning (kronor, nuvärde)",
            "Society's cumulative net after the exit (SEK, present value)",
        ),
        &[lang.pick("månad", "month"), lang.pick("ackumulerat netto", "cumulative net")],
    );
    for (q, v) in curve.iter().enumerate().step_by(step) {
        s.push(vec![Value::Integer(Some(q as i64 * 3)), sek(*v)]);
    }
    s
}

pub fn parameter_section(p: &Parameters, labels: &CodeLabels, lang: Lang) -> Section {
    let origin =
        if p.origin == crate::parameters::DEFAULT_NAME { lang.pick("finsams standardvärden", "finsam's defaults") } else { p.origin.as_str() };
    let title = match lang {
        Lang::Sv => format!("Parametrar i {} års priser ({origin})", p.price_year),
        Lang::En => format!("Parameters in {} prices ({origin})", p.price_year),
    };
    let mut s = Section::new(
        "parameters",
        title,
        &[
            lang.pick("parameter", "parameter"),
            lang.pick("nyckel i filen", "key in the file"),
            lang.pick("värde", "value"),
            lang.pick("prisår i källan", "price year of the source"),
            lang.pick("källa eller antagande", "source or assumption"),
        ],
    );
    for e in &p.entries {
        let origin = match (&e.source, &e.assumption) {
            (Some(source), _) => source.clone(),
            (None, Some(a)) => format!("{}: {a}", lang.pick("Antagande", "Assumption")),
            (None, None) => String::new(),
        };
        s.push(vec![
            Value::Text(entry_label(e, labels, lang)),
            Value::Text(e.key.clone()),
            Value::Text(shown(e, e.value, lang)),
            Value::Integer(e.year.map(i64::from)),
            Value::Text(origin),
        ]);
    }
    s.push(vec![
        Value::Text(lang.pick("Prisindex", "Price index").into()),
        Value::Text("price_index".into()),
        Value::Text(format!("{} = {}", lang.pick("prisår", "price year"), p.price_year)),
        Value::Integer(None),
        Value::Text(p.index_source.clone()),
    ]);
    s
}

fn assumption_section(p: &Parameters, cost: &InterventionCost, labels: &CodeLabels, lang: Lang) -> Section {
    let mut s = Section::new(
        "assumptions",
        lang.pick("Antaganden som kalkylen vilar på", "Assumptions the calculation rests on"),
        &[lang.pick("antagande", "assumption")],
    );
    let method = [
        (
            "Läget efter utskrivning gäller tills en uppföljning visar ett annat; efter den sista uppföljningen antas läget bestå.",
            "The status at exit holds until a follow-up shows another; after the last follow-up the status is assumed to last.",
        ),
        (
            "En försörjning värderas som ett helt år med den; arbete och studier efter sin omfattning (heltid när omfattningen saknas).",
            "A support is valued as a full year of it; work and studies by their extent (full time when the extent is not recorded).",
        ),
        (
            "Beloppen räknas från skyddade antal: personer i samma läge räknas ihop och varje antal justeras slumpmässigt (cellnyckelmetoden, även när tabellerna döljer små antal).",
            "Amounts are computed from protected counts: people in the same status are counted together and each count is randomly adjusted (the cell-key method, also when the tables hide small counts).",
        ),
        (
            "Insatsens kostnad räknas i sin helhet det första året (grundkalkylen); avskrivning prövas som scenario.",
            "The intervention's cost is counted whole in the first year (base case); writing it off is a scenario.",
        ),
    ];
    for (sv, en) in method {
        s.push(vec![Value::Text(lang.pick(sv, en).into())]);
    }
    if !cost.not_restated.is_empty() {
        let years = cost.not_restated.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ");
        s.push(vec![Value::Text(match lang {
            Lang::Sv => {
                format!("Kostnaderna för {years} saknar prisindex i parameterfilen och räknas i sitt eget års priser, inte {}:s.", p.price_year)
            }
            Lang::En => format!(
                "The costs of {years} have no price index in the parameter file and are counted in their own year's prices, not {}'s.",
                p.price_year
            ),
        })]);
    }
    if cost.counted_whole > 0 {
        let text = match lang {
            Lang::Sv => {
                format!("{} insatsår hade för få publicerade deltagare för att dela kostnaden: hela årets kostnad räknas.", cost.counted_whole)
            }
            Lang::En => format!(
                "{} intervention-years had too few published participants to share the cost: the whole year's cost is counted.",
                cost.counted_whole
            ),
        };
        s.push(vec![Value::Text(text)]);
    }
    for e in p.assumptions() {
        s.push(vec![Value::Text(format!("{}: {}", entry_label(e, labels, lang), e.assumption.clone().unwrap_or_default()))]);
    }
    s
}
