//! A scenario or fixture file held in memory, and the sink its diagnostics go to.

use super::diagnostic::{Diagnostic, Severity};
use super::model::Location;
use std::cell::{Cell, OnceCell};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// The text of one file, with what is needed to turn byte offsets into line and column.
pub struct Source {
    pub path: Arc<PathBuf>,
    pub text: String,
    /// The last position asked for: loading asks in file order, so the next answer is
    /// found by counting the newlines between the two offsets, and a file's line starts need
    /// not be collected (collecting them cost more than a step's look-ups).
    cursor: Cell<Cursor>,
    /// Every line's start, collected the first time a position before the cursor is asked
    /// for (a diagnostic out of file order), and bisected from then on.
    line_starts: OnceCell<Vec<usize>>,
}

/// A byte offset, its 1-based line and where that line starts.
#[derive(Clone, Copy)]
struct Cursor {
    offset: usize,
    line: usize,
    line_start: usize,
}

impl Source {
    pub fn new(path: Arc<PathBuf>, text: String) -> Source {
        Source {
            path,
            text,
            cursor: Cell::new(Cursor {
                offset: 0,
                line: 1,
                line_start: 0,
            }),
            line_starts: OnceCell::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end or
    /// inside a character are clamped rather than trusted.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let (line, start) = self.line_of(offset);
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or_else(|| {
                self.text[start..]
                    .char_indices()
                    .take_while(|(i, _)| start + i < offset)
                    .count()
            });
        (line as u32, col as u32 + 1)
    }

    /// 1-based line of a byte offset (at most the text's length), and where it starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let c = self.cursor.get();
        // Far ahead, once the line starts are there (diagnostics out of order in a large
        // file), bisecting them costs less than counting.
        let near = offset - offset.min(c.offset) < 4096 || self.line_starts.get().is_none();
        let (line, line_start) = if c.offset <= offset && near {
            match newlines(&self.text.as_bytes()[c.offset..offset]) {
                (0, _) => (c.line, c.line_start),
                (n, last) => (c.line + n, c.offset + last),
            }
        } else {
            let starts = self.line_starts.get_or_init(|| {
                std::iter::once(0)
                    .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                    .collect()
            });
            let line = starts.partition_point(|&s| s <= offset).max(1);
            (line, starts[line - 1])
        };
        self.cursor.set(Cursor {
            offset,
            line,
            line_start,
        });
        (line, line_start)
    }

    pub fn location(&self, span: &Range<usize>) -> Location {
        let (line, col) = self.position(span.start);
        Location {
            file: self.path.clone(),
            line,
            col,
        }
    }
}

/// How many newlines `bytes` holds, and the offset just past the last one (0 when none),
/// eight bytes at a time: the span between two positions asked for is a few dozen bytes,
/// where a byte loop cost 6 to 9 instructions a byte and memchr's searches as much in
/// set-up. A newline is a zero byte of `word ^ LF`, found with the exact zero-byte test
/// (no false positives, so the count is exact).
fn newlines(bytes: &[u8]) -> (usize, usize) {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const LF: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let (mut count, mut last) = (0, 0);
    let mut words = bytes.chunks_exact(8);
    for (i, w) in (&mut words).enumerate() {
        let x = u64::from_le_bytes(w.try_into().unwrap_or_default()) ^ LF;
        // The high bit of each byte of `x` that is zero, and no other bit.
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        if zero != 0 {
            count += zero.count_ones() as usize;
            // Little-endian: the highest flagged byte is the last newline.
            last = i * 8 + (63 - zero.leading_zeros() as usize) / 8 + 1;
        }
    }
    let tail = bytes.len() - words.remainder().len();
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b'\n' {
            count += 1;
            last = tail + i + 1;
        }
    }
    (count, last)
}

