//! The Scoring pane's actions and forms: switching cycles and views,
//! moving the cycle on (asks first), entering a rating, overriding a
//! grade with a reason, and filing or deciding an appeal.

use chrono::NaiveDate;

use super::cycle_form::{self, setting_field};
use super::{ID, ScoringView};
use crate::action::Action;
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::FormReader;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, FieldErrors, Submitted};
use crate::app::pane::Errand;
use crate::domain::cleanup::{parse_date, parse_number};
use crate::domain::employee::EmployeeId;
use crate::domain::scoring::appeal::AppealError;
use crate::domain::scoring::appeal::{AppealId, AppealState};
use crate::domain::scoring::config::GOALS_INDICATOR;
use crate::domain::scoring::entry::ScoringError;
use crate::domain::scoring::{
    Basis, CycleError, CycleId, CycleState, EntrySource, Grade, IndicatorValue, RaterGroup, Rating,
};
use crate::service::access::Permission;
use crate::service::{OpError, RatingEntry};
use crate::tr;

/// Which Scoring form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoringForm {
    AddCycle,
    EditCycle(CycleId),
    Reopen(CycleId),
    Rate(CycleId, EmployeeId),
    Indicator(CycleId, EmployeeId),
    Override(CycleId, EmployeeId),
    FileAppeal(CycleId, EmployeeId),
    DecideAppeal(AppealId),
}

/// What the Scoring pane asks before doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Advance(CycleId, CycleState),
    Normalise(CycleId, bool),
}

/// A rating that replaces the same rater's mark for the same competency,
/// recorded once the operator confirms (the form stays open meanwhile).
#[derive(Clone, Debug, PartialEq)]
pub struct ReplaceRating(pub RatingEntry);

/// Field ids of the Scoring forms.
mod ids {
    pub const RATER: &str = "rater";
    pub const GROUP: &str = "group";
    pub const COMPETENCY: &str = "competency";
    pub const MARK: &str = "mark";
    pub const COMMENT: &str = "comment";
    pub const OVERRIDE: &str = "override_reason";
    pub const GRADE: &str = "grade";
    pub const REASON: &str = "reason";
    pub const DATE: &str = "date";
    pub const STEP: &str = "step";
    pub const SCORE: &str = "score";
    pub const INDICATOR: &str = "indicator";
    pub const VALUE: &str = "value";
}

impl ScoringView {
    /// Reads the cycles and recomputes the one on screen.
    pub(super) fn reload_scoring(&mut self, desk: &mut Desk) {
        if let Err(err) = self.reload(desk) {
            desk.error(err.to_string());
        }
    }

    /// Asks before moving the cycle on screen to its next state.
    pub(super) fn ask_advance(&mut self, desk: &mut Desk) {
        let Some(cycle) = self.cycle() else {
            desk.info(tr!("scoring.none"));
            return;
        };
        let Some(next) = cycle.state.next() else {
            // A closed cycle goes no further: an admin may reopen it.
            let fields = vec![Field::text(ids::REASON, tr!("scoring.field.reason"), "")];
            let title = tr!("scoring.form.reopen", name = cycle.name);
            let kind = Errand::new(ID, ScoringForm::Reopen(cycle.id));
            desk.form = Some(Form::new(kind, title, fields));
            return;
        };
        let over = match &self.results {
            Some(results) if next == CycleState::Closed => results.over_quota(),
            _ => Vec::new(),
        };
        let message = if !over.is_empty() {
            let departments = self.results.as_ref().map(|r| &r.board.departments);
            let pools: Vec<String> = over
                .iter()
                .map(|(pool, grades)| {
                    let grades: Vec<String> =
                        grades.iter().map(|(g, n)| format!("{g} +{n}")).collect();
                    let name = departments.map(|d| pool.describe(d)).unwrap_or_default();
                    format!("{name}: {}", grades.join(", "))
                })
                .collect();
            tr!(
                "scoring.confirm.close_over_quota",
                name = cycle.name,
                over = pools.join("; ")
            )
        } else if next == CycleState::Closed {
            tr!("scoring.confirm.close", name = cycle.name)
        } else {
            tr!(
                "scoring.confirm.advance",
                name = cycle.name,
                from = cycle.state.label(),
                to = next.label()
            )
        };
        desk.ask(Confirm::of(
            ID,
            tr!("scoring.confirm.title"),
            message,
            Ask::Advance(cycle.id, next),
        ));
    }

    /// Asks before turning the normalisation of marks on or off.
    pub(super) fn ask_normalise(&mut self, desk: &mut Desk) {
        let Some(cycle) = self.cycle() else {
            desk.info(tr!("scoring.none"));
            return;
        };
        let on = !cycle.config.normalise;
        let message = if on {
            tr!("scoring.confirm.normalise_on", name = cycle.name)
        } else {
            tr!("scoring.confirm.normalise_off", name = cycle.name)
        };
        desk.ask(Confirm::of(
            ID,
            tr!("scoring.confirm.normalise_title"),
            message,
            Ask::Normalise(cycle.id, on),
        ));
    }

