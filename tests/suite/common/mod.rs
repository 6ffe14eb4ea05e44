//! Helpers shared by the integration tests: an `App` on an in-memory demo
//! company, typing key sequences through the real keymap, and rendering.

#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hrdesk::app::pane::Pane;
use hrdesk::app::{App, Input};
use hrdesk::config::keymap::Keymap;
use hrdesk::config::theme::load_theme;
use hrdesk::demo;
use hrdesk::domain::operator::Role;
use hrdesk::service::{Clock, Session};
use hrdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub const ADMIN: &str = "admin";

pub fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap())
}

/// An admin session on a demo company in memory, with the store beside
/// it: the service keeps the store to itself, so the tests hold their own
/// handle to look behind it (what was written, the raw audit log) and to
/// log in as other operators.
pub struct Demo {
    store: Store,
    session: Session,
}

impl Demo {
    /// The tests' own handle on the demo's store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Another handle on the store, to log in with.
    pub fn store_handle(&self) -> Store {
        self.store.clone()
    }

    /// `user` added as an operator with `role` (by the demo's admin), then
    /// logged in on the same store.
    pub fn as_role(&self, user: &str, role: Role) -> Session {
        self.session.add_operator(user, role).unwrap();
        self.login(user)
    }

    /// A session of `user` on the same store.
    pub fn login(&self, user: &str) -> Session {
        Session::login(self.store.clone(), user, clock()).unwrap()
    }
}

impl std::ops::Deref for Demo {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

impl std::ops::DerefMut for Demo {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.session
    }
}

impl From<Demo> for Session {
    fn from(demo: Demo) -> Session {
        demo.session
    }
}

/// An admin session on a fresh in-memory demo company without staff.
pub fn demo_session() -> Demo {
    demo_session_with_staff(0)
}

/// An admin session on a fresh in-memory demo company with `employees` staff.
pub fn demo_session_with_staff(employees: usize) -> Demo {
    let store = Store::in_memory(ADMIN, clock().now()).unwrap();
    let session = Session::login(store.clone(), ADMIN, clock()).unwrap();
    demo::populate(&session, employees).unwrap();
    Demo { store, session }
}

/// An admin session on the demo company with `employees` staff, written
/// into a new database file at `path` (which other consoles open again).
pub fn file_demo(path: &std::path::Path, employees: usize) -> Session {
    let store = Store::create(path, ADMIN, clock().now()).unwrap();
    let admin = Session::login(store, ADMIN, clock()).unwrap();
    demo::populate(&admin, employees).unwrap();
    admin
}

/// Another console's session as `user` on the database file at `path`.
pub fn file_session(path: &std::path::Path, user: &str) -> Session {
    Session::login(Store::open(path).unwrap(), user, clock()).unwrap()
}

pub fn app_for(session: impl Into<Session>) -> App {
    app_with_panes(session, hrdesk::panes::all())
}

/// The console on `session` with `panes` (in tab order), 80×24.
pub fn app_with_panes(session: impl Into<Session>, panes: Vec<Box<dyn Pane>>) -> App {
    let keymap = Keymap::built_in().unwrap();
    let theme = load_theme("default", None).unwrap();
    let mut app = App::new(session.into(), panes, keymap, theme, None);
    app.on_input(Input::Resize(80, 24));
    app
}

/// The demo company, logged in as the admin.
pub fn demo_app() -> App {
    app_for(demo_session())
}

/// The demo company with `employees` staff, logged in as the admin.
pub fn demo_app_with_staff(employees: usize) -> App {
    app_for(demo_session_with_staff(employees))
}

/// The demo company, logged in as another demo operator with `role`.
pub fn demo_app_as(user: &str, role: Role) -> App {
    let demo = demo_session();
    if demo.store().operator(user).unwrap().is_none() {
        demo.add_operator(user, role).unwrap();
    }
    app_for(demo.login(user))
}

/// One key as a crossterm event: `esc`, `enter`, `ctrl-s`, `shift-tab`, `x`, `张`.
pub fn key(spec: &str) -> KeyEvent {
    let (mods, name) = match spec.split_once('-') {
        Some(("ctrl", rest)) => (KeyModifiers::CONTROL, rest),
        Some(("alt", rest)) => (KeyModifiers::ALT, rest),
        Some(("shift", "tab")) => return KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        _ => (KeyModifiers::NONE, spec),
    };
    let code = match name {
        "esc" => KeyCode::Esc,
        "enter" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "backspace" => KeyCode::Backspace,
        "delete" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        other => {
            let mut chars = other.chars();
            let c = chars.next().expect("a key");
            assert!(chars.next().is_none(), "unknown key spec {spec:?}");
            let mods = if c.is_uppercase() {
                mods | KeyModifiers::SHIFT
            } else {
                mods
            };
            return KeyEvent::new(KeyCode::Char(c), mods);
        }
    };
    KeyEvent::new(code, mods)
}

