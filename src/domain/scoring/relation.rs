//! Who may rate whom in which rater group, over a cycle's period. Each
//! person's stints (their department and manager from one day to another,
//! as their timeline gives them) decide it:
//!
//! - `self`: the person themself;
//! - `manager`: someone who was the person's manager on any day of the
//!   period, or above such a manager (a manager's manager on any day of the
//!   period, and so on up: accepted, marked skip-level);
//! - `subordinate`: someone whose manager the person was on any day of it;
//! - `peer`: someone else who was in the same department as the person on
//!   a same day of the period, neither having been the other's manager
//!   during it (that is a manager's or a subordinate's rating); or someone
//!   HR allowed as the person's peer for the cycle.
//!
//! Anything else is refused with why, unless HR overrides it with a reason.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::RaterGroup;
use crate::domain::department::DepartmentId;
use crate::domain::employee::EmployeeId;
use crate::tr;

/// The most levels a skip-level manager is looked for above the direct one.
const MAX_LEVELS: usize = 64;

/// Someone's place over a stretch of days: their department and manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stint {
    pub from: NaiveDate,
    /// The last day (inclusive).
    pub to: NaiveDate,
    /// `None` when the timeline names a department that no longer exists.
    pub department: Option<DepartmentId>,
    pub manager: Option<EmployeeId>,
}

/// How a rating's relation was accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    /// The relation holds as its group says.
    #[default]
    Holds,
    /// A manager further up the chain than a direct one.
    SkipLevel,
    /// A peer HR allowed for the cycle.
    AllowedPeer,
    /// Accepted by HR although it does not hold, for this reason.
    Override(String),
}

impl Basis {
    /// How the basis reads in exports and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Basis::Holds => "holds",
            Basis::SkipLevel => "skip-level",
            Basis::AllowedPeer => "allowed-peer",
            Basis::Override(_) => "override",
        }
    }

    /// How the basis reads on screen (empty when it simply holds).
    pub fn label(&self) -> String {
        match self {
            Basis::Holds => String::new(),
            Basis::SkipLevel => tr!("scoring.basis.skip_level"),
            Basis::AllowedPeer => tr!("scoring.basis.allowed_peer"),
            Basis::Override(reason) => tr!("scoring.basis.override", reason = reason),
        }
    }
}

/// Where a rating was entered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntrySource {
    /// The console's rating form.
    #[default]
    Console,
    /// A ratings sheet (`hrdesk import ratings`).
    Import,
    /// Prepared records written in bulk (the demo company).
    Bulk,
}

impl EntrySource {
    pub fn code(self) -> &'static str {
        match self {
            EntrySource::Console => "console",
            EntrySource::Import => "import",
            EntrySource::Bulk => "bulk",
        }
    }

    pub fn label(self) -> String {
        match self {
            EntrySource::Console => tr!("scoring.source.console"),
            EntrySource::Import => tr!("scoring.source.import"),
            EntrySource::Bulk => tr!("scoring.source.bulk"),
        }
    }
}

/// Why a rater does not stand in a group to the person rated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    /// Neither their manager on any day of the period nor above one.
    NotManager,
    /// They did not report to the person on any day of the period.
    NotReport,
    /// Never in the person's department on a same day of the period.
    NotColleague,
    /// Colleagues, but one was the other's manager during the period.
    ManagerNotPeer,
}

impl Broken {
    /// Why, in words (the sentence names the people, group and period).
    pub fn describe(self) -> String {
        match self {
            Broken::NotManager => tr!("scoring.broken.not_manager"),
            Broken::NotReport => tr!("scoring.broken.not_report"),
            Broken::NotColleague => tr!("scoring.broken.not_colleague"),
            Broken::ManagerNotPeer => tr!("scoring.broken.manager_not_peer"),
        }
    }
}

/// The managers `stints` name, once each.
fn managers(stints: &[Stint]) -> BTreeSet<EmployeeId> {
    stints.iter().filter_map(|s| s.manager).collect()
}

/// Whether the two were in one department on a same day.
fn colleagues(a: &[Stint], b: &[Stint]) -> bool {
    a.iter().any(|x| {
        b.iter().any(|y| {
            x.department.is_some()
                && x.department == y.department
                && x.from <= y.to
                && y.from <= x.to
        })
    })
}

