//! The department tree view: one row per department, indented by depth
//! (while filtering, each named with its parent instead).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::DepartmentRow;
use crate::app::App;
use crate::app::list::FilteredList;
use crate::tr;
use crate::ui::table::{ListTable, draw_list, fit};

pub(super) fn draw(list: &FilteredList<DepartmentRow>, app: &App, frame: &mut Frame, area: Rect) {
    let filtering = !list.query.is_empty();
    let make_row = |row: &DepartmentRow| {
        // While filtering, rows are out of tree order: name the parent.
        let name = if filtering {
            match row.path.rsplit_once(" / ") {
                Some((parents, _)) => {
                    let parent = parents.rsplit(" / ").next().unwrap_or(parents);
                    format!("{} · {parent}", row.name)
                }
                None => row.name.clone(),
            }
        } else {
            format!("{}{}", "  ".repeat(row.depth), row.name)
        };
        Row::new(vec![
            Cell::from(name),
            Cell::from(row.head.clone()),
            Cell::from(row.children.to_string()),
            Cell::from(row.id.to_string()),
        ])
    };
    let header = vec![
        tr!("departments.col.name"),
        tr!("departments.col.head"),
        tr!("departments.col.children"),
        tr!("departments.col.id"),
    ];
    let widths = vec![
        Constraint::Fill(3),
        Constraint::Fill(2),
        fit(&header[2], 4),
        fit(&header[3], 5),
    ];
    let table = ListTable {
        title: tr!("departments.title"),
        header,
        widths,
        empty: tr!("departments.empty"),
    };
    draw_list(app, frame, area, list, table, make_row);
}
