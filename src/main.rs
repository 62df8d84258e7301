//! The `finsam` command. The CLI lives in the binary, not the library: the library is the core alone (no
//! clap, no terminal), and the CLI, like the Python package, only calls it. `cli::main` parses the
//! arguments, runs the command and turns an error into one line on stderr and a non-zero exit.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
