//! Lint's model ("as written, with spans") → the runtime [`Scenario`]
//! ("resolved, with defaults"). The collector's fate comes from
//! `canary_lab_lint::collector_startup_error`, so lint and simulation can
//! never disagree about whether it starts.

use std::collections::BTreeMap;
use std::time::Duration;

use canary_lab_lint::collector::flow::{
    exporters_reached_from, otlp_listeners, split_host_port, OtlpProtocol as LintProtocol,
};
use canary_lab_lint::collector::settings::{
    PrometheusExporterSettings, SpanMetricsSettings, SPANMETRICS_DEFAULT_FLUSH,
};
use canary_lab_lint::collector::{startup_findings, Check};
use canary_lab_lint::model::{
    AnalysisTemplate, ArgValue, CollectorConfig, CollectorSource, ComponentKind, EnvSource,
    IntOrString, PodTemplate, Rollout, RolloutAnalysis, Signal, Spanned, StepKind, Workload,
    WorkloadKind,
};
use canary_lab_lint::naming::HistogramUnit;
use canary_lab_lint::yaml::Node;
use canary_lab_lint::{collector_startup_error, Workspace};

use crate::clock::Millis;
use crate::scenario::*;

/// Loopback hosts no other pod can reach.
pub fn is_loopback(host: &str) -> bool {
    canary_lab_lint::collector::flow::is_loopback(host)
}

impl Scenario {
    /// Resolves a parsed workspace. Never fails: what cannot be resolved
    /// becomes a problem (an event at t=0) or an invalid-spec outcome.
    pub fn from_workspace(ws: &Workspace) -> Scenario {
        let mut scenario = Scenario {
            templates: ws.analysis_templates.iter().map(template).collect(),
            services: ws.services.iter().map(service).collect(),
            ..Scenario::default()
        };
        scenario.rollout = ws
            .rollouts
            .iter()
            .find(|r| r.canary.is_some())
            .or(ws.rollouts.first())
            .map(|r| rollout(r, ws));
        if ws.rollouts.is_empty() {
            scenario
                .problems
                .push("no Rollout in these manifests: nothing to roll out".into());
        }
        scenario.collector = collector(ws, &mut scenario.problems);
        scenario.traffic = traffic(ws);
        scenario
    }
}

fn string_map(map: &BTreeMap<String, Spanned<String>>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect()
}

