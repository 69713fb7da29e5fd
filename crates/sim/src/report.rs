//! The simulation's result in the shape `canary-lab simulate --format
//! json` prints, and its plain-text rendering.

use serde::Serialize;

use crate::analysis::AnalysisRun;
use crate::collector::CollectorStatus;
use crate::engine::Simulation;
use crate::timeline::Event;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// `Healthy`, `Degraded`, `Progressing`, `Paused`, or `None` without a Rollout.
    pub phase: Option<String>,
    pub stable_image: Option<String>,
    pub aborted: bool,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CollectorReport {
    /// `Running`, `CrashLoopBackOff` or `NotDeployed`.
    pub status: String,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasurementReport {
    pub time_s: f64,
    pub phase: String,
    pub value: Option<String>,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricReport {
    pub name: String,
    pub phase: String,
    pub message: Option<String>,
    pub measurements: Vec<MeasurementReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    pub name: String,
    pub phase: String,
    pub message: String,
    pub started_s: f64,
    pub finished_s: Option<f64>,
    pub metrics: Vec<MetricReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JaegerReport {
    pub traces: u64,
    pub services: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    pub requests: u64,
    pub spans_received: u64,
    pub span_series_peak: usize,
    pub prometheus_series: usize,
    pub prometheus_samples: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimReport {
    pub outcome: Outcome,
    pub collector: CollectorReport,
    pub jaeger: JaegerReport,
    pub analysis_runs: Vec<RunReport>,
    pub events: Vec<Event>,
    pub stats: Stats,
}

fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

fn run_report(run: &AnalysisRun) -> RunReport {
    RunReport {
        name: run.name.clone(),
        phase: run.phase.as_str().to_string(),
        message: run.message.clone(),
        started_s: seconds(run.started_ms),
        finished_s: run.finished_ms.map(seconds),
        metrics: run
            .metrics
            .iter()
            .map(|m| MetricReport {
                name: m.spec.name.clone(),
                phase: m.phase.as_str().to_string(),
                message: m.message().map(str::to_string),
                measurements: m
                    .measurements
                    .iter()
                    .map(|x| MeasurementReport {
                        time_s: seconds(x.t_ms),
                        phase: x.phase.as_str().to_string(),
                        value: x.value.clone(),
                        message: x.message.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

impl SimReport {
    pub(crate) fn from_simulation(sim: &Simulation) -> Self {
        let (status, message) = match &sim.collector_status {
            CollectorStatus::NotDeployed => ("NotDeployed", None),
            CollectorStatus::Running => ("Running", None),
            CollectorStatus::CrashLoopBackOff { message } => {
                ("CrashLoopBackOff", Some(message.clone()))
            }
        };
        SimReport {
            outcome: Outcome {
                phase: sim.rollout_phase.map(|p| p.as_str().to_string()),
                stable_image: sim.stable_image.clone(),
                aborted: sim.aborted,
                message: sim.rollout_message.clone(),
            },
            collector: CollectorReport {
                status: status.into(),
                message,
            },
            jaeger: JaegerReport {
                traces: sim.jaeger_traces,
                services: sim.jaeger_services.clone(),
            },
            analysis_runs: sim.runs.iter().map(run_report).collect(),
            events: sim.timeline.events().to_vec(),
            stats: Stats {
                requests: sim.requests,
                spans_received: sim.spans,
                span_series_peak: sim.span_series_peak,
                prometheus_series: sim.tsdb.series_count(),
                prometheus_samples: sim.tsdb.sample_count(),
            },
        }
    }

    /// Pretty-printed JSON (what `--format json` prints).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
    }

    /// A human-readable timeline and outcome.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            let component = serde_json::to_value(e.component)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!(
                "{:>8.1}s  {:<10} {}\n",
                seconds(e.t_ms),
                component,
                e.message
            ));
            if let crate::timeline::EventKind::Measurement { explanations, .. } = &e.kind {
                for x in explanations.iter().skip(1) {
                    out.push_str(&format!("{:>8}   {:<10}   also: {}\n", "", "", x.reason));
                }
            }
        }
        out.push('\n');
        for run in &self.analysis_runs {
            out.push_str(&format!("AnalysisRun {}: {}", run.name, run.phase));
            if !run.message.is_empty() {
                out.push_str(&format!(" — {}", run.message));
            }
            out.push('\n');
            for m in &run.metrics {
                let values: Vec<String> = m
                    .measurements
                    .iter()
                    .map(|x| {
                        format!(
                            "{}s {} {}",
                            x.time_s,
                            x.phase,
                            x.value
                                .clone()
                                .or_else(|| x.message.clone())
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                out.push_str(&format!(
                    "  {} {}: {}\n",
                    m.name,
                    m.phase,
                    values.join("; ")
                ));
            }
        }
        out.push_str(&format!(
            "collector: {}{}\n",
            self.collector.status,
            self.collector
                .message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        ));
        out.push_str(&format!(
            "outcome: {} — stable {}{}\n",
            self.outcome.phase.as_deref().unwrap_or("no rollout"),
            self.outcome.stable_image.as_deref().unwrap_or("-"),
            if self.outcome.message.is_empty() {
                String::new()
            } else {
                format!(" — {}", self.outcome.message)
            }
        ));
        out
    }
}
