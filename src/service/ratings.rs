//! Entering 360° ratings: each is checked against its cycle (open, the
//! competency, the scale, a clean comment), its people (the rater exists,
//! the person is appraised and within reach) and the relation its group
//! claims over the cycle's period (see `service::relations`). A relation
//! that does not hold is refused, unless an operator who may override it
//! gives a reason. All ratings of a batch or none are written, each logged
//! with who rated whom, in which group, and the mark before and after.

use super::access::Permission;
use super::reach::Reach;
use super::relations::Relations;
use super::scoring::{OpenCycles, SheetBatch, SheetEntry};
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::cleanup::clean_text;
use crate::domain::scoring::entry::{ScoringError, check_rating};
use crate::domain::scoring::{Basis, Cycle, RaterGroup, Rating};
use std::ops::ControlFlow;

/// A rating to record, with the reason to accept it though its relation
/// does not hold (HR's override), if one is given.
#[derive(Clone, Debug, PartialEq)]
pub struct RatingEntry {
    pub rating: Rating,
    pub override_reason: Option<String>,
}

impl From<Rating> for RatingEntry {
    fn from(rating: Rating) -> Self {
        RatingEntry {
            rating,
            override_reason: None,
        }
    }
}

/// How the audit log names what a rating is about.
pub(super) struct RatingLabels {
    pub(super) cycle: String,
    pub(super) ratee: String,
    pub(super) rater: String,
}

impl RatingLabels {
    /// A rating in the `key=value` shape of the log (the comment last:
    /// it is free text).
    fn summary(&self, rating: &Rating) -> String {
        let basis = match &rating.basis {
            Basis::Override(reason) => format!("override reason={reason}"),
            other => other.code().to_string(),
        };
        format!(
            "cycle={} ratee={} rater={} group={} competency={} mark={} by={} source={} relation={basis} comment={}",
            self.cycle,
            self.ratee,
            self.rater,
            rating.group.code(),
            rating.competency,
            rating.value,
            rating.recorded_by,
            rating.source.code(),
            rating.comment
        )
    }

    /// The log entry of `rating` written over `old`.
    pub(super) fn audit(&self, old: Option<&Rating>, rating: &Rating) -> AuditRecord {
        let record =
            AuditRecord::new("rating.record", "employee", rating.ratee).after(self.summary(rating));
        match old {
            Some(old) => record.before(self.summary(old)),
            None => record,
        }
    }
}

/// What a batch of ratings is checked against, each thing read once.
pub(super) struct RatingCheck {
    cycles: OpenCycles,
    reach: Reach,
    relations: Relations,
}

impl RatingCheck {
    pub(super) fn new(session: &Session) -> Result<RatingCheck, OpError> {
        Ok(RatingCheck {
            cycles: OpenCycles::default(),
            reach: Reach::new(session)?,
            relations: Relations::new(session)?,
        })
    }

    /// `entry`'s rating as it would be recorded (its comment cleaned, how
    /// its relation held), with how the log names it; or why not.
    pub(super) fn check(
        &mut self,
        session: &Session,
        entry: &RatingEntry,
    ) -> Result<(Rating, RatingLabels), OpError> {
        let mut rating = entry.rating.clone();
        rating.comment = clean_text(&rating.comment);
        let cycle = self.cycles.get(session, rating.cycle)?.clone();
        check_rating(&cycle, &rating)?;
        if !self.reach.exists(session, rating.rater)? {
            return Err(ScoringError::UnknownRater(rating.rater.to_string()).into());
        }
        session.check_appraised(&mut self.reach, &cycle, rating.ratee)?;
        let allowed = rating.group == RaterGroup::Peer
            && session
                .store()
                .sheet(cycle.id, rating.ratee)?
                .is_some_and(|sheet| sheet.allowed_peers.contains(&rating.rater));
        let labels = RatingLabels {
            cycle: cycle.name.clone(),
            ratee: self.relations.names.name(session, rating.ratee)?,
            rater: self.relations.names.name(session, rating.rater)?,
        };
        let reason = entry
            .override_reason
            .as_deref()
            .map(clean_text)
            .filter(|r| !r.is_empty());
        rating.basis = match (
            self.relations.check(session, &cycle, &rating, allowed)?,
            reason,
        ) {
            (Ok(basis), _) => basis,
            (Err(_), Some(reason)) => {
                session.require(Permission::OverrideRelations)?;
                Basis::Override(reason)
            }
            (Err(why), None) => {
                return Err(ScoringError::Relation {
                    rater: labels.rater,
                    ratee: labels.ratee,
                    group: rating.group,
                    why,
                    starts: cycle.starts,
                    ends: cycle.ends,
                }
                .into());
            }
        };
        Ok((rating, labels))
    }
}

