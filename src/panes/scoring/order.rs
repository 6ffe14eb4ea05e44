//! The scoreboard's order: by employee number (as the cycle is read), by
//! final score (highest first) or by grade (best first), the `sort` key
//! going from one to the next. A sort is stable, so people who tie keep
//! the order the table had: by grade after by final score lists each
//! grade's people by their final score. Someone not graded comes last.

use std::cmp::Ordering;

use super::{ScoreRow, ScoringView};
use crate::domain::scoring::board::BoardRow;
use crate::service::CycleResults;
use crate::tr;

/// What the scoreboard is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BoardSort {
    #[default]
    EmpNo,
    Final,
    Grade,
}

impl BoardSort {
    /// The orders in the sequence the `sort` key goes through them.
    const SEQUENCE: [BoardSort; 3] = [BoardSort::EmpNo, BoardSort::Final, BoardSort::Grade];

    /// The order after this one.
    pub fn next(self) -> BoardSort {
        match self {
            BoardSort::EmpNo => BoardSort::Final,
            BoardSort::Final => BoardSort::Grade,
            BoardSort::Grade => BoardSort::EmpNo,
        }
    }

    /// How the scoreboard's title names the order.
    pub fn label(self) -> String {
        match self {
            BoardSort::EmpNo => tr!("staff.field.emp_no"),
            BoardSort::Final => tr!("scoring.board.sort_final"),
            BoardSort::Grade => tr!("scoring.board.sort_grade"),
        }
    }

    /// Whether `a` goes before `b` (`Equal`: a tie, left as it was).
    fn compare(self, results: &CycleResults, a: &ScoreRow, b: &ScoreRow) -> Ordering {
        let people = &results.board.people;
        let row = |r: &ScoreRow| -> Option<&BoardRow> { results.board.rows.get(r.index()) };
        match self {
            BoardSort::EmpNo => {
                let no = |r: &ScoreRow| people.get(r.index()).map(|p| p.emp_no.as_str());
                no(a).cmp(&no(b))
            }
            // `Reverse` puts the highest first; `None` (not graded) sorts last.
            BoardSort::Final => {
                let key = |r: &ScoreRow| row(r).and_then(|r| r.final_score).map(std::cmp::Reverse);
                last_none(key(a), key(b))
            }
            BoardSort::Grade => {
                let key = |r: &ScoreRow| row(r).and_then(|r| r.grade);
                last_none(key(a), key(b))
            }
        }
    }
}

/// Orders values with `None` after every value.
fn last_none<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

impl ScoringView {
    /// Sorts by the next order, from the table's present one; the
    /// selected person stays selected.
    pub(super) fn next_sort(&mut self, page: usize) {
        self.sort = self.sort.next();
        let keep = self.list.selected().copied();
        self.sort_by(self.sort, page);
        if let Some(kept) = keep {
            self.list.select_where(page, |row| *row == kept);
        }
    }

    /// Puts freshly read rows in the order on screen: by number, then each
    /// order of the sequence up to the present one, as the key would have.
    pub(super) fn apply_sort(&mut self, page: usize) {
        for order in BoardSort::SEQUENCE {
            self.sort_by(order, page);
            if order == self.sort {
                break;
            }
        }
    }

    fn sort_by(&mut self, order: BoardSort, page: usize) {
        let Some(results) = &self.results else {
            return;
        };
        self.list.sort_by(|a, b| order.compare(results, a, b), page);
    }
}
