//! A text sheet read from its file as its rows are asked for, as many
//! times as an import reads them (checked before a new database is made,
//! then again as written), so a file of a million rows is never held
//! whole. Its encoding is decided in one pass as [`decode`] decides it
//! for bytes in memory (UTF-8, with or without its byte-order mark, else
//! GB18030; a NUL byte or a byte neither can read refused with its
//! offset); workbooks and UTF-16 text are left to [`decode`]. A file that
//! changes between two readings is refused rather than read half old,
//! half new.
//!
//! [`decode`]: super::decode

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::time::SystemTime;

use encoding_rs::{Decoder, DecoderResult, GB18030};

use super::ImportError;
use super::decode::{SourceEncoding, UTF8_BOM, is_streamable_start};

/// How much is read at a time.
const CHUNK: usize = 64 * 1024;

/// A text file whose encoding was found, to be read as often as needed.
pub(super) struct TextFile {
    file: File,
    pub(super) encoding: SourceEncoding,
    /// Where the text starts (after a byte-order mark).
    start: u64,
    /// The file's length and last change when it was first read.
    stamp: (u64, Option<SystemTime>),
}

/// The file's length and last change.
fn stamp_of(file: &File) -> std::io::Result<(u64, Option<SystemTime>)> {
    let meta = file.metadata()?;
    Ok((meta.len(), meta.modified().ok()))
}

fn unreadable(error: std::io::Error) -> ImportError {
    ImportError::Unreadable(error.to_string())
}

impl TextFile {
    /// Reads `file` once to find its encoding; `None` for a workbook or
    /// UTF-16 text, which are read whole.
    pub(super) fn probe(mut file: File) -> Result<Option<TextFile>, ImportError> {
        let stamp = stamp_of(&file).map_err(unreadable)?;
        let mut head = Vec::with_capacity(8);
        (&file).take(8).read_to_end(&mut head).map_err(unreadable)?;
        if !is_streamable_start(&head) {
            return Ok(None);
        }
        let start = if head.starts_with(UTF8_BOM) {
            UTF8_BOM.len() as u64
        } else {
            0
        };
        file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
        let scan = scan(&file)?;
        if let Some(offset) = scan.nul {
            return Err(ImportError::Undecodable { offset });
        }
        if scan.length == start {
            return Err(ImportError::Empty);
        }
        let encoding = match (scan.not_utf8, start) {
            (None, 0) => SourceEncoding::Utf8,
            (None, _) => SourceEncoding::Utf8Bom,
            (Some(offset), 3) => return Err(ImportError::Undecodable { offset }),
            (Some(_), _) => {
                file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
                check_gb18030(&file)?;
                SourceEncoding::Gb18030
            }
        };
        Ok(Some(TextFile {
            file,
            encoding,
            start,
            stamp,
        }))
    }

    /// The text from its start, as UTF-8; refused if the file changed
    /// since it was probed.
    pub(super) fn text(&self) -> Result<Box<dyn Read + Send + '_>, ImportError> {
        if stamp_of(&self.file).map_err(unreadable)? != self.stamp {
            return Err(ImportError::Changed);
        }
        let mut file = &self.file;
        file.seek(SeekFrom::Start(self.start)).map_err(unreadable)?;
        let bytes = BufReader::with_capacity(CHUNK, file.take(self.stamp.0 - self.start));
        Ok(match self.encoding {
            SourceEncoding::Gb18030 => Box::new(Gb18030Text::new(bytes)),
            _ => Box::new(bytes),
        })
    }
}

/// What one pass over a file found.
struct Scan {
    length: u64,
    /// The first NUL byte.
    nul: Option<usize>,
    /// The first byte that is not UTF-8.
    not_utf8: Option<usize>,
}

/// Reads `file` to its end: its length, its first NUL, its first byte
/// that is not UTF-8.
fn scan(file: &File) -> Result<Scan, ImportError> {
    let mut reader = BufReader::with_capacity(CHUNK, file);
    let mut found = Scan {
        length: 0,
        nul: None,
        not_utf8: None,
    };
    // The start of a character cut at the end of the last piece.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let piece = reader.fill_buf().map_err(unreadable)?;
        let read = piece.len();
        if read == 0 {
            break;
        }
        let at = found.length as usize;
        if found.nul.is_none() {
            found.nul = memchr::memchr(0, piece).map(|n| at + n);
        }
        if found.not_utf8.is_none() {
            let before = carry.len();
            carry.extend_from_slice(piece);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(e) => found.not_utf8 = Some(at - before + e.valid_up_to()),
            }
            if found.not_utf8.is_some() {
                carry = Vec::new();
            }
        }
        found.length += read as u64;
        reader.consume(read);
    }
    if found.not_utf8.is_none() && !carry.is_empty() {
        found.not_utf8 = Some(found.length as usize - carry.len());
    }
    Ok(found)
}

