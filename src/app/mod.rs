//! The single application state machine. `App` owns the mode, the active tab
//! or admin view, each view's state and the session (store + operator).
//! Named actions go through [`App::handle`]; raw terminal input goes through
//! [`App::on_input`], which resolves keys with the live keymap and then calls
//! `handle` (or types text in the modes that take it). Nothing else changes
//! state, and nothing here draws: `ui::draw` is a pure function of `&App`.

pub mod admin;
pub mod bindings;
mod follow;
pub mod form;
mod form_reader;
pub mod goals;
pub mod help;
mod hints;
pub mod list;
pub mod palette;
pub mod report;
pub mod scoring;
pub mod search;
pub mod staff;
pub mod text_input;
pub mod vendors;

use std::path::PathBuf;

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::action::{Action, Section};
use crate::config::keymap::{KeyChord, Keymap, Lookup};
use crate::config::operator::{Choices, OperatorFiles};
use crate::config::theme::{self, Theme};
use crate::domain::audit::AuditEntry;
use crate::domain::department::DepartmentId;
use crate::i18n::{self, Lang};
use crate::service::Session;
use crate::team::operator_keys::KeyPlace;
use crate::tr;
use admin::{DepartmentRow, OperatorRow};
use form::Form;
use help::{Help, HelpRow};
use list::{FilteredList, Matching};
use palette::{Command, CommandError, Palette, Suggestion};
use staff::StaffView;

/// The five panes, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Staff,
    Goals,
    Scoring,
    Bindings,
    Vendors,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Staff,
        Tab::Goals,
        Tab::Scoring,
        Tab::Bindings,
        Tab::Vendors,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|&t| t == self).unwrap_or(0)
    }

    pub fn title(self) -> String {
        match self {
            Tab::Staff => tr!("tab.staff"),
            Tab::Goals => tr!("tab.goals"),
            Tab::Scoring => tr!("tab.scoring"),
            Tab::Bindings => tr!("tab.bindings"),
            Tab::Vendors => tr!("tab.vendors"),
        }
    }
}

/// What fills the screen below the tab bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The active tab's pane.
    Pane,
    Departments,
    Operators,
    Log,
}

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

/// What a form is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    AddDepartment,
    EditDepartment(DepartmentId),
    MoveDepartment(DepartmentId),
    AddOperator,
    EditOperator(String),
    Staff(staff::forms::StaffForm),
    Goal(goals::forms::GoalForm),
    Scoring(scoring::forms::ScoringForm),
    Binding(bindings::forms::BindingForm),
    Vendor(vendors::forms::VendorForm),
}

/// What a confirmation dialog will do on yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    RemoveDepartment(DepartmentId),
    RemoveOperator(String),
    DiscardForm,
    ImportStaff(staff::import::ImportRequest),
    ArchiveGoal(crate::domain::goal::GoalId),
    AdvanceCycle(
        crate::domain::scoring::CycleId,
        crate::domain::scoring::CycleState,
    ),
    Normalise(crate::domain::scoring::CycleId, bool),
    CancelUnbind(crate::domain::binding::BindingId),
    ExpireUnbind(crate::domain::binding::BindingId),
    UnbindCritical(Vec<crate::domain::binding::audit::Finding>),
    ChooseVendor(
        crate::domain::vendor::ProjectId,
        crate::domain::vendor::VendorId,
    ),
    RemoveVendor(crate::domain::vendor::VendorId),
}

/// A yes/no question before something destructive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    pub on_yes: Pending,
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
    Resize(u16, u16),
    StoreChanged,
}

