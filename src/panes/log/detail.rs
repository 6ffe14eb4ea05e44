//! One audit entry in full (`enter`): when (in the zone times are shown
//! in, to the second), who (and the SSH key they came in with), the
//! action in words and as its code, the entity with its name, the entry's
//! place in the chain, and everything it recorded before and after, field
//! by field, nothing cut: long values wrap, and the usual keys scroll.
//! Made as plain lines, wrapped to the width it was last drawn at into
//! rows, so scrolling goes a row at a time and reaches the last one
//! however long a line is.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::desk::Desk;
use crate::config::theme::Role;
use crate::domain::audit::{AuditEntry, actions, parts};
use crate::domain::department::DepartmentId;
use crate::text::{pad, wrap};
use crate::tr;
use crate::ui::key_hint;

/// What stands for a side or a value that is not there.
const NONE: &str = "∅";

/// An entry shown in full, and where it is scrolled to.
pub struct Detail {
    pub entry: AuditEntry,
    /// What the ids in the entry name, found when it opened: the entity
    /// (an employee's name, a department's path) and the employee numbers
    /// among its values.
    names: Vec<(String, String)>,
    /// The row at the top.
    pub top: usize,
    /// The inner width and height it was last drawn at (what scrolling
    /// goes by; a terminal's width before the first drawing).
    drawn: Cell<(usize, usize)>,
}

/// One line of the detail: a lead (a label, or a field's name) drawn as a
/// key, and its text.
pub struct Said {
    pub lead: String,
    pub text: String,
    pub role: Role,
}

impl Said {
    fn new(lead: String, text: String, role: Role) -> Said {
        Said { lead, text, role }
    }

    fn blank() -> Said {
        Said::new(String::new(), String::new(), Role::Text)
    }
}

/// Whether `value` may be an employee number: one word of letters and digits, both.
fn may_be_emp_no(value: &str) -> bool {
    !value.contains(' ')
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_alphabetic())
}

impl Detail {
    /// Shows `entry`, looking up the names its ids stand for.
    pub(super) fn open(entry: AuditEntry, desk: &Desk) -> Detail {
        let session = &desk.session;
        let record = &entry.record;
        let mut names = Vec::new();
        let person = |number: &str, names: &mut Vec<(String, String)>| {
            if names.iter().any(|(id, _)| id == number) {
                return;
            }
            if let Ok(Some(found)) = session.find_employee(number) {
                names.push((number.to_string(), found.name));
            }
        };
        match record.entity.as_str() {
            "employee" => person(&record.entity_id, &mut names),
            "department" => {
                if let (Ok(id), Ok(tree)) = (record.entity_id.parse(), session.department_tree())
                    && tree.get(DepartmentId(id)).is_some()
                {
                    names.push((record.entity_id.clone(), tree.path(DepartmentId(id))));
                }
            }
            _ => {}
        }
        for side in [&record.before, &record.after].into_iter().flatten() {
            for (_, value) in parts(side).1 {
                if may_be_emp_no(value) {
                    person(value, &mut names);
                }
            }
        }
        Detail {
            entry,
            names,
            top: 0,
            drawn: Cell::new((78, 19)),
        }
    }

    /// Scrolls a row, a page or to either end for a navigation action,
    /// no further than the last row at the bottom.
    pub(super) fn scroll(&mut self, action: Action) {
        let (width, height) = self.drawn.get();
        let last = self.rows(width).len().saturating_sub(height);
        let page = height.max(1);
        self.top = match action {
            Action::Up => self.top.saturating_sub(1),
            Action::Down => self.top + 1,
            Action::PageUp => self.top.saturating_sub(page),
            Action::PageDown => self.top + page,
            Action::First => 0,
            Action::Last => last,
            _ => self.top,
        }
        .min(last);
    }

