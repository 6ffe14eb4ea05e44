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
mod load;
mod ops;
mod submit;
mod view;

use crate::app::report::Report;
use std::cmp::Ordering;
use std::sync::Arc;

use foldhash::HashMap;

use chrono::{Datelike, NaiveDate};

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
use crate::domain::sounds::sort_key;
use crate::search::{Index, Kind};
use crate::service::access::Permission;
use crate::service::{OpError, ScheduledRow, Session};
use crate::text::ShortText;
use crate::tr;
use forms::{DEPARTMENT, StaffForm};
use import::{ImportRequest, Imported};
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

/// One line of the staff table. What many rows have in common (a person
/// who manages others, a department, a title) is stored once and shared:
/// the table of a 100,000-employee company stays small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRow {
    pub id: EmployeeId,
    pub emp_no: ShortText,
    pub person: Arc<Person>,
    pub department: Arc<DepartmentLabel>,
    pub title: Arc<str>,
    pub manager: Option<Arc<Person>>,
    pub status: Status,
    pub hire_date: NaiveDate,
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
    fn ordered(self, descending: bool, a: &StaffRow, b: &StaffRow) -> Ordering {
        let order = self.compare(a, b);
        if descending { order.reverse() } else { order }
    }

    /// The ranks of the distinct names or departments of `rows`, when
    /// this column sorts by them (see [`key`](Self::key)).
    fn ranks(self, rows: &[StaffRow]) -> Ranks {
        let mut ranks = Ranks::default();
        match self {
            SortKey::Name => {
                ranks.names = rank_shared(rows, |row| &row.person, |p| p.sort_key.as_str())
            }
            SortKey::Department => {
                ranks.departments = rank_shared(rows, |row| &row.department, |d| d.path.as_str())
            }
            _ => {}
        }
        ranks
    }

    /// A row's place by this column as numbers, in the order of
    /// [`compare`](Self::compare) (equal keys: compare to decide): the
    /// first eight bytes of the number, the `ranks` of names and
    /// departments. Made once per row and sort, not per comparison.
    fn key(self, row: &StaffRow, ranks: &Ranks) -> (u64, u64) {
        let number = prefix(&row.emp_no);
        match self {
            SortKey::EmpNo => (number, 0),
            SortKey::Name => (ranks.names[&Arc::as_ptr(&row.person)], number),
            SortKey::Department => (ranks.departments[&Arc::as_ptr(&row.department)], number),
            SortKey::HireDate => {
                let days = i64::from(row.hire_date.num_days_from_ce());
                ((days - i64::from(i32::MIN)) as u64, number)
            }
            SortKey::Status => (row.status as u64, number),
        }
    }

    fn compare(self, a: &StaffRow, b: &StaffRow) -> Ordering {
        match self {
            SortKey::EmpNo => a.emp_no.cmp(&b.emp_no),
            SortKey::Name => a.person.sort_key.cmp(&b.person.sort_key),
            SortKey::Department => a.department.path.cmp(&b.department.path),
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

/// The ranks of the shared values a sort compares, by address.
#[derive(Default)]
struct Ranks {
    names: HashMap<*const Person, u64>,
    departments: HashMap<*const DepartmentLabel, u64>,
}

/// The rank of each distinct value `of` gives the rows (the rows share
/// them, so they are told apart by address), in the order of `text`.
fn rank_shared<T>(
    rows: &[StaffRow],
    of: impl Fn(&StaffRow) -> &Arc<T>,
    text: impl Fn(&T) -> &str,
) -> HashMap<*const T, u64> {
    let mut distinct: Vec<&Arc<T>> = Vec::new();
    let mut seen: foldhash::HashSet<*const T> = foldhash::HashSet::default();
    for row in rows {
        let value = of(row);
        if seen.insert(Arc::as_ptr(value)) {
            distinct.push(value);
        }
    }
    distinct.sort_unstable_by(|a, b| text(a).cmp(text(b)));
    let mut ranks = HashMap::default();
    let mut rank = 0;
    for (at, value) in distinct.iter().enumerate() {
        // Equal texts in different values share a rank.
        if at > 0 && text(distinct[at - 1]) != text(value) {
            rank += 1;
        }
        ranks.insert(Arc::as_ptr(value), rank);
    }
    ranks
}

/// The Staff pane's state.
pub struct StaffView {
    pub list: FilteredList<StaffRow>,
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
}

impl Default for StaffView {
    fn default() -> Self {
        StaffView {
            list: FilteredList::of_kinds(FIELDS),
            sort: SortKey::EmpNo,
            descending: false,
            selected: None,
            upcoming: Vec::new(),
            department_filter: None,
            revealed: None,
            has_departments: false,
            loaded: false,
            reading: None,
        }
    }
}

/// Builds the staff rows and their search index from the records as they
/// are read, sharing what rows have in common.
struct RowBuilder {
    rows: Vec<StaffRow>,
    /// The rows whose managers were not read before them, with the
    /// managers' ids: named once every row is read.
    later: Vec<(usize, EmployeeId)>,
    /// Whether the rows came in id order (as a full read hands them
    /// over), so that a person among them is found by halving.
    in_id_order: bool,
    index: Index,
    /// People by name: the same name's sort key is made once.
    names: HashMap<ShortText, Arc<Person>>,
    departments: HashMap<DepartmentId, Arc<DepartmentLabel>>,
    titles: HashMap<String, Arc<str>>,
}

impl Default for RowBuilder {
    fn default() -> Self {
        RowBuilder {
            rows: Vec::new(),
            later: Vec::new(),
            in_id_order: true,
            index: Index::new(FIELDS),
            names: HashMap::default(),
            departments: HashMap::default(),
            titles: HashMap::default(),
        }
    }
}

impl RowBuilder {
    /// A builder for about `count` rows (space reserved once, not doubled
    /// as it fills).
    fn with_capacity(count: u64) -> Self {
        let count = usize::try_from(count).unwrap_or(0);
        RowBuilder {
            rows: Vec::with_capacity(count),
            ..RowBuilder::default()
        }
    }

    fn add(&mut self, tree: &DepartmentTree, e: EmployeeView<'_>) {
        let person = match self.names.get(e.name) {
            Some(person) => Arc::clone(person),
            None => {
                let person = Arc::new(Person {
                    name: e.name.into(),
                    sort_key: sort_key(e.name).into(),
                });
                self.names.insert(e.name.into(), Arc::clone(&person));
                person
            }
        };
        let department = Arc::clone(self.departments.entry(e.department).or_insert_with(|| {
            let path = tree.path(e.department);
            let name = tree
                .get(e.department)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            Arc::new(DepartmentLabel {
                id: e.department,
                name,
                path,
            })
        }));
        let title = match self.titles.get(e.title) {
            Some(title) => Arc::clone(title),
            None => {
                let title: Arc<str> = Arc::from(e.title);
                self.titles.insert(e.title.to_string(), Arc::clone(&title));
                title
            }
        };
        self.index.push([
            e.emp_no,
            e.name,
            &department.name,
            e.title,
            e.phone,
            e.email,
        ]);
        // Managers are mostly hired, so read, before their reports.
        let manager = e.manager.and_then(|m| {
            let found = self.person(m, &[]);
            if found.is_none() {
                self.later.push((self.rows.len(), m));
            }
            found
        });
        self.in_id_order &= self.rows.last().is_none_or(|last| last.id < e.id);
        self.rows.push(StaffRow {
            id: e.id,
            emp_no: e.emp_no.into(),
            person,
            department,
            title,
            manager,
            status: e.status,
            hire_date: e.hire_date,
        });
    }

    /// The person with `id` among the rows read (halving while they are
    /// in id order, as a full read hands them over), else among `others`
    /// (in id order).
    fn person(&self, id: EmployeeId, others: &[StaffRow]) -> Option<Arc<Person>> {
        let found = match self.rows.binary_search_by_key(&id, |row| row.id) {
            Ok(at) => Some(at),
            Err(_) if self.in_id_order => None,
            Err(_) => self.rows.iter().position(|row| row.id == id),
        };
        let row = match found {
            Some(at) => &self.rows[at],
            None => &others[others.binary_search_by_key(&id, |row| row.id).ok()?],
        };
        Some(Arc::clone(&row.person))
    }

    /// Names the managers read after their reports, from among the rows
    /// and `others`.
    fn name_managers(&mut self, others: &[StaffRow]) {
        for (at, manager) in std::mem::take(&mut self.later) {
            self.rows[at].manager = self.person(manager, others);
        }
    }

    /// The rows with their managers named, and their search index.
    fn finish(mut self) -> (Vec<StaffRow>, Index) {
        self.name_managers(&[]);
        self.index.shrink_to_fit();
        (self.rows, self.index)
    }

    /// The rows with their managers named from among themselves and
    /// `others` (the table they join, in id order), each with its fields.
    fn finish_among(mut self, others: &[StaffRow]) -> Vec<(StaffRow, Vec<String>)> {
        self.name_managers(others);
        let index = self.index;
        self.rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| (row, index.fields(i)))
            .collect()
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
        let mut builder = RowBuilder::default();
        for record in &records {
            builder.add(&tree, record.view());
        }
        let fresh = builder.finish_among(self.list.items());
        let mut replaced: Vec<(EmployeeId, Arc<Person>)> = Vec::new();
        let mut joined: Vec<(EmployeeId, Arc<Person>)> = Vec::new();
        let (sort, descending) = (self.sort, self.descending);
        let before = |a: &StaffRow, b: &StaffRow| sort.ordered(descending, a, b).is_lt();
        // The rows are kept in id order (the store's), whatever the sort.
        let place = |rows: &[StaffRow], id: EmployeeId| rows.binary_search_by_key(&id, |r| r.id);
        for &id in ids {
            let Ok(at) = place(self.list.items(), id) else {
                continue;
            };
            if !fresh.iter().any(|(row, _)| row.id == id) {
                // No longer theirs to see.
                replaced.push((id, self.list.remove(at).person));
            }
        }
        for (row, fields) in fresh {
            joined.push((row.id, Arc::clone(&row.person)));
            let fields = fields.iter().map(String::as_str);
            let at = match place(self.list.items(), row.id) {
                Ok(at) => {
                    let old = self.list.replace(at, row, fields);
                    replaced.push((old.id, old.person));
                    at
                }
                Err(at) => {
                    self.list.insert(at, row, fields);
                    at
                }
            };
            self.list.reposition(at, before);
        }
        // Their reports show them as manager, under the name they have now.
        self.list.update_items(|row| {
            let Some(manager) = &row.manager else { return };
            let Some((id, _)) = replaced.iter().find(|(_, old)| Arc::ptr_eq(old, manager)) else {
                return;
            };
            if let Some((_, now)) = joined.iter().find(|(joined, _)| joined == id) {
                row.manager = Some(Arc::clone(now));
            }
        });
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
        let keep =
            department.map(|scope| move |row: &StaffRow| tree.is_within(row.department.id, scope));
        self.list.restrict(keep, page);
    }

    fn apply_sort(&mut self, page: usize) {
        Self::sort_list(&mut self.list, (self.sort, self.descending), page);
    }

    /// Sorts `list` by `sort` (the column, descending or not).
    fn sort_list(list: &mut FilteredList<StaffRow>, sort: (SortKey, bool), page: usize) {
        let (column, descending) = sort;
        let ranks = column.ranks(list.items());
        list.sort_by_keys(
            |row| column.key(row, &ranks),
            |a, b| column.compare(a, b),
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
    fn managers(rows: &[StaffRow]) -> Vec<(&str, Option<&str>)> {
        rows.iter()
            .map(|row| {
                let manager = row.manager.as_ref().map(|m| m.name.as_str());
                (row.emp_no.as_str(), manager)
            })
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
        let mut builder = RowBuilder::default();
        for record in &records {
            builder.add(&tree, record.view());
        }
        assert!(builder.in_id_order, "halving finds who was read");
        let (rows, _) = builder.finish();
        assert_eq!(
            managers(&rows),
            [
                ("E1", None),
                ("E2", Some("员工1")),
                ("E3", Some("员工4")),
                ("E4", None),
            ]
        );
        // Out of id order (a screenful by number), and joining a table.
        let mut builder = RowBuilder::default();
        for record in [&records[2], &records[1]] {
            builder.add(&tree, record.view());
        }
        assert!(!builder.in_id_order, "read out of order: looked through");
        let joined = builder.finish_among(&rows);
        let rows: Vec<StaffRow> = joined.into_iter().map(|(row, _)| row).collect();
        assert_eq!(
            managers(&rows),
            [("E3", Some("员工4")), ("E2", Some("员工1"))]
        );
    }
}
