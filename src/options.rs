//! One description of every option the analyses take — the cohort filters, the language, the protection,
//! the output format, the event and months of time to event, the measure of a chart, the second cohort of
//! a comparison — and the one place their values are parsed and their defaults applied. The faces only
//! turn what a person typed into `Given` values: the command line builds its arguments from these specs
//! (`src/cli/options.rs`), Python takes its keyword arguments by these names (`python/src/args.rs`), and
//! a test holds the Python stub to them.

use std::collections::BTreeMap;

use crate::analysis::survival::Event;
use crate::analysis::{Cohort, Measure, Membership};
use crate::codes::{Choice, CodeList, Lang, Sex, Support, TargetGroup};
use crate::disclosure::Protection;
use crate::error::{FinsamError, Result};
use crate::table::Format;

/// What kind of value an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One text.
    Text,
    /// Several texts (comma-separated on the command line, a list in Python).
    Texts,
    /// One of a fixed set of names.
    Choice(&'static [&'static str]),
    /// A whole number of months.
    Months,
    /// Several whole numbers of months.
    MonthsList,
    /// An age band: `18-25`, or two whole numbers.
    AgeBand,
    /// On or off.
    Flag,
}

/// One option: its name (snake_case: the Python keyword; the command line's flag is the same in
/// kebab-case), what it means, what it takes and its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The name, snake_case (`target_group`).
    pub name: &'static str,
    /// What the option means, one sentence for `--help`, docstrings and the docs.
    pub help: &'static str,
    /// The kind of value.
    pub kind: Kind,
    /// The default, as typed (None: not given means not set).
    pub default: Option<&'static str>,
    /// The value's name in `--help` (None: the name in capitals).
    pub value_name: Option<&'static str>,
}

impl OptionSpec {
    /// The command line's flag, without the dashes (`target-group`).
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }
}

const fn spec(name: &'static str, kind: Kind, help: &'static str) -> OptionSpec {
    OptionSpec { name, help, kind, default: None, value_name: None }
}

const fn with_default(name: &'static str, kind: Kind, default: &'static str, help: &'static str) -> OptionSpec {
    OptionSpec { name, help, kind, default: Some(default), value_name: None }
}

/// The cohort filters every analysis takes, in the order `--help` lists them.
pub const COHORT: [OptionSpec; 9] = [
    spec("federation", Kind::Texts, "Federation id(s), comma-separated"),
    spec("intervention", Kind::Texts, "Intervention id(s), comma-separated (see `finsam info`)"),
    spec(
        "period",
        Kind::Text,
        "A named period (2020-2021), years (2022, 2020-2021) or dates (2020-01-01..2021-06-30; whole months for protected output, any \
         dates with --raw)",
    ),
    with_default(
        "membership",
        Kind::Choice(<Membership as Choice>::NAMES),
        "start",
        "Whether an enrolment belongs to the period by its start date or by overlapping it",
    ),
    spec("sex", Kind::Text, "female or male (kvinna/man accepted)"),
    spec("age", Kind::AgeBand, "Age at start, e.g. 18-25"),
    spec("target_group", Kind::Texts, "Target group code(s), comma-separated"),
    spec("support_before", Kind::Texts, "Support before, code(s), comma-separated (e.g. social_assistance)"),
    OptionSpec {
        name: "follow_up",
        help: "A fixed follow-up window in months: only enrolments that started at least this long before the data's end, outcomes \
               within the window (so periods get the same time to have an outcome)",
        kind: Kind::Months,
        default: None,
        value_name: Some("MONTHS"),
    },
];

/// How a result is printed (the command line's tables, CSV and JSON).
pub const FORMAT: OptionSpec = with_default("format", Kind::Choice(<Format as Choice>::NAMES), "table", "How to print the result");
/// The language of labels and headings.
pub const LANG: OptionSpec = with_default("lang", Kind::Choice(<Lang as Choice>::NAMES), "sv", "Label language: sv (default) or en");
/// How counts are protected.
pub const PROTECTION: OptionSpec = spec(
    "protection",
    Kind::Choice(<Protection as Choice>::NAMES),
    "perturbation (the default: every count adjusted by at most ±2 with the cell-key method, none of 1–4 shown, safe against \
     subtracting outputs), suppression (small cells hidden within each table) or raw (true counts, for research)",
);
/// True counts (the same as the protection raw).
pub const RAW: OptionSpec =
    spec("raw", Kind::Flag, "Show true counts, also those under 5 (research use only; never for a board). The same as --protection raw");
