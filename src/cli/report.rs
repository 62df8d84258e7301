use super::cohort_args::{CohortArgs, OutputArgs};
use crate::analysis::render::report_sections;
use crate::analysis::standard_report;
use crate::error::Result;
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    cohort: CohortArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> Result<()> {
    let model = Model::open_read_only(&args.db.db)?;
    let cohort = args.cohort.cohort(None)?;
    let (lang, privacy, format) = (args.output.lang()?, args.output.privacy(), args.output.format()?);
    let report = standard_report(&model, &cohort)?;
    let heading = match lang {
        crate::codes::Lang::Sv => format!("Deltagarrapport: {} ({} inskrivningar, {} avslutade; data t.o.m. {})", report.cohort, report.enrolments, report.exited, report.data_end),
        crate::codes::Lang::En => format!("Participant report: {} ({} enrolments, {} exits; data until {})", report.cohort, report.enrolments, report.exited, report.data_end),
    };
    super::print_sections(&model, &heading, &super::tables(report_sections(&report, lang, privacy))?, format)
}
