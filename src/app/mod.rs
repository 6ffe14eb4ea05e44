//! The single application state machine. `App` owns the mode, the panes
//! (registered in `crate::panes`, each behind the [`Pane`] trait), which of
//! them is on screen, the overlays and the dispatch; the shared working
//! state panes act on is the [`Desk`]. Named actions go through
//! [`App::handle`], and so does pasted text ([`Step::Paste`]); raw
//! terminal input goes through [`App::on_input`], which resolves keys with
//! the live keymap and then calls `handle` (or types text in the modes that
//! take it). Nothing else changes state, and nothing here draws: `ui::draw`
//! is a pure function of `&App`. What must reach the terminal other than
//! the screen (a copy to the clipboard) is an [`Effect`] the runtime takes
//! with [`App::take_effects`], so tests see it and never emit it.

pub mod changes;
pub mod desk;
mod follow;
pub mod form;
mod headless;
pub mod help;
pub mod job;
pub mod list;
mod map;
pub mod palette;
pub mod pane;
pub mod paste;
pub mod report;
pub mod text_input;

use std::path::PathBuf;

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::action::{Action, Section};
use crate::config::keymap::{KeyChord, Keymap, Lookup};
use crate::config::operator::{Choices, OperatorFiles};
use crate::config::settings::Glyphs;
use crate::config::theme::{self, Theme};
use crate::i18n::{self, Lang};
use crate::service::Session;
use crate::team::operator_keys::KeyPlace;
use crate::tr;
use changes::Changes;
use desk::Desk;
use form::{Form, Submitted};
use help::{Help, HelpRow};
use palette::{Command, CommandError, Palette};
use pane::{Errand, Handled, Pane, PaneId, Placement, QueryEdit};
use paste::Pasted;

/// The input mode: which keymap section is live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Filter,
    Form,
    Confirm,
    Help,
    Palette,
}

impl Mode {
    /// The keymap sections active in this mode, highest precedence first.
    pub fn sections(self) -> &'static [Section] {
        match self {
            Mode::Browse => &[Section::Browse, Section::Global],
            Mode::Filter => &[Section::Filter],
            Mode::Form => &[Section::Form],
            Mode::Confirm => &[Section::Confirm],
            Mode::Help => &[Section::Help],
            Mode::Palette => &[Section::Palette],
        }
    }

    pub fn label(self) -> String {
        match self {
            Mode::Browse => tr!("mode.browse"),
            Mode::Filter => tr!("mode.filter"),
            Mode::Form => tr!("mode.form"),
            Mode::Confirm => tr!("mode.confirm"),
            Mode::Help => tr!("mode.help"),
            Mode::Palette => tr!("mode.palette"),
        }
    }
}

/// What a confirmation dialog will do on yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    DiscardForm,
    /// A headless command (an import checked already) to run.
    Headless(crate::cli::console::Headless),
    /// What the pane that asked will run.
    Pane(Errand),
}

/// A yes/no question before something destructive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    pub on_yes: Pending,
}

impl Confirm {
    /// A question pane `pane` asked, to run `what` (its own note) on yes.
    pub fn of<T: 'static>(pane: PaneId, title: String, message: String, what: T) -> Confirm {
        Confirm {
            title,
            message,
            on_yes: Pending::Pane(Errand::new(pane, what)),
        }
    }
}

/// The last message in the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
}

/// Help or palette, drawn over everything else.
#[derive(Clone, Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    Help(Help),
    Palette(Palette),
    /// A read-only report, such as an import's problems (keys of [help]).
    Report(report::Report),
}

/// Raw input, before the keymap gives it meaning: the terminal's, and
/// word that the database file changed (another session committed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    /// Text pasted into the terminal, whole (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    StoreChanged,
    /// A long job ended, or its progress is to be drawn again (see [`job`]).
    Job,
}

/// What the state machine is asked to do: a named action, or text pasted
/// into the focused text field (see [`paste`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Act(Action),
    Paste(String),
}

impl From<Action> for Step {
    fn from(action: Action) -> Step {
        Step::Act(action)
    }
}

/// What the console asks of the terminal besides drawing, taken by the
/// runtime after each input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Put the text on the clipboard (an OSC 52 sequence).
    Copy(String),
}

