//! The operator list: each operator's account, role and scope, the one
//! at the console marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};
use unicode_width::UnicodeWidthStr;

use super::OperatorRow;
use crate::app::App;
use crate::app::list::FilteredList;
use crate::domain::operator::{ROLE_KINDS, Role, role_label};
use crate::tr;
use crate::ui::table::{ListTable, draw_list, fit};

pub(super) fn draw(list: &FilteredList<OperatorRow>, app: &App, frame: &mut Frame, area: Rect) {
    let me = &app.session().operator().user;
    let make_row = |row: &OperatorRow| {
        let user = if &row.user == me {
            tr!("operators.you", user = row.user)
        } else {
            row.user.clone()
        };
        let scope = match row.role {
            Role::Manager(_) => row.scope.clone(),
            _ => tr!("operators.all_departments"),
        };
        Row::new(vec![
            Cell::from(user),
            Cell::from(row.role.label()),
            Cell::from(scope),
        ])
    };
    let header = vec![
        tr!("operators.col.user"),
        tr!("operators.col.role"),
        tr!("operators.col.scope"),
    ];
    let widths = vec![
        Constraint::Fill(2),
        fit(
            &header[1],
            ROLE_KINDS
                .iter()
                .map(|k| role_label(k).width())
                .max()
                .unwrap_or(0),
        ),
        Constraint::Fill(3),
    ];
    let table = ListTable {
        title: tr!("operators.title"),
        header,
        widths,
        empty: tr!("operators.empty"),
    };
    draw_list(app, frame, area, list, table, make_row);
}
