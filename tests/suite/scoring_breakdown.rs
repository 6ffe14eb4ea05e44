//! The Scoring pane's breakdown, flags and order, and pay privacy on its
//! screens, driven through the real keymap and read from the rendered
//! buffer: the breakdown scrolls and opens full screen, the flag column
//! marks warnings and improvement plans, `s` sorts by F and by grade, and
//! a manager sees grades and multipliers but never a bonus amount.

use crate::common;
use crate::scoring_session::{date, manager_marks, new_cycle, open_cycle, someone_with_goals};

use common::*;
use hrdesk::app::{App, Mode};
use hrdesk::domain::employee::format_money;
use hrdesk::domain::scoring::board::BoardRow;
use hrdesk::domain::scoring::{CycleState, Grade};
use hrdesk::panes::scoring::{BoardSort, ScoringView, Showing};
use ratatui::backend::TestBackend;

fn view(app: &App) -> &ScoringView {
    app.pane::<ScoringView>()
}

/// The employee number of the selected row.
fn selected_no(app: &App) -> Option<String> {
    view(app).selected().map(|(p, _)| p.emp_no.to_string())
}

/// Selects `emp_no` in the scoreboard by moving down from the top.
fn select(app: &mut App, emp_no: &str) {
    press(app, "g g");
    for _ in 0..500 {
        if selected_no(app).as_deref() == Some(emp_no) {
            return;
        }
        press(app, "j");
    }
    panic!("{emp_no} is not on the scoreboard");
}

/// The first appraisee (in number order) whose row satisfies `wanted`.
fn first_where(app: &App, wanted: impl Fn(&BoardRow) -> bool) -> String {
    let results = view(app).results.as_ref().expect("a cycle on screen");
    let mut found: Vec<&str> = results
        .board
        .people
        .iter()
        .zip(&results.board.rows)
        .filter(|(_, row)| wanted(row))
        .map(|(p, _)| p.emp_no.as_str())
        .collect();
    found.sort_unstable();
    found.first().expect("such a row").to_string()
}

/// The text of the buffer's row `y` from column `x`, `width` columns wide.
fn cells(backend: &TestBackend, x: u16, y: u16, width: u16) -> String {
    let buffer = backend.buffer();
    (x..x + width).map(|x| buffer[(x, y)].symbol()).collect()
}

/// What the Flags column says on `emp_no`'s row (selected, so on screen).
fn flags_of(app: &mut App, emp_no: &str) -> String {
    select(app, emp_no);
    let backend = render(app, 120, 40);
    let width = backend.buffer().area.width;
    let height = backend.buffer().area.height;
    let find = |text: &str| {
        (0..height).find_map(|y| {
            (0..width.saturating_sub(text.len() as u16))
                .find(|&x| cells(&backend, x, y, text.len() as u16) == text)
                .map(|x| (x, y))
        })
    };
    let (x, _) = find("Flags").expect("the scoreboard has a Flags column");
    let (_, y) = find(emp_no).expect("the row is on screen");
    cells(&backend, x, y, 2).trim().to_string()
}

/// The demo company, on the Scoring tab, whose newest cycle follows a
/// closed one in which one person was rated 5 (now 1): their breakdown
/// has a trend, early warnings, a bonus and training. The app, with that
/// person selected, and their number.
pub(crate) fn after_a_fall() -> (App, String) {
    let (session, first) = open_cycle();
    let person = someone_with_goals(&session, &first);
    let emp_no = session.employee(person).unwrap().unwrap().emp_no;
    session
        .record_ratings(&manager_marks(&session, &first, person, 5))
        .unwrap();
    session
        .advance_cycle(first.id, CycleState::Calibrating)
        .unwrap();
    session.advance_cycle(first.id, CycleState::Closed).unwrap();
    let mut later = new_cycle("2027 复评");
    later.starts = date(2027, 1, 5);
    later.ends = date(2027, 1, 31);
    let later = session.add_cycle(later).unwrap();
    let later = session.advance_cycle(later.id, CycleState::Open).unwrap();
    session
        .record_ratings(&manager_marks(&session, &later, person, 1))
        .unwrap();
    let mut app = app_for(session);
    press(&mut app, "3");
    select(&mut app, &emp_no);
    (app, emp_no)
}

