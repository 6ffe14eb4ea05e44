//! Each appraisee's goal achievement in a cycle's period, or what is
//! missing for it. A person's counted goals are their own top goals (not
//! under another goal of theirs) within the period and not archived; the
//! achievement is their weighted mean progress. A goal measured nowhere
//! below it (a KPI without an actual, an objective without key results)
//! leaves the achievement unknown, and so does a month without a value
//! of a goal measured month by month (see `goal::aggregation`), for the
//! months begun by the day read: the person is not graded, and the missing
//! goals and months are named. An actual of 0 is an actual.

use chrono::NaiveDate;
use foldhash::HashMap;
use serde::{Deserialize, Serialize};

use crate::domain::employee::EmployeeId;
use crate::domain::goal::outline::Measured;
use crate::domain::goal::progress::Rollup;
use crate::domain::goal::tree::GoalTree;
use crate::domain::goal::{GoalId, GoalStatus, Owner, Period};

/// How many missing goals a result names; the rest are counted.
pub const MISSING_NAMED: usize = 5;

/// A measurement a goal lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingActual {
    pub goal: GoalId,
    /// The month without a value, for a goal measured month by month
    /// (its first day); none: the goal has no actual at all.
    pub month: Option<NaiveDate>,
}

/// What a person's goals say for a cycle.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum GoalResult {
    /// No goal of theirs lies in the period.
    #[default]
    NoGoals,
    /// Their achievement in percent (100 is on target).
    Achieved(f64),
    /// Goals that count lack a measurement: the first few, and how many.
    /// (A slice and a 32-bit count: a board keeps one result per person.)
    Missing {
        first: Box<[MissingActual]>,
        total: u32,
    },
}

impl GoalResult {
    /// The achievement, when it is known.
    pub fn achieved(&self) -> Option<f64> {
        match self {
            GoalResult::Achieved(percent) => Some(*percent),
            _ => None,
        }
    }
}

/// Everyone's goal result in one period, read from the goal tree in one
/// pass over the goals and one walk below each counted goal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalAchievements {
    /// By employee id (a million people's results with no room to spare).
    by_employee: Vec<(EmployeeId, GoalResult)>,
}

/// Results recorded earlier (when a cycle closed).
impl FromIterator<(EmployeeId, GoalResult)> for GoalAchievements {
    fn from_iter<I: IntoIterator<Item = (EmployeeId, GoalResult)>>(iter: I) -> Self {
        GoalAchievements::by_id(iter.into_iter().collect())
    }
}

/// One person's counted goals as they are added up (what they lack is
/// kept apart: most people lack nothing).
#[derive(Default)]
struct Tally {
    weighted: f64,
    weights: f64,
    plain: f64,
    count: usize,
}

/// What one person's counted goals lack, as it is found.
#[derive(Default)]
struct Lacking {
    first: Vec<MissingActual>,
    total: u32,
}

impl Lacking {
    fn note(&mut self, missing: MissingActual) {
        self.total = self.total.saturating_add(1);
        if self.first.len() < MISSING_NAMED {
            self.first.push(missing);
        }
    }
}

impl Tally {
    fn result(self, lacking: Option<Lacking>) -> GoalResult {
        if let Some(Lacking { first, total }) = lacking {
            let first = first.into_boxed_slice();
            return GoalResult::Missing { first, total };
        }
        let mean = if self.weights > 0.0 {
            self.weighted / self.weights
        } else {
            self.plain / self.count as f64
        };
        GoalResult::Achieved(mean)
    }
}

impl GoalAchievements {
    /// The results of the goals within `period`, month-by-month goals
    /// measured for the months begun by `through`.
    pub fn new<G: Measured>(
        tree: &GoalTree<G>,
        rollup: &Rollup,
        period: Period,
        through: NaiveDate,
    ) -> GoalAchievements {
        let mut tallies: HashMap<EmployeeId, Tally> = HashMap::default();
        let mut lacking: HashMap<EmployeeId, Lacking> = HashMap::default();
        for slot in 0..tree.len() {
            let goal = tree.at(slot);
            let Owner::Employee(person) = goal.owner() else {
                continue;
            };
            let under_own = tree
                .parent_slot(slot)
                .is_some_and(|p| tree.at(p).owner() == goal.owner());
            if goal.status() == GoalStatus::Archived || !period.contains(goal.period()) || under_own
            {
                continue;
            }
            let progress = rollup.at(slot) * 100.0;
            let tally = tallies.entry(person).or_default();
            tally.weighted += f64::from(goal.weight().0) * progress;
            tally.weights += f64::from(goal.weight().0);
            tally.plain += progress;
            tally.count += 1;
            for unmeasured in unmeasured_below(tree, slot, through) {
                lacking.entry(person).or_default().note(unmeasured);
            }
        }
        let results = tallies
            .into_iter()
            .map(|(person, tally)| (person, tally.result(lacking.remove(&person))))
            .collect();
        GoalAchievements::by_id(results)
    }

