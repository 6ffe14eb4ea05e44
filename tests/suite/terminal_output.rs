//! What the console writes to its terminal (`hrdesk::tui::screen`): each
//! frame in one `write` between synchronized-update markers, the cursor
//! moved only where printing has not put it (not after every Chinese
//! character), and a small frame for `/`, which opens the filter without
//! moving the table's rows.

use crate::common;

use common::*;
use hrdesk::app::App;
use hrdesk::tui::screen::Screen;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;

const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";

/// A terminal that keeps each `write` it is given.
#[derive(Default)]
struct Tty {
    writes: Vec<Vec<u8>>,
}

impl Write for Tty {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes.push(buf.to_vec());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A `width`×`height` terminal drawn on through `backend`.
fn terminal<B: ratatui::backend::Backend>(backend: B, width: u16, height: u16) -> Terminal<B> {
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    Terminal::with_options(backend, TerminalOptions { viewport })
        .unwrap_or_else(|_| panic!("a fixed terminal needs no size"))
}

/// The console's frames on an 80×24 terminal.
struct Console {
    app: App,
    terminal: Terminal<Screen<Tty>>,
}

impl Console {
    fn new(app: App) -> Console {
        let terminal = terminal(Screen::new(Tty::default(), true), 80, 24);
        let mut console = Console { app, terminal };
        console.draw();
        console
    }

    /// Draws the next frame; what it wrote and the screen it left.
    fn draw(&mut self) -> (Vec<u8>, Buffer) {
        let app = &self.app;
        let done = self
            .terminal
            .draw(|frame| hrdesk::ui::draw(app, frame))
            .unwrap();
        let screen = done.buffer.clone();
        let writes = &self.terminal.backend().tty().writes;
        (writes.last().cloned().unwrap_or_default(), screen)
    }

    /// Presses `keys`, then draws: what that frame wrote and the screen.
    fn press(&mut self, keys: &str) -> (Vec<u8>, Buffer) {
        press(&mut self.app, keys);
        self.draw()
    }

    fn writes(&self) -> usize {
        self.terminal.backend().tty().writes.len()
    }
}

/// How many cursor positionings (`CSI row ; column H`) `bytes` holds.
fn cursor_moves(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    text.split("\x1b[")
        .skip(1)
        .filter(|after| {
            let digits = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';');
            digits.starts_with('H') && digits.len() < after.len()
        })
        .count()
}

/// Draws `text` on a one-line terminal of its width through `backend`.
fn one_line<B: ratatui::backend::Backend>(backend: B, text: &str) {
    let width = unicode_width::UnicodeWidthStr::width(text) as u16;
    terminal(backend, width, 1)
        .draw(|frame| frame.render_widget(Paragraph::new(text), frame.area()))
        .unwrap_or_else(|_| panic!("draw {text}"));
}

#[test]
fn each_frame_is_one_write_between_synchronized_update_markers() {
    let mut console = Console::new(demo_app_with_staff(60));
    assert_eq!(console.writes(), 1, "the first frame");
    for keys in ["down", "/", "z", "esc", "2", "1"] {
        let before = console.writes();
        let (frame, _) = console.press(keys);
        assert_eq!(console.writes(), before + 1, "{keys}: one write");
        assert!(
            frame.starts_with(BEGIN_SYNC) && frame.ends_with(END_SYNC),
            "{keys}: {:?}",
            String::from_utf8_lossy(&frame)
        );
    }
}

#[test]
fn without_synchronized_updates_a_frame_is_still_one_write_with_no_markers() {
    let mut terminal = terminal(Screen::new(Tty::default(), false), 20, 2);
    terminal
        .draw(|frame| frame.render_widget(Paragraph::new("a\nb"), frame.area()))
        .unwrap();
    let writes = &terminal.backend().tty().writes;
    assert_eq!(writes.len(), 1);
    let text = String::from_utf8_lossy(&writes[0]);
    assert!(!text.contains("2026"), "{text:?}");
}

#[test]
fn what_is_not_a_frame_goes_out_whole_without_markers() {
    let mut screen = Screen::new(Tty::default(), true);
    let copy = hrdesk::tui::osc52("E000006 曾强");
    screen.write_all(copy.as_bytes()).unwrap();
    screen.flush().unwrap();
    assert_eq!(screen.tty().writes, vec![copy.into_bytes()]);
}

#[test]
fn a_row_of_chinese_text_is_written_with_one_cursor_move() {
    let row = "周建国王子涵曾强覃子涵盖磊星河零售";
    let mut tty = Tty::default();
    one_line(Screen::new(&mut tty, true), row);
    let written = tty.writes.concat();
    let text = String::from_utf8_lossy(&written);
    assert_eq!(cursor_moves(&written), 1, "{text:?}");
    assert!(text.contains(row), "the row in one piece: {text:?}");
    // Ratatui's own backend moves the cursor before each of the 17 characters.
    let mut stock = Vec::new();
    one_line(CrosstermBackend::new(&mut stock), row);
    assert!(cursor_moves(&stock) == 17, "{}", cursor_moves(&stock));
}

#[test]
fn after_an_emoji_the_cursor_is_placed_again() {
    // Terminals disagree on how wide an emoji is: where the next cell
    // begins is said, not assumed.
    let mut tty = Tty::default();
    one_line(Screen::new(&mut tty, true), "🚀ab");
    let written = tty.writes.concat();
    assert_eq!(
        cursor_moves(&written),
        2,
        "{:?}",
        String::from_utf8_lossy(&written)
    );
}

/// The screen's line `y`.
fn line(screen: &Buffer, y: u16) -> String {
    (0..screen.area.width)
        .map(|x| screen[(x, y)].symbol())
        .collect()
}

#[test]
fn opening_the_filter_leaves_the_table_rows_where_they_are() {
    let mut console = Console::new(demo_app_with_staff(60));
    let (_, before) = console.draw();
    let (frame, after) = console.press("/");
    let rows: Vec<u16> = (0..before.area.height)
        .filter(|&y| line(&before, y).starts_with("│E0000"))
        .collect();
    assert!(rows.len() > 5, "rows on screen: {rows:?}");
    // The filter line takes the place of the last row; the others stay.
    let (last, kept) = rows.split_last().expect("rows");
    for &y in kept {
        assert_eq!(line(&after, y), line(&before, y), "row {y}");
    }
    assert!(
        line(&after, *last).contains("│/ "),
        "{}",
        line(&after, *last)
    );
    // The filter line, the focused border, the hints and the mode: the
    // table moved down by one line redrew 549 cells in 1,760 bytes.
    let changed = before.diff(&after).len();
    assert!(changed < 300, "{changed} cells changed");
    assert!(frame.len() < 1_200, "{} bytes", frame.len());
    // Closing the empty filter puts back what was there.
    let (frame, closed) = console.press("esc");
    assert_eq!(closed, before);
    assert!(frame.len() < 1_200, "{} bytes", frame.len());
}
