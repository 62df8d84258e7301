use finsam::error::Result;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    format: super::cohort_args::FormatArgs,
    /// Open the database for writing (CREATE VIEW, UPDATE...) and let the SQL read and write files
    /// (COPY ... TO, read_csv, ATTACH). Without it the database is opened read-only: other readers are not
    /// blocked, nothing changes by mistake, and the SQL can touch no file but the database.
    #[arg(long, conflicts_with = "read_only")]
    write: bool,
    /// Read-only (the default; kept for scripts that say so).
    #[arg(long, hide = true)]
    read_only: bool,
    /// The SQL to run, e.g. "SELECT * FROM intervention".
    query: String,
}

pub fn run(args: Args) -> Result<()> {
    let model = if args.write {
        eprintln!("finsam sql --write: {} is open for writing, and this SQL may read and write files", super::shown(&args.db.db));
        finsam::open(&args.db.db)?
    } else {
        finsam::open_read_only(&args.db.db)?
    };
    let format = args.format.format()?;
    let table = model.query(&args.query, &[])?;
    super::print_table(&model, &table, format)
}
