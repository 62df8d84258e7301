//! Choices typed on the command line, offered and parsed by the core's own names (`finsam::codes::Choice`):
//! clap lists them in `--help` and refuses anything else, and the value arrives parsed.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use finsam::codes::Choice;

/// The value parser of a choice: one of `T::NAMES`, parsed into `T`.
pub fn choice<T: Choice>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::NAMES).map(|name| name.parse::<T>().unwrap_or_else(|_| panic!("the choice '{name}' is listed but does not parse")))
}

#[cfg(test)]
mod tests {
    use finsam::analysis::survival::Event;
    use finsam::analysis::Membership;
    use finsam::codes::{Choice, Lang};
    use finsam::disclosure::Protection;
    use finsam::table::Format;

    fn all_parse<T: Choice>() {
        for name in T::NAMES {
            assert!(name.parse::<T>().is_ok(), "{name}");
        }
    }

    #[test]
    fn every_listed_name_parses() {
        all_parse::<Lang>();
        all_parse::<Format>();
        all_parse::<Protection>();
        all_parse::<Membership>();
        all_parse::<Event>();
    }
}
