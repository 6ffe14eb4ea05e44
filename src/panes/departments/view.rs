//! The department tree view: one row per department, indented by depth
//! (while filtering, each named with its parent instead).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::DepartmentRow;
use crate::app::App;
use crate::app::list::FilteredList;
use crate::tr;
use crate::ui::table::{Cells, Column, ListTable, draw_list};

pub(super) fn draw(list: &FilteredList<DepartmentRow>, app: &App, frame: &mut Frame, area: Rect) {
    let filtering = !list.query.is_empty();
    let make_row = |row: &DepartmentRow| {
        // While filtering, rows are out of tree order: name the parent.
        let indent = if filtering { 0 } else { row.depth * 2 };
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
        Cells::new([
            name,
            row.head.clone(),
            row.children.to_string(),
            row.id.to_string(),
        ])
        .found_after(0, indent)
    };
    let columns = vec![
        Column::flex(tr!("departments.col.name"), 3).shows(0),
        Column::flex(tr!("departments.col.head"), 2).shows(1),
        Column::keep(tr!("departments.col.children"), 4),
        Column::keep(tr!("departments.col.id"), 5).shows(2),
    ];
    let table = ListTable {
        title: tr!("departments.title"),
        columns,
        empty: tr!("departments.empty"),
        hidden: vec![(3, tr!("search.field.path"))],
    };
    draw_list(app, frame, area, list, table, make_row);
}
