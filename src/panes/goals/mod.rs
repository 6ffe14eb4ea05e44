//! The Goals pane's state: the goal forest the operator may see, its
//! roll-up, which goals are expanded, the period and department filters,
//! and the flattened rows the tree table shows. Every goal is one row in
//! depth-first order; rows inside a collapsed goal are hidden (while a `/`
//! query is typed every match shows, whatever is collapsed). Progress is
//! read from the roll-up at drawing time, so recording an actual recomputes
//! one path and touches no row. Keys are in `keys.rs`, forms in `forms.rs`
//! and `submit.rs`, reading, patching and filtering the tree in `ops.rs`,
//! drawing in `view.rs`.

pub mod forms;
mod keys;
mod ops;
mod submit;
mod view;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::text::ShortText;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Select, Submitted};
use crate::app::job::drop_aside;
use crate::app::list::{FilteredList, Searchable};
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, QueryEdit};
use crate::app::report::Report;
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::{EmployeeId, Status};
use crate::domain::goal::check::goals_with_weights_off;
use crate::domain::goal::outline::GoalFigures;
use crate::domain::goal::progress::Rollup;
use crate::domain::goal::tree::GoalTree;
use crate::domain::goal::{ActualEntry, Goal, GoalId, Owner, Period, WeightChange};
use crate::search::Kind;
use crate::service::access::Permission;
use crate::service::{OpError, Progress, Session};
use crate::tr;
use forms::{Archive, CascadeAsk, GoalForm, ids};
use std::borrow::Cow;

/// One line of the goal tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalRow {
    /// Its goal's place in the tree (see [`GoalRow::slot`]), in 32 bits.
    slot: u32,
    pub id: GoalId,
    pub depth: u16,
    /// The title (shared by the rows of goals with the same title, as a
    /// cascade gives every member of a team).
    pub title: Arc<str>,
    /// The owner, short (shared by the rows of the goals they own).
    pub owner: OwnerLabel,
    /// The department the goal belongs to (a person's department), if any.
    pub(super) department: Option<DepartmentId>,
}

/// An owner as the tree shows it: the company, a department's own name,
/// or a person's number and name (marked when they have departed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerLabel {
    /// Inside the row up to 24 bytes (a number and a name): most people
    /// own a goal or two, so a label of its own on the heap for each
    /// would share little and cost an allocation per owner.
    pub text: ShortText,
    /// Where the name lies in `text` (after a person's number), in bytes.
    name: (u16, u16),
}

impl OwnerLabel {
    /// The company's or a department's label: all name.
    fn named(text: String) -> Self {
        let end = u16::try_from(text.len()).unwrap_or(u16::MAX);
        OwnerLabel {
            name: (0, end),
            text: text.into(),
        }
    }

    /// A person's label: `number name`, then `mark` if any.
    fn person(number: &str, name: &str, mark: Option<String>) -> Self {
        let mut text = format!("{number} {name}");
        let at = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        let name = (at(number.len() + 1), at(text.len()));
        if let Some(mark) = mark {
            text = format!("{text} {mark}");
        }
        OwnerLabel {
            text: text.into(),
            name,
        }
    }

    /// The person's number (empty for the company and departments).
    pub fn number(&self) -> &str {
        self.text
            .get(..usize::from(self.name.0).saturating_sub(1))
            .unwrap_or("")
    }

    /// The name.
    pub fn name(&self) -> &str {
        self.text
            .get(usize::from(self.name.0)..usize::from(self.name.1))
            .unwrap_or("")
    }

    /// How many characters come before the name.
    pub fn name_at(&self) -> usize {
        self.text
            .get(..usize::from(self.name.0))
            .map_or(0, |before| before.chars().count())
    }
}

/// The field a goal's owner's name is found by, and the one its number is.
pub const OWNER_NAME: usize = 2;
pub const OWNER_NUMBER: usize = 3;

impl GoalRow {
    /// Its goal's place in the tree.
    pub fn slot(&self) -> usize {
        self.slot as usize
    }
}

impl Searchable for GoalRow {
    /// The goal's number, its title, its owner's name and number: each
    /// found by its own rules (a name by pinyin, a number by its start),
    /// and a name many goals' owners share kept once.
    const KINDS: &'static [Kind] = &[Kind::Code, Kind::Text, Kind::Name, Kind::Code];

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Owned(self.id.to_string()),
            Cow::Borrowed(&self.title),
            Cow::Borrowed(self.owner.name()),
            Cow::Borrowed(self.owner.number()),
        ]
    }
}

