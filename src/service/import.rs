//! Importing a staff sheet: every row is checked first (values, duplicates
//! within the file and against the database, departments, managers and
//! their loops); any problem and nothing is written. A clean sheet goes in
//! as one transaction: new departments if asked, new employees with their
//! hire event, and with `update` changed employees with a correction event.

use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};

use super::staff::whole_directory;
use super::{OpError, Progress, Session, Stop};
use crate::domain::audit::AuditRecord;
use crate::domain::cleanup::{self, ValueError};
use crate::domain::department::{
    DepartmentFinder, DepartmentId, DepartmentTree, FindError, normalize_name,
};
use crate::domain::directory::Directory;
use crate::domain::employee::{
    Employee, EmployeeId, EventKind, LifecycleEvent, Names, Status, creates_cycle, text_problem,
};
use crate::import::{Column, RawRow, Sheet};
use crate::service::access::Permission;
use crate::store::{StoreError, Writer};
use crate::tr;

/// What the command line or the palette asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Rows whose employee number exists change that employee.
    pub update: bool,
    /// Departments that do not exist are created (by their path).
    pub create_departments: bool,
}

/// One problem of the sheet: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: Option<Column>,
    pub message: String,
}

/// What a clean import did (or, for a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub created_departments: Vec<String>,
    pub written: bool,
}

impl ImportSummary {
    /// A line per department the import created (or, not written yet,
    /// would create), with its path.
    pub fn department_lines(&self) -> Vec<String> {
        self.created_departments
            .iter()
            .map(|path| {
                if self.written {
                    tr!("staff.import.department_created", path = path)
                } else {
                    tr!("staff.import.department_to_create", path = path)
                }
            })
            .collect()
    }

    /// What was written, or what a dry run would write, with the
    /// departments created, as one line.
    pub fn describe_all(&self) -> String {
        std::iter::once(self.describe())
            .chain(self.department_lines())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// One line: what was written, or what a dry run would write.
    pub fn describe(&self) -> String {
        if self.written {
            tr!(
                "staff.import.done",
                inserted = self.inserted,
                updated = self.updated,
                unchanged = self.unchanged
            )
        } else {
            tr!(
                "staff.import.dry_run",
                inserted = self.inserted,
                updated = self.updated,
                unchanged = self.unchanged
            )
        }
    }
}

/// The result of checking (and perhaps writing) a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Clean(ImportSummary),
    Problems(Vec<RowProblem>),
}

/// Where a row's department is: already there, or to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    Existing(DepartmentId),
    New(Vec<String>),
}

/// A row whose values all parsed.
#[derive(Clone, Debug)]
struct Planned {
    line: usize,
    record: Employee,
    place: Place,
    manager_emp_no: Option<String>,
    existing: Option<EmployeeId>,
}

/// Collects problems while rows are checked, and how many of them are
/// rows of people already in the database (without `--update`).
struct Problems(Vec<RowProblem>, usize);

impl Problems {
    fn add(&mut self, line: usize, column: Column, message: String) {
        self.0.push(RowProblem {
            line,
            column: Some(column),
            message,
        });
    }

    /// The value of `column`, parsed; a problem is noted when it does not parse.
    fn parse<T>(
        &mut self,
        row: &RawRow,
        column: Column,
        parse: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        let text = row.get(column)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(row.line, column, err.to_string());
                None
            }
        }
    }

    /// The text of a required column; a problem is noted when it is missing.
    fn required<'r>(&mut self, row: &'r RawRow, column: Column) -> Option<&'r str> {
        let text = row.get(column);
        if text.is_none() {
            self.add(row.line, column, tr!("staff.check.required"));
        }
        text
    }
}

