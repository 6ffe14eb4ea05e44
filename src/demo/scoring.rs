//! The demo's appraisal cycle for 2026, open: results 70 and capability 30
//! with the shipped competencies, each person marked by their manager and
//! by themself on every competency (six ratings each; the top of the
//! company, having no manager, only by themself); and a training catalogue
//! with two courses per competency.

use chrono::NaiveDate;

use super::dice::Dice;
use crate::domain::employee::Status;
use crate::domain::goal::Period;
use crate::domain::scoring::outcomes::{Course, CourseCatalogue};
use crate::domain::scoring::{
    Basis, Cycle, CycleConfig, CycleId, CycleState, EntrySource, RaterGroup, Rating,
};
use crate::service::{OpError, Session};

/// The demo cycle's name.
pub const CYCLE: &str = "2026 年度考评"; // data: the demo cycle's name

/// Creates and opens the demo cycle and writes its ratings in one batch
/// (the bulk path: they follow the org chart, each a direct relation).
pub fn set_cycle(session: &Session) -> Result<(), OpError> {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
    let cycle = session.add_cycle(Cycle {
        id: CycleId(0),
        name: CYCLE.to_string(),
        period: Period::Year(2026),
        starts: day(12, 1),
        ends: day(12, 31),
        scope: Vec::new(),
        state: CycleState::Draft,
        config: CycleConfig::default(),
    })?;
    let cycle = session.advance_cycle(cycle.id, CycleState::Open)?;
    let mut dice = Dice(2026);
    let mut ratings = Vec::new();
    let mut people = Vec::new();
    session.each_visible_employee(|_, person| {
        if person.status != Status::Departed {
            people.push((person.id, person.manager));
        }
    })?;
    let (user, now) = (session.operator().user.clone(), session.now());
    for &(ratee, manager) in &people {
        let raters = [
            (RaterGroup::Own, Some(ratee)),
            (RaterGroup::Manager, manager),
        ];
        for (group, rater) in raters {
            let Some(rater) = rater else { continue };
            for item in &cycle.config.competencies {
                // Marks lean to 3 and 4, as real ones do.
                ratings.push(Rating {
                    cycle: cycle.id,
                    ratee,
                    rater,
                    group,
                    competency: item.code.clone(),
                    value: [2, 3, 3, 4, 4, 4, 5][dice.below(7)],
                    comment: String::new(),
                    recorded_by: user.clone(),
                    recorded_at: now,
                    basis: Basis::Holds,
                    source: EntrySource::Bulk,
                });
            }
        }
    }
    if !ratings.is_empty() {
        session.bulk_ratings(&ratings)?;
    }
    session.set_course_catalogue(courses())
}

/// The training catalogue: two courses for each shipped competency.
fn courses() -> CourseCatalogue {
    let course = |code: &str, title: &str, competency: &str| Course {
        code: code.to_string(),
        title: title.to_string(),
        competency: competency.to_string(),
    };
    CourseCatalogue {
        courses: vec![
            course("EXP-101", "业务知识进阶 Product knowledge", "expertise"), // data: demo
            course("EXP-201", "数据分析入门 Data analysis", "expertise"),     // data: demo
            course("TEAM-101", "高效协作 Working together", "teamwork"),      // data: demo
            course("TEAM-201", "跨部门项目 Cross-team projects", "teamwork"), // data: demo
            course("COM-101", "结构化表达 Clear writing", "communication"),   // data: demo
            course(
                "COM-201",
                "非暴力沟通 Difficult conversations",
                "communication",
            ), // data: demo
        ],
    }
}
