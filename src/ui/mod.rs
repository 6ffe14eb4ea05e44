//! Drawing: `draw(&App, &mut Frame)` is a pure function of the state. It
//! lays out the tab bar, the pane on screen (which draws itself), the
//! message line and the status bar, then any dialog on top; `table` and
//! `layout` are the pieces panes draw with (`panel` their detail panels); `glyphs` makes the finished
//! screen ASCII when asked. Nothing here writes to the store.

mod dialog;
pub mod glyphs;
mod help;
mod input;
pub mod layout;
mod palette;
pub mod panel;
mod report;
mod status;
pub mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};

use crate::action::{Action, Section};
use crate::app::{App, Overlay};
use crate::config::theme::Role;
use crate::tr;
use unicode_width::UnicodeWidthStr;

/// Smallest terminal the console draws in; below it a note asks for more room.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Draws the whole console for the current state.
pub fn draw(app: &App, frame: &mut Frame) {
    crate::i18n::set_lang(app.lang());
    draw_parts(app, frame);
    glyphs::apply(app.glyphs(), frame.buffer_mut());
}

/// The console's parts, each drawn in place.
fn draw_parts(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(app, frame, area);
        return;
    }
    let [tabs, body, message, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(app, frame, tabs);
    app.shown().draw(app, frame, body);
    status::draw_message(app, frame, message);
    status::draw_status(app, frame, status);
    if let Some(form) = app.form() {
        dialog::draw_form(app, form, frame, area);
    }
    match app.overlay() {
        Overlay::Help(help) => help::draw(app, help, frame, area),
        Overlay::Palette(palette) => palette::draw(app, palette, frame, area),
        Overlay::Report(report) => report::draw(app, report, frame, area),
        Overlay::None => {}
    }
    if let Some(confirm) = app.confirm() {
        dialog::draw_confirm(app, confirm, frame, area);
    }
}

fn draw_too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = tr!(
        "ui.too_small",
        width = area.width,
        height = area.height,
        min_width = MIN_WIDTH,
        min_height = MIN_HEIGHT
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(app.theme().style(Role::Warning))
            .wrap(Wrap { trim: true }),
        area,
    );
}

fn draw_tabs(app: &App, frame: &mut Frame, area: Rect) {
    let numbered = area.width >= 60;
    let titles: Vec<String> = app
        .tabs()
        .enumerate()
        .map(|(i, tab)| {
            if numbered {
                format!("{} {}", i + 1, tab.title())
            } else {
                tab.title()
            }
        })
        .collect();
    // Each title is padded by a space on both sides; dividers sit between.
    let tabs_width: usize =
        titles.iter().map(|t| t.width() + 2).sum::<usize>() + titles.len().saturating_sub(1);
    let theme = app.theme();
    let selected = app.tabs().position(|tab| tab.id() == app.tab());
    let highlight = if !app.view_open() {
        theme.style(Role::TabActive)
    } else {
        theme.style(Role::TabInactive)
    };
    let tabs = Tabs::new(titles)
        .select(selected)
        .style(theme.style(Role::TabInactive))
        .highlight_style(highlight)
        .divider(Span::styled("│", theme.style(Role::Muted)));
    let today = crate::i18n::long_date(app.session().today());
    let date_width = today.width() as u16 + 1;
    if usize::from(area.width) >= tabs_width + usize::from(date_width) {
        let [tabs_area, date_area] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(date_width)]).areas(area);
        frame.render_widget(tabs, tabs_area);
        frame.render_widget(
            Paragraph::new(Span::styled(today, theme.style(Role::Muted))),
            date_area,
        );
    } else {
        frame.render_widget(tabs, area);
    }
}

/// The first key bound to `action` in `section`, for hints; the action name when unbound.
pub fn key_hint(app: &App, section: Section, action: Action) -> String {
    // While browsing, the pane's own section comes first.
    let pane = app.pane_section().filter(|_| section == Section::Browse);
    let sections: Vec<Section> = pane.into_iter().chain([section]).collect();
    app.desk().key_for(&sections, action)
}

/// A line of `key description` hints separated by dots.
pub fn hints_line<'a>(app: &App, hints: &[(Section, Action, String)]) -> Line<'a> {
    let theme = app.theme();
    let mut spans = Vec::new();
    for (i, (section, action, label)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.style(Role::Muted)));
        }
        spans.push(Span::styled(
            key_hint(app, *section, *action),
            theme.style(Role::Key),
        ));
        spans.push(Span::styled(format!(" {label}"), theme.style(Role::Muted)));
    }
    Line::from(spans)
}
