//! Large scenario files are parsed a slice of steps at a time: a parsed TOML document costs
//! about 30 times its text while it is built (the token list, then the spanned tree), so
//! holding a whole 50 MB file's tree would cost gigabytes. Top-level `[[step]]` headers split
//! a file into a head (the top-level keys) and slices of whole steps, each of which is a TOML
//! document on its own; the loader resolves one slice, drops its tree, and parses the next.

use std::ops::Range;
use toml_parser::lexer::TokenKind;
use toml_parser::Source;

/// Steps are grouped into slices of about this many bytes: large enough that the per-slice
/// cost vanishes, small enough that a slice's tree is a few megabytes.
pub const SLICE_BYTES: usize = 256 * 1024;

/// Where a file's top-level `[[step]]` tables are.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The text before the first `[[step]]` header: the top-level keys.
    pub head: Range<usize>,
    /// Consecutive ranges, each starting at a `[[step]]` header and holding whole steps,
    /// together reaching the end of the text.
    pub slices: Vec<Range<usize>>,
}

/// Splits `text` at the `[[step]]` headers that begin a line outside any value (the lexer
/// keeps strings, multi-line ones included, as single tokens, and brackets are counted), into
/// slices of at least `slice_bytes` where the steps allow.
pub fn split(text: &str, slice_bytes: usize) -> Split {
    let headers = step_headers(text);
    let Some(&first) = headers.first() else {
        return Split {
            head: 0..text.len(),
            slices: Vec::new(),
        };
    };
    let mut slices = Vec::new();
    let mut start = first;
    for &h in &headers[1..] {
        if h - start >= slice_bytes {
            slices.push(start..h);
            start = h;
        }
    }
    slices.push(start..text.len());
    Split {
        head: 0..first,
        slices,
    }
}

/// Byte offsets of the top-level `[[step]]` headers (`[[ step ]]` too), in order.
fn step_headers(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    // Tokens of the current line so far, ignoring white space, while they can still be the
    // start of a header (`[`, `[`, `step`, `]`, `]`); None once they cannot.
    let mut line: Option<Vec<TokenKind>> = Some(Vec::new());
    let mut line_start = 0;
    let mut depth = 0usize;
    for token in Source::new(text).lex() {
        let kind = token.kind();
        let span = token.span();
        if kind == TokenKind::Newline {
            line = Some(Vec::new());
            line_start = span.end();
            continue;
        }
        if kind == TokenKind::Whitespace {
            continue;
        }
        let at_top = depth == 0;
        match kind {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        line = line.take().and_then(|mut seen| {
            let expected = HEADER.get(seen.len())?;
            let fits = *expected == kind
                && (kind != TokenKind::Atom || &text[span.start()..span.end()] == "step");
            // Only a header that opens at the top level (not a line inside an array value).
            let opens_at_top = !seen.is_empty() || at_top;
            (fits && opens_at_top).then(|| {
                seen.push(kind);
                seen
            })
        });
        if line.as_ref().is_some_and(|seen| seen.len() == HEADER.len()) {
            out.push(line_start);
            line = None;
        }
    }
    out
}

const HEADER: [TokenKind; 5] = [
    TokenKind::LeftSquareBracket,
    TokenKind::LeftSquareBracket,
    TokenKind::Atom,
    TokenKind::RightSquareBracket,
    TokenKind::RightSquareBracket,
];

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_at_top_level_step_headers_only() {
        let text = "title = \"t\"\n\
                    [[step]]\ncall = \"a\"\n\
                    [[step.do]]\ncall = \"b\"\n\
                    s = \"\"\"\n[[step]]\n\"\"\"\n\
                    x = [\n[[1]],\n]\n\
                    [[ step ]] # c\ncall = \"c\"\n\
                    [[steps]]\n";
        let s = split(text, 0);
        let starts: Vec<&str> = s
            .slices
            .iter()
            .map(|r| &text[r.start..r.start + 10])
            .collect();
        assert_eq!(starts, ["[[step]]\nc", "[[ step ]]"]);
        assert_eq!(&text[s.head.clone()], "title = \"t\"\n");
        assert_eq!(s.slices.last().unwrap().end, text.len());
    }

    #[test]
    fn groups_steps_into_slices_of_the_size_given() {
        let step = "[[step]]\ncall = \"a\"\n";
        let text = step.repeat(10);
        assert_eq!(split(&text, 0).slices.len(), 10);
        assert_eq!(split(&text, step.len() * 3).slices.len(), 4);
        assert_eq!(split(&text, usize::MAX).slices, vec![0..text.len()]);
        assert!(split("title = 1", 0).slices.is_empty());
    }
}
