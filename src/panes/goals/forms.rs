//! The Goals pane's forms and the browse actions that open them: add a goal
//! (under the selected one), edit, move, record an actual, cascade a
//! department goal to its people, archive (asks first), the filters, and the
//! alignment report. Reading and submitting the forms is in `submit.rs`.

use super::{GoalsView, ID};
use crate::action::Action;
use crate::app::Confirm;
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::pane::Errand;
use crate::app::report::Report;
use crate::domain::change::Revision;
use crate::domain::department::DepartmentTree;
use crate::domain::goal::check::alignment_gaps;
use crate::domain::goal::{
    Aggregation, Direction, Goal, GoalId, GoalStatus, Measure, Owner, Period, Weight,
};
use crate::service::OpError;
use crate::service::access::Permission;
use crate::tr;

/// What a Goals form does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoalForm {
    /// A new goal, under `parent` (a company goal for `None`).
    Add {
        parent: Option<GoalId>,
    },
    Edit(GoalId),
    /// Hangs the goal under another parent.
    Move(GoalId),
    /// Records an actual value of a KPI goal.
    Actual(GoalId),
    /// Closes a KPI goal as not achieved, with a reason.
    NotAchieved(GoalId),
    /// Creates personal goals for every member of a department goal's department.
    Cascade(GoalId),
    /// The period and department filters.
    Filter,
}

/// The cascade to run, once its preview is confirmed.
#[derive(Clone, Debug, PartialEq)]
pub struct CascadeAsk(pub crate::service::Cascade);

/// The goal to archive, once confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Archive(pub GoalId);

/// Form field ids.
pub mod ids {
    pub const TITLE: &str = "title";
    pub const PARENT: &str = "parent";
    pub const DEPARTMENT: &str = "department";
    pub const EMPLOYEE: &str = "employee";
    pub const PERIOD: &str = "period";
    pub const WEIGHT: &str = "weight";
    pub const KIND: &str = "kind";
    pub const METRIC: &str = "metric";
    pub const UNIT: &str = "unit";
    pub const BASELINE: &str = "baseline";
    pub const TARGET: &str = "target";
    pub const DIRECTION: &str = "direction";
    pub const AGGREGATION: &str = "aggregation";
    pub const CAP: &str = "cap";
    pub const STATUS: &str = "status";
    pub const EFFECTIVE: &str = "effective";
    pub const DATE: &str = "date";
    pub const REASON: &str = "reason";
    pub const VALUE: &str = "value";
    pub const SPLIT: &str = "split";
}

/// Choice values of the kind, direction and split fields.
pub const KPI: &str = "kpi";
pub const OBJECTIVE: &str = "objective";
pub const HIGHER: &str = "higher";
pub const LOWER: &str = "lower";
pub const EACH: &str = "each";
pub const EVEN: &str = "even";

