//! Importing goal actuals from a sheet: every row is resolved and checked
//! first (the goal, by id or by the owner's number and the goal's title; the
//! date; the value; the same goal and date only once); any problem and
//! nothing is written. A clean sheet is recorded in one transaction.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{OpError, Session};
use crate::domain::cleanup::{parse_date, parse_number};
use crate::domain::directory::Directory;
use crate::domain::goal::edit::{check_actual, check_actual_date};
use crate::domain::goal::tree::GoalTree;
use crate::domain::goal::{Goal, GoalId, Owner};
use crate::import::{ActualsColumn, ActualsRow};
use crate::tr;

/// One problem of an actuals sheet: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActualsProblem {
    pub line: usize,
    pub column: Option<ActualsColumn>,
    pub message: String,
}

/// The result of checking (and perhaps recording) an actuals sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActualsOutcome {
    /// Clean: how many actuals for how many goals (recorded unless a dry run).
    Clean {
        actuals: usize,
        goals: usize,
    },
    Problems(Vec<ActualsProblem>),
}

/// Collects problems while rows are checked.
struct Problems(Vec<ActualsProblem>);

impl Problems {
    fn add(&mut self, line: usize, column: Option<ActualsColumn>, message: String) {
        self.0.push(ActualsProblem {
            line,
            column,
            message,
        });
    }

    /// The parsed value of a required cell.
    fn required<T, E: ToString>(
        &mut self,
        line: usize,
        column: ActualsColumn,
        cell: Option<&String>,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        let Some(text) = cell else {
            self.add(line, Some(column), tr!("staff.check.required"));
            return None;
        };
        parse(text)
            .map_err(|e| self.add(line, Some(column), e.to_string()))
            .ok()
    }
}

/// The goal a row names, or why it names none.
fn find_goal<'t>(
    row: &ActualsRow,
    date: Option<NaiveDate>,
    tree: &'t GoalTree,
    directory: &Directory,
) -> Result<&'t Goal, (ActualsColumn, String)> {
    if let Some(text) = &row.goal_id {
        let id = GoalId::parse(text).ok_or_else(|| {
            (
                ActualsColumn::GoalId,
                tr!("goal.error.goal_ref", value = text),
            )
        })?;
        return tree.get(id).ok_or_else(|| {
            (
                ActualsColumn::GoalId,
                tr!("goal.error.unknown_goal", id = id),
            )
        });
    }
    let (Some(emp_no), Some(title)) = (&row.emp_no, &row.goal_title) else {
        return Err((ActualsColumn::GoalId, tr!("goal.import.name_the_goal")));
    };
    let person = directory.by_emp_no(emp_no).ok_or_else(|| {
        (
            ActualsColumn::EmpNo,
            tr!("staff.check.no_employee", emp_no = emp_no),
        )
    })?;
    let owned: Vec<&Goal> = tree
        .goals()
        .iter()
        .filter(|g| g.owner == Owner::Employee(person.id) && *g.title == **title)
        .collect();
    // Goals of the same title in several periods: the one the date falls in.
    let in_period: Vec<&Goal> = match date {
        Some(date) if owned.len() > 1 => owned
            .iter()
            .copied()
            .filter(|g| g.period.contains_date(date))
            .collect(),
        _ => owned,
    };
    match in_period.as_slice() {
        [goal] => Ok(goal),
        [] => Err((
            ActualsColumn::GoalTitle,
            tr!("goal.import.no_such_goal", emp_no = emp_no, title = title),
        )),
        _ => Err((
            ActualsColumn::GoalTitle,
            tr!("goal.import.ambiguous", emp_no = emp_no, title = title),
        )),
    }
}

impl Session {
    /// Checks `rows` and, when clean and not a dry run, records them as
    /// actuals from `source` (the file) in one transaction.
    pub fn import_actuals(
        &self,
        rows: &[ActualsRow],
        source: &str,
        dry_run: bool,
    ) -> Result<ActualsOutcome, OpError> {
        let tree = self.goal_tree()?;
        let directory = self.directory()?;
        let today = self.today();
        let mut problems = Problems(Vec::new());
        let mut entries = Vec::new();
        let mut seen: HashMap<(GoalId, NaiveDate), usize> = HashMap::new();
        for row in rows {
            let date =
                problems.required(row.line, ActualsColumn::Date, row.date.as_ref(), parse_date);
            let value = problems.required(
                row.line,
                ActualsColumn::Value,
                row.value.as_ref(),
                parse_number,
            );
            let goal = match find_goal(row, date, &tree, &directory) {
                Ok(goal) => goal,
                Err((column, message)) => {
                    problems.add(row.line, Some(column), message);
                    continue;
                }
            };
            if let Err(err) = check_actual(goal) {
                problems.add(row.line, None, format!("{} {}: {err}", goal.id, goal.title));
                continue;
            }
            let (Some(date), Some(value)) = (date, value) else {
                continue;
            };
            if let Err(err) = check_actual_date(goal, date, today) {
                problems.add(row.line, Some(ActualsColumn::Date), err.to_string());
                continue;
            }
            if let Some(first) = seen.insert((goal.id, date), row.line) {
                problems.add(
                    row.line,
                    None,
                    tr!(
                        "goal.import.duplicate",
                        line = first,
                        goal = goal.id,
                        date = date
                    ),
                );
                continue;
            }
            entries.push((goal.id, date, value));
        }
        if !problems.0.is_empty() {
            return Ok(ActualsOutcome::Problems(problems.0));
        }
        let goals = seen
            .keys()
            .map(|(g, _)| *g)
            .collect::<std::collections::HashSet<_>>()
            .len();
        if !dry_run && !entries.is_empty() {
            self.record_actuals(&entries, source)?;
        }
        Ok(ActualsOutcome::Clean {
            actuals: entries.len(),
            goals,
        })
    }
}