/// Where diagnostics about one file are collected.
pub struct Cx<'a> {
    pub src: &'a Source,
    pub diags: Vec<Diagnostic>,
    errors: usize,
    /// Where the file (or its fixture) passes a Windows-reserved path on purpose
    /// (`deliberate = true`): only runners that keep such names inside the sandbox run it.
    pub deliberate: Option<Range<usize>>,
    /// Where the text the current tree was parsed from starts in the file: the steps of a
    /// large file are parsed a slice at a time (`chunks.rs`), and their spans count from the
    /// slice. Every span given to this sink is moved by it.
    base: usize,
}

impl<'a> Cx<'a> {
    pub fn new(src: &'a Source) -> Cx<'a> {
        Cx {
            src,
            diags: Vec::new(),
            errors: 0,
            deliberate: None,
            base: 0,
        }
    }

    /// Spans given from now on count from `base` in the file.
    pub fn set_base(&mut self, base: usize) {
        self.base = base;
    }

    /// A span of the current tree as a span of the file, to keep beyond the current slice.
    pub fn abs(&self, span: &Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    pub fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Severity::Error, span, message.into(), label.into(), help);
    }

    /// A problem that does not keep the file from loading (`warning:`).
    pub fn warn(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(Severity::Warning, span, message.into(), label.into(), help);
    }

    fn push(
        &mut self,
        severity: Severity,
        span: Range<usize>,
        message: String,
        label: String,
        help: Option<String>,
    ) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        let span = self.abs(&span);
        let (line, col) = self.src.position(span.start);
        self.diags.push(Diagnostic {
            file: self.src.path.as_ref().clone(),
            line,
            col,
            span,
            message,
            label,
            help,
            severity,
        });
    }

    pub fn location(&self, span: &Range<usize>) -> Location {
        self.src.location(&self.abs(span))
    }

    /// Number of errors so far, to tell whether a piece of work added any (warnings do not
    /// count: they never keep a value from being used).
    pub fn count(&self) -> usize {
        self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column counted from the start of the text, one character at a time (a
    /// character that starts before `offset` counts, even when `offset` is inside it).
    fn counted(text: &str, offset: usize) -> (u32, u32) {
        let (mut line, mut col) = (1, 1);
        for (i, c) in text.char_indices() {
            if i >= offset {
                break;
            }
            (line, col) = if c == '\n' {
                (line + 1, 1)
            } else {
                (line, col + 1)
            };
        }
        (line, col)
    }

    #[test]
    fn positions_asked_in_any_order_are_those_counted_from_the_start() {
        let text = "a = 1\n\n[[step]]\ncall = \"é\"\r\nx = 2\nlast";
        let src = Source::new(Arc::new(PathBuf::from("t.toml")), text.to_string());
        let forward: Vec<usize> = (0..=text.len() + 2).collect();
        // In order (the cursor), backwards (the line starts), then jumping both ways.
        let jumping = [30, 3, 17, 0, 29, 16, 40, 7, 8];
        for &o in forward.iter().chain(forward.iter().rev()).chain(&jumping) {
            assert_eq!(src.position(o), counted(text, o), "offset {o}");
        }
    }

    #[test]
    fn newlines_are_counted_a_word_at_a_time_and_in_the_tail() {
        let texts: [&[u8]; 8] = [
            b"",
            b"\n",
            b"abc",
            b"a\nb",
            b"\n\n\n\n\n\n\n\n\n",
            "0123456\n89\nbcdef\n\u{e9}\u{e9}x\n".as_bytes(),
            // Bytes next to LF's value (0x0b, 0x09), with the high bit set, and 0x8a.
            b"\x8a\x0b\n\x7f\xff\x09\x0a\x0b",
            b"xxxxxxxx\nxxxxxxx\n",
        ];
        for bytes in texts {
            let count = bytes.iter().filter(|&&b| b == b'\n').count();
            let last = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            assert_eq!(newlines(bytes), (count, last), "{bytes:?}");
        }
    }
}
