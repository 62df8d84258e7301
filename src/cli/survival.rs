use super::cohort_args::{CohortArgs, OutputArgs};
use crate::analysis::privacy::{count_may_be_shown, MIN_CELL};
use crate::analysis::render::{Privacy, Section, Value};
use crate::analysis::privacy::Cell;
use crate::analysis::survival::{durations, Curve, Event, DAYS_PER_MONTH};
use crate::codes::Lang;
use crate::error::Result;
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    cohort: CohortArgs,
    /// The event: exit (time on the list) or self-support (time to no public support).
    #[arg(long, default_value = "exit", value_parser = ["exit", "self-support"])]
    event: String,
    /// Months at which to report the share still without the event, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "3,6,9,12,18,24")]
    months: Vec<u32>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> Result<()> {
    let model = Model::open_read_only(&args.db.db)?;
    let cohort = args.cohort.cohort(None)?;
    let event: Event = args.event.parse()?;
    let (lang, privacy, format) = (args.output.lang()?, args.output.privacy(), args.output.format()?);
    let curve = Curve::fit(&durations(&model, &cohort, event)?);
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
    for m in &args.months {
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
    let heading = if sv {
        format!("{}: {} personer, {} händelser; median {} månader", cohort_label(&cohort), curve.n, curve.events, median.unwrap_or_else(|| "ej nådd".into()))
    } else {
        format!("{}: {} people, {} events; median {} months", cohort_label(&cohort), curve.n, curve.events, median.unwrap_or_else(|| "not reached".into()))
    };
    if privacy == Privacy::Raw {
        section.title.push_str(if sv { " [RÅDATA: ej röjandekontrollerad]" } else { " [RAW: not suppressed]" });
    }
    super::print_sections(&model, &heading, &super::tables(vec![section])?, format)
}

fn cohort_label(c: &crate::analysis::Cohort) -> String {
    let mut parts = c.interventions.clone();
    parts.extend(c.federations.clone());
    if let Some(p) = &c.period {
        parts.push(p.clone());
    }
    if parts.is_empty() { "all".into() } else { parts.join(", ") }
}
