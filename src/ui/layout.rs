//! Geometry helpers shared by the dialogs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};
use unicode_width::UnicodeWidthStr;

/// Clears `rect` for a dialog. A double-width character just left of it
/// would hide the dialog's left border (its second half lies under the
/// border), so it is blanked too.
pub fn clear_for_dialog(buf: &mut Buffer, rect: Rect) {
    let rect = rect.intersection(buf.area);
    if rect.x > buf.area.x {
        for y in rect.top()..rect.bottom() {
            let cell = &mut buf[(rect.x - 1, y)];
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(rect, buf);
}

/// A `width`×`height` rectangle centred in `area`, shrunk to fit.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Like [`centered`] but placed near the top, as for the palette.
pub fn top_centered(area: Rect, width: u16, height: u16) -> Rect {
    let mut rect = centered(area, width, height);
    rect.y = area.y + (area.height.saturating_sub(rect.height)).min(2);
    rect
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centred_rectangles_fit_inside_the_area() {
        let area = Rect::new(0, 0, 80, 24);
        assert_eq!(centered(area, 40, 10), Rect::new(20, 7, 40, 10));
        assert_eq!(centered(area, 100, 30), area);
        assert_eq!(top_centered(area, 40, 10).y, 2);
    }

    #[test]
    fn a_wide_character_under_a_dialog_edge_is_blanked() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf.set_string(0, 0, "ab销", ratatui::style::Style::default());
        clear_for_dialog(&mut buf, Rect::new(3, 0, 3, 1));
        assert_eq!(buf[(2, 0)].symbol(), " ");
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        buf.set_string(0, 0, "a销", ratatui::style::Style::default());
        clear_for_dialog(&mut buf, Rect::new(4, 0, 2, 1));
        assert_eq!(buf[(1, 0)].symbol(), "销", "untouched when not straddling");
    }
}
