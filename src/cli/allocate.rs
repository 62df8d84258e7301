use crate::analysis::allocation::{allocate, inputs_for_year, state_payment, AllocationParams};
use crate::codes::Lang;
use crate::error::Result;
use crate::model::Model;
use crate::table::Format;
use crate::analysis::render::{Section, Value};
use crate::analysis::privacy::Cell;

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
    let result = allocate(&inputs_for_year(&model, args.year)?, &params)?;
    let sv = lang == Lang::Sv;
    let columns: Vec<&str> = if sv {
        vec!["förbund", "försörjningsmått", "befolkning 16–64", "eget kapital kr", "andel av nyckeln", "preliminärt kr", "rimlig nivå kr", "avdrag kr", "tilldelning kr"]
    } else {
        vec!["federation", "support measure", "population 16–64", "equity SEK", "key share", "preliminary SEK", "reasonable level SEK", "reduction SEK", "allocation SEK"]
    };
    let title = if sv {
        "Statens fördelningsmodell: grundbelopp, 75 % efter försörjningsmått och 25 % efter befolkning 16–64, avdrag för högt eget kapital"
    } else {
        "The state allocation model: base amount, 75% by support measure and 25% by population 16–64, reduction for high equity"
    };
    let mut section = Section::new(title, &columns);
    let n = |x: f64| Value::Number(Some(x.round()));
    for a in &result {
        section.rows.push(vec![
            Value::Text(a.input.federation.clone()),
            n(a.input.support_measure),
            Value::Count(Cell::Shown(a.input.population_16_64 as u64)),
            n(a.input.equity_sek),
            Value::Number(Some((a.key_share * 1e6).round() / 1e6)),
            n(a.preliminary),
            n(a.reasonable_equity),
            n(a.reduction),
            n(a.allocation),
        ]);
    }
    let total: f64 = result.iter().map(|a| a.allocation).sum();
    let heading = if sv {
        format!("År {}: {:.0} kr att fördela, {:.0} kr fördelat", args.year, amount, total)
    } else {
        format!("Year {}: {:.0} SEK to divide, {:.0} SEK allocated", args.year, amount, total)
    };
    super::print_sections(&model, &heading, &super::tables(vec![section])?, format)
}
