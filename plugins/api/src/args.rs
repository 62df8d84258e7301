//! Typed arguments: a capability declares them once, and the command line, the Python call and the help
//! text are all checked against that declaration.

use crate::PluginError;

/// The type of an argument.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgType {
    /// A whole number.
    Integer,
    /// A number (a whole number is taken too).
    Number,
    /// Any text.
    Text,
    /// On or off; on the command line `--name` alone means on.
    Flag,
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
}

impl ArgType {
    /// The type with its article, for sentences ("must be an integer").
    pub fn in_words(&self) -> String {
        match self {
            ArgType::Integer => "an integer".into(),
            ArgType::Number => "a number".into(),
            ArgType::Text => "a text".into(),
            ArgType::Flag => "true or false".into(),
            ArgType::Choice(words) => format!("one of {}", words.join(", ")),
        }
    }

    /// The type in a word, for help texts ("integer", "one of a, b").
    pub fn describe(&self) -> String {
        match self {
            ArgType::Integer => "integer".into(),
            ArgType::Number => "number".into(),
            ArgType::Text => "text".into(),
            ArgType::Flag => "flag".into(),
            ArgType::Choice(words) => format!("one of {}", words.join(", ")),
        }
    }
}

/// A value of an argument.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// A whole number.
    Integer(i64),
    /// A number.
    Number(f64),
    /// A text.
    Text(String),
    /// On or off.
    Flag(bool),
}

impl std::fmt::Display for ArgValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgValue::Integer(v) => write!(f, "{v}"),
            ArgValue::Number(v) => write!(f, "{v}"),
            ArgValue::Text(v) => f.write_str(v),
            ArgValue::Flag(v) => write!(f, "{v}"),
        }
    }
}

/// One declared argument: its name (snake_case; `--kebab-case` on the command line), type, default
/// (`None`: required, except flags, which default to off) and a line of help.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgSpec {
    /// The name, snake_case.
    pub name: &'static str,
    /// What values it takes.
    pub ty: ArgType,
    /// The value when it is not given (`None`: no default).
    pub default: Option<ArgValue>,
    /// Whether the call must give it (no default, not optional).
    pub required: bool,
    /// One line of help.
    pub help: &'static str,
}

impl ArgSpec {
    /// A required whole number (`.default(...)` or `.optional()` to relax it).
    pub fn integer(name: &'static str, help: &'static str) -> ArgSpec {
        ArgSpec { name, ty: ArgType::Integer, default: None, required: true, help }
    }
    /// A required number.
    pub fn number(name: &'static str, help: &'static str) -> ArgSpec {
        ArgSpec { name, ty: ArgType::Number, default: None, required: true, help }
    }
    /// A required text.
    pub fn text(name: &'static str, help: &'static str) -> ArgSpec {
        ArgSpec { name, ty: ArgType::Text, default: None, required: true, help }
    }
    /// A flag, off unless given.
    pub fn flag(name: &'static str, help: &'static str) -> ArgSpec {
        ArgSpec { name, ty: ArgType::Flag, default: Some(ArgValue::Flag(false)), required: false, help }
    }
    /// A required choice among `words`.
    pub fn choice(name: &'static str, words: &'static [&'static str], help: &'static str) -> ArgSpec {
        ArgSpec { name, ty: ArgType::Choice(words), default: None, required: true, help }
    }
    /// The value used when the argument is not given.
    pub fn default(mut self, value: ArgValue) -> ArgSpec {
        self.default = Some(value);
        self.required = false;
        self
    }
    /// May be left out, with no default: the analysis decides (read it with `Args::get`).
    pub fn optional(mut self) -> ArgSpec {
        self.required = false;
        self
    }

    /// "amount (number, default 1000)": how errors and listings name the argument.
    pub fn signature(&self) -> String {
        match (&self.default, self.required) {
            (Some(d), _) => format!("{} ({}, default {d})", self.name, self.ty.describe()),
            (None, true) => format!("{} ({}, required)", self.name, self.ty.describe()),
            (None, false) => format!("{} ({}, optional)", self.name, self.ty.describe()),
        }
    }

    /// Checks one given value against the declaration.
    fn accept(&self, input: &ArgInput, capability: &str) -> Result<ArgValue, PluginError> {
        let wrong = |got: &str| {
            PluginError(format!("argument '{}' of '{capability}' must be {}; got {got}. It is {}", self.name, self.ty.in_words(), self.signature()))
        };
        match (input, &self.ty) {
            (ArgInput::Text(t), ArgType::Integer) => t.trim().parse().map(ArgValue::Integer).map_err(|_| wrong(&format!("'{t}'"))),
            (ArgInput::Text(t), ArgType::Number) => match t.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(ArgValue::Number(v)),
                _ => Err(wrong(&format!("'{t}'"))),
            },
            (ArgInput::Text(t), ArgType::Text) => Ok(ArgValue::Text(t.clone())),
            (ArgInput::Text(t), ArgType::Flag) => match t.as_str() {
                "" | "true" | "yes" | "1" => Ok(ArgValue::Flag(true)),
                "false" | "no" | "0" => Ok(ArgValue::Flag(false)),
                other => Err(wrong(&format!("'{other}'"))),
            },
            (ArgInput::Text(t), ArgType::Choice(words)) | (ArgInput::Value(ArgValue::Text(t)), ArgType::Choice(words)) => {
                if words.contains(&t.as_str()) {
                    Ok(ArgValue::Text(t.clone()))
                } else {
                    Err(wrong(&format!("'{t}'")))
                }
            }
            (ArgInput::Value(v @ ArgValue::Integer(_)), ArgType::Integer)
            | (ArgInput::Value(v @ ArgValue::Text(_)), ArgType::Text)
            | (ArgInput::Value(v @ ArgValue::Flag(_)), ArgType::Flag) => Ok(v.clone()),
            (ArgInput::Value(ArgValue::Number(v)), ArgType::Number) if v.is_finite() => Ok(ArgValue::Number(*v)),
            // An integer where a number is asked for is a number.
            (ArgInput::Value(ArgValue::Integer(v)), ArgType::Number) => Ok(ArgValue::Number(*v as f64)),
            (ArgInput::Value(v), _) => Err(wrong(&format!("{v:?}"))),
        }
    }
}

