//! The Scoring pane's actions and forms: switching cycles and views,
//! moving the cycle on (asks first), entering a rating, overriding a
//! grade with a reason, and filing or deciding an appeal.

use chrono::NaiveDate;

use super::Showing;
use crate::app::action::Action;
use crate::app::admin::{Done, FieldErrors, Refresh, Submitted};
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form_reader::FormReader;
use crate::app::session::OpError;
use crate::app::{App, Confirm, FormKind, Pending};
use crate::domain::cleanup::{parse_date, parse_number};
use crate::domain::employee::EmployeeId;
use crate::domain::scoring::appeal::{AppealId, AppealState};
use crate::domain::scoring::entry::ScoringError;
use crate::domain::scoring::{CycleId, CycleState, Grade, RaterGroup, Rating};
use crate::tr;

/// Which Scoring form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoringForm {
    Rate(CycleId, EmployeeId),
    Override(CycleId, EmployeeId),
    FileAppeal(CycleId, EmployeeId),
    DecideAppeal(AppealId),
}

/// Field ids of the Scoring forms.
mod ids {
    pub const RATER: &str = "rater";
    pub const GROUP: &str = "group";
    pub const COMPETENCY: &str = "competency";
    pub const MARK: &str = "mark";
    pub const GRADE: &str = "grade";
    pub const REASON: &str = "reason";
    pub const DATE: &str = "date";
    pub const STEP: &str = "step";
    pub const SCORE: &str = "score";
}

impl App {
    /// Reads the cycles and recomputes the one on screen.
    pub(in crate::app) fn reload_scoring(&mut self) {
        let page = self.page();
        if let Err(err) = self.scoring.reload(&self.session, page) {
            self.error(err.to_string());
        }
    }

    /// The Scoring pane's browse actions.
    pub(in crate::app) fn scoring_action(&mut self, action: Action) {
        let page = self.page();
        let result = match action {
            Action::NextCycle | Action::PrevCycle => {
                let forward = action == Action::NextCycle;
                self.scoring.step_cycle(forward, &self.session, page)
            }
            Action::Distribution => {
                self.scoring.showing = match self.scoring.showing {
                    Showing::Board => Showing::Distribution,
                    Showing::Distribution => Showing::Board,
                };
                Ok(())
            }
            Action::AdvanceCycle => {
                self.ask_advance();
                Ok(())
            }
            Action::Rate | Action::OverrideGrade | Action::Appeal => self.open_scoring_form(action),
            _ => Ok(()),
        };
        if let Err(err) = result {
            self.error(err.to_string());
        }
    }

    /// Asks before moving the cycle on screen to its next state.
    fn ask_advance(&mut self) {
        let Some(cycle) = self.scoring.cycle() else {
            self.info(tr!("scoring.none"));
            return;
        };
        let Some(next) = cycle.state.next() else {
            self.error(ScoringError::Cycle(crate::domain::scoring::CycleError::Frozen).to_string());
            return;
        };
        let message = if next == CycleState::Closed {
            tr!("scoring.confirm.close", name = cycle.name)
        } else {
            tr!(
                "scoring.confirm.advance",
                name = cycle.name,
                from = cycle.state.label(),
                to = next.label()
            )
        };
        self.confirm = Some(Confirm {
            title: tr!("scoring.confirm.title"),
            message,
            on_yes: Pending::AdvanceCycle(cycle.id, next),
        });
    }

    /// Moves a cycle on (after the confirmation).
    pub(in crate::app) fn advance_cycle(&mut self, id: CycleId, to: CycleState) {
        match self.session.advance_cycle(id, to) {
            Ok(cycle) => {
                self.info(tr!(
                    "scoring.advanced",
                    name = cycle.name,
                    state = cycle.state.label()
                ));
                self.reload_scoring();
            }
            Err(err) => self.error(err.to_string()),
        }
    }

    fn open_scoring_form(&mut self, action: Action) -> Result<(), OpError> {
        use ids::*;
        let (Some(cycle), Some((person, row))) = (self.scoring.cycle(), self.scoring.selected())
        else {
            self.info(tr!("scoring.select_someone"));
            return Ok(());
        };
        let who = format!("{} {}", person.emp_no, person.name);
        let today = self.today().format("%Y-%m-%d").to_string();
        let (kind, title, fields) = match action {
            Action::Rate => {
                let groups = RaterGroup::ALL
                    .iter()
                    .map(|g| ChoiceOption::new(g.code(), g.label()))
                    .collect();
                let competencies = cycle
                    .config
                    .competencies
                    .iter()
                    .map(|c| ChoiceOption::new(c.code.clone(), c.name.clone()))
                    .collect();
                let (low, high) = cycle.config.scale;
                (
                    ScoringForm::Rate(cycle.id, person.id),
                    tr!("scoring.form.rate", who = who),
                    vec![
                        Field::text(RATER, tr!("scoring.field.rater"), ""),
                        Field::choice(GROUP, tr!("scoring.field.group"), groups, "peer"),
                        Field::choice(
                            COMPETENCY,
                            tr!("scoring.field.competency"),
                            competencies,
                            "",
                        ),
                        Field::text(MARK, tr!("scoring.field.mark", low = low, high = high), ""),
                    ],
                )
            }
            Action::OverrideGrade => {
                let grades = Grade::ALL
                    .iter()
                    .map(|g| ChoiceOption::new(g.code(), g.code()))
                    .collect();
                let current = row.grade.map_or("B", Grade::code);
                (
                    ScoringForm::Override(cycle.id, person.id),
                    tr!("scoring.form.override", who = who),
                    vec![
                        Field::choice(GRADE, tr!("scoring.field.grade"), grades, current),
                        Field::text(REASON, tr!("scoring.field.reason"), ""),
                    ],
                )
            }
            _ => match self.open_appeal(cycle.id, person.id)? {
                Some(appeal) => {
                    let steps: Vec<ChoiceOption> = match appeal.state() {
                        AppealState::Open => vec![AppealState::Investigating],
                        _ => vec![AppealState::Upheld, AppealState::Rejected],
                    }
                    .into_iter()
                    .map(|s| ChoiceOption::new(s.code(), s.label()))
                    .collect();
                    (
                        ScoringForm::DecideAppeal(appeal.id),
                        tr!("scoring.form.decide", who = who, reason = appeal.reason),
                        vec![
                            Field::choice(STEP, tr!("scoring.field.step"), steps, ""),
                            Field::text(REASON, tr!("scoring.field.comment"), ""),
                            Field::text(SCORE, tr!("scoring.field.new_score"), ""),
                        ],
                    )
                }
                None => (
                    ScoringForm::FileAppeal(cycle.id, person.id),
                    tr!("scoring.form.appeal", who = who),
                    vec![
                        Field::text(REASON, tr!("scoring.field.reason"), ""),
                        Field::text(DATE, tr!("scoring.field.filed"), &today),
                    ],
                ),
            },
        };
        self.form = Some(Form::new(FormKind::Scoring(kind), title, fields));
        Ok(())
    }

