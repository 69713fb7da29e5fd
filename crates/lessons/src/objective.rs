//! Objectives: machine-checkable goals, judged from the facts that one lint
//! pass and one simulation run establish ([`Facts`]), so the playground and
//! `canary-lab check` tick exactly the same boxes.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// One goal of a lesson, as `lesson.yaml` states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Objective {
    pub text: String,
    pub check: Check,
    /// What the starting files must give; the lesson test holds authors to it.
    pub start: Option<Expect>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Pass,
    Fail,
}

/// The closed set of checks; `lessons/README.md` documents each.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Check {
    NoLintErrors {
        file: Option<String>,
    },
    LintClear {
        code: String,
    },
    CollectorRunning,
    SpansReachJaeger,
    SeriesExist {
        metric: String,
    },
    TrafficCheck {
        min: f64,
    },
    TrafficCheckExcludesScrapes,
    RolloutHealthy {
        stable_image: String,
    },
    RolloutAborted {
        metric: String,
    },
    MetricPhase {
        metric: String,
        phase: String,
    },
    MeasurementsAtMost {
        metric: String,
        phase: String,
        max: u32,
    },
    /// The metric tolerates `min` failed measurements before it fails
    /// (Argo fails a metric when failed > failureLimit), so one bad
    /// measurement does not abort the rollout.
    FailureLimitAtLeast {
        metric: String,
        min: u32,
    },
}

/// A metric's final state in the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MetricFacts {
    pub phase: String,
    /// The phase of each measurement, in order.
    pub measurements: Vec<String>,
}

/// What lint and one simulation run established about the learner's files.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Facts {
    /// (file, code, is_error) of every diagnostic.
    pub diagnostics: Vec<(String, String, bool)>,
    /// Traffic metrics of the AnalysisTemplates: their lower bound, and
    /// whether their query leaves out Prometheus's own `/metrics` scrapes.
    pub traffic_metrics: Vec<TrafficMetric>,
    pub collector_running: bool,
    /// Traces Jaeger would show.
    pub jaeger_traces: u64,
    pub series: BTreeSet<String>,
    pub rollout_phase: String,
    pub stable_image: String,
    /// The analysis metric whose verdict aborted the rollout, if one did.
    pub aborted_by: Option<String>,
    pub metrics: BTreeMap<String, MetricFacts>,
    /// Each AnalysisTemplate metric's `failureLimit` as written (`None`
    /// when absent: Argo's default is 0).
    pub failure_limits: BTreeMap<String, Option<i64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrafficMetric {
    pub name: String,
    pub min_rate: Option<f64>,
    pub excludes_scrapes: bool,
}

/// The verdict on one objective, with the reason a learner can act on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub passed: bool,
    pub detail: String,
}

impl Check {
    /// Whether only a simulation run can decide this check; the others
    /// follow from lint alone and tick as the learner types.
    pub fn needs_run(&self) -> bool {
        !matches!(
            self,
            Check::NoLintErrors { .. }
                | Check::LintClear { .. }
                | Check::TrafficCheck { .. }
                | Check::TrafficCheckExcludesScrapes
                | Check::FailureLimitAtLeast { .. }
        )
    }