fn pod_spec(t: &PodTemplate) -> PodSpec {
    let container = t.containers.first();
    PodSpec {
        labels: string_map(&t.labels),
        annotations: string_map(&t.annotations),
        image: container
            .and_then(|c| c.image.as_ref())
            .map(|i| i.value.clone())
            .unwrap_or_default(),
        env: container
            .map(|c| {
                c.env
                    .iter()
                    .map(|e| {
                        let value = match (&e.value, &e.value_from) {
                            (_, Some(EnvSource::FieldRef(path))) => {
                                EnvValue::FieldRef(path.value.clone())
                            }
                            (_, Some(EnvSource::Other(kind))) => {
                                EnvValue::Unsupported(kind.value.clone())
                            }
                            (Some(v), None) => EnvValue::Literal(v.value.clone()),
                            (None, None) => EnvValue::Literal(String::new()),
                        };
                        (e.name.value.clone(), value)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        container_ports: t
            .containers
            .iter()
            .flat_map(|c| &c.ports)
            .filter_map(|p| p.container_port.as_ref().map(|p| p.value))
            .collect(),
    }
}

fn service(s: &canary_lab_lint::model::Service) -> ServiceSpec {
    ServiceSpec {
        name: s.meta.name.value.clone(),
        namespace: s.meta.namespace.clone(),
        selector: string_map(&s.selector),
        ports: s
            .ports
            .iter()
            .filter_map(|p| {
                let port = p.port.as_ref()?.value;
                let target_port = match p.target_port.as_ref().map(|t| &t.value) {
                    None => port,
                    Some(IntOrString::Int(i)) => u32::try_from(*i).ok()?,
                    Some(IntOrString::String(s)) => s.trim().parse().ok()?,
                };
                Some(ServicePortSpec { port, target_port })
            })
            .collect(),
    }
}

fn analysis_ref(a: &RolloutAnalysis) -> AnalysisRef {
    AnalysisRef {
        templates: a
            .templates
            .iter()
            .map(|t| (t.name.value.clone(), t.cluster_scope))
            .collect(),
        args: a
            .args
            .iter()
            .map(|arg| {
                let source = match &arg.value {
                    ArgValue::Value(v) => ArgSource::Value(v.value.clone()),
                    ArgValue::FieldRef(p) => ArgSource::FieldRef(p.value.clone()),
                    ArgValue::PodTemplateHash(h) => ArgSource::PodTemplateHash(h.value.clone()),
                    ArgValue::Other(o) => ArgSource::Unsupported(o.value.clone()),
                    ArgValue::Missing => ArgSource::Missing,
                };
                (arg.name.value.clone(), source)
            })
            .collect(),
        starting_step: a
            .starting_step
            .as_ref()
            .map_or(0, |s| usize::try_from(s.value).unwrap_or(0)),
    }
}

fn rollout(r: &Rollout, ws: &Workspace) -> RolloutSpec {
    let replicas = r
        .replicas
        .as_ref()
        .map_or(1, |n| u32::try_from(n.value.max(0)).unwrap_or(0));
    let steps: Vec<StepSpec> = r
        .canary
        .iter()
        .flat_map(|c| &c.steps)
        .map(|s| match &s.kind {
            StepKind::SetWeight(w) => StepSpec::SetWeight(w.value),
            StepKind::Pause { duration } => StepSpec::Pause {
                duration_ms: duration.as_ref().map(|d| d.value.as_millis() as Millis),
            },
            StepKind::Analysis(a) => StepSpec::Analysis(analysis_ref(a)),
            StepKind::Other(k) => StepSpec::Unsupported(k.value.clone()),
        })
        .collect();
    // 25% defaults: surge rounds up, unavailable down; both 0 is not allowed.
    let max_surge = (replicas * 25).div_ceil(100);
    let mut max_unavailable = replicas * 25 / 100;
    if max_surge == 0 && max_unavailable == 0 {
        max_unavailable = 1;
    }
    let mut spec = RolloutSpec {
        name: r.meta.name.value.clone(),
        namespace: r.meta.namespace.clone(),
        replicas,
        pod: pod_spec(&r.template),
        steps,
        background: r
            .canary
            .as_ref()
            .and_then(|c| c.background_analysis.as_ref())
            .map(analysis_ref),
        max_surge,
        max_unavailable,
        invalid: None,
    };
    spec.invalid =
        validate(r, &spec, ws).map(|e| format!("The Rollout \"{}\" is invalid: {e}", spec.name));
    if r.canary.is_none() {
        spec.invalid = Some(format!(
            "The Rollout \"{}\" has no canary strategy: only canary rollouts are simulated",
            spec.name
        ));
    }
    spec
}

/// The Rollout validation that turns a spec into `InvalidSpec` (§7.1).
fn validate(r: &Rollout, spec: &RolloutSpec, ws: &Workspace) -> Option<String> {
    for (i, step) in spec.steps.iter().enumerate() {
        let field = format!("spec.strategy.canary.steps[{i}]");
        match step {
            StepSpec::SetWeight(w) if !(0..=100).contains(w) => {
                return Some(format!(
                "{field}.setWeight: Invalid value: {w}: SetWeight needs to be between 0 and 100"
            ))
            }
            StepSpec::Pause {
                duration_ms: Some(0),
            } => {
                return Some(format!(
                    "{field}.pause.duration: Invalid value: 0: Duration needs to be greater than 0"
                ))
            }
            _ => {}
        }
    }
    let analyses = r
        .canary
        .iter()
        .flat_map(|c| {
            c.steps.iter().filter_map(|s| match &s.kind {
                StepKind::Analysis(a) => Some((
                    format!("spec.strategy.canary.steps[{}].analysis", s.index),
                    a,
                )),
                _ => None,
            })
        })
        .chain(r.canary.iter().flat_map(|c| {
            c.background_analysis
                .iter()
                .map(|a| ("spec.strategy.canary.analysis".to_string(), a))
        }));
    for (field, analysis) in analyses {
        let mut templates = Vec::new();
        for t in &analysis.templates {
            match ws.analysis_template(&t.name.value, &r.meta.namespace, t.cluster_scope) {
                Some(found) => templates.push(found),
                None => {
                    let kind = if t.cluster_scope {
                        "ClusterAnalysisTemplate"
                    } else {
                        "AnalysisTemplate"
                    };
                    return Some(format!(
                        "{field}.templates: Invalid value: \"{0}\": {kind} '{0}' not found",
                        t.name.value
                    ));
                }
            }
        }
        let names: Vec<&str> = templates
            .iter()
            .map(|t| t.meta.name.value.as_str())
            .collect();
        for t in &templates {
            if let Some(tag) = undeclared_tag(t) {
                return Some(format!(
                    "AnalysisTemplate {}: failed to resolve {tag}",
                    t.meta.name.value
                ));
            }
            for arg in &t.args {
                let supplied = analysis.args.iter().any(|a| {
                    a.name.value == arg.name.value && !matches!(a.value, ArgValue::Missing)
                });
                if !supplied && arg.value.is_none() && !arg.value_from {
                    return Some(format!(
                        "{field}.templates: Invalid value: \"templateNames: [{}]\": args.{} was not resolved",
                        names.join(" "),
                        arg.name.value
                    ));
                }
            }
        }
    }
    None
}

/// A `{{…}}` tag in a template's metrics that names no declared arg.
fn undeclared_tag(t: &AnalysisTemplate) -> Option<String> {
    let texts = t.metrics.iter().flat_map(|m| {
        m.prometheus()
            .and_then(|p| p.query.as_ref().map(|q| q.text.as_str()))
            .into_iter()
            .chain(m.success_condition.iter().map(|c| c.text.as_str()))
            .chain(m.failure_condition.iter().map(|c| c.text.as_str()))
            .chain(
                m.prometheus()
                    .and_then(|p| p.address.as_ref())
                    .map(|a| a.value.as_str()),
            )
    });
    for text in texts {
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let tag = &rest[start..start + len + 2];
            let inner = tag[2..tag.len() - 2].trim();
            let declared = inner
                .strip_prefix("args.")
                .is_some_and(|n| t.arg(n).is_some());
            if !declared {
                return Some(tag.to_string());
            }
            rest = &rest[start + len + 2..];
        }
    }
    None
}

fn int_text(v: &Option<Spanned<IntOrString>>) -> Option<String> {
    v.as_ref().map(|s| match &s.value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    })
}

fn duration_text(v: &Option<Spanned<Duration>>) -> Option<String> {
    v.as_ref().map(|d| format!("{}ms", d.value.as_millis()))
}

fn template(t: &AnalysisTemplate) -> AnalysisTemplateSpec {
    AnalysisTemplateSpec {
        name: t.meta.name.value.clone(),
        namespace: t.meta.namespace.clone(),
        cluster_scoped: t.cluster_scoped,
        args: t
            .args
            .iter()
            .map(|a| TemplateArgSpec {
                name: a.name.value.clone(),
                default: a.value.as_ref().map(|v| v.value.clone()),
            })
            .collect(),
        metrics: t
            .metrics
            .iter()
            .map(|m| MetricSpec {
                name: m.name.value.clone(),
                interval: duration_text(&m.interval),
                initial_delay: duration_text(&m.initial_delay),
                count: int_text(&m.count),
                failure_limit: int_text(&m.failure_limit),
                inconclusive_limit: int_text(&m.inconclusive_limit),
                consecutive_error_limit: int_text(&m.consecutive_error_limit),
                consecutive_success_limit: int_text(&m.consecutive_success_limit),
                success_condition: m.success_condition.as_ref().map(|c| c.text.clone()),
                failure_condition: m.failure_condition.as_ref().map(|c| c.text.clone()),
                provider: match &m.provider {
                    None => ProviderSpec::Missing,
                    Some(p) => match (&p.prometheus, p.others.first()) {
                        (Some(prom), _) => ProviderSpec::Prometheus {
                            address: prom.address.as_ref().map(|a| a.value.clone()),
                            query: prom.query.as_ref().map(|q| q.text.clone()),
                        },
                        (None, Some(other)) => ProviderSpec::Unsupported(other.value.clone()),
                        (None, None) => ProviderSpec::Missing,
                    },
                },
            })
            .collect(),
    }
}

fn traffic(ws: &Workspace) -> TrafficSpec {
    let generator = ws.workloads.iter().find(|w| {
        w.kind == WorkloadKind::Deployment
            && (w.meta.name.value.contains("traffic")
                || w.template
                    .containers
                    .iter()
                    .any(|c| c.image.as_ref().is_some_and(|i| i.value.contains("curl"))))
    });
    let Some(generator) = generator else {
        return TrafficSpec::default();
    };
    let mut spec = TrafficSpec {
        replicas: generator
            .replicas
            .as_ref()
            .map_or(1, |r| u32::try_from(r.value.max(0)).unwrap_or(0)),
        ..TrafficSpec::default()
    };
    let script: String = generator
        .template
        .containers
        .iter()
        .flat_map(|c| c.args.iter())
        .map(|a| a.value.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(at) = script.find("http://") {
        let url: String = script[at..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '$')
            .collect();
        let (host, port) = split_host_port(&url);
        spec.target_host = host;
        spec.target_port = port.unwrap_or(80);
    }
    spec
}

fn collector_workload<'w>(ws: &'w Workspace, config: &CollectorConfig) -> Option<&'w Workload> {
    let CollectorSource::ConfigMap {
        name, namespace, ..
    } = &config.source
    else {
        return None;
    };
    ws.workloads.iter().find(|w| {
        w.meta.namespace == *namespace && w.config_map_volumes.iter().any(|v| v.value == name.value)
    })
}

fn check_code(check: Check) -> &'static str {
    match check {
        Check::Syntax => "OTEL101",
        Check::Empty => "OTEL102",
        Check::NoReceivers => "OTEL103",
        Check::NoExporters => "OTEL104",
        Check::UndefinedComponent => "OTEL105",
        Check::PipelineShape => "OTEL106",
        Check::Connector => "OTEL107",
        Check::UnknownType => "OTEL108",
        Check::UnknownKey => "OTEL109",
        Check::Structure => "OTEL110",
        Check::OtlpNoProtocol => "OTEL111",
        Check::ComponentInvalid => "OTEL112",
        Check::UnsupportedSignal => "OTEL113",
    }
}

