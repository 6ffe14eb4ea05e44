//! The checking half of an import: reads the rows one at a time, checks
//! each (its values, department, duplicates, manager, status) and hands the
//! clean ones on in batches, numbered as they will be stored, while the
//! other half writes; the whole-file checks run once the last row is read.
//! Once a problem is found nothing more is handed on (nothing will be
//! written), but every row is still checked so that all problems are told.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::ledger::{Boss, Ledger};
use super::{
    ImportOptions, ImportSummary, Place, PlaceCache, Planned, Problems, RowProblem,
    keep_absent_columns, plan_row, same_record, status_change,
};
use crate::domain::department::DepartmentFinder;
use crate::domain::directory::Directory;
use crate::domain::employee::EmployeeId;
use crate::import::{Column, ImportError, RawRow};
use crate::service::Progress;
use crate::tr;

/// Rows handed on at once.
const BATCH: usize = 512;

/// What the checks are made against.
pub(super) struct Against<'d> {
    pub directory: &'d Directory,
    pub options: ImportOptions,
    pub columns: &'d [Column],
    /// The id the first new employee will get.
    pub first: EmployeeId,
}

/// The verdict on a whole sheet.
pub(super) struct Checked {
    /// Every problem, sorted by line; none for a clean sheet.
    pub problems: Vec<RowProblem>,
    pub summary: ImportSummary,
    /// Changes of people whose new manager is new further down the file:
    /// handed on last, with that manager.
    pub held: Vec<Planned>,
    /// New people whose manager is new further down, with that manager.
    pub managers: Vec<(EmployeeId, EmployeeId)>,
}

/// Checks every row of `rows`, handing batches of clean rows to `hand_on`
/// (which answers whether it still wants them) until a problem is found.
/// A row the reader cannot read stops the check with its error.
pub(super) fn check_rows(
    rows: impl Iterator<Item = Result<RawRow, ImportError>>,
    against: &Against<'_>,
    progress: &Progress,
    mut hand_on: impl FnMut(Vec<Planned>) -> bool,
) -> Result<Checked, ImportError> {
    let directory = against.directory;
    let finder = DepartmentFinder::new(&directory.tree);
    let mut places = PlaceCache {
        finder: &finder,
        found: HashMap::new(),
    };
    let mut ledger = Ledger::new(directory);
    let mut problems = Problems(Vec::new(), 0);
    let mut summary = ImportSummary::default();
    let mut paths = NewPaths::default();
    let mut batch = Vec::with_capacity(BATCH);
    let mut held = Vec::new();
    let mut wanted = true;
    let (mut read, mut first_line, mut next_new) = (0, None, against.first.0);
    for row in rows {
        if progress.is_cancelled() {
            break;
        }
        let row = row?;
        progress.advance();
        read += 1;
        first_line.get_or_insert(row.line);
        let Some(planned) = plan_row(&row, &mut places, directory, against.options, &mut problems)
        else {
            continue;
        };
        let mut planned = keep_absent_columns(planned, against.columns, directory);
        if let Some(message) = status_change(&planned, directory) {
            problems.add(planned.line, Column::Status, message);
        }
        let node = planned.existing.unwrap_or(EmployeeId(next_new));
        let boss = ledger.add(&planned, node, &mut problems);
        count(&mut summary, &planned, directory);
        paths.note(&planned, &finder);
        if planned.existing.is_none() {
            planned.record.id = node;
            next_new += 1;
        }
        planned.record.manager = match boss {
            Boss::Known(id) => Some(id),
            Boss::None | Boss::Later => None,
        };
        wanted &= problems.0.is_empty();
        if !wanted {
            batch.clear();
            continue;
        }
        if boss == Boss::Later && planned.existing.is_some() {
            held.push(planned);
            continue;
        }
        batch.push(planned);
        if batch.len() == BATCH {
            wanted = hand_on(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
        }
    }
    let managers = ledger.finish(&mut problems);
    if wanted && problems.0.is_empty() && !batch.is_empty() {
        hand_on(batch);
    }
    if !held.is_empty() {
        let boss_of: HashMap<EmployeeId, EmployeeId> = managers.iter().copied().collect();
        for row in &mut held {
            row.record.manager = boss_of.get(&row.record.id).copied();
        }
    }
    summary.created_departments = paths.list;
    Ok(Checked {
        problems: sorted(problems, read, first_line),
        summary,
        held,
        managers,
    })
}

/// Counts what a clean row does: inserts, updates or leaves as it is.
fn count(summary: &mut ImportSummary, row: &Planned, directory: &Directory) {
    match row.existing.and_then(|id| directory.get(id)) {
        None => summary.inserted += 1,
        Some(current) if same_record(current, &row.record, row, directory) => {
            summary.unchanged += 1
        }
        Some(_) => summary.updated += 1,
    }
}

/// The problems by line; a sheet of people already there, imported again
/// without `--update`, is said once, not once per row.
fn sorted(mut problems: Problems, read: usize, first_line: Option<usize>) -> Vec<RowProblem> {
    let all_existing = problems.1 == read && problems.0.len() == problems.1;
    if all_existing && let Some(line) = first_line {
        return vec![RowProblem {
            line,
            column: Some(Column::EmpNo),
            message: tr!("staff.import.all_exist", count = read),
        }];
    }
    problems.0.sort_by_key(|p| (p.line, p.column));
    problems.0
}

/// The paths of the departments a clean import creates: every missing
/// level once, in the order the sheet first needs them.
#[derive(Default)]
struct NewPaths {
    list: Vec<String>,
    seen: HashSet<Vec<String>>,
}

impl NewPaths {
    fn note(&mut self, row: &Planned, finder: &DepartmentFinder<'_>) {
        let Place::New(parts) = &row.place else {
            return;
        };
        if self.seen.contains(parts) {
            return;
        }
        for depth in 1..=parts.len() {
            let prefix = parts[..depth].to_vec();
            let path = prefix.join(" / ");
            if !self.seen.contains(&prefix) && finder.find(&path).is_err() {
                self.list.push(path);
            }
            self.seen.insert(prefix);
        }
    }
}
