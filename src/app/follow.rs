//! Following other sessions' commits: when the database file changes, the
//! console reads the change feed since it last looked, sums up what the
//! touched records are ([`Changes`]) and tells every pane, which reads
//! again what it shows of them (each pane's `changed` says how: a row, a
//! path, or the whole list). One status-line note tells of the last change
//! the operator may see. A form in progress is left alone: its save is
//! checked against the record's revision.

use super::App;
use super::changes::Changes;

impl App {
    /// Reads what other sessions committed since the console last looked,
    /// and refreshes what it touched.
    pub(super) fn follow_changes(&mut self) {
        // The feed is read a batch at a time: a console far behind (a laptop
        // woken from sleep) looks again until it has caught up.
        let mut seen = Vec::new();
        loop {
            let (batch, last) = match self.desk.session.changes_since(self.seen_change) {
                Ok(found) => found,
                Err(err) => return self.desk.error(err.to_string()),
            };
            if last == self.seen_change {
                break;
            }
            self.seen_change = last;
            seen.extend(batch);
        }
        if seen.is_empty() {
            return;
        }
        let me = self.desk.session.operator().user.clone();
        let mut stale = Changes::default();
        for change in &seen {
            for key in &change.keys {
                stale.mark(key, &me);
            }
        }
        if stale.own_role
            && let Err(err) = self.desk.session.refresh_operator()
        {
            // No longer an operator: say so; every action is refused from now on.
            return self.desk.error(err.to_string());
        }
        self.spread(&stale);
        if let Some(note) = seen.iter().rev().find_map(|c| c.note.clone()) {
            self.desk.info(note);
        }
    }
}
