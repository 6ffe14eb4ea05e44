//! The demo's ratings of a cycle: each appraisee marked by their manager
//! and by themself on every competency (the top of the company, having no
//! manager, only by themself), marks leaning to 3 and 4 as real ones do,
//! but for the people the story fixes (see `cast`). Written in one batch
//! through the bulk path: they follow the org chart, each a direct
//! relation.

use chrono::Datelike;

use super::cast::Cast;
use super::dice::Dice;
use crate::domain::employee::Status;
use crate::domain::scoring::{Basis, Cycle, EntrySource, RaterGroup, Rating};
use crate::service::{OpError, Session};

/// Rates everyone `cycle` appraises (not departed, in its scope of
/// stores, or everywhere), the marks drawn from `dice`.
pub fn rate(session: &Session, cycle: &Cycle, mut dice: Dice, cast: &Cast) -> Result<(), OpError> {
    let mut people = Vec::new();
    session.each_visible_employee(|_, person| {
        let in_scope = cycle.scope.is_empty() || cycle.scope.contains(&person.department);
        if person.status != Status::Departed && in_scope {
            people.push((person.id, person.manager));
        }
    })?;
    let year = cycle.starts.year();
    let (user, now) = (session.operator().user.clone(), session.now());
    let mut ratings = Vec::new();
    for (ratee, manager) in people {
        let fixed = cast.marks(ratee, year);
        let raters = [
            (RaterGroup::Own, Some(ratee)),
            (RaterGroup::Manager, manager),
        ];
        for (group, rater) in raters {
            let Some(rater) = rater else { continue };
            for (i, item) in cycle.config.competencies.iter().enumerate() {
                // Drawn for everyone, so a fixed mark leaves the others' as they were.
                let drawn = [2, 3, 3, 4, 4, 4, 5][dice.below(7)];
                let value = fixed.and_then(|m| m.get(i).copied()).unwrap_or(drawn);
                ratings.push(Rating {
                    cycle: cycle.id,
                    ratee,
                    rater,
                    group,
                    competency: item.code.clone(),
                    value,
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
    Ok(())
}