/// The path parts of a department reference, each a valid name; a path
/// that does not begin at a top-level department begins under the company
/// when the tree has one top (a new `物流部` goes under it, not beside it).
fn path_parts(reference: &str, tree: &DepartmentTree) -> Result<Vec<String>, String> {
    let parts = reference
        .split('/')
        .map(|part| normalize_name(part).map_err(|e| e.to_string()))
        .collect::<Result<Vec<String>, String>>()?;
    let tops: Vec<&str> = tree
        .children(None)
        .iter()
        .filter_map(|&id| tree.get(id).map(|d| d.name.as_str()))
        .collect();
    let at_top = |name: &str| {
        tops.iter()
            .any(|top| top.to_lowercase() == name.to_lowercase())
    };
    match tops[..] {
        [company] if !parts.first().is_some_and(|first| at_top(first)) => {
            Ok(std::iter::once(company.to_string()).chain(parts).collect())
        }
        _ => Ok(parts),
    }
}

/// The paths of the departments a clean import creates (every missing
/// level once, in the order the sheet first needs them).
fn new_departments(planned: &[Planned], tree: &DepartmentTree) -> Vec<String> {
    let finder = DepartmentFinder::new(tree);
    let mut paths: Vec<String> = Vec::new();
    for row in planned {
        let Place::New(parts) = &row.place else {
            continue;
        };
        for depth in 1..=parts.len() {
            let path = parts[..depth].join(" / ");
            if finder.find(&path).is_err() && !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

/// Checks every row of `sheet` against `directory`: the rows as they will
/// be written, or every problem, sorted by line. Each row checked counts on
/// `progress`; once it is cancelled the rows left are not looked at (the
/// caller asks `progress` before using the plan).
fn plan_import(
    sheet: &Sheet,
    options: ImportOptions,
    directory: &Directory,
    progress: &Progress,
) -> Result<Vec<Planned>, Vec<RowProblem>> {
    progress.start(sheet.rows.len());
    let mut problems = Problems(Vec::new(), 0);
    let finder = DepartmentFinder::new(&directory.tree);
    let mut places = PlaceCache {
        finder: &finder,
        found: HashMap::new(),
    };
    let mut planned: Vec<Planned> = sheet
        .rows
        .iter()
        .take_while(|_| !progress.is_cancelled())
        .inspect(|_| progress.advance())
        .filter_map(|row| plan_row(row, &mut places, directory, options, &mut problems))
        .map(|row| keep_absent_columns(row, &sheet.columns, directory))
        .collect();
    check_duplicates(&planned, directory, &mut problems);
    check_managers(&mut planned, directory, &mut problems);
    check_departures(&planned, directory, &mut problems);
    check_status_changes(&planned, directory, &mut problems);
    let all_existing = problems.1 == sheet.rows.len() && problems.0.len() == problems.1;
    if all_existing && let Some(first) = sheet.rows.first() {
        // A sheet of people already there, imported again without --update:
        // said once, not once per row.
        problems.0 = vec![RowProblem {
            line: first.line,
            column: Some(Column::EmpNo),
            message: tr!("staff.import.all_exist", count = sheet.rows.len()),
        }];
    }
    if problems.0.is_empty() {
        Ok(planned)
    } else {
        problems.0.sort_by_key(|p| (p.line, p.column));
        Err(problems.0)
    }
}

impl Session {
    /// Checks `sheet` and, when clean and not a dry run, writes it in one
    /// transaction. The rows are checked inside that transaction, against
    /// the company as it is when the import commits (another process may
    /// have hired the same number meanwhile); a dry run checks against a
    /// snapshot and writes nothing.
    pub fn import_staff(
        &self,
        sheet: &Sheet,
        options: ImportOptions,
    ) -> Result<ImportOutcome, OpError> {
        self.import_staff_with(sheet, options, &Progress::new())
    }

    /// [`Session::import_staff`] counting rows checked (then written) on
    /// `progress`, and stopping with [`OpError::Cancelled`] once it is
    /// cancelled: while rows are checked or written, and once more just
    /// before the commit, so a cancelled import writes nothing.
    pub fn import_staff_with(
        &self,
        sheet: &Sheet,
        options: ImportOptions,
        progress: &Progress,
    ) -> Result<ImportOutcome, OpError> {
        self.require(Permission::EditStaff)?;
        if options.dry_run {
            let directory = self.full_directory()?;
            let plan = plan_import(sheet, options, &directory, progress);
            progress.check()?;
            return Ok(match plan {
                Ok(planned) => ImportOutcome::Clean(summarize(&planned, &directory)),
                Err(problems) => ImportOutcome::Problems(problems),
            });
        }
        let operator = self.operator().user.clone();
        let recorded_at = self.now();
        let today = crate::zone::current().today(recorded_at);
        self.write_or_stop(|w| {
            let directory = whole_directory(w)?;
            let plan = plan_import(sheet, options, &directory, progress);
            progress.check()?;
            let mut planned =
                plan.map_err(|problems| Stop::Answer(ImportOutcome::Problems(problems)))?;
            let mut summary = summarize(&planned, &directory);
            order_managers_first(&mut planned);
            let created = create_departments(w, &directory, &mut planned)?;
            // Every department's path once (new ones included), not once per row.
            let mut paths: HashMap<DepartmentId, String> = directory
                .tree
                .rows()
                .iter()
                .map(|r| (r.department.id, directory.tree.path(r.department.id)))
                .collect();
            paths.extend(created.iter().cloned());
            let names = WrittenNames {
                directory: &directory,
                department_paths: paths,
                new_employees: HashMap::new(),
            };
            progress.start(planned.len());
            write_rows(w, &planned, names, &operator, recorded_at, today, progress)?;
            w.audit(
                AuditRecord::new("staff.import", "staff", planned.len()).after(format!(
                    "inserted={} updated={} unchanged={} departments_created={}",
                    summary.inserted,
                    summary.updated,
                    summary.unchanged,
                    created.len()
                )),
            )?;
            summary.created_departments = created.into_iter().map(|(_, path)| path).collect();
            summary.written = true;
            // The last look before the commit: cancelled now, nothing is written.
            progress.check()?;
            Ok(ImportOutcome::Clean(summary))
        })
    }
}

/// Parses one row into a planned record; notes its problems.
/// Department lookups by the text a sheet gives, each distinct text found
/// once (a sheet names few departments many times).
struct PlaceCache<'f> {
    finder: &'f DepartmentFinder<'f>,
    found: HashMap<String, Result<DepartmentId, FindError>>,
}

impl PlaceCache<'_> {
    fn find(&mut self, reference: &str) -> Result<DepartmentId, FindError> {
        if let Some(found) = self.found.get(reference) {
            return found.clone();
        }
        let found = self.finder.find(reference);
        self.found.insert(reference.to_string(), found.clone());
        found
    }
}

fn plan_row(
    row: &RawRow,
    finder: &mut PlaceCache<'_>,
    directory: &Directory,
    options: ImportOptions,
    problems: &mut Problems,
) -> Option<Planned> {
    let before = problems.0.len();
    for column in Column::ALL {
        if let Some(message) = row.get(column).and_then(|text| text_problem(column, text)) {
            problems.add(row.line, column, message);
        }
    }
    let emp_no = problems.required(row, Column::EmpNo);
    let name = problems.required(row, Column::Name);
    let place = problems
        .required(row, Column::Department)
        .and_then(|reference| match finder.find(reference) {
            Ok(id) => Some(Place::Existing(id)),
            Err(FindError::NotFound(_)) if options.create_departments => {
                match path_parts(reference, &directory.tree) {
                    Ok(parts) => Some(Place::New(parts)),
                    Err(message) => {
                        problems.add(row.line, Column::Department, message);
                        None
                    }
                }
            }
            Err(err) => {
                let hint = if matches!(err, FindError::NotFound(_)) {
                    format!(" {}", tr!("staff.import.create_hint"))
                } else {
                    String::new()
                };
                problems.add(row.line, Column::Department, format!("{err}{hint}"));
                None
            }
        });
    let hire_date = problems
        .required(row, Column::HireDate)
        .and_then(|_| problems.parse(row, Column::HireDate, cleanup::parse_date));
    let status = match row.get(Column::Status) {
        None => Some(Status::Active),
        Some(text) => Status::parse(text).or_else(|| {
            problems.add(
                row.line,
                Column::Status,
                tr!("staff.import.bad_status", value = text),
            );
            None
        }),
    };
    let phone = problems.parse(row, Column::Phone, cleanup::parse_phone);
    let email = problems.parse(row, Column::Email, cleanup::parse_email);
    let national_id = problems.parse(row, Column::NationalId, cleanup::parse_national_id);
    let salary = problems.parse(row, Column::Salary, cleanup::parse_money);
    if problems.0.len() > before {
        return None;
    }
    let (emp_no, name, place, hire_date, status) = (emp_no?, name?, place?, hire_date?, status?);
    let existing = directory.by_emp_no(emp_no).map(|e| e.id);
    if existing.is_some() && !options.update {
        problems.add(
            row.line,
            Column::EmpNo,
            tr!("staff.import.exists", emp_no = emp_no),
        );
        problems.1 += 1;
        return None;
    }
    let department = match &place {
        Place::Existing(id) => *id,
        Place::New(_) => DepartmentId(0),
    };
    Some(Planned {
        line: row.line,
        record: Employee {
            id: existing.unwrap_or(EmployeeId(0)),
            emp_no: emp_no.to_string(),
            name: name.to_string(),
            department,
            title: row.get(Column::Title).unwrap_or_default().to_string(),
            grade: row.get(Column::Grade).unwrap_or_default().to_string(),
            manager: None,
            hire_date,
            status,
            phone: phone.unwrap_or_default(),
            email: email.unwrap_or_default(),
            national_id: national_id.unwrap_or_default(),
            salary,
        },
        place,
        manager_emp_no: row.get(Column::Manager).map(str::to_string),
        existing,
    })
}

/// For an existing employee, the columns the sheet does not have keep their
/// current values (a sheet of numbers and salaries changes only salaries).
fn keep_absent_columns(mut row: Planned, columns: &[Column], directory: &Directory) -> Planned {
    let Some(current) = row.existing.and_then(|id| directory.get(id)) else {
        return row;
    };
    let r = &mut row.record;
    for column in Column::ALL.iter().filter(|c| !columns.contains(c)) {
        match column {
            Column::Title => r.title = current.title.clone(),
            Column::Grade => r.grade = current.grade.clone(),
            Column::Status => r.status = current.status,
            Column::Phone => r.phone = current.phone.clone(),
            Column::Email => r.email = current.email.clone(),
            Column::NationalId => r.national_id = current.national_id.clone(),
            Column::Salary => r.salary = current.salary,
            Column::Manager => {
                row.manager_emp_no = current.manager.map(|m| directory.emp_no(m));
            }
            // Required columns are always present.
            Column::EmpNo | Column::Name | Column::Department | Column::HireDate => {}
        }
    }
    row
}

/// Nobody may end up departed while people who stay active report to them.
/// A change of an existing person's status is a lifecycle event (a leave,
/// a return, a departure with its date, reason and consequences, a
/// rehire), never a correction made by `--update`: refused with where to
/// record it instead.
fn check_status_changes(planned: &[Planned], directory: &Directory, problems: &mut Problems) {
    for row in planned {
        let Some(current) = row.existing.and_then(|id| directory.get(id)) else {
            continue;
        };
        if current.status != row.record.status {
            problems.add(
                row.line,
                Column::Status,
                tr!(
                    "staff.import.status_change",
                    from = current.status.label(),
                    to = row.record.status.label()
                ),
            );
        }
    }
}

fn check_departures(planned: &[Planned], directory: &Directory, problems: &mut Problems) {
    let mut final_state: HashMap<&str, (Status, Option<&str>)> = HashMap::new();
    let manager_no = |e: &Employee| {
        e.manager
            .and_then(|m| directory.get(m))
            .map(|m| m.emp_no.as_str())
    };
    for e in directory.employees() {
        final_state.insert(&e.emp_no, (e.status, manager_no(e)));
    }
    for row in planned {
        final_state.insert(
            &row.record.emp_no,
            (row.record.status, row.manager_emp_no.as_deref()),
        );
    }
    let mut active_reports: HashMap<&str, usize> = HashMap::new();
    for (status, manager) in final_state.values() {
        if let (Some(manager), true) = (manager, *status != Status::Departed) {
            *active_reports.entry(manager).or_default() += 1;
        }
    }
    for row in planned
        .iter()
        .filter(|r| r.record.status == Status::Departed)
    {
        if let Some(&reports) = active_reports.get(row.record.emp_no.as_str()) {
            problems.add(
                row.line,
                Column::Status,
                tr!(
                    "staff.error.manages_active_staff",
                    name = row.record.name,
                    reports = reports
                ),
            );
        }
    }
}

/// The same employee number, national ID, or name and phone twice in the
/// file, or belonging to someone else in the database.
fn check_duplicates(planned: &[Planned], directory: &Directory, problems: &mut Problems) {
    let mut seen: HashMap<DuplicateKey<'_>, usize> = HashMap::new();
    let mut claimed_by_db: HashMap<DuplicateKey<'_>, &Employee> = HashMap::new();
    for employee in directory.employees() {
        for key in duplicate_keys(employee).into_iter().skip(1).flatten() {
            claimed_by_db.insert(key, employee);
        }
    }
    for row in planned {
        for key in duplicate_keys(&row.record).into_iter().flatten() {
            let column = key.0;
            if let Some(&first) = seen.get(&key) {
                problems.add(
                    row.line,
                    column,
                    tr!("staff.import.duplicate_in_file", line = first),
                );
                continue;
            }
            seen.insert(key, row.line);
            if let Some(holder) = claimed_by_db.get(&key)
                && holder.emp_no != row.record.emp_no
            {
                problems.add(
                    row.line,
                    column,
                    tr!(
                        "staff.import.duplicate_in_db",
                        emp_no = holder.emp_no,
                        name = holder.name
                    ),
                );
            }
        }
    }
}

/// What must not occur twice: the column it is reported on and the values
/// (a second value only for name + phone), borrowed from the record.
type DuplicateKey<'a> = (Column, &'a str, &'a str);

/// A record's keys: its number, its national ID, its name with its phone.
fn duplicate_keys(e: &Employee) -> [Option<DuplicateKey<'_>>; 3] {
    [
        Some((Column::EmpNo, e.emp_no.as_str(), "")),
        (!e.national_id.is_empty()).then_some((Column::NationalId, e.national_id.as_str(), "")),
        (!e.phone.is_empty()).then_some((Column::Phone, e.name.as_str(), e.phone.as_str())),
    ]
}

/// Manager numbers must name someone in the file or the database who has
/// not departed, not the row itself, and must not close a loop.
fn check_managers(planned: &mut [Planned], directory: &Directory, problems: &mut Problems) {
    // Ids for the check: the database's, and stand-ins for new rows.
    let mut id_of: HashMap<String, EmployeeId> = directory
        .employees()
        .iter()
        .map(|e| (e.emp_no.clone(), e.id))
        .collect();
    for (i, row) in planned.iter().enumerate() {
        if row.existing.is_none() {
            id_of.insert(row.record.emp_no.clone(), EmployeeId(u64::MAX - i as u64));
        }
    }
    let status_in_file: HashMap<String, Status> = planned
        .iter()
        .map(|r| (r.record.emp_no.clone(), r.record.status))
        .collect();
    let mut manager_of: HashMap<EmployeeId, EmployeeId> = directory
        .employees()
        .iter()
        .filter_map(|e| Some((e.id, e.manager?)))
        .collect();
    let mut resolved = Vec::with_capacity(planned.len());
    for row in planned.iter() {
        let me = id_of[row.record.emp_no.as_str()];
        manager_of.remove(&me);
        let Some(boss_no) = &row.manager_emp_no else {
            resolved.push(None);
            continue;
        };
        let departed = status_in_file
            .get(boss_no.as_str())
            .copied()
            .or_else(|| directory.by_emp_no(boss_no).map(|e| e.status))
            == Some(Status::Departed);
        let message = match id_of.get(boss_no.as_str()) {
            None => Some(tr!("staff.import.unknown_manager", emp_no = boss_no)),
            Some(_) if *boss_no == row.record.emp_no => Some(tr!("staff.check.self_manager")),
            Some(_) if departed => Some(tr!("staff.check.departed_manager", name = boss_no)),
            Some(&boss) => {
                manager_of.insert(me, boss);
                None
            }
        };
        if let Some(message) = message {
            problems.add(row.line, Column::Manager, message);
        }
        resolved.push(id_of.get(boss_no.as_str()).copied());
    }
    for (row, boss) in planned.iter_mut().zip(resolved) {
        let Some(boss) = boss else { continue };
        let me = id_of[row.record.emp_no.as_str()];
        if boss == me {
            // Reported above as being one's own manager.
            continue;
        }
        let others = |id: EmployeeId| {
            if id == me {
                None
            } else {
                manager_of.get(&id).copied()
            }
        };
        if creates_cycle(me, boss, others) {
            problems.add(
                row.line,
                Column::Manager,
                tr!("staff.import.manager_cycle", emp_no = row.record.emp_no),
            );
        }
        // Stand-in ids are replaced by real ones when the row is written.
        row.record.manager = Some(boss);
    }
}

/// Counts what a clean import does, and names the departments it creates.
fn summarize(planned: &[Planned], directory: &Directory) -> ImportSummary {
    let mut summary = ImportSummary {
        created_departments: new_departments(planned, &directory.tree),
        ..ImportSummary::default()
    };
    for row in planned {
        match row.existing.and_then(|id| directory.get(id)) {
            None => summary.inserted += 1,
            Some(current) if same_record(current, &row.record, row, directory) => {
                summary.unchanged += 1
            }
            Some(_) => summary.updated += 1,
        }
    }
    summary
}

/// Whether a row leaves an existing record as it is.
fn same_record(
    current: &Employee,
    incoming: &Employee,
    row: &Planned,
    directory: &Directory,
) -> bool {
    let manager_no = current
        .manager
        .and_then(|m| directory.get(m))
        .map(|m| m.emp_no.clone());
    let place_same = row.place == Place::Existing(current.department);
    Employee {
        manager: current.manager,
        department: current.department,
        ..incoming.clone()
    } == *current
        && manager_no == row.manager_emp_no
        && place_same
}

/// Rows sorted so that a manager new in this file is written before their reports.
fn order_managers_first(planned: &mut Vec<Planned>) {
    let index: HashMap<String, usize> = planned
        .iter()
        .enumerate()
        .map(|(i, r)| (r.record.emp_no.clone(), i))
        .collect();
    let depth = |start: usize| {
        let mut depth = 0;
        let mut cursor = planned[start].manager_emp_no.as_deref();
        while let Some(boss) = cursor.and_then(|no| index.get(no)) {
            depth += 1;
            if depth > planned.len() {
                break;
            }
            cursor = planned[*boss].manager_emp_no.as_deref();
        }
        depth
    };
    let depths: Vec<usize> = (0..planned.len()).map(depth).collect();
    let mut rows: Vec<(usize, Planned)> = depths.into_iter().zip(std::mem::take(planned)).collect();
    // A stable sort keeps the file's order among rows of the same depth.
    rows.sort_by_key(|(depth, _)| *depth);
    *planned = rows.into_iter().map(|(_, row)| row).collect();
}

/// Creates the departments rows asked for, parents first; returns their ids and paths.
fn create_departments(
    w: &mut Writer<'_>,
    directory: &Directory,
    planned: &mut [Planned],
) -> Result<Vec<(DepartmentId, String)>, StoreError> {
    let finder = DepartmentFinder::new(&directory.tree);
    let mut made: HashMap<Vec<String>, DepartmentId> = HashMap::new();
    let mut created = Vec::new();
    for row in planned.iter_mut() {
        let Place::New(parts) = &row.place else {
            continue;
        };
        let mut parent: Option<DepartmentId> = None;
        for depth in 1..=parts.len() {
            let prefix = parts[..depth].to_vec();
            let existing = finder
                .find(&prefix.join(" / "))
                .ok()
                .filter(|id| directory.tree.get(*id).is_some_and(|d| d.parent == parent));
            let id = match (existing, made.get(&prefix)) {
                (Some(id), _) | (None, Some(&id)) => id,
                (None, None) => {
                    let dept = w.add_department(&prefix[depth - 1], parent, None)?;
                    w.audit(
                        AuditRecord::new("department.add", "department", dept.id)
                            .after(dept.summary("")),
                    )?;
                    created.push((dept.id, prefix.join(" / ")));
                    made.insert(prefix.clone(), dept.id);
                    dept.id
                }
            };
            parent = Some(id);
        }
        if let Some(id) = parent {
            row.record.department = id;
        }
    }
    Ok(created)
}

/// Writes the rows (managers first): new people in one batch with their
/// hire events, changed ones as corrections. Manager numbers become ids,
/// those of people new in this file included.
fn write_rows(
    w: &mut Writer<'_>,
    planned: &[Planned],
    mut names: WrittenNames<'_>,
    operator: &str,
    recorded_at: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
    progress: &Progress,
) -> Result<(), StoreError> {
    let directory = names.directory;
    let mut real: HashMap<&str, EmployeeId> = directory
        .employees()
        .iter()
        .map(|e| (e.emp_no.as_str(), e.id))
        .collect();
    let new_rows = planned.iter().filter(|r| r.existing.is_none()).count();
    let first = w.reserve_employee_ids(new_rows)?.0;
    let new = planned.iter().filter(|r| r.existing.is_none());
    for (id, row) in (first..).map(EmployeeId).zip(new) {
        real.insert(&row.record.emp_no, id);
        names.new_employees.insert(id, row.record.emp_no.clone());
    }
    let event = |employee: EmployeeId, kind, effective, changes| LifecycleEvent {
        employee,
        kind,
        effective,
        operator: operator.to_string(),
        recorded_at,
        changes,
    };
    let mut batch = Vec::with_capacity(new_rows);
    for row in planned {
        if progress.is_cancelled() {
            // The caller's check before the commit ends the transaction.
            return Ok(());
        }
        let mut record = row.record.clone();
        record.manager = row
            .manager_emp_no
            .as_deref()
            .and_then(|no| real.get(no).copied());
        match row.existing.and_then(|id| directory.get(id)) {
            None => {
                record.id = real[row.record.emp_no.as_str()];
                let changes = record.as_new(&names);
                let hire = event(record.id, EventKind::Hire, record.hire_date, changes);
                batch.push((record, hire));
            }
            Some(current) => {
                let changes = current.diff(&record, &names);
                if !changes.is_empty() {
                    w.update_employee(&record)?;
                    w.append_event(&event(record.id, EventKind::Correction, today, changes))?;
                }
                progress.advance();
            }
        }
    }
    // In chunks, so that the rows written are counted and a cancel is
    // seen as they go.
    for chunk in batch.chunks(WRITE_CHUNK) {
        if progress.is_cancelled() {
            return Ok(());
        }
        w.add_reserved_employees(chunk)?;
        progress.advance_by(chunk.len());
    }
    Ok(())
}

/// New employees written between two looks at the cancel flag.
const WRITE_CHUNK: usize = 500;

/// Names for history while an import writes: every department's path, and
/// the directory's employees plus those this import adds.
struct WrittenNames<'d> {
    directory: &'d Directory,
    /// Paths of all departments, those this import created included.
    department_paths: HashMap<DepartmentId, String>,
    new_employees: HashMap<EmployeeId, String>,
}

impl Names for WrittenNames<'_> {
    fn department(&self, id: DepartmentId) -> String {
        self.department_paths.get(&id).cloned().unwrap_or_default()
    }

    fn emp_no(&self, id: EmployeeId) -> String {
        self.new_employees
            .get(&id)
            .cloned()
            .unwrap_or_else(|| self.directory.emp_no(id))
    }
}
