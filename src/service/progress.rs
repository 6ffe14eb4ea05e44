//! How far a long operation has got, and whether it is to stop: one
//! [`Progress`] shared by the worker that runs the operation (it counts rows
//! and looks at the flag) and the console that shows it (it reads the
//! counts and raises the flag on `esc`). An operation that finds the flag
//! raised ends with [`OpError::Cancelled`] before it commits, so nothing is
//! written.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::OpError;

/// Rows done, rows in all (0: not known yet) and the cancel flag.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<Counters>);

#[derive(Debug, Default)]
struct Counters {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// A new stage of `total` rows (0 when not known), none done yet.
    pub fn start(&self, total: usize) {
        self.0.done.store(0, Ordering::Relaxed);
        self.0.total.store(total, Ordering::Relaxed);
    }

    /// One more row done.
    pub fn advance(&self) {
        self.advance_by(1);
    }

    /// `rows` more rows done.
    pub fn advance_by(&self, rows: usize) {
        self.0.done.fetch_add(rows, Ordering::Relaxed);
    }

    /// A count of rows this thread does, handed on a few thousand at a
    /// time: threads adding each row to the shared count fight over it.
    pub fn counter(&self) -> Counter<'_> {
        Counter::on(Some(self))
    }

    pub fn done(&self) -> usize {
        self.0.done.load(Ordering::Relaxed)
    }

    /// Rows in all, when known.
    pub fn total(&self) -> Option<usize> {
        Some(self.0.total.load(Ordering::Relaxed)).filter(|&total| total > 0)
    }

    /// Asks the operation to stop.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    /// Ok while the operation may go on; [`OpError::Cancelled`] once asked to stop.
    pub fn check(&self) -> Result<(), OpError> {
        if self.is_cancelled() {
            Err(OpError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Rows one thread did that are not yet in its [`Progress`] (if any):
/// handed on every [`Counter::STEP`] rows, and the rest when dropped.
#[derive(Debug)]
pub struct Counter<'p> {
    progress: Option<&'p Progress>,
    unreported: usize,
}

impl<'p> Counter<'p> {
    /// How many rows are counted before they are handed on.
    pub const STEP: usize = 4096;

    /// A counter for `progress`, or one that counts for no one.
    pub fn on(progress: Option<&'p Progress>) -> Self {
        Counter {
            progress,
            unreported: 0,
        }
    }

    /// `rows` more rows done.
    pub fn add(&mut self, rows: usize) {
        self.unreported += rows;
        if self.unreported >= Self::STEP {
            self.hand_on();
        }
    }

    fn hand_on(&mut self) {
        if let Some(progress) = self.progress {
            progress.advance_by(self.unreported);
        }
        self.unreported = 0;
    }
}

impl Drop for Counter<'_> {
    fn drop(&mut self) {
        self.hand_on();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_hands_rows_on_in_steps_and_the_rest_when_dropped() {
        let progress = Progress::new();
        let mut counter = progress.counter();
        counter.add(Counter::STEP - 1);
        assert_eq!(progress.done(), 0);
        counter.add(2);
        assert_eq!(progress.done(), Counter::STEP + 1);
        counter.add(5);
        drop(counter);
        assert_eq!(progress.done(), Counter::STEP + 6);
        Counter::on(None).add(Counter::STEP);
    }

    #[test]
    fn counts_rows_per_stage_and_stops_once_cancelled() {
        let progress = Progress::new();
        assert_eq!(progress.total(), None);
        progress.start(3);
        progress.advance();
        progress.advance_by(2);
        let seen = progress.clone();
        assert_eq!((seen.done(), seen.total()), (3, Some(3)));
        assert!(progress.check().is_ok());
        seen.cancel();
        assert!(matches!(progress.check(), Err(OpError::Cancelled)));
        progress.start(0);
        assert_eq!((progress.done(), progress.total()), (0, None));
    }
}
