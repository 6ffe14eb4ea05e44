//! The organisation in memory: departments and employees with the lookups
//! HR rules need (by number, reports of a manager, department subtree), and
//! the checks a record must pass before it is written.

use foldhash::HashMap;

use super::department::{DepartmentId, DepartmentTree};
use super::employee::{
    Employee, EmployeeId, Field, Names, Status, creates_cycle, text_fields, text_problem,
};
use crate::tr;

/// A problem with one field of a record, in words for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: Field, message: String) -> Self {
        FieldProblem { field, message }
    }
}

/// Departments and employees, indexed.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub tree: DepartmentTree,
    employees: Vec<Employee>,
    by_id: HashMap<EmployeeId, usize>,
    by_emp_no: HashMap<String, EmployeeId>,
}

impl Directory {
    pub fn new(tree: DepartmentTree, employees: Vec<Employee>) -> Self {
        let by_id = employees
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i))
            .collect();
        let by_emp_no = employees.iter().map(|e| (e.emp_no.clone(), e.id)).collect();
        Directory {
            tree,
            employees,
            by_id,
            by_emp_no,
        }
    }

    pub fn employees(&self) -> &[Employee] {
        &self.employees
    }

    pub fn get(&self, id: EmployeeId) -> Option<&Employee> {
        self.by_id.get(&id).map(|&i| &self.employees[i])
    }

    pub fn by_emp_no(&self, emp_no: &str) -> Option<&Employee> {
        self.by_emp_no.get(emp_no).and_then(|&id| self.get(id))
    }

    pub fn manager_of(&self, id: EmployeeId) -> Option<EmployeeId> {
        self.get(id).and_then(|e| e.manager)
    }

    /// People who report to `id` and have not departed.
    pub fn active_reports(&self, id: EmployeeId) -> Vec<&Employee> {
        self.employees
            .iter()
            .filter(|e| e.manager == Some(id) && e.status != Status::Departed)
            .collect()
    }

    /// Only the employees of `scope` and its sub-departments (what a manager sees).
    pub fn within(self, scope: DepartmentId) -> Directory {
        let tree = self.tree;
        let employees = self
            .employees
            .into_iter()
            .filter(|e| tree.is_within(e.department, scope))
            .collect();
        Directory::new(tree, employees)
    }

    /// The national ID, and the name with the phone, of `record` when they
    /// already belong to someone else (one person, one record).
    fn claimed_elsewhere(&self, record: &Employee) -> Vec<FieldProblem> {
        let taken = |field: Field, same: &dyn Fn(&Employee) -> bool| {
            self.employees
                .iter()
                .find(|other| other.id != record.id && same(other))
                .map(|holder| {
                    let message = tr!(
                        "staff.import.duplicate_in_db",
                        emp_no = holder.emp_no,
                        name = holder.name
                    );
                    FieldProblem::new(field, message)
                })
        };
        let national_id = (!record.national_id.is_empty())
            .then(|| taken(Field::NationalId, &|o| o.national_id == record.national_id))
            .flatten();
        let name_phone = (!record.phone.is_empty())
            .then(|| {
                taken(Field::Phone, &|o| {
                    o.phone == record.phone && o.name == record.name
                })
            })
            .flatten();
        national_id.into_iter().chain(name_phone).collect()
    }

    /// Everything wrong with `record` against the rest of the organisation:
    /// text within its limits and free of control characters, required
    /// fields, a unique number, an existing department, and a
    /// manager who exists, is not departed, and closes no loop.
    pub fn check(&self, record: &Employee) -> Vec<FieldProblem> {
        let mut problems: Vec<FieldProblem> = text_fields(record)
            .into_iter()
            .filter_map(|(field, text)| {
                text_problem(field, text).map(|message| FieldProblem::new(field, message))
            })
            .collect();
        if record.emp_no.trim().is_empty() {
            problems.push(FieldProblem::new(Field::EmpNo, tr!("staff.check.required")));
        } else if let Some(holder) = self.by_emp_no(&record.emp_no)
            && holder.id != record.id
        {
            problems.push(FieldProblem::new(
                Field::EmpNo,
                tr!(
                    "staff.check.emp_no_taken",
                    emp_no = record.emp_no,
                    name = holder.name
                ),
            ));
        }
        if record.name.trim().is_empty() {
            problems.push(FieldProblem::new(Field::Name, tr!("staff.check.required")));
        }
        problems.extend(self.claimed_elsewhere(record));
        if self.tree.is_empty() {
            problems.push(FieldProblem::new(
                Field::Department,
                tr!("staff.check.no_departments"),
            ));
        } else if self.tree.get(record.department).is_none() {
            problems.push(FieldProblem::new(
                Field::Department,
                tr!("staff.check.unknown_department", id = record.department),
            ));
        }
        if let Some(manager) = record.manager {
            problems.extend(self.check_manager(record, manager));
        }
        problems
    }

    fn check_manager(&self, record: &Employee, manager: EmployeeId) -> Option<FieldProblem> {
        let message = match self.get(manager) {
            None => tr!("staff.check.unknown_manager", id = manager),
            Some(_) if manager == record.id => tr!("staff.check.self_manager"),
            Some(boss) if boss.status == Status::Departed => {
                tr!("staff.check.departed_manager", name = boss.name)
            }
            Some(boss) if creates_cycle(record.id, manager, |id| self.manager_of(id)) => {
                tr!(
                    "staff.error.manager_cycle",
                    name = record.name,
                    manager = boss.name
                )
            }
            Some(_) => return None,
        };
        Some(FieldProblem::new(Field::Manager, message))
    }
}

