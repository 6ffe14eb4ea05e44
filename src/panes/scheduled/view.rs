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
        let what = match &row.item.blocked {
            Some(reason) => tr!("schedule.blocked_what", what = row.what, reason = reason),
            None => row.what.clone(),
        };
        let style = match row.item.blocked {
            Some(_) => app.theme().style(Role::Error),
            None => Style::default(),
        };
        Row::new(vec![
            Cell::from(row.item.id.to_string()),
            Cell::from(row.item.effective.to_string()),
            Cell::from(row.subject.clone()),
            Cell::from(what).style(style),
            Cell::from(row.changes.clone()),
            Cell::from(row.item.operator.clone()),
        ])
    };
    let header = vec![
        tr!("schedule.col.id"),
        tr!("schedule.col.from"),
        tr!("schedule.col.subject"),
        tr!("schedule.col.what"),
        tr!("schedule.col.changes"),
        tr!("schedule.col.by"),
    ];
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
