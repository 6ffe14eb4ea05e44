//! The demo's appraisal cycle for 2026, open: results 70 and capability 30
//! with the shipped competencies, everyone rated (see `ratings`); and a
//! training catalogue with two courses per competency.

use chrono::NaiveDate;

use super::cast::Cast;
use super::dice::Dice;
use super::ratings::rate;
use crate::domain::goal::Period;
use crate::domain::scoring::outcomes::{Course, CourseCatalogue};
use crate::domain::scoring::{Cycle, CycleConfig, CycleId, CycleState};
use crate::service::{OpError, Session};

/// The demo cycle's name.
pub const CYCLE: &str = "2026 年度考评"; // data: the demo cycle's name

/// Creates and opens the demo cycle, rates everyone and sets the training
/// catalogue; the cycle, open.
pub fn set_cycle(session: &Session, cast: &Cast) -> Result<Cycle, OpError> {
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
    rate(session, &cycle, Dice(2026), cast)?;
    session.set_course_catalogue(courses())?;
    Ok(cycle)
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