/// The selected goal's history, for the detail panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalHistory {
    pub id: Option<GoalId>,
    /// The goal whole, with its measure (the tree keeps its figures only).
    pub goal: Option<Goal>,
    pub actuals: Vec<ActualEntry>,
    pub weights: Vec<WeightChange>,
}

/// The Goals pane's state.
pub struct GoalsView {
    /// Each goal's figures; the selected goal is read whole (see
    /// [`GoalHistory`]).
    pub tree: GoalTree<GoalFigures>,
    pub rollup: Rollup,
    /// Goals whose siblings' weights do not add up to 100 (marked in the tree).
    pub weights_off: HashSet<usize>,
    pub list: FilteredList<GoalRow>,
    pub expanded: HashSet<GoalId>,
    pub period: Option<Period>,
    /// The department whose subtree's goals show, with its path.
    pub department: Option<(DepartmentId, String)>,
    pub history: GoalHistory,
    /// The department tree, for owners' full paths.
    departments: DepartmentTree,
    /// Whether the visibility mask was built for a typed query.
    query_mode: bool,
    /// Whether the tree must be read again before it is shown (at start
    /// too: it is read when the tab is first opened, so the console opens
    /// on Staff without reading every goal).
    stale: bool,
    /// Whether a job is reading the tree (a large company's: the console
    /// answers meanwhile).
    pub reading: bool,
    /// Set when the tree was let go while the tab was hidden, with the
    /// goal then selected: read again, that goal selected and what was
    /// expanded kept, when next shown.
    kept: Option<Option<GoalId>>,
}

impl Default for GoalsView {
    fn default() -> Self {
        GoalsView {
            tree: GoalTree::default(),
            rollup: Rollup::default(),
            weights_off: HashSet::new(),
            list: FilteredList::new(),
            expanded: HashSet::new(),
            period: None,
            department: None,
            history: GoalHistory::default(),
            departments: Default::default(),
            query_mode: false,
            stale: true,
            reading: false,
            kept: None,
        }
    }
}

/// A person who owns goals, as the tree shows them.
struct OwnerPerson {
    /// Employee number and name, marked when they have departed (their
    /// open goals waiting to be reassigned or closed).
    label: OwnerLabel,
    department: DepartmentId,
}

/// The people who own goals, in id order, found by halving (a map of a
/// million owners would take a third more room while the rows are made).
struct Owners(Vec<(EmployeeId, OwnerPerson)>);

impl Owners {
    fn get(&self, id: &EmployeeId) -> Option<&OwnerPerson> {
        let at = self.0.binary_search_by_key(id, |(id, _)| *id).ok()?;
        Some(&self.0[at].1)
    }
}

/// The departments, and the people who own goals in `tree`: read in place
/// from the store, not as whole records of the whole company.
fn goal_owners(
    session: &Session,
    tree: &GoalTree<GoalFigures>,
) -> Result<(DepartmentTree, Owners), OpError> {
    let mut owners: Vec<EmployeeId> = tree
        .goals()
        .iter()
        .filter_map(|goal| match goal.owner {
            Owner::Employee(id) => Some(id),
            _ => None,
        })
        .collect();
    owners.sort_unstable();
    owners.dedup();
    let mut people = Vec::with_capacity(owners.len());
    let departments = session.each_visible_employee(|_, person| {
        if owners.binary_search(&person.id).is_ok() {
            let mark = (person.status == Status::Departed).then(|| tr!("goal.owner.departed"));
            let owner = OwnerPerson {
                label: OwnerLabel::person(person.emp_no, person.name, mark),
                department: person.department,
            };
            people.push((person.id, owner));
        }
    })?;
    // The store hands people over by id; sorted all the same.
    people.sort_unstable_by_key(|(id, _)| *id);
    Ok((departments, Owners(people)))
}

/// The department a goal's owner stands for.
fn owner_department(owner: Owner, people: &Owners) -> Option<DepartmentId> {
    match owner {
        Owner::Company => None,
        Owner::Department(d) => Some(d),
        Owner::Employee(e) => people.get(&e).map(|p| p.department),
    }
}

