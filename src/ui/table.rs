//! The one way the console draws a table: columns as wide as their
//! content (words such as a status as wide as the widest of them in the
//! current language), every cell that does not fit cut with `…` (or
//! wrapped), never silently; and the bordered, filterable list view
//! built on it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::input::draw_input;

use crate::app::App;
use crate::app::list::FilteredList;
use crate::app::text_input::TextInput;
use crate::config::theme::{Role, Theme};
use crate::i18n::grouped;
use crate::text::{clip, clip_chars, wrap};
use crate::tr;

/// How a column takes its width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// Keeps at least this many columns (the widest of the words it may
    /// hold in the current language, a date's ten), and more for a wider
    /// header or cell: it gives way only when the terminal is too narrow
    /// for the kept columns themselves.
    Keep(usize),
    /// As wide as its widest cell and its header, with a share (by this
    /// weight) of the room left over; when the row is too wide, the widest
    /// such columns give way first, their cells cut with `…`.
    Flex(u16),
    /// Like [`Width::Flex`], its cells wrapped onto more lines instead of cut.
    Wrap(u16),
}

/// A column of a table: its header in the current language, how wide it
/// is, and which of the items' search fields it shows (what a query found
/// there is lit).
#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub width: Width,
    pub field: Option<usize>,
}

impl Column {
    /// A column of at least `least` columns, never cut while there is room.
    pub fn keep(header: String, least: usize) -> Column {
        Column {
            header,
            width: Width::Keep(least),
            field: None,
        }
    }

    /// A column holding one of `words` (a status, a relation, a grade in
    /// the current language): as wide as the widest, so each shows whole.
    pub fn words<S: AsRef<str>>(header: String, words: impl IntoIterator<Item = S>) -> Column {
        let least = words
            .into_iter()
            .map(|word| word.as_ref().width())
            .max()
            .unwrap_or(0);
        Column::keep(header, least)
    }

    /// A column as wide as its content, sharing the room by `weight`.
    pub fn flex(header: String, weight: u16) -> Column {
        Column {
            header,
            width: Width::Flex(weight),
            field: None,
        }
    }

    /// A column as wide as its content whose cells wrap rather than cut.
    pub fn wrap(header: String, weight: u16) -> Column {
        Column {
            header,
            width: Width::Wrap(weight),
            field: None,
        }
    }

    /// The same column, showing search field `field` of each item.
    pub fn shows(mut self, field: usize) -> Column {
        self.field = Some(field);
        self
    }
}

/// One row of a table: a line per cell (a cell's own style on its line)
/// and the style of the whole row.
#[derive(Clone, Debug, Default)]
pub struct Cells<'a> {
    cells: Vec<Line<'a>>,
    style: Style,
    /// Per cell, how many characters come before the field it shows (an
    /// indent, a marker): what a query found is lit that far in.
    lead: Vec<(usize, usize)>,
    /// Fields a cell shows besides its column's, each with how many
    /// characters come before it (a person's number before their name).
    also: Vec<(usize, usize, usize)>,
}

impl<'a> Cells<'a> {
    pub fn new<T: Into<Line<'a>>>(cells: impl IntoIterator<Item = T>) -> Cells<'a> {
        Cells {
            cells: cells.into_iter().map(Into::into).collect(),
            style: Style::default(),
            lead: Vec::new(),
            also: Vec::new(),
        }
    }

    /// Says that cell `cell` also shows field `field`, after `chars`
    /// characters: what a query found in it is lit there too.
    pub fn also_shows(mut self, cell: usize, field: usize, chars: usize) -> Cells<'a> {
        self.also.push((cell, field, chars));
        self
    }

    /// Says that cell `cell` shows its field after `chars` characters.
    pub fn found_after(mut self, cell: usize, chars: usize) -> Cells<'a> {
        self.lead.push((cell, chars));
        self
    }

    /// The style of the whole row.
    pub fn style(mut self, style: Style) -> Cells<'a> {
        self.style = style;
        self
    }
}

