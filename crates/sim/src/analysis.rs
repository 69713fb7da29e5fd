//! AnalysisRuns (semantics.md §5): argument substitution, the measurement
//! schedule, the counters after each measurement, and the metric and run
//! phase assessment of Argo Rollouts v1.8.3, with its messages verbatim.

use std::collections::BTreeMap;

use canary_lab_lint::duration::parse_go_duration;
use serde::Serialize;

use crate::clock::Millis;
use crate::scenario::{MetricSpec, ProviderSpec};
use canary_lab_expr::MeasurementPhase;

/// `DefaultErrorRetryInterval`.
pub const ERROR_RETRY_MS: Millis = 10_000;
const DEFAULT_CONSECUTIVE_ERROR_LIMIT: i64 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AnalysisPhase {
    Pending,
    Running,
    Successful,
    Failed,
    Error,
    Inconclusive,
}

impl AnalysisPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            AnalysisPhase::Pending => "Pending",
            AnalysisPhase::Running => "Running",
            AnalysisPhase::Successful => "Successful",
            AnalysisPhase::Failed => "Failed",
            AnalysisPhase::Error => "Error",
            AnalysisPhase::Inconclusive => "Inconclusive",
        }
    }

    pub fn completed(self) -> bool {
        matches!(
            self,
            AnalysisPhase::Successful
                | AnalysisPhase::Failed
                | AnalysisPhase::Error
                | AnalysisPhase::Inconclusive
        )
    }

    /// Argo's order for "worst": Successful < Running < Pending < Inconclusive < Error < Failed.
    fn severity(self) -> u8 {
        match self {
            AnalysisPhase::Successful => 0,
            AnalysisPhase::Running => 1,
            AnalysisPhase::Pending => 2,
            AnalysisPhase::Inconclusive => 3,
            AnalysisPhase::Error => 4,
            AnalysisPhase::Failed => 5,
        }
    }
}

