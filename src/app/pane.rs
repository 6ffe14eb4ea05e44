//! The shape every pane has. A pane owns its state, answers the actions of
//! its keymap section (and the shared [browse] ones) while it is on screen,
//! submits the forms and runs the confirmations it opened, draws itself and
//! says which store changes make it stale. [`App`](super::App) keeps only
//! the mode, the tab bar, the overlays and the dispatch; the panes are
//! registered in one list (`crate::panes::all`), so a new pane is one
//! folder plus one line there.

use std::any::Any;
use std::fmt;
use std::rc::Rc;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::App;
use super::changes::Changes;
use super::desk::Desk;
use super::form::{Form, Select, Submitted};
use super::palette::Suggestion;
use super::report::Report;
use crate::action::{Action, Section};
use crate::service::access::Permission;
use crate::tr;

/// A pane's name: its key in registrations, forms and confirmations.
pub type PaneId = &'static str;

/// Where a pane shows: as a tab of the tab bar, or as a view over the tabs
/// opened by an action (`g d`) and left with `back`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Tab,
    View {
        opened_by: Action,
        /// What the operator needs to open it.
        needs: Permission,
    },
}

/// What became of an action offered to a pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handled {
    Done,
    /// The action means nothing here (the console says so).
    NotHere,
    /// The action means nothing here, with where (or why) instead.
    NotHereBut(String),
}

/// A step of typing a pane's `/` query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryEdit {
    /// `/`: start typing (a pane without a list says it has nothing to filter).
    Start,
    Type(char),
    /// An editing action (delete, cursor, clear).
    Apply(Action),
    /// Moving the selection while typing.
    Move(Action),
    /// `enter`: keep the query and stop typing.
    Keep,
    /// `esc`: clear the query and stop typing.
    Clear,
}

/// What a pane puts on the clipboard for `copy`: the text, and what it
/// is, for the message line ("employee number E000010").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub text: String,
    pub what: String,
}

impl Copied {
    /// A record's id (or number), named as itself in the message.
    pub fn id(id: impl ToString) -> Copied {
        let text = id.to_string();
        Copied {
            what: tr!("copy.id", id = text),
            text,
        }
    }
}

/// An action a pane answers, as the palette lists it: what it does there,
/// in the pane's words, and what the operator must hold to take it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub action: Action,
    pub label: String,
    /// None: whoever may see the pane may take it.
    pub needs: Option<Permission>,
}

impl Offer {
    pub fn new(action: Action, label: String) -> Offer {
        Offer {
            action,
            label,
            needs: None,
        }
    }

    /// The same offer, for holders of `permission` only.
    pub fn needs(self, permission: Permission) -> Offer {
        Offer {
            needs: Some(permission),
            ..self
        }
    }
}

/// What a form or a confirmation is for, in the words of the pane that
/// opened it: the pane's name and its own note (its enum of forms), which
/// only that pane reads back.
#[derive(Clone)]
pub struct Errand {
    pane: PaneId,
    what: Rc<dyn Any>,
}

impl Errand {
    pub fn new<T: Any>(pane: PaneId, what: T) -> Errand {
        Errand {
            pane,
            what: Rc::new(what),
        }
    }

    /// The pane that opened the form or asked the question.
    pub fn pane(&self) -> PaneId {
        self.pane
    }

    /// The pane's own note, if it is of type `T`.
    pub fn what<T: Any>(&self) -> Option<&T> {
        self.what.downcast_ref()
    }
}

impl fmt::Debug for Errand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Errand({})", self.pane)
    }
}

impl PartialEq for Errand {
    fn eq(&self, other: &Errand) -> bool {
        self.pane == other.pane && Rc::ptr_eq(&self.what, &other.what)
    }
}

impl Eq for Errand {}

/// One pane of the console.
pub trait Pane: Any {
    /// Its name (also its keymap section's name when it has one).
    fn id(&self) -> PaneId;

    /// Its title in the tab bar or the view's border.
    fn title(&self) -> String;

    fn placement(&self) -> Placement {
        Placement::Tab
    }

    /// Its own keymap section, consulted before [browse] and [global]
    /// while it is on screen.
    fn section(&self) -> Option<Section> {
        None
    }

