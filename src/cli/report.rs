use super::cohort_args::AnalysisArgs;
use crate::analysis::outputs::report_output;
use crate::error::Result;

pub type Args = AnalysisArgs;

pub fn run(args: Args) -> Result<()> {
    let a = args.open()?;
    super::print_output(&a.model, &report_output(&a.model, &a.cohort, a.lang, a.privacy)?, a.format)
}
