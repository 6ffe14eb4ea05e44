//! Importing a cycle's ratings and indicator values from sheets: every row
//! is resolved (the cycle by name, people by employee number) and checked
//! against its cycle first, each problem with its line and column; any
//! problem and nothing is written. A clean sheet is recorded in one
//! transaction through the same operations the console uses.

use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashSet};

use super::ratings::{RatingCheck, RatingEntry};
use super::reach::Reach;
use super::{OpError, Session};
use crate::domain::cleanup::parse_number;
use crate::domain::employee::EmployeeId;
use crate::domain::scoring::entry::{ScoringError, check_indicator};
use crate::domain::scoring::outcomes::{Course, CourseCatalogue};
use crate::domain::scoring::{Basis, Cycle, EntrySource, IndicatorValue, RaterGroup, Rating};
use crate::import::{
    CoursesColumn, ImportError, IndicatorsColumn, RatingsColumn, SheetColumn, SheetRow,
};
use crate::tr;

/// One problem of a sheet: where, and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetProblem<C> {
    pub line: usize,
    pub column: Option<C>,
    pub message: String,
}

/// The result of checking (and perhaps recording) a cycle's sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum SheetOutcome<C> {
    /// Clean: how many rows for how many people (recorded unless a dry run).
    Clean {
        rows: usize,
        people: usize,
    },
    Problems(Vec<SheetProblem<C>>),
}

/// Looks up cycles and people once each while rows are checked, and
/// collects the problems found (every sheet import's bookkeeping).
pub(super) struct Resolver<'s, C> {
    session: &'s Session,
    cycles: HashMap<String, Option<Cycle>>,
    reach: Reach,
    people: HashMap<String, Option<EmployeeId>>,
    pub(super) problems: Vec<SheetProblem<C>>,
}

impl<'s, C: SheetColumn> Resolver<'s, C> {
    pub(super) fn new(session: &'s Session) -> Result<Self, OpError> {
        Ok(Resolver {
            session,
            cycles: HashMap::default(),
            reach: Reach::new(session)?,
            people: HashMap::default(),
            problems: Vec::new(),
        })
    }

    /// Notes a problem of the cell at `line` under `column`.
    pub(super) fn add(&mut self, line: usize, column: C, message: String) {
        self.problems.push(SheetProblem {
            line,
            column: Some(column),
            message,
        });
    }

    /// The cell under `column`, or a problem when it is empty.
    pub(super) fn required<'r>(&mut self, row: &'r SheetRow<C>, column: C) -> Option<&'r str> {
        let cell = row.get(column);
        if cell.is_none() {
            self.add(row.line, column, tr!("staff.check.required"));
        }
        cell
    }

    /// The open cycle a row names, with who is appraised in it.
    fn cycle(&mut self, row: &SheetRow<C>, column: C) -> Result<Option<&Cycle>, OpError> {
        let Some(name) = self.required(row, column) else {
            return Ok(None);
        };
        let key = name.trim().to_lowercase();
        if let Entry::Vacant(slot) = self.cycles.entry(key.clone()) {
            let found = match self.session.cycle_named(name) {
                Ok(cycle) => Some(cycle),
                Err(OpError::Scoring(ScoringError::UnknownCycle(_))) => None,
                Err(other) => return Err(other),
            };
            slot.insert(found);
        }
        if self.cycles.get(&key).is_some_and(Option::is_none) {
            let message = ScoringError::UnknownCycle(name.trim().to_string()).to_string();
            self.add(row.line, column, message);
        }
        Ok(self.cycles.get(&key).and_then(Option::as_ref))
    }

    /// The employee a number names.
    pub(super) fn person(
        &mut self,
        row: &SheetRow<C>,
        column: C,
    ) -> Result<Option<EmployeeId>, OpError> {
        let Some(emp_no) = self.required(row, column) else {
            return Ok(None);
        };
        let emp_no = emp_no.trim().to_string();
        let id = match self.people.get(&emp_no) {
            Some(known) => *known,
            None => {
                let found = self
                    .session
                    .store()
                    .employee_by_emp_no(&emp_no)?
                    .map(|e| e.id);
                self.people.insert(emp_no.clone(), found);
                found
            }
        };
        if id.is_none() {
            self.add(
                row.line,
                column,
                tr!("staff.check.no_employee", emp_no = emp_no),
            );
        }
        Ok(id)
    }
}

