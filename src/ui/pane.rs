//! The five panes. Until their issues land each shows an honest empty state
//! that says what will live there and where the working admin views are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::hints_line;
use crate::app::action::{Action, Section};
use crate::app::{App, Tab};
use crate::config::theme::Role;
use crate::tr;

fn coming(tab: Tab) -> String {
    match tab {
        // The Staff, Goals, Scoring and Bindings panes have drawings of their own.
        Tab::Staff | Tab::Goals | Tab::Scoring | Tab::Bindings => String::new(),
        Tab::Vendors => tr!("pane.vendors.coming"),
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let tab = app.tab();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {} ", tab.title()),
            theme.style(Role::Title),
        ));
    let lines = vec![
        Line::from(""),
        Line::styled(coming(tab), theme.style(Role::Text)),
        Line::from(""),
        Line::styled(tr!("pane.meanwhile"), theme.style(Role::Muted)),
        hints_line(
            app,
            &[
                (
                    Section::Global,
                    Action::Departments,
                    tr!("hint.departments"),
                ),
                (Section::Global, Action::Operators, tr!("hint.operators")),
                (Section::Global, Action::Log, tr!("hint.log")),
            ],
        ),
        hints_line(
            app,
            &[
                (Section::Global, Action::Help, tr!("hint.help")),
                (Section::Global, Action::Palette, tr!("hint.palette")),
                (Section::Global, Action::Quit, tr!("hint.quit")),
            ],
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
