//! The operators view (`g o`, admins only): who may use this database and
//! in which role, with forms to add an operator, change a role and remove
//! one (`forms.rs`), drawn by `view.rs`.

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
use crate::domain::operator::Role;
use crate::search::Kind;
use crate::service::OpError;
use crate::service::access::{Permission, require};
use crate::tr;
use forms::{OperatorForm, Removal};
use std::borrow::Cow;

/// The pane's name.
pub const ID: PaneId = "operators";

/// One line of the operator list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorRow {
    pub user: String,
    pub role: Role,
    /// The manager's department path; empty for other roles.
    pub scope: String,
}

impl Searchable for OperatorRow {
    /// The login, the role as shown, the scope, the role's own name.
    const KINDS: &'static [Kind] = &[Kind::Code, Kind::Text, Kind::Text, Kind::Code];

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.user),
            Cow::Owned(self.role.label()),
            Cow::Borrowed(&self.scope),
            Cow::Owned(self.role.kind_name().to_string()),
        ]
    }
}

/// The operators view's state.
#[derive(Default)]
pub struct OperatorsView {
    pub list: FilteredList<OperatorRow>,
}

impl OperatorsView {
    /// Reads the rows again.
    fn read(&mut self, desk: &mut Desk) {
        match operator_rows(desk) {
            Ok(rows) => self.list.set_items(rows, desk.page()),
            Err(err) => desk.error(err.to_string()),
        }
    }
}

/// The operators, with their managers' department paths.
fn operator_rows(desk: &Desk) -> Result<Vec<OperatorRow>, OpError> {
    let tree = desk.session.department_tree()?;
    Ok(desk
        .session
        .operators()?
        .into_iter()
        .map(|op| OperatorRow {
            scope: match op.role {
                Role::Manager(id) => tree.path(id),
                _ => String::new(),
            },
            user: op.user,
            role: op.role,
        })
        .collect())
}

impl Pane for OperatorsView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("operators.title")
    }

    fn placement(&self) -> Placement {
        Placement::View {
            opened_by: Action::Operators,
            needs: Permission::ViewOperators,
        }
    }

    fn show(&mut self, desk: &mut Desk) {
        self.read(desk);
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        if self.list.navigate(action, desk.page()) {
            Handled::Done
        } else if !action.is_edit() {
            Handled::NotHere
        } else {
            match require(desk.session.operator(), Permission::EditOperators) {
                Ok(()) => self.operator_action(desk, action),
                Err(denied) => desk.error(denied.to_string()),
            }
            Handled::Done
        }
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
        match form.kind.what::<OperatorForm>() {
            Some(which) => Self::submit_operator(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(Removal(user)) = errand.what::<Removal>() {
            Self::remove_operator(desk, user);
        }
    }

    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.operators.add")).needs(Permission::EditOperators),
            Offer::new(Action::Edit, tr!("offer.operators.edit")).needs(Permission::EditOperators),
            Offer::new(Action::Remove, tr!("offer.operators.remove"))
                .needs(Permission::EditOperators),
            Offer::new(Action::Filter, tr!("offer.operators.filter")),
            Offer::new(Action::Copy, tr!("offer.operators.copy")),
        ]
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        if shown && changes.operators {
            self.read(desk);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(&self.list, app, frame, area);
    }

    /// The selected row's id.
    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.list.selected().map(|row| Copied::id(&row.user))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
