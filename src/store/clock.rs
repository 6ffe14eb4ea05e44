//! Where "now" comes from: the system clock, or a fixed instant for tests
//! and for bulk loads that write history with chosen dates. A write reads
//! the clock once it holds the write lock, so an entry's time is when it
//! was written, not when it began to wait.

use chrono::{DateTime, Utc};

/// The system clock, or a fixed instant.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
        }
    }
}

impl From<DateTime<Utc>> for Clock {
    fn from(at: DateTime<Utc>) -> Clock {
        Clock::Fixed(at)
    }
}
