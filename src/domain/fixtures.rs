//! Small records for tests across the crate: a department, an employee and
//! a goal with only the fields a test cares about set.

use chrono::NaiveDate;

use super::department::{Department, DepartmentId};
use super::employee::{Employee, EmployeeId, Status};
use super::goal::{Goal, GoalId, GoalStatus, Measure, Owner, Period, Weight};

/// A department with no head.
pub fn dept(id: u64, name: &str, parent: Option<u64>) -> Department {
    Department {
        id: DepartmentId(id),
        name: name.into(),
        parent: parent.map(DepartmentId),
        head: None,
    }
}

/// An active employee hired on 2024-03-05 with no contact data.
pub fn person(id: u64, emp_no: &str, department: u64, manager: Option<u64>) -> Employee {
    Employee {
        id: EmployeeId(id),
        emp_no: emp_no.into(),
        name: format!("员工{id}"),
        department: DepartmentId(department),
        title: String::new(),
        grade: String::new(),
        manager: manager.map(EmployeeId),
        hire_date: NaiveDate::from_ymd_opt(2024, 3, 5).unwrap_or_default(),
        status: Status::Active,
        phone: String::new(),
        email: String::new(),
        national_id: String::new(),
        salary: None,
    }
}

/// An active objective of 2026 weighing 100, titled `g<id>`.
pub fn goal(id: u64, owner: Owner, parent: Option<u64>) -> Goal {
    Goal {
        id: GoalId(id),
        title: format!("g{id}").into(),
        owner,
        period: Period::Year(2026),
        parent: parent.map(GoalId),
        weight: Weight::FULL,
        status: GoalStatus::Active,
        measure: Measure::Objective,
        cap_percent: 100,
    }
}