/// Reads all of `file` as GB18030, refusing the first sequence that is
/// not GB18030 with its offset.
fn check_gb18030(file: &File) -> Result<(), ImportError> {
    let mut text = Gb18030Text::new(BufReader::with_capacity(CHUNK, file));
    let mut sink = vec![0u8; CHUNK];
    loop {
        match text.read(&mut sink) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(error) => return Err(text.bad.take().unwrap_or_else(|| unreadable(error))),
        }
    }
}

/// GB18030 bytes read as UTF-8, strictly: a sequence that is not GB18030
/// is an error (its offset kept in `bad`), never a replacement character.
struct Gb18030Text<R> {
    bytes: R,
    decoder: Decoder,
    /// Bytes decoded so far.
    consumed: usize,
    /// Decoded text not yet given out.
    out: Vec<u8>,
    given: usize,
    done: bool,
    bad: Option<ImportError>,
}

impl<R: BufRead> Gb18030Text<R> {
    fn new(bytes: R) -> Self {
        Gb18030Text {
            bytes,
            decoder: GB18030.new_decoder_without_bom_handling(),
            consumed: 0,
            out: Vec::with_capacity(CHUNK),
            given: 0,
            done: false,
            bad: None,
        }
    }

    /// Decodes the next piece into `out`.
    fn decode_more(&mut self) -> std::io::Result<()> {
        let input = self.bytes.fill_buf()?;
        let last = input.is_empty();
        self.out.clear();
        self.out.resize(CHUNK, 0);
        self.given = 0;
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(input, &mut self.out, last);
        self.out.truncate(written);
        self.bytes.consume(read);
        self.consumed += read;
        match result {
            DecoderResult::InputEmpty => self.done = last,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                let offset = self.consumed - usize::from(bad) - usize::from(after);
                let bad = ImportError::Undecodable { offset };
                let error = std::io::Error::new(std::io::ErrorKind::InvalidData, bad.to_string());
                self.bad = Some(bad);
                return Err(error);
            }
        }
        Ok(())
    }
}

impl<R: BufRead> Read for Gb18030Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.given == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.decode_more()?;
        }
        let n = buf.len().min(self.out.len() - self.given);
        buf[..n].copy_from_slice(&self.out[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::decode;
    use std::io::Write;

    /// A file holding `bytes`, probed.
    fn probed(
        bytes: &[u8],
    ) -> (
        tempfile::NamedTempFile,
        Result<Option<TextFile>, ImportError>,
    ) {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(bytes).expect("write");
        let opened = File::open(file.path()).expect("open");
        (file, TextFile::probe(opened))
    }

    fn text_of(file: &TextFile) -> String {
        let mut text = String::new();
        file.text()
            .expect("text")
            .read_to_string(&mut text)
            .expect("read");
        text
    }

    /// Every kind of text, good and bad, is read (or refused, at the same
    /// offset) as the whole bytes are.
    #[test]
    fn a_file_is_read_as_its_bytes_would_be() {
        let (gbk, _, _) = GB18030.encode("工号,姓名\nE1,张三\n");
        let long: String = "工号,姓名\n".repeat(20_000);
        let mut cut_at_the_edge = long.clone().into_bytes();
        cut_at_the_edge.push(0xE5);
        let cases: Vec<Vec<u8>> = vec![
            b"emp_no,name\nE1,Ann\n".to_vec(),
            [UTF8_BOM, "工号,姓名\n".as_bytes()].concat(),
            gbk.into_owned(),
            long.clone().into_bytes(),
            cut_at_the_edge,
            [long.as_bytes(), b"\x81\x30", b"x"].concat(),
            [UTF8_BOM, b"a\xFFb"].concat(),
            b"a,b\n\x00".to_vec(),
            UTF8_BOM.to_vec(),
            b"\xFF\xFF\xFF".to_vec(),
        ];
        for bytes in cases {
            let (_file, got) = probed(&bytes);
            let want = decode(&bytes);
            match (got, want) {
                (Ok(Some(file)), Ok(decoded)) => {
                    assert_eq!(file.encoding, decoded.encoding);
                    assert_eq!(text_of(&file), decoded.text);
                }
                (Err(got), Err(want)) => assert_eq!(got, want),
                (got, want) => panic!(
                    "{:?}: {:?} against {want:?}",
                    &bytes[..8.min(bytes.len())],
                    got.map(|f| f.map(|f| f.encoding))
                ),
            }
        }
    }

    #[test]
    fn workbooks_and_utf16_are_left_to_be_read_whole() {
        for bytes in [&b"PK\x03\x04rest"[..], b"\xFF\xFEa\x00", b"\xFE\xFF\x00a"] {
            assert!(matches!(probed(bytes).1, Ok(None)));
        }
    }

    #[test]
    fn a_file_changed_after_it_was_read_is_refused() {
        let (mut file, probed) = probed(b"emp_no,name\nE1,Ann\n");
        let text = probed.expect("probe").expect("text");
        assert_eq!(text_of(&text), "emp_no,name\nE1,Ann\n");
        file.write_all(b"E2,Bob\n").expect("append");
        file.flush().expect("flush");
        assert!(matches!(text.text().err(), Some(ImportError::Changed)));
    }
}
