//! The Staff pane's state: one row per employee the operator may see, with
//! its fields indexed for search (number, name, department, title, phone,
//! e-mail) once when the records load, not per keystroke; the
//! sort order; the department filter; and the selected employee's record and
//! history. Keys are in `keys.rs`; the forms that record lifecycle events
//! in `forms.rs` and `submit.rs`; reading, filtering and revealing in
//! `ops.rs`; the palette's import in `import.rs`; drawing in `view.rs`.

pub mod forms;
pub mod import;
mod keys;
pub mod labels;
mod load;
mod ops;
mod submit;
mod view;

use crate::app::report::Report;
use chrono::{Datelike, NaiveDate};
use std::cmp::Ordering;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Select, Submitted};
use crate::app::job::Outcome;
use crate::app::list::FilteredList;
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, QueryEdit};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::{Employee, EmployeeId, EmployeeView, LifecycleEvent, Status};
use crate::search::{Index, Kind};
use crate::service::access::Permission;
use crate::service::{OpError, ScheduledRow, Session};
use crate::text::{Code, ShortText};
use crate::tr;
use forms::{DEPARTMENT, StaffForm};
use import::{ImportRequest, Imported};
use labels::{Label, Labels, NO_MANAGER};
use load::Reading;

/// A person as the table shows them: the name with the key it sorts by,
/// shared by their own row and the rows of the people they manage.
#[derive(Debug, PartialEq, Eq)]
pub struct Person {
    pub name: ShortText,
    /// The name's pinyin syllable by syllable, for sorting (see `sounds::sort_key`).
    pub sort_key: ShortText,
}

/// The fields a row is found by, in the order [`RowBuilder::add`] gives
/// them: the table shows the first four.
pub const FIELDS: &[Kind] = &[
    Kind::Code,
    Kind::Name,
    Kind::Text,
    Kind::Text,
    Kind::Phone,
    Kind::Email,
];

/// A department as the table shows it, shared by the rows of its members.
#[derive(Debug, PartialEq, Eq)]
pub struct DepartmentLabel {
    pub id: DepartmentId,
    /// The department's own name.
    pub name: String,
    /// Its full path from the top of the tree.
    pub path: String,
}

/// One line of the staff table: what is the row's own, and the labels
/// (see [`Labels`]) of what it has in common with others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRow {
    pub id: EmployeeId,
    pub emp_no: Code,
    /// Their name.
    pub person: Label,
    pub department: Label,
    pub title: Label,
    /// Their manager ([`NO_MANAGER`]: none).
    manager: Label,
    pub status: Status,
    pub hire_date: NaiveDate,
}

impl StaffRow {
    /// Their manager's label, if they have one.
    pub fn manager(&self) -> Option<Label> {
        (self.manager != NO_MANAGER).then_some(self.manager)
    }
}

/// The columns the table can be sorted by, in the order `sort` cycles them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    EmpNo,
    Name,
    Department,
    HireDate,
    Status,
}

/// The ranks of the distinct names or departments a sort compares, by label.
#[derive(Default)]
struct Ranks {
    names: Vec<u32>,
    departments: Vec<u32>,
}

impl SortKey {
    fn next(self) -> SortKey {
        match self {
            SortKey::EmpNo => SortKey::Name,
            SortKey::Name => SortKey::Department,
            SortKey::Department => SortKey::HireDate,
            SortKey::HireDate => SortKey::Status,
            SortKey::Status => SortKey::EmpNo,
        }
    }

    /// The table's order: by this column, `descending` or not.
    fn ordered(self, descending: bool, labels: &Labels, a: &StaffRow, b: &StaffRow) -> Ordering {
        let order = self.compare(labels, a, b);
        if descending { order.reverse() } else { order }
    }

    /// The ranks of the names or departments, when this column sorts by
    /// them (see [`key`](Self::key)).
    fn ranks(self, labels: &Labels) -> Ranks {
        match self {
            SortKey::Name => Ranks {
                names: labels.name_ranks(),
                ..Ranks::default()
            },
            SortKey::Department => Ranks {
                departments: labels.department_ranks(),
                ..Ranks::default()
            },
            _ => Ranks::default(),
        }
    }

