//! The admin views: the department tree, the operator list and the audit log.

use chrono::Local;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row};

use super::table::{ListTable, draw_list, fit};
use crate::app::App;
use crate::app::admin::{DepartmentRow, OperatorRow};
use crate::domain::audit::AuditEntry;
use crate::domain::operator::{ROLE_KINDS, Role, role_label};
use crate::tr;
use unicode_width::UnicodeWidthStr;

pub fn draw_departments(app: &App, frame: &mut Frame, area: Rect) {
    let list = app.departments();
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

pub fn draw_operators(app: &App, frame: &mut Frame, area: Rect) {
    let list = app.operators();
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

/// The audit log, newest first. Narrow terminals drop the entity column and
/// the year, so the change itself stays readable.
pub fn draw_log(app: &App, frame: &mut Frame, area: Rect) {
    let list = app.log();
    let wide = area.width >= 100;
    let time_format = if wide {
        "%Y-%m-%d %H:%M"
    } else {
        "%m-%d %H:%M"
    };
    let make_row = |entry: &AuditEntry| {
        let at = entry.at.with_timezone(&Local).format(time_format);
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
