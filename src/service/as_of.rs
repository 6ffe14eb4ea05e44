//! The staff as they stood on any day, derived from the timeline: each
//! person's recorded events after that day undone, their scheduled events
//! up to it done (`hrdesk export staff --as-of DATE`).

use chrono::NaiveDate;

use super::{OpError, Session};
use crate::domain::employee::{EventKind, Field, FieldChange};
use crate::domain::schedule::Pending;
use crate::domain::timeline::fields_on;

impl Session {
    /// Every employee the operator may see, as on `date`: their fields in
    /// [`Field::ALL`] order (in the clear: masking is the caller's); people
    /// hired after `date` are left out.
    pub fn staff_as_of(&self, date: NaiveDate) -> Result<Vec<Vec<String>>, OpError> {
        let directory = self.directory()?;
        let histories = self.store().histories()?;
        let scheduled = self.store().scheduled()?;
        let mut upcoming: std::collections::HashMap<
            _,
            Vec<(&EventKind, NaiveDate, Vec<FieldChange>)>,
        > = std::collections::HashMap::new();
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
        Ok(directory
            .employees()
            .iter()
            .filter_map(|person| {
                let current = Field::ALL
                    .iter()
                    .map(|field| person.value(*field, &directory))
                    .collect();
                let history = histories.get(&person.id).map_or(&[][..], Vec::as_slice);
                let scheduled = upcoming.get(&person.id).map_or(&[][..], Vec::as_slice);
                fields_on(current, history, scheduled, date)
            })
            .collect())
    }
}
