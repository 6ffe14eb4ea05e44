//! The scheduled-changes view (`g s`): transfers, promotions, leaves,
//! departures and goal weights dated after today, oldest first, then the
//! blocked ones with their reasons; `m` moves one to another date, `d`
//! cancels one (asks first). Forms in `forms.rs`, drawing in `view.rs`.

mod forms;
mod view;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::Action;
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Submitted};
use crate::app::list::{FilteredList, Searchable};
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, Placement, QueryEdit};
use crate::search::Kind;
use crate::service::ScheduledRow;
use crate::service::access::Permission;
use crate::tr;
use forms::{Cancel, MoveForm};
use std::borrow::Cow;

/// The pane's name.
pub const ID: PaneId = "scheduled";

impl Searchable for ScheduledRow {
    /// The columns as shown: number, date, subject, what, the changes, by whom.
    const KINDS: &'static [Kind] = &[
        Kind::Code,
        Kind::Code,
        Kind::Name,
        Kind::Text,
        Kind::Words,
        Kind::Code,
    ];

    fn fields(&self) -> Vec<Cow<'_, str>> {
        self.cells().into_iter().map(Cow::Owned).collect()
    }
}

/// The scheduled-changes view's state.
#[derive(Default)]
pub struct ScheduledView {
    pub list: FilteredList<ScheduledRow>,
}

impl ScheduledView {
    /// Reads the list again.
    fn read(&mut self, desk: &mut Desk) {
        match desk.session.scheduled_changes() {
            Ok(rows) => self.list.set_items(rows, desk.page()),
            Err(err) => desk.error(err.to_string()),
        }
    }
}

impl Pane for ScheduledView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("schedule.title")
    }

    fn placement(&self) -> Placement {
        Placement::View {
            opened_by: Action::Scheduled,
            needs: Permission::ViewStaff,
        }
    }

    fn show(&mut self, desk: &mut Desk) {
        self.read(desk);
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        if self.list.navigate(action, desk.page()) {
            return Handled::Done;
        }
        let selected = self.list.selected().cloned();
        match (action, selected) {
            (Action::Move | Action::Edit, Some(row)) => forms::open_move(desk, &row),
            (Action::Remove, Some(row)) => forms::ask_cancel(desk, &row),
            (Action::Move | Action::Edit | Action::Remove, None) => {
                desk.info(tr!("status.nothing_selected"))
            }
            (Action::Add, _) => return Handled::NotHereBut(tr!("schedule.how_to_add")),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        self.list.query_step(edit, desk.page());
        true
    }

    fn querying(&self) -> bool {
        self.list.editing
    }

    fn fit(&mut self, page: usize) {
        self.list.fit(page);
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        match form.kind.what::<MoveForm>() {
            Some(which) => forms::submit_move(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(cancel) = errand.what::<Cancel>() {
            forms::cancel(desk, cancel);
        }
    }

    /// People and goals are what scheduled changes change.
    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Move, tr!("offer.scheduled.move")).needs(Permission::EditGoals),
            Offer::new(Action::Remove, tr!("offer.scheduled.remove")).needs(Permission::EditGoals),
            Offer::new(Action::Filter, tr!("offer.scheduled.filter")),
        ]
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        let touched = changes.staff
            || changes.goals
            || !changes.people.is_empty()
            || !changes.goal_ids.is_empty();
        if shown && touched {
            self.read(desk);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(&self.list, app, frame, area);
    }

    /// The selected row's id.
    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.list.selected().map(|row| Copied::id(row.item.id))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