    /// Results put in id order.
    fn by_id(mut by_employee: Vec<(EmployeeId, GoalResult)>) -> GoalAchievements {
        by_employee.sort_unstable_by_key(|(id, _)| *id);
        GoalAchievements { by_employee }
    }

    /// `employee`'s result (no goals when the period holds none of theirs).
    pub fn of(&self, employee: EmployeeId) -> &GoalResult {
        const NO_GOALS: &GoalResult = &GoalResult::NoGoals;
        self.by_employee
            .binary_search_by_key(&employee, |(id, _)| *id)
            .map_or(NO_GOALS, |at| &self.by_employee[at].1)
    }
}

/// What the goals at or below `slot` lack: leaves (no sub-goal that
/// counts) that are a KPI without an actual or an objective without key
/// results, and the months begun by `through` without a value of a KPI
/// measured month by month. Archived goals do not count.
fn unmeasured_below<G: Measured>(
    tree: &GoalTree<G>,
    slot: usize,
    through: NaiveDate,
) -> Vec<MissingActual> {
    let counts = |at: usize| tree.at(at).status() != GoalStatus::Archived;
    let mut found = Vec::new();
    let mut stack = vec![slot];
    while let Some(at) = stack.pop() {
        let children = tree.child_slots(at).rev().filter(|&c| counts(c));
        let before = stack.len();
        stack.extend(children);
        if stack.len() == before {
            let goal = tree.at(at).id();
            match tree.at(at).unmeasured(through) {
                Some(months) => found.extend(months.into_iter().map(|month| MissingActual {
                    goal,
                    month: Some(month),
                })),
                None => found.push(MissingActual { goal, month: None }),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;
    use crate::domain::goal::outline::{GoalFigures, GoalProgress};
    use crate::domain::goal::{Aggregation, Direction, Goal, Kpi, Measure, Weight};

    fn kpi(id: u64, owner: EmployeeId, parent: Option<u64>, actual: Option<f64>) -> Goal {
        let mut goal = fixtures::goal(id, Owner::Employee(owner), parent);
        goal.measure = Measure::Kpi(Kpi {
            metric: "m".into(),
            unit: Default::default(),
            baseline: 0.0,
            target: 100.0,
            actual,
            direction: Direction::HigherIsBetter,
            aggregation: Aggregation::Latest,
            months: Vec::new(),
        });
        goal
    }

    fn achievements(goals: Vec<Goal>) -> GoalAchievements {
        achievements_through(goals, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
    }

    /// The achievements of 2026 read `through` a day, from the whole
    /// goals, and the same from each goal's figures (what a board reads)
    /// and from what a roll-up reads of it.
    fn achievements_through(goals: Vec<Goal>, through: NaiveDate) -> GoalAchievements {
        fn of<G: Measured>(goals: Vec<G>, through: NaiveDate) -> GoalAchievements {
            let tree = GoalTree::linked(goals);
            let rollup = Rollup::compute(&tree);
            GoalAchievements::new(&tree, &rollup, Period::Year(2026), through)
        }
        let figures = goals
            .iter()
            .map(|g| GoalFigures::of(g, &mut crate::text::SharedTexts::default()))
            .collect();
        let progress = goals.iter().map(GoalProgress::of).collect();
        let whole = of(goals, through);
        assert_eq!(of(figures, through), whole, "from the figures");
        assert_eq!(of(progress, through), whole, "from the progress");
        whole
    }

    fn whole(goal: u64) -> MissingActual {
        MissingActual {
            goal: GoalId(goal),
            month: None,
        }
    }

    #[test]
    fn achievement_is_the_weighted_progress_of_a_persons_top_goals_in_the_period() {
        let me = EmployeeId(7);
        let mut goals = vec![
            fixtures::goal(1, Owner::Employee(me), None),
            kpi(2, me, None, Some(100.0)),
            // Under my own goal 1: already inside its progress.
            kpi(3, me, Some(1), Some(50.0)),
            // Someone else's, and one of mine in another year.
            kpi(4, EmployeeId(8), None, Some(10.0)),
            kpi(5, me, None, None),
        ];
        goals[0].weight = Weight(6000);
        goals[4].period = Period::Year(2025);
        goals[1].weight = Weight(4000);
        let achieved = achievements(goals);
        // Goal 1 is 50% (its child), goal 2 is 100%: 0.6·50 + 0.4·100 = 70.
        let mine = achieved.of(me).achieved().unwrap();
        assert!((mine - 70.0).abs() < 1e-9, "{mine}");
        assert_eq!(achieved.of(EmployeeId(9)), &GoalResult::NoGoals);
    }

    #[test]
    fn a_result_closed_before_its_list_became_a_slice_reads_the_same() {
        /// The shape closing records were written in before.
        #[derive(Serialize)]
        enum Before {
            #[allow(dead_code)]
            NoGoals,
            #[allow(dead_code)]
            Achieved(f64),
            Missing {
                first: Vec<MissingActual>,
                total: usize,
            },
        }
        let standard = bincode::config::standard();
        let before = Before::Missing {
            first: vec![whole(3), whole(4)],
            total: 70_000,
        };
        let bytes = bincode::serde::encode_to_vec(&before, standard).expect("bytes");
        let (read, _): (GoalResult, usize) =
            bincode::serde::decode_from_slice(&bytes, standard).expect("read");
        let now = GoalResult::Missing {
            first: Box::new([whole(3), whole(4)]),
            total: 70_000,
        };
        assert_eq!(read, now);
        assert_eq!(
            bincode::serde::encode_to_vec(&now, standard).expect("bytes"),
            bytes
        );
    }

    #[test]
    fn a_goal_without_an_actual_is_missing_not_zero() {
        let me = EmployeeId(7);
        let achieved = achievements(vec![kpi(1, me, None, None), kpi(2, me, None, Some(80.0))]);
        assert_eq!(
            achieved.of(me),
            &GoalResult::Missing {
                first: Box::new([whole(1)]),
                total: 1
            }
        );
        let zero = achievements(vec![kpi(1, me, None, Some(0.0))]);
        assert_eq!(zero.of(me), &GoalResult::Achieved(0.0), "0 is an actual");
    }

    #[test]
    fn what_is_unmeasured_anywhere_below_a_counted_goal_is_named() {
        let (me, report) = (EmployeeId(7), EmployeeId(8));
        let mut goals = vec![
            fixtures::goal(1, Owner::Employee(me), None),
            kpi(2, report, Some(1), Some(90.0)),
            kpi(3, report, Some(1), None),
            // An objective with no key results measures nothing.
            fixtures::goal(4, Owner::Employee(report), Some(1)),
            kpi(5, report, Some(1), None),
        ];
        goals[4].status = GoalStatus::Archived;
        let achieved = achievements(goals);
        let GoalResult::Missing { first, total } = achieved.of(me) else {
            panic!("{:?}", achieved.of(me));
        };
        assert_eq!(
            &**first,
            &[whole(3), whole(4)],
            "the archived G5 does not count"
        );
        assert_eq!(*total, 2);
    }

    #[test]
    fn only_the_first_few_missing_goals_are_named() {
        let me = EmployeeId(7);
        let goals: Vec<Goal> = (1..=8).map(|id| kpi(id, me, None, None)).collect();
        let GoalResult::Missing { first, total } = achievements(goals).of(me).clone() else {
            panic!("missing expected");
        };
        assert_eq!((first.len(), total), (MISSING_NAMED, 8));
    }

    #[test]
    fn a_monthly_goal_waits_for_each_month_begun() {
        let me = EmployeeId(7);
        let mut goal = kpi(1, me, None, None);
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        if let Measure::Kpi(k) = &mut goal.measure {
            k.aggregation = Aggregation::Average;
            k.remeasure([(day(1, 1), 90.0), (day(2, 1), 100.0), (day(4, 1), 110.0)]);
        }
        let through_april = achievements_through(vec![goal.clone()], day(4, 15));
        assert_eq!(
            through_april.of(me),
            &GoalResult::Missing {
                first: Box::new([MissingActual {
                    goal: GoalId(1),
                    month: Some(day(3, 1))
                }]),
                total: 1
            },
            "March has no value"
        );
        let through_february = achievements_through(vec![goal], day(2, 28));
        let achieved = through_february.of(me).achieved().unwrap();
        assert!(
            (achieved - 100.0).abs() < 1e-9,
            "(90+100+110)/3 of 100: {achieved}"
        );
    }
}
