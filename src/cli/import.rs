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

/// The file to write, from --out and --format: --format alone names the file after `stem`, --out without
/// an extension takes the format's, and the two must agree when both are given.
fn output_path(out: Option<&PathBuf>, format: Option<&str>, stem: &str) -> Result<PathBuf> {
    match (out, format) {
        (None, None) => Err(FinsamError::invalid("say where to write: --out FILE or --format FORMAT")),
        (None, Some(f)) => Ok(PathBuf::from(format!("{stem}.{f}"))),
        (Some(path), None) => Ok(path.clone()),
        (Some(path), Some(f)) => match path.extension().and_then(|e| e.to_str()) {
            None => Ok(path.with_extension(f)),
            Some(e) if e.eq_ignore_ascii_case(f) => Ok(path.clone()),
            Some(e) => Err(FinsamError::invalid(format!("--out {} ends in .{e} but --format is {f}", path.display()))),
        },
    }
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// participants, enrolments, observations, interventions, budget_lines, contributions or municipality_context.
    #[arg(long)]
    kind: String,
    /// xlsx (with a sheet explaining every column and its codes) or csv.
    #[arg(long, value_parser = ["xlsx", "csv"])]
    format: Option<String>,
    /// The file to write (default: mall-KIND.FORMAT in the current directory).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn template(args: TemplateArgs) -> Result<()> {
    let kind: ImportKind = args.kind.parse()?;
    let path = output_path(args.out.as_ref(), args.format.as_deref(), &format!("mall-{}", kind.names().1))?;
    crate::import::template::write_template(kind, &path)?;
    println!("Wrote a {} template to {}.", args.kind, path.display());
    Ok(())
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: super::DbArg,
    /// Filters for an exported analysis.
    #[command(flatten)]
    cohort: super::cohort_args::CohortArgs,
    /// Label language of an exported analysis: sv (default) or en.
    #[arg(long, default_value = "sv", value_parser = ["sv", "en"])]
    lang: String,
    /// Export raw counts, or a person-level table (research use only; never for a board).
    #[arg(long)]
    raw: bool,
    /// A table of the model (e.g. intervention, budget_line) or an analysis (report, costs).
    #[arg(long)]
    what: String,
    /// csv, xlsx or parquet.
    #[arg(long, value_parser = ["csv", "xlsx", "parquet"])]
    format: Option<String>,
    /// The file to write (default: WHAT.FORMAT in the current directory).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn export(args: ExportArgs) -> Result<()> {
    let path = output_path(args.out.as_ref(), args.format.as_deref(), &args.what)?;
    let model = Model::open_read_only(&args.db.db)?;
    let privacy = if args.raw {
        eprintln!("warning: --raw exports counts under 5 or person-level rows; keep the file away from boards and the public");
        crate::analysis::Privacy::Raw
    } else {
        crate::analysis::Privacy::Suppressed
    };
    let n = crate::export::export(&model, &args.what, &path, &args.cohort.cohort(None)?, args.lang.parse()?, privacy)?;
    println!("Wrote {} ({} table{}) to {}.", args.what, n, if n == 1 { "" } else { "s" }, path.display());
    Ok(())
}
