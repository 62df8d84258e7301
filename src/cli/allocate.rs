use crate::analysis::allocation::{state_payment, AllocationParams};
use crate::analysis::outputs::allocation_output;
use crate::codes::Lang;
use crate::error::Result;
use crate::model::Model;
use crate::table::Format;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    /// The year whose inputs (allocation_input) to use.
    #[arg(long)]
    year: i32,
    /// The amount to divide, SEK. Default: what the state paid these federations that year.
    #[arg(long)]
    amount: Option<f64>,
    /// Base amount per federation, SEK.
    #[arg(long, default_value_t = 400_000.0)]
    base: f64,
    /// Equity up to this share of a federation's yearly funding counts as reasonable.
    #[arg(long, default_value_t = 0.20)]
    reasonable_equity_share: f64,
    /// The largest cut in a year as a share of the preliminary allocation (0 for no cap).
    #[arg(long, default_value_t = 0.10)]
    max_cut: f64,
    /// Pass the amounts held back on to the federations without a cut.
    #[arg(long)]
    redistribute: bool,
    /// How to print the result.
    #[arg(long, default_value = "table", value_parser = ["table", "csv", "json"])]
    format: String,
    /// Label language: sv (default) or en.
    #[arg(long, default_value = "sv", value_parser = ["sv", "en"])]
    lang: String,
}

pub fn run(args: Args) -> Result<()> {
    let model = Model::open_read_only(&args.db.db)?;
    let lang: Lang = args.lang.parse()?;
    let format: Format = args.format.parse()?;
    let amount = match args.amount {
        Some(a) => a,
        None => state_payment(&model, args.year)?,
    };
    let params = AllocationParams {
        amount,
        base_per_federation: args.base,
        reasonable_equity_share: args.reasonable_equity_share,
        max_cut_share: (args.max_cut > 0.0).then_some(args.max_cut),
        redistribute: args.redistribute,
        ..AllocationParams::new(amount)
    };
    super::print_output(&model, &allocation_output(&model, args.year, &params, lang)?, format)
}
