//! Submitting a Goals form: values read and checked field by field (goal
//! ids, people by number, periods, weights, numbers), every problem on its
//! field, then the session writes. Recording an actual updates the goal in
//! place and recomputes its path to the root; structural changes reload the
//! tree.

use super::GoalsView;
use super::forms::{CascadeAsk, EACH, GoalForm, KPI, LOWER, ids};
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Done, FieldErrors, Form, FormReader, Select, Submitted};
use crate::app::pane::Errand;
use crate::domain::change::Revision;
use crate::domain::cleanup::{parse_date, parse_number};
use crate::domain::department::DepartmentId;
use crate::domain::goal::edit::GoalError;
use crate::domain::goal::rules::PlacementError;
use crate::domain::goal::{
    Aggregation, Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period, Weight,
};
use crate::service::{Cascade, OpError, TargetSplit};
use crate::tr;

/// Goal-specific readings of a form.
trait GoalFields {
    fn number(&mut self, id: &'static str) -> Option<f64>;
    fn period(&mut self, id: &'static str) -> Option<Period>;
    /// A goal id, or `Some(None)` when blank.
    fn goal_ref(&mut self, id: &'static str) -> Option<Option<GoalId>>;
}

impl GoalFields for FormReader<'_> {
    fn number(&mut self, id: &'static str) -> Option<f64> {
        self.required(id, parse_number)
    }

    fn period(&mut self, id: &'static str) -> Option<Period> {
        self.required(id, str::parse::<Period>)
    }

    fn goal_ref(&mut self, id: &'static str) -> Option<Option<GoalId>> {
        let text = self.text(id);
        if text.is_empty() {
            return Some(None);
        }
        match GoalId::parse(&text) {
            Some(goal) => Some(Some(goal)),
            None => {
                self.problem(id, tr!("goal.error.goal_ref", value = text));
                None
            }
        }
    }
}

/// Where a refused goal's problem belongs on the form.
fn field_of(err: &OpError) -> Option<&'static str> {
    match err {
        OpError::Goal(GoalError::EmptyTitle) => Some(ids::TITLE),
        OpError::Goal(GoalError::CapOutOfRange(_)) => Some(ids::CAP),
        OpError::Goal(GoalError::WeightsOff(_)) => Some(ids::WEIGHT),
        OpError::Goal(
            GoalError::UnknownParent(_)
            | GoalError::Loop
            | GoalError::Placement(
                PlacementError::NeedsParent
                | PlacementError::CompanyGoalHasParent
                | PlacementError::OwnerOutsideParent { .. },
            ),
        ) => Some(ids::PARENT),
        OpError::Goal(GoalError::Placement(PlacementError::PeriodOutsideParent { .. })) => {
            Some(ids::PERIOD)
        }
        OpError::Goal(GoalError::Placement(PlacementError::UnknownOwner)) => Some(ids::EMPLOYEE),
        OpError::Goal(GoalError::ReasonRequired) => Some(ids::REASON),
        _ => None,
    }
}

fn refused(err: OpError) -> FieldErrors {
    vec![(field_of(&err), err.to_string())]
}

impl GoalsView {
    /// Submits a Goals form (the filter form is applied by `set_goal_filter`).
    pub(super) fn submit_goal(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        which: GoalForm,
    ) -> Submitted {
        let mut reader = FormReader::new(form);
        let done = match which {
            GoalForm::Add { .. } | GoalForm::Edit(_) => {
                self.submit_goal_record(desk, &mut reader, which, form.revision)
            }
            GoalForm::Move(id) => self.submit_move(desk, &mut reader, id),
            GoalForm::Actual(id) => self.submit_actual(desk, &mut reader, id),
            GoalForm::NotAchieved(id) => self.submit_not_achieved(desk, &reader, id),
            GoalForm::Cascade(id) => self.submit_cascade(desk, &mut reader, id),
            GoalForm::Filter => Ok(None),
        };
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        match done {
            Ok(Some(done)) => Ok(done),
            Ok(None) => Err(Vec::new()),
            Err(errors) => Err(errors),
        }
    }

    /// Goal `id` whole, as stored (the tree keeps its figures only).
    fn goal_or_error(desk: &Desk, id: GoalId) -> Result<Goal, FieldErrors> {
        desk.session
            .visible_goal(id)
            .map_err(refused)?
            .ok_or_else(|| refused(GoalError::UnknownGoal(id).into()))
    }

