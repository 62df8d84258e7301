//! The cohort filters and output options shared by the analysis subcommands.

use finsam::analysis::{Cohort, Membership};
use finsam::codes::{CodeList, Lang, Sex, Support, TargetGroup};
use finsam::disclosure::Protection;
use finsam::error::{FinsamError, Result};
use finsam::model::Model;
use finsam::table::Format;

use super::choice::choice;

#[derive(clap::Args, Clone)]
pub struct CohortArgs {
    /// Federation id(s), comma-separated.
    #[arg(long, value_delimiter = ',')]
    federation: Vec<String>,
    /// Intervention id(s), comma-separated (see `finsam info`).
    #[arg(long, value_delimiter = ',')]
    intervention: Vec<String>,
    /// A named period (2020-2021), years (2022, 2020-2021) or dates (2020-01-01..2021-06-30; whole months
    /// for protected output, any dates with --raw).
    #[arg(long)]
    period: Option<String>,
    /// Whether an enrolment belongs to the period by its start date or by overlapping it.
    #[arg(long, default_value = "start", value_parser = choice::<Membership>())]
    membership: Membership,
    /// female or male (kvinna/man accepted).
    #[arg(long)]
    sex: Option<String>,
    /// Age at start, e.g. 18-25.
    #[arg(long)]
    age: Option<String>,
    /// Target group code(s), comma-separated.
    #[arg(long, value_delimiter = ',')]
    target_group: Vec<String>,
    /// Support before, code(s), comma-separated (e.g. social_assistance).
    #[arg(long, value_delimiter = ',')]
    support_before: Vec<String>,
    /// A fixed follow-up window in months: only enrolments that started at least this long before the
    /// data's end, outcomes within the window (so periods get the same time to have an outcome).
    #[arg(long, value_name = "MONTHS")]
    follow_up: Option<u32>,
}

impl CohortArgs {
    /// The cohort, with `period` replacing the one given on the command line when set.
    pub fn cohort(&self, period: Option<&str>) -> Result<Cohort> {
        Ok(Cohort {
            federations: self.federation.clone(),
            interventions: self.intervention.clone(),
            period: period.map(String::from).or_else(|| self.period.clone()),
            membership: self.membership,
            sex: self.sex.as_deref().map(Sex::parse).transpose()?,
            age: self.age.as_deref().map(parse_age).transpose()?,
            target_groups: self.target_group.iter().map(|t| TargetGroup::parse(t)).collect::<Result<_>>()?,
            support_before: self.support_before.iter().map(|s| Support::parse(s)).collect::<Result<_>>()?,
            follow_up_months: self.follow_up,
        })
    }
}

fn parse_age(text: &str) -> Result<(i32, i32)> {
    let parts: Vec<&str> = text.split(['-', '–']).collect();
    match parts[..] {
        [a, b] => match (a.trim().parse(), b.trim().parse()) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            _ => Err(FinsamError::invalid(format!("'{text}' is not an age band: expected e.g. 18-25"))),
        },
        _ => Err(FinsamError::invalid(format!("'{text}' is not an age band: expected e.g. 18-25"))),
    }
}

/// How the counts of an output are protected: every command that prints counts takes these.
#[derive(clap::Args, Clone)]
pub struct ProtectionArgs {
    /// perturbation (the default: every count adjusted by at most ±2 with the cell-key method, none of
    /// 1–4 shown, safe against subtracting outputs), suppression (small cells hidden within each table) or
    /// raw (true counts, for research).
    #[arg(long, value_parser = choice::<Protection>())]
    protection: Option<Protection>,
    /// Show true counts, also those under 5 (research use only; never for a board). The same as
    /// --protection raw.
    #[arg(long)]
    raw: bool,
}

impl ProtectionArgs {
    /// The protection asked for; raw output warns on stderr.
    pub fn protection(&self) -> Result<Protection> {
        let protection = Protection::choose(self.protection.map(|p| p.name()), self.raw)?;
        if protection == Protection::Raw {
            eprintln!("{}", Protection::RAW_WARNING);
        }
        Ok(protection)
    }
}

#[derive(clap::Args, Clone)]
pub struct OutputArgs {
    /// How to print the result.
    #[arg(long, default_value = "table", value_parser = choice::<Format>())]
    format: Format,
    /// Label language: sv (default) or en.
    #[arg(long, default_value = "sv", value_parser = choice::<Lang>())]
    lang: Lang,
    #[command(flatten)]
    protection: ProtectionArgs,
}

impl OutputArgs {
    pub fn format(&self) -> Result<Format> {
        Ok(self.format)
    }
    pub fn lang(&self) -> Result<Lang> {
        Ok(self.lang)
    }
    pub fn protection(&self) -> Result<Protection> {
        self.protection.protection()
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
            cohort: self.cohort.cohort(None)?,
            lang: self.output.lang()?,
            protection: self.output.protection()?,
            format: self.output.format()?,
        })
    }
}