    /// Turns normalisation on or off (after the confirmation).
    pub(super) fn set_normalisation(&mut self, desk: &mut Desk, id: CycleId, on: bool) {
        match desk.session.set_normalisation(id, on) {
            Ok(cycle) => {
                desk.info(if on {
                    tr!("scoring.normalised_on", name = cycle.name)
                } else {
                    tr!("scoring.normalised_off", name = cycle.name)
                });
                self.reload_scoring(desk);
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// Moves a cycle on (after the confirmation).
    pub(super) fn advance_cycle(&mut self, desk: &mut Desk, id: CycleId, to: CycleState) {
        match desk.session.advance_cycle(id, to) {
            Ok(cycle) => {
                desk.info(tr!(
                    "scoring.advanced",
                    name = cycle.name,
                    state = cycle.state.label()
                ));
                self.reload_scoring(desk);
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    pub(super) fn open_scoring_form(
        &mut self,
        desk: &mut Desk,
        action: Action,
    ) -> Result<(), OpError> {
        use ids::*;
        let (Some(cycle), Some((person, row))) = (self.cycle(), self.selected()) else {
            desk.info(tr!("scoring.select_someone"));
            return Ok(());
        };
        let who = format!("{} {}", person.emp_no, person.name);
        let today = desk.today().format("%Y-%m-%d").to_string();
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
                        Field::person(RATER, tr!("scoring.field.rater"), ""),
                        Field::choice(GROUP, tr!("scoring.field.group"), groups, "peer"),
                        Field::choice(
                            COMPETENCY,
                            tr!("scoring.field.competency"),
                            competencies,
                            "",
                        ),
                        Field::text(MARK, tr!("scoring.field.mark", low = low, high = high), ""),
                        Field::text(COMMENT, tr!("scoring.field.comment"), ""),
                    ],
                )
            }
            Action::EnterIndicator => {
                let imported: Vec<ChoiceOption> = cycle
                    .config
                    .indicators
                    .iter()
                    .filter(|i| i.code != GOALS_INDICATOR)
                    .map(|i| ChoiceOption::new(i.code.clone(), i.name.clone()))
                    .collect();
                if imported.is_empty() {
                    desk.info(tr!("scoring.no_imported_indicators"));
                    return Ok(());
                }
                (
                    ScoringForm::Indicator(cycle.id, person.id),
                    tr!("scoring.form.indicator", who = who),
                    vec![
                        Field::choice(INDICATOR, tr!("scoring.field.indicator"), imported, ""),
                        Field::text(VALUE, tr!("scoring.field.value"), ""),
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
            _ => match desk.session.open_appeal(cycle.id, person.id)? {
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
        desk.form = Some(Form::new(Errand::new(ID, kind), title, fields));
        Ok(())
    }

    /// Submits a Scoring form.
    pub(super) fn submit_scoring(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        which: ScoringForm,
    ) -> Submitted {
        use ids::*;
        let mut reader = FormReader::new(form);
        let session = &desk.session;
        let result = match which {
            ScoringForm::AddCycle | ScoringForm::EditCycle(_) => {
                match self.save_cycle(desk, &mut reader, which) {
                    Some(saved) => saved,
                    None => return Err(reader.problems),
                }
            }
            ScoringForm::Reopen(cycle) => session
                .reopen_cycle(cycle, &reader.text(REASON))
                .map(|c| tr!("scoring.advanced", name = c.name, state = c.state.label())),
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
                let entry = RatingEntry {
                    rating: Rating {
                        cycle,
                        ratee,
                        rater,
                        group,
                        competency: form.value(COMPETENCY).to_string(),
                        value,
                        comment: reader.text(COMMENT),
                        recorded_by: session.operator().user.clone(),
                        recorded_at: session.now(),
                        basis: Basis::Holds,
                        source: EntrySource::Console,
                    },
                    override_reason: reader.has(OVERRIDE).then(|| reader.text(OVERRIDE)),
                };
                return self.submit_rating(desk, form, entry);
            }
            ScoringForm::Indicator(cycle, employee) => {
                let Some(value) = reader.required(VALUE, parse_number) else {
                    return Err(reader.problems);
                };
                session
                    .record_indicators(&[IndicatorValue {
                        cycle,
                        employee,
                        indicator: form.value(INDICATOR).to_string(),
                        value,
                        recorded_by: session.operator().user.clone(),
                        recorded_at: session.now(),
                    }])
                    .map(|_| tr!("scoring.indicator_recorded"))
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
        let message = result.map_err(field_errors)?;
        // An indicator changes one scorecard: score that person again in place.
        let changed = match which {
            ScoringForm::Indicator(_, person) => match self.rescore(&desk.session, person) {
                Ok(()) => Changes::default(),
                Err(_) => Changes::scoring(),
            },
            _ => Changes::scoring(),
        };
        Ok(Done::wrote(message, changed))
    }
}

impl ScoringView {
    /// Checks a rating from the form first: a relation that does not hold
    /// gives an operator who may override it a field for the reason (the
    /// form stays open, the refusal on that field); a mark that would
    /// replace the same rater's earlier one is shown and asked about;
    /// anything else is recorded at once.
    fn submit_rating(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        entry: RatingEntry,
    ) -> Submitted {
        use ids::*;
        let session = &desk.session;
        match session.check_rating_entry(&entry) {
            Err(OpError::Scoring(err @ ScoringError::Relation { .. }))
                if entry.override_reason.is_none()
                    && session.may(Permission::OverrideRelations) =>
            {
                let mut reopened = form.clone();
                reopened.fields.push(Field::text(
                    OVERRIDE,
                    tr!("scoring.field.override_reason"),
                    "",
                ));
                reopened.set_error(
                    Some(OVERRIDE),
                    tr!("scoring.override_hint", why = err.to_string()),
                );
                desk.form = Some(reopened);
                Err(Vec::new())
            }
            Err(err) => Err(field_errors(err)),
            Ok((_, Some(old))) => {
                let rater = desk.session.employee(old.rater).ok().flatten().map_or_else(
                    || old.rater.to_string(),
                    |e| format!("{} {}", e.emp_no, e.name),
                );
                let message = tr!(
                    "scoring.confirm.replace",
                    rater = rater,
                    competency = old.competency,
                    old = old.value,
                    by = old.recorded_by,
                    at = old.recorded_at.format("%Y-%m-%d %H:%M"),
                    source = old.source.label(),
                    new = entry.rating.value
                );
                desk.form = Some(form.clone());
                desk.ask(Confirm::of(
                    ID,
                    tr!("scoring.confirm.replace_title"),
                    message,
                    ReplaceRating(entry),
                ));
                Err(Vec::new())
            }
            Ok(_) => {
                let (message, changed) = self.record_rating(desk, &entry).map_err(field_errors)?;
                Ok(Done::wrote(message, changed))
            }
        }
    }

    /// Records a rating; the message (how its relation held when not
    /// simply) and what to tell the panes.
    fn record_rating(
        &mut self,
        desk: &mut Desk,
        entry: &RatingEntry,
    ) -> Result<(String, Changes), OpError> {
        let rating = desk.session.record_rating(entry)?;
        let message = match rating.basis.label() {
            basis if basis.is_empty() => tr!("scoring.rated"),
            basis => tr!("scoring.rated_as", basis = basis),
        };
        let changed = match self.rescore(&desk.session, rating.ratee) {
            Ok(()) => Changes::default(),
            Err(_) => Changes::scoring(),
        };
        Ok((message, changed))
    }

    /// Records a replacing rating once confirmed, closing its form; a
    /// refusal shows on the form, still open.
    pub(super) fn replace_rating(&mut self, desk: &mut Desk, entry: &RatingEntry) {
        match self.record_rating(desk, entry) {
            Ok((message, changed)) => {
                desk.form = None;
                desk.info(message);
                desk.wrote(changed);
            }
            Err(err) => match desk.form.as_mut() {
                Some(form) => {
                    for (field, message) in field_errors(err).into_iter().rev() {
                        form.set_error(field, message);
                    }
                }
                None => desk.error(err.to_string()),
            },
        }
    }
}

/// The field a refused Scoring form's error belongs to.
fn field_errors(err: OpError) -> FieldErrors {
    use ids::*;
    let scoring = match &err {
        OpError::Scoring(scoring) => scoring,
        // Only an override is refused by role once the form is open.
        OpError::Denied(_) => return vec![(Some(OVERRIDE), err.to_string())],
        _ => return vec![(None, err.to_string())],
    };
    if let ScoringError::Settings(problems) = scoring {
        return problems
            .iter()
            .map(|p| (Some(setting_field(&p.setting)), p.message.clone()))
            .collect();
    }
    let field = match scoring {
        ScoringError::MarkOutOfScale { .. } => Some(MARK),
        ScoringError::ValueOutOfRange(_) => Some(VALUE),
        ScoringError::UnknownRater(_) => Some(RATER),
        ScoringError::SelfRating | ScoringError::Relation { .. } => Some(GROUP),
        ScoringError::Comment(_) => Some(COMMENT),
        ScoringError::PeerNotAllowed { .. } => Some(OVERRIDE),
        ScoringError::ReasonRequired | ScoringError::Cycle(CycleError::ReasonRequired) => {
            Some(REASON)
        }
        ScoringError::NameRequired | ScoringError::NameTaken(_) => Some(cycle_form::ids::NAME),
        ScoringError::Dates { .. } => Some(cycle_form::ids::ENDS),
        ScoringError::UnknownDepartment(_) => Some(cycle_form::ids::SCOPE),
        ScoringError::Appeal(AppealError::ScoreRequired | AppealError::ScoreNotTaken(_)) => {
            Some(SCORE)
        }
        ScoringError::Appeal(_) => Some(REASON),
        _ => None,
    };
    vec![(field, err.to_string())]
}