/// `line` in at most `width` columns, its last span ending with `…` when
/// it is wider (the spans kept keep their styles).
pub fn clip_line(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = span.width();
        // The line is cut somewhere after: leave a column for the mark.
        if used + w < width {
            used += w;
            spans.push(span);
            continue;
        }
        let (text, _) = clip_chars(span.content.chars(), width - used);
        spans.push(Span::styled(text, span.style));
        break;
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// Spaces between columns.
const SPACING: u16 = 1;

/// The columns' widths in `room` columns for these rows: kept columns
/// first, then the others by their content, the widest giving way first
/// when the row is too wide, sharing by weight what is left over.
pub fn widths(columns: &[Column], rows: &[Cells<'_>], room: u16) -> Vec<usize> {
    let wants: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(at, column)| {
            let content = rows
                .iter()
                .filter_map(|row| row.cells.get(at))
                .map(Line::width)
                .max()
                .unwrap_or(0);
            let least = match column.width {
                Width::Keep(least) => least,
                Width::Flex(_) | Width::Wrap(_) => 0,
            };
            column.header.width().max(content).max(least)
        })
        .collect();
    let spacing = usize::from(SPACING) * columns.len().saturating_sub(1);
    let room = usize::from(room).saturating_sub(spacing);
    let weight = |column: &Column| match column.width {
        Width::Keep(_) => 0,
        Width::Flex(weight) | Width::Wrap(weight) => usize::from(weight.max(1)),
    };
    let flexible: Vec<bool> = columns.iter().map(|c| weight(c) > 0).collect();
    let kept: usize = wants
        .iter()
        .zip(&flexible)
        .filter(|(_, f)| !**f)
        .map(|(w, _)| w)
        .sum();
    let total: usize = wants.iter().sum();
    if total <= room {
        // Room to spare: the flexible columns share it by weight.
        let weights: usize = columns.iter().map(weight).sum();
        let spare = room - total;
        let mut widths = wants.clone();
        let mut given = 0;
        for (at, column) in columns.iter().enumerate() {
            let share = (spare * weight(column)).checked_div(weights).unwrap_or(0);
            widths[at] += share;
            given += share;
        }
        if let Some(last) = flexible.iter().rposition(|f| *f) {
            widths[last] += spare - given;
        }
        return widths;
    }
    if kept <= room {
        let give: Vec<bool> = flexible;
        return water_fill(&wants, &give, room - kept);
    }
    water_fill(&wants, &vec![true; wants.len()], room)
}

/// `wants` with the columns that `give` cut down, the widest first, until
/// those take no more than `room` between them.
fn water_fill(wants: &[usize], give: &[bool], room: usize) -> Vec<usize> {
    let giving = || wants.iter().zip(give).filter(|(_, g)| **g).map(|(w, _)| *w);
    let highest = giving().max().unwrap_or(0);
    let cap = (0..=highest)
        .rev()
        .find(|&cap| giving().map(|w| w.min(cap)).sum::<usize>() <= room)
        .unwrap_or(0);
    let mut left = room.saturating_sub(giving().map(|w| w.min(cap)).sum::<usize>());
    wants
        .iter()
        .zip(give)
        .map(|(&want, &gives)| {
            if !gives {
                return want;
            }
            let mut width = want.min(cap);
            if want > cap && left > 0 {
                width += 1;
                left -= 1;
            }
            width
        })
        .collect()
}

/// A table of `rows` under `columns` in `room` columns: widths from the
/// content, every cell (and header) that does not fit its column cut
/// with `…`, or wrapped in a wrapping column. The one way the console
/// draws a table.
pub fn table<'a>(theme: &Theme, columns: &[Column], rows: Vec<Cells<'a>>, room: u16) -> Table<'a> {
    let widths = widths(columns, &rows, room);
    let wraps: Vec<bool> = columns
        .iter()
        .map(|c| matches!(c.width, Width::Wrap(_)))
        .collect();
    let header = Row::new(
        columns
            .iter()
            .zip(&widths)
            .map(|(column, &width)| Cell::from(clip(&column.header, width).into_owned())),
    )
    .style(theme.style(Role::Header));
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|row| {
            let mut height = 1;
            let cells: Vec<Cell> = row
                .cells
                .into_iter()
                .enumerate()
                .map(|(at, line)| {
                    let width = widths.get(at).copied().unwrap_or(0);
                    if wraps.get(at).copied().unwrap_or(false) {
                        let text = wrapped(line, width);
                        height = height.max(text.lines.len());
                        Cell::from(text)
                    } else {
                        Cell::from(clip_line(line, width))
                    }
                })
                .collect();
            Row::new(cells)
                .style(row.style)
                .height(u16::try_from(height).unwrap_or(u16::MAX))
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .map(|&w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)))
        .collect();
    Table::new(rows, constraints)
        .header(header)
        .style(theme.style(Role::Text))
        .row_highlight_style(theme.style(Role::Selected))
        .column_spacing(SPACING)
}