    /// A row's place by this column as numbers, in the order of
    /// [`compare`](Self::compare) (equal keys: compare to decide): the
    /// column's rank, then the first eight bytes of the number. Made once
    /// per row and sort, not per comparison.
    fn key(self, row: &StaffRow, ranks: &Ranks) -> (u32, u64) {
        let number = prefix(&row.emp_no);
        let first = match self {
            SortKey::EmpNo => 0,
            SortKey::Name => ranks.names[row.person as usize],
            SortKey::Department => ranks.departments[row.department as usize],
            SortKey::HireDate => {
                let days = i64::from(row.hire_date.num_days_from_ce());
                (days - i64::from(i32::MIN)) as u32
            }
            SortKey::Status => row.status as u32,
        };
        (first, number)
    }

    fn compare(self, labels: &Labels, a: &StaffRow, b: &StaffRow) -> Ordering {
        match self {
            SortKey::EmpNo => a.emp_no.cmp(&b.emp_no),
            SortKey::Name => labels
                .person(a.person)
                .sort_key
                .cmp(&labels.person(b.person).sort_key),
            SortKey::Department => labels
                .department(a.department)
                .path
                .cmp(&labels.department(b.department).path),
            SortKey::HireDate => a.hire_date.cmp(&b.hire_date),
            SortKey::Status => (a.status as u8).cmp(&(b.status as u8)),
        }
        .then(a.emp_no.cmp(&b.emp_no))
    }
}

/// The first eight bytes of `text` as a number that sorts as the text does.
fn prefix(text: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let length = text.len().min(8);
    bytes[..length].copy_from_slice(&text.as_bytes()[..length]);
    u64::from_be_bytes(bytes)
}

/// The Staff pane's state.
pub struct StaffView {
    pub list: FilteredList<StaffRow>,
    /// What the rows have in common, which they name by label.
    pub labels: Labels,
    pub sort: SortKey,
    pub descending: bool,
    /// The selected employee's record and history, oldest event first.
    pub selected: Option<(Employee, Vec<LifecycleEvent>)>,
    /// The selected employee's events dated after today, soonest first.
    pub upcoming: Vec<ScheduledRow>,
    /// The department whose subtree the table shows, with its path.
    pub department_filter: Option<(DepartmentId, String)>,
    /// The employee whose national ID and salary are shown unmasked (a
    /// logged reveal); forgotten when the selection moves.
    pub revealed: Option<EmployeeId>,
    /// Whether there is any department to hire into (none: the empty
    /// table says to create them first).
    pub has_departments: bool,
    /// Whether the rows were read (when the pane was first shown).
    loaded: bool,
    /// While a job reads the rows: what is shown meanwhile is a screenful.
    reading: Option<Reading>,
    /// Who was selected when the rows were let go (the tab hidden), to
    /// select again once they are read.
    kept: Option<EmployeeId>,
}

impl Default for StaffView {
    fn default() -> Self {
        StaffView {
            list: FilteredList::of_kinds(FIELDS),
            labels: Labels::default(),
            sort: SortKey::EmpNo,
            descending: false,
            selected: None,
            upcoming: Vec::new(),
            department_filter: None,
            revealed: None,
            has_departments: false,
            loaded: false,
            reading: None,
            kept: None,
        }
    }
}

/// Builds the staff rows and their search index from the records as they
/// are read, sharing what rows have in common.
struct RowBuilder {
    rows: Vec<StaffRow>,
    /// Whether the rows came in id order (as a full read hands them
    /// over), so that a person among them is found by halving.
    in_id_order: bool,
    index: Index,
    labels: Labels,
}

impl RowBuilder {
    /// A builder for about `count` rows (space reserved once, not doubled
    /// as it fills), adding to `labels`.
    fn new(count: u64, labels: Labels) -> Self {
        let count = usize::try_from(count).unwrap_or(0);
        RowBuilder {
            rows: Vec::with_capacity(count),
            in_id_order: true,
            index: Index::new(FIELDS),
            labels,
        }
    }

    fn add(&mut self, tree: &DepartmentTree, e: EmployeeView<'_>) {
        let labels = &mut self.labels;
        let department = labels.department_in(tree, e.department);
        self.index.push([
            e.emp_no,
            e.name,
            &labels.department(department).name,
            e.title,
            e.phone,
            e.email,
        ]);
        self.in_id_order &= self.rows.last().is_none_or(|last| last.id < e.id);
        self.rows.push(StaffRow {
            id: e.id,
            emp_no: e.emp_no.into(),
            person: labels.person_named(e.name),
            department,
            title: labels.title_of(e.title),
            manager: e.manager.map_or(NO_MANAGER, |m| labels.manager(m)),
            status: e.status,
            hire_date: e.hire_date,
        });
    }

