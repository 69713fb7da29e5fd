//! Component types known to collector-contrib 0.142, the signals they
//! support, and the config keys of the components we model in detail.
//!
//! The type lists cover the common contrib components, not all ~250; an
//! unlisted type is reported as unknown, which is the safe mistake for a
//! teaching tool (the learner sees the list of valid types).

use crate::model::{ComponentKind, Signal};

/// Known types per kind, sorted (they are printed in "valid values").
pub fn known_types(kind: ComponentKind) -> &'static [&'static str] {
    match kind {
        ComponentKind::Receiver => &[
            "awsxray",
            "carbon",
            "collectd",
            "docker_stats",
            "filelog",
            "fluentforward",
            "githubreceiver",
            "hostmetrics",
            "httpcheck",
            "jaeger",
            "journald",
            "k8s_cluster",
            "k8s_events",
            "k8sobjects",
            "kafka",
            "kafkametrics",
            "kubeletstats",
            "nop",
            "opencensus",
            "otlp",
            "otlpjsonfile",
            "prometheus",
            "prometheus_simple",
            "receiver_creator",
            "redis",
            "skywalking",
            "statsd",
            "syslog",
            "tcplog",
            "udplog",
            "zipkin",
        ],
        ComponentKind::Processor => &[
            "attributes",
            "batch",
            "cumulativetodelta",
            "deltatocumulative",
            "filter",
            "groupbyattrs",
            "groupbytrace",
            "k8sattributes",
            "memory_limiter",
            "metricstransform",
            "probabilistic_sampler",
            "redaction",
            "resource",
            "resourcedetection",
            "routing",
            "span",
            "tail_sampling",
            "transform",
        ],
        ComponentKind::Exporter => &[
            "awsxray",
            "clickhouse",
            "datadog",
            "debug",
            "elasticsearch",
            "file",
            "googlecloud",
            "kafka",
            "loadbalancing",
            "loki",
            "nop",
            "otlp",
            "otlphttp",
            "prometheus",
            "prometheusremotewrite",
            "splunk_hec",
            "zipkin",
        ],
        ComponentKind::Connector => &[
            "count",
            "exceptions",
            "failover",
            "forward",
            "grafanacloud",
            "roundrobin",
            "routing",
            "servicegraph",
            "signaltometrics",
            "spanmetrics",
            "sum",
        ],
        ComponentKind::Extension => &[
            "basicauth",
            "bearertokenauth",
            "file_storage",
            "headers_setter",
            "health_check",
            "healthcheckv2",
            "memory_ballast",
            "oauth2client",
            "oidc",
            "pprof",
            "sigv4auth",
            "zpages",
        ],
    }
}

/// Signals a receiver/processor/exporter type supports; `None` = all (or unknown to us).
pub fn supported_signals(kind: ComponentKind, type_name: &str) -> Option<&'static [Signal]> {
    use Signal::*;
    let signals: &'static [Signal] = match (kind, type_name) {
        (ComponentKind::Exporter, "prometheus" | "prometheusremotewrite") => &[Metrics],
        (ComponentKind::Exporter, "zipkin" | "awsxray") => &[Traces],
        (ComponentKind::Exporter, "loki") => &[Logs],
        (ComponentKind::Exporter, "otlp" | "otlphttp" | "file" | "kafka" | "elasticsearch") => {
            &[Traces, Metrics, Logs]
        }
        (
            ComponentKind::Receiver,
            "prometheus" | "prometheus_simple" | "hostmetrics" | "kubeletstats" | "statsd"
            | "k8s_cluster" | "httpcheck" | "redis" | "docker_stats" | "carbon" | "collectd"
            | "kafkametrics",
        ) => &[Metrics],
        (ComponentKind::Receiver, "jaeger" | "zipkin" | "skywalking" | "awsxray") => &[Traces],
        (
            ComponentKind::Receiver,
            "filelog" | "journald" | "syslog" | "tcplog" | "udplog" | "k8s_events" | "k8sobjects"
            | "fluentforward",
        ) => &[Logs],
        (ComponentKind::Receiver, "otlp") => &[Traces, Metrics, Logs],
        _ => return None,
    };
    Some(signals)
}

/// Whether a connector type accepts data of `from` and emits `to`; `None`
/// when we do not model that connector (then any pair is accepted).
pub fn connector_supports(type_name: &str, from: Signal, to: Signal) -> Option<bool> {
    use Signal::*;
    let ok = match type_name {
        "spanmetrics" | "servicegraph" => from == Traces && to == Metrics,
        "exceptions" => from == Traces && matches!(to, Metrics | Logs),
        "count" | "sum" | "signaltometrics" => to == Metrics && from != Profiles,
        "forward" | "routing" | "roundrobin" | "failover" => from == to,
        _ => return None,
    };
    Some(ok)
}

/// A config schema: which keys a mapping accepts, recursively.
#[derive(Debug)]
pub enum Schema {
    /// Anything (not modelled further).
    Any,
    Map(&'static [(&'static str, Schema)]),
}

use Schema::{Any, Map};

const TLS_CLIENT: Schema = Map(&[
    ("insecure", Any),
    ("insecure_skip_verify", Any),
    ("ca_file", Any),
    ("ca_pem", Any),
    ("cert_file", Any),
    ("cert_pem", Any),
    ("key_file", Any),
    ("key_pem", Any),
    ("server_name_override", Any),
    ("min_version", Any),
    ("max_version", Any),
    ("include_system_ca_certs_pool", Any),
    ("reload_interval", Any),
    ("cipher_suites", Any),
    ("curve_preferences", Any),
]);

