//! The command line's arguments built from the core's description of each option (`finsam::options`):
//! flags, help, defaults and choices come from there, and the values typed go back as `Given` for the core
//! to parse, so the command line, Python and the kernel take the same options with the same defaults.

use std::marker::PhantomData;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use finsam::options::{Given, Kind, OptionSpec, Value};

/// A set of option specs, as one group of command-line arguments.
pub trait Specs {
    /// The options, in the order `--help` lists them.
    const SPECS: &'static [OptionSpec];
}

/// The values given for one group of options.
#[derive(Clone)]
pub struct Options<S: Specs> {
    pub given: Given,
    specs: PhantomData<S>,
}

impl<S: Specs> Options<S> {
    /// Values given for another group of options, read as this group's.
    pub fn from_given(given: Given) -> Options<S> {
        Options { given, specs: PhantomData }
    }
}

/// The command-line argument of an option: `--kebab-case`, its help, default and choices.
pub fn arg(spec: &OptionSpec) -> Arg {
    let flag = leak(spec.flag());
    let value_name = spec.value_name.unwrap_or_else(|| leak(spec.name.to_uppercase()));
    let arg = Arg::new(spec.name).long(flag).help(spec.help);
    let arg = match spec.kind {
        Kind::Text | Kind::AgeBand => arg.action(ArgAction::Set).value_name(value_name),
        Kind::Texts => arg.action(ArgAction::Append).value_delimiter(',').value_name(value_name),
        Kind::Choice(names) => arg.action(ArgAction::Set).value_parser(PossibleValuesParser::new(names.iter().copied())).value_name(value_name),
        Kind::Months => arg.action(ArgAction::Set).value_parser(clap::value_parser!(u32)).value_name(value_name),
        Kind::MonthsList => arg.action(ArgAction::Append).value_delimiter(',').value_parser(clap::value_parser!(u32)).value_name(value_name),
        Kind::Flag => arg.action(ArgAction::SetTrue),
    };
    match spec.default {
        Some(default) => arg.default_value(default),
        None => arg,
    }
}

/// The values of the options in `specs` as typed (defaults included, which the core would apply anyway).
pub fn given_of(matches: &ArgMatches, specs: &[OptionSpec]) -> Given {
    let mut given = Given::new();
    for spec in specs {
        let value = match spec.kind {
            Kind::Text | Kind::AgeBand | Kind::Choice(_) => matches.get_one::<String>(spec.name).cloned().map(Value::Text),
            Kind::Texts => matches.get_many::<String>(spec.name).map(|v| Value::Texts(v.cloned().collect())),
            Kind::Months => matches.get_one::<u32>(spec.name).map(|m| Value::Number(i64::from(*m))),
            Kind::MonthsList => matches.get_many::<u32>(spec.name).map(|v| Value::Numbers(v.map(|m| i64::from(*m)).collect())),
            Kind::Flag => Some(Value::Flag(matches.get_flag(spec.name))),
        };
        if let Some(value) = value {
            given.set(spec.name, value);
        }
    }
    given
}

impl<S: Specs> clap::FromArgMatches for Options<S> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(Options { given: given_of(matches, S::SPECS), specs: PhantomData })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<S: Specs> clap::Args for Options<S> {
    fn augment_args(command: Command) -> Command {
        S::SPECS.iter().fold(command, |command, spec| command.arg(arg(spec)))
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

/// clap wants names that live as long as the process; this process parses one command line.
pub fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}
