//! The scheduled-changes list: number, date, whom it changes, what, the
//! fields, who scheduled it; a blocked change says why.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Cell, Row};

use crate::app::App;
use crate::app::list::FilteredList;
use crate::config::theme::Role;
use crate::service::ScheduledRow;
use crate::tr;
use crate::ui::table::{ListTable, draw_list};

pub(super) fn draw(list: &FilteredList<ScheduledRow>, app: &App, frame: &mut Frame, area: Rect) {
    let make_row = |row: &ScheduledRow| {
        let style = match row.item.blocked {
            Some(_) => app.theme().style(Role::Error),
            None => Style::default(),
        };
        let cells = row.cells().into_iter().enumerate().map(|(column, text)| {
            // The change column carries a blocked change's reason.
            let cell = Cell::from(text);
            if column == 3 { cell.style(style) } else { cell }
        });
        Row::new(cells.collect::<Vec<_>>())
    };
    let header = ScheduledRow::titles().to_vec();
    let widths = vec![
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Fill(2),
        Constraint::Fill(2),
        Constraint::Fill(4),
        Constraint::Fill(1),
    ];
    let table = ListTable {
        title: tr!("schedule.title"),
        header,
        widths,
        empty: tr!("schedule.none"),
    };
    draw_list(app, frame, area, list, table, make_row);
}
