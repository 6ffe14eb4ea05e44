//! The Staff pane's forms: which lifecycle action each is for, the fields it
//! shows (prefilled from the record), and opening them from the selected row.
//! Reading and submitting them is in `submit.rs`.

use chrono::NaiveDate;

use super::{ID, StaffView};
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::pane::Errand;
use crate::domain::change::Revision;
use crate::domain::department::{DepartmentId, DepartmentTree, Head};
use crate::domain::employee::{DepartureReason, Employee, EmployeeId, Field as Column, Status};
use crate::service::access::Permission;
use crate::service::{OpError, Session};
use crate::text::capitalize;
use crate::tr;

/// What a Staff form records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffForm {
    Hire,
    /// Corrects recorded data (any field but the status).
    Correct(EmployeeId),
    Transfer(EmployeeId),
    Promote(EmployeeId),
    Leave(EmployeeId),
    Return(EmployeeId),
    /// A departure; `reports` people still report to the leaver and are
    /// reassigned in the same step.
    Depart {
        id: EmployeeId,
        reports: usize,
    },
    Rehire(EmployeeId),
    /// Chooses the department whose subtree the table shows.
    DepartmentFilter,
}

/// Form field ids that are not record columns.
pub const EFFECTIVE: &str = "effective";
pub const REASON: &str = "reason";
pub const NOTE: &str = "note";
pub const REASSIGN: &str = "reassign_to";
pub const DEPARTMENT: &str = "department";

/// The record columns each form edits, in the order shown.
pub fn columns(form: StaffForm) -> &'static [Column] {
    match form {
        StaffForm::Hire | StaffForm::Correct(_) => &[
            Column::EmpNo,
            Column::Name,
            Column::Department,
            Column::Title,
            Column::Grade,
            Column::Manager,
            Column::HireDate,
            Column::Phone,
            Column::Email,
            Column::NationalId,
            Column::Salary,
        ],
        StaffForm::Transfer(_) => &[Column::Department, Column::Manager, Column::Title],
        StaffForm::Promote(_) => &[Column::Grade, Column::Title, Column::Salary],
        StaffForm::Rehire(_) => &[Column::Department, Column::Title, Column::Grade],
        StaffForm::Leave(_)
        | StaffForm::Return(_)
        | StaffForm::Depart { .. }
        | StaffForm::DepartmentFilter => &[],
    }
}

/// Whether the form asks for an effective date (every lifecycle event does;
/// a hire is effective on its hire date, a correction at once).
fn has_effective_date(form: StaffForm) -> bool {
    !matches!(
        form,
        StaffForm::Hire | StaffForm::Correct(_) | StaffForm::DepartmentFilter
    )
}

/// Every department as a choice, by its path.
fn department_options(tree: &DepartmentTree) -> Vec<ChoiceOption> {
    tree.rows()
        .into_iter()
        .map(|row| {
            let id = row.department.id;
            ChoiceOption::new(id.to_string(), tree.path(id))
        })
        .collect()
}

/// The text a column's field starts with. Sensitive values start blank
/// (blank keeps them), so opening a form reveals nothing.
fn initial_text(column: Column, record: &Employee, manager_emp_no: &str) -> String {
    match column {
        Column::EmpNo => record.emp_no.clone(),
        Column::Name => record.name.clone(),
        Column::Department => record.department.to_string(),
        Column::Title => record.title.clone(),
        Column::Grade => record.grade.clone(),
        Column::Manager => manager_emp_no.to_string(),
        Column::HireDate => record.hire_date.format("%Y-%m-%d").to_string(),
        Column::Phone => record.phone.clone(),
        Column::Email => record.email.clone(),
        Column::Status | Column::NationalId | Column::Salary => String::new(),
    }
}

/// A column's label in a form; sensitive ones say that blank keeps them.
fn label(form: StaffForm, column: Column) -> String {
    if column.is_sensitive() && form != StaffForm::Hire {
        tr!("staff.form.keep_blank", field = column.label())
    } else {
        column.label()
    }
}

/// A blank record to hire into, hired today (the department choice starts
/// on the first department).
pub fn blank_record(today: NaiveDate) -> Employee {
    Employee {
        id: EmployeeId(0),
        emp_no: String::new(),
        name: String::new(),
        department: DepartmentId(0),
        title: String::new(),
        grade: String::new(),
        manager: None,
        hire_date: today,
        status: Status::Active,
        phone: String::new(),
        email: String::new(),
        national_id: String::new(),
        salary: None,
    }
}

