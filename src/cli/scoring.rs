//! `hrdesk import ratings|indicators FILE` (every row checked against its
//! cycle, then all recorded in one transaction), `hrdesk export cycles`
//! (each cycle's name, period, state and settings) and `hrdesk export
//! scores --cycle NAME` (each appraisee's scores, grade, bonus and flags,
//! for payroll and managers). Bonus amounts and the bonus pool are only in
//! what the service hands over: blank for those who may not see pay, and
//! an export holding amounts is written to the audit log first.

use std::process::ExitCode;

use serde::Serialize;

use super::SheetArgs;
use super::export::{stream_rows, write_batched, write_rows};
use super::sheet::{report, sheet_failure, sheet_text};
use super::{Failure, Format};
use crate::domain::employee::{EmployeeId, format_money};
use crate::domain::scoring::board::BoardRow;
use crate::domain::scoring::outcomes::{CourseCatalogue, PlanReason, Warning, recommended_courses};
use crate::domain::scoring::settings_text::{groups_text, items_text, per_grade_text};
use crate::domain::scoring::{Basis, Cycle, CycleConfig, Figure, Grade};
use crate::import::{CoursesColumn, IndicatorsColumn, RatingsColumn};
use crate::numbered::Numbered;
use crate::service::{Appraisee, CycleResults, RowTally, ScoreHistory, Session};
use crate::tr;

/// `import ratings FILE`.
pub fn import_ratings(session: &Session, sheet: &SheetArgs) -> Result<ExitCode, Failure> {
    let (file, dry_run) = (sheet.file.as_path(), sheet.dry_run);
    let text = sheet_text::<RatingsColumn>(sheet)?;
    let outcome = session
        .import_ratings(text.sheet_rows(), dry_run)
        .map_err(|err| sheet_failure(file, err))?;
    report(file, outcome, |rows, people| {
        if dry_run {
            tr!(
                "scoring.import.ratings_dry_run",
                rows = rows,
                people = people
            )
        } else {
            tr!("scoring.import.ratings_done", rows = rows, people = people)
        }
    })
}

/// `import indicators FILE`.
pub fn import_indicators(session: &Session, sheet: &SheetArgs) -> Result<ExitCode, Failure> {
    let (file, dry_run) = (sheet.file.as_path(), sheet.dry_run);
    let text = sheet_text::<IndicatorsColumn>(sheet)?;
    let outcome = session
        .import_indicators(text.sheet_rows(), dry_run)
        .map_err(|err| sheet_failure(file, err))?;
    report(file, outcome, |rows, people| {
        if dry_run {
            tr!(
                "scoring.import.indicators_dry_run",
                rows = rows,
                people = people
            )
        } else {
            tr!(
                "scoring.import.indicators_done",
                rows = rows,
                people = people
            )
        }
    })
}

/// `import courses FILE`: the training catalogue, replaced as a whole.
pub fn import_courses(session: &Session, sheet: &SheetArgs) -> Result<ExitCode, Failure> {
    let (file, dry_run) = (sheet.file.as_path(), sheet.dry_run);
    let text = sheet_text::<CoursesColumn>(sheet)?;
    let outcome = session
        .import_courses(text.sheet_rows(), dry_run)
        .map_err(|err| sheet_failure(file, err))?;
    report(file, outcome, |rows, competencies| {
        if dry_run {
            tr!(
                "scoring.import.courses_dry_run",
                rows = rows,
                competencies = competencies
            )
        } else {
            tr!(
                "scoring.import.courses_done",
                rows = rows,
                competencies = competencies
            )
        }
    })
}

/// `export courses`: the catalogue, in the columns `import courses` reads.
pub fn export_courses(session: &Session, format: Format) -> Result<(), Failure> {
    let catalogue = session.course_catalogue()?;
    write_rows(&mut super::out::stdout(), &catalogue.courses, format)
}

/// One cycle in the export; lists are `code:weight` pairs joined by `;`.
#[derive(Serialize)]
struct CycleOut {
    name: String,
    period: String,
    state: &'static str,
    starts: String,
    ends: String,
    scope: String,
    results_weight: u8,
    indicators: String,
    competencies: String,
    rater_groups: String,
    self_apart: bool,
    scale: String,
    min_raters: u8,
    bands: String,
    distribution: String,
    precision: u8,
    plan_threshold: f64,
    plan_cycles: u8,
    training_threshold: f64,
    normalise: bool,
    bonus_multipliers: String,
    bonus_pool: Option<String>,
}

