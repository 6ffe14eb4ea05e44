//! The departments view (`g d`): the department tree, and forms to add,
//! edit, move and remove a department (`forms.rs`), drawn by `view.rs`.

mod forms;
mod view;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::Action;
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Select, Submitted};
use crate::app::list::{FilteredList, Searchable};
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, Placement, QueryEdit};
use crate::domain::department::{DepartmentId, Head};
use crate::search::Kind;
use crate::service::OpError;
use crate::service::access::{Permission, require};
use crate::tr;
use forms::{DepartmentForm, Removal};
use std::borrow::Cow;

/// The pane's name.
pub const ID: PaneId = "departments";

/// One line of the department tree view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentRow {
    pub id: DepartmentId,
    pub name: String,
    pub parent: Option<DepartmentId>,
    pub depth: usize,
    pub path: String,
    /// The head as people read it.
    pub head: String,
    /// The head as the form takes it: an employee number, or a note's name.
    pub head_ref: String,
    pub children: usize,
}

impl Searchable for DepartmentRow {
    /// Its own name, its head, its number and its whole path.
    const KINDS: &'static [Kind] = &[Kind::Text, Kind::Name, Kind::Code, Kind::Text];

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.name),
            Cow::Borrowed(&self.head),
            Cow::Owned(self.id.to_string()),
            Cow::Borrowed(&self.path),
        ]
    }
}

/// The departments view's state.
#[derive(Default)]
pub struct DepartmentsView {
    pub list: FilteredList<DepartmentRow>,
}

impl DepartmentsView {
    /// Reads the rows again.
    fn read(&mut self, desk: &mut Desk) {
        match department_rows(desk) {
            Ok(rows) => self.list.set_items(rows, desk.page()),
            Err(err) => desk.error(err.to_string()),
        }
    }
}

/// The departments in tree order, with their paths and heads.
fn department_rows(desk: &Desk) -> Result<Vec<DepartmentRow>, OpError> {
    let tree = desk.session.department_tree()?;
    tree.rows()
        .into_iter()
        .map(|row| {
            let d = row.department;
            let head_ref = match &d.head {
                Some(Head::Employee(id)) => desk
                    .session
                    .employee(*id)?
                    .map(|person| person.emp_no)
                    .unwrap_or_default(),
                Some(Head::Note(name)) => name.clone(),
                None => String::new(),
            };
            Ok(DepartmentRow {
                id: d.id,
                name: d.name.clone(),
                parent: d.parent,
                depth: row.depth,
                path: tree.path(d.id),
                head: desk.session.head_text(&d.head)?,
                head_ref,
                children: tree.children(Some(d.id)).len(),
            })
        })
        .collect()
}

impl Pane for DepartmentsView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("departments.title")
    }

    fn placement(&self) -> Placement {
        Placement::View {
            opened_by: Action::Departments,
            needs: Permission::ViewDepartments,
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
            match require(desk.session.operator(), Permission::EditDepartments) {
                Ok(()) => self.department_action(desk, action),
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
        match form.kind.what::<DepartmentForm>() {
            Some(&which) => Self::submit_department(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(&Removal(id)) = errand.what::<Removal>() {
            Self::remove_department(desk, id);
        }
    }

    /// People's departments and heads show here.
    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.departments.add"))
                .needs(Permission::EditDepartments),
            Offer::new(Action::Edit, tr!("offer.departments.edit"))
                .needs(Permission::EditDepartments),
            Offer::new(Action::Move, tr!("offer.departments.move"))
                .needs(Permission::EditDepartments),
            Offer::new(Action::Remove, tr!("offer.departments.remove"))
                .needs(Permission::EditDepartments),
            Offer::new(Action::Filter, tr!("offer.departments.filter")),
            Offer::new(Action::Copy, tr!("offer.departments.copy")),
        ]
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        if shown && (changes.staff || !changes.people.is_empty()) {
            self.read(desk);
        }
    }

    fn select(&mut self, what: &Select, desk: &mut Desk) {
        if let Select::Department(id) = *what {
            self.list.select_where(desk.page(), |row| row.id == id);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(&self.list, app, frame, area);
    }

    /// The selected row's id.
    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.list.selected().map(|row| Copied::id(row.id))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
