//! Ending on a signal. SIGTERM, SIGHUP (the SSH connection dropped) and
//! SIGINT end hrdesk cleanly: the terminal is given back as it was found
//! when the console holds it (alternate screen left, cursor shown,
//! bracketed paste and raw mode off), this process leaves the session
//! registries, and it exits with 128 + the signal's number. A write in progress is never half-applied:
//! the database drops a transaction that did not commit.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::store::registry;

/// Whether the console has the terminal in raw mode and the alternate screen.
static TERMINAL_TAKEN: AtomicBool = AtomicBool::new(false);

/// Starts the thread that waits for the signals (it sleeps until one comes).
pub fn install() -> std::io::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                if TERMINAL_TAKEN.load(Ordering::SeqCst) {
                    give_back_terminal();
                }
                registry::leave_all();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Notes whether the console holds the terminal (see [`install`]).
pub fn set_terminal_taken(taken: bool) {
    TERMINAL_TAKEN.store(taken, Ordering::SeqCst);
}

/// Leaves the alternate screen, shows the cursor, turns bracketed paste
/// off and leaves raw mode. On a hung-up terminal these fail, which is
/// fine: nobody is looking.
fn give_back_terminal() {
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(
        out,
        crossterm::event::DisableBracketedPaste,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = out.flush();
}
