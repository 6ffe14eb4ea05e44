//! The built-in demo company: a retailer with ten stores, a sales
//! organisation, operators of every role, its staff, their goals, a closed
//! appraisal cycle of last year and an open one of this year with its
//! calibration begun, and the staff's third-party accounts. Deterministic:
//! the same data every time (for the same day: monthly figures stop at
//! today), written through the same audited operations as real work (but
//! for the accounts, whose history reaches back in time: see `bindings`).

pub mod bindings;
mod calibration;
mod cast;
mod dice;
mod goals;
mod history;
mod ratings;
mod sales;
mod scoring;
mod staff;
mod vendors;

/// How many employees the demo has unless asked for another number.
pub const DEFAULT_EMPLOYEES: usize = 300;

use crate::domain::department::{Department, DepartmentId, DepartmentTree};
use crate::domain::operator::Role;
use crate::service::{DepartmentDraft, OpError, Session};

/// A department of the demo: name, head, and sub-departments.
struct Unit {
    name: &'static str,
    head: &'static str,
    children: &'static [Unit],
}

const fn unit(name: &'static str, head: &'static str, children: &'static [Unit]) -> Unit {
    Unit {
        name,
        head,
        children,
    }
}

const COMPANY: Unit = unit(
    "星河零售 Xinghe Retail",
    "周建国",
    &[
        unit("总经办", "上官婉", &[]),
        unit("人力资源部", "张丽", &[]),
        unit("财务部", "欧阳娜娜", &[]),
        unit("IT Support", "David Chen", &[]),
        unit(
            "销售部",
            "曾强",
            &[unit("华东大区", "单文", &[]), unit("华南大区", "解明", &[])],
        ),
        unit(
            "门店运营部",
            "查海",
            &[
                unit("门店01 上海南京西路", "仇方", &[]),
                unit("门店02 上海徐家汇", "区伟", &[]),
                unit("门店03 杭州湖滨", "朴敏", &[]),
                unit("门店04 苏州观前街", "盖磊", &[]),
                unit("门店05 南京新街口", "尉迟恭", &[]),
                unit("门店06 广州天河", "万俟雪", &[]),
                unit("门店07 深圳福田", "Emily Wang", &[]),
                unit("门店08 厦门中山路", "林晓", &[]),
                unit("门店09 宁波天一", "陈静", &[]),
                unit("门店10 合肥淮河路", "王磊", &[]),
            ],
        ),
    ],
);

/// The demo's HR officer, who runs the binding audits.
const HR_USER: &str = "hr.zhang";

/// Demo operators besides the OS user who created the database (its admin).
const OPERATORS: [(&str, DemoRole); 3] = [
    (HR_USER, DemoRole::Hr),
    ("mgr.zeng", DemoRole::SalesManager),
    ("audit.liu", DemoRole::Viewer),
];

#[derive(Clone, Copy)]
enum DemoRole {
    Hr,
    SalesManager,
    Viewer,
}

/// Adds `unit` and its sub-departments; notes each one's head to be (the
/// heads are hired with the staff, then named heads).
fn add_unit(
    session: &Session,
    unit: &Unit,
    parent: Option<DepartmentId>,
    added: &mut Vec<(Department, &'static str)>,
) -> Result<(), OpError> {
    let dept = session.add_department(DepartmentDraft {
        name: unit.name.to_string(),
        parent,
        head: None,
    })?;
    let id = dept.id;
    added.push((dept, unit.head));
    for child in unit.children {
        add_unit(session, child, Some(id), added)?;
    }
    Ok(())
}

/// The department named `name`, if there is one.
fn department_named(tree: &DepartmentTree, name: &str) -> Option<DepartmentId> {
    tree.rows()
        .iter()
        .find(|r| r.department.name == name)
        .map(|r| r.department.id)
}

/// Writes the demo company with `employees` staff through `session`, whose
/// operator must be an admin.
pub fn populate(session: &Session, employees: usize) -> Result<(), OpError> {
    let mut added = Vec::new();
    add_unit(session, &COMPANY, None, &mut added)?;
    let sales = added
        .iter()
        .find(|(d, _)| d.name == "销售部")
        .map(|(d, _)| d.id)
        .unwrap_or(DepartmentId(0));
    for (user, role) in OPERATORS {
        let role = match role {
            DemoRole::Hr => Role::Hr,
            DemoRole::SalesManager => Role::Manager(sales),
            DemoRole::Viewer => Role::Viewer,
        };
        session.add_operator(user, role)?;
    }
    let heads = added.iter().map(|(d, head)| (d.id, *head)).collect();
    staff::hire_staff(session, &heads, employees)?;
    let cast = cast::Cast::find(session)?;
    goals::set_goals(session, &cast)?;
    history::close_last_year(session, &cast)?;
    let cycle = scoring::set_cycle(session, &cast)?;
    calibration::calibrate(session, &cycle)?;
    bindings::bind_accounts(session)?;
    vendors::select_vendor(session)
}