/// An argument as given: text from the command line, or a typed value from Python.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgInput {
    /// Text from the command line, parsed against the declared type.
    Text(String),
    /// A typed value (from Python), checked against the declared type.
    Value(ArgValue),
}

/// Names an argument may not take: the faces use them for the cohort filters and the output options.
pub const RESERVED_ARG_NAMES: &[&str] = &[
    "db",
    "federation",
    "intervention",
    "period",
    "membership",
    "sex",
    "age",
    "target_group",
    "support_before",
    "format",
    "lang",
    "protection",
    "raw",
    "help",
    "name",
];

/// Checked arguments: every declared argument has a value (given or default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    values: Vec<(&'static str, ArgValue)>,
}

impl Args {
    /// Checks `given` (name, value) pairs against `specs`: an unknown name, a value of the wrong type, a
    /// name given twice and a missing required argument are errors that say what is expected.
    pub fn check(capability: &str, specs: &[ArgSpec], given: &[(String, ArgInput)]) -> Result<Args, PluginError> {
        let listing = || {
            if specs.is_empty() {
                "it takes no arguments".to_string()
            } else {
                format!("its arguments are {}", specs.iter().map(ArgSpec::signature).collect::<Vec<_>>().join("; "))
            }
        };
        let mut values: Vec<(&'static str, ArgValue)> = Vec::new();
        for (name, input) in given {
            let wanted = name.replace('-', "_");
            let spec = specs
                .iter()
                .find(|s| s.name == wanted)
                .ok_or_else(|| PluginError(format!("'{capability}' has no argument '{name}': {}", listing())))?;
            if values.iter().any(|(n, _)| *n == spec.name) {
                return Err(PluginError(format!("argument '{}' of '{capability}' is given twice", spec.name)));
            }
            values.push((spec.name, spec.accept(input, capability)?));
        }
        for spec in specs {
            if values.iter().any(|(n, _)| *n == spec.name) {
                continue;
            }
            match &spec.default {
                Some(d) => values.push((spec.name, d.clone())),
                None if spec.required => return Err(PluginError(format!("'{capability}' needs the argument {}", spec.signature()))),
                None => {}
            }
        }
        Ok(Args { values })
    }

    /// The value of an argument, or `None` when it was not given and has no default.
    pub fn get(&self, name: &str) -> Option<&ArgValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// A whole-number argument (an error names it if it was declared otherwise).
    pub fn integer(&self, name: &str) -> Result<i64, PluginError> {
        match self.get(name) {
            Some(ArgValue::Integer(v)) => Ok(*v),
            other => Err(undeclared(name, "an integer", other)),
        }
    }

    /// A number argument (a whole number is taken too).
    pub fn number(&self, name: &str) -> Result<f64, PluginError> {
        match self.get(name) {
            Some(ArgValue::Number(v)) => Ok(*v),
            Some(ArgValue::Integer(v)) => Ok(*v as f64),
            other => Err(undeclared(name, "a number", other)),
        }
    }

    /// An optional integer: `None` when it was not given.
    pub fn integer_or_none(&self, name: &str) -> Result<Option<i64>, PluginError> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.integer(name).map(Some),
        }
    }

    /// An optional number: `None` when it was not given.
    pub fn number_or_none(&self, name: &str) -> Result<Option<f64>, PluginError> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.number(name).map(Some),
        }
    }

    /// A text argument.
    pub fn text(&self, name: &str) -> Result<&str, PluginError> {
        match self.get(name) {
            Some(ArgValue::Text(v)) => Ok(v),
            other => Err(undeclared(name, "a text", other)),
        }
    }

    /// A flag argument.
    pub fn flag(&self, name: &str) -> Result<bool, PluginError> {
        match self.get(name) {
            Some(ArgValue::Flag(v)) => Ok(*v),
            other => Err(undeclared(name, "a flag", other)),
        }
    }

    /// Every argument with a value, by name, in the declared order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ArgValue)> {
        self.values.iter().map(|(n, v)| (*n, v))
    }
}

