use crate::error::Result;
use crate::model::Model;
use crate::table::Format;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    /// How to print the result.
    #[arg(long, default_value = "table", value_parser = ["table", "csv", "json"])]
    format: String,
    /// Open the database read-only (several readers may share it).
    #[arg(long)]
    read_only: bool,
    /// The SQL to run, e.g. "SELECT * FROM intervention".
    query: String,
}

pub fn run(args: Args) -> Result<()> {
    let model = if args.read_only { Model::open_read_only(&args.db.db)? } else { Model::open(&args.db.db)? };
    let format: Format = args.format.parse()?;
    let table = model.query(&args.query, &[])?;
    super::print_table(&model, &table, format)
}