/// The one application state.
pub struct App {
    desk: Desk,
    panes: Vec<Box<dyn Pane>>,
    /// The pane on screen, an index into `panes`.
    shown: usize,
    /// The tab selected in the tab bar (shown unless a view is open over it).
    tab: usize,
    theme: Theme,
    themes_dir: Option<PathBuf>,
    help_rows: Vec<HelpRow>,
    /// The last change of the file's change feed this console has seen.
    seen_change: u64,
    pending_keys: Vec<KeyChord>,
    /// The keys (or, from the palette, the command) of the action being
    /// handled, for saying what they do not do.
    typed: String,
    lang: Lang,
    /// Where the operator's choices of theme and language are kept for
    /// next time, and what they are so far (none: not kept).
    choices: Option<(OperatorFiles, Choices)>,
    /// What the terminal is still to be asked to do.
    effects: Vec<Effect>,
    /// What borders and symbols are drawn with.
    glyphs: Glyphs,
    /// The most rows a tab keeps while another is shown.
    keep_hidden_rows: usize,
    quit: bool,
}

/// The most rows a tab keeps while another is shown, unless config.toml
/// says otherwise: a company of up to this many people keeps every tab
/// read; a larger one reads a tab again when it comes back (at a million
/// employees the console holds one table, not three).
pub const KEEP_HIDDEN_ROWS: usize = 200_000;

impl App {
    /// A console over `session` with `panes` (in tab order; views anywhere
    /// among them), opening on the first tab.
    pub fn new(
        session: Session,
        panes: Vec<Box<dyn Pane>>,
        keymap: Keymap,
        theme: Theme,
        themes_dir: Option<PathBuf>,
    ) -> App {
        let help_rows = help::help_rows(&keymap);
        let first = panes
            .iter()
            .position(|p| p.placement() == Placement::Tab)
            .unwrap_or(0);
        let mut app = App {
            desk: Desk::new(session, keymap),
            panes,
            shown: first,
            tab: first,
            theme,
            themes_dir,
            help_rows,
            seen_change: 0,
            pending_keys: Vec::new(),
            typed: String::new(),
            lang: i18n::lang(),
            choices: None,
            effects: Vec::new(),
            glyphs: Glyphs::default(),
            keep_hidden_rows: KEEP_HIDDEN_ROWS,
            quit: false,
        };
        match app.desk.session.last_change() {
            Ok(last) => app.seen_change = last,
            Err(err) => app.desk.error(err.to_string()),
        }
        app.show(first);
        app
    }

    /// Keeps the operator's choices of theme and language (`so_far`) in
    /// `files` from now on.
    pub fn keep_choices_in(&mut self, files: OperatorFiles, so_far: Choices) {
        self.choices = Some((files, so_far));
    }

    /// Draws borders and symbols with `glyphs` from now on.
    pub fn draw_with(&mut self, glyphs: Glyphs) {
        self.glyphs = glyphs;
    }

    /// Lets a tab left holding more than `rows` rows let them go.
    pub fn keep_hidden(&mut self, rows: usize) {
        self.keep_hidden_rows = rows;
        self.let_hidden_go();
    }

    /// What borders and symbols are drawn with.
    pub fn glyphs(&self) -> Glyphs {
        self.glyphs
    }

    /// Keeps the operators' SSH key lines at `place` in step with the
    /// operators removed from the console.
    pub fn keep_keys_at(&mut self, place: KeyPlace) {
        self.desk.key_place = Some(place);
    }

    /// Saves `choose`'s change to the operator's choices for next time.
    fn keep_choice(&mut self, choose: impl FnOnce(&mut Choices)) {
        let Some((files, choices)) = &mut self.choices else {
            return;
        };
        choose(choices);
        if let Err(message) = files.save(choices) {
            self.desk.error(message);
        }
    }

    // ----- read access for drawing and tests -----