/// A checked sheet's outcome: its problems, or (recorded unless a dry run)
/// how many entries for how many people.
pub(super) fn outcome<C, T>(
    problems: Vec<SheetProblem<C>>,
    entries: &[T],
    person: impl Fn(&T) -> EmployeeId,
    dry_run: bool,
    record: impl FnOnce(&[T]) -> Result<usize, OpError>,
) -> Result<SheetOutcome<C>, OpError> {
    if !problems.is_empty() {
        return Ok(SheetOutcome::Problems(problems));
    }
    let people = entries.iter().map(person).collect::<HashSet<_>>().len();
    if !dry_run {
        record(entries)?;
    }
    Ok(SheetOutcome::Clean {
        rows: entries.len(),
        people,
    })
}

/// The column a refusal of a checked rating is about; `None` for a
/// failure that is no refusal of the row (the store's).
fn rating_column(err: &OpError) -> Option<RatingsColumn> {
    Some(match err {
        OpError::Scoring(scoring) => match scoring {
            ScoringError::UnknownCompetency(_) => RatingsColumn::Competency,
            ScoringError::MarkOutOfScale { .. } => RatingsColumn::Mark,
            ScoringError::SelfRating | ScoringError::Relation { .. } => RatingsColumn::Group,
            ScoringError::UnknownRater(_) => RatingsColumn::Rater,
            ScoringError::NotAppraised(_) => RatingsColumn::EmpNo,
            ScoringError::Comment(_) => RatingsColumn::Comment,
            _ => RatingsColumn::Cycle,
        },
        OpError::Denied(_) => RatingsColumn::OverrideReason,
        _ => return None,
    })
}

fn indicator_column(err: &ScoringError) -> IndicatorsColumn {
    match err {
        ScoringError::UnknownIndicator(_) | ScoringError::ComputedIndicator => {
            IndicatorsColumn::Indicator
        }
        ScoringError::ValueOutOfRange(_) => IndicatorsColumn::Value,
        _ => IndicatorsColumn::Cycle,
    }
}

impl Session {
    /// Checks a ratings sheet and, when clean and not a dry run, records it.
    pub fn import_ratings(
        &self,
        rows: impl Iterator<Item = Result<SheetRow<RatingsColumn>, ImportError>>,
        dry_run: bool,
    ) -> Result<SheetOutcome<RatingsColumn>, OpError> {
        use RatingsColumn as Col;
        let mut resolver = Resolver::new(self)?;
        let mut check = RatingCheck::new(self)?;
        let mut ratings: Vec<RatingEntry> = Vec::new();
        let mut seen: HashMap<(String, EmployeeId, EmployeeId, String), usize> = HashMap::default();
        for row in rows {
            let row = &row?;
            let cycle = resolver.cycle(row, Col::Cycle)?.cloned();
            let ratee = resolver.person(row, Col::EmpNo)?;
            let rater = resolver.person(row, Col::Rater)?;
            let group = resolver.required(row, Col::Group).and_then(|text| {
                let group = RaterGroup::parse(text);
                if group.is_none() {
                    resolver.add(
                        row.line,
                        Col::Group,
                        tr!("scoring.import.group", value = text),
                    );
                }
                group
            });
            let competency = resolver.required(row, Col::Competency).map(str::to_string);
            let mark = resolver.required(row, Col::Mark).and_then(|text| {
                let mark = parse_number(text)
                    .ok()
                    .filter(|m| m.fract() == 0.0 && (0.0..=255.0).contains(m))
                    .map(|m| m as u8);
                if mark.is_none() {
                    resolver.add(
                        row.line,
                        Col::Mark,
                        tr!("scoring.import.mark", value = text),
                    );
                }
                mark
            });
            let (Some(cycle), Some(ratee), Some(rater), Some(group), Some(competency), Some(value)) =
                (cycle, ratee, rater, group, competency, mark)
            else {
                continue;
            };
            let entry = RatingEntry {
                rating: Rating {
                    cycle: cycle.id,
                    ratee,
                    rater,
                    group,
                    competency,
                    value,
                    comment: row.get(Col::Comment).unwrap_or_default().to_string(),
                    recorded_by: self.operator().user.clone(),
                    recorded_at: self.now(),
                    basis: Basis::Holds,
                    source: EntrySource::Import,
                },
                override_reason: row.get(Col::OverrideReason).map(str::to_string),
            };
            if let Err(err) = check.check(self, &entry) {
                let Some(column) = rating_column(&err) else {
                    return Err(err);
                };
                resolver.add(row.line, column, err.to_string());
                continue;
            }
            let key = (
                cycle.name.clone(),
                ratee,
                rater,
                entry.rating.competency.clone(),
            );
            if let Some(first) = seen.insert(key, row.line) {
                resolver.add(
                    row.line,
                    Col::Rater,
                    tr!("scoring.import.duplicate", line = first),
                );
                continue;
            }
            ratings.push(entry);
        }
        outcome(
            resolver.problems,
            &ratings,
            |e| e.rating.ratee,
            dry_run,
            |all| self.record_rating_entries(all),
        )
    }