/// The event of time to event.
pub const EVENT: OptionSpec = with_default(
    "event",
    Kind::Choice(<Event as Choice>::NAMES),
    "exit",
    "The event: exit (time on the list) or self-support (time to no public support)",
);
/// The months at which time to event is read.
pub const MONTHS: OptionSpec =
    with_default("months", Kind::MonthsList, "3,6,9,12,18,24", "Months at which to report the share still without the event, comma-separated");
/// The outcome a chart draws.
pub const MEASURE: OptionSpec =
    with_default("measure", Kind::Text, "work_or_studies", "The outcome: work_or_studies, started_or_increased, self_supporting, unsubsidised_work");
/// The event a survival chart draws (its help names the chart).
pub const CHART_EVENT: OptionSpec = with_default("event", Kind::Choice(<Event as Choice>::NAMES), "exit", "For survival: exit or self-support");
/// The second period of a comparison.
pub const VS: OptionSpec = spec("vs", Kind::Text, "The second period, compared with --period (e.g. --period 2020-2021 --vs 2022-2023)");
/// The second period of a chart.
pub const CHART_VS: OptionSpec = spec("vs", Kind::Text, "The second period, for the periods chart and two survival curves");
/// The second cohort's interventions.
pub const VS_INTERVENTION: OptionSpec =
    spec("vs_intervention", Kind::Texts, "Instead: the second cohort's intervention(s), compared with --intervention");
/// The second cohort's federations.
pub const VS_FEDERATION: OptionSpec = spec("vs_federation", Kind::Texts, "Instead: the second cohort's federation(s), compared with --federation");

/// The options of a comparison beyond the cohort.
pub const COMPARE: [OptionSpec; 3] = [VS, VS_INTERVENTION, VS_FEDERATION];
/// The options of time to event beyond the cohort.
pub const SURVIVAL: [OptionSpec; 2] = [EVENT, MONTHS];
/// The options of a chart beyond the cohort (its language and protection are `LANG`, `PROTECTION`, `RAW`).
pub const CHART: [OptionSpec; 3] = [CHART_VS, MEASURE, CHART_EVENT];

/// The language and protection of a protected output (the command line adds the format).
pub const PROTECTED_OUTPUT: [OptionSpec; 3] = [LANG, PROTECTION, RAW];

/// An analysis command and the groups of options it takes beyond its positional arguments (a chart's
/// kind), the same in every face.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// The command's name (`report`; the Python method of the same name).
    pub name: &'static str,
    /// Its options, group by group.
    pub groups: &'static [&'static [OptionSpec]],
}

impl Command {
    /// Every option of the command, in order.
    pub fn options(&self) -> impl Iterator<Item = &'static OptionSpec> {
        self.groups.iter().flat_map(|g| g.iter())
    }
}

/// The analysis commands.
pub const COMMANDS: [Command; 5] = [
    Command { name: "report", groups: &[&COHORT, &PROTECTED_OUTPUT] },
    Command { name: "compare", groups: &[&COHORT, &COMPARE, &PROTECTED_OUTPUT] },
    Command { name: "survival", groups: &[&COHORT, &SURVIVAL, &PROTECTED_OUTPUT] },
    Command { name: "costs", groups: &[&COHORT, &PROTECTED_OUTPUT] },
    Command { name: "chart", groups: &[&COHORT, &CHART, &PROTECTED_OUTPUT] },
];

/// An analysis command by name.
pub fn command(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// One value as a face received it, before it is parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A text.
    Text(String),
    /// Several texts.
    Texts(Vec<String>),
    /// A whole number.
    Number(i64),
    /// Several whole numbers.
    Numbers(Vec<i64>),
    /// Two whole numbers (an age band).
    Pair(i64, i64),
    /// On or off.
    Flag(bool),
}

/// The options a person gave, by name; what is not given takes the spec's default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Given(BTreeMap<String, Value>);

impl Given {
    /// Nothing given.
    pub fn new() -> Given {
        Given::default()
    }

    /// Sets an option's value.
    pub fn set(&mut self, name: &str, value: Value) {
        self.0.insert(name.to_string(), value);
    }