    /// It comes on screen: read what is stale.
    fn show(&mut self, desk: &mut Desk);

    /// An action of [browse] or of its own section, while it is on screen.
    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled;

    /// Its `/` query, as it is typed; `false` when it has none to type.
    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        let _ = (edit, desk);
        false
    }

    /// Whether its query is being typed (the console is in filter mode).
    fn querying(&self) -> bool {
        false
    }

    /// Submits a form it opened (`form.kind` is its errand).
    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        let _ = (form, desk);
        Err(Vec::new())
    }

    /// Runs what it asked to be confirmed, on yes.
    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        let _ = (errand, desk);
    }

    /// A job it started ([`Desk::run_job`]) ended with `outcome` (what
    /// its work returned): it shows it.
    fn job_done(&mut self, outcome: super::job::Outcome, desk: &mut Desk) {
        let _ = (outcome, desk);
    }
    /// Field `field` of a form it opened now holds another value (it held
    /// `was`): it may fill in other fields that follow from it (a
    /// transfer's manager from the new department's head).
    fn field_changed(&self, form: &mut Form<Errand>, field: &'static str, was: &str, desk: &Desk) {
        let _ = (form, field, was, desk);
    }

    /// A hint beside field `field` of a form it opened holding `text`.
    fn field_hint(&self, field: &'static str, text: &str, desk: &Desk) -> Option<String> {
        let _ = (field, text, desk);
        None
    }

    /// What `copy` (`y`) puts on the clipboard: the selected row's id, or
    /// what the operator unmasked on it, after the pane has written that
    /// to the audit log through the service. None when nothing is selected
    /// or the pane has nothing to copy; a pane that refuses says why on
    /// the message line.
    fn copy(&mut self, desk: &mut Desk) -> Option<Copied> {
        let _ = desk;
        None
    }

    /// Its detail panel (the selected record, its history, a breakdown)
    /// whole, as a report's title and lines, for `detail` (`enter`) to show
    /// in the scrolling report overlay, wrapped rather than cut. None when
    /// nothing is selected or it has no such panel; a pane that refuses
    /// says why on the message line.
    fn detail(&self, desk: &mut Desk) -> Option<Report> {
        let _ = desk;
        None
    }

    /// What the symbols it shows mean, one line each: the help overlay
    /// shows them under the keys while it is on screen.
    fn legend(&self) -> Vec<String> {
        Vec::new()
    }

    /// The key hints of the message line while it is browsed (none: the
    /// console's general ones).
    fn hints(&self) -> Vec<(Section, Action, String)> {
        Vec::new()
    }

    /// The actions it answers while on screen (besides moving), each with
    /// what it needs: the palette lists them with their keys, disabled
    /// with the reason for an operator without the permission, and the
    /// console refuses such an action before the pane is asked, so that no
    /// form opens only to be refused on save. The service checks again on
    /// every read and write: this is what the operator is told, not what
    /// guards the data.
    fn offers(&self) -> Vec<Offer> {
        Vec::new()
    }

    /// Palette commands with a word after them that it runs (`note TEXT`).
    fn commands(&self) -> Vec<Suggestion> {
        Vec::new()
    }

    /// Runs palette command `name` with `argument`; `false` when it is not one of its own.
    fn run_command(&mut self, name: &str, argument: &str, desk: &mut Desk) -> bool {
        let _ = (name, argument, desk);
        false
    }

    /// Store changes (its own console's or another's): reads again what
    /// they touched; `shown` says whether it is on screen.
    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk);

    /// A record to select after a form saved it, if it lists that kind.
    fn select(&mut self, what: &Select, desk: &mut Desk) {
        let _ = (what, desk);
    }

    /// The page size changed: keep the selection on screen.
    fn fit(&mut self, page: usize) {
        let _ = page;
    }

    /// How many rows it holds in memory: a tab left holding more than the
    /// console keeps hidden is asked to [let them go](Pane::let_go).
    fn held_rows(&self) -> usize {
        0
    }

    /// It is off screen holding too many rows: let them go (keeping its
    /// query, sort and selection by id) and read them again when shown.
    fn let_go(&mut self, desk: &mut Desk) {
        let _ = desk;
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect);

    fn as_any(&self) -> &dyn Any;
}
