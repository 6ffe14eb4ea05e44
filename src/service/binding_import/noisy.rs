//! Noisy provider logs (logins, confirmations): by default the rows that
//! make sense are applied and the others skipped, each with its reasons;
//! `--strict` keeps all or nothing. The applied rows go in as one
//! transaction with their audit entries and one entry for the import's
//! counts; a binding changed by someone else since the sheet was read
//! still refuses the whole batch.

use foldhash::HashSet;

use super::super::score_import::outcome;
use super::super::{OpError, Session, SheetOutcome, SheetProblem};
use crate::domain::audit::AuditRecord;
use crate::domain::binding::Binding;
use crate::domain::employee::EmployeeId;
use crate::store::Writer;

/// How a noisy sheet is taken.
#[derive(Clone, Copy, Debug)]
pub struct SheetMode<'a> {
    /// Check only: nothing is written.
    pub dry_run: bool,
    /// All or nothing (`--strict`): any problem and nothing is written.
    pub strict: bool,
    /// The file's name, as the import's audit entry records it.
    pub source: &'a str,
}

/// What a lenient import did with a sheet (or, in a dry run, would do).
#[derive(Clone, Debug, PartialEq)]
pub struct Lenient<C> {
    /// Rows taken.
    pub applied: usize,
    /// Bindings those rows changed, and whose they are.
    pub changes: usize,
    pub people: usize,
    /// The problems of the rows left out, each with its line.
    pub skipped: Vec<SheetProblem<C>>,
}

impl<C> Lenient<C> {
    /// How many rows were left out (a row may have several problems).
    pub fn skipped_rows(&self) -> usize {
        skipped_lines(&self.skipped)
    }
}

/// The outcome of a noisy sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum RowsOutcome<C> {
    /// `--strict`: all or nothing, as any other sheet.
    Strict(SheetOutcome<C>),
    /// The rows that made sense, applied; the rest skipped.
    Lenient(Lenient<C>),
}

/// One kind of noisy sheet: the action its changes are logged under, how
/// its entries tell a binding, and its name in the import's entry.
pub(super) struct NoisyKind {
    pub(super) action: &'static str,
    pub(super) describe: fn(&Binding) -> String,
    pub(super) sheet: &'static str,
}

fn skipped_lines<C>(problems: &[SheetProblem<C>]) -> usize {
    problems
        .iter()
        .map(|p| p.line)
        .collect::<HashSet<_>>()
        .len()
}

/// A noisy sheet as checked: how many rows it had, the problems of the
/// rows left out, and what the good rows change.
pub(super) struct Checked<C, T> {
    pub(super) rows: usize,
    pub(super) problems: Vec<SheetProblem<C>>,
    pub(super) changes: Vec<T>,
}

impl Session {
    /// Ends a checked noisy sheet: all or nothing when strict, else the
    /// changes of the good rows written by `write` (unless a dry run) with
    /// an entry for the import's counts, and the problems reported as
    /// skipped rows. `employee` tells whose binding a change is.
    pub(super) fn settle<C, T>(
        &self,
        kind: &NoisyKind,
        checked: Checked<C, T>,
        employee: impl Fn(&T) -> EmployeeId,
        write: impl Fn(&mut Writer<'_>, &[T]) -> Result<usize, OpError>,
        mode: SheetMode<'_>,
    ) -> Result<RowsOutcome<C>, OpError> {
        let Checked {
            rows,
            problems,
            changes,
        } = checked;
        if mode.strict {
            let record = |all: &[T]| self.write_checked(|w| write(w, all));
            return outcome(problems, &changes, employee, mode.dry_run, record)
                .map(RowsOutcome::Strict);
        }
        let skipped = skipped_lines(&problems);
        let applied = rows.saturating_sub(skipped);
        if !mode.dry_run {
            let counts = AuditRecord::new("binding.import", "binding", "*").after(format!(
                "sheet={} file={} applied={applied} skipped={skipped} changed={}",
                kind.sheet,
                mode.source,
                changes.len()
            ));
            self.write_checked(|w| {
                write(w, &changes)?;
                w.audit(counts)?;
                Ok(())
            })?;
        }
        Ok(RowsOutcome::Lenient(Lenient {
            applied,
            changes: changes.len(),
            people: changes.iter().map(employee).collect::<HashSet<_>>().len(),
            skipped: problems,
        }))
    }
}
