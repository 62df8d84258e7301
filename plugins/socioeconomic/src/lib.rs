//! The socio-economic calculation (samhällsekonomisk kalkyl) as a plugin: what an intervention gives back,
//! and to whom — the municipality, the region, Försäkringskassan, Arbetsförmedlingen, the rest of the state
//! and the participants — over one year, a longer horizon and (as an option) to the pension age, against
//! the intervention's cost, with a sensitivity analysis and every parameter's source.
//!
//! The structure follows the NyttoSam reports (payoff) that federations commission: income, cost and net
//! per actor over a short and a medium horizon, payback time, the cost written off over three years, the
//! share of the effect due to outside factors. Here it is computed openly from the participants' own
//! statuses before and after, with the parameters in a file anyone can read and change.

mod actors;
mod calculation;
mod charts;
mod cost;
mod parameters;
mod people;
mod report;

use finsam_plugin::{Analysis, ArgSpec, ArgValue, Args, Context, Output, Plugin, PluginError, Registrar};

pub use parameters::DEFAULT_FILE as DEFAULT_PARAMETERS;

pub struct SocioEconomicPlugin;

impl Plugin for SocioEconomicPlugin {
    fn name(&self) -> &'static str {
        "socio-economic"
    }
    fn description(&self) -> &'static str {
        "The socio-economic calculation: what an intervention gives back, and to whom"
    }
    fn register(&self, registrar: &mut Registrar) {
        registrar.analysis(SocioEconomic);
        registrar.analysis(SocioEconomicParameters);
        registrar.chart(charts::Actors);
        registrar.chart(charts::Payback);
        registrar.chart(charts::Tornado);
    }
}

fn parameters_arg() -> ArgSpec {
    ArgSpec::text("parameters", "A parameter file (TOML) to use instead of the defaults; start from a copy of plugins/socioeconomic/parameters.toml")
        .optional()
}

struct SocioEconomic;

impl Analysis for SocioEconomic {
    fn name(&self) -> &'static str {
        "socio-economic"
    }
    fn description(&self) -> &'static str {
        "Income, cost and net per actor of the cohort's change from before to after, against the intervention's cost"
    }
    fn args(&self) -> Vec<ArgSpec> {
        vec![
            ArgSpec::integer("horizon_years", "The longer horizon in years (the calculation always shows one year too)")
                .default(ArgValue::Integer(5)),
            ArgSpec::flag("lifetime", "Also count to the pension age"),
            parameters_arg(),
            ArgSpec::number("cost_sek", "The intervention's cost for the cohort, instead of its share of the actual costs in the budget").optional(),
        ]
    }
    fn run(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError> {
        report::run(ctx, args)
    }
}

/// The parameters in use, with their sources: the table a federation checks before trusting the result.
struct SocioEconomicParameters;

impl Analysis for SocioEconomicParameters {
    fn name(&self) -> &'static str {
        "socio-economic-parameters"
    }
    fn description(&self) -> &'static str {
        "The parameters of the socio-economic calculation (the defaults, or a file's), each with its source"
    }
    fn args(&self) -> Vec<ArgSpec> {
        vec![
            parameters_arg(),
            ArgSpec::text("write_to", "Also write the file (the defaults, or the file given) to this new path, to copy and edit").optional(),
        ]
    }
    fn uses_cohort(&self) -> bool {
        false
    }
    fn run(&self, ctx: &dyn Context, args: &Args) -> Result<Output, PluginError> {
        let p = parameters::Parameters::from_args(args)?;
        if let Some(ArgValue::Text(target)) = args.get("write_to") {
            parameters::write_copy(args, target)?;
        }
        let lang = ctx.lang();
        Ok(Output {
            heading: lang.pick("Parametrar för den samhällsekonomiska kalkylen", "Parameters of the socio-economic calculation").to_string(),
            sections: vec![report::parameter_section(&p, &report::CodeLabels::read(ctx)?, lang)],
        })
    }
}