    pub fn session(&self) -> &Session {
        &self.desk.session
    }
    pub fn desk(&self) -> &Desk {
        &self.desk
    }
    pub fn keymap(&self) -> &Keymap {
        &self.desk.keymap
    }
    pub fn theme(&self) -> &Theme {
        &self.theme
    }
    /// The panes, in registration order.
    pub fn panes(&self) -> &[Box<dyn Pane>] {
        &self.panes
    }
    /// The panes of the tab bar, in order.
    pub fn tabs(&self) -> impl Iterator<Item = &dyn Pane> {
        self.panes
            .iter()
            .map(|p| p.as_ref())
            .filter(|p| p.placement() == Placement::Tab)
    }
    /// The selected tab's pane.
    pub fn tab(&self) -> PaneId {
        self.panes[self.tab].id()
    }
    /// The pane on screen: the selected tab's, or a view opened over it.
    pub fn shown(&self) -> &dyn Pane {
        self.panes[self.shown].as_ref()
    }
    /// Whether a view (not a tab) is on screen.
    pub fn view_open(&self) -> bool {
        self.shown().placement() != Placement::Tab
    }
    /// The registered pane of type `T`. For drawing and tests, which know
    /// what they registered.
    ///
    /// # Panics
    /// When no pane of type `T` is registered.
    pub fn pane<T: Pane>(&self) -> &T {
        self.panes
            .iter()
            .find_map(|p| p.as_any().downcast_ref::<T>())
            .unwrap_or_else(|| panic!("unregistered: {}", std::any::type_name::<T>()))
    }
    pub fn form(&self) -> Option<&Form<Errand>> {
        self.desk.form.as_ref()
    }
    pub fn confirm(&self) -> Option<&Confirm> {
        self.desk.confirm.as_ref()
    }
    pub fn overlay(&self) -> &Overlay {
        &self.desk.overlay
    }
    pub fn help_rows(&self) -> &[HelpRow] {
        &self.help_rows
    }
    pub fn message(&self) -> Option<&Message> {
        self.desk.message.as_ref()
    }
    pub fn pending_keys(&self) -> &[KeyChord] {
        &self.pending_keys
    }
    /// The language the console speaks (taken from the thread when created).
    pub fn lang(&self) -> Lang {
        self.lang
    }
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// What the terminal is to be asked to do since last taken.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// The current mode, derived from what is open (innermost wins).
    pub fn mode(&self) -> Mode {
        if self.desk.confirm.is_some() {
            return Mode::Confirm;
        }
        match self.desk.overlay {
            Overlay::Help(_) | Overlay::Report(_) => return Mode::Help,
            Overlay::Palette(_) => return Mode::Palette,
            Overlay::None => {}
        }
        if self.desk.form.is_some() {
            Mode::Form
        } else if self.shown().querying() {
            Mode::Filter
        } else {
            Mode::Browse
        }
    }

    /// Rows a list shows at the current terminal height.
    pub fn page(&self) -> usize {
        self.desk.page()
    }

    /// The keymap sections active now, highest precedence first: while a
    /// pane is browsed, its own section before [browse] and [global].
    pub fn active_sections(&self) -> Vec<Section> {
        let mut sections = match (self.mode(), self.pane_section()) {
            (Mode::Browse, Some(pane)) => vec![pane, Section::Browse, Section::Global],
            (mode, _) => mode.sections().to_vec(),
        };
        if self.mode() == Mode::Browse && self.job_running() {
            sections.insert(0, Section::Job);
        }
        sections
    }

    /// Where else the keys `typed` do something: the pane (other than the
    /// one shown) whose own section binds them, as a hint; empty if none.
    fn pane_binding(&self, typed: &[KeyChord]) -> String {
        let shown = self.pane_section();
        let elsewhere = self.tabs().enumerate().find(|(_, pane)| {
            pane.section().is_some_and(|section| {
                Some(section) != shown
                    && matches!(
                        self.desk.keymap.lookup(&[section], typed),
                        Lookup::Action(_)
                    )
            })
        });
        match elsewhere {
            Some((index, pane)) => tr!("status.works_on", pane = pane.title(), key = index + 1),
            None => String::new(),
        }
    }

    /// The keymap section of the pane on screen, if it has one.
    pub fn pane_section(&self) -> Option<Section> {
        self.shown().section()
    }

    // ----- input -----

    /// Feeds raw terminal input through the keymap into the state machine.
    pub fn on_input(&mut self, input: Input) {
        i18n::set_lang(self.lang);
        match input {
            Input::Key(key) => {
                if key.kind != KeyEventKind::Release {
                    self.on_key(&key);
                }
            }
            Input::Paste(text) => self.handle(Step::Paste(text)),
            Input::Resize(width, height) => {
                self.desk.size = (width, height);
                let page = self.page();
                // The filters are unchanged: only the scroll positions move.
                for pane in &mut self.panes {
                    pane.fit(page);
                }
            }
            Input::StoreChanged => self.follow_changes(),
            Input::Job => self.poll_job(),
        }
    }

