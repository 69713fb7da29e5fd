//! The messages between the page and the simulation worker, as JSON.

//!
//! Everything here is flat data shaped for the page: the worker turns the
//! simulator's report into it, so the page neither links the simulator nor
//! carries deserialisers for its richly tagged event types (those alone
//! cost the first load about 100 KB of wasm).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Lint the learner's files and judge the lesson's lint-only
    /// objectives. Served by the lint worker, started with the page.
    Lint {
        lesson: String,
        files: Vec<(String, String)>,
    },
    /// Simulate the learner's files the way lesson `lesson` sets them up,
    /// and judge its objectives.
    Run {
        lesson: String,
        files: Vec<(String, String)>,
    },
    /// Evaluate PromQL against the last run's Prometheus at `at_s`, and over
    /// the whole run for a chart.
    Query { expr: String, at_s: f64 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has loaded and listens; the page waits for this before
    /// its first request, since messages sent earlier would be dropped.
    Ready,
    Linted(LintResult),
    Ran(Box<RunResult>),
    Queried(QueryResult),
    /// The request could not be served (unknown lesson, malformed message).
    Failed {
        message: String,
    },
}

/// One lint pass.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LintResult {
    /// Sorted by file, position and code, as the CLI prints them.
    pub problems: Vec<Problem>,
    /// Per objective of the lesson: `Some((passed, detail))` when lint alone
    /// decides it, `None` when it waits for a run.
    pub objectives: Vec<Option<(bool, String)>>,
    /// The collector config drawn as a graph; `None` without one.
    pub pipeline: Option<PipelineView>,
}

/// The collector's pipelines as an SVG drawing, with a text alternative.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PipelineView {
    pub svg: String,
    /// What the drawing shows, in words (for screen readers, and tests).
    pub summary: String,
    /// How many components are drawn broken.
    pub broken: usize,
}

/// One diagnostic, as the editor and the problems panel need it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// 1-based; columns count characters.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<FixView>,
}

/// A machine-applicable fix: byte ranges into the files as linted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixView {
    pub title: String,
    pub edits: Vec<EditView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditView {
    pub file: String,
    pub start_byte: usize,
    pub end_byte: usize,
    pub replacement: String,
}

/// One finished run, ready to play back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Whether the canary was promoted, and the outcome in one sentence.
    pub promoted: bool,
    pub verdict: String,
    /// Every event of the run, in order.
    pub events: Vec<EventLine>,
    /// Every AnalysisRun with all its measurements; the page shows those
    /// up to the timeline's cursor.
    pub analysis: Vec<AnalysisRunView>,
    /// The cluster's state after each event, for the timeline.
    pub frames: Vec<Frame>,
    /// One chart per analysis metric.
    pub charts: Vec<Chart>,
    pub objectives: Vec<ObjectiveResult>,
    /// Simulated time the run covers.
    pub end_s: f64,
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventLine {
    pub t_s: f64,
    /// `rollout`, `collector`, `analysis`, …
    pub component: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisRunView {
    pub name: String,
    pub started_s: f64,
    pub finished_s: Option<f64>,
    /// The final phase and message, once `finished_s` has passed.
    pub phase: String,
    pub message: String,
    pub metrics: Vec<MetricView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricView {
    pub name: String,
    pub condition: Option<String>,
    /// When the metric reached its final phase, if it did.
    pub completed_s: Option<f64>,
    pub phase: String,
    pub measurements: Vec<CellView>,
}

/// One measurement: its value, verdict, and why it had no usable value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellView {
    pub t_s: f64,
    pub phase: String,
    pub value: Option<String>,
    pub message: Option<String>,
    pub explanations: Vec<ExplanationView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplanationView {
    pub reason: String,
    /// The lint rule that predicts this, when one does.
    pub lint_code: Option<String>,
}

/// What the cluster looks like once the events up to `events` have happened.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub t_s: f64,
    /// How many events have happened (a prefix of `report.events`).
    pub events: usize,
    /// Canary steps completed, out of `total_steps`.
    pub steps_done: usize,
    pub total_steps: usize,
    /// The last `setWeight` reached, in percent.
    pub weight: u32,
    pub stable_image: Option<String>,
    pub canary_image: Option<String>,
    pub stable_pods: u32,
    pub canary_pods: u32,
    /// `Running`, `CrashLoopBackOff`, `NotDeployed` or `Starting`.
    pub collector: String,
    /// `Progressing`, `Paused`, `Degraded`, `Healthy`, or empty before the
    /// rollout starts.
    pub phase: String,
}

/// A comparison the success condition makes against a constant, e.g.
/// `result[0] >= 0.05`, drawn as the chart's threshold line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub op: String,
    pub value: f64,
}

/// One measurement as a chart point; `value` is `None` for NaN or no data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    pub t_s: f64,
    pub value: Option<f64>,
    pub phase: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub run: String,
    pub metric: String,
    /// The query after argument substitution.
    pub query: Option<String>,
    pub condition: Option<String>,
    pub threshold: Option<Threshold>,
    /// The query evaluated every 10 s over the run; `None` where it returned
    /// nothing or NaN.
    pub line: Vec<(f64, Option<f64>)>,
    pub measurements: Vec<ChartPoint>,
    pub drawing: SvgChart,
}

/// A chart drawn by the worker, and where its time axis lies, so the page
/// can lay the timeline's cursor over it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SvgChart {
    pub svg: String,
    /// Simulated seconds at the left and right ends of the plot area.
    pub x0_s: f64,
    pub x1_s: f64,
    /// The plot area's left and right edges, in percent of the width.
    pub left_pct: f64,
    pub right_pct: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveResult {
    pub text: String,
    pub passed: bool,
    pub detail: String,
}

/// One row of an instant query's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryRow {
    /// `{label="value", …}` as Prometheus prints it; empty for a scalar.
    pub labels: String,
    pub value: String,
}

/// One series of the query over the whole run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuerySeries {
    pub labels: String,
    pub points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    pub expr: String,
    pub at_s: f64,
    /// `vector`, `scalar`, `matrix` or `string`; empty on error.
    pub kind: String,
    pub rows: Vec<QueryRow>,
    pub series: Vec<QuerySeries>,
    /// The series drawn, when there are any.
    pub drawing: Option<SvgChart>,
    /// A parse or evaluation error, with its 1-based column when known.
    pub error: Option<QueryError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryError {
    pub message: String,
    pub column: Option<usize>,
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Response {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!(r#"{{"Failed":{{"message":{:?}}}}}"#, e.to_string()))
    }

    /// Reads a worker's reply; a reply that does not parse becomes `Failed`.
    pub fn from_json(text: &str) -> Response {
        serde_json::from_str(text).unwrap_or_else(|e| Response::Failed {
            message: format!("the simulation worker sent a reply the page cannot read: {e}"),
        })
    }
}