    pub fn judge(&self, facts: &Facts) -> Verdict {
        match self {
            Check::NoLintErrors { file } => {
                let errors: Vec<&str> = facts
                    .diagnostics
                    .iter()
                    .filter(|(f, _, is_error)| {
                        *is_error && file.as_ref().is_none_or(|want| want == f)
                    })
                    .map(|(_, code, _)| code.as_str())
                    .collect();
                verdict(
                    errors.is_empty(),
                    "no lint error".into(),
                    format!("lint errors: {}", errors.join(", ")),
                )
            }
            Check::LintClear { code } => {
                let hits = facts
                    .diagnostics
                    .iter()
                    .filter(|(_, c, _)| c == code)
                    .count();
                verdict(
                    hits == 0,
                    format!("{code} reports nothing"),
                    format!("{code} reports {hits} finding(s)"),
                )
            }
            Check::CollectorRunning => verdict(
                facts.collector_running,
                "the collector runs".into(),
                "the collector is not running".into(),
            ),
            Check::SpansReachJaeger => verdict(
                facts.jaeger_traces > 0,
                format!("Jaeger shows {} traces", facts.jaeger_traces),
                "no span reached Jaeger".into(),
            ),
            Check::SeriesExist { metric } => verdict(
                facts.series.contains(metric),
                format!("Prometheus has `{metric}`"),
                format!("Prometheus has no series named `{metric}`"),
            ),
            Check::TrafficCheck { min } => {
                let good = facts
                    .traffic_metrics
                    .iter()
                    .find(|m| m.min_rate.is_some_and(|rate| rate >= *min));
                match good {
                    Some(m) => verdict(
                        true,
                        format!("`{}` checks canary traffic", m.name),
                        String::new(),
                    ),
                    None => verdict(
                        false,
                        String::new(),
                        format!("no metric requires a canary request rate of at least {min}"),
                    ),
                }
            }
            Check::TrafficCheckExcludesScrapes => {
                let good = facts.traffic_metrics.iter().find(|m| m.excludes_scrapes);
                match good {
                    Some(m) => verdict(
                        true,
                        format!("`{}` counts only real requests", m.name),
                        String::new(),
                    ),
                    None => verdict(
                        false,
                        String::new(),
                        "no traffic metric leaves out Prometheus's own `/metrics` scrapes".into(),
                    ),
                }
            }
            Check::RolloutHealthy { stable_image } => verdict(
                facts.rollout_phase == "Healthy" && &facts.stable_image == stable_image,
                format!("the rollout is Healthy with {stable_image} stable"),
                format!(
                    "the rollout is {} with {} stable",
                    facts.rollout_phase, facts.stable_image
                ),
            ),
            Check::RolloutAborted { metric } => verdict(
                facts.aborted_by.as_deref() == Some(metric),
                format!("`{metric}` aborted the rollout"),
                match &facts.aborted_by {
                    Some(other) => format!("the rollout was aborted by `{other}`"),
                    None => format!(
                        "the rollout was not aborted (it is {})",
                        facts.rollout_phase
                    ),
                },
            ),
            Check::MetricPhase { metric, phase } => {
                let found = facts.metrics.get(metric).map(|m| m.phase.as_str());
                verdict(
                    found == Some(phase.as_str()),
                    format!("`{metric}` ended {phase}"),
                    match found {
                        Some(other) => format!("`{metric}` ended {other}"),
                        None => format!("`{metric}` was never measured"),
                    },
                )
            }
            Check::MeasurementsAtMost { metric, phase, max } => {
                let Some(m) = facts.metrics.get(metric) else {
                    return verdict(
                        false,
                        String::new(),
                        format!("`{metric}` was never measured"),
                    );
                };
                let reached = m.phase == *phase;
                let taken = m.measurements.len();
                verdict(
                    reached && taken <= *max as usize,
                    format!("`{metric}` reached {phase} after {taken} measurement(s)"),
                    if reached {
                        format!("`{metric}` took {taken} measurements to reach {phase}, more than {max}")
                    } else {
                        format!("`{metric}` ended {}, not {phase}", m.phase)
                    },
                )
            }
            Check::FailureLimitAtLeast { metric, min } => {
                failure_limit_verdict(facts, metric, *min)
            }
        }
    }
}

fn failure_limit_verdict(facts: &Facts, metric: &str, min: u32) -> Verdict {
    match facts.failure_limits.get(metric) {
        None => verdict(
            false,
            String::new(),
            format!("no metric is named `{metric}`"),
        ),
        Some(limit) => {
            let limit = limit.unwrap_or(0);
            verdict(
                limit >= i64::from(min),
                format!("`{metric}` tolerates {limit} failed measurement(s) before it fails"),
                format!(
                    "`{metric}` has failureLimit {limit}: {} failed measurement(s) fail it",
                    limit + 1
                ),
            )
        }
    }
}

fn verdict(passed: bool, if_passed: String, if_failed: String) -> Verdict {
    Verdict {
        passed,
        detail: if passed { if_passed } else { if_failed },
    }
}