    fn on_key(&mut self, key: &KeyEvent) {
        let chord = KeyChord::from_event(key);
        self.pending_keys.push(chord);
        let mode = self.mode();
        let sections = self.active_sections();
        match self.desk.keymap.lookup(&sections, &self.pending_keys) {
            Lookup::Action(action) => {
                let typed: Vec<String> = self.pending_keys.iter().map(|k| k.to_string()).collect();
                self.typed = typed.join(" ");
                self.pending_keys.clear();
                self.handle(action);
            }
            Lookup::Pending => {}
            Lookup::Unbound => {
                let typed = std::mem::take(&mut self.pending_keys);
                if typed.len() > 1 {
                    // An abandoned sequence: the last key starts afresh.
                    self.on_key(key);
                } else if let Some(c) = chord.printable_char()
                    && sections.iter().any(|s| s.takes_text())
                {
                    self.type_char(c);
                } else if mode == Mode::Browse {
                    self.typed = chord.to_string();
                    let instead = self.pane_binding(&typed);
                    self.nothing_here(instead);
                }
            }
        }
    }

    fn type_char(&mut self, c: char) {
        self.type_text(c.encode_utf8(&mut [0; 4]));
    }

    /// Types `text` into the text field of the current mode; false when
    /// there is none (browsing, a question, a report).
    fn type_text(&mut self, text: &str) -> bool {
        match (self.mode(), &mut self.desk.overlay) {
            (Mode::Form, _) => {
                if let Some(form) = &mut self.desk.form {
                    text.chars().for_each(|c| form.insert(c));
                }
                self.refresh_field_hints();
            }
            (Mode::Filter, _) => text.chars().for_each(|c| self.query(QueryEdit::Type(c))),
            (Mode::Help, Overlay::Help(help)) => {
                text.chars().for_each(|c| help.query.insert(c));
                help.cursor = list::Cursor::default();
            }
            (Mode::Palette, Overlay::Palette(palette)) => {
                text.chars().for_each(|c| palette.input.insert(c));
                palette.refilter();
            }
            _ => return false,
        }
        true
    }

    /// A paste: one value goes into the focused text field as if typed
    /// (never a key: it neither moves the focus nor submits); several
    /// cells or lines, or a paste with no text field to take it, change
    /// nothing and say so.
    fn paste(&mut self, text: &str) {
        match paste::read(text) {
            Pasted::Refused(note) => self.desk.error(note),
            Pasted::Value(value) => {
                if !self.type_text(&value) {
                    self.desk.info(tr!("paste.nowhere"));
                }
            }
        }
    }

    // ----- actions -----

    /// Applies a named action, or a paste, in the current mode.
    pub fn handle(&mut self, step: impl Into<Step>) {
        i18n::set_lang(self.lang);
        let form_open = self.desk.form.is_some();
        match (step.into(), self.mode()) {
            (Step::Paste(text), _) => self.paste(&text),
            (Step::Act(action), _) if self.refused_while_job(action) => {}
            (Step::Act(action), Mode::Confirm) => self.handle_confirm(action),
            (Step::Act(action), Mode::Help) => self.handle_help(action),
            (Step::Act(action), Mode::Palette) => self.handle_palette(action),
            (Step::Act(action), Mode::Form) => self.handle_form(action),
            (Step::Act(action), Mode::Filter) => self.handle_filter(action),
            (Step::Act(action), Mode::Browse) => self.handle_browse(action),
        }
        self.tell_panes();
        if !form_open {
            // A form just opened: name the people its numbers hold.
            self.refresh_field_hints();
        }
    }

