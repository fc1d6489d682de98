//! Reading a case table (CSV): every mapped column must exist, every input cell must be a
//! number (or a category of a categorical input, or a "missing" marker), every expected
//! cell a number or band. Each row becomes input values and expectations, located at their
//! cells so that later diagnostics point into the table.

use std::ops::Range;

use super::compare::Expected;
use super::spec::TableSpec;
use crate::diag::{Code, Diagnostic, SourceFile, did_you_mean};
use crate::model::{Model, Normalisation};
use crate::project::{InputValue, RawValue, Status};
use crate::toml_read::Sp;

/// One data row of a case table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// What names the row in reports: its `row_name` cell (or first cell) and its line.
    pub label: String,
    /// 1-based line of the row in the file.
    pub line: usize,
    /// Byte span of the row.
    pub span: Range<usize>,
    /// The row's inputs, in the order the table maps them.
    pub values: Vec<InputValue>,
    /// What the row expects.
    pub expected: Expected,
}

/// Reads every row of a table. Problems with the test file's mapping (a column the table
/// does not have) are located in `test_file`; problems with cells, in `table`.
pub fn read_rows(
    spec: &TableSpec,
    model: &Model,
    table: &SourceFile,
    test_file: &SourceFile,
) -> (Vec<TableRow>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut reader = csv::ReaderBuilder::new().from_reader(table.text().as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            diags.push(table.diag(Code::TestTable, 0..0, format!("the table is not CSV: {e}")));
            return (Vec::new(), diags);
        }
    };
    let column = |written: &Sp<String>, diags: &mut Vec<Diagnostic>| -> Option<usize> {
        let found = header.iter().position(|h| *h == written.value);
        if found.is_none() {
            let mut d = test_file.diag(
                Code::TestTable,
                written.span.clone(),
                format!(
                    "column \"{}\" is not in table {}",
                    written.value,
                    table.name()
                ),
            );
            d.help = Some(
                match did_you_mean(&written.value, header.iter().map(String::as_str)) {
                    Some(m) => format!("did you mean \"{m}\"?"),
                    None => format!("its columns are: {}", header.join(", ")),
                },
            );
            diags.push(d);
        }
        found
    };
    let name_column = spec.row_name.as_ref().map(|c| column(c, &mut diags));
    let inputs: Vec<_> = spec
        .inputs
        .iter()
        .map(|(id, c)| (id, column(c, &mut diags)))
        .collect();
    let score = spec.score.as_ref().map(|c| column(c, &mut diags));
    let band = spec.band.as_ref().map(|c| column(c, &mut diags));
    let nodes: Vec<_> = spec
        .nodes
        .iter()
        .map(|(id, c)| (id, column(c, &mut diags)))
        .collect();
    if !diags.is_empty() {
        return (Vec::new(), diags);
    }
    let cells = Cells {
        table,
        missing: &spec.missing,
        header: &header,
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                diags.push(table.diag(Code::TestTable, at..at, format!("row cannot be read: {e}")));
                continue;
            }
        };
        // The reader's position may sit on the line break before the record.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let start = start
            + table.text().get(start..).map_or(0, |rest| {
                rest.len() - rest.trim_start_matches(['\r', '\n']).len()
            });
        let row = RowText::new(table.text(), start);
        let errors_before = diags.len();
        let line = table.locate(start..start).line;
        let label = name_column
            .flatten()
            .or(Some(0))
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .trim();
        let mut values = Vec::new();
        for (id, col) in &inputs {
            let Some(col) = *col else { continue };
            let Some((text, span)) = cells.get(&record, &row, col) else {
                continue;
            };
            let slot = model.input_by_id(&id.value);
            let categorical = slot
                .and_then(|s| model.indicators().get(s as usize))
                .is_some_and(|i| matches!(i.normalisation, Normalisation::Categorical { .. }));
            let value = if categorical {
                Some(RawValue::Text(text.to_string()))
            } else {
                cells
                    .number(text, span.clone(), col, &mut diags)
                    .map(RawValue::Number)
            };
            if let Some(value) = value {
                values.push(InputValue {
                    id: Sp::new(id.value.clone(), span.clone()),
                    value: Sp::new(value, span),
                    low: None,
                    high: None,
                    nominal_is_midpoint: false,
                    source: Some(format!("{}, line {line}", table.name())),
                    as_of: None,
                    status: Status::Reported,
                    note: None,
                    line,
                    distribution: None,
                });
            }
        }
        let mut expected = Expected::default();
        if let Some(col) = score.flatten() {
            expected.score = cells.required_number(&record, &row, col, line, &mut diags);
        }
        if let Some(col) = band.flatten() {
            expected.band = cells.band(&record, &row, col, line, model, &mut diags);
        }
        for (id, col) in &nodes {
            let Some(col) = *col else { continue };
            // A "missing" cell expects the node to be left out.
            let want = match cells.get(&record, &row, col) {
                Some((text, span)) => match cells.number(text, span, col, &mut diags) {
                    Some(x) => Some(x),
                    None => continue,
                },
                None => None,
            };
            expected.nodes.push((id.value.clone(), want));
        }
        // A row with an unreadable cell is reported once, not again as a missing value.
        if diags.len() > errors_before {
            continue;
        }
        rows.push(TableRow {
            label: if label.is_empty() {
                format!("line {line}")
            } else {
                format!("{label} (line {line})")
            },
            line,
            span: start..start + row.text.len(),
            values,
            expected,
        });
    }
    if rows.is_empty() && diags.is_empty() {
        // A table without rows would pass having checked nothing.
        diags.push(table.diag(Code::TestTable, 0..0, "the table has no data rows"));
    }
    (rows, diags)
}

