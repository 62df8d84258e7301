use std::path::PathBuf;

use super::cohort_args::{ChartOptionArgs, CohortArgs};
use finsam::charts::build::{chart, ChartOptions};
use finsam::charts::ChartKind;
use finsam::error::{FinsamError, Result};
use finsam::model::Model;
use finsam::plugins::chart_by_name;

/// Options every chart command takes.
#[derive(clap::Args)]
pub struct ChartArgs {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    cohort: CohortArgs,
    #[command(flatten)]
    chart: ChartOptionArgs,
}

impl ChartArgs {
    fn options(&self) -> Result<ChartOptions> {
        let given = &self.chart.given;
        Ok(ChartOptions {
            cohort: self.cohort.cohort()?,
            vs: given.text(&finsam::options::CHART_VS)?,
            measure: given.measure()?,
            event: given.event()?,
            lang: given.lang()?,
            protection: super::cohort_args::ProtectionArgs::from_given(given.clone()).protection()?,
        })
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// outcomes, periods, cost-outcome, funding, budget, survival, transitions or pyramid, or a plugin's chart
    /// kind (see `finsam plugins`).
    kind: String,
    #[command(flatten)]
    chart: ChartArgs,
    /// The file to write: .svg or .png (1200 × 800).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let model = finsam::open_read_only(&args.chart.db.db)?;
    let drawn = chart_by_name(&model, &args.kind, &args.chart.options()?)?;
    drawn.save(&args.out, args.force)?;
    println!("Wrote {} ({}).", super::shown(&args.out), drawn.title);
    Ok(())
}

#[derive(clap::Args)]
pub struct SetArgs {
    #[command(flatten)]
    chart: ChartArgs,
    /// The directory to write the charts into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Replace charts already in the directory.
    #[arg(long)]
    force: bool,
}

/// The whole set for a federation (or all) and a period comparison: every kind, as SVG and PNG.
pub fn run_set(args: SetArgs) -> Result<()> {
    let model = finsam::open_read_only(&args.chart.db.db)?;
    let mut options = args.chart.options()?;
    if options.cohort.period.is_none() && options.vs.is_none() {
        options.cohort.period = Some("2020-2021".into());
        options.vs = Some("2022-2023".into());
    }
    finsam::files::check_output_dir(&args.out)?;
    // Every file of the set is checked before the first is drawn: a refusal leaves nothing half-written.
    for kind in ChartKind::ALL {
        for extension in ["svg", "png"] {
            finsam::files::check_target(&args.out.join(format!("{}.{extension}", kind.name())), args.force)?;
        }
    }
    // Pictures of one cohort use the later period (whichever of --period and --vs it is); the comparison and
    // the curves use both.
    let later = match (&options.cohort.period, &options.vs) {
        (Some(a), Some(b)) => {
            let start = |p: &str| finsam::analysis::cohort::resolve_period(&model, p).map(|p| p.start);
            Some(if start(b)? >= start(a)? { b.clone() } else { a.clone() })
        }
        (a, b) => b.clone().or(a.clone()),
    };
    let options_for = |kind: ChartKind| {
        let mut o = options.clone();
        if !matches!(kind, ChartKind::Periods | ChartKind::Survival | ChartKind::Funding | ChartKind::Budget) {
            o.cohort.period = later.clone();
        }
        if matches!(kind, ChartKind::Funding | ChartKind::Budget) {
            o.cohort.period = None;
        }
        o
    };
    // Two workers (DuckDB connections are Send, not Sync: the second has its own), each drawing every other
    // chart; the titles are printed in the set's order afterwards.
    let second = model.try_clone()?;
    let draw = |model: &Model, kinds: Vec<ChartKind>| -> Result<Vec<(ChartKind, String)>> {
        kinds
            .into_iter()
            .map(|kind| {
                let drawn = chart(model, kind, &options_for(kind))?;
                drawn.save_both(&args.out, kind.name(), args.force)?;
                Ok((kind, drawn.title))
            })
            .collect()
    };
    let evens: Vec<ChartKind> = ChartKind::ALL.iter().copied().step_by(2).collect();
    let odds: Vec<ChartKind> = ChartKind::ALL.iter().copied().skip(1).step_by(2).collect();
    let (first, later) = std::thread::scope(|scope| {
        let draw = &draw;
        let later = scope.spawn(move || draw(&second, odds));
        let first = draw(&model, evens);
        (first, later.join())
    });
    let later = later.map_err(|_| FinsamError::Internal("a chart worker panicked".into()))?;
    let mut titles: Vec<(ChartKind, String)> = first?.into_iter().chain(later?).collect();
    titles.sort_by_key(|(kind, _)| ChartKind::ALL.iter().position(|k| k == kind));
    for (kind, title) in titles {
        println!("{:<14} {}", kind.name(), title);
    }
    println!("Wrote {} charts as SVG and PNG to {}.", ChartKind::ALL.len(), super::shown(&args.out));
    Ok(())
}