/// `line`'s text wrapped to `width` columns, in its first span's style.
fn wrapped(line: Line<'_>, width: usize) -> Text<'static> {
    let style = line
        .spans
        .first()
        .map_or(line.style, |s| line.style.patch(s.style));
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let lines: Vec<Line> = wrap(&text, width)
        .into_iter()
        .map(|part| Line::styled(part, style))
        .collect();
    Text::from(lines)
}

/// What a list view puts in the shared table.
pub struct ListTable {
    pub title: String,
    pub columns: Vec<Column>,
    /// Shown instead of rows when there are none (one line or several).
    pub empty: String,
    /// The search fields no column shows, with their names: a row found
    /// by one says so (`matched: phone 138…`).
    pub hidden: Vec<(usize, String)>,
}

/// Draws a bordered panel titled `title` (focused while `editing`) with
/// the filter line at its foot when it is typed in or holds a query;
/// returns the area left for rows. At the foot, opening and closing the
/// filter leaves the rows where they are (only the last one gives way),
/// so the terminal redraws a line, not the whole table.
pub fn frame_with_filter(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    title: String,
    query: &TextInput,
    editing: bool,
) -> Rect {
    let theme = app.theme();
    // A title wider than the border ends with `…`.
    let title = clip(&title, usize::from(area.width.saturating_sub(2))).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(if editing {
            Role::BorderFocus
        } else {
            Role::Border
        }))
        .title(Line::styled(title, theme.style(Role::Title)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let show_filter = editing || !query.is_empty();
    let [rows_area, filter_area] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(u16::from(show_filter)),
    ])
    .areas(inner);
    if show_filter {
        draw_input(app, frame, filter_area, "/ ", query, editing);
    }
    rows_area
}

/// Draws `table` for `list`: title with counts, the filter line, and the
/// rows on screen, made by `make_row` (only those: a list may be long).
pub fn draw_list<'a, T>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    list: &'a FilteredList<T>,
    table: ListTable,
    make_row: impl Fn(&'a T) -> Cells<'a>,
) {
    let theme = app.theme();
    let total = grouped(list.items().len() as u64);
    let count = if list.visible_len() == list.items().len() {
        format!(" {} ({total}) ", table.title)
    } else {
        let shown = grouped(list.visible_len() as u64);
        format!(" {} ({shown}/{total}) ", table.title)
    };
    let rows_area = frame_with_filter(app, frame, area, count, &list.query, list.editing);

    if list.visible_len() == 0 {
        let text = if list.items().is_empty() {
            table.empty
        } else {
            tr!("list.no_match", query = list.query.text())
        };
        let lines: Vec<Line> = text
            .lines()
            .map(|line| Line::styled(line.to_string(), theme.style(Role::Muted)))
            .collect();
        frame.render_widget(Paragraph::new(lines), rows_area);
        return;
    }
    // The window of rows that fits under the header, keeping the selection in it.
    let height = usize::from(rows_area.height.saturating_sub(1)).max(1);
    let selected = list.cursor.selected;
    let offset = list
        .cursor
        .offset
        .clamp(selected.saturating_sub(height - 1), selected);
    let lit = theme.style(Role::Highlight);
    let muted = theme.style(Role::Muted);
    let rows: Vec<Cells> = list
        .visible_numbered()
        .skip(offset)
        .take(height)
        .map(|(item, row)| {
            let mut cells = make_row(row);
            light_found(list, item, &table, &mut cells, lit);
            note_found_elsewhere(list, item, &table, &mut cells, muted);
            cells
        })
        .collect();
    let widget = self::table(theme, &table.columns, rows, rows_area.width);
    let mut state = TableState::new().with_selected(Some(selected - offset));
    frame.render_stateful_widget(widget, rows_area, &mut state);
}

/// Lights the characters the query found in the cells of item `item`.
fn light_found<T>(
    list: &FilteredList<T>,
    item: usize,
    table: &ListTable,
    cells: &mut Cells,
    lit: Style,
) {
    for (at, column) in table.columns.iter().enumerate() {
        let Some(field) = column.field else { continue };
        let lead = cells
            .lead
            .iter()
            .find(|(cell, _)| *cell == at)
            .map_or(0, |l| l.1);
        let also = cells
            .also
            .iter()
            .filter(|(cell, ..)| *cell == at)
            .map(|&(_, field, chars)| (field, chars));
        let mut places: Vec<usize> = std::iter::once((field, lead))
            .chain(also)
            .flat_map(|(field, lead)| list.lit(item, field).into_iter().map(move |p| p + lead))
            .collect();
        places.sort_unstable();
        if let Some(cell) = cells.cells.get_mut(at)
            && !places.is_empty()
        {
            *cell = light(std::mem::take(cell), &places, lit);
        }
    }
}