fn cycle_out(cycle: &Cycle, scope: String) -> CycleOut {
    let config = &cycle.config;
    CycleOut {
        name: cycle.name.clone(),
        period: cycle.period.to_string(),
        state: cycle.state.code(),
        starts: cycle.starts.to_string(),
        ends: cycle.ends.to_string(),
        scope,
        results_weight: config.results_weight,
        indicators: items_text(&config.indicators),
        competencies: items_text(&config.competencies),
        rater_groups: groups_text(&config.group_weights),
        self_apart: config.self_apart,
        scale: format!("{}-{}", config.scale.0, config.scale.1),
        min_raters: config.min_raters,
        bands: per_grade_text(&config.bands.floors),
        distribution: per_grade_text(&config.distribution.percent),
        precision: config.precision.decimals(),
        plan_threshold: config.plan_threshold,
        plan_cycles: config.plan_cycles,
        training_threshold: config.training_threshold,
        normalise: config.normalise,
        bonus_multipliers: per_grade_text(&config.bonus.multipliers),
        bonus_pool: config.bonus_pool.map(format_money),
    }
}

/// `export cycles`.
pub fn export_cycles(session: &Session, format: Format) -> Result<(), Failure> {
    let tree = session.department_tree()?;
    let rows: Vec<CycleOut> = session
        .cycles()?
        .iter()
        .map(|cycle| {
            let scope = cycle
                .scope
                .iter()
                .map(|&d| tree.path(d))
                .collect::<Vec<_>>()
                .join(";");
            cycle_out(cycle, scope)
        })
        .collect();
    write_rows(&mut super::out::stdout(), &rows, format)
}

/// One appraisee in the scores export.
#[derive(Serialize)]
struct ScoreOut {
    cycle: String,
    emp_no: String,
    name: String,
    department: String,
    title: String,
    results: Option<f64>,
    capability: Option<f64>,
    final_score: Option<f64>,
    grade: Option<&'static str>,
    overridden: bool,
    appeal: Option<&'static str>,
    /// The grade's bonus multiplier (not pay: the rule, shown to everyone).
    bonus_multiplier: Option<f64>,
    /// The amount paid; blank when pay is withheld from the operator.
    bonus: Option<String>,
    improvement_plan: Option<&'static str>,
    /// `grade_drop:A>C`, `score_fall:85.0>62.5`, joined by `;`.
    warnings: String,
    /// Codes of the courses for the weakest competencies, joined by `;`.
    courses: String,
    missing: String,
}

/// A score as exported: one decimal.
/// A figure as the number it shows (already rounded once, never again).
fn shown(score: Option<Figure>) -> Option<f64> {
    score.map(Figure::value)
}

/// `export scores --cycle NAME`: the board keeps each scorecard's figures
/// (the courses each whole scorecard recommends noted as it is computed),
/// and the rows are written as they are made.
pub fn export_scores(session: &Session, cycle: &str, format: Format) -> Result<(), Failure> {
    let cycle = session.cycle_named(cycle)?;
    let catalogue = session.course_catalogue()?;
    let mut courses = CourseTally {
        config: &cycle.config,
        catalogue: &catalogue,
        sets: CourseSets::default(),
    };
    let results = session.cycle_figures(&cycle, &mut courses)?;
    let courses = courses.sets;
    let history = session.score_history(&cycle, &results.board)?;
    let amounts = results
        .board
        .people
        .iter()
        .filter(|person| results.bonus_of(person.id).is_some())
        .count();
    if amounts > 0 {
        session.log_bonus_export(&cycle, amounts)?;
    }
    write_batched(
        &results.board.people,
        |at, person| score_row(&results, &history, &courses, at, person),
        format,
    )
}

/// The courses each whole scorecard recommends, noted as the board is made.
struct CourseTally<'a> {
    config: &'a CycleConfig,
    catalogue: &'a CourseCatalogue,
    sets: CourseSets,
}

impl RowTally for CourseTally<'_> {
    fn add(&mut self, _: &Appraisee, row: &BoardRow) {
        let means = row.card.competency_means(self.config);
        let threshold = self.config.training_threshold;
        let recommended = recommended_courses(&means, threshold, self.catalogue);
        let codes: Vec<&str> = recommended.iter().map(|c| c.code.as_str()).collect();
        self.sets.add(&codes.join(";"));
    }

    fn split(&self) -> Self {
        CourseTally {
            sets: CourseSets::default(),
            ..*self
        }
    }

    fn merge(&mut self, later: Self) {
        self.sets.append(later.sets);
    }
}

/// The courses recommended to each person in turn: most are recommended
/// the same few sets, so each distinct set of course codes (`;`-joined) is
/// kept once, and each person's by number.
#[derive(Default)]
struct CourseSets {
    sets: Numbered<Box<str>, Box<str>>,
    /// Each person's set, by number.
    of_person: Vec<u32>,
}

impl CourseSets {
    /// The next person's set.
    fn add(&mut self, set: &str) {
        self.of_person.push(self.sets.number(set, || set.into()));
    }

    /// The set of the person added `at`-th.
    fn of(&self, at: usize) -> &str {
        &self.sets[self.of_person[at]]
    }

    /// Adds the people of `later` after these, with their sets.
    fn append(&mut self, later: CourseSets) {
        let renumbered: Vec<u32> = later
            .sets
            .values()
            .iter()
            .map(|set| self.sets.number(&**set, || set.clone()))
            .collect();
        let people = later.of_person.iter();
        self.of_person
            .extend(people.map(|&number| renumbered[number as usize]));
    }
}