const GRPC_SERVER: Schema = Map(&[
    ("endpoint", Any),
    ("transport", Any),
    ("tls", Any),
    ("max_recv_msg_size_mib", Any),
    ("max_concurrent_streams", Any),
    ("read_buffer_size", Any),
    ("write_buffer_size", Any),
    ("keepalive", Any),
    ("include_metadata", Any),
    ("auth", Any),
]);

const HTTP_SERVER: Schema = Map(&[
    ("endpoint", Any),
    ("tls", Any),
    ("cors", Any),
    ("auth", Any),
    ("max_request_body_size", Any),
    ("include_metadata", Any),
    ("response_headers", Any),
    ("compression_algorithms", Any),
    ("read_timeout", Any),
    ("read_header_timeout", Any),
    ("write_timeout", Any),
    ("idle_timeout", Any),
    ("keep_alives_enabled", Any),
    ("traces_url_path", Any),
    ("metrics_url_path", Any),
    ("logs_url_path", Any),
]);

const OTLP_RECEIVER: Schema = Map(&[(
    "protocols",
    Map(&[("grpc", GRPC_SERVER), ("http", HTTP_SERVER)]),
)]);

const SPANMETRICS: Schema = Map(&[
    (
        "histogram",
        Map(&[
            ("unit", Any),
            ("disable", Any),
            ("dimensions", Any),
            ("explicit", Map(&[("buckets", Any)])),
            ("exponential", Map(&[("max_size", Any)])),
        ]),
    ),
    ("dimensions", Any),
    ("calls_dimensions", Any),
    ("exclude_dimensions", Any),
    ("dimensions_cache_size", Any),
    ("aggregation_cardinality_limit", Any),
    ("resource_metrics_cache_size", Any),
    ("resource_metrics_key_attributes", Any),
    ("aggregation_temporality", Any),
    ("metrics_flush_interval", Any),
    ("metrics_expiration", Any),
    ("metric_timestamp_cache_size", Any),
    ("namespace", Any),
    (
        "exemplars",
        Map(&[("enabled", Any), ("max_per_data_point", Any)]),
    ),
    ("events", Map(&[("enabled", Any), ("dimensions", Any)])),
    ("include_instrumentation_scope", Any),
    ("add_resource_attributes", Any),
]);

const PROMETHEUS_EXPORTER: Schema = Map(&[
    ("endpoint", Any),
    ("tls", Any),
    ("cors", Any),
    ("auth", Any),
    ("namespace", Any),
    ("const_labels", Any),
    ("send_timestamps", Any),
    ("metric_expiration", Any),
    ("resource_to_telemetry_conversion", Map(&[("enabled", Any)])),
    ("enable_open_metrics", Any),
    ("add_metric_suffixes", Any),
    ("translation_strategy", Any),
    ("without_scope_info", Any),
    ("read_header_timeout", Any),
]);

const OTLP_EXPORTER: Schema = Map(&[
    ("endpoint", Any),
    ("tls", TLS_CLIENT),
    ("compression", Any),
    ("timeout", Any),
    ("headers", Any),
    ("balancer_name", Any),
    ("authority", Any),
    ("auth", Any),
    ("keepalive", Any),
    ("read_buffer_size", Any),
    ("write_buffer_size", Any),
    ("wait_for_ready", Any),
    ("sending_queue", Any),
    ("retry_on_failure", Any),
]);

const DEBUG_EXPORTER: Schema = Map(&[
    ("verbosity", Any),
    ("sampling_initial", Any),
    ("sampling_thereafter", Any),
    ("use_internal_logger", Any),
    ("sending_queue", Any),
]);

const BATCH: Schema = Map(&[
    ("timeout", Any),
    ("send_batch_size", Any),
    ("send_batch_max_size", Any),
    ("metadata_keys", Any),
    ("metadata_cardinality_limit", Any),
]);

const MEMORY_LIMITER: Schema = Map(&[
    ("check_interval", Any),
    ("limit_mib", Any),
    ("spike_limit_mib", Any),
    ("limit_percentage", Any),
    ("spike_limit_percentage", Any),
    ("min_gc_interval_when_soft_limited", Any),
    ("min_gc_interval_when_hard_limited", Any),
]);

const HEALTH_CHECK: Schema = Map(&[
    ("endpoint", Any),
    ("path", Any),
    ("tls", Any),
    ("cors", Any),
    ("auth", Any),
    ("response_body", Any),
    ("check_collector_pipeline", Any),
    ("response_headers", Any),
]);

/// The schema of a component we model in detail.
pub fn component_schema(kind: ComponentKind, type_name: &str) -> Option<&'static Schema> {
    let schema = match (kind, type_name) {
        (ComponentKind::Receiver, "otlp") => &OTLP_RECEIVER,
        (ComponentKind::Connector, "spanmetrics") => &SPANMETRICS,
        (ComponentKind::Exporter, "prometheus") => &PROMETHEUS_EXPORTER,
        (ComponentKind::Exporter, "otlp") => &OTLP_EXPORTER,
        (ComponentKind::Exporter, "debug") => &DEBUG_EXPORTER,
        (ComponentKind::Processor, "batch") => &BATCH,
        (ComponentKind::Processor, "memory_limiter") => &MEMORY_LIMITER,
        (ComponentKind::Extension, "health_check") => &HEALTH_CHECK,
        _ => return None,
    };
    Some(schema)
}
