//! The state's allocation model as a finsam plugin: `finsam run allocation --db F --year 2024` (alias
//! `finsam allocate`), `model.run("allocation", year=2024)` (alias `model.allocate(2024)`).
//!
//! It works on the whole database (every federation's inputs of a year), not on a cohort, and counts no
//! people: its output needs no disclosure control beyond what the core applies to every plugin.

pub mod model;

use finsam_plugin::{Analysis, ArgSpec, ArgValue, Args, Context, Output, Param, Plugin, PluginError, Registrar, Rows, Section, Value};
use model::{allocate, AllocationInput, AllocationParams, NationalTotals};

pub struct AllocationPlugin;

impl Plugin for AllocationPlugin {
    fn name(&self) -> &'static str {
        "allocation"
    }
    fn description(&self) -> &'static str {
        "The state allocation model (since 2016): each federation's share of a national amount"
    }
    fn register(&self, registrar: &mut Registrar) {
        registrar.analysis(AllocationAnalysis);
    }
}

struct AllocationAnalysis;

impl Analysis for AllocationAnalysis {
    fn name(&self) -> &'static str {
        "allocation"
    }
    fn description(&self) -> &'static str {
        "Base amount, 75 % by försörjningsmått and 25 % by population 16–64, a cut for equity above a reasonable level"
    }
    fn args(&self) -> Vec<ArgSpec> {
        vec![
            ArgSpec::integer("year", "The year whose inputs (allocation_input) to use"),
            ArgSpec::number("amount", "The amount to divide, SEK (default: what the state paid these federations that year)").optional(),
            ArgSpec::number("base", "Base amount per federation, SEK").default(ArgValue::Number(400_000.0)),
            ArgSpec::number("reasonable_equity_share", "Equity up to this share of a federation's yearly funding counts as reasonable")
                .default(ArgValue::Number(0.20)),
            ArgSpec::number(
                "max_cut",
                "The largest cut in a year as a share of the preliminary allocation (0 for no cap; default 0.10 in 2016–2017, when the cap applied, else none)",
            )
            .optional(),
            ArgSpec::flag("redistribute", "Pass the amounts held back on to the federations without a cut"),
            ArgSpec::number("national_support_measure", "The whole country's försörjningsmått (with the two below: key shares of the nation)")
                .optional(),
            ArgSpec::number("national_population", "The whole country's population 16–64").optional(),
            ArgSpec::integer("national_federations", "How many federations the state divides among").optional(),
        ]
    }
    fn uses_cohort(&self) -> bool {
        false
    }
    fn run(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError> {
        let year = args.integer("year")?;
        let national = national_totals(args)?;
        let amount = match (args.number_or_none("amount")?, national) {
            (Some(a), _) => a,
            (None, None) => state_payment(ctx, year)?,
            (None, Some(_)) => {
                return Err(PluginError::new(
                    "with national totals, give the national amount too (amount): what the state paid these federations is only part of it",
                ))
            }
        };
        // The 10 % cap on a year's cut applied in 2016–2017, the model's first years; later years have none.
        let max_cut = args.number_or_none("max_cut")?.unwrap_or(if (2016..=2017).contains(&year) { 0.10 } else { 0.0 });
        if max_cut < 0.0 {
            return Err(PluginError(format!("max_cut is a share: it must lie between 0 and 1 (0 for no cap), not {max_cut}")));
        }
        let params = AllocationParams {
            amount,
            base_per_federation: args.number("base")?,
            reasonable_equity_share: args.number("reasonable_equity_share")?,
            max_cut_share: (max_cut > 0.0).then_some(max_cut),
            redistribute: args.flag("redistribute")?,
            national,
            ..AllocationParams::new(amount)
        };
        let inputs = inputs_for_year(ctx, year)?;
        let result = allocate(&inputs, &params)?;
        let lang = ctx.lang();
        let columns: [&str; 9] = match lang {
            finsam_plugin::Lang::Sv => [
                "förbund",
                "försörjningsmått",
                "befolkning 16–64",
                "eget kapital kr",
                "andel av nyckeln",
                "preliminärt kr",
                "rimlig nivå kr",
                "avdrag kr",
                "tilldelning kr",
            ],
            finsam_plugin::Lang::En => [
                "federation",
                "support measure",
                "population 16–64",
                "equity SEK",
                "key share",
                "preliminary SEK",
                "reasonable level SEK",
                "reduction SEK",
                "allocation SEK",
            ],
        };
        let title = lang.pick(
            "Statens fördelningsmodell: grundbelopp, 75 % efter försörjningsmått och 25 % efter befolkning 16–64, avdrag för högt eget kapital",
            "The state allocation model: base amount, 75% by support measure and 25% by population 16–64, reduction for high equity",
        );
        // Key shares over the federations in the database are shares of that set, not of the nation: say so.
        let title = match (national, lang) {
            (Some(_), _) => title.to_string(),
            (None, finsam_plugin::Lang::Sv) => format!(
                "{title} (andelar av nyckeln räknade över de {} förbund som finns i databasen, inte hela landet: ange nationella totaler)",
                inputs.len()
            ),
            (None, finsam_plugin::Lang::En) => format!(
                "{title} (key shares computed over the {} federations in the database, not the whole country: give the national totals)",
                inputs.len()
            ),
        };
        let mut section = Section::new("allocation", title, &columns);
        let names = federation_names(ctx)?;
        let sek = |x: f64| Value::Number(Some(x.round()));
        // Whole kronor that add up to the total shown (largest remainder), so no board member finds the rows
        // a krona off the heading.
        let allocated = model::whole_kronor(&result.iter().map(|a| a.allocation).collect::<Vec<_>>());
        for (a, whole) in result.iter().zip(&allocated) {
            let name = names.iter().find(|(id, _)| *id == a.input.federation).map_or(a.input.federation.clone(), |(_, n)| n.clone());
            section.push(vec![
                Value::Text(name),
                sek(a.input.support_measure),
                Value::Integer(Some(a.input.population_16_64 as i64)),
                sek(a.input.equity_sek),
                Value::Number(Some((a.key_share * 1e6).round() / 1e6)),
                sek(a.preliminary),
                sek(a.reasonable_equity),
                sek(a.reduction),
                Value::Number(Some(*whole as f64)),
            ]);
        }
        let total: i64 = allocated.iter().sum();
        let here = result.len();
        let heading = match (lang, national) {
            (finsam_plugin::Lang::Sv, None) => format!("År {year}: {amount:.0} kr att fördela, {total:.0} kr fördelat"),
            (finsam_plugin::Lang::En, None) => format!("Year {year}: {amount:.0} SEK to divide, {total:.0} SEK allocated"),
            (finsam_plugin::Lang::Sv, Some(n)) => {
                format!("År {year}: {amount:.0} kr att fördela på {} förbund, varav {total:.0} kr till de {here} förbunden här", n.federations)
            }
            (finsam_plugin::Lang::En, Some(n)) => {
                format!("Year {year}: {amount:.0} SEK to divide among {} federations, of which {total:.0} SEK to the {here} here", n.federations)
            }
        };
        Ok(Output { heading, sections: vec![section] })
    }
}

