//! `finsam board-report`: the paper a board reads, as one self-contained HTML file and, on request, a PDF
//! of the same content.

use std::path::PathBuf;

use finsam::board::{board_report, BoardRequest, ReportFormat};
use finsam::error::{FinsamError, Result};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    /// The federation (see `finsam info`).
    #[arg(long)]
    federation: String,
    /// The earlier period, the baseline: a named period (2020-2021), years or dates.
    #[arg(long)]
    period: String,
    /// The later period, compared against the baseline.
    #[arg(long)]
    vs: String,
    /// Only these interventions of the federation, comma-separated (default: every one with participants).
    #[arg(long, value_delimiter = ',')]
    intervention: Vec<String>,
    #[command(flatten)]
    lang: super::cohort_args::LangArgs,
    /// A directory of templates (report.html, style.css, report.typ for the PDF, and files they use such as
    /// a logo) replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    template_dir: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Also write the report as a PDF (A4) to this file.
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<()> {
    // The paths are checked before any work: a wrong one costs nothing.
    if ReportFormat::check_output(&args.out, args.force)? != ReportFormat::Html {
        return Err(FinsamError::invalid(format!("--out {}: the board report is written as .html (a PDF with --pdf)", args.out.display())));
    }
    if let Some(pdf) = &args.pdf {
        if ReportFormat::check_output(pdf, args.force)? != ReportFormat::Pdf {
            return Err(FinsamError::invalid(format!("--pdf {}: the file's name must end in .pdf", pdf.display())));
        }
    }
    let model = finsam::open_read_only(&args.db.db)?;
    let request = BoardRequest {
        federation: args.federation,
        interventions: args.intervention,
        period: args.period,
        vs: args.vs,
        lang: args.lang.lang()?,
        template_dir: args.template_dir,
    };
    let report = board_report(&model, &request)?;
    match &args.pdf {
        Some(pdf) => {
            report.save_both(&args.out, pdf, args.force)?;
            println!("Wrote {} and {} ({}).", super::shown(&args.out), super::shown(pdf), report.title);
        }
        None => {
            report.save(&args.out, args.force)?;
            println!("Wrote {} ({}).", super::shown(&args.out), report.title);
        }
    }
    Ok(())
}
