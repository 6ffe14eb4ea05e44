//! Scheduled changes on disk, keyed by the day they take effect (so the
//! ones come due are one range read, done by every write) and their
//! number; blocked ones are kept apart, past every date.

use chrono::{Datelike, NaiveDate};

use super::Store;
use super::codec::Record;
use super::error::StoreError;
use super::tables::{self, SCHEDULED};
use super::writer::Writer;
use crate::domain::change::EntityKey;
use crate::domain::schedule::{Pending, Scheduled, ScheduledId};

impl Record for Scheduled {
    const VERSION: u16 = 1;
}

/// The counter scheduled changes are numbered from.
const COUNTER: &str = "scheduled";

/// Where blocked changes are kept: after every dated key.
const BLOCKED: u128 = 1 << 127;

/// The first key of the day `date`.
fn day_key(date: NaiveDate) -> u128 {
    u128::from(date.num_days_from_ce().max(0).unsigned_abs()) << 64
}

/// Where `item` is kept.
fn key_of(item: &Scheduled) -> u128 {
    let base = if item.blocked.is_some() {
        BLOCKED
    } else {
        day_key(item.effective)
    };
    base | u128::from(item.id.0)
}

impl Store {
    /// Every scheduled change: waiting ones by date, then blocked ones.
    pub fn scheduled(&self) -> Result<Vec<Scheduled>, StoreError> {
        self.read(|txn| SCHEDULED.all(txn))
    }
}

impl Writer<'_> {
    /// Keeps `item` under a new number (the one given is ignored).
    pub fn schedule(&mut self, item: &Scheduled) -> Result<Scheduled, StoreError> {
        let stored = Scheduled {
            id: ScheduledId(tables::next_id(self.txn, COUNTER)?),
            ..item.clone()
        };
        self.keep_scheduled(&stored)?;
        Ok(stored)
    }

    /// Stores `item` under its key, announcing the record it will change.
    pub fn keep_scheduled(&mut self, item: &Scheduled) -> Result<(), StoreError> {
        self.touch_subject(&item.change);
        SCHEDULED.put(self.txn, &key_of(item), item)?;
        Ok(())
    }

    /// Every scheduled change as this transaction sees it.
    pub fn all_scheduled(&self) -> Result<Vec<Scheduled>, StoreError> {
        SCHEDULED.all(self.txn)
    }

    /// The waiting changes dated `today` or before, oldest first.
    pub fn due_scheduled(&self, today: NaiveDate) -> Result<Vec<Scheduled>, StoreError> {
        let end = today.succ_opt().map_or(BLOCKED, day_key);
        SCHEDULED.range(self.txn, &0, &end)
    }

    /// Removes scheduled change `id`; returns it, if there was one.
    pub fn unschedule(&mut self, id: ScheduledId) -> Result<Option<Scheduled>, StoreError> {
        let found = self.all_scheduled()?.into_iter().find(|item| item.id == id);
        let Some(item) = found else {
            return Ok(None);
        };
        self.touch_subject(&item.change);
        SCHEDULED.take(self.txn, &key_of(&item))
    }

    fn touch_subject(&mut self, change: &Pending) {
        self.touch(match change {
            Pending::Event { base, .. } => EntityKey::Employee(base.id),
            Pending::Weight { goal, .. } => EntityKey::Goal(*goal),
        });
    }
}
