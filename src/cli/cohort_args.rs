//! The cohort filters and output options shared by the analysis subcommands, as the core describes them
//! (`finsam::options`).

use finsam::analysis::Cohort;
use finsam::codes::Lang;
use finsam::disclosure::Protection;
use finsam::error::Result;
use finsam::model::Model;
use finsam::options::{self, OptionSpec};
use finsam::table::Format;

use super::options::{Options, Specs};

/// A group of the core's options as one set of command-line arguments: its specs and the arguments' type.
macro_rules! option_group {
    ($(#[$doc:meta])* $specs:ident, $args:ident, $list:expr) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $specs;
        impl Specs for $specs {
            const SPECS: &'static [OptionSpec] = $list;
        }
        pub type $args = Options<$specs>;
    };
}

option_group!(
    /// The cohort filters.
    CohortSpecs,
    CohortArgs,
    &options::COHORT
);

impl CohortArgs {
    /// The cohort of the filters given.
    pub fn cohort(&self) -> Result<Cohort> {
        self.given.cohort()
    }
}

option_group!(
    /// How the counts of an output are protected: every command that prints counts takes these.
    ProtectionSpecs,
    ProtectionArgs,
    &[options::PROTECTION, options::RAW]
);

/// The protection asked for; raw output warns on stderr.
fn protection_warned(given: &finsam::options::Given) -> Result<Protection> {
    let protection = given.protection()?;
    if protection == Protection::Raw {
        eprintln!("{}", Protection::RAW_WARNING);
    }
    Ok(protection)
}

impl ProtectionArgs {
    /// The protection asked for; raw output warns on stderr.
    pub fn protection(&self) -> Result<Protection> {
        protection_warned(&self.given)
    }
}

option_group!(
    /// The language of an exported analysis.
    ExportLangSpecs,
    ExportLangArgs,
    &[OptionSpec { help: "Label language of an exported analysis: sv (default) or en", ..options::LANG }]
);

impl ExportLangArgs {
    pub fn lang(&self) -> Result<Lang> {
        self.given.lang()
    }
}

option_group!(
    /// The format alone (commands that print one table).
    FormatSpecs,
    FormatArgs,
    &[options::FORMAT]
);

impl FormatArgs {
    pub fn format(&self) -> Result<Format> {
        self.given.format()
    }
}

option_group!(
    /// The language alone (commands that print no table of counts in several formats).
    LangSpecs,
    LangArgs,
    &[options::LANG]
);

impl LangArgs {
    pub fn lang(&self) -> Result<Lang> {
        self.given.lang()
    }
}

option_group!(
    /// The format, language and protection of a printed result.
    OutputSpecs,
    OutputArgs,
    &[options::FORMAT, options::LANG, options::PROTECTION, options::RAW]
);

impl OutputArgs {
    pub fn format(&self) -> Result<Format> {
        self.given.format()
    }
    pub fn lang(&self) -> Result<Lang> {
        self.given.lang()
    }
    pub fn protection(&self) -> Result<Protection> {
        protection_warned(&self.given)
    }
}

/// What every analysis command takes: the database, the cohort filters and the output options.
#[derive(clap::Args)]
pub struct AnalysisArgs {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    pub cohort: CohortArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// An analysis command's inputs, checked: the model (read-only), the cohort and how to show the result.
pub struct Analysis {
    pub model: Model,
    pub cohort: Cohort,
    pub lang: Lang,
    pub protection: Protection,
    pub format: Format,
}

impl AnalysisArgs {
    pub fn open(&self) -> Result<Analysis> {
        Ok(Analysis {
            model: finsam::open_read_only(&self.db.db)?,
            cohort: self.cohort.cohort()?,
            lang: self.output.lang()?,
            protection: self.output.protection()?,
            format: self.output.format()?,
        })
    }
}

option_group!(
    /// The options of time to event beyond the cohort.
    SurvivalSpecs,
    SurvivalArgs,
    &options::SURVIVAL
);

option_group!(
    /// The second cohort of a comparison.
    CompareSpecs,
    CompareArgs,
    &options::COMPARE
);

option_group!(
    /// A chart's own options, then its language and protection.
    ChartSpecs,
    ChartOptionArgs,
    &[options::CHART_VS, options::MEASURE, options::CHART_EVENT, options::LANG, options::PROTECTION, options::RAW]
);
