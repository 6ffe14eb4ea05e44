//! The terminal runtime: set up the terminal, feed events to the `App`, and
//! redraw only after one (no CPU while idle). Three kinds of event wake the
//! loop, each from a thread of its own: the terminal's (keys, resizes);
//! word that the database file changed (another session committed, see
//! [`crate::watch`]); and long work running off this thread, when it ends
//! and a few times a second while it runs (see [`crate::app::job`]). The
//! terminal is restored on exit, on error, on panic and on SIGTERM, SIGHUP
//! or SIGINT (see [`crate::signals`]): bracketed paste, turned on so that a
//! paste arrives whole and never as keys, is turned off with the other
//! modes. What the console asks of the terminal besides the screen (a copy
//! to the clipboard, as an OSC 52 sequence) is written after each input,
//! through the same writer as the screen. What reaches the terminal, a
//! whole frame in one write, is [`screen`]'s.

pub mod screen;

use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender};

use base64::Engine as _;
use crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEvent, KeyModifiers,
};
use ratatui::Terminal;

use self::screen::Screen;

use crate::app::{App, Effect, Input};
use crate::store::Location;
use crate::ui;
use crate::watch::{FileWatch, watch_database};

/// The terminal the console draws on.
type Console = Terminal<Screen<std::fs::File>>;

/// What woke the loop.
enum Wake {
    Terminal(Event),
    /// The terminal can no longer be read.
    TerminalGone(std::io::Error),
    StoreChanged,
    /// A long job ended, or its progress is to be drawn again.
    Job,
}

/// Runs the console until the operator quits. Fails (without panicking)
/// when there is no terminal to run in.
pub fn run(app: &mut App) -> color_eyre::Result<()> {
    restore_on_panic();
    let mut terminal = take_terminal()?;
    crossterm::execute!(terminal.backend_mut(), EnableBracketedPaste)?;
    crate::signals::set_terminal_taken(true);
    // After the terminal's own hook, so damage in the database file shows as
    // an error message without tearing the screen down.
    crate::store::install_panic_filter();
    let (wake, woken) = mpsc::channel();
    read_terminal(wake.clone());
    let job_wake = wake.clone();
    app.wake_jobs_with(std::sync::Arc::new(move || {
        let _ = job_wake.send(Wake::Job);
    }));
    // Without a watch (no inotify, an in-memory demo) the console still
    // works; it just does not follow other sessions.
    let _watch = watch_store(app, wake);
    let result = event_loop(&mut terminal, app, &woken);
    crate::signals::set_terminal_taken(false);
    end_paste();
    ratatui::restore();
    result
}

/// Turns bracketed paste off again (on a terminal gone, nobody minds).
pub fn end_paste() {
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
}

/// Raw mode and the alternate screen, drawn on through [`Screen`]; the
/// terminal is given back when that fails.
fn take_terminal() -> std::io::Result<Console> {
    crossterm::terminal::enable_raw_mode()?;
    let taken = crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)
        .and_then(|()| Screen::stdout(true))
        .and_then(Terminal::new);
    if taken.is_err() {
        ratatui::restore();
    }
    taken
}

/// A panic gives the terminal back (bracketed paste, raw mode, the
/// alternate screen) before the message is printed.
fn restore_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        end_paste();
        ratatui::restore();
        previous(info);
    }));
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal
/// the console runs in (the operator's own, over SSH too).
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\x1b]52;c;{encoded}\x07")
}

/// Asks the terminal for what the console's last input asked of it.
fn apply_effects(terminal: &mut Console, app: &mut App) -> std::io::Result<()> {
    let writer = terminal.backend_mut();
    for effect in app.take_effects() {
        match effect {
            Effect::Copy(text) => writer.write_all(osc52(&text).as_bytes())?,
        }
    }
    writer.flush()
}

/// Reads terminal events on a thread of its own.
fn read_terminal(wake: Sender<Wake>) {
    std::thread::spawn(move || {
        loop {
            let sent = match event::read() {
                Ok(event) => wake.send(Wake::Terminal(event)),
                Err(err) => {
                    let _ = wake.send(Wake::TerminalGone(err));
                    return;
                }
            };
            if sent.is_err() {
                return;
            }
        }
    });
}

fn watch_store(app: &App, wake: Sender<Wake>) -> Option<FileWatch> {
    let Location::File(path) = app.session().location() else {
        return None;
    };
    watch_database(path, move || {
        let _ = wake.send(Wake::StoreChanged);
    })
    .ok()
}

/// Ctrl-C is the one hard-wired key: it always quits.
fn is_emergency_quit(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}

fn event_loop(
    terminal: &mut Console,
    app: &mut App,
    woken: &Receiver<Wake>,
) -> color_eyre::Result<()> {
    let size = terminal.size()?;
    app.on_input(Input::Resize(size.width, size.height));
    terminal.draw(|frame| ui::draw(app, frame))?;
    // An event read while collapsing a burst of file changes, kept for next.
    let mut held = None;
    loop {
        let wake = match held.take() {
            Some(wake) => wake,
            None => match woken.recv() {
                Ok(wake) => wake,
                Err(_) => return Ok(()),
            },
        };
        let input = match wake {
            Wake::Terminal(Event::Key(key)) if is_emergency_quit(&key) => return Ok(()),
            Wake::Terminal(Event::Key(key)) => Input::Key(key),
            Wake::Terminal(Event::Resize(width, height)) => Input::Resize(width, height),
            Wake::Terminal(Event::Paste(text)) => Input::Paste(text),
            Wake::Terminal(_) => continue,
            Wake::TerminalGone(err) => return Err(err.into()),
            Wake::Job => Input::Job,
            Wake::StoreChanged => {
                // One commit writes the file several times: look once.
                held = woken
                    .try_iter()
                    .find(|next| !matches!(next, Wake::StoreChanged));
                Input::StoreChanged
            }
        };
        app.on_input(input);
        apply_effects(terminal, app)?;
        if app.should_quit() {
            return Ok(());
        }
        terminal.draw(|frame| ui::draw(app, frame))?;
    }
}
