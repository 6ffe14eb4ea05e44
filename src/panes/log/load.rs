//! Reading the audit log: the whole of it (the first time, after the
//! filter changed, in another language) inline when the log is short,
//! else as a job ([`Desk::run_job`]) that counts the entries looked at
//! while the view says it is reading; and on from the newest entry seen,
//! always inline (only what came since). A cancelled whole read leaves
//! the view unread, and says how to read it again.

use super::{Batch, ENTRY_FIELDS, ID, LogView};
use crate::action::{Action, Section};
use crate::app::desk::Desk;
use crate::app::job::{Loaded, Outcome, drop_aside};
use crate::app::list::FilteredList;
use crate::domain::audit::AuditEntry;
use crate::domain::audit::filter::AuditFilter;
use crate::i18n::{self, Lang};
use crate::search::Index;
use crate::service::{OpError, Session};
use crate::tr;

/// The whole log as read through a filter.
struct Read {
    batch: Batch,
    /// The newest entry looked at.
    newest: u64,
    /// The language the search keys were made in.
    lang: Lang,
}

/// Reads the whole log through `filter`.
fn read_all(session: &Session, filter: &AuditFilter) -> Result<Read, OpError> {
    let mut batch = Batch::new();
    let newest = session.read_audit_log(filter, 0, |entry| batch.take(entry))?;
    Ok(Read {
        batch,
        newest,
        lang: i18n::lang(),
    })
}

impl LogView {
    /// Reads the log again from the start, through the filter: inline when
    /// it is short, else as a job (the list is empty meanwhile, and stays
    /// unread if another job runs).
    pub(super) fn read(&mut self, desk: &mut Desk) {
        let count = desk.session.audit_count();
        let filter = self.filter.clone();
        match desk.load(ID, tr!("loads.log"), count, move |session, _| {
            read_all(session, &filter)
        }) {
            Loaded::Now(read) => self.take(read, desk.page()),
            Loaded::Failed => {}
            Loaded::Job { started } => {
                self.unread(desk.page());
                self.reading = started;
            }
        }
    }

    /// Reads the entries written since the last read and puts those the
    /// filter lets through on top (the selected entry stays selected).
    pub(super) fn read_on(&mut self, desk: &mut Desk) {
        if self.keys_lang != Some(i18n::lang()) {
            return self.read(desk);
        }
        let mut batch = Batch::new();
        match desk
            .session
            .read_audit_log(&self.filter, self.newest, |entry| batch.take(entry))
        {
            Ok(newest) => {
                self.newest = newest;
                self.list
                    .append_keyed(batch.entries, batch.keys, desk.page());
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// The job reading the whole log ended with `outcome`: its entries are
    /// shown, with those written since read on; cancelled, the view stays
    /// unread.
    pub(super) fn read_done(&mut self, outcome: Outcome, desk: &mut Desk) {
        self.reading = false;
        let Ok(outcome) = outcome.downcast::<Result<Read, OpError>>() else {
            return;
        };
        match *outcome {
            Ok(read) => {
                self.take(read, desk.page());
                self.read_on(desk);
            }
            Err(OpError::Cancelled) => {
                let key = desk.key_for(&[Section::Global], Action::Log);
                desk.info(tr!("loads.log_cancelled", key = key));
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// Shows what `read` found, keeping the search and the selection.
    fn take(&mut self, read: Read, page: usize) {
        self.newest = read.newest;
        self.keys_lang = Some(read.lang);
        self.replace_list(read.batch.entries, read.batch.keys, page);
    }

    /// Empties the list until a read fills it (nothing read yet).
    fn unread(&mut self, page: usize) {
        self.newest = 0;
        self.keys_lang = None;
        self.replace_list(Vec::new(), Index::new(ENTRY_FIELDS), page);
    }

    /// Puts `entries` in the list, keeping the search and the selection,
    /// and lets go of the old ones aside.
    fn replace_list(&mut self, entries: Vec<AuditEntry>, keys: Index, page: usize) {
        let mut read = FilteredList::last_first(ENTRY_FIELDS);
        read.query = self.list.query.clone();
        read.editing = self.list.editing;
        read.cursor = self.list.cursor;
        read.set_keyed_items(entries, keys, page);
        drop_aside(std::mem::replace(&mut self.list, read));
    }
}
