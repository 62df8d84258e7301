//! The plugin guide's example (plugins/README.md): participants of a cohort by age band and sex.
//!
//! It shows the whole interface in one file: a plugin registering an analysis with one argument, SQL over
//! the cohort relation and a documented view with a bound parameter, counts handed to the core as
//! `Tally`s (count and cell key) so that the core protects them, and labels in Swedish and English.

use finsam_plugin::stats::AGE_BANDS;
use finsam_plugin::{
    Analysis, ArgSpec, ArgValue, Args, ChartBody, ChartKind, Context, Lang, Output, Param, Plugin, PluginChart, PluginError, Published, Registrar,
    Rows, Section, Tally, Value,
};

pub struct AgeSexPlugin;

impl Plugin for AgeSexPlugin {
    fn name(&self) -> &'static str {
        "age-sex"
    }
    fn description(&self) -> &'static str {
        "Example from the plugin guide: participants by age band and sex"
    }
    fn register(&self, registrar: &mut Registrar) {
        registrar.analysis(AgeSex);
        registrar.chart(AgeSexPyramid);
    }
}

struct AgeSex;

impl Analysis for AgeSex {
    fn name(&self) -> &'static str {
        "age-sex"
    }
    fn description(&self) -> &'static str {
        "Participants of the cohort by age band at their first start and sex, each person counted once"
    }
    fn args(&self) -> Vec<ArgSpec> {
        vec![ArgSpec::integer(
            "min_age",
            "Leave out people younger than this at their first start: 0 or where an age band starts (20, 25, 30, 40, 50, 60)",
        )
        .default(ArgValue::Integer(0))]
    }
    fn run(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError> {
        // A limit inside a band would count part of it, and limits moved one year at a time would let a
        // reader count the people of a band one by one across outputs.
        let min_age = args.integer("min_age")?;
        let starts: Vec<i64> = AGE_BANDS.iter().map(|(_, lo, _)| i64::from(*lo)).collect();
        if !starts.contains(&min_age) {
            let list: Vec<String> = starts.iter().map(i64::to_string).collect();
            return Err(PluginError::new(format!("min_age {min_age} cuts through an age band: use one of {}", list.join(", "))));
        }
        // One row per person: their first enrolment in the cohort. Each count comes with the sum of the
        // people's record keys, so the core can publish it with the cell-key method.
        let rows = Rows::new(ctx.query(
            "WITH people AS (
                 SELECT DISTINCT ON (c.participant_key) c.participant_key, c.sex, c.age, p.record_key
                 FROM cohort c JOIN finsam_participant p USING (participant_key)
                 ORDER BY c.participant_key, c.start_date)
             SELECT age, sex, count(*) AS n, sum(record_key) AS key, min(record_key) AS key_min FROM people WHERE age >= ? GROUP BY ALL",
            &[Param::Integer(min_age)],
        )?);
        let (ages, sexes, tallies) = (rows.integers("age")?, rows.texts("sex")?, rows.tallies("n", "key")?);
        let mut cells = vec![[Tally::default(); 2]; AGE_BANDS.len()];
        for ((age, sex), tally) in ages.into_iter().zip(sexes).zip(tallies) {
            let Some(age) = age else { continue };
            let Some(band) = AGE_BANDS.iter().position(|(_, lo, hi)| (*lo as i64..=*hi as i64).contains(&age)) else { continue };
            let column = if sex.as_deref() == Some("female") { 0 } else { 1 };
            cells[band][column] += tally;
        }
        let lang = ctx.lang();
        let mut section = Section::keyed(
            "age_sex",
            lang.pick("Deltagare efter ålder och kön", "Participants by age and sex"),
            &[
                ("age_band", lang.pick("ålder", "age")),
                ("women", lang.pick("kvinnor", "women")),
                ("men", lang.pick("män", "men")),
                ("total", lang.pick("totalt", "total")),
            ],
        );
        // The total is women and men together: the host audits it as the rows' totals.
        section.row_total = Some(3);
        for ((label, _, _), [women, men]) in AGE_BANDS.iter().zip(&cells) {
            section.push(vec![Value::Text(label.to_string()), Value::Count(*women), Value::Count(*men), Value::Count(*women + *men)]);
        }
        let cohort = ctx.cohort_description().unwrap_or_default();
        let heading = match lang {
            Lang::Sv => format!("Ålder och kön: {cohort}"),
            Lang::En => format!("Age and sex: {cohort}"),
        };
        Ok(Output { heading, sections: vec![section] })
    }
}

/// The analysis as a population pyramid, drawn from its published (protected) table.
struct AgeSexPyramid;

impl ChartKind for AgeSexPyramid {
    fn name(&self) -> &'static str {
        "age-sex"
    }
    fn description(&self) -> &'static str {
        "Participants by age band and sex as a pyramid"
    }
    fn analysis(&self) -> &'static str {
        "age-sex"
    }
    fn draw(&self, output: &Published, lang: Lang) -> Result<PluginChart, PluginError> {
        let table = output.table("age_sex").ok_or("the age-sex analysis returned no table")?;
        let rows = Rows::new(vec![table.batch.clone()]);
        // Read as text: a hidden count ("<5", ".." under suppression) is no number, and stays hidden.
        let as_counts = |v: Vec<Option<String>>| v.into_iter().map(|n| n.and_then(|n| n.parse::<u64>().ok())).collect::<Vec<_>>();
        let women = as_counts(rows.texts(lang.pick("kvinnor", "women"))?);
        let men = as_counts(rows.texts(lang.pick("män", "men"))?);
        let bands = rows.texts(lang.pick("ålder", "age"))?.into_iter().map(Option::unwrap_or_default).collect();
        let body = if women.iter().chain(&men).all(|n| *n == Some(0)) {
            ChartBody::Empty { message: lang.pick("Inga deltagare", "No participants").to_string() }
        } else {
            ChartBody::Pyramid { bands, women, men }
        };
        Ok(PluginChart {
            title: lang.pick("Deltagare efter ålder och kön", "Participants by age and sex").to_string(),
            subtitle: output.heading.clone(),
            body,
        })
    }
}