fn collector(ws: &Workspace, problems: &mut Vec<String>) -> Option<CollectorSpec> {
    let linked = ws
        .collectors
        .iter()
        .find_map(|c| collector_workload(ws, c).map(|w| (c, w)));
    let (config, workload) = match linked {
        Some(found) => found,
        None => {
            let config = ws.collectors.first()?;
            let workload = ws
                .workloads
                .iter()
                .find(|w| w.kind == WorkloadKind::DaemonSet)?;
            (config, workload)
        }
    };
    let startup_error = collector_startup_error(config).map(|message| {
        let findings = startup_findings(config);
        let lint_code = findings
            .iter()
            .filter_map(|f| message.find(&f.message).map(|at| (at, f.check)))
            .min_by_key(|(at, _)| *at)
            .map(|(_, check)| check_code(check).to_string());
        StartupFailure { message, lint_code }
    });
    if ws.collectors.len() > 1 {
        problems.push(format!(
            "{} collector configs found; simulating `{}`",
            ws.collectors.len(),
            config.display_name()
        ));
    }
    let mut spec = CollectorSpec {
        name: workload.meta.name.value.clone(),
        namespace: workload.meta.namespace.clone(),
        pod: pod_spec(&workload.template),
        startup_error,
        listeners: Vec::new(),
        spanmetrics: Vec::new(),
        exporters: Vec::new(),
    };
    if spec.startup_error.is_some() {
        return Some(spec);
    }
    let pipelines = config.pipelines();
    let traces: Vec<_> = pipelines
        .iter()
        .filter(|p| p.signal == Some(Signal::Traces))
        .collect();
    // Prometheus exporters used in a metrics pipeline.
    for c in config
        .components_of(ComponentKind::Exporter)
        .iter()
        .filter(|c| c.type_name == "prometheus")
    {
        let used = pipelines.iter().any(|p| {
            p.signal == Some(Signal::Metrics) && p.exporter_ids().any(|e| e.value == c.id.value)
        });
        if used {
            spec.exporters
                .push(prometheus_exporter(&c.id.value, &c.config));
        }
    }
    // spanmetrics connectors fed by a traces pipeline.
    for c in config
        .components_of(ComponentKind::Connector)
        .iter()
        .filter(|c| c.type_name == "spanmetrics")
    {
        if !traces
            .iter()
            .any(|p| p.exporter_ids().any(|e| e.value == c.id.value))
        {
            continue;
        }
        let reached: Vec<usize> = exporters_reached_from(config, &c.id.value, Signal::Metrics)
            .iter()
            .filter_map(|e| spec.exporters.iter().position(|x| x.id == e.id.value))
            .collect();
        spec.spanmetrics
            .push(spanmetrics(&c.id.value, &c.config, reached, problems));
    }
    for receiver in config
        .components_of(ComponentKind::Receiver)
        .iter()
        .filter(|c| c.type_name == "otlp")
    {
        let fed: Vec<_> = traces
            .iter()
            .filter(|p| p.receiver_ids().any(|r| r.value == receiver.id.value))
            .collect();
        if fed.is_empty() {
            continue;
        }
        let connectors: Vec<usize> = spec
            .spanmetrics
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                fed.iter()
                    .any(|p| p.exporter_ids().any(|e| e.value == s.id))
            })
            .map(|(i, _)| i)
            .collect();
        let jaeger = fed.iter().any(|p| {
            p.exporter_ids().any(|e| {
                config
                    .component(ComponentKind::Exporter, &e.value)
                    .is_some_and(|c| {
                        matches!(
                            c.type_name.as_str(),
                            "otlp" | "otlp_grpc" | "otlphttp" | "otlp_http"
                        )
                    })
            })
        });
        for l in otlp_listeners(receiver) {
            spec.listeners.push(OtlpListenerSpec {
                receiver: receiver.id.value.clone(),
                protocol: match l.protocol {
                    LintProtocol::Grpc => OtlpProtocol::Grpc,
                    LintProtocol::Http => OtlpProtocol::Http,
                },
                host: l.host,
                port: l.port,
                spanmetrics: connectors.clone(),
                jaeger,
            });
        }
    }
    Some(spec)
}