/// Presses space-separated keys, e.g. `press(&mut app, "g d a")`.
pub fn press(app: &mut App, keys: &str) {
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        app.on_input(Input::Key(key(spec)));
    }
}

/// Types text character by character.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let mods = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.on_input(Input::Key(KeyEvent::new(KeyCode::Char(c), mods)));
    }
}

/// Moves to the form's field `id` and replaces its text with `text`.
pub fn fill(app: &mut App, id: &str, text: &str) {
    for _ in 0..20 {
        if app.form().unwrap().focused().unwrap().id == id {
            press(app, "ctrl-u");
            type_text(app, text);
            return;
        }
        press(app, "tab");
    }
    panic!("no field {id}");
}

/// Renders the app into a `width`×`height` test terminal.
pub fn render(app: &mut App, width: u16, height: u16) -> TestBackend {
    app.on_input(Input::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| hrdesk::ui::draw(app, frame)).unwrap();
    terminal.backend().clone()
}

/// The rendered screen as plain text lines.
/// The text of the message line (empty when there is none).
pub fn message(app: &App) -> String {
    app.message().map(|m| m.text.clone()).unwrap_or_default()
}

pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    render(app, width, height).to_string()
}

/// Active employees who manage nobody (they can leave without a
/// reassignment) and hold no live account with any of `providers` (the
/// demo binds most people's accounts).
pub fn leaf_staff(
    session: &Session,
    count: usize,
    providers: &[hrdesk::domain::binding::Provider],
) -> Vec<hrdesk::domain::employee::Employee> {
    let free = |e: &hrdesk::domain::employee::Employee| {
        session
            .bindings_of(e.id)
            .unwrap()
            .iter()
            .all(|b| !b.state.is_live() || !providers.contains(&b.provider))
    };
    session
        .directory()
        .unwrap()
        .employees()
        .iter()
        .filter(|e| e.status == hrdesk::domain::employee::Status::Active)
        .filter(|e| session.active_reports(e.id).unwrap() == 0)
        .filter(|e| free(e))
        .take(count)
        .cloned()
        .collect()
}

/// Selects the employee with `emp_no` on the Staff pane through the `/`
/// filter (fuzzy, so other rows may match too: moves down to the right
/// one) and returns their record as the pane holds it.
pub fn select_employee(app: &mut App, emp_no: &str) -> hrdesk::domain::employee::Employee {
    press(app, "1 / ctrl-u");
    type_text(app, emp_no);
    press(app, "enter");
    fn staff(app: &App) -> &hrdesk::panes::staff::StaffView {
        app.pane()
    }
    let position = staff(app)
        .list
        .visible()
        .position(|r| r.emp_no == emp_no)
        .expect("the filter keeps the employee");
    for _ in 0..position {
        press(app, "down");
    }
    let (record, _) = staff(app).selected.clone().expect("someone is selected");
    assert_eq!(record.emp_no, emp_no);
    record
}

/// A new hire like `worker` (same department, title and manager) with
/// another number, name and phone, and no e-mail or national ID.
pub fn newcomer_like(
    worker: &hrdesk::domain::employee::Employee,
    emp_no: &str,
    name: &str,
    phone: &str,
) -> hrdesk::domain::employee::Employee {
    let mut newcomer = worker.clone();
    newcomer.id = hrdesk::domain::employee::EmployeeId(0);
    newcomer.emp_no = emp_no.into();
    newcomer.name = name.into();
    newcomer.phone = phone.into();
    newcomer.email = String::new();
    newcomer.national_id = String::new();
    newcomer
}

/// Moves the open form's focus to field `id` (by `tab`).
pub fn focus(app: &mut App, id: &str) {
    for _ in 0..20 {
        if app.form().unwrap().focused().unwrap().id == id {
            return;
        }
        press(app, "tab");
    }
    panic!("no field {id}");
}

/// The inline error of field `id` of the open form (none when no form is open).
pub fn field_error(app: &App, id: &str) -> Option<String> {
    app.form()?
        .fields
        .iter()
        .find(|f| f.id == id)?
        .error
        .clone()
}

/// The department named `name` (its own name, not its path).
pub fn department_named(session: &Session, name: &str) -> hrdesk::domain::department::DepartmentId {
    let tree = session.department_tree().unwrap();
    tree.rows()
        .into_iter()
        .find(|r| r.department.name == name)
        .map(|r| r.department.id)
        .unwrap_or_else(|| panic!("no department {name}"))
}
