//! The audit log view, newest entry first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use crate::app::App;
use crate::app::list::FilteredList;
use crate::domain::audit::AuditEntry;
use crate::tr;
use crate::ui::table::{ListTable, draw_list, fit};

/// The audit log, newest first. Narrow terminals drop the entity column and
/// the year, so the change itself stays readable.
pub(super) fn draw(list: &FilteredList<AuditEntry>, app: &App, frame: &mut Frame, area: Rect) {
    let wide = area.width >= 100;
    let time_format = if wide {
        "%Y-%m-%d %H:%M"
    } else {
        "%m-%d %H:%M"
    };
    let make_row = |entry: &AuditEntry| {
        let at = crate::zone::current().local(entry.at).format(time_format);
        let mut cells = vec![
            Cell::from(entry.seq.to_string()),
            Cell::from(at.to_string()),
            Cell::from(entry.operator.clone()),
            Cell::from(entry.record.action.clone()),
        ];
        if wide {
            cells.push(Cell::from(entry.record.entity_id.clone()));
        }
        cells.push(Cell::from(entry.record.change()));
        Row::new(cells)
    };
    let mut header = vec![
        tr!("log.col.seq"),
        tr!("log.col.time"),
        tr!("log.col.operator"),
        tr!("log.col.action"),
    ];
    let mut widths = vec![
        fit(&header[0], 5),
        fit(&header[1], if wide { 16 } else { 11 }),
        Constraint::Fill(1),
        Constraint::Fill(2),
    ];
    if wide {
        let entity = tr!("log.col.entity");
        widths.push(fit(&entity, 8));
        header.push(entity);
    }
    header.push(tr!("log.col.change"));
    widths.push(Constraint::Fill(4));
    let table = ListTable {
        title: tr!("log.title"),
        header,
        widths,
        empty: tr!("log.empty"),
    };
    draw_list(app, frame, area, list, table, make_row);
}
