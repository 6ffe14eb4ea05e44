//! The demo cycle's calibration so far, among the sales reps (whose
//! figures do not move with the month, so the same people every day): an
//! appeal upheld with a new score, one rejected, and a grade overridden,
//! each with its comment or reason.

use chrono::NaiveDate;

use crate::domain::department::DepartmentTree;
use crate::domain::employee::EmployeeId;
use crate::domain::scoring::appeal::AppealState;
use crate::domain::scoring::{Cycle, CycleId, Figure, Grade};
use crate::service::{Appraisee, OpError, Session};

/// The sales regions, where the reps work.
const REGIONS: [&str; 2] = ["华东大区", "华南大区"]; // data: department names

/// Files and decides two appeals and overrides one grade in `cycle`: the
/// first rep graded B (upheld, F + 4), the first graded C (rejected), the
/// next graded C (overridden to B).
pub fn calibrate(session: &Session, cycle: &Cycle) -> Result<(), OpError> {
    let results = session.cycle_results(cycle)?;
    let board = &results.board;
    let mut reps: Vec<(EmployeeId, Grade, Figure)> = board
        .people
        .iter()
        .zip(&board.rows)
        .filter(|(person, _)| in_regions(&board.departments, person))
        .filter_map(|(person, row)| Some((person.id, row.grade?, row.final_score?)))
        .collect();
    let mut graded = |wanted: Grade| {
        let at = reps.iter().position(|&(_, grade, _)| grade == wanted)?;
        Some(reps.remove(at))
    };
    let (upheld, rejected, overridden) = (graded(Grade::B), graded(Grade::C), graded(Grade::C));
    let today = session.today();
    if let Some((person, _, score)) = upheld {
        let new_score = (score.value() + 4.0).min(100.0);
        let story = AppealStory {
            reason: "11 月大客户回款未计入业绩", // data: an appeal's reason
            looked_into: "正在核对财务回款记录", // data: an appeal's step
            decision: "财务确认回款 12 万元，按补计后的业绩重算", // data: a decision
        };
        story.tell(
            session,
            cycle.id,
            person,
            today,
            (AppealState::Upheld, Some(new_score)),
        )?;
    }
    if let Some((person, _, _)) = rejected {
        let story = AppealStory {
            reason: "11 月两笔订单应计入本期业绩", // data: an appeal's reason
            looked_into: "调阅两笔订单的合同",     // data: an appeal's step
            decision: "两笔订单尚未回款，按制度回款后计入，维持原评分", // data: a decision
        };
        story.tell(
            session,
            cycle.id,
            person,
            today,
            (AppealState::Rejected, None),
        )?;
    }
    if let Some((person, _, _)) = overridden {
        let reason = "下半年支援华南大区开店，业绩计入对方"; // data: an override's reason
        session.override_grade(cycle.id, person, Grade::B, reason)?;
    }
    Ok(())
}

/// Whether `person` works in one of the sales regions.
/// One appeal of the demo, from filing to its decision.
struct AppealStory {
    reason: &'static str,
    looked_into: &'static str,
    decision: &'static str,
}

impl AppealStory {
    /// Files the appeal for `person` on `filed`, looks into it, then
    /// decides it `(state, new score)`.
    fn tell(
        &self,
        session: &Session,
        cycle: CycleId,
        person: EmployeeId,
        filed: NaiveDate,
        (decided, new_score): (AppealState, Option<f64>),
    ) -> Result<(), OpError> {
        let appeal = session.file_appeal(cycle, person, self.reason, filed)?;
        session.step_appeal(
            appeal.id,
            AppealState::Investigating,
            self.looked_into,
            None,
        )?;
        session.step_appeal(appeal.id, decided, self.decision, new_score)?;
        Ok(())
    }
}

fn in_regions(departments: &DepartmentTree, person: &Appraisee) -> bool {
    departments
        .get(person.department)
        .is_some_and(|d| REGIONS.contains(&d.name.as_str()))
}
