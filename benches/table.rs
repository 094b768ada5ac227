//! The one table every figure goes into, printed as Markdown (it pastes into BENCHMARKS.md).

pub struct Row {
    pub section: &'static str,
    pub measure: String,
    pub figure: String,
    /// The target as written in BENCHMARKS.md; empty for context figures.
    pub target: String,
    /// Whether the target holds; `None` for context figures.
    pub met: Option<bool>,
}

#[derive(Default)]
pub struct Table {
    pub rows: Vec<Row>,
}

impl Table {
    pub fn context(&mut self, section: &'static str, measure: impl Into<String>, figure: String) {
        self.rows.push(Row {
            section,
            measure: measure.into(),
            figure,
            target: String::new(),
            met: None,
        });
    }

    pub fn target(
        &mut self,
        section: &'static str,
        measure: impl Into<String>,
        figure: String,
        target: impl Into<String>,
        met: bool,
    ) {
        self.rows.push(Row {
            section,
            measure: measure.into(),
            figure,
            target: target.into(),
            met: Some(met),
        });
    }

    pub fn missed(&self) -> usize {
        self.rows.iter().filter(|r| r.met == Some(false)).count()
    }

    pub fn render(&self) -> String {
        let mut out =
            String::from("| section | measure | figure | target | met |\n|---|---|---|---|---|\n");
        for r in &self.rows {
            let met = match r.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                r.section, r.measure, r.figure, r.target, met
            ));
        }
        out
    }
}
