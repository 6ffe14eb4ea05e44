//! Peers HR allows for a cycle: someone who may rate a person as a peer
//! although they shared no department with them during the period (a
//! colleague of another team they work with). Kept on the person's sheet
//! of the cycle; allowed and removed while the cycle is a draft or open,
//! each change audited with both people's numbers and names; listed for
//! HR (the list tells who rates whom, so it is HR's alone).

use std::ops::ControlFlow;

use super::access::Permission;
use super::reach::Reach;
use super::relations::PeopleNames;
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::employee::EmployeeId;
use crate::domain::scoring::entry::ScoringError;
use crate::domain::scoring::{Cycle, CycleError, CycleId, CycleState, Sheet};

/// One allowance: `rater` may rate `ratee` as a peer in the cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedPeer {
    pub ratee: EmployeeId,
    /// `E0012 张伟`.
    pub ratee_name: String,
    pub rater: EmployeeId,
    pub rater_name: String,
}

/// Whether the peers of `cycle` may still change: while a draft or open.
fn check_changeable(cycle: &Cycle) -> Result<(), ScoringError> {
    match cycle.state {
        CycleState::Draft | CycleState::Open => Ok(()),
        CycleState::Closed => Err(CycleError::Frozen.into()),
        other => Err(CycleError::NotOpen(other).into()),
    }
}

impl Session {
    /// Allows `rater` to rate `ratee` as a peer in cycle `id`.
    pub fn allow_peer(
        &self,
        id: CycleId,
        ratee: EmployeeId,
        rater: EmployeeId,
    ) -> Result<AllowedPeer, OpError> {
        self.change_peer(id, ratee, rater, true)
    }

    /// Takes back HR's allowance of `rater` as `ratee`'s peer in cycle `id`
    /// (ratings already given stay).
    pub fn remove_peer(
        &self,
        id: CycleId,
        ratee: EmployeeId,
        rater: EmployeeId,
    ) -> Result<AllowedPeer, OpError> {
        self.change_peer(id, ratee, rater, false)
    }

    fn change_peer(
        &self,
        id: CycleId,
        ratee: EmployeeId,
        rater: EmployeeId,
        allow: bool,
    ) -> Result<AllowedPeer, OpError> {
        self.require(Permission::EditCycles)?;
        let cycle = self.stored_cycle(id)?;
        check_changeable(&cycle)?;
        let mut reach = Reach::new(self)?;
        if !reach.exists(self, rater)? {
            return Err(ScoringError::UnknownRater(rater.to_string()).into());
        }
        if rater == ratee {
            return Err(ScoringError::SelfRating.into());
        }
        self.check_appraised(&mut reach, &cycle, ratee)?;
        let mut names = PeopleNames::default();
        let pair = AllowedPeer {
            ratee,
            ratee_name: names.name(self, ratee)?,
            rater,
            rater_name: names.name(self, rater)?,
        };
        let summary = format!(
            "cycle={} ratee={} rater={}",
            cycle.name, pair.ratee_name, pair.rater_name
        );
        self.write_checked(|w| {
            let stored = w
                .cycle(id)?
                .ok_or_else(|| ScoringError::UnknownCycle(id.to_string()))?;
            check_changeable(&stored)?;
            let mut sheet = w.sheet(id, ratee)?.unwrap_or_else(|| Sheet::new(id, ratee));
            let had = sheet.allowed_peers.contains(&rater);
            let (rater_name, ratee_name) = (pair.rater_name.clone(), pair.ratee_name.clone());
            let record = match (allow, had) {
                (true, false) => {
                    sheet.allowed_peers.push(rater);
                    AuditRecord::new("peer.allow", "employee", ratee).after(summary.clone())
                }
                (false, true) => {
                    sheet.allowed_peers.retain(|&r| r != rater);
                    AuditRecord::new("peer.remove", "employee", ratee).before(summary.clone())
                }
                (true, true) => {
                    return Err(ScoringError::PeerAllowed {
                        rater: rater_name,
                        ratee: ratee_name,
                    }
                    .into());
                }
                (false, false) => {
                    return Err(ScoringError::PeerNotAllowed {
                        rater: rater_name,
                        ratee: ratee_name,
                    }
                    .into());
                }
            };
            w.put_sheets(&[sheet])?;
            w.audit(record)?;
            Ok(pair.clone())
        })
    }

    /// The peers HR allowed in cycle `id`, by the person rated.
    pub fn allowed_peers(&self, id: CycleId) -> Result<Vec<AllowedPeer>, OpError> {
        self.require(Permission::EditCycles)?;
        self.stored_cycle(id)?;
        let mut pairs = Vec::new();
        self.store().each_sheet(id, |sheet| {
            pairs.extend(
                sheet
                    .allowed_peers
                    .iter()
                    .map(|&rater| (sheet.employee, rater)),
            );
            ControlFlow::Continue(())
        })?;
        let mut names = PeopleNames::default();
        pairs
            .into_iter()
            .map(|(ratee, rater)| {
                Ok(AllowedPeer {
                    ratee,
                    ratee_name: names.name(self, ratee)?,
                    rater,
                    rater_name: names.name(self, rater)?,
                })
            })
            .collect()
    }
}
