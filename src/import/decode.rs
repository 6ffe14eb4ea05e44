//! Turning the bytes of a spreadsheet into text. Excel in China saves CSV
//! as GBK (a subset of GB18030) or, with "CSV UTF-8", as UTF-8 with a
//! byte-order mark, and "Unicode Text" as tab-separated UTF-16 with a
//! byte-order mark; all are read, and so are workbooks (their first sheet,
//! see `workbook`). Anything else is refused with the offset of the first
//! byte that cannot be read rather than guessed at.

use std::fmt;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use super::ImportError;

pub(super) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";
/// How an .xlsx (a zip archive) and an .xls (an OLE compound file) begin.
const WORKBOOK_SIGNATURES: [&[u8]; 2] = [b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceEncoding {
    /// UTF-8 without a byte-order mark (plain ASCII counts as this).
    Utf8,
    /// UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" writes it.
    Utf8Bom,
    /// GB18030, which covers GBK and GB2312: Excel's default CSV in China.
    Gb18030,
    /// UTF-16 with a byte-order mark: Excel's "Unicode Text".
    Utf16,
    /// An Excel (or OpenDocument) workbook.
    Workbook,
}

/// The encoding's usual name: `UTF-8`, `UTF-8 BOM`, `GB18030`.
impl fmt::Display for SourceEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf8Bom => "UTF-8 BOM",
            SourceEncoding::Gb18030 => "GB18030",
            SourceEncoding::Utf16 => "UTF-16",
            SourceEncoding::Workbook => "workbook",
        })
    }
}

/// A file's text and the encoding it was read in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without the byte-order mark.
    pub text: String,
    pub encoding: SourceEncoding,
}

/// Reads a file's bytes as text: a workbook as the CSV of its first sheet;
/// UTF-16 after its byte-order mark; a UTF-8 byte-order mark is stripped;
/// valid UTF-8 is UTF-8; anything else is decoded as GB18030 and refused
/// if some bytes are not GB18030. NUL bytes (outside UTF-16) and empty
/// files are refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let (text, encoding) = if is_workbook(bytes) {
        let text = super::workbook::sheet_as_csv(bytes, None)?;
        (text, SourceEncoding::Workbook)
    } else if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        (
            strict(UTF_16LE, rest, UTF16LE_BOM.len())?,
            SourceEncoding::Utf16,
        )
    } else if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        (
            strict(UTF_16BE, rest, UTF16BE_BOM.len())?,
            SourceEncoding::Utf16,
        )
    } else {
        refuse_nul(bytes)?;
        match bytes.strip_prefix(UTF8_BOM) {
            Some(rest) => (utf8(rest, UTF8_BOM.len())?, SourceEncoding::Utf8Bom),
            None => match utf8(bytes, 0) {
                Ok(text) => (text, SourceEncoding::Utf8),
                Err(_) => (strict(GB18030, bytes, 0)?, SourceEncoding::Gb18030),
            },
        }
    };
    if text.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(Decoded { text, encoding })
}

/// [`decode`] taking the bytes: UTF-8 (with or without its byte-order
/// mark) becomes the text in place, without a second copy of the file.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<Decoded, ImportError> {
    let bom = bytes.starts_with(UTF8_BOM);
    let start = if bom { UTF8_BOM.len() } else { 0 };
    let plain = !is_workbook(&bytes)
        && !bytes.starts_with(UTF16LE_BOM)
        && !bytes.starts_with(UTF16BE_BOM)
        && std::str::from_utf8(&bytes[start..]).is_ok();
    if !plain || bytes.len() == start {
        return decode(&bytes);
    }
    refuse_nul(&bytes)?;
    bytes.drain(..start);
    let encoding = if bom {
        SourceEncoding::Utf8Bom
    } else {
        SourceEncoding::Utf8
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text, encoding }),
        Err(error) => decode(error.as_bytes()),
    }
}

/// Whether `bytes` begin as an .xlsx (a zip archive) or an .xls (an OLE
/// compound file) does.
pub fn is_workbook(bytes: &[u8]) -> bool {
    WORKBOOK_SIGNATURES.iter().any(|s| bytes.starts_with(s))
}

/// Whether a file beginning with `head` (its first bytes) can be read as
/// it is read in (UTF-8 or GB18030 text), not whole first (a workbook,
/// UTF-16 text).
pub(super) fn is_streamable_start(head: &[u8]) -> bool {
    !is_workbook(head) && !head.starts_with(UTF16LE_BOM) && !head.starts_with(UTF16BE_BOM)
}

/// Refuses text with a NUL byte (binary data, or UTF-16 without its mark).
fn refuse_nul(bytes: &[u8]) -> Result<(), ImportError> {
    match bytes.iter().position(|&b| b == 0) {
        Some(offset) => Err(ImportError::Undecodable { offset }),
        None => Ok(()),
    }
}

/// `bytes` as UTF-8; an error names the offset of the first bad byte in the
/// file, of which `bytes` starts at `start`.
fn utf8(bytes: &[u8], start: usize) -> Result<String, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(error) => Err(ImportError::Undecodable {
            offset: start + error.valid_up_to(),
        }),
    }
}

/// `bytes` in `encoding`, refusing (at its offset in the file, of which
/// `bytes` starts at `start`) the first sequence that is not valid in it
/// instead of replacing it.
fn strict(encoding: &'static Encoding, bytes: &[u8], start: usize) -> Result<String, ImportError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let needed = decoder
            .max_utf8_buffer_length_without_replacement(bytes.len() - read)
            .unwrap_or(bytes.len() - read);
        text.reserve(needed);
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, true);
        read += consumed;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                let offset = read.saturating_sub(usize::from(bad) + usize::from(after));
                return Err(ImportError::Undecodable {
                    offset: start + offset,
                });
            }
        }
    }
}
