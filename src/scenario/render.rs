//! Diagnostics rendered like rustc's, with the offending text underlined.

use super::diagnostic::Diagnostic;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

pub fn render(d: &Diagnostic, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let source = std::fs::read_to_string(&d.file).ok();
    let path = d.file.display().to_string();
    let mut group = Group::with_title(Level::ERROR.primary_title(d.message.as_str()));
    match &source {
        // A span that no longer fits the file (edited since) is shown as a bare position.
        Some(text)
            if d.span.end <= text.len()
                && text.is_char_boundary(d.span.start)
                && text.is_char_boundary(d.span.end)
                && !text.is_empty() =>
        {
            group = group.element(
                Snippet::source(text.as_str())
                    .path(path.as_str())
                    .annotation(
                        AnnotationKind::Primary
                            .span(d.span.clone())
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
