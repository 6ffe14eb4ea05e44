//! The audit log view (`g l`): every entry, newest first, searchable by
//! any word of it; read-only.

mod view;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::Action;
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::list::{FilteredList, Matching, Searchable};
use crate::app::pane::{Handled, Pane, PaneId, Placement, QueryEdit};
use crate::domain::audit::AuditEntry;
use crate::service::access::Permission;
use crate::tr;

/// The pane's name.
pub const ID: PaneId = "log";

impl Searchable for AuditEntry {
    fn search_text(&self) -> String {
        let record = &self.record;
        format!(
            "{} {} {} {} {} {} {}",
            self.seq,
            self.operator,
            record.action,
            record.entity,
            record.entity_id,
            record.before.as_deref().unwrap_or(""),
            record.after.as_deref().unwrap_or("")
        )
    }
}

/// The audit log view's state.
pub struct LogView {
    pub list: FilteredList<AuditEntry>,
}

impl Default for LogView {
    fn default() -> Self {
        LogView {
            list: FilteredList::new(Matching::AllWords),
        }
    }
}

impl LogView {
    /// Reads the log again, newest entry first.
    fn read(&mut self, desk: &mut Desk) {
        match desk.session.audit_log() {
            Ok(mut entries) => {
                entries.reverse();
                self.list.set_items(entries, desk.page());
            }
            Err(err) => desk.error(err.to_string()),
        }
    }
}

impl Pane for LogView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("log.title")
    }

    fn placement(&self) -> Placement {
        Placement::View {
            opened_by: Action::Log,
            needs: Permission::ViewAuditLog,
        }
    }

    fn show(&mut self, desk: &mut Desk) {
        self.read(desk);
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        if self.list.navigate(action, desk.page()) {
            Handled::Done
        } else if action.is_edit() {
            Handled::NotHereBut(tr!("status.log_read_only"))
        } else {
            Handled::NotHere
        }
    }

    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        self.list.query_step(edit, desk.page());
        true
    }

    fn querying(&self) -> bool {
        self.list.editing
    }

    fn fit(&mut self, page: usize) {
        self.list.fit(page);
    }

    /// Every change is in the log.
    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        if shown && !changes.is_empty() {
            self.read(desk);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(&self.list, app, frame, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
