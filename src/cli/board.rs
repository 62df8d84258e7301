//! `finsam board-report`: the paper a board reads, as one self-contained HTML file.

use std::path::PathBuf;

use finsam::board::{board_report, BoardRequest};
use finsam::error::{FinsamError, Result};
use finsam::model::Model;

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
    /// Label language: sv (default) or en.
    #[arg(long, default_value = "sv", value_parser = super::choice::choice::<finsam::codes::Lang>())]
    lang: finsam::codes::Lang,
    /// A directory of templates (report.html, style.css) replacing the built-in ones of the same name.
    #[arg(long, value_name = "DIR")]
    template_dir: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let extension = args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("html" | "htm")) {
        return Err(FinsamError::invalid(format!("--out {}: the board report is written as .html", args.out.display())));
    }
    let model = Model::open_read_only(&args.db.db)?;
    let request = BoardRequest {
        federation: args.federation,
        interventions: args.intervention,
        period: args.period,
        vs: args.vs,
        lang: args.lang,
        template_dir: args.template_dir,
    };
    let report = board_report(&model, &request)?;
    report.save(&args.out, args.force)?;
    println!("Wrote {} ({}).", args.out.display(), report.title);
    Ok(())
}
