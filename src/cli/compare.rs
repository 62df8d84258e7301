use super::cohort_args::{CohortArgs, OutputArgs};
use crate::analysis::outputs::compare_output;
use crate::error::{FinsamError, Result};
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    cohort: CohortArgs,
    /// The second period, compared with --period (e.g. --period 2020-2021 --vs 2022-2023).
    #[arg(long)]
    vs: Option<String>,
    /// Instead: the second cohort's intervention(s), compared with --intervention.
    #[arg(long, value_delimiter = ',')]
    vs_intervention: Vec<String>,
    /// Instead: the second cohort's federation(s), compared with --federation.
    #[arg(long, value_delimiter = ',')]
    vs_federation: Vec<String>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> Result<()> {
    if args.vs.is_none() && args.vs_intervention.is_empty() && args.vs_federation.is_empty() {
        return Err(FinsamError::invalid("say what to compare with: --vs PERIOD, --vs-intervention ID or --vs-federation ID"));
    }
    let model = Model::open_read_only(&args.db.db)?;
    let a = args.cohort.cohort(None)?;
    let mut b = args.cohort.cohort(args.vs.as_deref())?;
    if !args.vs_intervention.is_empty() {
        b.interventions = args.vs_intervention.clone();
    }
    if !args.vs_federation.is_empty() {
        b.federations = args.vs_federation.clone();
    }
    let (lang, privacy, format) = (args.output.lang()?, args.output.privacy(), args.output.format()?);
    super::print_output(&model, &compare_output(&model, &a, &b, lang, privacy)?, format)
}