fn spanmetrics(
    id: &str,
    config: &Node,
    exporters: Vec<usize>,
    problems: &mut Vec<String>,
) -> SpanMetricsSpec {
    let settings = SpanMetricsSettings::read(config);
    let unit_seconds = settings.unit == HistogramUnit::Seconds;
    let mut buckets: Vec<f64> = match &settings.explicit_buckets {
        Some(bounds) => bounds
            .iter()
            .map(|b| {
                let ns = b.as_nanos() as f64;
                if unit_seconds {
                    ns / 1e9
                } else {
                    ns / 1e6
                }
            })
            .collect(),
        None => DEFAULT_BUCKETS_MS
            .iter()
            .map(|b| if unit_seconds { b / 1000.0 } else { *b })
            .collect(),
    };
    buckets.sort_by(f64::total_cmp);
    buckets.dedup();
    if settings.exponential {
        problems.push(format!(
            "connector {id}: exponential histograms are simulated with explicit default buckets"
        ));
    }
    SpanMetricsSpec {
        id: id.to_string(),
        namespace: settings.namespace,
        unit_seconds,
        buckets,
        histogram_disabled: settings.histogram_disabled,
        dimensions: settings
            .dimensions
            .into_iter()
            .map(|d| DimensionSpec {
                name: d.name,
                default: d.default,
            })
            .collect(),
        exclude_dimensions: settings.exclude_dimensions,
        // The clock ticks in ms: a sub-millisecond interval would flush at
        // the same instant forever, so it falls back as zero does.
        flush_interval_ms: Some(settings.flush_interval.as_millis() as Millis)
            .filter(|ms| *ms > 0)
            .unwrap_or(SPANMETRICS_DEFAULT_FLUSH.as_millis() as Millis),
        exporters,
    }
}

fn prometheus_exporter(id: &str, config: &Node) -> PrometheusExporterSpec {
    let settings = PrometheusExporterSettings::read(config);
    PrometheusExporterSpec {
        id: id.to_string(),
        host: settings.host,
        port: settings.port,
        namespace: settings.namespace,
        const_labels: settings.const_labels.into_iter().collect(),
        metric_expiration_ms: settings.metric_expiration.as_millis() as Millis,
        add_metric_suffixes: settings.add_metric_suffixes,
        resource_to_telemetry: settings.resource_to_telemetry,
    }
}
