//! The terminal runtime: set up the terminal, feed events to the `App`, and
//! redraw only after an event (a blocking read: no CPU while idle). The
//! terminal is restored on exit, on error, on panic and on SIGTERM, SIGHUP
//! or SIGINT (see [`crate::signals`]).

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::DefaultTerminal;

use crate::app::{App, Input};
use crate::ui;

/// Runs the console until the operator quits. Fails (without panicking)
/// when there is no terminal to run in.
pub fn run(app: &mut App) -> color_eyre::Result<()> {
    let mut terminal = ratatui::try_init()?;
    crate::signals::set_terminal_taken(true);
    // After the terminal's own hook, so damage in the database file shows as
    // an error message without tearing the screen down.
    crate::store::install_panic_filter();
    let result = event_loop(&mut terminal, app);
    crate::signals::set_terminal_taken(false);
    ratatui::restore();
    result
}

/// Ctrl-C is the one hard-wired key: it always quits.
fn is_emergency_quit(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> color_eyre::Result<()> {
    let size = terminal.size()?;
    app.on_input(Input::Resize(size.width, size.height));
    terminal.draw(|frame| ui::draw(app, frame))?;
    loop {
        let input = match event::read()? {
            Event::Key(key) if is_emergency_quit(&key) => return Ok(()),
            Event::Key(key) => Input::Key(key),
            Event::Resize(width, height) => Input::Resize(width, height),
            _ => continue,
        };
        app.on_input(input);
        if app.should_quit() {
            return Ok(());
        }
        terminal.draw(|frame| ui::draw(app, frame))?;
    }
}
