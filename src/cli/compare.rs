use super::cohort_args::AnalysisArgs;
use crate::analysis::outputs::compare_output;
use crate::error::{FinsamError, Result};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: AnalysisArgs,
    /// The second period, compared with --period (e.g. --period 2020-2021 --vs 2022-2023).
    #[arg(long)]
    vs: Option<String>,
    /// Instead: the second cohort's intervention(s), compared with --intervention.
    #[arg(long, value_delimiter = ',')]
    vs_intervention: Vec<String>,
    /// Instead: the second cohort's federation(s), compared with --federation.
    #[arg(long, value_delimiter = ',')]
    vs_federation: Vec<String>,
}

pub fn run(args: Args) -> Result<()> {
    if args.vs.is_none() && args.vs_intervention.is_empty() && args.vs_federation.is_empty() {
        return Err(FinsamError::invalid("say what to compare with: --vs PERIOD, --vs-intervention ID or --vs-federation ID"));
    }
    let a = args.common.open()?;
    let mut b = args.common.cohort.cohort(args.vs.as_deref())?;
    if !args.vs_intervention.is_empty() {
        b.interventions = args.vs_intervention.clone();
    }
    if !args.vs_federation.is_empty() {
        b.federations = args.vs_federation.clone();
    }
    super::print_output(&a.model, &compare_output(&a.model, &a.cohort, &b, a.lang, a.protection)?, a.format)
}
