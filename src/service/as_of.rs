//! The staff as they stood on any day, derived from the timeline: each
//! person's recorded events after that day undone, their scheduled events
//! up to it done (`hrdesk export staff --as-of DATE`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{OpError, Session};
use crate::domain::employee::{
    Employee, EmployeeId, EventKind, Field, FieldChange, LifecycleEvent,
};
use crate::domain::schedule::Pending;
use crate::domain::timeline::fields_on;

impl Session {
    /// Every employee the operator may see, as on `date`: their fields in
    /// [`Field::ALL`] order (in the clear: masking is the caller's); people
    /// hired after `date` are left out.
    pub fn staff_as_of(&self, date: NaiveDate) -> Result<Vec<Vec<String>>, OpError> {
        let directory = self.directory()?;
        let scheduled = self.store().scheduled()?;
        let mut upcoming: HashMap<_, Vec<(&EventKind, NaiveDate, Vec<FieldChange>)>> =
            HashMap::new();
        for item in scheduled.iter().filter(|item| item.blocked.is_none()) {
            if let Pending::Event {
                kind, base, target, ..
            } = &item.change
            {
                let changes = base.diff(target, &directory);
                upcoming
                    .entry(base.id)
                    .or_default()
                    .push((kind, item.effective, changes));
            }
        }
        // Each person's history is read once, in id order, and dropped.
        let values = |person: &Employee| -> Vec<String> {
            Field::ALL
                .iter()
                .map(|field| person.value(*field, &directory))
                .collect()
        };
        let on = |person: &Employee, history: &[LifecycleEvent]| {
            let scheduled = upcoming.get(&person.id).map_or(&[][..], Vec::as_slice);
            fields_on(values(person), history, scheduled, date)
        };
        let mut on_the_day: HashMap<EmployeeId, Option<Vec<String>>> = HashMap::new();
        self.store().each_history(|id, history| {
            if let Some(person) = directory.get(id) {
                on_the_day.insert(id, on(person, &history));
            }
        })?;
        Ok(directory
            .employees()
            .iter()
            .filter_map(|person| match on_the_day.remove(&person.id) {
                Some(found) => found,
                // No history kept (an old file): as the record stands.
                None => on(person, &[]),
            })
            .collect())
    }
}
