//! A cycle's scoreboard: every appraisee's scorecard with calibration
//! applied. An upheld appeal's new final score replaces the computed one
//! (its grade follows from the bands); a calibrator's latest grade override
//! is the last word on the grade.

use foldhash::HashMap;

use super::achievement::GoalAchievements;
use super::appeal::{Appeal, AppealId, AppealState};
use super::figure::Figure;
use super::lenient::Leniency;
use super::score::{Inputs, Scorecard, score};
use super::{Cycle, Grade, GradeOverride, Sheet, SheetView};
use crate::domain::employee::EmployeeId;

/// One appraisee's line of the scoreboard.
#[derive(Clone, Debug, PartialEq)]
pub struct BoardRow {
    pub employee: EmployeeId,
    /// The scorecard as computed, with every term.
    pub card: Scorecard,
    /// The final score that counts (an upheld appeal's, else the computed one).
    pub final_score: Option<Figure>,
    /// The grade that counts (an override's, else the bands').
    pub grade: Option<Grade>,
    /// The latest override of this appraisee's grade, if any (boxed: few
    /// rows have one, and every row would carry its room).
    pub overridden: Option<Box<GradeOverride>>,
    /// The state of the latest appeal, if any (the appeal whose score
    /// replaced the computed F, when upheld, is found by
    /// [`upheld_appeal`]).
    pub appeal: Option<AppealState>,
}

/// Of `appeals` (oldest first), the upheld one whose score replaced
/// `employee`'s computed F in `cycle`: their latest, when upheld with a
/// score, rounded as `precision` says.
pub fn upheld_appeal(
    appeals: &[Appeal],
    cycle: &Cycle,
    employee: EmployeeId,
) -> Option<(AppealId, Figure)> {
    let latest = appeals
        .iter()
        .rev()
        .find(|a| a.cycle == cycle.id && a.employee == employee)?;
    upheld(latest, cycle)
}

/// `appeal`'s id and score when it is upheld with one.
fn upheld(appeal: &Appeal, cycle: &Cycle) -> Option<(AppealId, Figure)> {
    let score = appeal
        .new_score()
        .filter(|_| appeal.state() == AppealState::Upheld)?;
    Some((
        appeal.id,
        Figure::round(score, cycle.config.precision).clamped(),
    ))
}

/// What a scoreboard is computed from, besides the cycle.
#[derive(Clone, Copy, Debug)]
pub struct BoardInputs<'a> {
    /// Who is appraised, in the order the board lists them.
    pub people: &'a [EmployeeId],
    pub achievements: &'a GoalAchievements,
    pub sheets: &'a HashMap<EmployeeId, Sheet>,
    /// The cycle's overrides, oldest first.
    pub overrides: &'a [GradeOverride],
    /// The cycle's appeals, oldest first.
    pub appeals: &'a [Appeal],
    /// Every rater's spread, when the cycle normalises marks.
    pub leniency: Option<&'a Leniency>,
}

/// What every row of a scoreboard shares: the cycle, goal achievements,
/// each person's latest override and appeal, and the leniency when marks
/// are normalised. Rows are made one at a time, so a large cycle's sheets
/// can be read and scored one by one.
pub struct BoardContext<'a> {
    cycle: &'a Cycle,
    achievements: &'a GoalAchievements,
    latest_override: HashMap<EmployeeId, &'a GradeOverride>,
    latest_appeal: HashMap<EmployeeId, &'a Appeal>,
    leniency: Option<&'a Leniency>,
}

impl<'a> BoardContext<'a> {
    pub fn new(
        cycle: &'a Cycle,
        achievements: &'a GoalAchievements,
        overrides: &'a [GradeOverride],
        appeals: &'a [Appeal],
        leniency: Option<&'a Leniency>,
    ) -> Self {
        let mut latest_override = HashMap::default();
        for change in overrides.iter().filter(|o| o.cycle == cycle.id) {
            latest_override.insert(change.employee, change);
        }
        let mut latest_appeal = HashMap::default();
        for appeal in appeals.iter().filter(|a| a.cycle == cycle.id) {
            latest_appeal.insert(appeal.employee, appeal);
        }
        BoardContext {
            cycle,
            achievements,
            latest_override,
            latest_appeal,
            leniency,
        }
    }