impl Names for Directory {
    fn department(&self, id: DepartmentId) -> String {
        self.tree.path(id)
    }

    fn emp_no(&self, id: EmployeeId) -> String {
        self.get(id).map(|e| e.emp_no.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{dept, person};

    fn company() -> Directory {
        let tree = DepartmentTree::new([
            dept(1, "Acme", None),
            dept(2, "Sales", Some(1)),
            dept(3, "HR", Some(1)),
        ]);
        let mut gone = person(4, "E4", 3, None);
        gone.status = Status::Departed;
        Directory::new(
            tree,
            vec![
                person(1, "E1", 1, None),
                person(2, "E2", 2, Some(1)),
                person(3, "E3", 2, Some(2)),
                gone,
            ],
        )
    }

    fn fields(problems: Vec<FieldProblem>) -> Vec<Field> {
        problems.into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_sound_record_passes() {
        let dir = company();
        assert!(dir.check(&person(9, "E9", 2, Some(2))).is_empty());
        assert!(
            dir.check(dir.get(EmployeeId(3)).unwrap()).is_empty(),
            "itself is no clash"
        );
    }

    #[test]
    fn text_is_held_to_its_limit_and_free_of_control_characters() {
        let dir = company();
        let mut long = person(9, &"E".repeat(33), 2, Some(2));
        long.name = "名".repeat(101);
        long.title = "Clerk\u{1b}[2J".into();
        let problems = dir.check(&long);
        assert_eq!(
            fields(problems.clone()),
            vec![Field::EmpNo, Field::Name, Field::Title]
        );
        assert!(problems[0].message.contains("32"), "{problems:?}");
        assert!(problems[2].message.contains("\\u{1b}"), "{problems:?}");
        let fits = person(9, &"E".repeat(32), 2, Some(2));
        assert!(dir.check(&fits).is_empty(), "32 characters fit");
    }

    #[test]
    fn each_rule_names_its_field() {
        let dir = company();
        let mut bad = person(9, "E2", 7, Some(8));
        bad.name = " ".into();
        assert_eq!(
            fields(dir.check(&bad)),
            vec![Field::EmpNo, Field::Name, Field::Department, Field::Manager]
        );
        assert_eq!(
            fields(dir.check(&person(9, "", 2, Some(4)))),
            vec![Field::EmpNo, Field::Manager]
        );
        assert_eq!(
            fields(dir.check(&person(9, "E9", 2, Some(9)))),
            vec![Field::Manager]
        );
    }

    #[test]
    fn a_manager_cannot_report_to_their_own_report() {
        let dir = company();
        let mut top = dir.get(EmployeeId(1)).unwrap().clone();
        top.manager = Some(EmployeeId(3));
        assert_eq!(fields(dir.check(&top)), vec![Field::Manager]);
    }

    #[test]
    fn reports_and_scopes() {
        let dir = company();
        assert_eq!(dir.active_reports(EmployeeId(1)).len(), 1);
        assert_eq!(dir.emp_no(EmployeeId(2)), "E2");
        assert_eq!(dir.department(DepartmentId(2)), "Acme / Sales");
        let sales = dir.within(DepartmentId(2));
        let ids: Vec<u64> = sales.employees().iter().map(|e| e.id.0).collect();
        assert_eq!(ids, vec![2, 3]);
    }

    #[test]
    fn a_national_id_or_a_name_with_a_phone_belongs_to_one_record() {
        let mut holder = person(2, "E2", 2, None);
        holder.national_id = "11010519491231002X".into();
        holder.phone = "13800138000".into();
        let dir = Directory::new(
            DepartmentTree::new([dept(2, "Sales", None)]),
            vec![holder.clone()],
        );
        let mut twin = person(9, "E9", 2, None);
        twin.national_id = holder.national_id.clone();
        twin.name = holder.name.clone();
        twin.phone = holder.phone.clone();
        let problems = dir.check(&twin);
        assert_eq!(
            fields(problems.clone()),
            vec![Field::NationalId, Field::Phone]
        );
        assert!(problems[0].message.contains("E2"), "{problems:?}");
        // The holder's own record is no clash, nor a namesake with another phone.
        assert!(dir.check(&holder).is_empty());
        twin.national_id.clear();
        twin.phone = "13900139000".into();
        assert!(dir.check(&twin).is_empty());
    }
}