    fn handle_browse(&mut self, action: Action) {
        self.desk.message = None;
        let tabs: Vec<usize> = (0..self.panes.len())
            .filter(|&i| self.panes[i].placement() == Placement::Tab)
            .collect();
        let at = tabs.iter().position(|&i| i == self.tab).unwrap_or(0);
        let numbered = |n: usize| tabs.get(n).copied();
        match action {
            Action::Quit => self.quit = true,
            Action::CancelJob => self.cancel_job(),
            Action::NextTab => self.go_tab(numbered((at + 1) % tabs.len().max(1))),
            Action::PrevTab => {
                self.go_tab(numbered((at + tabs.len().max(1) - 1) % tabs.len().max(1)))
            }
            Action::TabStaff => self.go_tab(numbered(0)),
            Action::TabGoals => self.go_tab(numbered(1)),
            Action::TabScoring => self.go_tab(numbered(2)),
            Action::TabBindings => self.go_tab(numbered(3)),
            Action::TabVendors => self.go_tab(numbered(4)),
            Action::Help => self.desk.overlay = Overlay::Help(Help::default()),
            Action::Palette => {
                self.desk.overlay =
                    Overlay::Palette(Palette::new(self.palette_commands(), self.pane_section()))
            }
            Action::NextTheme => self.next_theme(),
            Action::Copy => self.copy(),
            Action::Detail => self.open_detail(),
            Action::Filter => {
                if !self.panes[self.shown].query(QueryEdit::Start, &mut self.desk) {
                    self.desk.info(tr!("status.nothing_to_filter"));
                }
            }
            _ if !action.is_move() && self.refuse(action) => {}
            _ if self.open_view(action) => {}
            _ => match self.panes[self.shown].handle(action, &mut self.desk) {
                Handled::Done => {}
                Handled::NotHere if action == Action::Back && self.view_open() => {
                    self.show(self.tab)
                }
                Handled::NotHere => {
                    let instead = self.action_elsewhere(action);
                    self.nothing_here(instead)
                }
                Handled::NotHereBut(instead) => self.nothing_here(instead),
            },
        }
    }

    /// Puts what the pane on screen offers on the clipboard (an effect for
    /// the terminal), saying what it was.
    fn copy(&mut self) {
        match self.panes[self.shown].copy(&mut self.desk) {
            Some(copied) => {
                self.desk.info(tr!("copy.done", what = copied.what));
                self.effects.push(Effect::Copy(copied.text));
            }
            // The pane said why it copied nothing.
            None if self.desk.message.is_some() => {}
            None => self.desk.info(tr!("copy.nothing")),
        }
    }

    /// Shows the detail panel of the pane on screen whole, in the report
    /// overlay; says the key does nothing there when it has none.
    fn open_detail(&mut self) {
        match self.panes[self.shown].detail(&mut self.desk) {
            Some(report) => self.desk.overlay = Overlay::Report(report),
            // The pane said why it has nothing to show.
            None if self.desk.message.is_some() => {}
            None => self.nothing_here(String::new()),
        }
    }

    /// Where else `action` does something: the first tab whose own
    /// section allows it, as a hint; empty if none.
    fn action_elsewhere(&self, action: Action) -> String {
        let shown = self.pane_section();
        self.tabs()
            .enumerate()
            .find(|(_, pane)| {
                pane.section()
                    .is_some_and(|s| Some(s) != shown && action.allowed_in(s))
            })
            .map(|(index, pane)| tr!("status.works_on", pane = pane.title(), key = index + 1))
            .unwrap_or_default()
    }

    /// Says that the keys just typed do nothing on the pane or view on
    /// screen, and where they work instead (`instead`, if not empty).
    fn nothing_here(&mut self, instead: String) {
        let pane = self.shown().title();
        let key = &self.typed;
        let said = if instead.is_empty() {
            tr!("status.does_nothing", key = key, pane = pane)
        } else {
            tr!(
                "status.does_nothing_instead",
                key = key,
                pane = pane,
                instead = instead
            )
        };
        self.desk.info(said);
    }

    /// Shows the tab at index `to` of `panes` (none: no such tab, nothing).
    fn go_tab(&mut self, to: Option<usize>) {
        if let Some(to) = to {
            self.tab = to;
            // Before the tab shown reads its rows: the console never holds
            // two large tables at once.
            self.let_hidden_go();
            self.show(to);
        }
    }

    /// Asks every tab but the selected one that holds more rows than the
    /// console keeps hidden to let them go.
    pub(super) fn let_hidden_go(&mut self) {
        let keep = self.keep_hidden_rows;
        for (index, pane) in self.panes.iter_mut().enumerate() {
            let hidden = index != self.tab && pane.placement() == Placement::Tab;
            if hidden && pane.held_rows() > keep {
                pane.let_go(&mut self.desk);
            }
        }
    }

    /// Puts pane `index` on screen from the palette: a tab is selected, a
    /// view opened (if the operator may see it) over the tab selected.
    fn go_to(&mut self, index: usize) {
        match self.panes[index].placement() {
            Placement::Tab => self.go_tab(Some(index)),
            Placement::View { opened_by, .. } => {
                self.open_view(opened_by);
            }
        }
    }

    /// Puts pane `index` on screen and lets it read what is stale.
    fn show(&mut self, index: usize) {
        self.shown = index;
        self.panes[index].show(&mut self.desk);
    }

