//! Reading the staff table. A small company is read at once; a large one
//! by a job while the first screenful, read by employee number through
//! the index, is shown at once (a million records take seconds to read,
//! a screenful milliseconds). The old rows are let go first, off the
//! console's thread: a large company is never held twice. What changes
//! while the job reads is applied to the table it brings.

use super::labels::Labels;
use super::{FIELDS, ID, RowBuilder, SortKey, StaffRow, StaffView};
use crate::app::desk::Desk;
use crate::app::job::{Loaded, Outcome, drop_aside};
use crate::app::list::FilteredList;
use crate::domain::department::DepartmentTree;
use crate::domain::employee::EmployeeId;
use crate::service::{OpError, Progress, Session};
use crate::tr;

/// How many rows the first screenful holds: more than any terminal shows.
const SCREENFUL: usize = 200;

/// The whole table as a job reads it: sorted, indexed, ready to show.
pub(super) struct StaffTable {
    list: FilteredList<StaffRow>,
    labels: Labels,
    tree: DepartmentTree,
    sort: (SortKey, bool),
}

impl StaffTable {
    /// Reads every row the operator may see, sorted by `sort` (the column,
    /// descending or not), counting the records read in `progress`.
    fn read(
        session: &Session,
        progress: &Progress,
        sort: (SortKey, bool),
        page: usize,
    ) -> Result<Self, OpError> {
        let count = session.employee_count()?;
        if let Some(total) = session.employee_total_shown()? {
            progress.start(usize::try_from(total).unwrap_or(usize::MAX));
        }
        let mut builder = RowBuilder::new(count, Labels::default());
        let tree = session.each_visible_employee(|tree, employee| builder.add(tree, employee))?;
        let (rows, index, labels) = builder.finish();
        let mut list = FilteredList::of_kinds(FIELDS);
        list.set_keyed_items(rows, index, page);
        StaffView::sort_list(&mut list, &labels, sort, page);
        Ok(StaffTable {
            list,
            labels,
            tree,
            sort,
        })
    }
}

/// While a job reads the table: how many records there are, and what
/// changed meanwhile.
#[derive(Debug, Default)]
pub(super) struct Reading {
    /// Records in the store (the count the job started from), when the
    /// operator may be told it.
    total: Option<u64>,
    /// The person selected before the read.
    keep: Option<EmployeeId>,
    /// A change that calls for reading everything again.
    all: bool,
    /// People whose rows changed.
    people: Vec<EmployeeId>,
}

impl StaffView {
    /// Reads the whole table again: at once when it is small, else as a
    /// job, the first screenful shown meanwhile when the table is empty.
    pub(super) fn read_all(&mut self, desk: &mut Desk) {
        let page = desk.page();
        let kept = self.kept.take();
        let keep = self.list.selected().map(|r| r.id).or(kept);
        self.let_rows_go(page);
        let sort = (self.sort, self.descending);
        let count = desk.session.employee_count();
        let total = desk.session.employee_total_shown().ok().flatten();
        match desk.load(ID, tr!("loads.staff"), count, move |session, progress| {
            StaffTable::read(session, progress, sort, page)
        }) {
            Loaded::Now(table) => self.take_table(table, keep, desk),
            Loaded::Failed => {}
            Loaded::Job { started: true } => {
                self.reading = Some(Reading {
                    total,
                    keep,
                    ..Reading::default()
                });
                self.first_screenful(keep, desk);
            }
            // Another job runs (it said so): the table is read once it
            // ends (when shown), and says so meanwhile.
            Loaded::Job { started: false } => self.loaded = false,
        }
    }

    /// Empties the table, keeping its query, sort and filter; the rows
    /// are freed on a thread of their own.
    fn let_rows_go(&mut self, page: usize) {
        drop_aside(self.list.take_items(page));
        self.labels = Labels::default();
    }