/// How `rater` stands to `ratee` in `group` over the period whose stints
/// `stints` gives (a rating whose self-ness was already checked);
/// `allowed_peer` when HR allowed the two as peers for the cycle. The
/// outer error is the lookup's.
pub fn relation<E>(
    group: RaterGroup,
    rater: EmployeeId,
    ratee: EmployeeId,
    allowed_peer: bool,
    stints: &mut impl FnMut(EmployeeId) -> Result<Vec<Stint>, E>,
) -> Result<Result<Basis, Broken>, E> {
    let theirs = stints(ratee)?;
    Ok(match group {
        RaterGroup::Own => Ok(Basis::Holds),
        RaterGroup::Manager => {
            let direct = managers(&theirs);
            if direct.contains(&rater) {
                return Ok(Ok(Basis::Holds));
            }
            let mut seen: BTreeSet<EmployeeId> = direct.clone();
            seen.insert(ratee);
            let mut level = direct;
            for _ in 0..MAX_LEVELS {
                let mut above = BTreeSet::new();
                for manager in level {
                    above.extend(managers(&stints(manager)?));
                }
                if above.contains(&rater) {
                    return Ok(Ok(Basis::SkipLevel));
                }
                above.retain(|id| seen.insert(*id));
                if above.is_empty() {
                    break;
                }
                level = above;
            }
            Err(Broken::NotManager)
        }
        RaterGroup::Subordinate => {
            if managers(&stints(rater)?).contains(&ratee) {
                Ok(Basis::Holds)
            } else {
                Err(Broken::NotReport)
            }
        }
        RaterGroup::Peer => {
            let mine = stints(rater)?;
            let related = managers(&theirs).contains(&rater) || managers(&mine).contains(&ratee);
            match (colleagues(&mine, &theirs) && !related, allowed_peer) {
                (true, _) => Ok(Basis::Holds),
                (false, true) => Ok(Basis::AllowedPeer),
                _ if related => Err(Broken::ManagerNotPeer),
                _ => Err(Broken::NotColleague),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::convert::Infallible;

    use proptest::prelude::*;

    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn stint(from: NaiveDate, to: NaiveDate, department: u64, manager: Option<u64>) -> Stint {
        Stint {
            from,
            to,
            department: Some(DepartmentId(department)),
            manager: manager.map(EmployeeId),
        }
    }

    /// A small company over December: 1 heads it; 2 reports to 1; 3 and 4
    /// report to 2 in department 20; 5 reported to 2 until the 10th, then
    /// moved to 6 in department 30; 7 joins department 20 on the 20th.
    fn company() -> HashMap<u64, Vec<Stint>> {
        let all = |department, manager| vec![stint(day(12, 1), day(12, 31), department, manager)];
        HashMap::from([
            (1, all(10, None)),
            (2, all(10, Some(1))),
            (3, all(20, Some(2))),
            (4, all(20, Some(2))),
            (
                5,
                vec![
                    stint(day(12, 1), day(12, 10), 20, Some(2)),
                    stint(day(12, 11), day(12, 31), 30, Some(6)),
                ],
            ),
            (6, all(30, Some(1))),
            (7, vec![stint(day(12, 20), day(12, 31), 20, Some(2))]),
            (8, vec![stint(day(12, 1), day(12, 5), 20, Some(2))]),
        ])
    }

    fn check(group: RaterGroup, rater: u64, ratee: u64, allowed: bool) -> Result<Basis, Broken> {
        let company = company();
        let mut lookup = |id: EmployeeId| -> Result<Vec<Stint>, Infallible> {
            Ok(company.get(&id.0).cloned().unwrap_or_default())
        };
        let Ok(found) = relation(
            group,
            EmployeeId(rater),
            EmployeeId(ratee),
            allowed,
            &mut lookup,
        );
        found
    }

    #[test]
    fn a_manager_is_one_the_person_had_during_the_period_or_above_one() {
        use RaterGroup::Manager;
        assert_eq!(check(Manager, 2, 3, false), Ok(Basis::Holds));
        assert_eq!(
            check(Manager, 2, 5, false),
            Ok(Basis::Holds),
            "until the 10th"
        );
        assert_eq!(
            check(Manager, 6, 5, false),
            Ok(Basis::Holds),
            "from the 11th"
        );
        assert_eq!(check(Manager, 1, 3, false), Ok(Basis::SkipLevel));
        assert_eq!(check(Manager, 4, 3, false), Err(Broken::NotManager));
        assert_eq!(
            check(Manager, 3, 2, false),
            Err(Broken::NotManager),
            "a clerk is not the boss's manager"
        );
    }

    #[test]
    fn a_subordinate_reported_directly_during_the_period() {
        use RaterGroup::Subordinate;
        assert_eq!(check(Subordinate, 3, 2, false), Ok(Basis::Holds));
        assert_eq!(check(Subordinate, 5, 2, false), Ok(Basis::Holds));
        assert_eq!(
            check(Subordinate, 1, 3, false),
            Err(Broken::NotReport),
            "the boss is not a clerk's subordinate"
        );
        assert_eq!(
            check(Subordinate, 3, 1, false),
            Err(Broken::NotReport),
            "only direct reports"
        );
    }

    #[test]
    fn peers_shared_a_department_on_a_same_day_or_were_allowed() {
        use RaterGroup::Peer;
        assert_eq!(check(Peer, 4, 3, false), Ok(Basis::Holds));
        assert_eq!(check(Peer, 5, 3, false), Ok(Basis::Holds), "until the 10th");
        assert_eq!(check(Peer, 7, 3, false), Ok(Basis::Holds));
        assert_eq!(
            check(Peer, 7, 8, false),
            Err(Broken::NotColleague),
            "never there on a same day"
        );
        assert_eq!(check(Peer, 6, 3, false), Err(Broken::NotColleague));
        assert_eq!(check(Peer, 6, 3, true), Ok(Basis::AllowedPeer));
        assert_eq!(check(Peer, 1, 2, false), Err(Broken::ManagerNotPeer));
        assert_eq!(check(Peer, 2, 1, false), Err(Broken::ManagerNotPeer));
        assert_eq!(check(RaterGroup::Own, 3, 3, false), Ok(Basis::Holds));
    }

    #[test]
    fn a_loop_of_managers_ends_the_search() {
        let looped = HashMap::from([
            (1, vec![stint(day(12, 1), day(12, 31), 10, Some(2))]),
            (2, vec![stint(day(12, 1), day(12, 31), 10, Some(1))]),
        ]);
        let mut lookup = |id: EmployeeId| -> Result<Vec<Stint>, Infallible> {
            Ok(looped.get(&id.0).cloned().unwrap_or_default())
        };
        let Ok(found) = relation(
            RaterGroup::Manager,
            EmployeeId(9),
            EmployeeId(1),
            false,
            &mut lookup,
        );
        assert_eq!(found, Err(Broken::NotManager));
    }

    proptest! {
        /// In a chain where each reports to the next, the next is a
        /// manager, anyone further up a skip-level one, and nobody below
        /// is; the next's rating as a subordinate never holds.
        #[test]
        fn up_the_chain_is_skip_level_and_down_is_never_a_manager(
            length in 2u64..12, ratee in 0u64..12, rater in 0u64..12,
        ) {
            prop_assume!(ratee < length && rater < length && rater != ratee);
            let chain: HashMap<u64, Vec<Stint>> = (0..length)
                .map(|id| {
                    let boss = (id + 1 < length).then_some(id + 1);
                    (id, vec![stint(day(12, 1), day(12, 31), 10, boss)])
                })
                .collect();
            let mut lookup = |id: EmployeeId| -> Result<Vec<Stint>, Infallible> {
                Ok(chain.get(&id.0).cloned().unwrap_or_default())
            };
            let Ok(found) = relation(
                RaterGroup::Manager,
                EmployeeId(rater),
                EmployeeId(ratee),
                false,
                &mut lookup,
            );
            let expected = if rater == ratee + 1 {
                Ok(Basis::Holds)
            } else if rater > ratee {
                Ok(Basis::SkipLevel)
            } else {
                Err(Broken::NotManager)
            };
            prop_assert_eq!(found, expected);
        }
    }
}
