use super::cohort_args::AnalysisArgs;
use finsam::error::Result;
use finsam::present::outputs::costs_output;

/// Filters: --federation, --intervention, --period (whole years).
pub type Args = AnalysisArgs;

pub fn run(args: Args) -> Result<()> {
    let a = args.open()?;
    super::print_output(&a.model, &costs_output(&a.model, &a.cohort, a.lang, a.protection)?, a.format)
}