/// The raw text of one row, to find where each cell is written.
struct RowText<'t> {
    start: usize,
    text: &'t str,
    fields: Vec<Range<usize>>,
}

impl<'t> RowText<'t> {
    fn new(file: &'t str, start: usize) -> Self {
        let rest = file.get(start..).unwrap_or("");
        let text = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
        RowText {
            start,
            text,
            fields: field_ranges(text),
        }
    }

    /// Byte span of field `i` in the file (the row's start when the field is not found,
    /// e.g. in a quoted field running over several lines).
    fn span(&self, i: usize) -> Range<usize> {
        self.fields.get(i).map_or(self.start..self.start, |r| {
            self.start + r.start..self.start + r.end
        })
    }
}

/// Byte ranges of the comma-separated fields of one line, quotes respected.
fn field_ranges(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(start..line.len());
    out
}

/// Reading cells of one table.
struct Cells<'a> {
    table: &'a SourceFile,
    missing: &'a [String],
    header: &'a [String],
}

impl Cells<'_> {
    /// A cell's trimmed text and span; `None` when it is empty or a "missing" marker.
    fn get<'r>(
        &self,
        record: &'r csv::StringRecord,
        row: &RowText<'_>,
        col: usize,
    ) -> Option<(&'r str, Range<usize>)> {
        let text = record.get(col).unwrap_or("").trim();
        if text.is_empty() || self.missing.iter().any(|m| m == text) {
            return None;
        }
        Some((text, row.span(col)))
    }

    fn number(
        &self,
        text: &str,
        span: Range<usize>,
        col: usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<f64> {
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                let column = self.header.get(col).map_or("", String::as_str);
                let mut d = self.table.diag(
                    Code::TestTable,
                    span,
                    format!("column \"{column}\": \"{text}\" is not a number"),
                );
                if !self.missing.is_empty() {
                    d.help = Some(format!(
                        "cells meaning \"no value\" are empty or one of: {}",
                        self.missing.join(", ")
                    ));
                }
                diags.push(d);
                None
            }
        }
    }

    /// An expected score: a number, never "missing" (an assessment always has a score).
    fn required_number(
        &self,
        record: &csv::StringRecord,
        row: &RowText<'_>,
        col: usize,
        line: usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<f64> {
        match self.get(record, row, col) {
            Some((text, span)) => self.number(text, span, col, diags),
            None => {
                diags.push(self.empty(row, col, line));
                None
            }
        }
    }

    fn band(
        &self,
        record: &csv::StringRecord,
        row: &RowText<'_>,
        col: usize,
        line: usize,
        model: &Model,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let Some((text, span)) = self.get(record, row, col) else {
            diags.push(self.empty(row, col, line));
            return None;
        };
        if model.bands().iter().any(|b| b.label == text) {
            return Some(text.to_string());
        }
        let labels: Vec<&str> = model.bands().iter().map(|b| b.label.as_str()).collect();
        let mut d = self.table.diag(
            Code::TestTable,
            span,
            format!("\"{text}\" is not a band of model `{}`", model.meta().id),
        );
        d.help = did_you_mean(text, labels).map(|m| format!("did you mean \"{m}\"?"));
        diags.push(d);
        None
    }

    fn empty(&self, row: &RowText<'_>, col: usize, line: usize) -> Diagnostic {
        let column = self.header.get(col).map_or("", String::as_str);
        self.table.diag(
            Code::TestTable,
            row.span(col),
            format!("column \"{column}\" has no expected value on line {line}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_respect_quotes() {
        let line = "a,\"b, c\",d";
        let r = field_ranges(line);
        assert_eq!(r.len(), 3);
        assert_eq!(&line[r[1].clone()], "\"b, c\"");
        assert_eq!(&line[r[2].clone()], "d");
    }
}