    /// The name of the person with `id` among the rows read (halving
    /// while they are in id order, as a full read hands them over), else
    /// among `others` (in id order).
    fn name_of(
        rows: &[StaffRow],
        in_id_order: bool,
        others: &[StaffRow],
        id: EmployeeId,
    ) -> Option<Label> {
        let found = match rows.binary_search_by_key(&id, |row| row.id) {
            Ok(at) => Some(at),
            Err(_) if in_id_order => None,
            Err(_) => rows.iter().position(|row| row.id == id),
        };
        let row = match found {
            Some(at) => &rows[at],
            None => &others[others.binary_search_by_key(&id, |row| row.id).ok()?],
        };
        Some(row.person)
    }

    /// Names the managers not named yet, from among the rows and `others`.
    fn name_managers(&mut self, others: &[StaffRow]) {
        let (rows, in_id_order) = (&self.rows, self.in_id_order);
        self.labels
            .name_managers(|id| Self::name_of(rows, in_id_order, others, id));
    }

    /// The rows with their managers named, their search index, and the
    /// labels they name.
    fn finish(mut self) -> (Vec<StaffRow>, Index, Labels) {
        self.name_managers(&[]);
        self.index.shrink_to_fit();
        (self.rows, self.index, self.labels)
    }

    /// The rows with their managers named from among themselves and
    /// `others` (the table they join, in id order), each with its fields;
    /// and the labels.
    fn finish_among(mut self, others: &[StaffRow]) -> (Vec<(StaffRow, Vec<String>)>, Labels) {
        self.name_managers(others);
        let index = self.index;
        let rows = self
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| (row, index.fields(i)))
            .collect();
        (rows, self.labels)
    }
}

impl StaffView {
    /// Brings the rows of the people `ids` up to date (another session
    /// hired, changed, moved or let them go) without reading anyone else:
    /// each is read again and replaces its row, joins the table where the
    /// sort puts it, or leaves it when the operator may no longer see them.
    /// Query, sort, department filter and selection stay as they were.
    pub fn patch(
        &mut self,
        session: &Session,
        ids: &[EmployeeId],
        page: usize,
    ) -> Result<(), OpError> {
        let keep = self.list.selected().map(|r| r.id);
        let tree = session.department_tree()?;
        // Everything is read before the table changes: a failed read leaves it whole.
        let mut records = Vec::with_capacity(ids.len());
        for &id in ids {
            records.extend(session.employee(id)?);
        }
        let mut builder = RowBuilder::new(0, std::mem::take(&mut self.labels));
        for record in &records {
            builder.add(&tree, record.view());
        }
        let (fresh, labels) = builder.finish_among(self.list.items());
        self.labels = labels;
        let (sort, descending) = (self.sort, self.descending);
        // The rows are kept in id order (the store's), whatever the sort.
        let place = |rows: &[StaffRow], id: EmployeeId| rows.binary_search_by_key(&id, |r| r.id);
        for &id in ids {
            let Ok(at) = place(self.list.items(), id) else {
                continue;
            };
            if !fresh.iter().any(|(row, _)| row.id == id) {
                // No longer theirs to see: their reports no longer name them.
                self.list.remove(at);
                self.labels.renamed(id, None);
            }
        }
        for (row, fields) in fresh {
            // Their reports show them as manager, under the name they have now.
            self.labels.renamed(row.id, Some(row.person));
            let fields = fields.iter().map(String::as_str);
            let at = match place(self.list.items(), row.id) {
                Ok(at) => {
                    self.list.replace(at, row, fields);
                    at
                }
                Err(at) => {
                    self.list.insert(at, row, fields);
                    at
                }
            };
            let labels = &self.labels;
            self.list
                .reposition(at, |a, b| sort.ordered(descending, labels, a, b).is_lt());
        }
        let filter = self.department_filter.as_ref().map(|(id, _)| *id);
        self.restrict(&tree, filter, page);
        if let Some(id) = keep {
            self.list.select_where(page, |r| r.id == id);
        }
        self.refresh_selected(session)
    }

    /// [`patch`](Self::patch)es the rows of `ids`, an error shown.
    fn patch_shown(&mut self, ids: &[EmployeeId], desk: &mut Desk) {
        let page = desk.page();
        if let Err(err) = self.patch(&desk.session, ids, page) {
            desk.error(err.to_string());
        }
    }