    /// Opens the view `action` opens, if one does and the operator may see
    /// it; `false` when no view is opened by `action`.
    fn open_view(&mut self, action: Action) -> bool {
        let found = self.panes.iter().position(
            |p| matches!(p.placement(), Placement::View { opened_by, .. } if opened_by == action),
        );
        let Some(index) = found else {
            return false;
        };
        if let Placement::View { needs, .. } = self.panes[index].placement()
            && let Err(denied) =
                crate::service::access::require(self.desk.session.operator(), needs)
        {
            self.desk.error(denied.to_string());
            return true;
        }
        self.show(index);
        true
    }

    /// Tells every pane what this console wrote while handling the last
    /// action, so each reads again what it shows of that.
    fn tell_panes(&mut self) {
        let written = self.desk.take_written();
        if !written.is_empty() {
            self.spread(&written);
        }
    }

    /// Tells every pane of `changes` (and forgets the people forms find,
    /// when they changed).
    fn spread(&mut self, changes: &Changes) {
        if changes.staff || !changes.people.is_empty() {
            self.desk.people.clear();
        }
        for (index, pane) in self.panes.iter_mut().enumerate() {
            pane.changed(changes, index == self.shown, &mut self.desk);
        }
    }

    fn query(&mut self, edit: QueryEdit) {
        self.panes[self.shown].query(edit, &mut self.desk);
    }

