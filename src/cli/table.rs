//! Plain-text tables for the terminal: columns padded by display width
//! (CJK characters take two columns), two spaces apart, the last unpadded.

use unicode_width::UnicodeWidthStr;

use crate::text::pad;

/// The lines of a table with `header` over `rows`.
pub fn text_table<const N: usize>(header: [String; N], rows: Vec<[String; N]>) -> Vec<String> {
    let widths: Vec<usize> = (0..N)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].width())
                .chain([header[column].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    std::iter::once(header)
        .chain(rows)
        .map(|row| {
            let mut line = String::new();
            for (column, cell) in row.iter().enumerate() {
                if column + 1 == N {
                    line.push_str(cell);
                } else {
                    line.push_str(&pad(cell, widths[column]));
                    line.push_str("  ");
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_display_width() {
        let lines = text_table(
            ["user".into(), "role".into(), "scope".into()],
            vec![
                ["张伟".into(), "hr".into(), "all".into()],
                ["bob".into(), "manager".into(), "销售部".into()],
            ],
        );
        assert_eq!(
            lines,
            [
                "user  role     scope",
                "张伟  hr       all",
                "bob   manager  销售部",
            ]
        );
    }
}