#[test]
fn the_breakdown_panel_scrolls_to_its_last_line_and_says_where_it_is() {
    let (mut app, person) = after_a_fall();
    let before = screen(&mut app, 80, 24);
    assert!(before.contains("F 67.9 ="), "{before}");
    for cut in ["training", "early warning"] {
        assert!(
            !before.contains(cut),
            "{cut} is below the panel's seven lines at first: {before}"
        );
    }
    assert!(before.contains("line 1 of 9"), "{before}");
    assert!(before.contains("J/K scroll"), "{before}");
    assert!(before.contains("enter full screen"), "{before}");
    let mut seen = String::new();
    for _ in 0..9 {
        press(&mut app, "J");
        seen.push_str(&screen(&mut app, 80, 24));
    }
    assert_eq!(view(&app).scroll, 8, "down to the last line, no further");
    for line in [
        "trend: 2026 年度 97.9 S → 2027 复评 67.9 C",
        "bonus ",
        "(C × 0.5)",
        "training: ",
        "early warning: a former S is now C",
        "early warning: the final score fell from 97.9 to 67.9",
    ] {
        assert!(seen.contains(line), "{line} in {seen}");
    }
    assert_eq!(selected_no(&app).as_deref(), Some(person.as_str()));
    press(&mut app, "K");
    assert_eq!(view(&app).scroll, 7);
    press(&mut app, "j k");
    assert_eq!(view(&app).scroll, 0, "another person starts at the top");
}

#[test]
fn enter_shows_the_breakdown_full_screen_and_esc_goes_back() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "3");
    let person = first_where(&app, |row| row.grade == Some(Grade::D));
    select(&mut app, &person);
    press(&mut app, "enter");
    assert_eq!(view(&app).showing, Showing::Breakdown);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("2026 年度考评"), "the cycle is named: {text}");
    assert!(text.contains(&person), "{text}");
    for line in ["R ", "C ", "F ", "bonus 0.00", "improvement plan: grade D"] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(text.contains("esc back"), "{text}");
    assert!(
        !text.contains("Flags"),
        "the scoreboard is not drawn: {text}"
    );
    // Full screen, the move keys scroll the breakdown, not the table.
    press(&mut app, "j j");
    assert_eq!(view(&app).scroll, 2);
    assert_eq!(selected_no(&app).as_deref(), Some(person.as_str()));
    press(&mut app, "end");
    let last = view(&app).scroll;
    press(&mut app, "j");
    assert_eq!(view(&app).scroll, last, "never past the last line");
    press(&mut app, "esc");
    assert_eq!(view(&app).showing, Showing::Board);
    assert_eq!(app.mode(), Mode::Browse);
    press(&mut app, "enter enter");
    assert_eq!(view(&app).showing, Showing::Board, "enter again goes back");
    press(&mut app, "x esc");
    assert_eq!(view(&app).showing, Showing::Board, "esc leaves any view");

    press(&mut app, "/");
    type_text(&mut app, "nobody at all");
    press(&mut app, "enter enter");
    assert_eq!(view(&app).showing, Showing::Board);
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("Select someone in the scoreboard first")
    );
}

#[test]
fn flags_mark_early_warnings_and_improvement_plans() {
    let (mut app, person) = after_a_fall();
    assert_eq!(
        view(&app).cycle().map(|c| c.name.as_str()),
        Some("2027 复评")
    );
    assert_eq!(
        flags_of(&mut app, &person),
        "!",
        "capability 100 → 0 is an early warning"
    );
    // The demo's own cycle, with no history: grade D alone calls for a plan.
    press(&mut app, "[ [");
    assert_eq!(
        view(&app).cycle().map(|c| c.name.as_str()),
        Some("2026 年度考评")
    );
    let failing = first_where(&app, |row| row.grade == Some(Grade::D));
    assert_eq!(flags_of(&mut app, &failing), "P");
    let fine = first_where(&app, |row| matches!(row.grade, Some(Grade::S | Grade::A)));
    assert_eq!(flags_of(&mut app, &fine), "");
}

/// The rows on screen, in order.
fn order(app: &App) -> Vec<(String, BoardRow)> {
    let view = view(app);
    let results = view.results.as_ref().unwrap();
    view.list
        .visible()
        .map(|r| {
            (
                results.board.people[r.index()].emp_no.to_string(),
                results.board.rows[r.index()].clone(),
            )
        })
        .collect()
}

