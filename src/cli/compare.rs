use super::cohort_args::AnalysisArgs;
use finsam::error::Result;
use finsam::present::outputs::compare_output;

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
    let a = args.common.open()?;
    let b = a.cohort.versus(args.vs, args.vs_intervention, args.vs_federation)?;
    super::print_output(&a.model, &compare_output(&a.model, &a.cohort, &b, a.lang, a.protection)?, a.format)
}