/// The national totals, when all three are given (none: the federations in the database are the whole).
fn national_totals(args: &Args) -> Result<Option<NationalTotals>, PluginError> {
    let support = args.number_or_none("national_support_measure")?;
    let population = args.number_or_none("national_population")?;
    let federations = args.integer_or_none("national_federations")?;
    match (support, population, federations) {
        (None, None, None) => Ok(None),
        (Some(support_measure), Some(population_16_64), Some(federations)) if federations > 0 && support_measure > 0.0 && population_16_64 > 0.0 => {
            Ok(Some(NationalTotals { support_measure, population_16_64, federations: federations as u32 }))
        }
        (Some(_), Some(_), Some(_)) => Err(PluginError::new("the national totals must be positive")),
        _ => Err(PluginError::new("give all three national totals (national_support_measure, national_population, national_federations) or none")),
    }
}

/// The inputs of a year.
pub fn inputs_for_year(ctx: &dyn Context, year: i64) -> Result<Vec<AllocationInput>, PluginError> {
    let rows = Rows::new(ctx.query(
        "SELECT federation_id, support_measure, population_16_64, equity_sek::DOUBLE AS equity_sek
         FROM finsam_allocation_input WHERE year = ? ORDER BY federation_id",
        &[Param::Integer(year)],
    )?);
    let ids = rows.texts("federation_id")?;
    let support = rows.numbers("support_measure")?;
    let population = rows.numbers("population_16_64")?;
    let equity = rows.numbers("equity_sek")?;
    Ok((0..rows.len())
        .map(|i| AllocationInput {
            federation: ids[i].clone().unwrap_or_default(),
            support_measure: support[i].unwrap_or(0.0),
            population_16_64: population[i].unwrap_or(0.0),
            equity_sek: equity[i].unwrap_or(0.0),
        })
        .collect())
}

/// What the state paid the federations in a year (FK's contributions, AF's part included): the default
/// amount to divide, so the model shows how the same money would be shared.
pub fn state_payment(ctx: &dyn Context, year: i64) -> Result<f64, PluginError> {
    let rows = Rows::new(ctx.query(
        "SELECT coalesce(sum(c.amount_sek), 0)::DOUBLE AS paid FROM finsam_contribution c JOIN finsam_member m USING (member_id)
         WHERE m.party IN ('fk', 'af') AND c.year = ?",
        &[Param::Integer(year)],
    )?);
    Ok(rows.numbers("paid")?.first().copied().flatten().unwrap_or(0.0))
}

fn federation_names(ctx: &dyn Context) -> Result<Vec<(String, String)>, PluginError> {
    let rows = Rows::new(ctx.query("SELECT federation_id, name FROM finsam_federation", &[])?);
    let (ids, names) = (rows.texts("federation_id")?, rows.texts("name")?);
    Ok(ids.into_iter().zip(names).map(|(i, n)| (i.unwrap_or_default(), n.unwrap_or_default())).collect())
}
