//! Diagnostics rendered like rustc's, with the offending text underlined.

use super::diagnostic::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Renders one diagnostic, reading its file. To render many diagnostics of one file, read it
/// once and use [`render_in`].
pub fn render(d: &Diagnostic, color: bool) -> String {
    // Never a FIFO or device (a diagnostic may be about one): reading would block.
    let source = std::fs::metadata(&d.file)
        .is_ok_and(|m| m.is_file())
        .then(|| std::fs::read_to_string(&d.file).ok())
        .flatten();
    render_in(d, source.as_deref(), color)
}

/// Renders one diagnostic against the text of its file (`None`: unreadable, shown as a bare
/// position). Only the lines the span covers are handed to the renderer, so rendering costs
/// the size of those lines, not of the file: a file with thousands of problems renders in
/// time proportional to their number.
pub fn render_in(d: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let path = d.file.display().to_string();
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()));
    match source {
        // A span that no longer fits the file (edited since) is shown as a bare position.
        Some(text)
            if d.span.end <= text.len()
                && d.span.start <= d.span.end
                && text.is_char_boundary(d.span.start)
                && text.is_char_boundary(d.span.end)
                && !text.is_empty() =>
        {
            let start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = text[d.span.end..]
                .find('\n')
                .map_or(text.len(), |i| d.span.end + i);
            // The diagnostic's line is the line of its span's start (counted when it was
            // made): counting the newlines again would cost the file once per diagnostic.
            let line = (d.line as usize).max(1);
            let lines = &text[start..end];
            group = group.element(
                Snippet::source(lines)
                    .line_start(line)
                    .path(path.as_str())
                    .annotation(
                        AnnotationKind::Primary
                            .span(d.span.start - start..d.span.end - start)
                            .label(d.label.as_str()),
                    ),
            );
        }
        _ => {
            group = group.element(Level::NOTE.message(format!("at {path}:{}:{}", d.line, d.col)));
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}