/// Says, in the first wide column that shows a field, which field no
/// column shows found item `item` (`· matched: phone 13800138000`).
fn note_found_elsewhere<T>(
    list: &FilteredList<T>,
    item: usize,
    table: &ListTable,
    cells: &mut Cells,
    muted: Style,
) {
    let Some((field, value)) = list.found_in(item) else {
        return;
    };
    let Some((_, name)) = table.hidden.iter().find(|(hidden, _)| *hidden == field) else {
        return;
    };
    let wide = table
        .columns
        .iter()
        .position(|c| c.field.is_some() && !matches!(c.width, Width::Keep(_)));
    if let Some(cell) = wide.and_then(|at| cells.cells.get_mut(at)) {
        let note = tr!("search.matched", field = name, value = value);
        cell.spans.push(Span::styled(format!(" · {note}"), muted));
    }
}

/// `line` with the characters at `places` (counted over the whole line)
/// in the `lit` style on top of their own.
pub fn light<'a>(line: Line<'a>, places: &[usize], lit: Style) -> Line<'a> {
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut place = 0;
    for span in line.spans {
        let mut run = String::new();
        let mut run_lit = false;
        for c in span.content.chars() {
            let on = places.binary_search(&place).is_ok();
            if on != run_lit && !run.is_empty() {
                let style = if run_lit {
                    span.style.patch(lit)
                } else {
                    span.style
                };
                spans.push(Span::styled(std::mem::take(&mut run), style));
            }
            run_lit = on;
            run.push(c);
            place += 1;
        }
        if !run.is_empty() {
            let style = if run_lit {
                span.style.patch(lit)
            } else {
                span.style
            };
            spans.push(Span::styled(run, style));
        }
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_places_found_are_lit_across_spans() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let lit = Style::default().add_modifier(ratatui::style::Modifier::REVERSED);
        let line = Line::from(vec![Span::styled("张伟", bold), Span::raw("ab")]);
        let out = light(line, &[1, 2], lit);
        let parts: Vec<(&str, bool)> = out
            .spans
            .iter()
            .map(|s| {
                (
                    s.content.as_ref(),
                    s.style
                        .add_modifier
                        .contains(ratatui::style::Modifier::REVERSED),
                )
            })
            .collect();
        assert_eq!(
            parts,
            vec![("张", false), ("伟", true), ("a", true), ("b", false)]
        );
        assert!(
            out.spans[1]
                .style
                .add_modifier
                .contains(ratatui::style::Modifier::BOLD)
        );
    }

    fn row(cells: &[&'static str]) -> Cells<'static> {
        Cells::new(cells.iter().copied())
    }

    #[test]
    fn a_cut_line_ends_with_the_mark_and_keeps_its_styles() {
        let bold = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![Span::styled("周建", bold), Span::raw("国 E1")]);
        let cut = clip_line(line.clone(), 5);
        assert_eq!(cut.to_string(), "周建…");
        assert_eq!(cut.spans[0].style, bold);
        assert_eq!(clip_line(line.clone(), 7).to_string(), "周建国…");
        assert_eq!(clip_line(line, 9).to_string(), "周建国 E1");
    }

    #[test]
    fn columns_take_their_content_and_share_what_is_left() {
        let columns = [
            Column::keep("No.".into(), 4),
            Column::flex("Name".into(), 1),
            Column::words("Status".into(), ["on leave", "active"]),
        ];
        let rows = [row(&["E1", "周建国", "active"])];
        // 4 + 6 + 8 and two spaces: 20; the name takes the 10 to spare.
        assert_eq!(widths(&columns, &rows, 30), vec![4, 16, 8]);
        // Too narrow: the flexible name gives way, the status stays whole.
        assert_eq!(widths(&columns, &rows, 16), vec![4, 2, 8]);
        // Narrower than the kept columns: everything gives way.
        assert_eq!(widths(&columns, &rows, 10).iter().sum::<usize>(), 8);
    }

    #[test]
    fn the_widest_flexible_column_gives_way_first() {
        let columns = [Column::flex("a".into(), 1), Column::flex("b".into(), 1)];
        let rows = [row(&["xxxx", "yyyyyyyyyyyyyyyy"])];
        assert_eq!(widths(&columns, &rows, 15), vec![4, 10]);
    }
}