    /// The undecided appeal of `employee` in `cycle`, if any.
    fn open_appeal(
        &self,
        cycle: CycleId,
        employee: EmployeeId,
    ) -> Result<Option<crate::domain::scoring::appeal::Appeal>, OpError> {
        Ok(self
            .session
            .store()
            .appeals()?
            .into_iter()
            .find(|a| a.cycle == cycle && a.employee == employee && !a.state().is_decided()))
    }

    /// Submits a Scoring form.
    pub(in crate::app) fn submit_scoring(
        &mut self,
        form: &Form<FormKind>,
        which: ScoringForm,
    ) -> Submitted {
        use ids::*;
        let mut reader = FormReader::new(form);
        let session = &self.session;
        let result = match which {
            ScoringForm::Rate(cycle, ratee) => {
                let rater = reader.required(RATER, |text| {
                    session
                        .find_employee(text)
                        .ok()
                        .flatten()
                        .map(|e| e.id)
                        .ok_or_else(|| tr!("staff.check.no_employee", emp_no = text))
                });
                let mark = reader.required(MARK, |text| {
                    parse_number(text)
                        .ok()
                        .filter(|m| m.fract() == 0.0 && (0.0..=255.0).contains(m))
                        .map(|m| m as u8)
                        .ok_or_else(|| tr!("scoring.import.mark", value = text))
                });
                let group = RaterGroup::parse(form.value(GROUP));
                let (Some(rater), Some(value), Some(group)) = (rater, mark, group) else {
                    return Err(reader.problems);
                };
                session
                    .record_ratings(&[Rating {
                        cycle,
                        ratee,
                        rater,
                        group,
                        competency: form.value(COMPETENCY).to_string(),
                        value,
                        comment: String::new(),
                        recorded_by: session.operator().user.clone(),
                        recorded_at: session.now(),
                    }])
                    .map(|_| tr!("scoring.rated"))
            }
            ScoringForm::Override(cycle, employee) => {
                let grade = form.value(GRADE).parse::<Grade>().unwrap_or(Grade::B);
                session
                    .override_grade(cycle, employee, grade, &reader.text(REASON))
                    .map(|change| tr!("scoring.overridden", grade = change.after))
            }
            ScoringForm::FileAppeal(cycle, employee) => {
                let filed: Option<NaiveDate> = reader.required(DATE, parse_date);
                let Some(filed) = filed else {
                    return Err(reader.problems);
                };
                session
                    .file_appeal(cycle, employee, &reader.text(REASON), filed)
                    .map(|appeal| tr!("scoring.appeal_filed", id = appeal.id))
            }
            ScoringForm::DecideAppeal(id) => {
                let score = reader.optional(SCORE, parse_number);
                if !reader.problems.is_empty() {
                    return Err(reader.problems);
                }
                let to = match form.value(STEP) {
                    "upheld" => AppealState::Upheld,
                    "rejected" => AppealState::Rejected,
                    _ => AppealState::Investigating,
                };
                session
                    .step_appeal(id, to, &reader.text(REASON), score)
                    .map(|appeal| tr!("scoring.appeal_stepped", id = appeal.id, state = to.label()))
            }
        };
        let message = result.map_err(|err| field_errors(which, err))?;
        // A rating changes one scorecard: score that person again in place.
        let refresh = match which {
            ScoringForm::Rate(_, ratee) => match self.scoring.rescore(&self.session, ratee) {
                Ok(()) => Refresh::Nothing,
                Err(_) => Refresh::Scoring,
            },
            _ => Refresh::Scoring,
        };
        Ok(Done {
            message,
            select: None,
            refresh,
        })
    }
}

/// The field a refused Scoring form's error belongs to.
fn field_errors(which: ScoringForm, err: OpError) -> FieldErrors {
    use ids::*;
    let field = match (&err, which) {
        (OpError::Scoring(ScoringError::MarkOutOfScale { .. }), _) => Some(MARK),
        (OpError::Scoring(ScoringError::UnknownRater(_)), _) => Some(RATER),
        (OpError::Scoring(ScoringError::SelfRating), _) => Some(GROUP),
        (OpError::Scoring(ScoringError::ReasonRequired), _) => Some(REASON),
        (OpError::Scoring(ScoringError::Appeal(e)), _) => Some(match e {
            crate::domain::scoring::appeal::AppealError::ScoreRequired => SCORE,
            _ => REASON,
        }),
        _ => None,
    };
    vec![(field, err.to_string())]
}
