//! Whether a rating's rater stands to the person rated as its group says,
//! over the cycle's period (see `domain::scoring::relation`): each person's
//! stints are derived from their timeline (the recorded events after each
//! day undone, the scheduled ones up to it done, as `staff_as_of` does),
//! read once per batch, with the people's names for the messages and the
//! audit log.

use chrono::NaiveDate;
use foldhash::HashMap;

use super::{OpError, Session};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::{Employee, EmployeeId, EventKind, Field, FieldChange, Names, Status};
use crate::domain::schedule::{Pending, Scheduled};
use crate::domain::scoring::relation::{Broken, Stint, relation};
use crate::domain::scoring::{Basis, Cycle, Rating};
use crate::domain::timeline::fields_during;

/// The slot of `field` in a row of fields in [`Field::ALL`] order.
fn slot(field: Field) -> usize {
    Field::ALL.iter().position(|f| *f == field).unwrap_or(0)
}

/// Departments by path, and the employee numbers a record names, for the
/// fields of a few records (not the whole company's directory).
struct Known<'a> {
    tree: &'a DepartmentTree,
    emp_nos: HashMap<EmployeeId, String>,
}

impl Names for Known<'_> {
    fn department(&self, id: DepartmentId) -> String {
        self.tree.path(id)
    }

    fn emp_no(&self, id: EmployeeId) -> String {
        self.emp_nos.get(&id).cloned().unwrap_or_default()
    }
}

/// People as messages and the audit log name them (`E0012 张伟`), each
/// read once.
#[derive(Default)]
pub(super) struct PeopleNames {
    names: HashMap<EmployeeId, String>,
}

impl PeopleNames {
    /// `E0012 张伟`, or the id when nobody has it.
    pub(super) fn name(&mut self, session: &Session, id: EmployeeId) -> Result<String, OpError> {
        if let Some(known) = self.names.get(&id) {
            return Ok(known.clone());
        }
        let name = session
            .store()
            .employee(id)?
            .map_or_else(|| id.to_string(), |e| format!("{} {}", e.emp_no, e.name));
        self.names.insert(id, name.clone());
        Ok(name)
    }
}

/// The timelines and names looked up so far for a batch of ratings.
pub(super) struct Relations {
    tree: DepartmentTree,
    by_path: HashMap<String, DepartmentId>,
    scheduled: Vec<Scheduled>,
    stints: HashMap<(NaiveDate, NaiveDate, EmployeeId), Vec<Stint>>,
    ids: HashMap<String, Option<EmployeeId>>,
    pub(super) names: PeopleNames,
}

impl Relations {
    pub(super) fn new(session: &Session) -> Result<Relations, OpError> {
        let tree = DepartmentTree::new(session.store().departments()?);
        let by_path = tree
            .rows()
            .iter()
            .map(|row| (tree.path(row.department.id), row.department.id))
            .collect();
        let scheduled = session
            .store()
            .scheduled()?
            .into_iter()
            .filter(|item| item.blocked.is_none())
            .collect();
        Ok(Relations {
            tree,
            by_path,
            scheduled,
            stints: HashMap::default(),
            ids: HashMap::default(),
            names: PeopleNames::default(),
        })
    }

    /// How `rating`'s rater stands to the person rated in its group over
    /// `cycle`'s period (`allowed`: HR allowed them as peers).
    pub(super) fn check(
        &mut self,
        session: &Session,
        cycle: &Cycle,
        rating: &Rating,
        allowed: bool,
    ) -> Result<Result<Basis, Broken>, OpError> {
        let mut lookup = |id| self.stints_of(session, cycle, id);
        relation(
            rating.group,
            rating.rater,
            rating.ratee,
            allowed,
            &mut lookup,
        )
    }

    /// The employee a number names, if any.
    fn id_of(&mut self, session: &Session, emp_no: &str) -> Result<Option<EmployeeId>, OpError> {
        if let Some(known) = self.ids.get(emp_no) {
            return Ok(*known);
        }
        let found = session.store().employee_by_emp_no(emp_no)?.map(|e| e.id);
        self.ids.insert(emp_no.to_string(), found);
        Ok(found)
    }

    /// `id`'s stints over `cycle`'s period, on staff (not departed).
    fn stints_of(
        &mut self,
        session: &Session,
        cycle: &Cycle,
        id: EmployeeId,
    ) -> Result<Vec<Stint>, OpError> {
        let key = (cycle.starts, cycle.ends, id);
        if let Some(known) = self.stints.get(&key) {
            return Ok(known.clone());
        }
        let stints = match session.store().employee(id)? {
            Some(person) => self.derive(session, &person, cycle)?,
            None => Vec::new(),
        };
        self.stints.insert(key, stints.clone());
        Ok(stints)
    }

    fn derive(
        &mut self,
        session: &Session,
        person: &Employee,
        cycle: &Cycle,
    ) -> Result<Vec<Stint>, OpError> {
        let history = session.store().history(person.id)?;
        let events: Vec<(&EventKind, NaiveDate, &Employee, &Employee)> = self
            .scheduled
            .iter()
            .filter_map(|item| match &item.change {
                Pending::Event {
                    kind, base, target, ..
                } if base.id == person.id => Some((kind, item.effective, &**base, &**target)),
                _ => None,
            })
            .collect();
        let mut emp_nos = HashMap::default();
        let managers = events
            .iter()
            .flat_map(|(_, _, base, target)| [base.manager, target.manager])
            .chain([person.manager])
            .flatten();
        for manager in managers {
            if let Some(found) = session.store().employee(manager)? {
                emp_nos.insert(manager, found.emp_no);
            }
        }
        let known = Known {
            tree: &self.tree,
            emp_nos,
        };
        let scheduled: Vec<(&EventKind, NaiveDate, Vec<FieldChange>)> = events
            .iter()
            .map(|(kind, effective, base, target)| (*kind, *effective, base.diff(target, &known)))
            .collect();
        let current: Vec<String> = Field::ALL
            .iter()
            .map(|field| person.value(*field, &known))
            .collect();
        let stretches = fields_during(&current, &history, &scheduled, cycle.starts, cycle.ends);
        let mut stints = Vec::with_capacity(stretches.len());
        for stretch in stretches {
            let status = Status::parse(&stretch.fields[slot(Field::Status)]);
            if status == Some(Status::Departed) {
                continue;
            }
            let manager = match stretch.fields[slot(Field::Manager)].as_str() {
                "" => None,
                emp_no => self.id_of(session, emp_no)?,
            };
            stints.push(Stint {
                from: stretch.from,
                to: stretch.to,
                department: self
                    .by_path
                    .get(&stretch.fields[slot(Field::Department)])
                    .copied(),
                manager,
            });
        }
        Ok(stints)
    }
}
