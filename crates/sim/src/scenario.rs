//! The resolved, runtime view of a learner's manifests: every default
//! applied, every reference followed. Built by [`crate::adapter`] from
//! lint's span-carrying model; the simulation reads nothing else.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clock::Millis;

/// Everything the simulation needs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scenario {
    /// `None` when the manifests hold no Rollout (nothing to roll out).
    pub rollout: Option<RolloutSpec>,
    pub templates: Vec<AnalysisTemplateSpec>,
    pub services: Vec<ServiceSpec>,
    pub collector: Option<CollectorSpec>,
    pub traffic: TrafficSpec,
    /// Behaviour per image tag (e.g. `1.76.0`); unlisted tags behave like HotROD.
    pub versions: BTreeMap<String, VersionBehaviour>,
    pub timings: PodTimings,
    pub prometheus: PrometheusSpec,
    /// Problems met while resolving (reported as events at t=0).
    pub problems: Vec<String>,
}

/// How an image version differs from the real HotROD (which never fails).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct VersionBehaviour {
    /// Probability that a `/dispatch` answers 500 (server span status Error).
    pub error_rate: f64,
    /// Added to the MySQL query of every `/dispatch`.
    pub latency_shift_ms: f64,
    /// Multiplies every simulated delay.
    pub latency_factor: f64,
}

impl Default for VersionBehaviour {
    fn default() -> Self {
        Self {
            error_rate: 0.0,
            latency_shift_ms: 0.0,
            latency_factor: 1.0,
        }
    }
}

/// Pod start-up on the (single) kind node.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PodTimings {
    /// Pulling an image the node does not have yet.
    pub image_pull_ms: Millis,
    /// Container start until the pod is Running and Ready.
    pub container_start_ms: Millis,
    /// Argo Rollouts' reaction to a pod becoming ready.
    pub controller_delay_ms: Millis,
}