/// A number as a form shows it: no trailing `.0`.
pub fn number_text(value: f64) -> String {
    let text = format!("{value}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// "(the company)" and every department by path.
fn department_options(tree: &DepartmentTree, first: String) -> Vec<ChoiceOption> {
    let mut options = vec![ChoiceOption::new("", first)];
    options.extend(tree.rows().into_iter().map(|row| {
        let id = row.department.id;
        ChoiceOption::new(id.to_string(), tree.path(id))
    }));
    options
}

fn choice(id: &'static str, label: String, options: &[(&str, String)], value: &str) -> Field {
    let options = options
        .iter()
        .map(|(v, l)| ChoiceOption::new(*v, l.clone()))
        .collect();
    Field::choice(id, label, options, value)
}

impl GoalsView {
    /// Actions that change goals (the console checked the role): a
    /// company goal selected is changed only by those who may change
    /// company goals, which is said before any form opens.
    pub(super) fn goal_edit_action(&mut self, desk: &mut Desk, action: Action) {
        let company_goal = self.list.selected().is_some_and(|r| r.department.is_none());
        if company_goal
            && action != Action::Add
            && let Err(denied) = crate::service::access::require(
                desk.session.operator(),
                Permission::EditCompanyGoals,
            )
        {
            desk.error(denied.to_string());
            return;
        }
        let selected = self.list.selected().map(|r| r.id);
        let form = match (action, selected) {
            (Action::Add, parent) => GoalForm::Add { parent },
            (Action::AddTop, _) => GoalForm::Add { parent: None },
            (Action::Edit, Some(id)) => GoalForm::Edit(id),
            (Action::Move, Some(id)) => GoalForm::Move(id),
            (Action::RecordActual, Some(id)) => GoalForm::Actual(id),
            (Action::Cascade, Some(id)) => GoalForm::Cascade(id),
            (Action::NotAchieved, Some(id)) => GoalForm::NotAchieved(id),
            (Action::Remove, Some(id)) => {
                self.confirm_archive(desk, id);
                return;
            }
            (
                Action::Edit
                | Action::Move
                | Action::RecordActual
                | Action::NotAchieved
                | Action::Cascade
                | Action::Remove,
                None,
            ) => {
                desk.info(tr!("status.nothing_selected"));
                return;
            }
            _ => return,
        };
        self.open_goal_form(desk, form);
    }

    fn confirm_archive(&mut self, desk: &mut Desk, id: GoalId) {
        let Some(goal) = self.tree.get(id) else {
            return;
        };
        desk.ask(Confirm::of(
            ID,
            tr!("goal.confirm.archive_title"),
            tr!(
                "goal.confirm.archive",
                goal = format!("{} {}", goal.id, goal.title)
            ),
            Archive(id),
        ));
    }

    /// Opens the alignment report of the period filter (all periods when none).
    pub(super) fn open_alignment_report(&mut self, desk: &mut Desk) {
        match desk.session.directory() {
            Ok(directory) => {
                let gaps = alignment_gaps(&self.tree, &directory, self.period);
                let shown = self
                    .period
                    .map_or_else(|| tr!("goal.report.all_periods"), |p| p.to_string());
                let title = tr!("goal.report.heading", period = shown, count = gaps.len());
                let lines = gaps
                    .iter()
                    .map(|gap| gap.describe(&self.tree, &directory))
                    .collect::<Vec<_>>();
                let lines = if lines.is_empty() {
                    vec![tr!("goal.report.none")]
                } else {
                    lines
                };
                desk.report(Report::new(title, lines));
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    pub(super) fn open_goal_form(&mut self, desk: &mut Desk, form: GoalForm) {
        match self.goal_fields(desk, form) {
            Ok((title, fields, revision)) => {
                let mut opened = Form::new(Errand::new(ID, form), title, fields);
                opened.revision = revision;
                desk.form = Some(opened);
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// The title and fields of `form`, prefilled, and the revision of the
    /// goal it edits (an edit reads the goal afresh).
    pub(super) fn goal_fields(
        &self,
        desk: &Desk,
        form: GoalForm,
    ) -> Result<(String, Vec<Field>, Revision), OpError> {
        if let GoalForm::Edit(id) = form {
            let Some((current, revision)) = desk.session.goal_for_edit(id)? else {
                return Err(crate::domain::goal::edit::GoalError::UnknownGoal(id).into());
            };
            let (title, fields) = self.goal_edit_fields(desk, &current)?;
            return Ok((title, fields, revision));
        }
        let (title, fields) = self.goal_form_fields(desk, form)?;
        Ok((title, fields, Revision::NONE))
    }

    /// The fields of an edit of `current`.
    fn goal_edit_fields(
        &self,
        desk: &Desk,
        current: &Goal,
    ) -> Result<(String, Vec<Field>), OpError> {
        use ids::*;
        let tree = desk.session.department_tree()?;
        let today = desk.today().format("%Y-%m-%d").to_string();
        let mut fields = self.goal_record_fields(desk, current, &tree, false);
        let statuses: Vec<(&str, String)> = GoalStatus::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect();
        fields.push(choice(
            STATUS,
            tr!("goal.field.status"),
            &statuses,
            current.status.code(),
        ));
        fields.push(Field::text(EFFECTIVE, tr!("goal.field.effective"), &today));
        let title = tr!(
            "goal.form.edit",
            goal = format!("{} {}", current.id, current.title)
        );
        Ok((title, fields))
    }

    /// The title and fields of a form that edits no stored goal.
    fn goal_form_fields(
        &self,
        desk: &Desk,
        form: GoalForm,
    ) -> Result<(String, Vec<Field>), OpError> {
        use ids::*;
        let tree = desk.session.department_tree()?;
        // The goal whole (the tree keeps its figures only).
        let goal = |id: GoalId| desk.session.visible_goal(id);
        let today = desk.today().format("%Y-%m-%d").to_string();
        Ok(match form {
            GoalForm::Filter => {
                let period = self.period.map(|p| p.to_string()).unwrap_or_default();
                let department = self
                    .department
                    .as_ref()
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_default();
                (
                    tr!("goal.form.filter"),
                    vec![
                        Field::text(PERIOD, tr!("goal.field.period_filter"), &period),
                        Field::choice(
                            DEPARTMENT,
                            tr!("staff.field.department"),
                            department_options(&tree, tr!("staff.filter.all_departments")),
                            &department,
                        ),
                    ],
                )
            }
            GoalForm::Add { parent } => {
                let parent = parent.map(goal).transpose()?.flatten();
                let draft = self.new_goal_draft(desk, parent.as_ref());
                (
                    tr!("goal.form.add"),
                    self.goal_record_fields(desk, &draft, &tree, true),
                )
            }
            GoalForm::Edit(id) => {
                return match goal(id)? {
                    Some(current) => self.goal_edit_fields(desk, &current),
                    None => Err(crate::domain::goal::edit::GoalError::UnknownGoal(id).into()),
                };
            }
            GoalForm::Move(id) => {
                let current = goal(id)?;
                let parent = current
                    .as_ref()
                    .and_then(|g| g.parent)
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                let name = current
                    .map(|g| format!("{} {}", g.id, g.title))
                    .unwrap_or_default();
                (
                    tr!("goal.form.move", goal = name),
                    vec![Field::text(PARENT, tr!("goal.field.parent"), &parent)],
                )
            }
            GoalForm::Actual(id) => {
                let name = goal(id)?
                    .map(|g| format!("{} {}", g.id, g.title))
                    .unwrap_or_default();
                (
                    tr!("goal.form.actual", goal = name),
                    vec![
                        Field::text(DATE, tr!("goal.field.date"), &today),
                        Field::text(VALUE, tr!("goal.field.value"), ""),
                    ],
                )
            }
            GoalForm::NotAchieved(id) => {
                let name = goal(id)?
                    .map(|g| format!("{} {}", g.id, g.title))
                    .unwrap_or_default();
                (
                    tr!("goal.form.not_achieved", goal = name),
                    vec![Field::text(REASON, tr!("goal.field.reason"), "")],
                )
            }
            GoalForm::Cascade(id) => {
                let current = goal(id)?;
                let (title, metric, unit, baseline) =
                    match current.as_ref().map(|g| (&g.title, &g.measure)) {
                        Some((title, Measure::Kpi(kpi))) => (
                            title.to_string(),
                            kpi.metric.to_string(),
                            kpi.unit.to_string(),
                            kpi.baseline.to_string(),
                        ),
                        Some((title, Measure::Objective)) => {
                            (title.to_string(), String::new(), String::new(), "0".into())
                        }
                        None => Default::default(),
                    };
                let splits = [
                    (EACH, tr!("goal.split.each")),
                    (EVEN, tr!("goal.split.even")),
                ];
                (
                    tr!("goal.form.cascade", goal = title),
                    vec![
                        Field::text(TITLE, tr!("goal.field.title"), &title),
                        Field::text(METRIC, tr!("goal.field.metric"), &metric),
                        Field::text(UNIT, tr!("goal.field.unit"), &unit),
                        choice(SPLIT, tr!("goal.field.split"), &splits, EACH),
                        Field::text(TARGET, tr!("goal.field.target_each"), ""),
                        Field::text(BASELINE, tr!("goal.field.baseline_cascade"), &baseline),
                    ],
                )
            }
        })
    }

    /// A new goal under `parent`: its department, period and cap, the
    /// weight all its siblings leave over (those outside the operator's
    /// scope too), a KPI where higher is better.
    fn new_goal_draft(&self, desk: &Desk, parent: Option<&Goal>) -> Goal {
        let outside = parent
            .and_then(|p| self.tree.slot(p.id))
            .map_or(0, |slot| self.rollup.hidden(slot).weight);
        let siblings: u32 = outside
            + self
                .tree
                .children(parent.map(|p| p.id))
                .iter()
                .filter(|g| g.status != GoalStatus::Archived)
                .map(|g| g.weight.0)
                .sum::<u32>();
        let owner = match parent.map(|p| p.owner) {
            None => Owner::Company,
            Some(Owner::Company) => Owner::Department(crate::domain::department::DepartmentId(0)),
            Some(owner) => owner,
        };
        Goal {
            id: GoalId(0),
            title: "".into(),
            owner,
            period: parent.map_or(Period::Year(chrono::Datelike::year(&desk.today())), |p| {
                p.period
            }),
            parent: parent.map(|p| p.id),
            weight: Weight(Weight::FULL.0.saturating_sub(siblings)),
            status: GoalStatus::Active,
            measure: Measure::Kpi(crate::domain::goal::Kpi {
                metric: Default::default(),
                unit: Default::default(),
                baseline: 0.0,
                target: 0.0,
                actual: None,
                direction: Direction::HigherIsBetter,
                aggregation: Aggregation::Latest,
                months: Vec::new(),
            }),
            cap_percent: parent.map_or(100, |p| p.cap_percent),
        }
    }

    /// The fields of a goal's record (add and edit).
    fn goal_record_fields(
        &self,
        desk: &Desk,
        goal: &Goal,
        tree: &DepartmentTree,
        adding: bool,
    ) -> Vec<Field> {
        use ids::*;
        let (department, employee) = match goal.owner {
            Owner::Company => (String::new(), String::new()),
            Owner::Department(d) => (d.to_string(), String::new()),
            Owner::Employee(e) => {
                let person = desk.session.employee(e).ok().flatten();
                (
                    person
                        .as_ref()
                        .map(|p| p.department.to_string())
                        .unwrap_or_default(),
                    person.map(|p| p.emp_no).unwrap_or_default(),
                )
            }
        };
        let (kind, kpi) = match &goal.measure {
            Measure::Kpi(kpi) => (KPI, Some(kpi)),
            Measure::Objective => (OBJECTIVE, None),
        };
        let number = |f: fn(&crate::domain::goal::Kpi) -> f64| {
            kpi.map(|k| number_text(f(k))).unwrap_or_default()
        };
        let direction = match kpi.map(|k| k.direction) {
            Some(Direction::LowerIsBetter) => LOWER,
            _ => HIGHER,
        };
        let kinds = [
            (KPI, tr!("goal.kind.kpi")),
            (OBJECTIVE, tr!("goal.kind.objective")),
        ];
        let directions = [
            (HIGHER, tr!("goal.direction.higher")),
            (LOWER, tr!("goal.direction.lower")),
        ];
        let target = if adding {
            String::new()
        } else {
            number(|k| k.target)
        };
        vec![
            Field::text(TITLE, tr!("goal.field.title"), &goal.title),
            Field::text(
                PARENT,
                tr!("goal.field.parent"),
                &goal.parent.map(|p| p.to_string()).unwrap_or_default(),
            ),
            Field::choice(
                DEPARTMENT,
                tr!("goal.field.department"),
                department_options(tree, tr!("goal.owner.company")),
                &department,
            ),
            Field::person(EMPLOYEE, tr!("goal.field.employee"), &employee),
            Field::text(PERIOD, tr!("goal.field.period"), &goal.period.to_string()),
            Field::text(WEIGHT, tr!("goal.field.weight"), &goal.weight.to_string()),
            choice(KIND, tr!("goal.field.kind"), &kinds, kind),
            Field::text(
                METRIC,
                tr!("goal.field.metric"),
                &kpi.map(|k| k.metric.clone()).unwrap_or_default(),
            ),
            Field::text(
                UNIT,
                tr!("goal.field.unit"),
                &kpi.map(|k| k.unit.clone()).unwrap_or_default(),
            ),
            Field::text(
                BASELINE,
                tr!("goal.field.baseline"),
                &number(|k| k.baseline),
            ),
            Field::text(TARGET, tr!("goal.field.target"), &target),
            choice(
                DIRECTION,
                tr!("goal.field.direction"),
                &directions,
                direction,
            ),
            Field::choice(
                AGGREGATION,
                tr!("goal.field.aggregation"),
                Aggregation::ALL
                    .into_iter()
                    .map(|a| ChoiceOption::new(a.code(), a.label()))
                    .collect(),
                kpi.map_or(Aggregation::Latest, |k| k.aggregation).code(),
            ),
            Field::text(CAP, tr!("goal.field.cap"), &goal.cap_percent.to_string()),
        ]
    }
}
