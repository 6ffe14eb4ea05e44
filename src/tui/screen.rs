//! What reaches the terminal: a ratatui backend that keeps a frame's bytes
//! and hands them to the terminal in one `write` when the frame is done,
//! between synchronized-update markers (mode 2026, so the terminal shows
//! the frame whole and never half drawn; a terminal that does not know the
//! mode ignores them), and that moves the cursor only where printing has
//! not already put it. After a Chinese character the cursor stands two
//! columns on; ratatui's own crossterm backend counts one for every cell
//! and so moves the cursor again after each wide character. Styles and the
//! cursor commands themselves are still ratatui's crossterm backend,
//! writing into the frame.
//!
//! Only characters every terminal draws two columns wide (Chinese,
//! Japanese and Korean characters and full-width forms) are counted as
//! two: after an emoji, whose width terminals disagree on, the cursor is
//! placed again as before.

use std::io::{self, Write};
use std::iter::Peekable;

use crossterm::queue;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};

/// A ratatui backend writing whole frames to `tty`.
pub struct Screen<W: Write> {
    tty: W,
    /// What this frame has written so far.
    frame: Vec<u8>,
    /// Frames go between synchronized-update markers.
    sync: bool,
    /// A synchronized update was begun in `frame` and not yet ended.
    begun: bool,
}

impl<W: Write> Screen<W> {
    /// Frames for `tty`, between synchronized-update markers when `sync`.
    pub fn new(tty: W, sync: bool) -> Screen<W> {
        Screen {
            tty,
            frame: Vec::new(),
            sync,
            begun: false,
        }
    }

    /// Where the frames go.
    pub fn tty(&self) -> &W {
        &self.tty
    }

    /// Ratatui's crossterm backend writing into the frame, which it begins.
    fn crossterm(&mut self) -> io::Result<CrosstermBackend<&mut Vec<u8>>> {
        if self.sync && !self.begun {
            queue!(self.frame, BeginSynchronizedUpdate)?;
            self.begun = true;
        }
        Ok(CrosstermBackend::new(&mut self.frame))
    }

    /// Ends the frame and hands it to the terminal in one `write`.
    fn send(&mut self) -> io::Result<()> {
        if self.begun {
            queue!(self.frame, EndSynchronizedUpdate)?;
            self.begun = false;
        }
        if self.frame.is_empty() {
            return Ok(());
        }
        let sent = self.tty.write_all(&self.frame);
        self.frame.clear();
        sent?;
        self.tty.flush()
    }
}

impl Screen<std::fs::File> {
    /// Frames for this process's standard output, written straight to its
    /// file descriptor (std's `Stdout` would split a frame at each 1 KiB
    /// of its buffer).
    pub fn stdout(sync: bool) -> io::Result<Screen<std::fs::File>> {
        use std::os::fd::AsFd;
        let fd = io::stdout().as_fd().try_clone_to_owned()?;
        Ok(Screen::new(std::fs::File::from(fd), sync))
    }
}

/// Bytes that are not a frame (a copy to the clipboard, a terminal mode)
/// join whatever is waiting; `flush` sends them.
impl<W: Write> Write for Screen<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl<W: Write> Backend for Screen<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut cells = content.peekable();
        let mut cursor = None;
        loop {
            let run = Run {
                cells: &mut cells,
                cursor: &mut cursor,
                told: None,
            };
            self.crossterm()?.draw(run)?;
            if cells.peek().is_none() {
                return Ok(());
            }
        }
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.crossterm()?.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.crossterm()?.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        CrosstermBackend::new(io::sink()).get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.crossterm()?.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.crossterm()?.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.crossterm()?.clear_region(clear_type)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.crossterm()?.append_lines(n)
    }

    fn size(&self) -> io::Result<Size> {
        CrosstermBackend::new(io::sink()).size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        CrosstermBackend::new(io::sink()).window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The cells of a frame handed to ratatui's crossterm backend, which moves
/// the cursor before every cell but the one after the cell it was handed
/// last. A cell where printing left the cursor is handed as that next one,
/// so no move is written for it; a cell the backend would take for the next
/// when the cursor is not there ends the run, and a new run begins it with
/// a move.
struct Run<'c, I: Iterator> {
    cells: &'c mut Peekable<I>,
    /// Where printing left the terminal's cursor, when that is certain.
    cursor: &'c mut Option<Position>,
    /// The position the backend was handed last in this run.
    told: Option<Position>,
}

impl<'a, I> Iterator for Run<'_, I>
where
    I: Iterator<Item = (u16, u16, &'a Cell)>,
{
    type Item = (u16, u16, &'a Cell);

    fn next(&mut self) -> Option<Self::Item> {
        let &(x, y, cell) = self.cells.peek()?;
        let here = Position { x, y };
        let after_told = self.told.map(|p| Position {
            x: p.x.saturating_add(1),
            y: p.y,
        });
        let told = match after_told {
            Some(next) if *self.cursor == Some(here) => next,
            Some(next) if next == here => return None,
            _ => here,
        };
        self.cells.next();
        self.told = Some(told);
        *self.cursor = cursor_after(here, cell);
        Some((told.x, told.y, cell))
    }
}

/// Where the terminal's cursor stands after printing `cell` at `at`, when
/// every terminal agrees on the cell's width.
fn cursor_after(at: Position, cell: &Cell) -> Option<Position> {
    let width = cell.cell_width();
    let certain = width <= 1 || (width == 2 && wide_everywhere(cell.symbol()));
    certain.then(|| Position {
        x: at.x.saturating_add(width),
        y: at.y,
    })
}

/// One character of the scripts every terminal has drawn two columns wide
/// for decades: Hangul, the CJK blocks, kana, Yi, full-width forms.
fn wide_everywhere(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(
        u32::from(c),
        0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x2_0000..=0x3_FFFD
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(symbol: &str) -> Cell {
        let mut cell = Cell::default();
        cell.set_symbol(symbol);
        cell
    }

    #[test]
    fn the_cursor_is_counted_two_columns_on_only_after_a_character_wide_everywhere() {
        let at = Position { x: 4, y: 2 };
        let on = |x| Some(Position { x, y: 2 });
        assert_eq!(cursor_after(at, &cell("a")), on(5));
        assert_eq!(cursor_after(at, &cell("张")), on(6));
        assert_eq!(cursor_after(at, &cell("，")), on(6), "full-width comma");
        assert_eq!(cursor_after(at, &cell("한")), on(6));
        assert_eq!(cursor_after(at, &cell("🚀")), None, "an emoji");
        assert_eq!(cursor_after(at, &cell("❤️")), None, "an emoji sequence");
    }
}
