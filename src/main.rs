//! The `hrdesk` binary: parse the command line, run, exit with a meaningful code.

use std::process::ExitCode;

use hrdesk::cli::{self, Cli};

fn main() -> ExitCode {
    hrdesk::memory::configure();
    if let Err(err) = color_eyre::install() {
        eprintln!("hrdesk: {err}");
    }
    hrdesk::store::install_panic_filter();
    if let Err(err) = hrdesk::signals::install() {
        eprintln!("hrdesk: {err}");
    }
    let args: Vec<String> = std::env::args().collect();
    hrdesk::i18n::set_lang(cli::startup_lang(&args));
    match cli::run(Cli::from_env()) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!(
                "hrdesk: {}",
                hrdesk::text::escape_controls(&failure.message)
            );
            ExitCode::from(failure.code)
        }
    }
}
