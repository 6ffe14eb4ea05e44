//! The `hrdesk` binary: parse the command line, run, exit with a meaningful code.

use std::process::ExitCode;

use clap::Parser;
use hrdesk::cli::{self, Cli};

fn main() -> ExitCode {
    if let Err(err) = color_eyre::install() {
        eprintln!("hrdesk: {err}");
    }
    hrdesk::store::install_panic_filter();
    match cli::run(Cli::parse()) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("hrdesk: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
