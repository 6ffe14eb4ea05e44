//! Detail panels beside or under a table: their lines cut with `…` (or
//! wrapped) where they do not fit, and, when anything was left out, the
//! panel's border naming the key that shows it all.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::key_hint;
use super::table::clip_line;
use crate::action::{Action, Section};
use crate::app::App;
use crate::config::theme::{Role, Theme};
use crate::text::{clip, wrap};
use crate::tr;

/// One line of a panel as parts, each in its role: drawn styled under a
/// table, or read as plain text in the report that shows the panel whole.
pub type Parts = Vec<(String, Role)>;

/// `parts` as a line in `theme`'s styles.
pub fn styled<'a>(theme: &Theme, parts: Parts) -> Line<'a> {
    Line::from(
        parts
            .into_iter()
            .map(|(text, role)| Span::styled(text, theme.style(role)))
            .collect::<Vec<_>>(),
    )
}

/// `parts` as plain text.
pub fn plain(parts: &Parts) -> String {
    parts.iter().map(|(text, _)| text.as_str()).collect()
}

/// `lines` (as parts) styled in `theme` and fitted into `area` inside a
/// panel's border (see [`fit_lines`]), and whether anything did not fit.
pub fn fit_parts<'a>(
    theme: &Theme,
    lines: Vec<Parts>,
    area: Rect,
    wrapped: bool,
) -> (Vec<Line<'a>>, bool) {
    let lines = lines
        .into_iter()
        .map(|parts| styled(theme, parts))
        .collect();
    fit_lines(
        lines,
        usize::from(area.width),
        usize::from(area.height),
        wrapped,
    )
}

/// The room inside the border of a panel drawn in `area`.
pub fn inside(area: Rect) -> Rect {
    Block::default().borders(Borders::ALL).inner(area)
}

/// `lines` in `width` columns and `height` rows, each cut with `…` (or,
/// with `wrapped`, wrapped in its first span's style), and whether
/// anything did not fit.
pub fn fit_lines<'a>(
    lines: Vec<Line<'a>>,
    width: usize,
    height: usize,
    wrapped: bool,
) -> (Vec<Line<'a>>, bool) {
    let mut cut = false;
    let mut rows: Vec<Line<'a>> = Vec::new();
    for line in lines {
        if line.width() <= width {
            rows.push(line);
        } else if wrapped {
            let style = line
                .spans
                .first()
                .map_or(line.style, |s| line.style.patch(s.style));
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            rows.extend(
                wrap(&text, width)
                    .into_iter()
                    .map(|part| Line::styled(part, style)),
            );
        } else {
            cut = true;
            rows.push(clip_line(line, width));
        }
    }
    if rows.len() > height {
        cut = true;
        rows.truncate(height);
    }
    (rows, cut)
}

/// `text` as the title of a panel `width` columns wide: spaced, and cut
/// with `…` when wider than its border.
pub fn title(text: &str, width: u16) -> String {
    clip(&format!(" {text} "), usize::from(width.saturating_sub(2))).into_owned()
}

/// The note a panel's bottom border carries when it left something out:
/// the key that shows the panel whole.
pub fn more_hint<'a>(app: &App) -> Line<'a> {
    let key = key_hint(app, Section::Browse, Action::Detail);
    Line::styled(
        format!(" {} ", tr!("detail.more", key = key)),
        app.theme().style(Role::Muted),
    )
    .right_aligned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_does_not_fit_is_cut_with_a_mark_and_said() {
        let lines = vec![
            Line::from("2026-01-01 转岗 部门 总经办 → 销售部"),
            Line::from("b"),
        ];
        let (fitted, cut) = fit_lines(lines.clone(), 20, 5, false);
        assert!(cut);
        assert_eq!(fitted[0].to_string(), "2026-01-01 转岗 部…");
        let (fitted, cut) = fit_lines(lines.clone(), 20, 5, true);
        assert!(!cut);
        assert_eq!(fitted.len(), 3);
        let (_, cut) = fit_lines(lines, 40, 1, false);
        assert!(cut, "a line left below is said too");
    }
}