/// A plugin asked for an argument it did not declare (or as another type): a bug in the plugin.
fn undeclared(name: &str, wanted: &str, found: Option<&ArgValue>) -> PluginError {
    PluginError(format!("the plugin reads argument '{name}' as {wanted}, but its declaration gives {found:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<ArgSpec> {
        vec![
            ArgSpec::integer("year", "The year"),
            ArgSpec::number("amount", "SEK").default(ArgValue::Number(1000.0)),
            ArgSpec::flag("redistribute", "Pass it on"),
            ArgSpec::choice("unit", &["sek", "ksek"], "Unit").default(ArgValue::Text("sek".into())),
        ]
    }

    fn text(name: &str, v: &str) -> (String, ArgInput) {
        (name.to_string(), ArgInput::Text(v.to_string()))
    }

    #[test]
    fn defaults_fill_in_and_kebab_case_is_accepted() {
        let args = Args::check("a", &specs(), &[text("year", "2024"), text("redistribute", "")]).unwrap();
        assert_eq!(args.integer("year").unwrap(), 2024);
        assert_eq!(args.number("amount").unwrap(), 1000.0);
        assert!(args.flag("redistribute").unwrap());
        assert_eq!(args.text("unit").unwrap(), "sek");
        let args = Args::check(
            "a",
            &specs(),
            &[text("year", "1"), text("amount", "5"), (String::from("unit"), ArgInput::Value(ArgValue::Text("ksek".into())))],
        )
        .unwrap();
        assert_eq!(args.number("amount").unwrap(), 5.0);
    }

    #[test]
    fn bad_arguments_are_named_with_type_and_default() {
        let e = Args::check("a", &specs(), &[text("year", "2024"), text("amount", "lots")]).unwrap_err().0;
        assert!(e.contains("'amount'") && e.contains("number") && e.contains("default 1000") && e.contains("'lots'"), "{e}");
        let e = Args::check("a", &specs(), &[text("yeer", "2024")]).unwrap_err().0;
        assert!(e.contains("no argument 'yeer'") && e.contains("year (integer, required)"), "{e}");
        let e = Args::check("a", &specs(), &[]).unwrap_err().0;
        assert!(e.contains("needs the argument year"), "{e}");
        let e = Args::check("a", &specs(), &[text("year", "1"), text("unit", "usd")]).unwrap_err().0;
        assert!(e.contains("one of sek, ksek"), "{e}");
        let e = Args::check("a", &specs(), &[text("year", "1"), text("year", "2")]).unwrap_err().0;
        assert!(e.contains("given twice"), "{e}");
        let e = Args::check("a", &specs(), &[text("year", "1"), text("amount", "NaN")]).unwrap_err().0;
        assert!(e.contains("'NaN'"), "{e}");
    }
}
