//! What a paste puts in a text field. The terminal sends a paste whole
//! (bracketed paste), so a pasted tab or line break never acts as a key:
//! it never moves to the next field or submits. One value goes in as typed
//! text, its control characters dropped; the line break a spreadsheet or a
//! terminal adds after a copied cell or line is dropped too. Several cells
//! (tab-separated, as a spreadsheet row is copied) or several lines are
//! refused whole with a note rather than put into one field, or cut to
//! their first cell without a word: a row pasted into the hire form's
//! first field would otherwise fill it with the whole row, or lose the
//! rest unseen.

use crate::tr;

/// The text to insert, or why nothing is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pasted {
    /// One value, cleaned: insert it at the cursor.
    Value(String),
    /// Several values: nothing is inserted; the note says why.
    Refused(String),
}

/// Reads what was pasted into one text field.
pub fn read(text: &str) -> Pasted {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_end_matches('\n');
    let lines = text.split('\n').count();
    if lines > 1 {
        return Pasted::Refused(tr!("paste.lines", count = lines));
    }
    let cells = text.split('\t').count();
    if cells > 1 {
        return Pasted::Refused(tr!("paste.cells", count = cells));
    }
    Pasted::Value(text.chars().filter(|c| !c.is_control()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_loses_its_control_characters_and_trailing_line_break() {
        assert_eq!(read("张伟\r\n"), Pasted::Value("张伟".into()));
        assert_eq!(
            read("E0\u{1b}[31m01\u{7}\n"),
            Pasted::Value("E0[31m01".into())
        );
        assert_eq!(read(""), Pasted::Value(String::new()));
    }

    #[test]
    fn cells_and_lines_are_refused_whole() {
        let Pasted::Refused(note) = read("E900\t张伟\t销售部\t店员\tP1\n") else {
            panic!("a row is refused");
        };
        assert!(note.contains('5'), "{note}");
        let Pasted::Refused(note) = read("one\rtwo\r\nthree") else {
            panic!("lines are refused");
        };
        assert!(note.contains('3'), "{note}");
    }
}