    /// Checks an indicators sheet and, when clean and not a dry run, records it.
    pub fn import_indicators(
        &self,
        rows: impl Iterator<Item = Result<SheetRow<IndicatorsColumn>, ImportError>>,
        dry_run: bool,
    ) -> Result<SheetOutcome<IndicatorsColumn>, OpError> {
        use IndicatorsColumn as Col;
        let mut resolver = Resolver::new(self)?;
        let mut values = Vec::new();
        let mut seen: HashMap<(String, EmployeeId, String), usize> = HashMap::default();
        for row in rows {
            let row = &row?;
            let cycle = resolver.cycle(row, Col::Cycle)?.cloned();
            let employee = resolver.person(row, Col::EmpNo)?;
            let indicator = resolver.required(row, Col::Indicator).map(str::to_string);
            let number = resolver.required(row, Col::Value).and_then(|text| {
                parse_number(text)
                    .map_err(|err| resolver.add(row.line, Col::Value, err.to_string()))
                    .ok()
            });
            let (Some(cycle), Some(employee), Some(indicator), Some(value)) =
                (cycle, employee, indicator, number)
            else {
                continue;
            };
            let entry = IndicatorValue {
                cycle: cycle.id,
                employee,
                indicator,
                value,
                recorded_by: self.operator().user.clone(),
                recorded_at: self.now(),
            };
            if let Err(err) = check_indicator(&cycle, &entry) {
                resolver.add(row.line, indicator_column(&err), err.to_string());
                continue;
            }
            if !resolver.reach.appraised(self, &cycle, employee)? {
                let who = row.get(Col::EmpNo).unwrap_or_default().to_string();
                resolver.add(
                    row.line,
                    Col::EmpNo,
                    ScoringError::NotAppraised(who).to_string(),
                );
                continue;
            }
            let key = (cycle.name.clone(), employee, entry.indicator.clone());
            if let Some(first) = seen.insert(key, row.line) {
                resolver.add(
                    row.line,
                    Col::Indicator,
                    tr!("scoring.import.duplicate", line = first),
                );
                continue;
            }
            values.push(entry);
        }
        outcome(
            resolver.problems,
            &values,
            |v| v.employee,
            dry_run,
            |all| self.record_indicators(all),
        )
    }

    /// Checks a course catalogue sheet and, when clean and not a dry run,
    /// makes it the catalogue (replacing the one before).
    pub fn import_courses(
        &self,
        rows: impl Iterator<Item = Result<SheetRow<CoursesColumn>, ImportError>>,
        dry_run: bool,
    ) -> Result<SheetOutcome<CoursesColumn>, OpError> {
        use CoursesColumn as Col;
        let mut resolver = Resolver::new(self)?;
        let mut courses = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::default();
        for row in rows {
            let row = &row?;
            let code = resolver.required(row, Col::Code);
            let title = resolver.required(row, Col::Title);
            let competency = resolver.required(row, Col::Competency);
            let (Some(code), Some(title), Some(competency)) = (code, title, competency) else {
                continue;
            };
            if let Some(first) = seen.insert(code.to_string(), row.line) {
                resolver.add(
                    row.line,
                    Col::Code,
                    tr!("scoring.import.duplicate", line = first),
                );
                continue;
            }
            courses.push(Course {
                code: code.to_string(),
                title: title.to_string(),
                competency: competency.to_string(),
            });
        }
        if !resolver.problems.is_empty() {
            return Ok(SheetOutcome::Problems(resolver.problems));
        }
        let competencies = courses
            .iter()
            .map(|c| &c.competency)
            .collect::<HashSet<_>>()
            .len();
        let rows = courses.len();
        if !dry_run {
            self.set_course_catalogue(CourseCatalogue { courses })?;
        }
        Ok(SheetOutcome::Clean {
            rows,
            people: competencies,
        })
    }
}
