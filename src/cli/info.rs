use finsam::error::Result;
use finsam::model::Model;
use finsam::overview::{overview, Overview};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
}

pub fn run(args: Args) -> Result<()> {
    let model = finsam::open_read_only(&args.db.db)?;
    println!("Database: {}", super::shown(&args.db.db));
    print_overview(&model, &overview(&model)?)
}

pub fn print_overview(model: &Model, o: &Overview) -> Result<()> {
    println!("Schema version: {}", o.schema_version);
    if o.synthetic {
        println!("{}", super::synthetic_note(model)?);
    }
    println!("The counts below are exact, for whoever holds the database; they are not protected for a board.");
    println!("\nFederations ({}):\n{}", o.federations.num_rows(), o.federations.to_text_table()?);
    println!("\nInterventions ({}):\n{}", o.interventions.num_rows(), o.interventions.to_text_table()?);
    println!("\nPeriods ({}):\n{}", o.periods.num_rows(), o.periods.to_text_table()?);
    println!("\nRows:");
    for (table, n) in &o.row_counts {
        println!("  {table:<22} {n:>12}");
    }
    Ok(())
}