    /// `employee`'s row, from their sheet (none: nothing entered yet).
    pub fn row(&self, employee: EmployeeId, sheet: Option<&SheetView<'_>>) -> BoardRow {
        let indicators = sheet.map(SheetView::indicator_values).unwrap_or_default();
        let card = score(
            &self.cycle.config,
            &Inputs {
                goals: self.achievements.of(employee),
                indicators: &indicators,
                ratings: sheet.map_or(&[], |s| s.ratings.as_slice()),
                leniency: self.leniency,
            },
        );
        let appeal = self.latest_appeal.get(&employee).copied();
        let upheld = appeal.and_then(|a| upheld(a, self.cycle));
        let final_score = upheld.map(|(_, f)| f).or(card.final_score);
        let overridden = self
            .latest_override
            .get(&employee)
            .map(|o| Box::new((*o).clone()));
        let grade = overridden
            .as_ref()
            .map(|o| o.after)
            .or_else(|| final_score.map(|f| self.cycle.config.bands.grade(f)));
        BoardRow {
            employee,
            card,
            final_score,
            grade,
            overridden,
            appeal: appeal.map(Appeal::state),
        }
    }
}

/// Every appraisee's row, in the order of `inputs.people`.
pub fn scoreboard(cycle: &Cycle, inputs: &BoardInputs<'_>) -> Vec<BoardRow> {
    let context = BoardContext::new(
        cycle,
        inputs.achievements,
        inputs.overrides,
        inputs.appeals,
        inputs.leniency,
    );
    inputs
        .people
        .iter()
        .map(|&employee| {
            let sheet = inputs.sheets.get(&employee).map(Sheet::view);
            context.row(employee, sheet.as_ref())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;
    use crate::domain::goal::Period;
    use crate::domain::goal::progress::Rollup;
    use crate::domain::goal::tree::GoalTree;
    use crate::domain::scoring::appeal::AppealStep;
    use crate::domain::scoring::{CycleConfig, CycleId, CycleState, RaterGroup, Rating};

    fn cycle() -> Cycle {
        Cycle {
            id: CycleId(1),
            name: "2026".into(),
            period: Period::Year(2026),
            starts: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ends: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            scope: Vec::new(),
            state: CycleState::Calibrating,
            config: CycleConfig::default(),
        }
    }

    /// A sheet where the manager marks every competency `mark`.
    fn sheet(employee: u64, mark: u8) -> Sheet {
        let mut sheet = Sheet::new(CycleId(1), EmployeeId(employee));
        for item in &CycleConfig::default().competencies {
            sheet.put_rating(Rating {
                cycle: CycleId(1),
                ratee: EmployeeId(employee),
                rater: EmployeeId(99),
                group: RaterGroup::Manager,
                competency: item.code.clone(),
                value: mark,
                comment: String::new(),
                recorded_by: "hr".into(),
                recorded_at: Utc::now(),
                basis: Default::default(),
                source: Default::default(),
            });
        }
        sheet
    }

    #[test]
    fn appeals_change_the_score_and_overrides_have_the_last_word() {
        let cycle = cycle();
        let people = [EmployeeId(1), EmployeeId(2), EmployeeId(3)];
        let sheets: HashMap<EmployeeId, Sheet> = [sheet(1, 5), sheet(2, 3), sheet(3, 1)]
            .into_iter()
            .map(|s| (s.employee, s))
            .collect();
        let tree = GoalTree::new(Vec::new());
        let through = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let achievements =
            GoalAchievements::new(&tree, &Rollup::compute(&tree), cycle.period, through);
        let mut appeal = Appeal::file(
            cycle.id,
            EmployeeId(2),
            "评分有误",
            cycle.starts,
            "li",
            Utc::now(),
        )
        .unwrap();
        for (state, score) in [
            (AppealState::Investigating, None),
            (AppealState::Upheld, Some(91.0)),
        ] {
            appeal
                .step(AppealStep {
                    state,
                    by: "hr".into(),
                    at: Utc::now(),
                    comment: "ok".into(),
                    new_score: score,
                })
                .unwrap();
        }
        let overrides = [GradeOverride {
            cycle: cycle.id,
            employee: EmployeeId(3),
            before: Grade::D,
            after: Grade::C,
            reason: "长期病假".into(),
            by: "hr".into(),
            at: Utc::now(),
        }];
        let board = scoreboard(
            &cycle,
            &BoardInputs {
                people: &people,
                achievements: &achievements,
                sheets: &sheets,
                overrides: &overrides,
                appeals: &[appeal],
                leniency: None,
            },
        );
        // Nobody has goals, so nobody has a computed final score.
        assert!(board.iter().all(|row| row.card.final_score.is_none()));
        assert_eq!(board[1].final_score.map(Figure::value), Some(91.0));
        assert_eq!(board[1].grade, Some(Grade::S));
        assert_eq!(board[1].appeal, Some(AppealState::Upheld));
        assert_eq!(board[2].grade, Some(Grade::C));
        assert!(board[2].overridden.is_some());
        assert_eq!((board[0].final_score, board[0].grade), (None, None));
    }
}
