//! Playing back a run: which events and measurements have happened by a
//! given simulated time, and where the previous and next events are. Plain
//! functions over the worker's [`RunResult`], testable natively.

use canary_lab_worker::protocol::{CellView, Frame, RunResult};

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

/// One metric row of the table: its measurements up to the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub metric: String,
    pub condition: Option<String>,
    /// `Pending` before the first measurement, `Running` until the metric
    /// completes, then its final phase.
    pub phase: String,
    pub cells: Vec<CellView>,
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
    run.analysis
        .iter()
        .filter(|r| r.started_s <= t_s)
        .map(|r| {
            let finished = r.finished_s.is_some_and(|f| f <= t_s);
            RunTable {
                name: r.name.clone(),
                phase: if finished {
                    r.phase.clone()
                } else {
                    "Running".into()
                },
                message: if finished {
                    r.message.clone()
                } else {
                    String::new()
                },
                rows: r
                    .metrics
                    .iter()
                    .map(|m| {
                        let cells: Vec<CellView> = m
                            .measurements
                            .iter()
                            .filter(|c| c.t_s <= t_s)
                            .cloned()
                            .collect();
                        let phase = if m.completed_s.is_some_and(|c| c <= t_s) {
                            m.phase.clone()
                        } else if cells.is_empty() {
                            "Pending".into()
                        } else {
                            "Running".into()
                        };
                        Row {
                            metric: m.name.clone(),
                            condition: m.condition.clone(),
                            phase,
                            cells,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
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
        let started = result.analysis[0].started_s;
        let early = analysis_at(&result, started);
        assert_eq!(early.len(), 1);
        assert!(early[0].rows.iter().all(|r| r.cells.is_empty()));
        let done = analysis_at(&result, end_s(&result));
        assert_eq!(done[0].phase, "Successful");
        let total: usize = done[0].rows.iter().map(|r| r.cells.len()).sum();
        let expected: usize = result.analysis[0]
            .metrics
            .iter()
            .map(|m| m.measurements.len())
            .sum();
        assert_eq!(total, expected);
        assert!(done[0].rows.iter().all(|r| r.phase == "Successful"));
        assert!(result.promoted);
    }

    #[test]
    fn before_the_run_starts_there_is_no_table() {
        let result = run("05-hyperspace-operations", true);
        assert!(analysis_at(&result, 0.0).is_empty());
        let started = result.analysis[0].started_s;
        assert!(analysis_at(&result, started)[0]
            .rows
            .iter()
            .all(|r| r.phase == "Pending"));
    }
}
