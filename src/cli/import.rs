use std::path::PathBuf;

use crate::error::{FinsamError, Result};
use crate::import::{forget as forget_person, import, key, pseudonym_of, ImportKind};
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    /// participants, enrolments, observations, interventions, budget_lines, contributions or municipality_context (Swedish names too: deltagare, inskrivningar, uppföljningar, insatser, budget, medlemsinsatser, kommunfakta).
    #[arg(long)]
    kind: String,
    /// A file with the pseudonym key (else the environment variable FINSAM_KEY).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// The files: CSV (UTF-8 or Windows-1252, separated by , or ;), XLSX or Parquet.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let kind: ImportKind = args.kind.parse()?;
    // The key is only needed when a file carries personnummer; ask for it lazily but clearly.
    let key = key(args.key_file.as_deref()).ok();
    let model = Model::open(&args.db.db)?;
    let files: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
    let summary = import(&model, kind, &files, key.as_deref())?;
    println!("Imported {}: {} inserted, {} updated, {} unchanged.", args.kind, summary.inserted, summary.updated, summary.unchanged);
    Ok(())
}

#[derive(clap::Args)]
pub struct ForgetArgs {
    #[command(flatten)]
    db: super::DbArg,
    /// The person's personnummer (pseudonymised with the key, never stored).
    #[arg(long, conflicts_with = "pseudonym")]
    personnummer: Option<String>,
    /// The person's pseudonym.
    #[arg(long)]
    pseudonym: Option<String>,
    /// A file with the pseudonym key (else the environment variable FINSAM_KEY).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

pub fn forget(args: ForgetArgs) -> Result<()> {
    let pseudonym = match (&args.personnummer, &args.pseudonym) {
        (Some(pnr), None) => pseudonym_of(pnr, &key(args.key_file.as_deref())?)?,
        (None, Some(p)) => p.clone(),
        _ => return Err(FinsamError::invalid("say whom to forget: --personnummer or --pseudonym")),
    };
    let model = Model::open(&args.db.db)?;
    let gone = forget_person(&model, &pseudonym)?;
    println!("Removed 1 person, {} enrolments and {} observations.", gone.enrolments, gone.observations);
    Ok(())
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// participants or enrolments.
    #[arg(long)]
    kind: String,
    /// The file to write: .xlsx (with a sheet explaining every column and its codes) or .csv.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub fn template(args: TemplateArgs) -> Result<()> {
    let kind: ImportKind = args.kind.parse()?;
    crate::import::template::write_template(kind, &args.out)?;
    println!("Wrote a {} template to {}.", args.kind, args.out.display());
    Ok(())
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    common: super::cohort_args::AnalysisArgs,
    /// A table of the model (e.g. intervention, budget_line) or an analysis (report, costs).
    #[arg(long)]
    what: String,
    /// The file to write: .csv, .xlsx or .parquet.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub fn export(args: ExportArgs) -> Result<()> {
    let a = args.common.open()?;
    let n = crate::export::export(&a.model, &args.what, &args.out, &a.cohort, a.lang, a.privacy)?;
    println!("Wrote {} ({} table{}) to {}.", args.what, n, if n == 1 { "" } else { "s" }, args.out.display());
    Ok(())
}