    fn submit_goal_record(
        &mut self,
        desk: &mut Desk,
        reader: &mut FormReader<'_>,
        which: GoalForm,
        opened: Revision,
    ) -> Result<Option<Done>, FieldErrors> {
        use ids::*;
        let current = match which {
            GoalForm::Edit(id) => Some(Self::goal_or_error(desk, id)?),
            _ => None,
        };
        let title = reader.text(TITLE);
        let parent = reader.goal_ref(PARENT);
        let period = reader.period(PERIOD);
        let weight = reader.required(WEIGHT, |t| {
            Weight::parse(t).ok_or_else(|| tr!("goal.error.weight", value = t))
        });
        let cap = reader.required(CAP, |t| {
            t.trim_end_matches('%')
                .trim()
                .parse::<u16>()
                .map_err(|_| tr!("goal.error.cap_number", value = t))
        });
        let owner = self.read_owner(desk, reader);
        let measure = if reader.form.value(KIND) == KPI {
            let baseline = reader.number(BASELINE);
            let target = reader.number(TARGET);
            let direction = if reader.form.value(DIRECTION) == LOWER {
                Direction::LowerIsBetter
            } else {
                Direction::HigherIsBetter
            };
            let actual = current.as_ref().and_then(|g| match &g.measure {
                Measure::Kpi(kpi) => kpi.actual,
                Measure::Objective => None,
            });
            match (baseline, target) {
                (Some(baseline), Some(target)) => Some(Measure::Kpi(Kpi {
                    metric: reader.text(METRIC).into(),
                    unit: reader.text(UNIT).into(),
                    baseline,
                    target,
                    actual,
                    direction,
                    aggregation: Aggregation::parse(reader.form.value(AGGREGATION))
                        .unwrap_or_default(),
                    months: Vec::new(),
                })),
                _ => None,
            }
        } else {
            Some(Measure::Objective)
        };
        let status = match &current {
            Some(goal) => GoalStatus::ALL
                .into_iter()
                .find(|s| s.code() == reader.form.value(STATUS))
                .unwrap_or(goal.status),
            None => GoalStatus::Active,
        };
        let effective = match current {
            Some(_) => reader.required(EFFECTIVE, parse_date),
            None => Some(desk.today()),
        };
        let (
            Some(parent),
            Some(period),
            Some(weight),
            Some(cap),
            Some(owner),
            Some(measure),
            Some(effective),
        ) = (parent, period, weight, cap, owner, measure, effective)
        else {
            return Ok(None);
        };
        let goal = Goal {
            id: current.as_ref().map_or(GoalId(0), |g| g.id),
            title: title.into(),
            owner,
            period,
            parent,
            weight,
            status,
            measure,
            cap_percent: cap,
        };
        let editing = current.is_some();
        let id = goal.id;
        let result = if editing {
            desk.session.update_goal(goal, effective, Some(opened))
        } else {
            desk.session.add_goal(goal)
        };
        if let Err(OpError::Conflict(conflict)) = &result
            && let Ok((_, stored, _)) = self.goal_fields(desk, GoalForm::Edit(id))
        {
            desk.rebase = Some((conflict.now, stored));
        }
        let saved = result.map_err(refused)?;
        let name = format!("{} {}", saved.id, saved.title);
        Ok(Some(Done {
            message: if editing && saved.weight != weight {
                tr!(
                    "goal.edited_weight_later",
                    goal = name,
                    weight = weight,
                    date = effective
                )
            } else if editing && saved.status == GoalStatus::Draft && status == GoalStatus::Active {
                tr!("goal.edited_draft", goal = name)
            } else if editing {
                tr!("goal.edited", goal = name)
            } else if saved.status == GoalStatus::Draft {
                tr!("goal.added_draft", goal = name)
            } else {
                tr!("goal.added", goal = name)
            },
            select: Some(Select::Goal(saved.id)),
            changed: Changes::goals(),
        }))
    }

    /// The owner the department and employee fields name: a person when a
    /// number is given, else the department, else the company.
    fn read_owner(&self, desk: &Desk, reader: &mut FormReader<'_>) -> Option<Owner> {
        let emp_no = reader.text(ids::EMPLOYEE);
        if !emp_no.is_empty() {
            return match desk.session.find_employee(&emp_no) {
                Ok(Some(person)) => Some(Owner::Employee(person.id)),
                Ok(None) => {
                    reader.problem(
                        ids::EMPLOYEE,
                        tr!("staff.check.no_employee", emp_no = emp_no),
                    );
                    None
                }
                Err(err) => {
                    reader.problem(ids::EMPLOYEE, err.to_string());
                    None
                }
            };
        }
        Some(match reader.form.value(ids::DEPARTMENT).parse() {
            Ok(id) => Owner::Department(DepartmentId(id)),
            Err(_) => Owner::Company,
        })
    }