/// The owner as the tree shows it (the detail panel has the full path).
fn short_owner(owner: Owner, departments: &DepartmentTree, people: &Owners) -> OwnerLabel {
    match owner {
        Owner::Company => OwnerLabel::named(tr!("goal.owner.company")),
        Owner::Department(d) => OwnerLabel::named(
            departments
                .get(d)
                .map_or_else(|| d.to_string(), |dept| dept.name.clone()),
        ),
        Owner::Employee(e) => match people.get(&e) {
            Some(person) => person.label.clone(),
            None => OwnerLabel::named(e.to_string()),
        },
    }
}

fn rows(
    tree: &GoalTree<GoalFigures>,
    departments: &DepartmentTree,
    people: &Owners,
) -> Vec<GoalRow> {
    let mut depth = vec![0u16; tree.len()];
    let mut owners: HashMap<Owner, OwnerLabel> = HashMap::new();
    tree.preorder()
        .into_iter()
        .map(|slot| {
            let goal = tree.at(slot);
            depth[slot] = tree
                .parent_slot(slot)
                .map_or(0, |p| depth[p].saturating_add(1));
            GoalRow {
                // A tree links its goals by 32-bit places: it never holds more.
                slot: u32::try_from(slot).unwrap_or(u32::MAX),
                id: goal.id,
                depth: depth[slot],
                title: Arc::clone(&goal.title),
                // A person's label is theirs already; the company's and
                // each department's is made once.
                owner: match goal.owner {
                    Owner::Employee(_) => short_owner(goal.owner, departments, people),
                    _ => owners
                        .entry(goal.owner)
                        .or_insert_with(|| short_owner(goal.owner, departments, people))
                        .clone(),
                },
                department: owner_department(goal.owner, people),
            }
        })
        .collect()
}

/// The goals the operator may see as read (by a job, for a large
/// company): the tree, its roll-up and its rows, indexed.
pub(super) struct GoalsTable {
    tree: GoalTree<GoalFigures>,
    rollup: Rollup,
    weights_off: HashSet<usize>,
    list: FilteredList<GoalRow>,
    departments: DepartmentTree,
}

impl GoalsTable {
    /// Reads and lays out every goal the operator may see, stopping
    /// between steps once `progress` is cancelled.
    pub(super) fn read(
        session: &Session,
        progress: &Progress,
        page: usize,
    ) -> Result<GoalsTable, OpError> {
        let tree = session.goal_figures_tree()?;
        progress.check()?;
        // The owners' labels go into the rows, and are let go before the
        // roll-up and the rows' index are made.
        let (departments, people) = goal_owners(session, &tree)?;
        let rows = rows(&tree, &departments, &people);
        drop(people);
        progress.check()?;
        let rollup = session.goal_rollup(&tree)?;
        progress.check()?;
        let weights_off = goals_with_weights_off(&tree);
        let mut list = FilteredList::new();
        list.set_items(rows, page);
        Ok(GoalsTable {
            tree,
            rollup,
            weights_off,
            list,
            departments,
        })
    }
}

impl GoalsView {
    /// Loads the goals the operator may see (see [`GoalsView::take_table`]).
    pub fn reload(&mut self, session: &Session, page: usize) -> Result<(), OpError> {
        let table = GoalsTable::read(session, &Progress::new(), page)?;
        self.take_table(table, session, page)
    }

    /// Shows `table`: company and department goals start expanded the
    /// first time. Keeps the query, filters and (by id) the selection.
    pub(super) fn take_table(
        &mut self,
        table: GoalsTable,
        session: &Session,
        page: usize,
    ) -> Result<(), OpError> {
        let kept = self.kept.take();
        let keep = self.list.selected().map(|r| r.id).or(kept.flatten());
        let first_load = self.tree.is_empty() && kept.is_none();
        let GoalsTable {
            tree,
            rollup,
            weights_off,
            mut list,
            departments,
        } = table;
        drop_aside(std::mem::replace(&mut self.tree, tree));
        self.rollup = rollup;
        self.weights_off = weights_off;
        if first_load {
            self.expanded = self
                .tree
                .goals()
                .iter()
                .filter(|g| !matches!(g.owner, Owner::Employee(_)))
                .map(|g| g.id)
                .collect();
        }
        list.query = self.list.query.clone();
        list.editing = self.list.editing;
        drop_aside(std::mem::replace(&mut self.list, list));
        self.apply_visibility(&departments, page);
        self.departments = departments;
        if let Some(id) = keep {
            self.list.select_where(page, |r| r.id == id);
        }
        self.refresh_history(session)
    }