    /// The names given.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    fn get(&self, spec: &OptionSpec) -> Option<&Value> {
        self.0.get(spec.name)
    }

    /// A text option, or its default.
    pub fn text(&self, spec: &OptionSpec) -> Result<Option<String>> {
        match self.get(spec) {
            None => Ok(spec.default.map(String::from)),
            Some(Value::Text(t)) => Ok(Some(t.clone())),
            Some(other) => Err(wrong(spec, other, "a text")),
        }
    }

    /// A list of texts (none when not given).
    pub fn texts(&self, spec: &OptionSpec) -> Result<Vec<String>> {
        match self.get(spec) {
            None => Ok(spec.default.map(|d| d.split(',').map(String::from).collect()).unwrap_or_default()),
            Some(Value::Texts(t)) => Ok(t.clone()),
            Some(Value::Text(t)) => Ok(vec![t.clone()]),
            Some(other) => Err(wrong(spec, other, "a text or a list of texts")),
        }
    }

    /// A choice, parsed, or its default.
    pub fn choice<T: Choice>(&self, spec: &OptionSpec) -> Result<Option<T>>
    where
        FinsamError: From<T::Err>,
    {
        Ok(self.text(spec)?.map(|t| t.parse::<T>()).transpose()?)
    }

    /// A whole number of months (none when not given).
    pub fn months(&self, spec: &OptionSpec) -> Result<Option<u32>> {
        match self.get(spec) {
            None => spec.default.map(|d| months(spec, d)).transpose(),
            Some(Value::Number(n)) => u32::try_from(*n).map(Some).map_err(|_| not_months(spec, &n.to_string())),
            Some(Value::Text(t)) => months(spec, t).map(Some),
            Some(other) => Err(wrong(spec, other, "a whole number of months")),
        }
    }

    /// Whole numbers of months, or the default's.
    pub fn months_list(&self, spec: &OptionSpec) -> Result<Vec<u32>> {
        match self.get(spec) {
            None => spec.default.map(|d| d.split(',').map(|m| months(spec, m)).collect()).unwrap_or(Ok(Vec::new())),
            Some(Value::Numbers(ns)) => ns.iter().map(|n| u32::try_from(*n).map_err(|_| not_months(spec, &n.to_string()))).collect(),
            Some(Value::Texts(ts)) => ts.iter().map(|t| months(spec, t)).collect(),
            Some(other) => Err(wrong(spec, other, "whole numbers of months")),
        }
    }

    /// An age band (none when not given).
    pub fn age_band(&self, spec: &OptionSpec) -> Result<Option<(i32, i32)>> {
        match self.get(spec) {
            None => Ok(None),
            Some(Value::Text(t)) => parse_age(t).map(Some),
            Some(Value::Pair(lo, hi)) => match (i32::try_from(*lo), i32::try_from(*hi)) {
                (Ok(lo), Ok(hi)) => Ok(Some((lo, hi))),
                _ => Err(FinsamError::invalid(format!("({lo}, {hi}) is not an age band: expected e.g. 18-25"))),
            },
            Some(other) => Err(wrong(spec, other, "an age band such as 18-25")),
        }
    }

    /// A flag (off when not given).
    pub fn flag(&self, spec: &OptionSpec) -> Result<bool> {
        match self.get(spec) {
            None => Ok(false),
            Some(Value::Flag(on)) => Ok(*on),
            Some(other) => Err(wrong(spec, other, "on or off")),
        }
    }

    /// The cohort of the filters given.
    pub fn cohort(&self) -> Result<Cohort> {
        let [federation, intervention, period, membership, sex, age, target_group, support_before, follow_up] = &COHORT;
        Ok(Cohort {
            federations: self.texts(federation)?,
            interventions: self.texts(intervention)?,
            period: self.text(period)?,
            membership: self.choice::<Membership>(membership)?.unwrap_or_default(),
            sex: self.text(sex)?.as_deref().map(Sex::parse).transpose()?,
            age: self.age_band(age)?,
            target_groups: self.texts(target_group)?.iter().map(|t| TargetGroup::parse(t)).collect::<Result<_>>()?,
            support_before: self.texts(support_before)?.iter().map(|s| Support::parse(s)).collect::<Result<_>>()?,
            follow_up_months: self.months(follow_up)?,
        })
    }

    /// The language asked for, or Swedish.
    pub fn lang(&self) -> Result<Lang> {
        Ok(self.choice::<Lang>(&LANG)?.unwrap_or(Lang::Sv))
    }

    /// The protection asked for with `protection` and `raw` (raw alone means raw; the two must agree).
    pub fn protection(&self) -> Result<Protection> {
        Protection::choose(self.text(&PROTECTION)?.as_deref(), self.flag(&RAW)?)
    }

    /// The output format asked for, or the table.
    pub fn format(&self) -> Result<Format> {
        Ok(self.choice::<Format>(&FORMAT)?.unwrap_or(Format::Table))
    }

    /// The event of time to event, or exit.
    pub fn event(&self) -> Result<Event> {
        Ok(self.choice::<Event>(&EVENT)?.unwrap_or(Event::Exit))
    }

    /// The months of time to event, or the default months.
    pub fn months_of_survival(&self) -> Result<Vec<u32>> {
        self.months_list(&MONTHS)
    }

    /// The measure of a chart, or work or studies.
    pub fn measure(&self) -> Result<Measure> {
        let code = self.text(&MEASURE)?.unwrap_or_default();
        Measure::ALL.iter().copied().find(|m| m.code() == code).ok_or_else(|| FinsamError::Unknown {
            what: "measure",
            name: code,
            known: Measure::ALL.iter().map(|m| m.code().to_string()).collect(),
        })
    }
}

