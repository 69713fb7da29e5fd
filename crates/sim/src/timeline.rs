//! The simulation's output as data: a list of typed, timestamped events.

use serde::Serialize;

use crate::clock::Millis;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    Scenario,
    Rollout,
    ReplicaSet,
    Pod,
    Traffic,
    Hotrod,
    Collector,
    Jaeger,
    Prometheus,
    Analysis,
}

/// Why a query returned nothing (or NaN), and who should have produced it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The selector (after argument substitution) that selects nothing.
    pub selector: Option<String>,
    /// The matcher whose removal makes the selector match, if one does.
    pub matcher: Option<String>,
    pub reason: String,
    /// The lint rule that predicts this, when one does.
    pub lint_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    ScenarioProblem,
    RevisionStarted {
        revision: u32,
        stable_image: String,
        canary_image: String,
    },
    ReplicaSetScaled {
        replica_set: String,
        image: String,
        from: u32,
        to: u32,
    },
    PodCreated {
        pod: String,
        image: String,
    },
    PodReady {
        pod: String,
    },
    PodDeleted {
        pod: String,
    },
    TrafficStarted {
        replicas: u32,
    },
    RequestFailed {
        reason: String,
    },
    CollectorStarted,
    CollectorCrashLoop {
        restarts: u32,
        message: String,
    },
    ExportFailing {
        reason: String,
    },
    SpanMetricsFlush {
        connector: String,
        series: usize,
    },
    ScrapeFailed {
        target: String,
        reason: String,
    },
    ScrapeRecovered {
        target: String,
    },
    StepCompleted {
        index: usize,
        total: usize,
        step: String,
    },
    PauseStarted {
        duration_s: Option<u64>,
    },
    AnalysisRunStarted {
        run: String,
        args: Vec<(String, String)>,
    },
    Measurement {
        run: String,
        metric: String,
        query: Option<String>,
        value: Option<String>,
        condition: Option<String>,
        phase: String,
        message: Option<String>,
        explanations: Vec<Explanation>,
    },
    MetricCompleted {
        run: String,
        metric: String,
        phase: String,
    },
    AnalysisRunCompleted {
        run: String,
        phase: String,
        message: String,
    },
    RolloutAborted {
        message: String,
    },
    RolloutPaused {
        reason: String,
    },
    RolloutPromoted {
        stable_image: String,
    },
    RolloutHealthy,
    RolloutInvalid {
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub t_ms: Millis,
    pub component: Component,
    pub kind: EventKind,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct Timeline {
    events: Vec<Event>,
}

impl Timeline {
    pub fn push(
        &mut self,
        t_ms: Millis,
        component: Component,
        kind: EventKind,
        message: impl Into<String>,
    ) {
        self.events.push(Event {
            t_ms,
            component,
            kind,
            message: message.into(),
        });
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn into_events(self) -> Vec<Event> {
        self.events
    }
}