    /// Shows only the subtree of `department` (all departments for `None`).
    pub fn restrict(
        &mut self,
        tree: &DepartmentTree,
        department: Option<DepartmentId>,
        page: usize,
    ) {
        self.department_filter = department
            .filter(|&id| tree.get(id).is_some())
            .map(|id| (id, tree.path(id)));
        let labels = &self.labels;
        let keep = department.map(|scope| {
            move |row: &StaffRow| tree.is_within(labels.department(row.department).id, scope)
        });
        self.list.restrict(keep, page);
    }

    fn apply_sort(&mut self, page: usize) {
        let sort = (self.sort, self.descending);
        Self::sort_list(&mut self.list, &self.labels, sort, page);
    }

    /// Sorts `list` (whose rows name `labels`) by `sort` (the column,
    /// descending or not).
    fn sort_list(
        list: &mut FilteredList<StaffRow>,
        labels: &Labels,
        sort: (SortKey, bool),
        page: usize,
    ) {
        let (column, descending) = sort;
        let ranks = column.ranks(labels);
        list.sort_by_keys(
            |row| column.key(row, &ranks),
            |a, b| column.compare(labels, a, b),
            descending,
            page,
        );
    }

    /// Sorts by the next column (or, with `reverse`, flips the direction).
    pub fn cycle_sort(&mut self, reverse: bool, page: usize) {
        if reverse {
            self.descending = !self.descending;
        } else {
            self.sort = self.sort.next();
            self.descending = false;
        }
        let keep = self.list.selected().map(|r| r.id);
        self.apply_sort(page);
        if let Some(id) = keep {
            self.list.select_where(page, |r| r.id == id);
        }
    }

    /// Reads the selected employee's record, history and scheduled events.
    pub fn refresh_selected(&mut self, session: &Session) -> Result<(), OpError> {
        let id = self.list.selected().map(|r| r.id);
        if self.revealed != id {
            self.revealed = None;
        }
        self.selected = match id {
            Some(id) => session
                .employee(id)?
                .map(|record| Ok::<_, OpError>((record, session.history(id)?)))
                .transpose()?,
            None => None,
        };
        self.upcoming = match id {
            Some(id) => session.scheduled_for(id)?,
            None => Vec::new(),
        };
        Ok(())
    }
}

/// The pane's name.
pub const ID: PaneId = "staff";

