//! Appraisal operations of a session: cycles (create, configure, move on,
//! reopen), ratings and indicator values entered one by one or in a batch,
//! the scoreboard of a cycle, grade overrides and appeals. Each write is
//! checked first and written in one transaction with its audit entry; a
//! closed cycle refuses every change.

use std::collections::hash_map::Entry;
use std::ops::RangeBounds;
use std::sync::Arc;

use chrono::NaiveDate;
use foldhash::{HashMap, HashSet};

use super::goals::goals_beside;
use super::pay::Pay;
use super::reach::{Reach, in_cycle};
use super::revisions::unchanged_since;
use super::{Counter, OpError, Progress, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::change::{EntityKey, Revision};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::{EmployeeId, EmployeeView};
use crate::domain::goal::progress::Rollup;
use crate::domain::goal::tree::GoalTree;
use crate::domain::scoring::achievement::GoalAchievements;
use crate::domain::scoring::appeal::{Appeal, AppealId, AppealState, AppealStep};
use crate::domain::scoring::board::{BoardContext, BoardInputs, BoardRow, scoreboard};
use crate::domain::scoring::calibration::{
    PoolReport, RaterLeniency, Spread, company_report, over_quota, pool_reports, pools, quotas,
};
use crate::domain::scoring::entry::{ScoringError, check_cycle, check_indicator};
use crate::domain::scoring::lenient::{Leniency, LeniencyTally};
use crate::domain::scoring::outcomes::{
    BonusPlan, CourseCatalogue, CyclePoint, PlanReason, Warning, improvement_plan, latest_warnings,
    plan_bonuses,
};
use crate::domain::scoring::settings_text::{settings_changes, settings_summary};
use crate::domain::scoring::{
    Appraised, Basis, Cycle, CycleConfig, CycleError, CycleId, CycleState, Distribution, Figure,
    Grade, GradeOverride, IndicatorValue, Rating, Sheet,
};
use crate::service::access::Permission;
use crate::service::ratings::RatingLabels;
use crate::store::{Store, Writer};
use crate::text::{Code, SharedTexts};
use crate::tr;

/// Someone appraised, as the scoreboard names them.
#[derive(Clone, Debug, PartialEq)]
pub struct Appraisee {
    pub id: EmployeeId,
    pub emp_no: Code,
    /// Inside the record up to 15 bytes (a Chinese name of up to five
    /// characters), 16 bytes in all: a board holds one per appraisee.
    pub name: Code,
    pub department: DepartmentId,
    /// Shared with everyone on the board of the same title.
    pub title: Arc<str>,
    /// The bonus base (see [`Appraisee::salary`]) in eight bytes: a
    /// board holds one per appraisee.
    salary: i64,
}

/// What an appraisee's salary holds when there is none.
const NO_SALARY: i64 = i64::MIN;

impl Appraisee {
    /// `person` on a board, their title shared through `titles`.
    fn of(person: EmployeeView<'_>, titles: &mut SharedTexts) -> Self {
        Appraisee {
            id: person.id,
            emp_no: person.emp_no.into(),
            name: person.name.into(),
            department: person.department,
            title: titles.share(person.title),
            salary: person.salary.unwrap_or(NO_SALARY),
        }
    }

    /// Monthly salary in fen, the bonus base (none when pay is withheld
    /// from the operator).
    pub fn salary(&self) -> Option<i64> {
        (self.salary != NO_SALARY).then_some(self.salary)
    }
}

/// A cycle's scoreboard: the appraisees and their rows, in the same order.
#[derive(Clone, Debug)]
pub struct CycleBoard {
    pub cycle: Cycle,
    /// In id order (see [`place`](Self::place)); the rows follow them.
    pub people: Vec<Appraisee>,
    pub rows: Vec<BoardRow>,
    pub departments: DepartmentTree,
    /// Every rater's mean and spread against everyone's, when the cycle
    /// normalises marks with them (else see [`Session::leniency`]).
    pub leniency: Option<Leniency>,
    /// Whether salaries (and the cycle's bonus pool) are in it.
    pub pay: Pay,
    /// What the rows were computed from besides the sheets, kept so one
    /// person can be scored again without reading everything.
    achievements: GoalAchievements,
    overrides: Vec<GradeOverride>,
    appeals: Vec<Appeal>,
}

/// How a cycle's raters sit against everyone, as the calibrator reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct LeniencyReport {
    /// Every mark but self-ratings.
    pub company: Spread,
    /// How many raters marked someone else.
    pub raters: usize,
    /// The raters furthest from the company (by z), furthest first, each
    /// with their number and name.
    pub furthest: Vec<(RaterLeniency, String)>,
}

impl LeniencyReport {
    /// The report of `leniency` over `board`'s cycle: the `shown` raters
    /// furthest from the company, each named as on the board (by id when
    /// not on it).
    pub fn of(leniency: &Leniency, board: &CycleBoard, shown: usize) -> LeniencyReport {
        let mut furthest: Vec<&RaterLeniency> = leniency.raters.iter().collect();
        let by_distance = |a: &&RaterLeniency, b: &&RaterLeniency| b.z.abs().total_cmp(&a.z.abs());
        if furthest.len() > shown {
            furthest.select_nth_unstable_by(shown, by_distance);
            furthest.truncate(shown);
        }
        furthest.sort_by(by_distance);
        let name = |id: EmployeeId| match board.place(id) {
            Some(at) => format!("{} {}", board.people[at].emp_no, board.people[at].name),
            None => id.to_string(),
        };
        LeniencyReport {
            company: leniency.company,
            raters: leniency.raters.len(),
            furthest: furthest.into_iter().map(|r| (*r, name(r.rater))).collect(),
        }
    }
}

/// What earlier closed cycles say about each person, oldest first: their
/// results scores (for the improvement-plan rule) and their final scores
/// and grades (for the trend and early warnings). One compact mark per
/// person and cycle, in one array by person: a million people's history
/// is one allocation, not two per person.
#[derive(Clone, Debug, Default)]
pub struct ScoreHistory {
    /// The earlier cycles' names, oldest first.
    cycles: Vec<String>,
    /// By person, then cycle.
    marks: Vec<PastMark>,
}

/// What one earlier cycle says about one person.
#[derive(Clone, Copy, Debug)]
struct PastMark {
    employee: EmployeeId,
    /// The cycle, by its place in [`ScoreHistory::cycles`].
    cycle: u16,
    results: Option<Figure>,
    final_score: Option<Figure>,
    grade: Option<Grade>,
}

