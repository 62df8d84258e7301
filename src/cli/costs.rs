use super::cohort_args::{CohortArgs, OutputArgs};
use crate::analysis::costs::{administration_share, budget_vs_actual, funding_shares, unit_cost_section, unit_costs};
use crate::codes::Lang;
use crate::error::Result;
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    /// Filters: --federation, --intervention, --period (whole years).
    #[command(flatten)]
    cohort: CohortArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> Result<()> {
    let model = Model::open_read_only(&args.db.db)?;
    let cohort = args.cohort.cohort(None)?;
    let (lang, privacy, format) = (args.output.lang()?, args.output.privacy(), args.output.format()?);
    let sv = lang == Lang::Sv;
    let title = |s: &str, e: &str| if sv { s.to_string() } else { e.to_string() };
    let units = unit_cost_section(&unit_costs(&model, &cohort)?, lang, privacy);
    let sections = vec![
        (title("Budget och utfall per finansiär (kr)", "Budget and actual by financier (SEK)"), budget_vs_actual(&model, &cohort)?),
        (units.title.clone(), units.to_table()?),
        (
            title("Medlemmarnas andelar av insatta medel mot 50/25/25 (procent)", "Members' shares of contributions against 50/25/25 (per cent)"),
            funding_shares(&model, &cohort)?,
        ),
        (title("Andel till styrning, ledning och administration", "Share spent on governance and administration"), administration_share(&model, &cohort)?),
    ];
    let heading = if sv { "Kostnader och finansiering".to_string() } else { "Costs and funding".to_string() };
    super::print_sections(&model, &heading, &sections, format)
}