impl Pane for StaffView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("tab.staff")
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Staff)
    }

    /// Read once, when first shown; kept up to date by changes after that.
    fn show(&mut self, desk: &mut Desk) {
        if !self.loaded {
            self.loaded = true;
            self.read_all(desk);
        }
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        self.act(action, desk)
    }

    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        self.list.query_step(edit, desk.page());
        self.read_selected(desk);
        true
    }

    fn querying(&self) -> bool {
        self.list.editing
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        match form.kind.what::<StaffForm>() {
            Some(StaffForm::DepartmentFilter) => {
                let department = form.value(DEPARTMENT).parse().ok().map(DepartmentId);
                self.set_department_filter(desk, department)
            }
            Some(&which) => self.submit_staff(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(request) = errand.what::<ImportRequest>() {
            self.import_staff(desk, request.clone(), true);
        }
    }

    fn job_done(&mut self, outcome: Outcome, desk: &mut Desk) {
        let mut outcome = Some(outcome);
        if self.table_read(&mut outcome, desk) {
            return;
        }
        if let Some(Ok(imported)) = outcome.map(|o| o.downcast::<Imported>()) {
            self.imported(desk, *imported);
        }
    }

    /// A hire's or a transfer's new department suggests its head as manager.
    fn field_changed(&self, form: &mut Form<Errand>, field: &'static str, was: &str, desk: &Desk) {
        forms::suggest_manager(form, field, was, desk);
    }

    fn hints(&self) -> Vec<(Section, Action, String)> {
        vec![
            (Section::Browse, Action::Filter, tr!("hint.filter")),
            (
                Section::Browse,
                Action::DepartmentFilter,
                tr!("hint.department"),
            ),
            (Section::Browse, Action::Add, tr!("hint.hire")),
            (Section::Browse, Action::Transfer, tr!("hint.transfer")),
            (Section::Browse, Action::Depart, tr!("hint.depart")),
            (Section::Browse, Action::Reveal, tr!("hint.reveal")),
            (Section::Global, Action::Help, tr!("hint.help")),
        ]
    }

    /// `import staff …` (the palette lists it with the other imports).
    fn run_command(&mut self, name: &str, argument: &str, desk: &mut Desk) -> bool {
        if name != "import" || argument.split_whitespace().next() != Some("staff") {
            return false;
        }
        self.import_from_palette(desk, argument);
        true
    }

    /// People or departments changed: the rows of the people named, or
    /// the whole table after a department change or a batch.
    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.staff.add")).needs(Permission::EditStaff),
            Offer::new(Action::Edit, tr!("offer.staff.edit")).needs(Permission::EditStaff),
            Offer::new(Action::Transfer, tr!("offer.staff.transfer")).needs(Permission::EditStaff),
            Offer::new(Action::Promote, tr!("offer.staff.promote")).needs(Permission::EditStaff),
            Offer::new(Action::Leave, tr!("offer.staff.leave")).needs(Permission::EditStaff),
            Offer::new(
                Action::ReturnFromLeave,
                tr!("offer.staff.return_from_leave"),
            )
            .needs(Permission::EditStaff),
            Offer::new(Action::Depart, tr!("offer.staff.depart")).needs(Permission::EditStaff),
            Offer::new(Action::Rehire, tr!("offer.staff.rehire")).needs(Permission::EditStaff),
            Offer::new(Action::Reveal, tr!("offer.staff.reveal")).needs(Permission::ViewSensitive),
            Offer::new(
                Action::DepartmentFilter,
                tr!("offer.staff.department_filter"),
            ),
            Offer::new(Action::Filter, tr!("offer.staff.filter")),
            Offer::new(Action::Sort, tr!("offer.staff.sort")),
            Offer::new(Action::SortReverse, tr!("offer.staff.sort_reverse")),
            Offer::new(Action::Copy, tr!("offer.staff.copy")),
            Offer::new(Action::Detail, tr!("offer.staff.detail")),
        ]
    }

    fn changed(&mut self, changes: &Changes, _shown: bool, desk: &mut Desk) {
        if !self.loaded || self.changed_while_reading(changes.staff, &changes.people) {
            return;
        }
        if changes.staff {
            self.read_all(desk);
        } else if !changes.people.is_empty() {
            self.patch_shown(&changes.people, desk);
        }
    }

    fn select(&mut self, what: &Select, desk: &mut Desk) {
        if let Select::Employee(id) = *what {
            self.list.select_where(desk.page(), |row| row.id == id);
            self.read_selected(desk);
        }
    }

    fn fit(&mut self, page: usize) {
        self.list.fit(page);
    }

    fn held_rows(&self) -> usize {
        self.list.items().len()
    }

    fn let_go(&mut self, desk: &mut Desk) {
        self.let_go_until_shown(desk.page());
    }

    /// The selected person's employee number.
    fn detail(&self, _desk: &mut Desk) -> Option<Report> {
        view::detail(self)
    }

    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.list.selected().map(|row| Copied::id(&row.emp_no))
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(self, app, frame, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{dept, person};

    /// The manager each row names, by employee number.
    fn managers<'a>(rows: &'a [StaffRow], labels: &'a Labels) -> Vec<(&'a str, Option<&'a str>)> {
        rows.iter()
            .map(|row| (row.emp_no.as_str(), labels.of(row).manager))
            .collect()
    }

    #[test]
    fn managers_are_named_whether_read_before_or_after_their_reports() {
        let tree = DepartmentTree::new(vec![dept(1, "总部", None)]);
        let records = [
            person(1, "E1", 1, None),
            person(2, "E2", 1, Some(1)),
            person(3, "E3", 1, Some(4)),
            person(4, "E4", 1, Some(9)),
        ];
        let mut builder = RowBuilder::new(0, Labels::default());
        for record in &records {
            builder.add(&tree, record.view());
        }
        assert!(builder.in_id_order, "halving finds who was read");
        let (rows, _, labels) = builder.finish();
        assert_eq!(
            managers(&rows, &labels),
            [
                ("E1", None),
                ("E2", Some("员工1")),
                ("E3", Some("员工4")),
                ("E4", None),
            ]
        );
        // Out of id order (a screenful by number), and joining a table
        // (adding to its labels).
        let mut builder = RowBuilder::new(0, labels);
        for record in [&records[2], &records[1]] {
            builder.add(&tree, record.view());
        }
        assert!(!builder.in_id_order, "read out of order: looked through");
        let (joined, labels) = builder.finish_among(&rows);
        let rows: Vec<StaffRow> = joined.into_iter().map(|(row, _)| row).collect();
        assert_eq!(
            managers(&rows, &labels),
            [("E3", Some("员工4")), ("E2", Some("员工1"))]
        );
    }

    #[test]
    fn a_row_is_small() {
        // A million rows: 48 MB.
        assert!(std::mem::size_of::<StaffRow>() <= 48);
    }
}