/// The one application state.
pub struct App {
    session: Session,
    keymap: Keymap,
    theme: Theme,
    themes_dir: Option<PathBuf>,
    tab: Tab,
    view: View,
    departments: FilteredList<DepartmentRow>,
    operators: FilteredList<OperatorRow>,
    log: FilteredList<AuditEntry>,
    staff: StaffView,
    goals: goals::GoalsView,
    /// Whether the goal tree must be read again before it is shown (at
    /// start too: it is read when the Goals tab is first opened, so the
    /// console opens on Staff without reading every goal).
    goals_stale: bool,
    scoring: scoring::ScoringView,
    /// Whether the cycle on screen must be recomputed before it is shown
    /// (at start, and after any change elsewhere that scores read).
    scoring_stale: bool,
    bindings: bindings::BindingsView,
    vendors: vendors::VendorsView,
    form: Option<Form<FormKind>>,
    /// After a save refused over someone else's change: the revision and
    /// the fields as stored now, for the form kept on screen.
    rebase: Option<(crate::domain::change::Revision, Vec<form::Field>)>,
    confirm: Option<Confirm>,
    overlay: Overlay,
    help_rows: Vec<HelpRow>,
    message: Option<Message>,
    /// The last change of the file's change feed this console has seen.
    seen_change: u64,
    pending_keys: Vec<KeyChord>,
    /// The keys (or, from the palette, the command) of the action being
    /// handled, for saying what they do not do.
    typed: String,
    size: (u16, u16),
    lang: Lang,
    /// Where the operator's choices of theme and language are kept for
    /// next time, and what they are so far (none: not kept).
    choices: Option<(OperatorFiles, Choices)>,
    /// Where the operators' SSH key lines of this database live (none: a
    /// database without them, as the demo).
    key_place: Option<KeyPlace>,
    quit: bool,
}

/// Rows of chrome around a list: tab bar, borders, header, filter, message, status.
const CHROME_ROWS: u16 = 7;

impl App {
    pub fn new(session: Session, keymap: Keymap, theme: Theme, themes_dir: Option<PathBuf>) -> App {
        let help_rows = help::help_rows(&keymap);
        let mut app = App {
            session,
            keymap,
            theme,
            themes_dir,
            tab: Tab::Staff,
            view: View::Pane,
            departments: FilteredList::new(Matching::Fuzzy),
            operators: FilteredList::new(Matching::Fuzzy),
            log: FilteredList::new(Matching::AllWords),
            staff: StaffView::default(),
            goals: goals::GoalsView::default(),
            goals_stale: true,
            scoring: scoring::ScoringView::default(),
            scoring_stale: true,
            bindings: bindings::BindingsView::default(),
            vendors: vendors::VendorsView::default(),
            form: None,
            rebase: None,
            confirm: None,
            overlay: Overlay::None,
            help_rows,
            message: None,
            seen_change: 0,
            pending_keys: Vec::new(),
            typed: String::new(),
            size: (80, 24),
            lang: i18n::lang(),
            choices: None,
            key_place: None,
            quit: false,
        };
        match app.session.last_change() {
            Ok(last) => app.seen_change = last,
            Err(err) => app.error(err.to_string()),
        }
        app.reload_staff();
        app
    }

    /// Keeps the operator's choices of theme and language (`so_far`) in
    /// `files` from now on.
    pub fn keep_choices_in(&mut self, files: OperatorFiles, so_far: Choices) {
        self.choices = Some((files, so_far));
    }

    /// Keeps the operators' SSH key lines at `place` in step with the
    /// operators removed from the console.
    pub fn keep_keys_at(&mut self, place: KeyPlace) {
        self.key_place = Some(place);
    }

    /// Saves `choose`'s change to the operator's choices for next time.
    fn keep_choice(&mut self, choose: impl FnOnce(&mut Choices)) {
        let Some((files, choices)) = &mut self.choices else {
            return;
        };
        choose(choices);
        if let Err(message) = files.save(choices) {
            self.error(message);
        }
    }

    // ----- read access for drawing and tests -----

    pub fn session(&self) -> &Session {
        &self.session
    }
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    pub fn theme(&self) -> &Theme {
        &self.theme
    }
    pub fn tab(&self) -> Tab {
        self.tab
    }
    pub fn view(&self) -> View {
        self.view
    }
    pub fn departments(&self) -> &FilteredList<DepartmentRow> {
        &self.departments
    }
    pub fn operators(&self) -> &FilteredList<OperatorRow> {
        &self.operators
    }
    pub fn log(&self) -> &FilteredList<AuditEntry> {
        &self.log
    }
    pub fn staff(&self) -> &StaffView {
        &self.staff
    }
    pub fn goals(&self) -> &goals::GoalsView {
        &self.goals
    }