/// `export ratings --cycle NAME`: every rating of the cycle with its
/// rater named (for calibrators only: it undoes the raters' anonymity).
pub fn export_ratings(session: &Session, cycle: &str, format: Format) -> Result<(), Failure> {
    let cycle = session.cycle_named(cycle)?;
    stream_rows(format, |rows| {
        Ok(session.export_ratings(&cycle, |rating, ratee, rater| {
            let (emp_no, name) = named(ratee, rating.ratee);
            let (rater_emp_no, rater_name) = named(rater, rating.rater);
            rows.push(&RatingOut {
                cycle: cycle.name.clone(),
                emp_no,
                name,
                rater_emp_no,
                rater_name,
                relation: rating.group.code(),
                basis: rating.basis.code(),
                override_reason: match rating.basis {
                    Basis::Override(reason) => reason,
                    _ => String::new(),
                },
                competency: rating.competency,
                mark: rating.value,
                comment: rating.comment,
                source: rating.source.code(),
                recorded_by: rating.recorded_by,
                recorded_at: rating.recorded_at.to_rfc3339(),
            })
        })?)
    })
}

/// A person's number and name in the ratings export: their id alone when
/// they are not on the staff.
fn named(who: Option<(&str, &str)>, id: EmployeeId) -> (String, String) {
    who.map_or_else(
        || (id.to_string(), String::new()),
        |(number, name)| (number.to_string(), name.to_string()),
    )
}

/// One row of `export ratings`.
#[derive(Serialize)]
struct RatingOut {
    cycle: String,
    emp_no: String,
    name: String,
    rater_emp_no: String,
    rater_name: String,
    relation: &'static str,
    basis: &'static str,
    override_reason: String,
    competency: String,
    mark: u8,
    comment: String,
    source: &'static str,
    recorded_by: String,
    recorded_at: String,
}

/// The export's row of `person`, at the board's place `at`, from the
/// board's figures, the bonuses paid and the `courses` each scorecard
/// recommends (in board order).
fn score_row(
    results: &CycleResults,
    history: &ScoreHistory,
    courses: &CourseSets,
    at: usize,
    person: &Appraisee,
) -> ScoreOut {
    let board = &results.board;
    let config = &board.cycle.config;
    let row = &board.rows[at];
    let plan = history.plan(row, config);
    ScoreOut {
        cycle: board.cycle.name.clone(),
        emp_no: person.emp_no.to_string(),
        name: person.name.to_string(),
        department: board.departments.path(person.department),
        title: person.title.to_string(),
        results: shown(row.card.results),
        capability: shown(row.card.capability),
        final_score: shown(row.final_score),
        grade: row.grade.map(Grade::code),
        overridden: row.overridden.is_some(),
        appeal: row.appeal.map(|a| a.code()),
        bonus_multiplier: row.grade.map(|g| config.bonus.usable_multiplier(g)),
        bonus: results.bonus_of(person.id).map(format_money),
        improvement_plan: plan.map(|reason| match reason {
            PlanReason::GradeD => "grade_d",
            PlanReason::ResultsBelow { .. } => "results_below",
        }),
        warnings: history
            .warnings(&board.cycle, row)
            .iter()
            .map(|w| match w {
                Warning::GradeDrop { from, to, .. } => format!("grade_drop:{from}>{to}"),
                Warning::ScoreFall { from, to, .. } => {
                    format!("score_fall:{from}>{to}")
                }
            })
            .collect::<Vec<_>>()
            .join(";"),
        courses: courses.of(at).to_string(),
        missing: row
            .card
            .missing
            .iter()
            .flat_map(|m| m.codes(config))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_persons_courses_come_back_in_order_each_set_kept_once() {
        let mut courses = CourseSets::default();
        for set in ["C1;C2", "", "C1;C2", "C3", "C1;C2"] {
            courses.add(set);
        }
        assert_eq!(
            (0..5).map(|at| courses.of(at)).collect::<Vec<_>>(),
            ["C1;C2", "", "C1;C2", "C3", "C1;C2"]
        );
        assert_eq!(
            courses.sets.values(),
            ["C1;C2".into(), "".into(), "C3".into()],
            "three sets, once each"
        );
    }

    #[test]
    fn courses_noted_in_two_shares_come_back_as_noted_in_one() {
        let people = ["C1;C2", "", "C3", "C1;C2", "C4", "", "C3"];
        let mut whole = CourseSets::default();
        people.iter().for_each(|set| whole.add(set));
        for middle in 0..=people.len() {
            let (mut early, mut late) = (CourseSets::default(), CourseSets::default());
            people[..middle].iter().for_each(|set| early.add(set));
            people[middle..].iter().for_each(|set| late.add(set));
            early.append(late);
            let sets: Vec<&str> = (0..people.len()).map(|at| early.of(at)).collect();
            assert_eq!(sets, people, "cut at {middle}");
            assert_eq!(early.sets.values().len(), 4, "each set kept once");
        }
    }
}