/// `18-25` (or with an en dash) as (18, 25).
pub fn parse_age(text: &str) -> Result<(i32, i32)> {
    let parts: Vec<&str> = text.split(['-', '–']).collect();
    match parts[..] {
        [a, b] => match (a.trim().parse(), b.trim().parse()) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            _ => Err(FinsamError::invalid(format!("'{text}' is not an age band: expected e.g. 18-25"))),
        },
        _ => Err(FinsamError::invalid(format!("'{text}' is not an age band: expected e.g. 18-25"))),
    }
}

fn months(spec: &OptionSpec, text: &str) -> Result<u32> {
    text.trim().parse().map_err(|_| not_months(spec, text))
}

fn not_months(spec: &OptionSpec, text: &str) -> FinsamError {
    FinsamError::invalid(format!("{}: '{text}' is not a whole number of months", spec.name))
}

fn wrong(spec: &OptionSpec, value: &Value, expected: &str) -> FinsamError {
    FinsamError::invalid(format!("{}: expected {expected}, not {value:?}", spec.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_given_is_the_whole_model_with_the_defaults() {
        let given = Given::new();
        assert!(given.cohort().unwrap().is_all());
        assert_eq!(given.lang().unwrap(), Lang::Sv);
        assert_eq!(given.protection().unwrap(), Protection::Perturbation);
        assert_eq!(given.months_of_survival().unwrap(), vec![3, 6, 9, 12, 18, 24]);
        assert_eq!(given.measure().unwrap(), Measure::WorkOrStudies);
    }

    #[test]
    fn an_age_band_is_read_from_text_or_two_numbers() {
        let mut given = Given::new();
        given.set("age", Value::Text("20–24".into()));
        assert_eq!(given.cohort().unwrap().age, Some((20, 24)));
        given.set("age", Value::Pair(25, 29));
        assert_eq!(given.cohort().unwrap().age, Some((25, 29)));
        given.set("age", Value::Text("20".into()));
        assert!(given.cohort().unwrap_err().to_string().contains("not an age band"));
    }

    #[test]
    fn every_choice_default_is_one_of_its_names() {
        for spec in COHORT.iter().chain(&[FORMAT, LANG, PROTECTION, RAW, EVENT, MONTHS, MEASURE, CHART_EVENT]).chain(&COMPARE) {
            if let (Kind::Choice(names), Some(default)) = (spec.kind, spec.default) {
                assert!(names.contains(&default), "{}: {default}", spec.name);
            }
        }
    }

    #[test]
    fn every_listed_choice_parses() {
        fn all_parse<T: Choice>() {
            for name in T::NAMES {
                assert!(name.parse::<T>().is_ok(), "{name}");
            }
        }
        all_parse::<Lang>();
        all_parse::<Format>();
        all_parse::<Protection>();
        all_parse::<Membership>();
        all_parse::<Event>();
    }
}
