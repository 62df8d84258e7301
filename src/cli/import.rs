use std::path::PathBuf;

use finsam::error::{FinsamError, Result};
use finsam::import::{check_key, forget as forget_person, import, key, key_file_warning, pseudonym_of, ImportKind, Progress};
use finsam::model::Model;

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
    /// Create the database if it does not exist (without it, a missing file is an error).
    #[arg(long)]
    create: bool,
}

pub fn run(args: Args) -> Result<()> {
    let kind: ImportKind = args.kind.parse()?;
    // The key is only needed when a file carries personnummer: a missing FINSAM_KEY is not an error here
    // (import says so if a file needs it), but a key file that cannot be read is.
    let key = match &args.key_file {
        Some(path) => Some(key_from_file(path)?),
        None => finsam::import::key_from(None, None)?,
    };
    let model = if args.create { finsam::open_or_create(&args.db.db)? } else { finsam::open(&args.db.db)? };
    let files: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
    let summary = import_with_progress(&model, kind, &files, key.as_deref())?;
    println!("Imported {}: {} inserted, {} updated, {} unchanged.", args.kind, summary.inserted, summary.updated, summary.unchanged);
    Ok(())
}

/// The import, with its progress on stderr when that is a terminal (rows read, then checking and writing);
/// nothing is shown in a pipe or a log.
fn import_with_progress(model: &Model, kind: ImportKind, files: &[&std::path::Path], key: Option<&[u8]>) -> Result<finsam::import::ImportSummary> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return import(model, kind, files, key);
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let shown = |file: &std::path::Path| finsam::import::mask_personnummer(&file.display().to_string());
    let summary = finsam::import::import_reporting(model, kind, files, key, &mut |step| {
        spinner.set_message(match step {
            Progress::Reading { file, rows } => format!("reading {}: {rows} rows", shown(file)),
            Progress::Checking { file, rows } => format!("checking {}: {rows} rows", shown(file)),
            Progress::Writing { rows } => format!("writing {rows} rows"),
        });
    });
    spinner.finish_and_clear();
    summary
}

#[derive(clap::Args)]
pub struct ForgetArgs {
    #[command(flatten)]
    db: super::DbArg,
    /// The person's personnummer (pseudonymised with the key, never stored). On the command line it lands in
    /// the shell's history and in the process list: prefer --personnummer-file.
    #[arg(long, conflicts_with_all = ["pseudonym", "personnummer_file"])]
    personnummer: Option<String>,
    /// A file holding the personnummer (its first line), or - to read it from standard input.
    #[arg(long, value_name = "FILE", conflicts_with = "pseudonym")]
    personnummer_file: Option<PathBuf>,
    /// The person's pseudonym.
    #[arg(long)]
    pseudonym: Option<String>,
    /// A file with the pseudonym key (else the environment variable FINSAM_KEY).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

pub fn forget(args: ForgetArgs) -> Result<()> {
    let personnummer = match (&args.personnummer, &args.personnummer_file) {
        (Some(pnr), _) => Some(pnr.clone()),
        (None, Some(file)) => Some(read_first_line(file)?),
        (None, None) => None,
    };
    let model = finsam::open(&args.db.db)?;
    let pseudonym = match (personnummer, &args.pseudonym) {
        (Some(pnr), None) => {
            let key = match &args.key_file {
                Some(path) => key_from_file(path)?,
                None => key(None)?,
            };
            check_key(&model, &key)?;
            pseudonym_of(&pnr, &key)?
        }
        (None, Some(p)) => p.clone(),
        _ => return Err(FinsamError::invalid("say whom to forget: --personnummer-file, --personnummer or --pseudonym")),
    };
    let gone = forget_person(&model, &pseudonym)?;
    println!("Removed 1 person, {} enrolments and {} observations.", gone.enrolments, gone.observations);
    Ok(())
}

/// The key in a key file, warning when others can read the file.
fn key_from_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let key = key(Some(path))?;
    if let Some(warning) = key_file_warning(path) {
        eprintln!("{warning}");
    }
    Ok(key)
}

