//! The audit log view, newest entry first, titled with the filter in
//! force; each action in words. What does not fit its column is cut with
//! a mark by the shared table (`enter` shows the entry whole).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::LogView;
use crate::app::App;
use crate::domain::audit::{AuditEntry, actions};
use crate::tr;
use crate::ui::table::{Cells, Column, ListTable, draw_list};

/// The audit log, newest first. Narrow terminals drop the entity column and
/// the year, so the change itself stays readable; the change takes what
/// the other columns leave.
pub(super) fn draw(view: &LogView, app: &App, frame: &mut Frame, area: Rect) {
    let wide = area.width >= 100;
    let time_format = if wide {
        "%Y-%m-%d %H:%M"
    } else {
        "%m-%d %H:%M"
    };
    let mut columns = vec![
        Column::keep(tr!("log.col.seq"), 5).shows(0),
        Column::keep(tr!("log.col.time"), if wide { 16 } else { 11 }),
        Column::flex(tr!("log.col.operator"), 1).shows(1),
        Column::flex(tr!("log.col.action"), 2).shows(2),
    ];
    if wide {
        columns.push(Column::flex(tr!("log.col.entity"), 1).shows(5));
    }
    columns.push(Column::flex(tr!("log.col.change"), 6));
    let make_row = |entry: &AuditEntry| {
        let at = crate::zone::current().local(entry.at).format(time_format);
        let mut cells = vec![
            entry.seq.to_string(),
            at.to_string(),
            entry.operator.clone(),
            actions::name(&entry.record.action).to_string(),
        ];
        if wide {
            cells.push(entry.record.entity_id.clone());
        }
        cells.push(entry.record.change());
        Cells::new(cells)
    };
    let filter = super::filter::summary(&view.filter);
    let title = if filter.is_empty() {
        tr!("log.title")
    } else {
        format!("{} · {filter}", tr!("log.title"))
    };
    let table = ListTable {
        title,
        columns,
        empty: if view.reading {
            tr!("loads.reading_log")
        } else if view.keys_lang.is_none() {
            tr!("loads.log_unread")
        } else if view.filter.is_empty() {
            tr!("log.empty")
        } else {
            tr!("log.filter.none", filter = filter)
        },
        hidden: Vec::new(),
    };
    draw_list(app, frame, area, &view.list, table, make_row);
}