/// The fields of `form` for `record`.
pub(super) fn fields(
    session: &Session,
    form: StaffForm,
    record: &Employee,
    today: NaiveDate,
) -> Result<Vec<Field>, OpError> {
    let tree = session.department_tree()?;
    let manager_emp_no = match record.manager {
        Some(id) => session.employee(id)?.map(|m| m.emp_no).unwrap_or_default(),
        None => String::new(),
    };
    let may_see_sensitive = session.may(Permission::ViewSensitive);
    let mut fields: Vec<Field> = columns(form)
        .iter()
        .filter(|c| may_see_sensitive || !c.is_sensitive())
        .map(|&column| {
            let text = initial_text(column, record, &manager_emp_no);
            match column {
                Column::Department => Field::choice(
                    column.code(),
                    column.label(),
                    department_options(&tree),
                    &text,
                ),
                Column::Manager => Field::person(column.code(), column.label(), &text),
                _ => Field::text(column.code(), label(form, column), &text),
            }
        })
        .collect();
    if let StaffForm::Depart { reports, .. } = form {
        let reasons = DepartureReason::ALL
            .iter()
            .map(|r| ChoiceOption::new(r.code(), r.label()))
            .collect();
        fields.push(Field::choice(
            REASON,
            tr!("staff.form.reason"),
            reasons,
            DepartureReason::Resigned.code(),
        ));
        fields.push(Field::text(NOTE, tr!("staff.form.note"), ""));
        if reports > 0 {
            fields.push(Field::person(
                REASSIGN,
                tr!("staff.form.reassign"),
                &manager_emp_no,
            ));
        }
    }
    if form == StaffForm::DepartmentFilter {
        let mut options = vec![ChoiceOption::new("", tr!("staff.filter.all_departments"))];
        options.extend(department_options(&tree));
        fields.push(Field::choice(
            DEPARTMENT,
            tr!("staff.field.department"),
            options,
            "",
        ));
    }
    if has_effective_date(form) {
        fields.push(Field::text(
            EFFECTIVE,
            tr!("staff.form.effective"),
            &today.format("%Y-%m-%d").to_string(),
        ));
    }
    Ok(fields)
}

/// The manager a form suggests for department `department` (a choice
/// value): its head, or the head of the nearest department above it that
/// has one, if they are still employed and are not `person` themself.
fn head_of(desk: &Desk, department: &str, person: Option<EmployeeId>) -> Option<String> {
    let tree = desk.session.department_tree().ok()?;
    let mut at = department.parse().ok().map(DepartmentId);
    while let Some(id) = at {
        let department = tree.get(id)?;
        if let Some(Head::Employee(head)) = department.head
            && Some(head) != person
            && let Ok(Some(head)) = desk.session.employee(head)
            && head.status != Status::Departed
        {
            return Some(head.emp_no);
        }
        at = department.parent;
    }
    None
}

/// When a hire's or a transfer's department changes, the manager becomes
/// the new department's head (see [`head_of`]), unless the manager was
/// changed by hand: only a manager that is blank, as the form opened, or
/// the head suggested for the department before is replaced. Back in the
/// department the form opened with, the manager it opened with returns.
pub(super) fn suggest_manager(form: &mut Form<Errand>, field: &str, was: &str, desk: &Desk) {
    let person = match form.kind.what::<StaffForm>() {
        Some(StaffForm::Transfer(id)) => Some(*id),
        Some(StaffForm::Hire) => None,
        _ => return,
    };
    let (department, manager) = (Column::Department.code(), Column::Manager.code());
    if field != department {
        return;
    }
    let typed = form.value(manager).trim().to_string();
    let suggested_before = head_of(desk, was, person);
    let untouched = typed.is_empty()
        || typed == form.initial(manager)
        || suggested_before.is_some_and(|head| head.eq_ignore_ascii_case(&typed));
    if !untouched {
        return;
    }
    let now = form.value(department).to_string();
    let suggestion = if now == form.initial(department) {
        Some(form.initial(manager).to_string())
    } else {
        head_of(desk, &now, person)
    };
    if let Some(suggestion) = suggestion {
        form.set_text(manager, &suggestion);
    }
}

impl StaffView {
    /// Opens `form` on `record` (none: a blank one), read afresh with the
    /// revision the form remembers.
    pub(super) fn open_staff_form(
        &mut self,
        desk: &mut Desk,
        form: StaffForm,
        record: Option<Employee>,
    ) {
        let today = desk.today();
        let (record, revision) = match record {
            Some(selected) => match desk.session.employee_for_edit(selected.id) {
                Ok(Some(fresh)) => fresh,
                Ok(None) => return desk.error(tr!("staff.gone")),
                Err(err) => return desk.error(err.to_string()),
            },
            None => (blank_record(today), Revision::NONE),
        };
        let result = fields(&desk.session, form, &record, today)
            .map(|fields| (title(form, &record), fields));
        match result {
            Ok((title, fields)) => {
                let mut opened = Form::new(Errand::new(ID, form), title, fields);
                opened.revision = revision;
                opened.note = note(form);
                desk.form = Some(opened);
            }
            Err(err) => desk.error(err.to_string()),
        }
    }
}

/// The form's title, naming the person.
fn title(form: StaffForm, record: &Employee) -> String {
    let who = format!("{} {}", record.emp_no, record.name);
    match form {
        StaffForm::Hire => tr!("staff.form.hire"),
        StaffForm::DepartmentFilter => tr!("staff.form.department_filter"),
        StaffForm::Correct(_) => tr!("staff.form.correct", who = who),
        _ => match super::submit::event_kind(form) {
            Some(kind) => format!("{} · {who}", capitalize(&kind.label())),
            None => who,
        },
    }
}

/// A line under the title that explains what the form will do.
fn note(form: StaffForm) -> Option<String> {
    match form {
        StaffForm::Depart { reports, .. } if reports > 0 => {
            Some(tr!("staff.form.reassign_note", reports = reports))
        }
        StaffForm::Correct(_) => Some(tr!("staff.form.correct_note")),
        StaffForm::Rehire(_) => Some(tr!("staff.form.rehire_note")),
        _ => None,
    }
}
