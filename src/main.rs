//! The `finsam` command. All it does is hand the arguments to the core's CLI and turn an error into one
//! line on stderr and a non-zero exit.

fn main() {
    std::process::exit(finsam::cli::main());
}