    fn handle_filter(&mut self, action: Action) {
        let edit = match action {
            Action::Submit => QueryEdit::Keep,
            Action::Cancel => QueryEdit::Clear,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                QueryEdit::Move(action)
            }
            _ => QueryEdit::Apply(action),
        };
        self.query(edit);
    }

    fn handle_help(&mut self, action: Action) {
        let page = self.page();
        if let Overlay::Report(report) = &mut self.desk.overlay {
            match action {
                Action::Cancel => self.desk.overlay = Overlay::None,
                _ => report.scroll(action, page),
            }
            return;
        }
        let len = match &self.desk.overlay {
            Overlay::Help(help) => help.filter(&self.help_rows).len(),
            _ => 0,
        };
        if let Overlay::Help(help) = &mut self.desk.overlay {
            match action {
                Action::Cancel => self.desk.overlay = Overlay::None,
                _ if help.cursor.apply(action, len, page) => {}
                _ => {
                    if help.query.apply(action) {
                        help.cursor = list::Cursor::default();
                    }
                }
            }
        }
    }

    fn handle_palette(&mut self, action: Action) {
        let Overlay::Palette(palette) = &mut self.desk.overlay else {
            return;
        };
        match action {
            Action::Cancel => self.desk.overlay = Overlay::None,
            Action::Up => palette.move_selection(false),
            Action::Down => palette.move_selection(true),
            Action::Complete => palette.complete(),
            Action::Submit => {
                let chosen = palette.chosen();
                self.desk.overlay = Overlay::None;
                if let Some(index) = chosen.on {
                    self.go_to(index);
                }
                self.run_command(&chosen.line);
            }
            _ => {
                if palette.input.apply(action) {
                    palette.refilter();
                }
            }
        }
    }

    fn run_command(&mut self, line: &str) {
        match palette::parse_command(line, self.pane_section()) {
            Ok(Command::Run(action)) => {
                self.typed = action.name().to_string();
                self.handle(action)
            }
            Ok(Command::Theme(Some(name))) => self.set_theme(&name),
            Ok(Command::Lang(Some(code))) => match Lang::from_code(&code) {
                Some(lang) => {
                    self.lang = lang;
                    i18n::set_lang(lang);
                    self.desk
                        .info(tr!("status.lang", name = lang.native_name()));
                    self.keep_choice(|chosen| chosen.lang = Some(lang));
                }
                None => self.desk.error(tr!("palette.unknown_lang", code = code)),
            },
            Ok(Command::Lang(None)) => self.desk.error(tr!("palette.unknown_lang", code = "")),
            Ok(Command::Theme(None)) => {
                let names = theme::available_themes(self.themes_dir.as_deref()).join(", ");
                self.desk
                    .error(tr!("palette.theme_needs_name", names = names));
            }
            Ok(Command::Other(name, argument)) => {
                let desk = &mut self.desk;
                let ran = self
                    .panes
                    .iter_mut()
                    .any(|pane| pane.run_command(&name, &argument, desk));
                if ran {
                } else if crate::cli::console::is_headless(&name) {
                    self.run_headless(line);
                } else if crate::cli::console::is_shell_only(&name) {
                    self.desk.error(tr!("console_cmd.not_here", word = name));
                } else {
                    self.desk.error(tr!("palette.unknown", name = name));
                }
            }
            Err(CommandError::Empty) => {}
            Err(CommandError::UnexpectedArgument(name)) => {
                self.desk.error(tr!("palette.no_argument", name = name))
            }
        }
    }

    fn set_theme(&mut self, name: &str) {
        match theme::load_theme(name, self.themes_dir.as_deref()) {
            Ok(theme) => {
                self.desk.info(tr!("status.theme", name = theme.name()));
                let name = theme.name().to_string();
                self.theme = theme;
                self.keep_choice(|chosen| chosen.theme = Some(name));
            }
            Err(err) => self.desk.error(err.to_string()),
        }
    }

    fn next_theme(&mut self) {
        let names = theme::available_themes(self.themes_dir.as_deref());
        let current = names.iter().position(|n| n == self.theme.name());
        let next = current.map_or(0, |i| (i + 1) % names.len().max(1));
        if let Some(name) = names.get(next) {
            let name = name.clone();
            self.set_theme(&name);
        }
    }

    fn handle_confirm(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                if let Some(confirm) = self.desk.confirm.take() {
                    self.run_pending(confirm.on_yes);
                }
            }
            Action::Cancel => self.desk.confirm = None,
            _ => {}
        }
    }

    fn run_pending(&mut self, pending: Pending) {
        match pending {
            Pending::DiscardForm => {
                self.desk.form = None;
                self.desk.info(tr!("status.form_discarded"));
            }
            Pending::Headless(command) => self.write_headless(command),
            Pending::Pane(errand) => {
                if let Some(pane) = self.pane_of(errand.pane()) {
                    self.panes[pane].confirmed(&errand, &mut self.desk);
                }
            }
        }
    }

    /// The index of pane `id`.
    fn pane_of(&self, id: PaneId) -> Option<usize> {
        self.panes.iter().position(|p| p.id() == id)
    }

    fn handle_form(&mut self, action: Action) {
        if self.pick_list_takes(action) {
            return;
        }
        match action {
            Action::Cancel => {
                if self.desk.form.as_ref().is_some_and(Form::is_dirty) {
                    self.desk.ask(Confirm {
                        title: tr!("confirm.discard_title"),
                        message: tr!("confirm.discard_message"),
                        on_yes: Pending::DiscardForm,
                    });
                } else {
                    self.desk.form = None;
                }
            }
            Action::Submit => self.submit_form(),
            _ => {
                if let Some(form) = &mut self.desk.form {
                    form.apply(action);
                }
                self.refresh_field_hints();
            }
        }
    }

    /// Submits the open form to the pane that opened it; on failure the
    /// form stays open with the errors shown.
    fn submit_form(&mut self) {
        let Some(mut form) = self.desk.form.take() else {
            return;
        };
        form.clear_errors();
        let unreadable = self.unreadable(&mut form);
        if !unreadable.blocking.is_empty() {
            let problems = form::in_field_order(&form, unreadable.all());
            for (field, message) in problems.into_iter().rev() {
                form.set_error(field, message);
            }
            self.desk.form = Some(form);
            return;
        }
        let Some(pane) = self.pane_of(form.kind.pane()) else {
            return;
        };
        let outcome: Submitted = self.panes[pane].submit(&form, &mut self.desk);
        match outcome {
            Ok(done) => {
                self.desk.info(done.message);
                self.desk.wrote(done.changed);
                self.tell_panes();
                if let Some(select) = done.select {
                    for pane in &mut self.panes {
                        pane.select(&select, &mut self.desk);
                    }
                }
            }
            // A pane that put a form of its own back (or none) has said all.
            Err(errors) if errors.is_empty() && self.desk.form.is_some() => {}
            Err(errors) => {
                if let Some((revision, stored)) = self.desk.rebase.take() {
                    form.rebase(revision, &stored);
                }
                let errors = form::in_field_order(&form, unreadable.merged(errors));
                // In reverse, so that the first problem's field has the focus.
                for (field, message) in errors.into_iter().rev() {
                    form.set_error(field, message);
                }
                self.desk.form = Some(form);
            }
        }
    }
}