    /// Every row of the detail at `width` columns: its lines wrapped.
    fn rows(&self, width: usize) -> Vec<Row> {
        let said = self.lines();
        let lead_width = said
            .iter()
            .filter(|s| s.role != Role::Title && !s.lead.starts_with(' '))
            .map(|s| s.lead.width())
            .max()
            .unwrap_or(0);
        said.iter()
            .flat_map(|line| wrapped(line, lead_width, width))
            .collect()
    }

    /// `id` with the name it stands for, when one was found.
    fn named(&self, id: &str) -> String {
        match self.names.iter().find(|(known, _)| known == id) {
            Some((_, name)) => format!("{id} · {name}"),
            None => id.to_string(),
        }
    }

    /// A field's value as shown: empty as ∅, an employee number with the
    /// name, an action with its name in words.
    fn value(&self, key: &str, value: &str) -> String {
        if value.is_empty() {
            return NONE.to_string();
        }
        if key == "action"
            && let Some(label) = actions::label(value)
        {
            return format!("{value} ({label})");
        }
        self.named(value)
    }

    /// Every line of the detail, first to last.
    pub fn lines(&self) -> Vec<Said> {
        let entry = &self.entry;
        let record = &entry.record;
        let at = crate::zone::current()
            .local(entry.at)
            .format("%Y-%m-%d %H:%M:%S %:z");
        let operator = match &entry.key {
            Some(key) => tr!("log.detail.with_key", operator = entry.operator, key = key),
            None => entry.operator.clone(),
        };
        let action = match actions::label(&record.action) {
            Some(label) => format!("{label} ({})", record.action),
            None => record.action.clone(),
        };
        let entity = format!("{} {}", record.entity, self.named(&record.entity_id));
        let place = tr!(
            "log.detail.place",
            seq = entry.seq,
            hash = crate::store::hex(&entry.link.hash)
        );
        let head = |key: &str, text: String| {
            Said::new(crate::i18n::text(key).to_string(), text, Role::Text)
        };
        let mut lines = vec![
            head("log.detail.time", at.to_string()),
            head("log.detail.operator", operator),
            head("log.detail.action", action),
            head("log.detail.entity", entity),
            head("log.detail.entry", place),
            Said::blank(),
        ];
        lines.extend(self.sides());
        lines
    }

    /// What the entry recorded before and after, field by field: a
    /// changed one as `old → new`, a kept one muted, one the change took
    /// away against ∅, one only the after side has (an event's effective
    /// date, a departure's reason) as it is; words before the first field
    /// as a line of their own.
    fn sides(&self) -> Vec<Said> {
        let record = &self.entry.record;
        let (before, after) = (record.before.as_deref(), record.after.as_deref());
        let heading = match (before, after) {
            (Some(_), Some(_)) => tr!("log.detail.before_after"),
            (None, Some(_)) => tr!("log.detail.recorded"),
            (Some(_), None) => tr!("log.detail.removed"),
            (None, None) => {
                return vec![Said::new(
                    String::new(),
                    tr!("log.detail.nothing"),
                    Role::Muted,
                )];
            }
        };
        let (old_lead, old) = before.map(parts).unwrap_or_default();
        let (new_lead, new) = after.map(parts).unwrap_or_default();
        // Fields by name, a name given twice matched in turn.
        let mut rows: Vec<(&str, Option<&str>, Option<&str>)> = Vec::new();
        if !old_lead.is_empty() || !new_lead.is_empty() {
            rows.push((
                "",
                before.map(|_| old_lead).filter(|l| !l.is_empty()),
                after.map(|_| new_lead).filter(|l| !l.is_empty()),
            ));
        }
        let mut taken = vec![false; new.len()];
        for (key, value) in &old {
            let pair = (0..new.len()).find(|&i| !taken[i] && new[i].0 == *key);
            if let Some(i) = pair {
                taken[i] = true;
            }
            rows.push((key, Some(value), pair.map(|i| new[i].1)));
        }
        for (i, (key, value)) in new.iter().enumerate() {
            if !taken[i] {
                rows.push((key, None, Some(value)));
            }
        }
        let both = before.is_some() && after.is_some();
        let width = rows
            .iter()
            .map(|(key, ..)| key.width())
            .max()
            .unwrap_or(0)
            .min(16);
        let mut lines = vec![Said::new(String::new(), heading, Role::Title)];
        for (key, old, new) in rows {
            let lead = if width == 0 {
                "  ".to_string()
            } else {
                format!("  {} ", pad(key, width))
            };
            let (text, role) = match (old, new) {
                (Some(old), Some(new)) if old == new => (self.value(key, new), Role::Muted),
                (Some(old), Some(new)) => (
                    format!("{} → {}", self.value(key, old), self.value(key, new)),
                    Role::Text,
                ),
                (Some(old), None) if both => {
                    (format!("{} → {NONE}", self.value(key, old)), Role::Text)
                }
                (Some(only), None) | (None, Some(only)) => (self.value(key, only), Role::Text),
                (None, None) => (NONE.to_string(), Role::Muted),
            };
            lines.push(Said::new(lead, text, role));
        }
        lines
    }

