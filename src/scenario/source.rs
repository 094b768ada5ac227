//! A scenario or fixture file held in memory, and the sink its diagnostics go to.

use super::diagnostic::{Diagnostic, Severity};
use super::model::Location;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The text of one file, with what is needed to turn byte offsets into line and column.
pub struct Source {
    pub path: Arc<PathBuf>,
    pub text: String,
    line_starts: Vec<usize>,
    /// The line (index in `line_starts`) of the last position asked for: loading asks in
    /// file order, so the next answer is almost always on that line or a few after it, and
    /// a short forward scan from there costs less than bisecting every line of the file.
    last_line: AtomicUsize,
}

impl Source {
    pub fn new(path: Arc<PathBuf>, text: String) -> Source {
        // memchr scans a word at a time: searching for the char `\n` cost 8% as much as
        // parsing the file.
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Source {
            path,
            text,
            line_starts,
            last_line: AtomicUsize::new(0),
        }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets past the end or
    /// inside a character are clamped rather than trusted.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line - 1];
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

    /// 1-based line of a byte offset (at most the text's length): the number of line starts
    /// at or before it.
    fn line_of(&self, offset: usize) -> usize {
        let starts = &self.line_starts;
        let hint = self.last_line.load(Ordering::Relaxed);
        let line = match starts.get(hint) {
            Some(&s) if s <= offset => {
                // Up to a few lines on from the last answer, then bisect the rest.
                let ahead = &starts[hint + 1..];
                match ahead.iter().take(8).position(|&s| s > offset) {
                    Some(n) => hint + 1 + n,
                    None => hint + 1 + ahead.partition_point(|&s| s <= offset),
                }
            }
            _ => starts.partition_point(|&s| s <= offset),
        }
        .max(1);
        self.last_line.store(line - 1, Ordering::Relaxed);
        line
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