    fn submit_move(
        &mut self,
        desk: &mut Desk,
        reader: &mut FormReader<'_>,
        id: GoalId,
    ) -> Result<Option<Done>, FieldErrors> {
        let current = Self::goal_or_error(desk, id)?;
        let Some(parent) = reader.goal_ref(ids::PARENT) else {
            return Ok(None);
        };
        let moved = Goal { parent, ..current };
        let saved = desk
            .session
            .update_goal(moved, desk.today(), None)
            .map_err(refused)?;
        Ok(Some(Done {
            message: tr!("goal.moved", goal = format!("{} {}", saved.id, saved.title)),
            select: Some(Select::Goal(saved.id)),
            changed: Changes::goals(),
        }))
    }

    fn submit_actual(
        &mut self,
        desk: &mut Desk,
        reader: &mut FormReader<'_>,
        id: GoalId,
    ) -> Result<Option<Done>, FieldErrors> {
        let date = reader.required(ids::DATE, parse_date);
        let value = reader.number(ids::VALUE);
        let (Some(date), Some(value)) = (date, value) else {
            return Ok(None);
        };
        let updated = desk
            .session
            .record_actual(id, date, value, "console")
            .map_err(refused)?;
        self.apply_change(updated.clone());
        self.refresh_history(&desk.session)
            .map_err(|err| vec![(None, err.to_string())])?;
        Ok(Some(Done {
            message: tr!(
                "goal.actual_recorded",
                goal = format!("{} {}", updated.id, updated.title),
                value = super::forms::number_text(value)
            ),
            select: None,
            changed: Changes::scoring(),
        }))
    }

    fn submit_not_achieved(
        &mut self,
        desk: &mut Desk,
        reader: &FormReader<'_>,
        id: GoalId,
    ) -> Result<Option<Done>, FieldErrors> {
        let closed = desk
            .session
            .close_not_achieved(id, &reader.text(ids::REASON))
            .map_err(refused)?;
        self.apply_change(closed.clone());
        self.refresh_history(&desk.session)
            .map_err(|err| vec![(None, err.to_string())])?;
        Ok(Some(Done {
            message: tr!(
                "goal.cli.closed_not_achieved",
                goal = format!("{} {}", closed.id, closed.title)
            ),
            select: None,
            changed: Changes::scoring(),
        }))
    }

    fn submit_cascade(
        &mut self,
        desk: &mut Desk,
        reader: &mut FormReader<'_>,
        id: GoalId,
    ) -> Result<Option<Done>, FieldErrors> {
        use ids::*;
        let title = reader.text(TITLE);
        if title.is_empty() {
            reader.problem(TITLE, tr!("goal.error.empty_title"));
        }
        let split = if reader.form.value(SPLIT) == EACH {
            reader.number(TARGET).map(TargetSplit::Each)
        } else {
            Some(TargetSplit::Even)
        };
        let baseline = reader.number(BASELINE);
        let (Some(split), Some(baseline)) = (split.filter(|_| !title.is_empty()), baseline) else {
            return Ok(None);
        };
        let cascade = Cascade {
            parent: id,
            title,
            metric: reader.text(METRIC),
            unit: reader.text(UNIT),
            split,
            baseline,
        };
        let (drafts, directory) = desk.session.cascade_preview(&cascade).map_err(refused)?;
        let Some(first) = drafts.first() else {
            return Err(vec![(None, tr!("goal.cascade_nobody"))]);
        };
        let (target, baseline) = match &first.measure {
            Measure::Kpi(kpi) => (kpi.target, kpi.baseline),
            Measure::Objective => (0.0, 0.0),
        };
        let names: Vec<String> = drafts
            .iter()
            .filter_map(|goal| match goal.owner {
                Owner::Employee(person) => directory.get(person).map(|p| p.name.clone()),
                _ => None,
            })
            .collect();
        let shown = names.iter().take(6).cloned().collect::<Vec<_>>().join("、");
        let people = match names.len().saturating_sub(6) {
            0 => shown,
            more => tr!("goal.cascade_more", names = shown, more = more),
        };
        desk.ask(Confirm::of(
            super::ID,
            tr!("goal.cascade_confirm_title"),
            tr!(
                "goal.cascade_confirm",
                count = drafts.len(),
                title = cascade.title,
                target = target,
                baseline = baseline,
                weight = first.weight,
                people = people
            ),
            CascadeAsk(cascade),
        ));
        Ok(Some(Done {
            message: String::new(),
            select: None,
            changed: Changes::default(),
        }))
    }

    /// Runs a cascade whose preview was confirmed.
    pub(super) fn run_cascade(&mut self, desk: &mut Desk, cascade: &Cascade) {
        match desk.session.cascade(cascade) {
            Ok(created) => {
                self.expanded.insert(cascade.parent);
                desk.info(tr!("goal.cascaded", count = created.len()));
                desk.wrote(Changes::goals());
            }
            Err(err) => desk.error(err.to_string()),
        }
    }
}