/// A metric with its arguments substituted and defaults applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResolvedMetric {
    pub name: String,
    pub interval_ms: Option<Millis>,
    pub initial_delay_ms: Millis,
    /// `None` runs indefinitely.
    pub count: Option<i64>,
    pub failure_limit: i64,
    pub inconclusive_limit: i64,
    pub consecutive_error_limit: i64,
    pub consecutive_success_limit: i64,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    pub provider: ProviderSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measurement {
    pub t_ms: Millis,
    pub phase: MeasurementPhase,
    pub value: Option<String>,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricRun {
    pub spec: ResolvedMetric,
    pub measurements: Vec<Measurement>,
    pub successful: i64,
    pub failed: i64,
    pub inconclusive: i64,
    pub error: i64,
    pub consecutive_error: i64,
    pub consecutive_success: i64,
    pub count: i64,
    pub phase: AnalysisPhase,
    /// The assessment reason (`failed (3) > failureLimit (2)`).
    pub reason: String,
}

impl MetricRun {
    pub fn new(spec: ResolvedMetric) -> Self {
        Self {
            spec,
            measurements: Vec::new(),
            successful: 0,
            failed: 0,
            inconclusive: 0,
            error: 0,
            consecutive_error: 0,
            consecutive_success: 0,
            count: 0,
            phase: AnalysisPhase::Pending,
            reason: String::new(),
        }
    }

    /// The metric's message: its last measurement's.
    pub fn message(&self) -> Option<&str> {
        self.measurements
            .last()
            .and_then(|m| m.message.as_deref())
            .filter(|m| !m.is_empty())
    }

    /// Records a finished measurement (the counters table of §5.6).
    pub fn record(&mut self, m: Measurement) {
        match m.phase {
            MeasurementPhase::Successful => {
                self.successful += 1;
                self.count += 1;
                self.consecutive_error = 0;
                self.consecutive_success += 1;
            }
            MeasurementPhase::Failed => {
                self.failed += 1;
                self.count += 1;
                self.consecutive_error = 0;
                self.consecutive_success = 0;
            }
            MeasurementPhase::Inconclusive => {
                self.inconclusive += 1;
                self.count += 1;
                self.consecutive_error = 0;
                self.consecutive_success = 0;
            }
            MeasurementPhase::Error => {
                self.error += 1;
                self.consecutive_error += 1;
                self.consecutive_success = 0;
            }
        }
        self.measurements.push(m);
    }

    /// When the next measurement is due, if one is.
    pub fn next_due_ms(&self, started_ms: Millis) -> Option<Millis> {
        if self.phase.completed() || self.spec.count.is_some_and(|c| self.count >= c) {
            return None;
        }
        match self.measurements.last() {
            None => Some(started_ms + self.spec.initial_delay_ms),
            Some(last) if last.phase == MeasurementPhase::Error => Some(last.t_ms + ERROR_RETRY_MS),
            Some(last) => self.spec.interval_ms.map(|i| last.t_ms + i),
        }
    }

    /// `assessMetricStatus`.
    pub fn assess(&mut self, terminating: bool) {
        let (phase, reason) = self.assessment(terminating);
        self.phase = phase;
        self.reason = reason;
    }

    fn assessment(&self, terminating: bool) -> (AnalysisPhase, String) {
        let s = &self.spec;
        if self.measurements.is_empty() {
            let phase = if terminating {
                AnalysisPhase::Successful
            } else {
                AnalysisPhase::Pending
            };
            return (phase, String::new());
        }
        let mut verdict = None;
        if s.failure_limit >= 0 && self.failed > s.failure_limit {
            verdict = Some((
                AnalysisPhase::Failed,
                format!(
                    "failed ({}) > failureLimit ({})",
                    self.failed, s.failure_limit
                ),
            ));
        }
        if self.inconclusive > s.inconclusive_limit {
            verdict = Some((
                AnalysisPhase::Inconclusive,
                format!(
                    "inconclusive ({}) > inconclusiveLimit ({})",
                    self.inconclusive, s.inconclusive_limit
                ),
            ));
        }
        if self.consecutive_error > s.consecutive_error_limit {
            verdict = Some((
                AnalysisPhase::Error,
                format!(
                    "consecutiveErrors ({}) > consecutiveErrorLimit ({})",
                    self.consecutive_error, s.consecutive_error_limit
                ),
            ));
        }
        if let Some(v) = verdict {
            return v;
        }
        if s.consecutive_success_limit > 0
            && self.consecutive_success >= s.consecutive_success_limit
        {
            return (
                AnalysisPhase::Successful,
                format!(
                    "consecutiveSuccessful ({}) >= consecutiveSuccessLimit ({})",
                    self.consecutive_success, s.consecutive_success_limit
                ),
            );
        }
        if s.count.is_some_and(|c| self.count >= c) {
            let phase = match (s.failure_limit >= 0, s.consecutive_success_limit > 0) {
                (true, true) => AnalysisPhase::Inconclusive,
                (false, true) => AnalysisPhase::Failed,
                _ => AnalysisPhase::Successful,
            };
            return (phase, format!("count ({}) reached", self.count));
        }
        let phase = if terminating {
            AnalysisPhase::Successful
        } else {
            AnalysisPhase::Running
        };
        (phase, String::new())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalysisRun {
    pub name: String,
    pub started_ms: Millis,
    pub args: Vec<(String, String)>,
    pub metrics: Vec<MetricRun>,
    pub phase: AnalysisPhase,
    pub message: String,
    pub terminating: bool,
    pub finished_ms: Option<Millis>,
}

impl AnalysisRun {
    /// A run that failed before measuring (`Analysis spec invalid: …`).
    pub fn errored(
        name: String,
        started_ms: Millis,
        args: Vec<(String, String)>,
        message: String,
    ) -> Self {
        Self {
            name,
            started_ms,
            args,
            metrics: Vec::new(),
            phase: AnalysisPhase::Error,
            message,
            terminating: true,
            finished_ms: Some(started_ms),
        }
    }

    pub fn running(
        name: String,
        started_ms: Millis,
        args: Vec<(String, String)>,
        metrics: Vec<ResolvedMetric>,
    ) -> Self {
        Self {
            name,
            started_ms,
            args,
            metrics: metrics.into_iter().map(MetricRun::new).collect(),
            phase: AnalysisPhase::Running,
            message: String::new(),
            terminating: false,
            finished_ms: None,
        }
    }

    /// `assessRunStatus`, after a measurement. Returns true when the run
    /// has just completed.
    pub fn assess(&mut self, now_ms: Millis) -> bool {
        if self.phase.completed() {
            return false;
        }
        let terminating = self.terminating;
        for m in &mut self.metrics {
            if !m.phase.completed() {
                m.assess(terminating);
            }
        }
        // A completed non-successful metric stops the others; Argo notices
        // on the next reconcile, which the status update triggers at once.
        if self.metrics.iter().any(|m| {
            matches!(
                m.phase,
                AnalysisPhase::Failed | AnalysisPhase::Error | AnalysisPhase::Inconclusive
            )
        }) {
            self.terminating = true;
            for m in &mut self.metrics {
                if !m.phase.completed() {
                    m.assess(true);
                }
            }
        }
        if !self.metrics.iter().all(|m| m.phase.completed()) {
            return false;
        }
        let worst = self.metrics.iter().max_by_key(|m| m.phase.severity());
        self.phase = worst.map_or(AnalysisPhase::Successful, |m| m.phase);
        self.message = match worst {
            Some(m) if m.phase != AnalysisPhase::Successful => {
                let mut message = format!(
                    "Metric \"{}\" assessed {} due to {}",
                    m.spec.name,
                    m.phase.as_str(),
                    m.reason
                );
                if let Some(msg) = m.message() {
                    message.push_str(&format!(": \"Error Message: {msg}\""));
                }
                message
            }
            _ => String::new(),
        };
        self.finished_ms = Some(now_ms);
        true
    }

    /// The rollout finished or aborted: the run ends with what it has.
    pub fn terminate(&mut self, now_ms: Millis) {
        if self.phase.completed() {
            return;
        }
        self.terminating = true;
        let worst = self
            .metrics
            .iter()
            .filter(|m| m.phase.completed())
            .map(|m| m.phase)
            .max_by_key(|p| p.severity());
        for m in &mut self.metrics {
            if !m.phase.completed() {
                m.assess(true);
            }
        }
        self.phase = worst.unwrap_or(AnalysisPhase::Successful);
        self.message = "Run Terminated".into();
        self.finished_ms = Some(now_ms);
    }
}

/// `{{ args.name }}` substitution through fasttemplate: values are
/// JSON-escaped; any other tag is `failed to resolve {{…}}`.
pub fn substitute(text: &str, args: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let tag = &rest[start..start + len + 2];
        let inner = tag[2..tag.len() - 2].trim();
        match inner.strip_prefix("args.").and_then(|n| args.get(n)) {
            Some(value) => out.push_str(&json_escape(value)),
            None => return Err(format!("failed to resolve {tag}")),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn json_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Substitutes every field of a metric and applies the defaults of §5.1.
pub fn resolve_metric(
    index: usize,
    m: &MetricSpec,
    args: &BTreeMap<String, String>,
) -> Result<ResolvedMetric, String> {
    let sub = |v: &Option<String>| v.as_ref().map(|t| substitute(t, args)).transpose();
    let arg_error = |e: String| format!("Unable to resolve metric arguments: {e}");
    let int = |field: &str, v: Option<String>, default: i64| -> Result<i64, String> {
        match v {
            None => Ok(default),
            Some(t) => t.trim().parse::<i64>().map_err(|_| {
                format!("Analysis spec invalid: metrics[{index}]: invalid {field} \"{t}\"")
            }),
        }
    };
    let duration = |field: &str, v: Option<String>| -> Result<Option<Millis>, String> {
        v.map(|t| {
            parse_go_duration(t.trim())
                .map(|d| d.as_millis() as Millis)
                .map_err(|e| {
                    format!("Analysis spec invalid: metrics[{index}]: invalid {field} string: {e}")
                })
        })
        .transpose()
    };
    let interval_ms = duration("interval", sub(&m.interval).map_err(arg_error)?)?;
    let initial_delay_ms =
        duration("initialDelay", sub(&m.initial_delay).map_err(arg_error)?)?.unwrap_or(0);
    let count = int("count", sub(&m.count).map_err(arg_error)?, 0)?;
    let provider = match &m.provider {
        ProviderSpec::Prometheus { address, query } => ProviderSpec::Prometheus {
            address: sub(address).map_err(arg_error)?,
            query: sub(query).map_err(arg_error)?,
        },
        other => other.clone(),
    };
    let resolved = ResolvedMetric {
        name: m.name.clone(),
        interval_ms,
        initial_delay_ms,
        count: match (count, interval_ms) {
            (c, _) if c > 0 => Some(c),
            (_, None) => Some(1),
            (_, Some(_)) => None,
        },
        failure_limit: int("failureLimit", sub(&m.failure_limit).map_err(arg_error)?, 0)?,
        inconclusive_limit: int(
            "inconclusiveLimit",
            sub(&m.inconclusive_limit).map_err(arg_error)?,
            0,
        )?,
        consecutive_error_limit: int(
            "consecutiveErrorLimit",
            sub(&m.consecutive_error_limit).map_err(arg_error)?,
            DEFAULT_CONSECUTIVE_ERROR_LIMIT,
        )?,
        consecutive_success_limit: int(
            "consecutiveSuccessLimit",
            sub(&m.consecutive_success_limit).map_err(arg_error)?,
            0,
        )?,
        success_condition: sub(&m.success_condition).map_err(arg_error)?,
        failure_condition: sub(&m.failure_condition).map_err(arg_error)?,
        provider,
    };
    validate(index, &resolved)?;
    Ok(resolved)
}

/// The spec checks of §5.2 that concern one metric.
fn validate(i: usize, m: &ResolvedMetric) -> Result<(), String> {
    let invalid = |e: String| Err(format!("Analysis spec invalid: {e}"));
    if m.count.is_some_and(|c| c > 1) && m.interval_ms.is_none() {
        return invalid(format!(
            "metrics[{i}]: interval must be specified when count > 1"
        ));
    }
    if m.failure_limit < -1 {
        return invalid("failureLimit must be >= 0, or -1 to be disabled".into());
    }
    if m.failure_limit == -1 && m.consecutive_success_limit <= 0 {
        return invalid("failureLimit and consecutiveSuccessLimit cannot both be disabled".into());
    }
    if m.consecutive_error_limit < 0 {
        return invalid("consecutiveErrorLimit must be >= 0".into());
    }
    if let Some(c) = m.count {
        if m.failure_limit >= 0
            && m.consecutive_success_limit > 0
            && c < m.failure_limit + m.consecutive_success_limit
        {
            return invalid(format!(
                "count ({c}) must be >= failureLimit + consecutiveSuccessLimit ({} + {}) if both >= 0",
                m.failure_limit, m.consecutive_success_limit
            ));
        }
        if c < m.inconclusive_limit {
            return invalid("count must be >= inconclusiveLimit".into());
        }
    }
    match m.provider {
        ProviderSpec::Missing => invalid(format!("metrics[{i}]: no provider specified")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(count: i64, failure_limit: i64, consecutive_error_limit: i64) -> ResolvedMetric {
        ResolvedMetric {
            name: "latency-p95-lt-1s".into(),
            interval_ms: Some(10_000),
            initial_delay_ms: 90_000,
            count: Some(count),
            failure_limit,
            inconclusive_limit: 3,
            consecutive_error_limit,
            consecutive_success_limit: 0,
            success_condition: Some("result[0] < 1000".into()),
            failure_condition: None,
            provider: ProviderSpec::Missing,
        }
    }

    fn m(t_ms: Millis, phase: MeasurementPhase) -> Measurement {
        let message = (phase == MeasurementPhase::Error)
            .then(|| "reflect: slice index out of range".to_string());
        Measurement {
            t_ms,
            phase,
            value: None,
            message,
        }
    }

    #[test]
    fn three_errors_over_limit_two_fail_the_run_with_argos_message() {
        let mut run = AnalysisRun::running("r".into(), 0, vec![], vec![metric(3, 2, 2)]);
        for t in [90_000, 100_000, 110_000] {
            assert_eq!(run.metrics[0].next_due_ms(0), Some(t));
            run.metrics[0].record(m(t, MeasurementPhase::Error));
            run.assess(t);
        }
        assert_eq!(run.phase, AnalysisPhase::Error);
        assert_eq!(
            run.message,
            "Metric \"latency-p95-lt-1s\" assessed Error due to consecutiveErrors (3) > consecutiveErrorLimit (2): \"Error Message: reflect: slice index out of range\""
        );
    }

    #[test]
    fn errors_do_not_count_and_successes_reset_them() {
        let mut mr = MetricRun::new(metric(3, 2, 2));
        mr.record(m(0, MeasurementPhase::Error));
        mr.record(m(10, MeasurementPhase::Successful));
        assert_eq!((mr.count, mr.consecutive_error), (1, 0));
        assert_eq!(mr.next_due_ms(0), Some(10_010));
    }

    #[test]
    fn failures_within_the_limit_still_pass_at_count() {
        let mut run = AnalysisRun::running("r".into(), 0, vec![], vec![metric(3, 2, 2)]);
        for (t, p) in [
            (1, MeasurementPhase::Failed),
            (2, MeasurementPhase::Successful),
            (3, MeasurementPhase::Successful),
        ] {
            run.metrics[0].record(m(t, p));
            run.assess(t);
        }
        assert_eq!(run.phase, AnalysisPhase::Successful);
        assert_eq!(run.message, "");
    }

    #[test]
    fn a_failed_metric_terminates_the_others() {
        let mut run = AnalysisRun::running(
            "r".into(),
            0,
            vec![],
            vec![metric(1, 0, 2), metric(5, 0, 2)],
        );
        run.metrics[0].record(m(1, MeasurementPhase::Failed));
        assert!(run.assess(1));
        assert_eq!(run.phase, AnalysisPhase::Failed);
        assert_eq!(run.metrics[1].phase, AnalysisPhase::Successful);
        assert_eq!(
            run.message,
            "Metric \"latency-p95-lt-1s\" assessed Failed due to failed (1) > failureLimit (0)"
        );
    }

    #[test]
    fn substitution_follows_argo() {
        let args = BTreeMap::from([("ns".to_string(), "a\"b".to_string())]);
        assert_eq!(
            substitute("x{n=\"{{ args.ns }}\"}", &args).unwrap(),
            "x{n=\"a\\\"b\"}"
        );
        assert_eq!(
            substitute("{{args.nope}}", &args).unwrap_err(),
            "failed to resolve {{args.nope}}"
        );
    }
}
