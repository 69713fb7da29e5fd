//! One chart per analysis metric: its query over the run against the
//! threshold its success condition sets, and the measurements taken.

use std::collections::BTreeMap;

use canary_lab_promql::{eval_instant, parse, Storage, Value};
use canary_lab_sim::{EventKind, SimReport};

use crate::protocol::{Chart, ChartPoint, Threshold};
use crate::svg;

/// Prometheus's scrape interval in the scenario; finer steps add nothing.
const STEP_MS: i64 = 10_000;
/// How far before the run starts the line begins, to show the lead-up.
const LEAD_MS: i64 = 60_000;

/// The substituted query and the success condition of one metric.
type QueryAndCondition = (Option<String>, Option<String>);

pub fn charts(report: &SimReport, storage: &Storage, end_ms: i64) -> Vec<Chart> {
    // The substituted query and condition of each (run, metric), from its
    // first measurement.
    let mut queries: BTreeMap<(&str, &str), QueryAndCondition> = BTreeMap::new();
    for event in &report.events {
        if let EventKind::Measurement {
            run,
            metric,
            query,
            condition,
            ..
        } = &event.kind
        {
            queries
                .entry((run.as_str(), metric.as_str()))
                .or_insert_with(|| (query.clone(), condition.clone()));
        }
    }
    let mut out = Vec::new();
    for run in &report.analysis_runs {
        let from = ((run.started_s * 1000.0) as i64 - LEAD_MS).max(0);
        let to = run
            .finished_s
            .map_or(end_ms, |s| (s * 1000.0) as i64 + STEP_MS)
            .min(end_ms);
        for metric in &run.metrics {
            let (query, condition) = queries
                .get(&(run.name.as_str(), metric.name.as_str()))
                .cloned()
                .unwrap_or_default();
            let line = query
                .as_deref()
                .map(|q| line(storage, q, from, to))
                .unwrap_or_default();
            let threshold = condition.as_deref().and_then(threshold);
            let measurements: Vec<ChartPoint> = metric
                .measurements
                .iter()
                .map(|m| ChartPoint {
                    t_s: m.time_s,
                    value: m.value.as_deref().and_then(first_number),
                    phase: m.phase.clone(),
                })
                .collect();
            let markers: Vec<svg::Marker> = measurements
                .iter()
                .map(|m| svg::Marker {
                    t_s: m.t_s,
                    value: m.value,
                    phase: &m.phase,
                })
                .collect();
            let drawing = svg::line_chart(
                &format!("{}: the query over time against its threshold", metric.name),
                &[svg::Series {
                    label: query.as_deref().unwrap_or(&metric.name),
                    points: &line,
                }],
                threshold.as_ref(),
                &markers,
            );
            out.push(Chart {
                run: run.name.clone(),
                metric: metric.name.clone(),
                threshold,
                query,
                condition,
                line,
                measurements,
                drawing,
            });
        }
    }
    out
}

/// The query every [`STEP_MS`]; `None` where it is empty, NaN or fails.
fn line(storage: &Storage, query: &str, from: i64, to: i64) -> Vec<(f64, Option<f64>)> {
    let Ok(expr) = parse(query) else {
        return Vec::new();
    };
    let mut points = Vec::new();
    let mut t = from - from % STEP_MS;
    while t <= to {
        let value = match eval_instant(storage, &expr, t) {
            Ok(Value::Vector(samples)) => samples.first().map(|s| s.value),
            Ok(Value::Scalar(v)) => Some(v),
            _ => None,
        };
        points.push((t as f64 / 1000.0, value.filter(|v| v.is_finite())));
        t += STEP_MS;
    }
    points
}

/// A measurement's value as Argo prints it (`[0.25]`, `0.25`, `[NaN]`):
/// its first number, if finite.
fn first_number(value: &str) -> Option<f64> {
    let inner = value.trim().trim_start_matches('[').trim_end_matches(']');
    let first = inner.split([',', ' ']).find(|s| !s.is_empty())?;
    first.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The first `result[0] <op> <number>` (or mirrored) comparison in the
/// condition. Best effort: a condition with no such comparison has no line.
pub fn threshold(condition: &str) -> Option<Threshold> {
    const OPS: [&str; 4] = ["<=", ">=", "<", ">"];
    for clause in condition.split(['&', '|', '(', ')']) {
        for op in OPS {
            let Some((left, right)) = clause.split_once(op) else {
                continue;
            };
            // `<=` must not be read as `<` followed by `=…`.
            if right.starts_with('=') {
                continue;
            }
            let (left, right) = (left.trim(), right.trim());
            if left == "result[0]" {
                if let Ok(value) = right.parse() {
                    return Some(Threshold {
                        op: op.into(),
                        value,
                    });
                }
            } else if right == "result[0]" {
                if let Ok(value) = left.parse() {
                    return Some(Threshold {
                        op: mirror(op).into(),
                        value,
                    });
                }
            }
        }
    }
    None
}

fn mirror(op: &str) -> &'static str {
    match op {
        "<" => ">",
        ">" => "<",
        "<=" => ">=",
        _ => "<=",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_come_from_comparisons_with_result() {
        let t = threshold("len(result) > 0 && result[0] >= 0.05").unwrap();
        assert_eq!((t.op.as_str(), t.value), (">=", 0.05));
        let t = threshold("result[0] < 1000").unwrap();
        assert_eq!((t.op.as_str(), t.value), ("<", 1000.0));
        let t = threshold("0.05 <= result[0]").unwrap();
        assert_eq!((t.op.as_str(), t.value), (">=", 0.05));
        assert!(threshold("isNaN(result[0])").is_none());
    }

    #[test]
    fn values_read_as_argo_prints_them() {
        assert_eq!(first_number("[0.25]"), Some(0.25));
        assert_eq!(first_number("[3.5 4]"), Some(3.5));
        assert_eq!(first_number("0.5"), Some(0.5));
        assert_eq!(first_number("[NaN]"), None);
        assert_eq!(first_number("[]"), None);
    }
}