impl ScoreHistory {
    /// The marks (added cycle by cycle, oldest first) put in order by
    /// person, each person's cycles staying oldest first.
    fn by_person(mut self) -> Self {
        self.marks.sort_by_key(|m| m.employee);
        self.marks.shrink_to_fit();
        self
    }

    /// The marks of `employee`, oldest cycle first.
    fn marks_of(&self, employee: EmployeeId) -> &[PastMark] {
        let start = self.marks.partition_point(|m| m.employee < employee);
        let end = start + self.marks[start..].partition_point(|m| m.employee == employee);
        &self.marks[start..end]
    }

    /// Whether `row`'s person needs an improvement plan under the cycle's
    /// rule, counting this cycle.
    pub fn plan(&self, row: &BoardRow, config: &CycleConfig) -> Option<PlanReason> {
        let mut results: Vec<Figure> = self
            .marks_of(row.employee)
            .iter()
            .filter_map(|m| m.results)
            .collect();
        results.extend(row.card.results);
        improvement_plan(
            row.grade,
            &results,
            config.plan_threshold,
            config.plan_cycles,
        )
    }

    /// The person's final scores and grades across cycles, this one last
    /// when it has a grade.
    pub fn trend(&self, cycle: &Cycle, row: &BoardRow) -> Vec<CyclePoint> {
        let mut points: Vec<CyclePoint> = self
            .marks_of(row.employee)
            .iter()
            .filter_map(|m| {
                Some(CyclePoint {
                    cycle: self.cycles.get(usize::from(m.cycle))?.clone(),
                    final_score: m.final_score?,
                    grade: m.grade?,
                })
            })
            .collect();
        if let (Some(final_score), Some(grade)) = (row.final_score, row.grade) {
            points.push(CyclePoint {
                cycle: cycle.name.clone(),
                final_score,
                grade,
            });
        }
        points
    }

    /// What this cycle's result warns of against the one before.
    pub fn warnings(&self, cycle: &Cycle, row: &BoardRow) -> Vec<Warning> {
        latest_warnings(&self.trend(cycle, row))
    }
}

/// Which pool a distribution is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolName {
    /// A department with whatever small departments merged into it.
    Department(DepartmentId),
    /// The people of the top department and of small top-level departments.
    CompanyPool,
    /// Everyone appraised, all pools together.
    WholeCompany,
}

impl PoolName {
    /// The pool in words: a department's path, or the company pool's name.
    pub fn describe(self, departments: &DepartmentTree) -> String {
        match self {
            PoolName::Department(id) => departments.path(id),
            PoolName::CompanyPool => tr!("scoring.company_pool"),
            PoolName::WholeCompany => tr!("scoring.company"),
        }
    }
}

/// The fewest people a calibration pool may have; smaller department
/// pools merge into their parent's.
pub const MIN_POOL: usize = 10;

/// Everything a cycle's recompute produces: the scoreboard, the grade
/// distribution of each pool and of the company against their quotas,
/// and the bonus plan.
#[derive(Clone, Debug)]
pub struct CycleResults {
    pub board: CycleBoard,
    pub pools: Vec<PoolReport>,
    pub company: PoolReport,
    /// Who is paid what; none when pay is withheld from the operator.
    pub bonuses: Option<BonusPlan>,
    /// By place in the board, each appraisee's pool: an index into
    /// `pools` ([`NO_POOL`]: none).
    pool_of: Vec<u32>,
}

/// An appraisee in no pool.
const NO_POOL: u32 = u32::MAX;

/// What whoever computes a board counts of its rows besides their
/// figures: each whole scorecard is added with its person, in the board's
/// order, before the row is kept to its figures. A board's rows are
/// computed in two shares at once, one on each core, each counted by a
/// tally of its own: the later share's is then merged into the earlier's.
pub trait RowTally: Send {
    fn add(&mut self, person: &Appraisee, row: &BoardRow);
    /// An empty tally for the later share's rows, counting as this one does.
    fn split(&self) -> Self;
    /// Adds what `later` counted of the rows after these.
    fn merge(&mut self, later: Self);
}

/// Counts nothing.
impl RowTally for () {
    fn add(&mut self, _: &Appraisee, _: &BoardRow) {}
    fn split(&self) {}
    fn merge(&mut self, (): ()) {}
}

/// What a board keeps of each scorecard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kept {
    /// Every term and mark.
    Whole,
    /// R, C, F, the grade and what is missing (see
    /// [`Scorecard::keep_figures`](crate::domain::scoring::score::Scorecard::keep_figures)).
    Figures,
    /// The figures, but one person's whole scorecard.
    FiguresBut(EmployeeId),
}

impl Kept {
    /// Lets go of what `row` need not keep.
    fn trim(self, row: &mut BoardRow) {
        match self {
            Kept::Whole => {}
            Kept::FiguresBut(whole) if whole == row.employee => {}
            Kept::Figures | Kept::FiguresBut(_) => row.card.keep_figures(),
        }
    }
}

/// A place on a board for a row not computed yet.
fn unscored() -> BoardRow {
    BoardRow {
        employee: EmployeeId(0),
        card: Default::default(),
        final_score: None,
        grade: None,
        overridden: None,
        appeal: None,
    }
}

/// What a board's rows are computed from, besides the sheets and the leniency.
struct RowInputs<'a> {
    cycle: &'a Cycle,
    /// In id order.
    people: &'a [Appraisee],
    achievements: &'a GoalAchievements,
    overrides: &'a [GradeOverride],
    appeals: &'a [Appeal],
}

/// Scores a share of a board's people from their sheets (the board's
/// rows are made in two such shares, one on each core).
struct ShareScoring<'a> {
    store: &'a Store,
    cycle: CycleId,
    context: BoardContext<'a>,
    kept: Kept,
    progress: Option<&'a Progress>,
}

