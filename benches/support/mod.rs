//! What the benchmarks share: a demo company in a file, the console opened
//! on it as the TUI would, and drawing a frame into a test terminal.

// Each benchmark uses only some of these.
#![allow(dead_code)]

use std::path::Path;

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hrdesk::app::{App, Input};
use hrdesk::config::keymap::Keymap;
use hrdesk::config::theme::load_theme;
use hrdesk::service::{Clock, Session};
use hrdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The OS user the benchmarks run as; the creator, hence the admin.
pub const USER: &str = "bench";

/// Writes the demo company with `employees` staff into a new file at `path`.
pub fn create(path: &Path, employees: usize) {
    let store = Store::create(path, USER, Utc::now()).expect("create");
    let session = Session::login(store, USER, Clock::System).expect("login");
    hrdesk::demo::populate(&session, employees).expect("demo company");
}

/// A session on the database at `path`.
pub fn session(path: &Path) -> Session {
    Session::login(Store::open(path).expect("open"), USER, Clock::System).expect("login")
}

/// The console on the database at `path`, sized 80×24, its memory kept
/// as the program keeps it.
pub fn open_app(path: &Path) -> App {
    hrdesk::memory::configure();
    let keymap = Keymap::built_in().expect("keymap");
    let theme = load_theme("default", None).expect("theme");
    let mut app = App::new(session(path), hrdesk::panes::all(), keymap, theme, None);
    app.on_input(Input::Resize(80, 24));
    app
}

/// Draws the console into the test terminal.
pub fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| hrdesk::ui::draw(app, frame))
        .expect("draw");
}

/// A key press without modifiers.
pub fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code, KeyModifiers::NONE))
}
