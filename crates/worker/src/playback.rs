//! Turns the simulator's report into the flat shapes the page plays back:
//! the event log, the AnalysisRuns with each measurement's explanation, and
//! the outcome in one sentence.

use std::collections::BTreeMap;

use canary_lab_sim::{EventKind, SimReport};

use crate::protocol::{AnalysisRunView, CellView, EventLine, ExplanationView, MetricView};

pub fn events(report: &SimReport) -> Vec<EventLine> {
    report
        .events
        .iter()
        .map(|e| EventLine {
            t_s: seconds(e.t_ms),
            component: serde_json::to_value(e.component)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            message: e.message.clone(),
        })
        .collect()
}

pub fn analysis(report: &SimReport) -> Vec<AnalysisRunView> {
    // What the report's summary lacks: each measurement's explanations and
    // condition, and when each metric completed, from the events.
    let mut explained: BTreeMap<(&str, &str, i64), Vec<ExplanationView>> = BTreeMap::new();
    let mut conditions: BTreeMap<(&str, &str), String> = BTreeMap::new();
    let mut completed: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for e in &report.events {
        match &e.kind {
            EventKind::Measurement {
                run,
                metric,
                condition,
                explanations,
                ..
            } => {
                explained.insert(
                    (run, metric, e.t_ms),
                    explanations
                        .iter()
                        .map(|x| ExplanationView {
                            reason: x.reason.clone(),
                            lint_code: x.lint_code.clone(),
                        })
                        .collect(),
                );
                if let Some(c) = condition {
                    conditions.entry((run, metric)).or_insert_with(|| c.clone());
                }
            }
            EventKind::MetricCompleted { run, metric, .. } => {
                completed.entry((run, metric)).or_insert(seconds(e.t_ms));
            }
            _ => {}
        }
    }
    report
        .analysis_runs
        .iter()
        .map(|run| AnalysisRunView {
            name: run.name.clone(),
            started_s: run.started_s,
            finished_s: run.finished_s,
            phase: run.phase.clone(),
            message: run.message.clone(),
            metrics: run
                .metrics
                .iter()
                .map(|m| {
                    let key = (run.name.as_str(), m.name.as_str());
                    MetricView {
                        name: m.name.clone(),
                        condition: conditions.get(&key).cloned(),
                        completed_s: completed.get(&key).copied(),
                        phase: m.phase.clone(),
                        measurements: m
                            .measurements
                            .iter()
                            .map(|x| CellView {
                                t_s: x.time_s,
                                phase: x.phase.clone(),
                                value: x.value.clone(),
                                message: x.message.clone(),
                                explanations: explained
                                    .get(&(key.0, key.1, (x.time_s * 1000.0).round() as i64))
                                    .cloned()
                                    .unwrap_or_default(),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Whether the canary was promoted, and why not in one sentence.
pub fn verdict(report: &SimReport) -> (bool, String) {
    let outcome = &report.outcome;
    if report.collector.status == "CrashLoopBackOff" {
        let why = report.collector.message.clone().unwrap_or_default();
        return (
            false,
            format!("The collector is in CrashLoopBackOff: {why}"),
        );
    }
    match outcome.phase.as_deref() {
        Some("Healthy") if !outcome.aborted => (
            true,
            format!(
                "Promoted: {} is the stable version.",
                outcome.stable_image.as_deref().unwrap_or("the canary")
            ),
        ),
        Some(phase) if outcome.aborted => {
            (false, format!("Aborted ({phase}): {}", outcome.message))
        }
        Some(phase) if outcome.message.is_empty() => (false, format!("The rollout is {phase}.")),
        Some(phase) => (
            false,
            format!("The rollout is {phase}: {}", outcome.message),
        ),
        None => (false, "No Rollout was found in the files.".into()),
    }
}

fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}