    /// Rows pass the period and department filters and, unless a query is
    /// typed, sit under expanded goals only.
    fn apply_visibility(&mut self, departments: &DepartmentTree, page: usize) {
        self.query_mode = !self.list.query.is_empty();
        let items = self.list.items();
        let mut shown = vec![true; self.tree.len()];
        for row in items {
            let goal = self.tree.at(row.slot());
            let in_period = self.period.is_none_or(|p| p.overlaps(goal.period));
            let in_department = match (&self.department, row.department) {
                (None, _) => true,
                (Some(_), None) => goal.owner == Owner::Company,
                (Some((scope, _)), Some(d)) => departments.is_within(d, *scope),
            };
            let under_expanded = self.query_mode
                || self
                    .tree
                    .parent_slot(row.slot())
                    .is_none_or(|p| shown[p] && self.expanded.contains(&self.tree.at(p).id));
            shown[row.slot()] = in_period && in_department && under_expanded;
        }
        let keep = self.list.selected().map(|r| r.id);
        self.list
            .restrict(Some(|row: &GoalRow| shown[row.slot()]), page);
        if let Some(id) = keep {
            self.list.select_where(page, |r| r.id == id);
        }
    }

    /// Re-applies the filters after expansion, a filter or the query changed.
    pub fn refilter(&mut self, session: &Session, page: usize) -> Result<(), OpError> {
        let departments = session.department_tree()?;
        self.apply_visibility(&departments, page);
        Ok(())
    }

    /// Whether the query went from empty to typed or back (the rows inside
    /// collapsed goals then show or hide).
    pub fn query_mode_changed(&self) -> bool {
        self.query_mode == self.list.query.is_empty()
    }

    /// Expands (`Some(true)`), collapses (`Some(false)`) or toggles (`None`)
    /// the selected goal. Collapsing a goal without children, or one already
    /// collapsed, moves to its parent.
    pub fn expand(
        &mut self,
        how: Option<bool>,
        session: &Session,
        page: usize,
    ) -> Result<(), OpError> {
        let Some(row) = self.list.selected().cloned() else {
            return Ok(());
        };
        let open = self.expanded.contains(&row.id);
        let want = how.unwrap_or(!open);
        if !want && (!self.tree.has_children(row.slot()) || !open) {
            if let Some(parent) = self.tree.parent_slot(row.slot()) {
                let parent_id = self.tree.at(parent).id;
                self.list.select_where(page, |r| r.id == parent_id);
                return self.refresh_history(session);
            }
            return Ok(());
        }
        if want {
            self.expanded.insert(row.id);
        } else {
            self.expanded.remove(&row.id);
        }
        self.refilter(session, page)
    }

    /// Reads the selected goal's actuals and weight changes.
    pub fn refresh_history(&mut self, session: &Session) -> Result<(), OpError> {
        let id = self.list.selected().map(|r| r.id);
        if self.history.id == id {
            return Ok(());
        }
        self.history = match id {
            Some(id) => {
                let (actuals, weights) = session.goal_history(id)?;
                GoalHistory {
                    id: Some(id),
                    goal: session.visible_goal(id)?,
                    actuals,
                    weights,
                }
            }
            None => GoalHistory::default(),
        };
        Ok(())
    }

    /// The full owner of `row`'s goal: the company, a department path, a person.
    pub fn owner_path(&self, row: &GoalRow) -> String {
        match self.tree.at(row.slot()).owner {
            Owner::Department(d) => self.departments.path(d),
            _ => row.owner.text.to_string(),
        }
    }

    /// Forgets the selected goal's history so the next refresh reads it again.
    pub fn forget_history(&mut self) {
        self.history = GoalHistory::default();
    }
}

/// The pane's name.
pub const ID: PaneId = "goals";