#[test]
fn s_sorts_by_final_score_then_by_grade_and_the_title_says_so() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "3");
    assert!(screen(&mut app, 120, 30).contains("sorted by Emp. no."));
    press(&mut app, "j j j");
    let kept = selected_no(&app);

    press(&mut app, "s");
    assert_eq!(view(&app).sort, BoardSort::Final);
    assert!(screen(&mut app, 120, 30).contains("sorted by F, highest first"));
    assert_eq!(selected_no(&app), kept, "the selection stays on the person");
    let by_final = order(&app);
    let finals: Vec<_> = by_final.iter().map(|(_, r)| r.final_score).collect();
    let graded = finals.iter().take_while(|f| f.is_some()).count();
    assert!(graded > 1 && graded < finals.len(), "{finals:?}");
    assert!(
        finals[..graded].windows(2).all(|w| w[0] >= w[1]),
        "highest first: {finals:?}"
    );
    assert!(
        finals[graded..].iter().all(Option::is_none),
        "not graded last"
    );

    press(&mut app, "s");
    assert!(screen(&mut app, 120, 30).contains("sorted by grade, best first"));
    let by_grade = order(&app);
    let keys: Vec<_> = by_grade
        .iter()
        .map(|(_, r)| (r.grade.is_none(), r.grade, std::cmp::Reverse(r.final_score)))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "best first, ties by F as before: {keys:?}"
    );

    press(&mut app, "s");
    let numbers: Vec<_> = order(&app).into_iter().map(|(no, _)| no).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
}

#[test]
fn a_manager_sees_grades_and_multipliers_but_no_bonus_amount_anywhere() {
    let demo = demo_session_with_staff(60);
    let cycle = demo.cycles().unwrap().pop().unwrap();
    let hr = demo.cycle_results(&cycle).unwrap();
    let mut app = app_for(demo.login("mgr.zeng"));
    press(&mut app, "3");
    let results = view(&app)
        .results
        .as_ref()
        .expect("the manager's scoreboard");
    assert_eq!(results.bonuses, None, "the service hands no amounts over");
    let mine: Vec<_> = results.board.people.iter().map(|p| p.id).collect();
    let graded = results
        .board
        .rows
        .iter()
        .filter(|r| r.grade.is_some())
        .count();
    assert!(graded > 0, "the manager's people are graded");
    // The amounts HR sees for the manager's people.
    let amounts: Vec<String> = mine
        .iter()
        .filter_map(|&id| hr.bonus_of(id))
        .filter(|&paid| paid > 0)
        .map(format_money)
        .collect();
    assert!(!amounts.is_empty(), "HR sees their bonuses");

    let mut seen = String::new();
    press(&mut app, "g g");
    for _ in 0..mine.len() {
        seen.push_str(&screen(&mut app, 120, 40));
        press(&mut app, "enter");
        seen.push_str(&screen(&mut app, 120, 40));
        press(&mut app, "esc j");
    }
    press(&mut app, "x");
    seen.push_str(&screen(&mut app, 120, 40));
    press(&mut app, "x");
    for amount in &amounts {
        assert!(!seen.contains(amount.as_str()), "{amount} leaked");
    }
    for digit in '0'..='9' {
        assert!(!seen.contains(&format!("bonus {digit}")), "{seen}");
    }
    assert!(
        seen.contains("of the monthly salary (amounts are shown to HR and admins only)"),
        "the grade's multiplier is shown: {seen}"
    );

    press(&mut app, "e");
    assert!(app.form().is_none(), "the cycle form holds the pool");
    assert!(app.message().is_some_and(|m| m.is_error));
}

#[test]
fn the_help_lists_the_new_keys_and_explains_the_flags_on_the_scoring_tab() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "3 ?");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.contains("Flags: ! early warning, P improvement plan"),
        "{text}"
    );
    type_text(&mut app, "scoring s");
    // Descriptions wrap (a taller screen shows them all) and the columns
    // are as wide as their content: spaces apart, however many.
    let text = screen(&mut app, 80, 60)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for row in [
        "J scroll_down",
        "K scroll_up",
        "s sort",
        "enter breakdown",
        "N missing_only",
    ] {
        assert!(text.contains(row), "{row} in {text}");
    }
    press(&mut app, "esc 1 ?");
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("early warning"), "only on its tab: {text}");
}