#[derive(clap::Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(clap::Subcommand)]
enum KeyCommand {
    /// Write a new pseudonym key (32 random bytes as hex) to a new file readable by its owner only. Keep a
    /// backup: without the key no file with personnummer can be imported again and no one can be erased by
    /// personnummer.
    New {
        /// The file to create (an existing file is never overwritten).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

pub fn key_command(args: KeyArgs) -> Result<()> {
    match args.command {
        KeyCommand::New { out } => {
            finsam::import::new_key_file(&out)?;
            println!("Wrote a new key to {} (mode 0600). Keep a backup of it outside the database.", super::shown(&out));
            Ok(())
        }
    }
}

/// The first line of a file, or of standard input for "-", trimmed.
fn read_first_line(path: &std::path::Path) -> Result<String> {
    use std::io::BufRead;
    let mut line = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().read_line(&mut line)
    } else {
        std::fs::File::open(path).and_then(|f| std::io::BufReader::new(f).read_line(&mut line))
    };
    read.map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })?;
    Ok(line.trim().to_string())
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
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn template(args: TemplateArgs) -> Result<()> {
    let kind: ImportKind = args.kind.parse()?;
    let path = output_path(args.out.as_ref(), args.format.as_deref(), &format!("mall-{}", kind.names().1))?;
    finsam::import::template::write_template(kind, &path, args.force)?;
    println!("Wrote a {} template to {}.", args.kind, super::shown(&path));
    Ok(())
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: super::DbArg,
    /// Filters for an exported analysis.
    #[command(flatten)]
    cohort: super::cohort_args::CohortArgs,
    #[command(flatten)]
    lang: super::cohort_args::ExportLangArgs,
    /// Protection of an exported analysis; a person-level table needs --raw (research use only).
    #[command(flatten)]
    protection: super::cohort_args::ProtectionArgs,
    /// A table of the model (e.g. intervention, budget_line) or an analysis (report, costs).
    #[arg(long)]
    what: Option<String>,
    /// csv, xlsx or parquet; or a plugin exporter (see `finsam plugins`), e.g. uppfoljning, written as the
    /// file type of --out (default: the exporter's first).
    #[arg(long)]
    format: Option<String>,
    /// An argument of a plugin exporter, KEY=VALUE (repeat for several), e.g. --arg year=2023.
    #[arg(long = "arg", value_name = "KEY=VALUE")]
    plugin_args: Vec<String>,
    /// The file to write (default: WHAT.FORMAT in the current directory).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn export(args: ExportArgs) -> Result<()> {
    const FILE_TYPES: [&str; 3] = ["csv", "xlsx", "parquet"];
    let model = finsam::open_read_only(&args.db.db)?;
    let protection = args.protection.protection()?;
    let exporter = args.format.as_deref().filter(|f| !FILE_TYPES.contains(&f.to_ascii_lowercase().as_str()));
    let (what, n, path) = match (exporter, &args.what) {
        (Some(_), Some(what)) => {
            return Err(FinsamError::invalid(format!(
                "--what {what} and the exporter --format {} exclude each other",
                args.format.unwrap_or_default()
            )))
        }
        (Some(name), None) => {
            let (_, found) = model.plugins().exporter(name).ok_or_else(|| FinsamError::Unknown {
                what: "format",
                name: name.to_string(),
                known: FILE_TYPES.iter().map(|t| t.to_string()).chain(model.plugins().exporter_names()).collect(),
            })?;
            let path = output_path(args.out.as_ref(), args.out.is_none().then(|| found.file_types()[0]), name)?;
            let plugin_args = args
                .plugin_args
                .iter()
                .map(|a| {
                    a.split_once('=')
                        .map(|(k, v)| (k.trim().to_string(), finsam_plugin::ArgInput::Text(v.to_string())))
                        .ok_or_else(|| FinsamError::invalid(format!("--arg {a}: expected KEY=VALUE, e.g. --arg year=2023")))
                })
                .collect::<Result<Vec<_>>>()?;
            let call = finsam::plugins::Call {
                name: name.to_string(),
                cohort: Some(args.cohort.cohort()?).filter(|c| !c.is_all()),
                args: plugin_args,
                lang: args.lang.lang()?,
                protection,
            };
            (name.to_string(), finsam::export::export_plugin(&model, &call, &path, args.force)?, path)
        }
        (None, Some(what)) => {
            if !args.plugin_args.is_empty() {
                return Err(FinsamError::invalid("--arg is for plugin exporters (--format NAME)"));
            }
            let path = output_path(args.out.as_ref(), args.format.as_deref(), what)?;
            (
                what.clone(),
                finsam::export::export(&model, &what.parse()?, &path, &args.cohort.cohort()?, args.lang.lang()?, protection, args.force)?,
                path,
            )
        }
        (None, None) => return Err(FinsamError::invalid("say what to export: --what TABLE|report|costs, or --format EXPORTER")),
    };
    println!("Wrote {what} ({n} table{}) to {}.", if n == 1 { "" } else { "s" }, super::shown(&path));
    Ok(())
}
