//! Playing back a run: which events and measurements have happened by a
//! given simulated time, and where the previous and next events are. Plain
//! functions over the worker's [`RunResult`], testable natively.

use canary_lab_worker::protocol::{EventKind, Explanation, Frame, RunResult};

/// The cursor can rest anywhere from 0 to the last event.
pub fn end_s(run: &RunResult) -> f64 {
    run.frames.last().map_or(0.0, |f| f.t_s)
}

/// How many events have happened at `t_s`.
pub fn events_by(run: &RunResult, t_s: f64) -> usize {
    run.frames.partition_point(|f| f.t_s <= t_s)
}

/// The cluster at `t_s`; before the first event, an empty frame.
pub fn frame_at(run: &RunResult, t_s: f64) -> Frame {
    match events_by(run, t_s) {
        0 => Frame {
            total_steps: run.frames.first().map_or(0, |f| f.total_steps),
            ..Frame::default()
        },
        n => run.frames[n - 1].clone(),
    }
}

/// The time of the first event after `t_s`, if any.
pub fn next_event_s(run: &RunResult, t_s: f64) -> Option<f64> {
    run.frames.iter().map(|f| f.t_s).find(|t| *t > t_s)
}

/// The time of the last event before `t_s`, or 0.
pub fn previous_event_s(run: &RunResult, t_s: f64) -> f64 {
    run.frames
        .iter()
        .map(|f| f.t_s)
        .rfind(|t| *t < t_s)
        .unwrap_or(0.0)
}

/// One measurement cell of the AnalysisRun table.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub t_s: f64,
    pub phase: String,
    pub value: Option<String>,
    pub message: Option<String>,
    /// Why the query returned nothing or NaN, from the simulator.
    pub explanations: Vec<Explanation>,
}

/// One metric row of the table: its measurements up to the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub metric: String,
    pub condition: Option<String>,
    /// The metric's phase once its last shown measurement was assessed;
    /// `Running` while measurements are still to come.
    pub phase: String,
    pub cells: Vec<Cell>,
}

/// One AnalysisRun as it stands at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct RunTable {
    pub name: String,
    pub phase: String,
    pub message: String,
    pub rows: Vec<Row>,
}

/// The AnalysisRuns started by `t_s`, each with what it measured by then.
pub fn analysis_at(run: &RunResult, t_s: f64) -> Vec<RunTable> {
    let shown = &run.report.events[..events_by(run, t_s)];
    let mut tables: Vec<RunTable> = Vec::new();
    for event in shown {
        match &event.kind {
            EventKind::AnalysisRunStarted { run: name, .. } => {
                let metrics = run
                    .report
                    .analysis_runs
                    .iter()
                    .find(|r| &r.name == name)
                    .map(|r| r.metrics.iter().map(|m| m.name.clone()).collect::<Vec<_>>())
                    .unwrap_or_default();
                tables.push(RunTable {
                    name: name.clone(),
                    phase: "Running".into(),
                    message: String::new(),
                    rows: metrics
                        .into_iter()
                        .map(|metric| Row {
                            metric,
                            condition: None,
                            phase: "Pending".into(),
                            cells: Vec::new(),
                        })
                        .collect(),
                });
            }
            EventKind::Measurement {
                run: name,
                metric,
                value,
                condition,
                phase,
                message,
                explanations,
                ..
            } => {
                if let Some(row) = row_mut(&mut tables, name, metric) {
                    row.condition = condition.clone();
                    if row.phase == "Pending" {
                        row.phase = "Running".into();
                    }
                    row.cells.push(Cell {
                        t_s: event.t_ms as f64 / 1000.0,
                        phase: phase.clone(),
                        value: value.clone(),
                        message: message.clone(),
                        explanations: explanations.clone(),
                    });
                }
            }
            EventKind::MetricCompleted {
                run: name,
                metric,
                phase,
            } => {
                if let Some(row) = row_mut(&mut tables, name, metric) {
                    row.phase = phase.clone();
                }
            }
            EventKind::AnalysisRunCompleted {
                run: name,
                phase,
                message,
            } => {
                if let Some(table) = tables.iter_mut().find(|t| &t.name == name) {
                    table.phase = phase.clone();
                    table.message = message.clone();
                }
            }
            _ => {}
        }
    }
    tables
}

fn row_mut<'t>(tables: &'t mut [RunTable], run: &str, metric: &str) -> Option<&'t mut Row> {
    tables
        .iter_mut()
        .rfind(|t| t.name == run)?
        .rows
        .iter_mut()
        .find(|r| r.metric == metric)
}

/// A one-line verdict for the whole run, shown as soon as it finishes.
pub fn verdict(run: &RunResult) -> (bool, String) {
    let report = &run.report;
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
        Some(phase) => (
            false,
            if outcome.message.is_empty() {
                format!("The rollout is {phase}.")
            } else {
                format!("The rollout is {phase}: {}", outcome.message)
            },
        ),
        None => (false, "No Rollout was found in the files.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use canary_lab_lessons::bundled;
    use canary_lab_worker::engine::Session;
    use canary_lab_worker::protocol::{Request, Response};

    fn run(id: &str, solved: bool) -> RunResult {
        let lesson = bundled()
            .into_iter()
            .filter_map(Result::ok)
            .find(|l| l.manifest.id == id)
            .unwrap();
        let files = if solved {
            lesson.solved_files()
        } else {
            lesson.start_files()
        };
        match Session::new().handle(Request::Run {
            lesson: id.into(),
            files,
        }) {
            Response::Ran(result) => *result,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_cursor_walks_events_in_order() {
        let result = run("05-hyperspace-operations", true);
        assert_eq!(events_by(&result, -1.0), 0);
        assert_eq!(events_by(&result, end_s(&result)), result.frames.len());
        let mut t = 0.0;
        let mut seen = 0;
        while let Some(next) = next_event_s(&result, t) {
            assert!(next > t);
            assert!(previous_event_s(&result, next) < next);
            t = next;
            seen += 1;
        }
        assert_eq!(t, end_s(&result));
        assert!(seen > 5);
        assert_eq!(frame_at(&result, -1.0).phase, "");
    }

    #[test]
    fn the_table_fills_in_as_time_passes() {
        let result = run("05-hyperspace-operations", true);
        let started = result.report.analysis_runs[0].started_s;
        let early = analysis_at(&result, started);
        assert_eq!(early.len(), 1);
        assert!(early[0].rows.iter().all(|r| r.cells.is_empty()));
        let done = analysis_at(&result, end_s(&result));
        assert_eq!(done[0].phase, "Successful");
        let total: usize = done[0].rows.iter().map(|r| r.cells.len()).sum();
        let expected: usize = result.report.analysis_runs[0]
            .metrics
            .iter()
            .map(|m| m.measurements.len())
            .sum();
        assert_eq!(total, expected);
        assert!(done[0].rows.iter().all(|r| r.phase == "Successful"));
        assert!(verdict(&result).0);
    }

    #[test]
    fn a_nan_measurement_carries_its_explanation() {
        let result = run("05-hyperspace-operations", true);
        let done = analysis_at(&result, end_s(&result));
        let nan = done[0]
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .find(|c| c.value.as_deref() == Some("[NaN]"))
            .expect("the first latency measurement is NaN");
        assert!(!nan.explanations.is_empty());
    }

    #[test]
    fn the_broken_start_says_why_in_one_line() {
        let result = run("05-hyperspace-operations", false);
        let (ok, text) = verdict(&result);
        assert!(!ok);
        assert!(text.contains("CrashLoopBackOff"), "{text}");
        assert!(text.contains("no receiver"), "{text}");
    }
}
