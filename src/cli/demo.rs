use std::path::PathBuf;

use finsam::error::Result;

#[derive(clap::Args)]
pub struct Args {
    /// The database to create (it must be new or empty).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let model = finsam::open_or_create(&args.db)?;
    finsam::demo::load(&model)?;
    let overview = finsam::overview::overview(&model)?;
    println!("Wrote the demo to {}.", super::shown(&args.db));
    super::info::print_overview(&model, &overview)
}

#[derive(clap::Args)]
pub struct InitArgs {
    /// The database to create (an existing file is refused).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
}

pub fn init(args: InitArgs) -> Result<()> {
    let model = finsam::create(&args.db)?;
    println!("Created an empty finsam database (schema version {}) at {}.", model.schema_version()?, super::shown(&args.db));
    Ok(())
}