impl Pane for GoalsView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("tab.goals")
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Goals)
    }

    fn show(&mut self, desk: &mut Desk) {
        if self.stale && !self.reading {
            self.stale = false;
            self.reload_goals(desk);
        }
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        self.act(action, desk)
    }

    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        let page = desk.page();
        self.list.query_step(edit, page);
        if self.query_mode_changed()
            && let Err(err) = self.refilter(&desk.session, page)
        {
            desk.error(err.to_string());
        }
        self.read_history(desk);
        true
    }

    fn querying(&self) -> bool {
        self.list.editing
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        match form.kind.what::<GoalForm>() {
            Some(GoalForm::Filter) => self.set_goal_filter(desk, form),
            Some(&which) => self.submit_goal(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(&Archive(id)) = errand.what::<Archive>() {
            self.archive_goal(desk, id);
        }
        if let Some(CascadeAsk(cascade)) = errand.what::<CascadeAsk>() {
            self.run_cascade(desk, cascade);
        }
    }

    fn field_hint(&self, field: &'static str, text: &str, _desk: &Desk) -> Option<String> {
        match field {
            ids::PARENT => Some(match GoalId::parse(text).and_then(|id| self.tree.get(id)) {
                Some(goal) => goal.title.to_string(),
                None => tr!("goal.form.no_goal"),
            }),
            _ => None,
        }
    }

    fn hints(&self) -> Vec<(Section, Action, String)> {
        vec![
            (Section::Browse, Action::Filter, tr!("hint.filter")),
            (
                Section::Browse,
                Action::DepartmentFilter,
                tr!("hint.goal_filter"),
            ),
            (Section::Browse, Action::Add, tr!("hint.add")),
            (Section::Browse, Action::RecordActual, tr!("hint.actual")),
            (Section::Browse, Action::Cascade, tr!("hint.cascade")),
            (Section::Browse, Action::Alignment, tr!("hint.alignment")),
            (Section::Global, Action::Help, tr!("hint.help")),
        ]
    }

    /// Goals named are patched in place when only what they hold changed;
    /// a change of the tree's shape, a department, or an owner's name or
    /// standing reads the whole tree again (when shown; else when next shown).
    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.goals.add")).needs(Permission::EditGoals),
            Offer::new(Action::AddTop, tr!("offer.goals.add_top"))
                .needs(Permission::EditCompanyGoals),
            Offer::new(Action::Edit, tr!("offer.goals.edit")).needs(Permission::EditGoals),
            Offer::new(Action::Move, tr!("offer.goals.move")).needs(Permission::EditGoals),
            Offer::new(Action::Remove, tr!("offer.goals.remove")).needs(Permission::EditGoals),
            Offer::new(Action::RecordActual, tr!("offer.goals.record_actual"))
                .needs(Permission::EditGoals),
            Offer::new(Action::NotAchieved, tr!("offer.goals.not_achieved"))
                .needs(Permission::CloseNotAchieved),
            Offer::new(Action::Cascade, tr!("offer.goals.cascade")).needs(Permission::EditGoals),
            Offer::new(Action::Alignment, tr!("offer.goals.alignment")),
            Offer::new(
                Action::DepartmentFilter,
                tr!("offer.goals.department_filter"),
            ),
            Offer::new(Action::Filter, tr!("offer.goals.filter")),
            Offer::new(Action::Toggle, tr!("offer.goals.toggle")),
            Offer::new(Action::Expand, tr!("offer.goals.expand")),
            Offer::new(Action::Collapse, tr!("offer.goals.collapse")),
            Offer::new(Action::Copy, tr!("offer.goals.copy")),
            Offer::new(Action::Detail, tr!("offer.goals.detail")),
        ]
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        self.stale |= changes.goals || self.owned_by_any(&changes.people);
        // While the tree is read, any change to a goal or a person (an
        // owner the read may have named as they were) calls for reading it
        // again: the tree held meanwhile cannot tell whose goals they are.
        self.stale |= self.reading && (!changes.goal_ids.is_empty() || !changes.people.is_empty());
        if !self.stale && !changes.goal_ids.is_empty() {
            let page = desk.page();
            match self.patch(&desk.session, &changes.goal_ids, page) {
                Ok(patched) => self.stale |= !patched,
                Err(err) => desk.error(err.to_string()),
            }
        }
        if shown {
            self.show(desk);
        }
    }

    fn job_done(&mut self, outcome: crate::app::job::Outcome, desk: &mut Desk) {
        self.tree_read(outcome, desk);
    }

    fn select(&mut self, what: &Select, desk: &mut Desk) {
        if let Select::Goal(id) = *what {
            self.select_goal(desk, id);
        }
    }

    fn fit(&mut self, page: usize) {
        self.list.fit(page);
    }

    fn held_rows(&self) -> usize {
        self.tree.len()
    }

    fn let_go(&mut self, desk: &mut Desk) {
        self.let_go_until_shown(desk.page());
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(self, app, frame, area);
    }

    /// The selected row's id.
    fn detail(&self, _desk: &mut Desk) -> Option<Report> {
        view::detail(self)
    }

    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.list.selected().map(|row| Copied::id(row.id))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