impl Session {
    /// The ratings export of `cycle`: each rating by the person rated,
    /// handed to `visit` with the number and name of the person rated and
    /// of the rater (of the people the operator may see) until `visit`
    /// breaks. For calibrators only (admin, hr), since it undoes the
    /// raters' anonymity. One sheet at a time is read; nothing is held
    /// but the staff's numbers and names.
    pub fn export_ratings(
        &self,
        cycle: &Cycle,
        mut visit: impl FnMut(Rating, Option<(&str, &str)>, Option<(&str, &str)>) -> ControlFlow<()>,
    ) -> Result<(), OpError> {
        self.require(Permission::Calibrate)?;
        let people = self.visible_roster()?;
        self.store().each_sheet(cycle.id, |sheet| {
            for rating in sheet.ratings {
                let (ratee, rater) = (people.who(rating.ratee), people.who(rating.rater));
                visit(rating, ratee, rater)?;
            }
            ControlFlow::Continue(())
        })?;
        Ok(())
    }

    /// Records ratings (a new mark replaces the same rater's mark for the
    /// same competency): all of them or, when any is refused, none.
    pub fn record_ratings(&self, ratings: &[Rating]) -> Result<usize, OpError> {
        let entries: Vec<RatingEntry> = ratings.iter().cloned().map(RatingEntry::from).collect();
        self.record_rating_entries(&entries)
    }

    /// Records ratings, each with HR's reason to accept a relation that
    /// does not hold if one is given: all of them or none.
    pub fn record_rating_entries(&self, entries: &[RatingEntry]) -> Result<usize, OpError> {
        self.record_checked(entries).map(|recorded| recorded.len())
    }

    /// Records one rating (see [`Session::record_rating_entries`]); the
    /// rating as recorded, with how its relation held.
    pub fn record_rating(&self, entry: &RatingEntry) -> Result<Rating, OpError> {
        let mut recorded = self.record_checked(std::slice::from_ref(entry))?;
        recorded
            .pop()
            .ok_or_else(|| ScoringError::UnknownRater(entry.rating.rater.to_string()).into())
    }

    /// Checks every entry, then writes them all: the ratings as recorded.
    fn record_checked(&self, entries: &[RatingEntry]) -> Result<Vec<Rating>, OpError> {
        self.require(Permission::EnterRatings)?;
        let mut check = RatingCheck::new(self)?;
        let mut sheets = SheetBatch::default();
        let mut recorded = Vec::with_capacity(entries.len());
        for entry in entries {
            let (rating, labels) = check.check(self, entry)?;
            recorded.push(rating.clone());
            sheets.add(
                rating.cycle,
                rating.ratee,
                SheetEntry::Rating(rating, labels),
            );
        }
        self.write_sheets(sheets)?;
        Ok(recorded)
    }

    /// Checks `entry` without writing it: the rating as it would be
    /// recorded, and the mark of the same rater for the same competency
    /// that it would replace, if any.
    pub fn check_rating_entry(
        &self,
        entry: &RatingEntry,
    ) -> Result<(Rating, Option<Rating>), OpError> {
        self.require(Permission::EnterRatings)?;
        let (rating, _) = RatingCheck::new(self)?.check(self, entry)?;
        let replaced = self
            .store()
            .sheet(rating.cycle, rating.ratee)?
            .and_then(|sheet| sheet.rating_by(rating.rater, &rating.competency).cloned());
        Ok((rating, replaced))
    }
}
