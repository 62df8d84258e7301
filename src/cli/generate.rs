use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use finsam::error::Result;
use finsam::generate::{generate, GenerateOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The database to create (it must be new or empty).
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
    /// How many synthetic participants (about 1.25 enrolments each).
    #[arg(long, value_name = "N")]
    participants: u64,
    /// The seed: the same seed gives the same database.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args) -> Result<()> {
    let model = finsam::open_or_create(&args.db)?;
    let options = GenerateOptions::new(args.participants, args.seed);
    let bar = ProgressBar::new(args.participants);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} participants ({elapsed})")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    bar.set_message("generating");
    let started = std::time::Instant::now();
    let summary = generate(&model, &options, |done, _| bar.set_position(done))?;
    bar.finish_and_clear();
    println!(
        "Generated {} federations, {} interventions, {} participants, {} enrolments, {} observations and {} budget lines \
         in {:.1} s into {} (seed {}).",
        summary.federations,
        summary.interventions,
        summary.participants,
        summary.enrolments,
        summary.observations,
        summary.budget_lines,
        started.elapsed().as_secs_f64(),
        args.db.display(),
        args.seed
    );
    println!("{}", super::synthetic_note(&model)?);
    Ok(())
}