impl Default for PodTimings {
    fn default() -> Self {
        Self {
            image_pull_ms: 25_000,
            container_start_ms: 5_000,
            controller_delay_ms: 100,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrometheusSpec {
    pub scrape_interval_ms: Millis,
    /// Kubernetes SD → scrape manager reload.
    pub discovery_delay_ms: Millis,
    /// Hosts that reach the Prometheus server.
    pub hosts: Vec<String>,
}

impl Default for PrometheusSpec {
    fn default() -> Self {
        Self {
            scrape_interval_ms: 10_000,
            discovery_delay_ms: 5_000,
            hosts: vec![
                "prometheus-server.prometheus.svc.cluster.local".into(),
                "prometheus-server.prometheus.svc".into(),
                "prometheus-server.prometheus".into(),
            ],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrafficSpec {
    /// Replicas of the generator Deployment (0 = no user traffic).
    pub replicas: u32,
    pub initial_sleep_ms: Millis,
    pub pause_ms: Millis,
    /// `date`, `case`, process start of curl in a 20m-CPU container.
    pub loop_overhead_ms: Millis,
    /// `host[:port]` the generator calls.
    pub target_host: String,
    pub target_port: u32,
}

impl Default for TrafficSpec {
    fn default() -> Self {
        Self {
            replicas: 0,
            initial_sleep_ms: 10_000,
            pause_ms: 500,
            loop_overhead_ms: 20,
            target_host: "hotrod.hotrod.svc.cluster.local".into(),
            target_port: 8080,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServicePortSpec {
    pub port: u32,
    pub target_port: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceSpec {
    pub name: String,
    pub namespace: String,
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePortSpec>,
}

impl ServiceSpec {
    pub fn target_port(&self, port: u32) -> Option<u32> {
        self.ports
            .iter()
            .find(|p| p.port == port)
            .map(|p| p.target_port)
    }
}

/// A container env var as written; `$(VAR)` is expanded per pod.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum EnvValue {
    Literal(String),
    FieldRef(String),
    Unsupported(String),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PodSpec {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub image: String,
    pub env: Vec<(String, EnvValue)>,
    pub container_ports: Vec<u32>,
}

impl PodSpec {
    pub fn scraped(&self) -> bool {
        self.annotations
            .get("prometheus.io/scrape")
            .map(String::as_str)
            == Some("true")
    }

    /// `prometheus.io/port` and `prometheus.io/path` (default `/metrics`).
    pub fn scrape_port_path(&self) -> Option<(u32, String)> {
        let port = self
            .annotations
            .get("prometheus.io/port")?
            .trim()
            .parse()
            .ok()?;
        let path = self
            .annotations
            .get("prometheus.io/path")
            .cloned()
            .unwrap_or_else(|| "/metrics".into());
        Some((port, path))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ArgSource {
    Value(String),
    FieldRef(String),
    PodTemplateHash(String),
    Unsupported(String),
    Missing,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalysisRef {
    pub templates: Vec<(String, bool)>,
    pub args: Vec<(String, ArgSource)>,
    pub starting_step: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StepSpec {
    SetWeight(i64),
    Pause { duration_ms: Option<Millis> },
    Analysis(AnalysisRef),
    Unsupported(String),
}

impl StepSpec {
    /// How Argo names the step in "Rollout step i/n completed (...)".
    pub fn describe(&self) -> String {
        match self {
            StepSpec::SetWeight(w) => format!("setWeight: {w}"),
            StepSpec::Pause {
                duration_ms: Some(d),
            } => format!("pause: {}s", d / 1000),
            StepSpec::Pause { duration_ms: None } => "pause".into(),
            StepSpec::Analysis(_) => "analysis".into(),
            StepSpec::Unsupported(k) => k.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RolloutSpec {
    pub name: String,
    pub namespace: String,
    pub replicas: u32,
    pub pod: PodSpec,
    pub steps: Vec<StepSpec>,
    pub background: Option<AnalysisRef>,
    pub max_surge: u32,
    pub max_unavailable: u32,
    /// `InvalidSpec` message, when validation fails.
    pub invalid: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateArgSpec {
    pub name: String,
    pub default: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ProviderSpec {
    Prometheus {
        address: Option<String>,
        query: Option<String>,
    },
    Unsupported(String),
    Missing,
}

/// One metric, with its fields still as text: `{{args.x}}` may appear in
/// any of them and is substituted when the run is created.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricSpec {
    pub name: String,
    pub interval: Option<String>,
    pub initial_delay: Option<String>,
    pub count: Option<String>,
    pub failure_limit: Option<String>,
    pub inconclusive_limit: Option<String>,
    pub consecutive_error_limit: Option<String>,
    pub consecutive_success_limit: Option<String>,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    pub provider: ProviderSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalysisTemplateSpec {
    pub name: String,
    pub namespace: String,
    pub cluster_scoped: bool,
    pub args: Vec<TemplateArgSpec>,
    pub metrics: Vec<MetricSpec>,
}

/// Where the OTLP receivers listen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OtlpProtocol {
    Grpc,
    Http,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OtlpListenerSpec {
    pub receiver: String,
    pub protocol: OtlpProtocol,
    pub host: String,
    pub port: u32,
    /// Connectors (indexes into `spanmetrics`) its traces reach.
    pub spanmetrics: Vec<usize>,
    /// Its traces reach an OTLP exporter (Jaeger).
    pub jaeger: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DimensionSpec {
    pub name: String,
    pub default: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpanMetricsSpec {
    pub id: String,
    pub namespace: String,
    /// `ms` or `s`.
    pub unit_seconds: bool,
    /// Bucket bounds in the histogram's unit.
    pub buckets: Vec<f64>,
    pub histogram_disabled: bool,
    pub dimensions: Vec<DimensionSpec>,
    pub exclude_dimensions: Vec<String>,
    pub flush_interval_ms: Millis,
    /// Prometheus exporters (indexes) its output reaches.
    pub exporters: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrometheusExporterSpec {
    pub id: String,
    pub host: String,
    pub port: Option<u32>,
    pub namespace: String,
    pub const_labels: BTreeMap<String, String>,
    pub metric_expiration_ms: Millis,
    pub add_metric_suffixes: bool,
    pub resource_to_telemetry: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StartupFailure {
    pub message: String,
    pub lint_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CollectorSpec {
    pub name: String,
    pub namespace: String,
    pub pod: PodSpec,
    pub startup_error: Option<StartupFailure>,
    pub listeners: Vec<OtlpListenerSpec>,
    pub spanmetrics: Vec<SpanMetricsSpec>,
    pub exporters: Vec<PrometheusExporterSpec>,
}

/// spanmetrics' default explicit buckets, in milliseconds.
pub const DEFAULT_BUCKETS_MS: [f64; 16] = [
    2.0, 4.0, 6.0, 8.0, 10.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1000.0, 1400.0, 2000.0, 5000.0,
    10000.0, 15000.0,
];
