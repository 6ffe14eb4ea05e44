//! The audit log view, newest entry first, titled with the filter in
//! force; each action in words. What does not fit its column is cut with
//! a mark (`enter` shows the entry whole).

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::{Cell, Row};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::LogView;
use crate::app::App;
use crate::domain::audit::{AuditEntry, actions};
use crate::tr;
use crate::ui::table::{ListTable, draw_list, fit};

/// What marks text cut to fit its column.
const CUT: char = '…';

/// `text` in at most `width` columns, cut with a mark when it is wider.
pub(super) fn clip(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    if width > 0 {
        kept.push(CUT);
    }
    kept
}

/// The columns' widths as the table lays them out in `area` (inside its
/// border, one column apart).
fn column_widths(widths: &[Constraint], area: Rect) -> Vec<usize> {
    let inner = Rect::new(0, 0, area.width.saturating_sub(2), 1);
    Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

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
    let mut header = vec![
        tr!("log.col.seq"),
        tr!("log.col.time"),
        tr!("log.col.operator"),
        tr!("log.col.action"),
    ];
    let mut widths = vec![
        fit(&header[0], 5),
        fit(&header[1], if wide { 16 } else { 11 }),
        fit(&header[2], 12),
        fit(&header[3], if wide { 28 } else { 16 }),
    ];
    if wide {
        let entity = tr!("log.col.entity");
        widths.push(fit(&entity, 12));
        header.push(entity);
    }
    header.push(tr!("log.col.change"));
    widths.push(Constraint::Fill(1));
    let room = column_widths(&widths, area);
    let cell = |at: usize, text: &str| Cell::from(clip(text, room.get(at).copied().unwrap_or(0)));
    let make_row = |entry: &AuditEntry| {
        let at = crate::zone::current().local(entry.at).format(time_format);
        let mut cells = vec![
            cell(0, &entry.seq.to_string()),
            cell(1, &at.to_string()),
            cell(2, &entry.operator),
            cell(3, actions::name(&entry.record.action)),
        ];
        if wide {
            cells.push(cell(4, &entry.record.entity_id));
        }
        cells.push(cell(cells.len(), &entry.record.change()));
        Row::new(cells)
    };
    let filter = super::filter::summary(&view.filter);
    let title = if filter.is_empty() {
        tr!("log.title")
    } else {
        format!("{} · {filter}", tr!("log.title"))
    };
    let table = ListTable {
        title,
        header,
        widths,
        empty: if view.filter.is_empty() {
            tr!("log.empty")
        } else {
            tr!("log.filter.none", filter = filter)
        },
    };
    draw_list(app, frame, area, &view.list, table, make_row);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_too_wide_is_cut_with_a_mark() {
        assert_eq!(clip("status: active", 20), "status: active");
        assert_eq!(clip("status: active → departed", 10), "status: a…");
        assert_eq!(clip("已发送解绑通知", 7), "已发送…");
        assert_eq!(clip("abc", 0), "");
    }
}