impl ShareScoring<'_> {
    /// Fills `rows` with the rows of `people` (in id order, all within
    /// `employees`) from their sheets, each whole scorecard added to `tally`.
    fn fill<T: RowTally>(
        &self,
        people: &[Appraisee],
        rows: &mut [BoardRow],
        employees: impl RangeBounds<EmployeeId>,
        tally: &mut T,
    ) -> Result<(), OpError> {
        let mut next = people.iter().map(|p| p.id).peekable();
        let mut scored = Counter::on(self.progress);
        let mut done = 0;
        let mut keep = |mut row: BoardRow| {
            tally.add(&people[done], &row);
            self.kept.trim(&mut row);
            rows[done] = row;
            done += 1;
        };
        self.store.each_sheet_view(self.cycle, employees, |sheet| {
            while let Some(id) = next.next_if(|&id| id < sheet.employee) {
                keep(self.context.row(id, None));
                scored.add(1);
            }
            if next.next_if_eq(&sheet.employee).is_some() {
                keep(self.context.row(sheet.employee, Some(&sheet)));
                scored.add(1);
            }
        })?;
        scored.add(next.map(|id| keep(self.context.row(id, None))).count());
        Ok(())
    }
}

/// Moves one person from grade `before` to `after` in a pool's report,
/// with the quotas of its new headcount.
fn regrade(
    report: &mut PoolReport,
    before: Option<Grade>,
    after: Option<Grade>,
    distribution: &Distribution,
) {
    if let Some(grade) = before {
        let count = report.actual.get(grade);
        report.actual.set(grade, count.saturating_sub(1));
    }
    if let Some(grade) = after {
        report.actual.set(grade, report.actual.get(grade) + 1);
    }
    report.headcount = report.actual.total();
    report.quota = quotas(report.headcount, distribution);
}

/// The bonuses of everyone graded with a salary, unless pay is withheld
/// (each person's line made from their salary and grade when asked).
fn bonus_plan(board: &CycleBoard) -> Option<BonusPlan> {
    if board.pay == Pay::Withheld {
        return None;
    }
    let config = &board.cycle.config;
    let graded = board
        .people
        .iter()
        .zip(&board.rows)
        .filter_map(|(p, row)| Some((p.id, p.salary()?, row.grade?)));
    Some(plan_bonuses(graded, &config.bonus, config.bonus_pool))
}

impl CycleResults {
    /// Computes the distributions and bonuses of a scoreboard.
    pub fn of(board: CycleBoard) -> CycleResults {
        let config = &board.cycle.config;
        // The pools' members are places on the board (the people are in
        // id order, so the places are too): each grade is read by place.
        let members: Vec<(usize, DepartmentId)> = board
            .people
            .iter()
            .enumerate()
            .map(|(at, p)| (at, p.department))
            .collect();
        let pools = pools(&board.departments, &members, MIN_POOL);
        drop(members);
        let grade_of = |at: usize| board.rows[at].grade;
        let reports = pool_reports(&pools, grade_of, &config.distribution);
        let company = company_report(&pools, grade_of, &config.distribution);
        let mut pool_of = vec![NO_POOL; board.people.len()];
        for (number, pool) in pools.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(NO_POOL);
            pool.members.iter().for_each(|&at| pool_of[at] = number);
        }
        CycleResults {
            bonuses: bonus_plan(&board),
            board,
            pools: reports,
            company,
            pool_of,
        }
    }
}

impl CycleBoard {
    /// `employee`'s place among the people and rows (kept in id order,
    /// found by halving), if they are appraised.
    pub fn place(&self, employee: EmployeeId) -> Option<usize> {
        self.people.binary_search_by_key(&employee, |p| p.id).ok()
    }

    /// The cycle's appeals, oldest first.
    pub fn appeals(&self) -> &[Appeal] {
        &self.appeals
    }
}

impl CycleResults {
    /// The pools whose grades exceed their quotas, with the grades over
    /// and by how many, the whole company last (`department` None of a
    /// pool is the company pool).
    pub fn over_quota(&self) -> Vec<(PoolName, Vec<(Grade, usize)>)> {
        let pools = self.pools.iter().map(|report| {
            let name = match report.department {
                Some(department) => PoolName::Department(department),
                None => PoolName::CompanyPool,
            };
            (name, report)
        });
        pools
            .chain([(PoolName::WholeCompany, &self.company)])
            .filter_map(|(name, report)| {
                let over = over_quota(report);
                (!over.is_empty()).then_some((name, over))
            })
            .collect()
    }

    /// The bonus `employee` is paid, in fen (none: not graded, no salary,
    /// or pay withheld).
    pub fn bonus_of(&self, employee: EmployeeId) -> Option<i64> {
        let plan = self.bonuses.as_ref()?;
        let at = self.board.place(employee)?;
        let salary = self.board.people[at].salary()?;
        let grade = self.board.rows[at].grade?;
        Some(plan.line(employee, salary, grade).paid)
    }
}

impl Session {
    /// All cycles, oldest first (without their bonus pools when pay is
    /// withheld from the operator).
    pub fn cycles(&self) -> Result<Vec<Cycle>, OpError> {
        self.require(Permission::ViewScores)?;
        let cycles = self.store().cycles()?;
        Ok(cycles.into_iter().map(|c| self.cycle_as_shown(c)).collect())
    }

    /// The cycle named `name` (names are compared without case or edge spaces).
    pub fn cycle_named(&self, name: &str) -> Result<Cycle, OpError> {
        let wanted = name.trim();
        self.cycles()?
            .into_iter()
            .find(|c| c.name.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ScoringError::UnknownCycle(wanted.to_string()).into())
    }

    /// Cycle `id` with its revision, read in that order: a change built on
    /// it is written only if nobody changed the cycle in between (see
    /// [`unchanged_since`]).
    fn cycle_for_change(&self, id: CycleId) -> Result<(Cycle, Revision), OpError> {
        let revision = self.store().revision(&EntityKey::Cycle(id))?;
        Ok((self.stored_cycle(id)?, revision))
    }

    pub(super) fn stored_cycle(&self, id: CycleId) -> Result<Cycle, OpError> {
        self.store()
            .cycle(id)?
            .ok_or_else(|| ScoringError::UnknownCycle(id.to_string()).into())
    }

    /// Creates `cycle` as a draft (its id is assigned).
    pub fn add_cycle(&self, cycle: Cycle) -> Result<Cycle, OpError> {
        self.require(Permission::EditCycles)?;
        let cycle = Cycle {
            id: CycleId(0),
            name: cycle.name.trim().to_string(),
            state: CycleState::Draft,
            ..cycle
        };
        self.write_checked(|w| {
            check_new_settings(w, &cycle)?;
            let added = w.add_cycle(&cycle)?;
            let settings: Vec<String> = settings_summary(&added.config)
                .into_iter()
                .map(|(code, text)| format!("{code}={text}"))
                .collect();
            w.audit(
                AuditRecord::new("cycle.add", "cycle", &added.name).after(format!(
                    "period={} state=draft {}",
                    added.period,
                    settings.join(" ")
                )),
            )?;
            Ok(added)
        })
    }