    /// Draws the entry over the pane's `area`, from the row scrolled to.
    pub(super) fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let theme = app.theme();
        let width = usize::from(area.width.saturating_sub(2)).max(1);
        let height = usize::from(area.height.saturating_sub(2));
        self.drawn.set((width, height));
        let rows = self.rows(width);
        let total = rows.len();
        let top = self.top.min(total.saturating_sub(height));
        let lines: Vec<Line> = rows
            .into_iter()
            .skip(top)
            .take(height)
            .map(|row| {
                Line::from(vec![
                    Span::styled(row.lead, theme.style(Role::Key)),
                    Span::styled(row.text, theme.style(row.role)),
                ])
            })
            .collect();
        let record = &self.entry.record;
        let title = format!(
            " {} · {} ",
            tr!("log.detail.title", seq = self.entry.seq),
            actions::name(&record.action)
        );
        let hint = |action| key_hint(app, Section::Browse, action);
        let mut keys = Vec::new();
        if total > height {
            keys.push(tr!(
                "log.detail.lines",
                first = top + 1,
                last = (top + height).min(total),
                total = total,
                down = hint(Action::Down),
                up = hint(Action::Up)
            ));
        }
        keys.push(tr!("log.detail.back", key = hint(Action::Back)));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::BorderFocus))
            .title(Line::styled(title, theme.style(Role::Title)))
            .title_bottom(
                Line::styled(format!(" {} ", keys.join(" · ")), theme.style(Role::Muted))
                    .right_aligned(),
            );
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }
}

/// One row on screen: a lead drawn as a key (or the indent under one),
/// and text in its role's style.
struct Row {
    lead: String,
    text: String,
    role: Role,
}

/// `said` wrapped to `width` columns: its lead (a label padded to
/// `lead_width`, or a field's name as it is) on the first row, the text
/// after it and under it on the rows that follow (under the lead,
/// indented, when the lead leaves too little room beside it).
fn wrapped(said: &Said, lead_width: usize, width: usize) -> Vec<Row> {
    let lead = if said.lead.starts_with(' ') || said.lead.is_empty() {
        said.lead.clone()
    } else {
        format!("{} ", pad(&said.lead, lead_width))
    };
    let beside = lead.width() + 10 <= width;
    let indent = if beside {
        lead.width()
    } else {
        2.min(width / 2)
    };
    let parts = wrap(&said.text, width.saturating_sub(indent).max(1));
    let row = |lead: String, text: String| Row {
        lead,
        text,
        role: said.role,
    };
    let mut rows = Vec::new();
    if !beside {
        rows.push(row(lead.trim_end().to_string(), String::new()));
    }
    if parts.is_empty() && beside {
        rows.push(row(lead.clone(), String::new()));
    }
    for (at, part) in parts.into_iter().enumerate() {
        let lead = if at == 0 && beside {
            lead.clone()
        } else {
            " ".repeat(indent)
        };
        rows.push(row(lead, part));
    }
    rows
}
