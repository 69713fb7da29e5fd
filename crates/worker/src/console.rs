//! The query console: any PromQL against the last run's Prometheus, as a
//! table at one instant and as lines over the whole run.

use std::collections::BTreeMap;

use canary_lab_promql::{eval_instant, go_float_e, line_col, parse, Storage, Value};

use crate::protocol::{QueryError, QueryResult, QueryRow, QuerySeries};
use crate::svg;

const STEP_MS: i64 = 10_000;
/// More lines than this make an unreadable chart; the table still has all.
const MAX_SERIES: usize = 20;

pub fn query(storage: &Storage, expr: &str, at_s: f64, end_ms: i64) -> QueryResult {
    let mut result = QueryResult {
        expr: expr.to_string(),
        at_s,
        kind: String::new(),
        rows: Vec::new(),
        series: Vec::new(),
        drawing: None,
        error: None,
    };
    let parsed = match parse(expr) {
        Ok(parsed) => parsed,
        Err(e) => {
            let (line, column) = line_col(expr, e.span.start);
            result.error = Some(QueryError {
                message: format!("{line}:{column}: parse error: {}", e.message),
                column: Some(column),
            });
            return result;
        }
    };
    let at_ms = (at_s * 1000.0).round() as i64;
    match eval_instant(storage, &parsed, at_ms) {
        Ok(value) => {
            result.kind = value.type_name().to_string();
            result.rows = rows(&value);
        }
        Err(e) => {
            result.error = Some(QueryError {
                message: e.message.clone(),
                column: e.span.map(|s| line_col(expr, s.start).1),
            });
            return result;
        }
    }
    // Lines only make sense for instant vectors and scalars.
    if matches!(result.kind.as_str(), "vector" | "scalar") {
        result.series = over_time(storage, &parsed, end_ms);
        if !result.series.is_empty() {
            let lines: Vec<Vec<(f64, Option<f64>)>> = result
                .series
                .iter()
                .map(|s| s.points.iter().map(|(t, v)| (*t, Some(*v))).collect())
                .collect();
            let series: Vec<svg::Series> = result
                .series
                .iter()
                .zip(&lines)
                .map(|(s, points)| svg::Series {
                    label: if s.labels.is_empty() { expr } else { &s.labels },
                    points,
                })
                .collect();
            result.drawing = Some(svg::line_chart(
                &format!("{expr} over the run"),
                &series,
                None,
                &[],
            ));
        }
    }
    result
}

fn rows(value: &Value) -> Vec<QueryRow> {
    match value {
        Value::Scalar(v) => vec![QueryRow {
            labels: String::new(),
            value: go_float_e(*v),
        }],
        Value::Vector(samples) => samples
            .iter()
            .map(|s| QueryRow {
                labels: s.labels.to_string(),
                value: go_float_e(s.value),
            })
            .collect(),
        Value::Matrix(series) => series
            .iter()
            .map(|s| QueryRow {
                labels: s.labels.to_string(),
                value: s
                    .points
                    .iter()
                    .map(|(t, v)| format!("{} @{}", go_float_e(*v), *t as f64 / 1000.0))
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect(),
        Value::String(s) => vec![QueryRow {
            labels: String::new(),
            value: s.clone(),
        }],
    }
}

fn over_time(storage: &Storage, expr: &canary_lab_promql::Expr, end_ms: i64) -> Vec<QuerySeries> {
    let mut lines: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut t = 0;
    while t <= end_ms {
        let samples: Vec<(String, f64)> = match eval_instant(storage, expr, t) {
            Ok(Value::Vector(samples)) => samples
                .into_iter()
                .map(|s| (s.labels.to_string(), s.value))
                .collect(),
            Ok(Value::Scalar(v)) => vec![(String::new(), v)],
            _ => Vec::new(),
        };
        for (labels, value) in samples {
            if value.is_finite() && (lines.len() < MAX_SERIES || lines.contains_key(&labels)) {
                lines
                    .entry(labels)
                    .or_default()
                    .push((t as f64 / 1000.0, value));
            }
        }
        t += STEP_MS;
    }
    lines
        .into_iter()
        .map(|(labels, points)| QuerySeries { labels, points })
        .collect()
}
