//! The diff as an aligned text table: scenario, step, line, call, one column per version or
//! runner.

use super::Row;

/// `full_call`: show the call with its arguments rather than the function's name.
pub fn render(columns: &[String], rows: &[Row], full_call: bool) -> String {
    let mut table: Vec<Vec<String>> = vec![[
        "scenario".to_string(),
        "step".into(),
        "line".into(),
        "call".into(),
    ]
    .into_iter()
    .chain(columns.iter().cloned())
    .collect()];
    for r in rows {
        table.push(
            [
                r.scenario.clone(),
                r.step.to_string(),
                r.location.clone(),
                if full_call {
                    r.call.clone()
                } else {
                    r.function.clone()
                },
            ]
            .into_iter()
            .chain(r.codes.iter().cloned())
            .collect(),
        );
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|i| {
            table
                .iter()
                .map(|row| row[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &table {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The same table in Markdown (for pull-request comments and job summaries).
pub fn render_markdown(columns: &[String], rows: &[Row], full_call: bool) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| scenario | step | line | call |");
    for c in columns {
        out.push_str(&format!(" {} |", cell(c)));
    }
    out.push_str("\n|---|---|---|---|");
    for _ in columns {
        out.push_str("---|");
    }
    out.push('\n');
    for r in rows {
        let call = if full_call { &r.call } else { &r.function };
        out.push_str(&format!(
            "| {} | {} | {} | `{}` |",
            cell(&r.scenario),
            cell(&r.step.to_string()),
            cell(&r.location),
            call.replace('`', "'")
        ));
        for c in &r.codes {
            out.push_str(&format!(" {} |", cell(c)));
        }
        out.push('\n');
    }
    out
}
