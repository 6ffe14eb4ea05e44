//! The scheduled-changes list: number, date, whom it changes, what, the
//! fields, who scheduled it; a blocked change says why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::app::App;
use crate::app::list::FilteredList;
use crate::config::theme::Role;
use crate::service::ScheduledRow;
use crate::tr;
use crate::ui::table::{Cells, Column, ListTable, draw_list};

pub(super) fn draw(list: &FilteredList<ScheduledRow>, app: &App, frame: &mut Frame, area: Rect) {
    let make_row = |row: &ScheduledRow| {
        let style = match row.item.blocked {
            Some(_) => app.theme().style(Role::Error),
            None => Style::default(),
        };
        let cells = row.cells().into_iter().enumerate().map(|(column, text)| {
            // The change column carries a blocked change's reason.
            if column == 3 {
                Line::styled(text, style)
            } else {
                Line::from(text)
            }
        });
        Cells::new(cells)
    };
    let [id, from, subject, what, changes, by] = ScheduledRow::titles();
    let columns = vec![
        Column::keep(id, 6).shows(0),
        Column::keep(from, 10).shows(1),
        Column::flex(subject, 2).shows(2),
        Column::flex(what, 2).shows(3),
        Column::flex(changes, 4).shows(4),
        Column::flex(by, 1).shows(5),
    ];
    let table = ListTable {
        title: tr!("schedule.title"),
        columns,
        empty: tr!("schedule.none"),
        hidden: Vec::new(),
    };
    draw_list(app, frame, area, list, table, make_row);
}
