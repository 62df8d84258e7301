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

/// The cohort filters.
#[derive(Clone)]
pub struct CohortSpecs;
impl Specs for CohortSpecs {
    const SPECS: &'static [OptionSpec] = &options::COHORT;
}
pub type CohortArgs = Options<CohortSpecs>;

impl CohortArgs {
    /// The cohort of the filters given.
    pub fn cohort(&self) -> Result<Cohort> {
        self.given.cohort()
    }
}

/// How the counts of an output are protected: every command that prints counts takes these.
#[derive(Clone)]
pub struct ProtectionSpecs;
impl Specs for ProtectionSpecs {
    const SPECS: &'static [OptionSpec] = &[options::PROTECTION, options::RAW];
}
pub type ProtectionArgs = Options<ProtectionSpecs>;

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

/// The language of an exported analysis.
#[derive(Clone)]
pub struct ExportLangSpecs;
impl Specs for ExportLangSpecs {
    const SPECS: &'static [OptionSpec] = &[OptionSpec { help: "Label language of an exported analysis: sv (default) or en", ..options::LANG }];
}
pub type ExportLangArgs = Options<ExportLangSpecs>;

impl ExportLangArgs {
    pub fn lang(&self) -> Result<Lang> {
        self.given.lang()
    }
}

/// The format alone (commands that print one table).
#[derive(Clone)]
pub struct FormatSpecs;
impl Specs for FormatSpecs {
    const SPECS: &'static [OptionSpec] = &[options::FORMAT];
}
pub type FormatArgs = Options<FormatSpecs>;

impl FormatArgs {
    pub fn format(&self) -> Result<Format> {
        self.given.format()
    }
}

/// The language alone (commands that print no table of counts in several formats).
#[derive(Clone)]
pub struct LangSpecs;
impl Specs for LangSpecs {
    const SPECS: &'static [OptionSpec] = &[options::LANG];
}
pub type LangArgs = Options<LangSpecs>;

impl LangArgs {
    pub fn lang(&self) -> Result<Lang> {
        self.given.lang()
    }
}

/// The format, language and protection of a printed result.
#[derive(Clone)]
pub struct OutputSpecs;
impl Specs for OutputSpecs {
    const SPECS: &'static [OptionSpec] = &[options::FORMAT, options::LANG, options::PROTECTION, options::RAW];
}
pub type OutputArgs = Options<OutputSpecs>;

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

/// The options of time to event beyond the cohort.
#[derive(Clone)]
pub struct SurvivalSpecs;
impl Specs for SurvivalSpecs {
    const SPECS: &'static [OptionSpec] = &options::SURVIVAL;
}
pub type SurvivalArgs = Options<SurvivalSpecs>;

/// The second cohort of a comparison.
#[derive(Clone)]
pub struct CompareSpecs;
impl Specs for CompareSpecs {
    const SPECS: &'static [OptionSpec] = &options::COMPARE;
}
pub type CompareArgs = Options<CompareSpecs>;

/// A chart's own options, then its language and protection.
#[derive(Clone)]
pub struct ChartSpecs;
impl Specs for ChartSpecs {
    const SPECS: &'static [OptionSpec] =
        &[options::CHART_VS, options::MEASURE, options::CHART_EVENT, options::LANG, options::PROTECTION, options::RAW];
}
pub type ChartOptionArgs = Options<ChartSpecs>;
