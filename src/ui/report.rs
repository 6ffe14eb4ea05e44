//! The report overlay: its lines, wrapped to the dialog's width, from the
//! line scrolled to the top; one longer than the dialog says which line
//! is at the top of how many.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::dialog::dialog_block;
use super::layout::{centered, clear_for_dialog};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::Role;
use crate::text::wrap;
use crate::tr;

/// Widest a report gets.
const REPORT_WIDTH: u16 = 100;

pub fn draw(app: &App, report: &Report, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let width = REPORT_WIDTH.min(area.width);
    let text_width = usize::from(width.saturating_sub(2));
    let lines: Vec<Line> = report
        .lines
        .iter()
        .skip(report.top)
        .flat_map(|line| wrap(line, text_width))
        .map(|part| Line::styled(part, theme.style(Role::Text)))
        .collect();
    let height = (lines.len() as u16 + 2).clamp(5, area.height.saturating_sub(2));
    let rect = centered(area, width, height);
    clear_for_dialog(frame.buffer_mut(), rect);
    // A report longer than the dialog says where it is, never cut silently.
    let mut footer = tr!("report.footer");
    if report.top > 0 || lines.len() > usize::from(height.saturating_sub(2)) {
        let position = tr!(
            "report.position",
            first = report.top + 1,
            total = report.lines.len()
        );
        footer = format!("{position} · {footer}");
    }
    let block = dialog_block(app, &report.title).title_bottom(Line::styled(
        format!(" {footer} "),
        theme.style(Role::Muted),
    ));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