    /// Lets the rows go while the tab is hidden (unless a job is reading
    /// them): read again, the same person selected, when next shown.
    pub(super) fn let_go_until_shown(&mut self, page: usize) {
        if self.reading.is_some() || !self.loaded {
            return;
        }
        self.kept = self.list.selected().map(|r| r.id);
        self.let_rows_go(page);
        self.loaded = false;
    }

    /// Shows the first rows by employee number, `keep` selected if it is
    /// among them.
    fn first_screenful(&mut self, keep: Option<EmployeeId>, desk: &mut Desk) {
        let page = desk.page();
        let mut builder = RowBuilder::new(0, Labels::default());
        let read = desk
            .session
            .first_visible_employees(SCREENFUL.max(page), |tree, employee| {
                builder.add(tree, employee)
            });
        match read {
            Ok(tree) => {
                let (rows, index, labels) = builder.finish();
                self.has_departments = !tree.is_empty();
                self.list.set_keyed_items(rows, index, page);
                self.labels = labels;
                // In the table's order, as everyone will be.
                self.apply_sort(page);
                self.refresh_after_read(keep, desk);
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// The job reading the table ended with `outcome` (false: not ours).
    pub(super) fn table_read(&mut self, outcome: &mut Option<Outcome>, desk: &mut Desk) -> bool {
        let Some(done) = outcome.take() else {
            return false;
        };
        let read = match done.downcast::<Result<StaffTable, OpError>>() {
            Ok(read) => *read,
            Err(other) => {
                *outcome = Some(other);
                return false;
            }
        };
        let reading = self.reading.take().unwrap_or_default();
        match read {
            Ok(table) => {
                // Who was selected before, unless the screenful held them
                // (then whoever is selected in it now).
                let now = self.list.selected().map(|r| r.id);
                let keep = match reading.keep {
                    Some(id) if !self.list.items().iter().any(|r| r.id == id) => Some(id),
                    _ => now,
                };
                self.take_table(table, keep, desk);
                if reading.all {
                    self.read_all(desk);
                } else if !reading.people.is_empty() {
                    self.patch_shown(&reading.people, desk);
                }
            }
            Err(OpError::Cancelled) => {
                // Read again when the pane is shown again.
                self.loaded = false;
                let shown = self.list.items().len();
                desk.info(tr!("loads.staff_cancelled", shown = shown));
            }
            Err(err) => {
                self.loaded = false;
                desk.error(err.to_string());
            }
        }
        true
    }

    /// Notes a change that comes while the table is being read; false
    /// when none is being read.
    pub(super) fn changed_while_reading(&mut self, all: bool, people: &[EmployeeId]) -> bool {
        let Some(reading) = &mut self.reading else {
            return false;
        };
        reading.all |= all;
        reading.people.extend_from_slice(people);
        true
    }

    /// Shows `table` in place of the rows there are, keeping the query,
    /// the department filter and (by id) the selection; sorted again if
    /// the sort changed while it was read.
    fn take_table(&mut self, table: StaffTable, keep: Option<EmployeeId>, desk: &mut Desk) {
        let page = desk.page();
        let StaffTable {
            mut list,
            labels,
            tree,
            sort,
        } = table;
        list.query = self.list.query.clone();
        list.editing = self.list.editing;
        drop_aside(std::mem::replace(&mut self.list, list));
        self.labels = labels;
        self.has_departments = !tree.is_empty();
        if sort != (self.sort, self.descending) {
            self.apply_sort(page);
        }
        let filter = self.department_filter.as_ref().map(|(id, _)| *id);
        self.restrict(&tree, filter, page);
        self.refresh_after_read(keep, desk);
    }

    /// Selects `keep` (when it is there) and reads the selected person.
    fn refresh_after_read(&mut self, keep: Option<EmployeeId>, desk: &mut Desk) {
        if let Some(id) = keep {
            self.list.select_where(desk.page(), |r| r.id == id);
        }
        self.read_selected(desk);
    }

    /// While the rows are read: how many records there are, when the
    /// operator may be told (`Some(None)` for a manager).
    pub fn reading_total(&self) -> Option<Option<u64>> {
        self.reading.as_ref().map(|r| r.total)
    }
}