    pub fn scoring(&self) -> &scoring::ScoringView {
        &self.scoring
    }
    pub fn bindings(&self) -> &bindings::BindingsView {
        &self.bindings
    }
    pub fn vendors(&self) -> &vendors::VendorsView {
        &self.vendors
    }
    pub fn form(&self) -> Option<&Form<FormKind>> {
        self.form.as_ref()
    }
    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }
    pub fn help_rows(&self) -> &[HelpRow] {
        &self.help_rows
    }
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
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

    /// The current mode, derived from what is open (innermost wins).
    pub fn mode(&self) -> Mode {
        if self.confirm.is_some() {
            return Mode::Confirm;
        }
        match self.overlay {
            Overlay::Help(_) | Overlay::Report(_) => return Mode::Help,
            Overlay::Palette(_) => return Mode::Palette,
            Overlay::None => {}
        }
        if self.form.is_some() {
            Mode::Form
        } else if self.active_list_editing() {
            Mode::Filter
        } else {
            Mode::Browse
        }
    }

    /// Rows a list shows at the current terminal height.
    pub fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(CHROME_ROWS)).max(1)
    }

    /// The keymap sections active now, highest precedence first: while a
    /// pane is browsed, its own section before [browse] and [global].
    pub fn active_sections(&self) -> Vec<Section> {
        match (self.mode(), self.pane_section()) {
            (Mode::Browse, Some(pane)) => vec![pane, Section::Browse, Section::Global],
            (mode, _) => mode.sections().to_vec(),
        }
    }

    /// Where else the keys `typed` do something: the pane (other than the
    /// one shown) whose own section binds them, as a hint; empty if none.
    fn pane_binding(&self, typed: &[KeyChord]) -> String {
        let shown = self.pane_section();
        let elsewhere = Section::PANES.into_iter().find(|&pane| {
            Some(pane) != shown && matches!(self.keymap.lookup(&[pane], typed), Lookup::Action(_))
        });
        match elsewhere {
            Some(Section::Staff) => tr!("status.staff_only"),
            Some(Section::Goals) => tr!("status.goals_only"),
            Some(Section::Scoring) => tr!("status.scoring_only"),
            Some(Section::Bindings) => tr!("status.bindings_only"),
            Some(Section::Vendors) => tr!("status.vendors_only"),
            _ => String::new(),
        }
    }

    /// The keymap section of the pane on screen (none for an admin view).
    pub fn pane_section(&self) -> Option<Section> {
        (self.view == View::Pane).then_some(match self.tab {
            Tab::Staff => Section::Staff,
            Tab::Goals => Section::Goals,
            Tab::Scoring => Section::Scoring,
            Tab::Bindings => Section::Bindings,
            Tab::Vendors => Section::Vendors,
        })
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
            Input::Resize(width, height) => {
                self.size = (width, height);
                let page = self.page();
                // The filters are unchanged: only the scroll positions move.
                self.departments.fit(page);
                self.staff.list.fit(page);
                self.goals.list.fit(page);
                self.operators.fit(page);
                self.log.fit(page);
            }
            Input::StoreChanged => self.follow_changes(),
        }
    }

    fn on_key(&mut self, key: &KeyEvent) {
        let chord = KeyChord::from_event(key);
        self.pending_keys.push(chord);
        let mode = self.mode();
        let sections = self.active_sections();
        match self.keymap.lookup(&sections, &self.pending_keys) {
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
        match self.mode() {
            Mode::Form => {
                if let Some(form) = &mut self.form {
                    form.insert(c);
                }
                self.refresh_person_hints();
            }
            Mode::Filter => self.edit_active_query(|q| q.insert(c)),
            Mode::Help => {
                if let Overlay::Help(help) = &mut self.overlay {
                    help.query.insert(c);
                    help.cursor = list::Cursor::default();
                }
            }
            Mode::Palette => {
                if let Overlay::Palette(palette) = &mut self.overlay {
                    palette.input.insert(c);
                    palette.refilter();
                }
            }
            Mode::Browse | Mode::Confirm => {}
        }
    }

    // ----- actions -----

    /// Applies a named action in the current mode.
    pub fn handle(&mut self, action: Action) {
        i18n::set_lang(self.lang);
        match self.mode() {
            Mode::Confirm => self.handle_confirm(action),
            Mode::Help => self.handle_help(action),
            Mode::Palette => self.handle_palette(action),
            Mode::Form => self.handle_form(action),
            Mode::Filter => self.handle_filter(action),
            Mode::Browse => self.handle_browse(action),
        }
    }

    fn handle_browse(&mut self, action: Action) {
        self.message = None;
        match action {
            Action::Quit => self.quit = true,
            Action::NextTab => self.go_tab((self.tab.index() + 1) % Tab::ALL.len()),
            Action::PrevTab => {
                self.go_tab((self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len())
            }
            Action::TabStaff => self.go_tab(0),
            Action::TabGoals => self.go_tab(1),
            Action::TabScoring => self.go_tab(2),
            Action::TabBindings => self.go_tab(3),
            Action::TabVendors => self.go_tab(4),
            Action::Help => self.overlay = Overlay::Help(Help::default()),
            Action::Palette => {
                self.overlay = Overlay::Palette(Palette::new(self.palette_commands()))
            }
            Action::Departments => self.open_view(View::Departments),
            Action::Operators => self.open_view(View::Operators),
            Action::Log => self.open_view(View::Log),
            Action::NextTheme => self.next_theme(),
            Action::Back if self.bindings_on_screen() => self.bindings_action(action),
            Action::NextCycle
            | Action::PrevCycle
            | Action::NextListing
            | Action::ChooseVendor
            | Action::EditProject
            | Action::RecordActual
            | Action::Add
            | Action::Edit
            | Action::Remove
                if self.vendors_on_screen() =>
            {
                self.vendors_action(action)
            }
            Action::ChooseVendor | Action::EditProject => {
                self.nothing_here(tr!("status.vendors_only"))
            }
            Action::Back => self.view = View::Pane,
            Action::Filter => self.start_filter(),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last => self.navigate(action),
            Action::Sort | Action::SortReverse if self.staff_on_screen() => {
                let page = self.page();
                self.staff.cycle_sort(action == Action::SortReverse, page);
                self.refresh_staff_selection();
            }
            Action::Add | Action::Edit | Action::Move | Action::Remove
                if self.goals_on_screen() =>
            {
                self.goals_action(action)
            }
            Action::Add | Action::Edit if self.scoring_on_screen() => self.scoring_action(action),
            Action::Add | Action::Reveal if self.bindings_on_screen() => {
                self.bindings_action(action)
            }
            Action::Add | Action::Edit | Action::Move | Action::Remove => self.admin_action(action),
            Action::DepartmentFilter
            | Action::Expand
            | Action::Collapse
            | Action::Toggle
            | Action::AddTop
            | Action::RecordActual
            | Action::Cascade
            | Action::Alignment
                if self.goals_on_screen() =>
            {
                self.goals_action(action)
            }
            Action::Expand
            | Action::Collapse
            | Action::Toggle
            | Action::AddTop
            | Action::RecordActual
            | Action::Cascade
            | Action::Alignment => self.nothing_here(tr!("status.goals_only")),
            Action::NextCycle
            | Action::PrevCycle
            | Action::AdvanceCycle
            | Action::Rate
            | Action::OverrideGrade
            | Action::Appeal
            | Action::Distribution
            | Action::Leniency
            | Action::Normalise
            | Action::Profile
            | Action::Appeals
            | Action::EnterIndicator => {
                if self.scoring_on_screen() {
                    self.scoring_action(action);
                } else {
                    self.nothing_here(tr!("status.scoring_only"));
                }
            }
            Action::RequestUnbind
            | Action::ConfirmUnbind
            | Action::CancelUnbind
            | Action::ForceUnbind
            | Action::ExpireUnbind
            | Action::Audit
            | Action::UnbindCritical
            | Action::NextListing => {
                if self.bindings_on_screen() {
                    self.bindings_action(action);
                } else {
                    self.nothing_here(tr!("status.bindings_only"));
                }
            }
            Action::Transfer
            | Action::Promote
            | Action::Leave
            | Action::ReturnFromLeave
            | Action::Depart
            | Action::Rehire
            | Action::Reveal
            | Action::DepartmentFilter => {
                if self.staff_on_screen() {
                    self.staff_action(action);
                } else {
                    self.nothing_here(tr!("status.staff_only"));
                }
            }
            _ => self.nothing_here(String::new()),
        }
    }

    /// Says that the keys just typed do nothing on the screen shown, and
    /// `where_instead` they do something (empty: nowhere else to point to).
    pub(in crate::app) fn nothing_here(&mut self, where_instead: String) {
        let pane = match self.view {
            View::Pane => self.tab.title(),
            View::Departments => tr!("departments.title"),
            View::Operators => tr!("operators.title"),
            View::Log => tr!("log.title"),
        };
        let key = &self.typed;
        let said = if where_instead.is_empty() {
            tr!("status.does_nothing", key = key, pane = pane)
        } else {
            tr!(
                "status.does_nothing_instead",
                key = key,
                pane = pane,
                instead = where_instead
            )
        };
        self.info(said);
    }

    fn go_tab(&mut self, index: usize) {
        self.tab = Tab::ALL[index % Tab::ALL.len()];
        self.view = View::Pane;
        if self.tab == Tab::Goals && self.goals_stale {
            self.goals_stale = false;
            self.reload_goals();
        }
        if self.tab == Tab::Scoring && self.scoring_stale {
            self.scoring_stale = false;
            self.reload_scoring();
        }
        if self.tab == Tab::Bindings {
            // A window of rows: cheap, and departures elsewhere change bindings.
            self.reload_bindings();
        }
        if self.tab == Tab::Vendors {
            // A few projects of a few vendors each: read whenever shown.
            self.reload_vendors();
        }
    }

    /// Whether the Vendors pane is on screen.
    pub fn vendors_on_screen(&self) -> bool {
        self.view == View::Pane && self.tab == Tab::Vendors
    }

    /// Whether the Bindings pane is on screen.
    pub fn bindings_on_screen(&self) -> bool {
        self.view == View::Pane && self.tab == Tab::Bindings
    }

    /// Whether the Scoring pane's scoreboard is on screen.
    pub fn scoring_on_screen(&self) -> bool {
        self.view == View::Pane && self.tab == Tab::Scoring
    }

    /// Whether the Staff pane's table is on screen.
    pub fn staff_on_screen(&self) -> bool {
        self.view == View::Pane && self.tab == Tab::Staff
    }

    /// Whether the Goals pane's tree is on screen.
    pub fn goals_on_screen(&self) -> bool {
        self.view == View::Pane && self.tab == Tab::Goals
    }

    fn navigate(&mut self, action: Action) {
        let page = self.page();
        match self.view {
            View::Departments => self.departments.navigate(action, page),
            View::Operators => self.operators.navigate(action, page),
            View::Log => self.log.navigate(action, page),
            View::Pane if self.staff_on_screen() => {
                self.staff.list.navigate(action, page);
                self.refresh_staff_selection();
                true
            }
            View::Pane if self.scoring_on_screen() => self.scoring.list.navigate(action, page),
            View::Pane if self.bindings_on_screen() => {
                if let Err(err) = self.bindings.navigate(action, &self.session, page) {
                    self.error(err.to_string());
                }
                true
            }
            View::Pane if self.vendors_on_screen() => {
                self.vendors_action(action);
                true
            }
            View::Pane if self.goals_on_screen() => {
                self.goals.list.navigate(action, page);
                self.refresh_goal_selection();
                true
            }
            View::Pane => false,
        };
    }

    fn refresh_goal_selection(&mut self) {
        if let Err(err) = self.goals.refresh_history(&self.session) {
            self.error(err.to_string());
        }
    }

    fn refresh_staff_selection(&mut self) {
        if let Err(err) = self.staff.refresh_selected(&self.session) {
            self.error(err.to_string());
        }
    }

    fn active_list_editing(&self) -> bool {
        match self.view {
            View::Departments => self.departments.editing,
            View::Operators => self.operators.editing,
            View::Log => self.log.editing,
            View::Pane => {
                (self.staff_on_screen() && self.staff.list.editing)
                    || (self.goals_on_screen() && self.goals.list.editing)
                    || (self.scoring_on_screen() && self.scoring.list.editing)
                    || (self.bindings_on_screen() && self.bindings.editing)
            }
        }
    }

    /// Edits the query of the list on screen, if one is, and refilters it.
    fn edit_active_query(&mut self, edit: impl FnOnce(&mut text_input::TextInput)) {
        let page = self.page();
        match self.view {
            View::Departments => self.departments.edit_query(edit, page),
            View::Operators => self.operators.edit_query(edit, page),
            View::Log => self.log.edit_query(edit, page),
            View::Pane if self.staff_on_screen() => {
                self.staff.list.edit_query(edit, page);
                self.refresh_staff_selection();
            }
            View::Pane if self.goals_on_screen() => {
                self.goals.list.edit_query(edit, page);
                if self.goals.query_mode_changed()
                    && let Err(err) = self.goals.refilter(&self.session, page)
                {
                    self.error(err.to_string());
                }
                self.refresh_goal_selection();
            }
            View::Pane if self.scoring_on_screen() => self.scoring.list.edit_query(edit, page),
            View::Pane if self.bindings_on_screen() => edit(&mut self.bindings.query),
            View::Pane => {}
        }
    }

    fn set_editing(&mut self, editing: bool) {
        match self.view {
            View::Departments => self.departments.editing = editing,
            View::Operators => self.operators.editing = editing,
            View::Log => self.log.editing = editing,
            View::Pane if self.staff_on_screen() => self.staff.list.editing = editing,
            View::Pane if self.goals_on_screen() => self.goals.list.editing = editing,
            View::Pane if self.scoring_on_screen() => self.scoring.list.editing = editing,
            View::Pane if self.bindings_on_screen() => self.bindings.editing = editing,
            View::Pane => {}
        }
    }

    fn start_filter(&mut self) {
        let has_list = self.staff_on_screen()
            || self.goals_on_screen()
            || self.scoring_on_screen()
            || (self.bindings_on_screen() && self.bindings.refused.is_none());
        if self.view == View::Pane && !has_list {
            self.info(tr!("status.nothing_to_filter"));
        } else {
            self.set_editing(true);
        }
    }

    /// Loads the staff table (after start-up, a change, or a language switch).
    fn reload_staff(&mut self) {
        let page = self.page();
        if let Err(err) = self.staff.reload(&self.session, page) {
            self.error(err.to_string());
        }
    }

    fn handle_filter(&mut self, action: Action) {
        match action {
            Action::Submit => {
                self.set_editing(false);
                if self.bindings_on_screen() {
                    self.search_bindings();
                }
            }
            Action::Cancel => {
                self.edit_active_query(text_input::TextInput::clear);
                self.set_editing(false);
                if self.bindings_on_screen() {
                    self.search_bindings();
                }
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => self.navigate(action),
            _ => self.edit_active_query(|q| {
                q.apply(action);
            }),
        }
    }

    fn handle_help(&mut self, action: Action) {
        let page = self.page();
        if let Overlay::Report(report) = &mut self.overlay {
            match action {
                Action::Cancel => self.overlay = Overlay::None,
                _ => report.scroll(action, page),
            }
            return;
        }
        let len = match &self.overlay {
            Overlay::Help(help) => help.filter(&self.help_rows).len(),
            _ => 0,
        };
        if let Overlay::Help(help) = &mut self.overlay {
            match action {
                Action::Cancel => self.overlay = Overlay::None,
                _ if help.cursor.apply(action, len, page) => {}
                _ => {
                    if help.query.apply(action) {
                        help.cursor = list::Cursor::default();
                    }
                }
            }
        }
    }

    fn palette_commands(&self) -> Vec<Suggestion> {
        let mut commands: Vec<Suggestion> = Action::ALL
            .iter()
            .filter(|a| a.runs_from_palette())
            .map(|a| Suggestion {
                command: a.name().to_string(),
                description: i18n::text(a.description_key()).to_string(),
            })
            .collect();
        for lang in Lang::ALL {
            commands.push(Suggestion {
                command: format!("lang {}", lang.code()),
                description: lang.native_name().to_string(),
            });
        }
        commands.push(Suggestion {
            command: "import staff ".to_string(), // data: palette command
            description: tr!("palette.import_staff"),
        });
        for name in theme::available_themes(self.themes_dir.as_deref()) {
            commands.push(Suggestion {
                description: tr!("palette.theme", name = name),
                command: format!("theme {name}"),
            });
        }
        commands
    }

    fn handle_palette(&mut self, action: Action) {
        let Overlay::Palette(palette) = &mut self.overlay else {
            return;
        };
        match action {
            Action::Cancel => self.overlay = Overlay::None,
            Action::Up => palette.move_selection(false),
            Action::Down => palette.move_selection(true),
            Action::Complete => palette.complete(),
            Action::Submit => {
                let line = palette.line_to_run();
                self.overlay = Overlay::None;
                self.run_command(&line);
            }
            _ => {
                if palette.input.apply(action) {
                    palette.refilter();
                }
            }
        }
    }

    fn run_command(&mut self, line: &str) {
        match palette::parse_command(line) {
            Ok(Command::Run(action)) => {
                self.typed = action.name().to_string();
                self.handle(action)
            }
            Ok(Command::Theme(Some(name))) => self.set_theme(&name),
            Ok(Command::Lang(Some(code))) => match Lang::from_code(&code) {
                Some(lang) => {
                    self.lang = lang;
                    i18n::set_lang(lang);
                    self.info(tr!("status.lang", name = lang.native_name()));
                    self.keep_choice(|chosen| chosen.lang = Some(lang));
                }
                None => self.error(tr!("palette.unknown_lang", code = code)),
            },
            Ok(Command::Lang(None)) => self.error(tr!("palette.unknown_lang", code = "")),
            Ok(Command::Import(argument)) => {
                self.import_from_palette(argument.as_deref().unwrap_or_default())
            }
            Ok(Command::Theme(None)) => {
                let names = theme::available_themes(self.themes_dir.as_deref()).join(", ");
                self.error(tr!("palette.theme_needs_name", names = names));
            }
            Err(CommandError::Empty) => {}
            Err(CommandError::Unknown(name)) => self.error(tr!("palette.unknown", name = name)),
            Err(CommandError::UnexpectedArgument(name)) => {
                self.error(tr!("palette.no_argument", name = name))
            }
        }
    }

    fn set_theme(&mut self, name: &str) {
        match theme::load_theme(name, self.themes_dir.as_deref()) {
            Ok(theme) => {
                self.info(tr!("status.theme", name = theme.name()));
                let name = theme.name().to_string();
                self.theme = theme;
                self.keep_choice(|chosen| chosen.theme = Some(name));
            }
            Err(err) => self.error(err.to_string()),
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
                if let Some(confirm) = self.confirm.take() {
                    self.run_pending(confirm.on_yes);
                }
            }
            Action::Cancel => self.confirm = None,
            _ => {}
        }
    }

    fn run_pending(&mut self, pending: Pending) {
        match pending {
            Pending::DiscardForm => {
                self.form = None;
                self.info(tr!("status.form_discarded"));
            }
            Pending::RemoveDepartment(id) => self.remove_department(id),
            Pending::RemoveOperator(user) => self.remove_operator(&user),
            Pending::ImportStaff(request) => self.import_staff(request, true),
            Pending::ArchiveGoal(id) => self.archive_goal(id),
            Pending::AdvanceCycle(id, to) => self.advance_cycle(id, to),
            Pending::Normalise(id, on) => self.set_normalisation(id, on),
            Pending::CancelUnbind(_) | Pending::ExpireUnbind(_) | Pending::UnbindCritical(_) => {
                self.run_binding_pending(pending)
            }
            Pending::ChooseVendor(..) => self.choose_vendor(pending),
            Pending::RemoveVendor(vendor) => self.remove_vendor(vendor),
        }
    }

    fn handle_form(&mut self, action: Action) {
        match action {
            Action::Cancel => {
                if self.form.as_ref().is_some_and(Form::is_dirty) {
                    self.confirm = Some(Confirm {
                        title: tr!("confirm.discard_title"),
                        message: tr!("confirm.discard_message"),
                        on_yes: Pending::DiscardForm,
                    });
                } else {
                    self.form = None;
                }
            }
            Action::Submit => self.submit_form(),
            _ => {
                if let Some(form) = &mut self.form {
                    form.apply(action);
                }
                self.refresh_person_hints();
            }
        }
    }

    // ----- messages -----

    fn info(&mut self, text: String) {
        self.message = Some(Message {
            text,
            is_error: false,
        });
    }

    fn error(&mut self, text: String) {
        self.message = Some(Message {
            text,
            is_error: true,
        });
    }
}