    /// Replaces the name, dates, scope and settings of a cycle that is not
    /// yet calibrating.
    pub fn update_cycle(&self, cycle: Cycle) -> Result<Cycle, OpError> {
        self.require(Permission::EditCycles)?;
        let (before, revision) = self.cycle_for_change(cycle.id)?;
        match before.state {
            CycleState::Draft | CycleState::Open => {}
            CycleState::Closed => return Err(ScoringError::Cycle(CycleError::Frozen).into()),
            from => {
                return Err(ScoringError::Cycle(CycleError::NoSuchStep {
                    from,
                    to: CycleState::Open,
                })
                .into());
            }
        }
        let cycle = Cycle {
            name: cycle.name.trim().to_string(),
            state: before.state,
            ..cycle
        };
        self.write_checked(|w| {
            unchanged_since(w, &EntityKey::Cycle(cycle.id), revision)?;
            check_new_settings(w, &cycle)?;
            w.update_cycle(&cycle)?;
            let (was, now) = settings_changes(&before.config, &cycle.config);
            let renamed = (before.name != cycle.name).then(|| format!("name={}", before.name));
            let dated = (before.starts, before.ends, before.period)
                != (cycle.starts, cycle.ends, cycle.period);
            let mut old = vec![was];
            let mut new = vec![now];
            if dated {
                old.push(format!(
                    "period={} {}..{}",
                    before.period, before.starts, before.ends
                ));
                new.push(format!(
                    "period={} {}..{}",
                    cycle.period, cycle.starts, cycle.ends
                ));
            }
            old.extend(renamed);
            let joined = |parts: Vec<String>| {
                parts
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            w.audit(
                AuditRecord::new("cycle.edit", "cycle", &cycle.name)
                    .before(joined(old))
                    .after(joined(new)),
            )?;
            Ok(cycle.clone())
        })
    }

    /// Moves a cycle to `to` (one step on, or back from calibrating to
    /// open). Closing records who was appraised and their goal achievement,
    /// so the closed cycle reads the same whatever changes later.
    pub fn advance_cycle(&self, id: CycleId, to: CycleState) -> Result<Cycle, OpError> {
        self.require(Permission::EditCycles)?;
        let (before, revision) = self.cycle_for_change(id)?;
        let state = before.state.advance_to(to).map_err(ScoringError::from)?;
        let cycle = Cycle {
            state,
            ..before.clone()
        };
        let appraised = if state == CycleState::Closed {
            let (_, people, achievements) = self.live_inputs(&before)?;
            people
                .iter()
                .map(|person| Appraised {
                    cycle: id,
                    employee: person.id,
                    goals: achievements.of(person.id).clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        self.write_checked(|w| {
            unchanged_since(w, &EntityKey::Cycle(id), revision)?;
            w.update_cycle(&cycle)?;
            if state == CycleState::Closed {
                w.freeze_appraised(id, &appraised)?;
            }
            w.audit(
                AuditRecord::new("cycle.advance", "cycle", &cycle.name)
                    .before(before.state.code())
                    .after(state.code()),
            )?;
            Ok(cycle.clone())
        })
    }

    /// Reopens a closed cycle for calibration (admins only, with a reason).
    pub fn reopen_cycle(&self, id: CycleId, reason: &str) -> Result<Cycle, OpError> {
        self.require(Permission::ReopenCycle)?;
        let (before, revision) = self.cycle_for_change(id)?;
        let state = before.state.reopen(reason).map_err(ScoringError::from)?;
        let cycle = Cycle {
            state,
            ..before.clone()
        };
        self.write_checked(|w| {
            unchanged_since(w, &EntityKey::Cycle(id), revision)?;
            w.update_cycle(&cycle)?;
            w.audit(
                AuditRecord::new("cycle.reopen", "cycle", &cycle.name)
                    .before(before.state.code())
                    .after(format!("{} reason={}", state.code(), reason.trim())),
            )?;
            Ok(cycle.clone())
        })
    }

    /// The people appraised in an open (or draft, or calibrating) cycle,
    /// as this operator may see them: everyone not departed in the
    /// cycle's scope (all departments when it names none).
    fn appraisees(&self, cycle: &Cycle) -> Result<(DepartmentTree, Vec<Appraisee>), OpError> {
        self.appraisees_where(|tree, person| {
            in_cycle(cycle, tree, person.department, person.status)
        })
    }

    /// The people the operator may see for whom `wanted` holds, in id
    /// order, in a list no larger than they need.
    fn appraisees_where(
        &self,
        wanted: impl Fn(&DepartmentTree, &EmployeeView<'_>) -> bool,
    ) -> Result<(DepartmentTree, Vec<Appraisee>), OpError> {
        let everyone = self.store().employee_count()?;
        let mut people = Vec::with_capacity(usize::try_from(everyone).unwrap_or(0));
        let mut titles = SharedTexts::default();
        let tree = self.each_visible_employee(|tree, person| {
            if wanted(tree, &person) {
                people.push(Appraisee::of(person, &mut titles));
            }
        })?;
        people.shrink_to_fit();
        Ok((tree, people))
    }

    /// The scoreboard of `cycle`: computed from the goals and what was
    /// entered while it is live, read from its closing record once closed.
    pub fn board(&self, cycle: &Cycle) -> Result<CycleBoard, OpError> {
        self.board_with(cycle, Kept::Whole, &mut ())
    }

    /// The scoreboard of `cycle`, each row added to `tally` with its
    /// person as it is computed, then kept as `kept` says.
    fn board_with<T: RowTally>(
        &self,
        cycle: &Cycle,
        kept: Kept,
        tally: &mut T,
    ) -> Result<CycleBoard, OpError> {
        self.require(Permission::ViewScores)?;
        let (departments, people, achievements) = if cycle.state == CycleState::Closed {
            self.closed_inputs(cycle)?
        } else {
            self.live_inputs(cycle)?
        };
        self.board_from(cycle, departments, people, achievements, kept, tally)
    }

    /// The appraisees of a live cycle and their goal achievement now.
    fn live_inputs(
        &self,
        cycle: &Cycle,
    ) -> Result<(DepartmentTree, Vec<Appraisee>, GoalAchievements), OpError> {
        // What achievement reads of each goal (its place, progress and
        // the months measured; not its title), read on both cores beside
        // the people.
        let store = self.store();
        let people = store.employee_count()?;
        let (progress, (departments, people)) =
            goals_beside(store, people, Store::add_goal_progress, || {
                self.appraisees(cycle)
            })?;
        let tree = GoalTree::linked(progress);
        let (_, period_end) = cycle.period.dates();
        let through = self.today().min(period_end);
        let achievements =
            GoalAchievements::new(&tree, &Rollup::compute(&tree), cycle.period, through);
        Ok((departments, people, achievements))
    }

    /// The people appraised in a closed cycle and their goal achievement
    /// as it stood at its close.
    fn closed_inputs(
        &self,
        cycle: &Cycle,
    ) -> Result<(DepartmentTree, Vec<Appraisee>, GoalAchievements), OpError> {
        let appraised = self.store().appraised(cycle.id)?;
        let wanted: HashSet<EmployeeId> = appraised.iter().map(|a| a.employee).collect();
        let (departments, people) =
            self.appraisees_where(|_, person| wanted.contains(&person.id))?;
        let achievements = appraised
            .into_iter()
            .map(|a| (a.employee, a.goals))
            .collect();
        Ok((departments, people, achievements))
    }

    /// The figures of the people on `board` who were appraised in the
    /// closed cycle `past`: no one else is read (they were on the board,
    /// so within this operator's reach).
    fn closed_board_among(&self, past: &Cycle, board: &CycleBoard) -> Result<CycleBoard, OpError> {
        let appraised = self.store().appraised(past.id)?;
        let mut people = Vec::new();
        let mut achievements = Vec::new();
        for frozen in appraised {
            if let Some(at) = board.place(frozen.employee) {
                people.push(board.people[at].clone());
                achievements.push((frozen.employee, frozen.goals));
            }
        }
        let achievements = achievements.into_iter().collect();
        let departments = board.departments.clone();
        self.board_from(
            past,
            departments,
            people,
            achievements,
            Kept::Figures,
            &mut (),
        )
    }

    fn board_from<T: RowTally>(
        &self,
        cycle: &Cycle,
        departments: DepartmentTree,
        people: Vec<Appraisee>,
        achievements: GoalAchievements,
        kept: Kept,
        tally: &mut T,
    ) -> Result<CycleBoard, OpError> {
        let overrides = self.store().overrides(cycle.id)?;
        let appeals: Vec<Appeal> = self
            .store()
            .appeals()?
            .into_iter()
            .filter(|a| a.cycle == cycle.id)
            .collect();
        let mut people = people;
        people.sort_by_key(|p| p.id);
        let inputs = RowInputs {
            cycle,
            people: &people,
            achievements: &achievements,
            overrides: &overrides,
            appeals: &appeals,
        };
        // Normalised marks need every rater's leniency first: a pass over
        // the sheets before the one that makes the rows.
        let leniency = if cycle.config.normalise {
            let leniency = self.leniency(cycle)?;
            self.check_cancelled()?;
            leniency
        } else {
            None
        };
        let rows = self.board_rows(&inputs, leniency.as_ref(), kept, tally)?;
        self.check_cancelled()?;
        let pay = self.pay();
        if pay == Pay::Withheld {
            people.iter_mut().for_each(|p| p.salary = NO_SALARY);
        }
        Ok(CycleBoard {
            cycle: self.cycle_as_shown(cycle.clone()),
            people,
            rows,
            departments,
            leniency,
            pay,
            achievements,
            overrides,
            appeals,
        })
    }

    /// Every rater's leniency over `cycle`'s marks (self-ratings left
    /// out); none without ratings. A board keeps it only when the cycle
    /// normalises marks: for a view opened now and then, it is tallied
    /// from the sheets when asked (see [`LeniencyReport::of`]).
    pub fn leniency(&self, cycle: &Cycle) -> Result<Option<Leniency>, OpError> {
        self.require(Permission::ViewScores)?;
        let mut tally = LeniencyTally::default();
        self.store().each_sheet_view(cycle.id, .., |sheet| {
            sheet.ratings.iter().for_each(|rating| tally.add(rating));
        })?;
        self.check_cancelled()?;
        Ok(tally.leniency(cycle.config.scale))
    }

    /// Each of `inputs.people`'s rows (in their order), marks normalised
    /// by `leniency` when given: one pass over the cycle's sheets, the
    /// people cut in two shares by id, one on each core.
    fn board_rows<T: RowTally>(
        &self,
        inputs: &RowInputs<'_>,
        leniency: Option<&Leniency>,
        kept: Kept,
        tally: &mut T,
    ) -> Result<Vec<BoardRow>, OpError> {
        let people = inputs.people;
        let scoring = ShareScoring {
            store: self.store(),
            cycle: inputs.cycle.id,
            context: BoardContext::new(
                inputs.cycle,
                inputs.achievements,
                inputs.overrides,
                inputs.appeals,
                leniency,
            ),
            kept,
            // A job's session counts the people scored (an atomic add a sheet).
            progress: self.cancel.as_ref(),
        };
        scoring.progress.inspect(|p| p.start(people.len()));
        let mut rows = vec![unscored(); people.len()];
        let middle = people.len() / 2;
        let (early, late) = (people.split_at(middle), rows.split_at_mut(middle));
        let mut later = tally.split();
        let (late_done, early_done) = match early.1.first() {
            Some(first) => {
                let split = first.id;
                crate::cores::both(
                    || scoring.fill(early.1, late.1, split.., &mut later),
                    || scoring.fill(early.0, late.0, ..split, tally),
                )
            }
            None => (Ok(()), Ok(())),
        };
        early_done?;
        late_done?;
        tally.merge(later);
        Ok(rows)
    }

    /// Scores `employee` again after their sheet changed (a rating, an
    /// indicator), and moves them between grades in their pool's and the
    /// company's distribution: no other scorecard is read or computed.
    pub fn rescore(&self, results: &mut CycleResults, employee: EmployeeId) -> Result<(), OpError> {
        self.require(Permission::ViewScores)?;
        let Some(index) = results.board.place(employee) else {
            return Ok(());
        };
        if results.board.cycle.config.normalise {
            // One mark moves its rater's spread, hence everyone they rated.
            let cycle = results.board.cycle.clone();
            *results = self.cycle_results(&cycle)?;
            return Ok(());
        }
        let board = &mut results.board;
        let mut sheets = HashMap::default();
        if let Some(sheet) = self.store().sheet(board.cycle.id, employee)? {
            sheets.insert(employee, sheet);
        }
        let fresh = scoreboard(
            &board.cycle,
            &BoardInputs {
                people: &[employee],
                achievements: &board.achievements,
                sheets: &sheets,
                overrides: &board.overrides,
                appeals: &board.appeals,
                leniency: None,
            },
        );
        let Some(row) = fresh.into_iter().next() else {
            return Ok(());
        };
        let before = std::mem::replace(&mut board.rows[index], row).grade;
        let after = board.rows[index].grade;
        if before != after {
            let distribution = board.cycle.config.distribution;
            let pool = results.pool_of[index];
            let reports = results
                .pools
                .get_mut(pool as usize)
                .into_iter()
                .chain(std::iter::once(&mut results.company));
            for report in reports {
                regrade(report, before, after, &distribution);
            }
            results.bonuses = bonus_plan(&results.board);
        }
        Ok(())
    }

    /// Recomputes a cycle: scores, grades, the distributions against their
    /// quotas, and the bonuses.
    pub fn cycle_results(&self, cycle: &Cycle) -> Result<CycleResults, OpError> {
        Ok(CycleResults::of(self.board(cycle)?))
    }

    /// Recomputes a cycle as [`cycle_results`](Self::cycle_results) does,
    /// keeping of each scorecard its figures only (R, C, F, the grade,
    /// what is missing): a board of a million people in a fraction of the
    /// room. Each full scorecard is added to `tally` with its person first
    /// (to count what the figures do not say); a person's whole scorecard
    /// is computed again by [`scorecard`](Self::scorecard).
    pub fn cycle_figures<T: RowTally>(
        &self,
        cycle: &Cycle,
        tally: &mut T,
    ) -> Result<CycleResults, OpError> {
        let board = self.board_with(cycle, Kept::Figures, tally)?;
        Ok(CycleResults::of(board))
    }

    /// `employee`'s whole scorecard in `results` (every term and mark),
    /// computed again from their sheet as the board computed it; none
    /// when they are not on the board.
    pub fn scorecard(
        &self,
        results: &CycleResults,
        employee: EmployeeId,
    ) -> Result<Option<BoardRow>, OpError> {
        self.require(Permission::ViewScores)?;
        if results.board.place(employee).is_none() {
            return Ok(None);
        }
        let board = &results.board;
        let cycle = &board.cycle;
        let sheet = self.store().sheet(cycle.id, employee)?;
        let context = BoardContext::new(
            cycle,
            &board.achievements,
            &board.overrides,
            &board.appeals,
            board.leniency.as_ref().filter(|_| cycle.config.normalise),
        );
        Ok(Some(
            context.row(employee, sheet.as_ref().map(Sheet::view).as_ref()),
        ))
    }

    /// What the closed cycles that ended before `cycle` say about each
    /// person on its `board`, oldest first.
    pub fn score_history(
        &self,
        cycle: &Cycle,
        board: &CycleBoard,
    ) -> Result<ScoreHistory, OpError> {
        let mut earlier: Vec<Cycle> = self
            .cycles()?
            .into_iter()
            .filter(|c| c.id != cycle.id && c.state == CycleState::Closed && c.ends < cycle.starts)
            .collect();
        earlier.sort_by_key(|c| c.ends);
        let mut history = ScoreHistory::default();
        for past in &earlier {
            let cycle = u16::try_from(history.cycles.len()).unwrap_or(u16::MAX);
            history.cycles.push(past.name.clone());
            let rows = self.closed_board_among(past, board)?.rows;
            history.marks.extend(rows.into_iter().filter_map(|row| {
                let graded = row.final_score.zip(row.grade);
                (row.card.results.is_some() || graded.is_some()).then(|| PastMark {
                    employee: row.employee,
                    cycle,
                    results: row.card.results,
                    final_score: graded.map(|(f, _)| f),
                    grade: graded.map(|(_, g)| g),
                })
            }));
        }
        Ok(history.by_person())
    }

    /// Refuses `employee` unless appraised in `cycle` and within reach.
    pub(super) fn check_appraised(
        &self,
        reach: &mut Reach,
        cycle: &Cycle,
        employee: EmployeeId,
    ) -> Result<(), OpError> {
        if reach.appraised(self, cycle, employee)? {
            return Ok(());
        }
        let who = self.store().employee(employee)?.map_or_else(
            || employee.to_string(),
            |e| format!("{} {}", e.emp_no, e.name),
        );
        Err(ScoringError::NotAppraised(who).into())
    }

    /// Records imported indicator values (a new value replaces the
    /// indicator's earlier one): all of them or, when any is refused, none.
    pub fn record_indicators(&self, values: &[IndicatorValue]) -> Result<usize, OpError> {
        self.require(Permission::EnterRatings)?;
        let mut sheets = SheetBatch::default();
        let mut cycles = OpenCycles::default();
        let mut reach = Reach::new(self)?;
        for value in values {
            let cycle = cycles.get(self, value.cycle)?;
            check_indicator(cycle, value)?;
            self.check_appraised(&mut reach, cycle, value.employee)?;
            sheets.add(
                value.cycle,
                value.employee,
                SheetEntry::Indicator(value.clone()),
            );
        }
        self.write_sheets(sheets)
    }

    /// Writes a batch of entries: each sheet is read inside the write
    /// transaction and the entries put on it there, so that another
    /// rater's marks on the same person, saved meanwhile, are kept (and a
    /// peer HR no longer allows is refused); each cycle is checked again
    /// to still take entries. Each rating is logged with the mark it
    /// replaced, the indicator values in one entry with their count.
    pub(super) fn write_sheets(&self, batch: SheetBatch) -> Result<usize, OpError> {
        self.write_checked(|w| {
            let mut checked: Vec<CycleId> = Vec::new();
            let mut sheets = Vec::with_capacity(batch.entries.len());
            let (mut ratings, mut indicators) = (Vec::new(), 0);
            for ((cycle, employee), entries) in &batch.entries {
                if !checked.contains(cycle) {
                    let stored = w
                        .cycle(*cycle)?
                        .ok_or_else(|| ScoringError::UnknownCycle(cycle.to_string()))?;
                    stored.state.check_entry().map_err(ScoringError::from)?;
                    checked.push(*cycle);
                }
                let mut sheet = w
                    .sheet(*cycle, *employee)?
                    .unwrap_or_else(|| Sheet::new(*cycle, *employee));
                for entry in entries {
                    match entry {
                        SheetEntry::Rating(rating, labels) => {
                            if rating.basis == Basis::AllowedPeer
                                && !sheet.allowed_peers.contains(&rating.rater)
                            {
                                return Err(ScoringError::PeerNotAllowed {
                                    rater: labels.rater.clone(),
                                    ratee: labels.ratee.clone(),
                                }
                                .into());
                            }
                            let old = sheet.put_rating(rating.clone());
                            ratings.push(labels.audit(old.as_ref(), rating));
                        }
                        SheetEntry::Indicator(value) => {
                            sheet.put_indicator(value.clone());
                            indicators += 1;
                        }
                    }
                }
                sheets.push(sheet);
            }
            w.put_sheets(&sheets)?;
            let written = ratings.len() + indicators;
            for record in ratings {
                w.audit(record)?;
            }
            if indicators > 0 {
                w.audit(
                    AuditRecord::new("indicator.record", "cycle", "*")
                        .after(format!("rows={indicators}")),
                )?;
            }
            Ok(written)
        })
    }

    /// The training course catalogue.
    pub fn course_catalogue(&self) -> Result<CourseCatalogue, OpError> {
        self.require(Permission::ViewScores)?;
        Ok(self.store().course_catalogue()?)
    }

    /// Replaces the training course catalogue (checked by the import).
    pub fn set_course_catalogue(&self, catalogue: CourseCatalogue) -> Result<(), OpError> {
        self.require(Permission::EditCycles)?;
        self.write(|w| {
            w.set_course_catalogue(&catalogue)?;
            w.audit(
                AuditRecord::new("course.catalogue", "course", "*")
                    .after(format!("courses={}", catalogue.courses.len())),
            )?;
            Ok(())
        })
    }

    /// Turns the z-score normalisation of raters' marks on or off (a
    /// calibrator's decision, until the cycle closes).
    pub fn set_normalisation(&self, id: CycleId, on: bool) -> Result<Cycle, OpError> {
        self.require(Permission::Calibrate)?;
        let (before, revision) = self.cycle_for_change(id)?;
        before
            .state
            .check_calibration()
            .map_err(ScoringError::from)?;
        let mut cycle = before.clone();
        cycle.config.normalise = on;
        self.write_checked(|w| {
            unchanged_since(w, &EntityKey::Cycle(id), revision)?;
            w.update_cycle(&cycle)?;
            w.audit(
                AuditRecord::new("cycle.normalise", "cycle", &cycle.name)
                    .before(before.config.normalise.to_string())
                    .after(on.to_string()),
            )?;
            Ok(cycle.clone())
        })
    }

    /// Cycle `id`, which must be calibrating, and the revision of
    /// `employee`'s sheet in it, read first: a change built on the two is
    /// written only if the sheet is unchanged by then.
    fn calibrating(
        &self,
        id: CycleId,
        employee: EmployeeId,
    ) -> Result<(Cycle, EntityKey, Revision), OpError> {
        let sheet = EntityKey::Sheet(id, employee);
        let revision = self.store().revision(&sheet)?;
        let cycle = self.stored_cycle(id)?;
        cycle
            .state
            .check_calibration()
            .map_err(ScoringError::from)?;
        Ok((cycle, sheet, revision))
    }

    /// `employee`'s row of the live scoreboard of `cycle` (everyone else's
    /// kept to its figures).
    fn live_row(&self, cycle: &Cycle, employee: EmployeeId) -> Result<BoardRow, OpError> {
        let (departments, people, achievements) = self.live_inputs(cycle)?;
        let kept = Kept::FiguresBut(employee);
        self.board_from(cycle, departments, people, achievements, kept, &mut ())?
            .rows
            .into_iter()
            .find(|r| r.employee == employee)
            .ok_or_else(|| ScoringError::NotAppraised(employee.to_string()).into())
    }

    /// Sets `employee`'s grade in `cycle` by hand, with a reason.
    pub fn override_grade(
        &self,
        cycle: CycleId,
        employee: EmployeeId,
        grade: Grade,
        reason: &str,
    ) -> Result<GradeOverride, OpError> {
        self.require(Permission::Calibrate)?;
        // The grade the override replaces must still be the one the board
        // shows when it is written.
        let (cycle, sheet, revision) = self.calibrating(cycle, employee)?;
        if reason.trim().is_empty() {
            return Err(ScoringError::ReasonRequired.into());
        }
        let row = self.live_row(&cycle, employee)?;
        let who = self.who(employee)?;
        let change = GradeOverride {
            cycle: cycle.id,
            employee,
            before: row.grade.unwrap_or(grade),
            after: grade,
            reason: reason.trim().to_string(),
            by: self.operator().user.clone(),
            at: self.now(),
        };
        self.write_checked(|w| {
            unchanged_since(w, &sheet, revision)?;
            w.append_override(&change)?;
            w.audit(
                AuditRecord::new("grade.override", "employee", &who)
                    .before(change.before.code())
                    .after(format!("{} reason={}", change.after.code(), change.reason)),
            )?;
            Ok(change.clone())
        })
    }

    /// `employee`'s sheet in `cycle` as stored, every rater named: for
    /// calibrators only (admin, hr), since it undoes the raters' anonymity.
    pub fn score_sheet(
        &self,
        cycle: CycleId,
        employee: EmployeeId,
    ) -> Result<Option<Sheet>, OpError> {
        self.require(Permission::Calibrate)?;
        Ok(self.store().sheet(cycle, employee)?)
    }

    /// The undecided appeal of `employee` in `cycle`, if the operator may
    /// see them.
    pub fn open_appeal(
        &self,
        cycle: CycleId,
        employee: EmployeeId,
    ) -> Result<Option<Appeal>, OpError> {
        self.require(Permission::ViewScores)?;
        if self.employee(employee)?.is_none() {
            return Ok(None);
        }
        Ok(self
            .store()
            .appeals()?
            .into_iter()
            .find(|a| a.cycle == cycle && a.employee == employee && !a.state().is_decided()))
    }

    /// Files an appeal against `employee`'s scorecard in `cycle`.
    pub fn file_appeal(
        &self,
        cycle: CycleId,
        employee: EmployeeId,
        reason: &str,
        filed: NaiveDate,
    ) -> Result<Appeal, OpError> {
        self.require(Permission::EnterRatings)?;
        let (cycle, sheet, revision) = self.calibrating(cycle, employee)?;
        self.check_appraised(&mut Reach::new(self)?, &cycle, employee)?;
        let appeal = Appeal::file(
            cycle.id,
            employee,
            reason,
            filed,
            &self.operator().user,
            self.now(),
        )
        .map_err(ScoringError::from)?;
        let who = self.who(employee)?;
        self.write_checked(|w| {
            unchanged_since(w, &sheet, revision)?;
            let added = w.add_appeal(&appeal)?;
            w.audit(
                AuditRecord::new("appeal.file", "appeal", added.id)
                    .after(format!("employee={who} reason={}", added.reason)),
            )?;
            Ok(added)
        })
    }

    /// Moves appeal `id` on (investigating, upheld with a new final score,
    /// or rejected), with a comment.
    pub fn step_appeal(
        &self,
        id: AppealId,
        to: AppealState,
        comment: &str,
        new_score: Option<f64>,
    ) -> Result<Appeal, OpError> {
        self.require(Permission::Calibrate)?;
        let unknown = || ScoringError::UnknownAppeal(id.to_string());
        let filed = self.store().appeal(id)?.ok_or_else(unknown)?;
        // The revision first, then the appeal again: a step taken meanwhile
        // shows as a change at write time, never as a lost step.
        let sheet = EntityKey::Sheet(filed.cycle, filed.employee);
        let revision = self.store().revision(&sheet)?;
        let mut appeal = self.store().appeal(id)?.ok_or_else(unknown)?;
        let cycle = self.stored_cycle(appeal.cycle)?;
        cycle
            .state
            .check_calibration()
            .map_err(ScoringError::from)?;
        let before = appeal.state();
        appeal
            .step(AppealStep {
                state: to,
                by: self.operator().user.clone(),
                at: self.now(),
                comment: comment.trim().to_string(),
                new_score,
            })
            .map_err(ScoringError::from)?;
        // The figures the decision moves, as the scoreboard shows them.
        let row = self.live_row(&cycle, appeal.employee)?;
        let shown =
            |score: Option<Figure>| score.map_or_else(|| "—".to_string(), |f| f.to_string());
        let who = self.who(appeal.employee)?;
        let after_score = new_score.map(|s| Figure::round(s, cycle.config.precision));
        self.write_checked(|w| {
            unchanged_since(w, &sheet, revision)?;
            w.update_appeal(&appeal)?;
            let after = match after_score {
                Some(score) => format!("{} F={score}", to.code()),
                None => to.code().to_string(),
            };
            w.audit(
                AuditRecord::new("appeal.step", "appeal", id)
                    .before(format!(
                        "{} employee={who} F={}",
                        before.code(),
                        shown(row.final_score)
                    ))
                    .after(format!("{after} comment={}", comment.trim())),
            )?;
            Ok(appeal.clone())
        })
    }
}

/// The open cycles a batch of entries names, each read once.
#[derive(Default)]
pub(super) struct OpenCycles {
    cycles: HashMap<CycleId, Cycle>,
}

impl OpenCycles {
    pub(super) fn get(&mut self, session: &Session, id: CycleId) -> Result<&Cycle, OpError> {
        match self.cycles.entry(id) {
            Entry::Occupied(known) => Ok(known.into_mut()),
            Entry::Vacant(slot) => {
                let cycle = session.stored_cycle(id)?;
                cycle.state.check_entry().map_err(ScoringError::from)?;
                Ok(slot.insert(cycle))
            }
        }
    }
}

/// One checked entry for a person's sheet.
pub(super) enum SheetEntry {
    /// A rating, with how the audit log names what it is about.
    Rating(Rating, RatingLabels),
    Indicator(IndicatorValue),
}

/// The entries of a batch, by the sheet they go on (in order).
#[derive(Default)]
pub(super) struct SheetBatch {
    entries: HashMap<(CycleId, EmployeeId), Vec<SheetEntry>>,
}

impl SheetBatch {
    pub(super) fn add(&mut self, cycle: CycleId, employee: EmployeeId, entry: SheetEntry) {
        self.entries
            .entry((cycle, employee))
            .or_default()
            .push(entry);
    }
}

/// A cycle's own checks, a unique name and a scope that exists, against
/// the cycles and departments as the write transaction sees them.
fn check_new_settings(w: &Writer<'_>, cycle: &Cycle) -> Result<(), OpError> {
    check_cycle(cycle)?;
    let taken = w
        .all_cycles()?
        .into_iter()
        .any(|c| c.id != cycle.id && c.name.eq_ignore_ascii_case(&cycle.name));
    if taken {
        return Err(ScoringError::NameTaken(cycle.name.clone()).into());
    }
    let tree = DepartmentTree::new(w.all_departments()?);
    if let Some(missing) = cycle.scope.iter().find(|&&d| tree.get(d).is_none()) {
        return Err(ScoringError::UnknownDepartment(missing.to_string()).into());
    }
    Ok(())
}

#[cfg(test)]
mod history_tests {
    use super::*;

    #[test]
    fn each_persons_marks_are_found_together_oldest_cycle_first() {
        let mark = |employee: u64, cycle: u16| PastMark {
            employee: EmployeeId(employee),
            cycle,
            results: None,
            final_score: None,
            grade: None,
        };
        let history = ScoreHistory {
            cycles: vec!["2024".into(), "2025".into()],
            marks: vec![mark(7, 0), mark(3, 0), mark(9, 0), mark(9, 1), mark(3, 1)],
        }
        .by_person();
        let cycles = |employee: u64| -> Vec<u16> {
            history
                .marks_of(EmployeeId(employee))
                .iter()
                .map(|m| m.cycle)
                .collect()
        };
        assert_eq!(cycles(3), [0, 1]);
        assert_eq!(cycles(7), [0]);
        assert_eq!(cycles(9), [0, 1]);
        assert!(cycles(5).is_empty());
        assert!(cycles(10).is_empty());
    }
}
