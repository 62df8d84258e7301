//! `finsam plugins` and `finsam run NAME`: the command line of a plugin analysis is built from the
//! analysis's own description (its arguments, types, defaults and help), so `finsam run NAME --help` is
//! always right and nothing here knows any plugin.

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, Args as _, FromArgMatches as _};
use finsam_plugin::{ArgInput, ArgSpec, ArgType};

use super::cohort_args::{CohortArgs, OutputArgs};
use super::options::{Options, Specs};
use finsam::error::{FinsamError, Result};
use finsam::options::OptionSpec;
use finsam::plugins::{builtin, catalogue, run_analysis, Call};

/// The format of the list: the core's format option, with this command's help.
#[derive(Clone)]
pub struct ListFormatSpecs;
impl Specs for ListFormatSpecs {
    const SPECS: &'static [OptionSpec] = &[OptionSpec { help: "How to print the list", ..finsam::options::FORMAT }];
}
type ListFormatArgs = Options<ListFormatSpecs>;

#[derive(clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    format: ListFormatArgs,
}

pub fn list(args: ListArgs) -> Result<()> {
    let format = args.format.given.format()?;
    let table = catalogue(&*builtin()?)?;
    println!("{}", table.render(format)?.trim_end());
    Ok(())
}

#[derive(clap::Args)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// The analysis (see `finsam plugins`) followed by its options: `finsam run NAME --help` lists them.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0.., value_name = "NAME [OPTIONS]")]
    args: Vec<String>,
}

pub fn run(args: RunArgs) -> Result<()> {
    let registry = builtin()?;
    let name = match args.args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => {
            println!("Run a plugin analysis: finsam run NAME --db FILE [cohort filters] [--ARG VALUE ...]\n\nAnalyses:");
            for p in registry.plugins() {
                for c in &p.capabilities {
                    if let finsam_plugin::Capability::Analysis(a) = c {
                        println!("  {:<16} {} (plugin {})", a.name(), a.description(), p.name);
                    }
                }
            }
            println!("\n`finsam run NAME --help` lists an analysis's options.");
            return Ok(());
        }
        Some(option) if option.starts_with('-') => {
            return Err(FinsamError::invalid(format!("the analysis comes first: finsam run NAME {option} ... (`finsam run` lists the analyses)")))
        }
        Some(name) => name.to_string(),
    };
    let (_, analysis) = registry.analysis(&name).ok_or_else(|| FinsamError::Unknown {
        what: "plugin analysis",
        name: name.clone(),
        known: registry.analysis_names(),
    })?;
    let mut command = clap::Command::new(leak(format!("finsam run {name}"))).no_binary_name(true);
    command = super::DbArg::augment_args(command);
    if analysis.uses_cohort() {
        command = CohortArgs::augment_args(command);
    }
    command = OutputArgs::augment_args(command);
    let specs = analysis.args();
    for spec in &specs {
        command = command.arg(clap_arg(spec));
    }
    // After the flattened groups, whose doc comments would otherwise stand as the command's description.
    command = command.about(analysis.description());
    // clap prints help (exit 0) or the error (exit 2) itself, as for every other subcommand.
    let matches = command.try_get_matches_from(&args.args[1..]).unwrap_or_else(|e| e.exit());
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    // A cohort only when a filter was given (an analysis of the whole database refuses one).
    let cohort = if analysis.uses_cohort() {
        Some(CohortArgs::from_arg_matches(&matches).map_err(|e| FinsamError::invalid(e.to_string()))?.cohort()?).filter(|c| !c.is_all())
    } else {
        None
    };
    let output = OutputArgs::from_arg_matches(&matches).map_err(|e| FinsamError::invalid(e.to_string()))?;
    let db = super::DbArg::from_arg_matches(&matches).map_err(|e| FinsamError::invalid(e.to_string()))?;
    let mut call_args = Vec::new();
    for spec in &specs {
        if !given(spec.name) {
            continue;
        }
        let value = match spec.ty {
            ArgType::Flag => "true".to_string(),
            _ => matches.get_one::<String>(spec.name).cloned().unwrap_or_default(),
        };
        call_args.push((spec.name.to_string(), ArgInput::Text(value)));
    }
    let model = finsam::open_read_only(&db.db)?;
    let call = Call { name, cohort, args: call_args, lang: output.lang()?, protection: output.protection()? };
    let result = run_analysis(&model, &call)?;
    super::print_output(&model, &result, output.format()?)
}

/// The command-line option of a declared argument: `--kebab-case`, its help with type and default.
fn clap_arg(spec: &ArgSpec) -> Arg {
    let help = match &spec.default {
        Some(d) if spec.ty != ArgType::Flag => format!("{} [{}, default {d}]", spec.help, spec.ty.describe()),
        None if spec.required => format!("{} [{}, required]", spec.help, spec.ty.describe()),
        _ => format!("{} [{}]", spec.help, spec.ty.describe()),
    };
    let arg = Arg::new(spec.name).long(leak(spec.name.replace('_', "-"))).help(help);
    match spec.ty {
        ArgType::Flag => arg.action(ArgAction::SetTrue),
        ArgType::Choice(words) => arg.value_parser(clap::builder::PossibleValuesParser::new(words.iter().copied())).value_name("WORD"),
        ArgType::Integer => arg.value_name("INTEGER").allow_negative_numbers(true),
        ArgType::Number => arg.value_name("NUMBER").allow_negative_numbers(true),
        ArgType::Text => arg.value_name("TEXT"),
    }
}

use super::options::leak;
