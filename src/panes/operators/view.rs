//! The operator list: each operator's account, role and scope, the one
//! at the console marked.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::OperatorRow;
use crate::app::App;
use crate::app::list::FilteredList;
use crate::domain::operator::{ROLE_KINDS, Role, role_label};
use crate::tr;
use crate::ui::table::{Cells, Column, ListTable, draw_list};

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
        Cells::new([user, row.role.label(), scope])
    };
    let columns = vec![
        Column::flex(tr!("operators.col.user"), 2).shows(0),
        Column::words(
            tr!("operators.col.role"),
            ROLE_KINDS.iter().map(|k| role_label(k)),
        )
        .shows(1),
        Column::flex(tr!("operators.col.scope"), 3).shows(2),
    ];
    let table = ListTable {
        title: tr!("operators.title"),
        columns,
        empty: tr!("operators.empty"),
        hidden: Vec::new(),
    };
    draw_list(app, frame, area, list, table, make_row);
}
