//! Whether a collector config starts, and with which error, following the
//! phase order of `otelcol` (semantics.md §1.3): resolve → unmarshal →
//! validate → build pipelines.
//!
//! [`startup_findings`] lists EVERY problem (the lint reports them all);
//! [`collector_startup_error`] composes, from the same findings, the single
//! message the collector prints, so the linter and the simulator can never
//! disagree about whether the collector starts.

use std::collections::BTreeMap;

use serde::Serialize;

use super::catalog::{
    component_schema, connector_supports, known_types, supported_signals, Schema,
};
use super::go_yaml::{GoYamlError, NOT_A_CONF};
use crate::model::{CollectorConfig, Component, ComponentKind, Pipeline, Signal, Spanned};
use crate::source::Span;
use crate::yaml::{Node, NodeKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Phase {
    Resolve,
    Unmarshal,
    Validate,
    Build,
}

/// Which kind of problem a finding is; each maps to one lint rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Check {
    Syntax,
    Empty,
    NoReceivers,
    NoExporters,
    UndefinedComponent,
    PipelineShape,
    Connector,
    UnknownType,
    UnknownKey,
    Structure,
    OtlpNoProtocol,
    ComponentInvalid,
    UnsupportedSignal,
}

/// One reason the collector would refuse to start.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub phase: Phase,
    pub check: Check,
    /// The collector's text for this problem, without the phase prefix.
    pub message: String,
    pub span: Span,
    /// Validate phase: part of the top-level `Config.Validate`, which stops
    /// at its first failure.
    config_level: bool,
    /// Unmarshal phase: `'receivers' error reading configuration for "otlp"`
    /// when the problem is inside one component's own config.
    component_context: Option<String>,
    /// What is wrong and how to fix it, in our words, when the collector's
    /// text does not say it (YAML failures).
    pub explanation: Option<GoYamlError>,
}

impl Finding {
    fn new(phase: Phase, check: Check, message: String, span: Span) -> Self {
        Self {
            phase,
            check,
            message,
            span,
            config_level: false,
            component_context: None,
            explanation: None,
        }
    }

    fn config_level(mut self) -> Self {
        self.config_level = true;
        self
    }

    /// What the collector prints if this were the config's only problem.
    pub fn collector_message(&self) -> String {
        compose(std::slice::from_ref(self)).unwrap_or_default()
    }
}

/// A collector message on one line, for quoting inside a diagnostic: Go's
/// joined errors put each on a line of its own.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `None` when the collector starts; otherwise exactly the error it prints
/// (without cobra's `Error: ` prefix).
pub fn collector_startup_error(config: &CollectorConfig) -> Option<String> {
    compose(&startup_findings(config))
}

/// The collector's error for a config with these findings (`None` = it starts).
pub fn compose(findings: &[Finding]) -> Option<String> {
    let phase = findings.iter().map(|f| f.phase).min()?;
    let in_phase: Vec<&Finding> = findings.iter().filter(|f| f.phase == phase).collect();
    Some(match phase {
        Phase::Resolve => format!(
            "failed to get config: cannot resolve the configuration: {}",
            in_phase[0].message
        ),
        Phase::Unmarshal => format!(
            "failed to get config: cannot unmarshal the configuration: {}",
            decoding_failed(&unmarshal_lines(&in_phase))
        ),
        Phase::Validate => {
            let first_config = in_phase.iter().find(|f| f.config_level);
            let rest = in_phase.iter().filter(|f| !f.config_level);
            let parts: Vec<&str> = first_config
                .into_iter()
                .chain(rest)
                .map(|f| f.message.as_str())
                .collect();
            format!("invalid configuration: {}", parts.join("\n"))
        }
        Phase::Build => format!("failed to build pipelines: {}", in_phase[0].message),
    })
}

fn decoding_failed(lines: &[String]) -> String {
    format!(
        "decoding failed due to the following error(s):\n\n{}",
        lines.join("\n")
    )
}

/// Groups per-key findings the way mapstructure reports them: one
/// `has invalid keys: a, b` per path, one block per component; sorted,
/// because Go's map order is random.
fn unmarshal_lines(findings: &[&Finding]) -> Vec<String> {
    let mut plain: Vec<String> = Vec::new();
    let mut grouped: BTreeMap<(Option<String>, String), Vec<String>> = BTreeMap::new();
    for f in findings {
        match f.message.split_once(" has invalid keys: ") {
            Some((path, key)) => grouped
                .entry((f.component_context.clone(), path.to_string()))
                .or_default()
                .push(key.to_string()),
            None => plain.push(match &f.component_context {
                Some(ctx) => format!(
                    "{ctx}: {}",
                    decoding_failed(std::slice::from_ref(&f.message))
                ),
                None => f.message.clone(),
            }),
        }
    }
    let mut per_component: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for ((ctx, path), mut keys) in grouped {
        keys.sort();
        keys.dedup();
        per_component
            .entry(ctx)
            .or_default()
            .push(format!("{path} has invalid keys: {}", keys.join(", ")));
    }
    for (ctx, lines) in per_component {
        match ctx {
            Some(ctx) => plain.push(format!("{ctx}: {}", decoding_failed(&lines))),
            None => plain.extend(lines),
        }
    }
    plain.sort();
    plain
}

/// Every startup problem of `config`, in phase order.
pub fn startup_findings(config: &CollectorConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    resolve(config, &mut out);
    if out.is_empty() {
        unmarshal(config, &mut out);
        validate(config, &mut out);
        build(config, &mut out);
    }
    out
}

fn resolve(config: &CollectorConfig, out: &mut Vec<Finding>) {
    if let Some(failure) = &config.yaml_failure {
        let mut finding = Finding::new(
            Phase::Resolve,
            Check::Syntax,
            format!("{NOT_A_CONF}{}", failure.message),
            failure.span,
        );
        finding.explanation = Some(failure.clone());
        out.push(finding);
        return;
    }
    let Some(root) = &config.root else { return };
    let go_type = match &root.kind {
        _ if root.is_null() => return,
        NodeKind::Mapping(_) => return,
        NodeKind::Sequence(_) => "[]interface {}",
        NodeKind::Scalar { .. } => "string",
    };
    out.push(Finding::new(
        Phase::Resolve,
        Check::Syntax,
        format!("retrieved value (type={go_type}) cannot be used as a Conf"),
        root.span,
    ));
}

fn unmarshal(config: &CollectorConfig, out: &mut Vec<Finding>) {
    for issue in &config.decode_issues {
        let check = if issue.message.starts_with("has invalid keys") {
            Check::UnknownKey
        } else {
            Check::Structure
        };
        out.push(Finding::new(
            Phase::Unmarshal,
            check,
            format!("'{}' {}", issue.path, issue.message),
            issue.span,
        ));
    }
    for component in config.components() {
        let section = component.kind.section();
        let types = known_types(component.kind);
        if component.type_name == "logging" && component.kind == ComponentKind::Exporter {
            out.push(Finding::new(
                Phase::Unmarshal,
                Check::UnknownType,
                format!("'{section}' the logging exporter has been deprecated, use the debug exporter instead"),
                component.id.span,
            ));
        } else if types.binary_search(&component.type_name.as_str()).is_err() {
            out.push(Finding::new(
                Phase::Unmarshal,
                Check::UnknownType,
                format!(
                    "'{section}' unknown type: {:?} for id: {:?} (valid values: [{}])",
                    component.type_name,
                    component.id.value,
                    types.join(" ")
                ),
                component.id.span,
            ));
        } else if let Some(schema) = component_schema(component.kind, &component.type_name) {
            let context = format!(
                "'{section}' error reading configuration for {:?}",
                component.id.value
            );
            check_keys(&component.config, schema, "", &context, out);
        }
    }
}

fn check_keys(node: &Node, schema: &Schema, path: &str, context: &str, out: &mut Vec<Finding>) {
    let Schema::Map(fields) = schema else { return };
    let Some(entries) = node.as_mapping() else {
        return;
    };
    for entry in entries {
        let key = entry.key.as_scalar().unwrap_or_default();
        match fields.iter().find(|(name, _)| *name == key) {
            Some((_, inner)) => {
                let inner_path = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                check_keys(&entry.value, inner, &inner_path, context, out);
            }
            None => {
                let mut finding = Finding::new(
                    Phase::Unmarshal,
                    Check::UnknownKey,
                    format!("'{path}' has invalid keys: {key}"),
                    entry.key.span,
                );
                finding.component_context = Some(context.to_string());
                out.push(finding);
            }
        }
    }
}

fn has_components(config: &CollectorConfig, kind: ComponentKind) -> bool {
    !config.components_of(kind).is_empty()
}

fn section_span(config: &CollectorConfig, kind: ComponentKind) -> Span {
    config.section(kind).map_or(
        Span::new(config.span.file, config.span.start, config.span.start),
        |s| s.key_span,
    )
}

/// (word in the message, IDs listed, kinds an ID may name).
type RefCheck<'a> = (&'static str, Vec<&'a Spanned<String>>, [ComponentKind; 2]);

fn validate(config: &CollectorConfig, out: &mut Vec<Finding>) {
    use ComponentKind::*;
    let v = |check, message: String, span| Finding::new(Phase::Validate, check, message, span);
    if ComponentKind::ALL
        .iter()
        .all(|&k| !has_components(config, k))
    {
        out.push(
            v(
                Check::Empty,
                "empty configuration file".into(),
                config.root.as_ref().map_or(config.span, |r| r.span),
            )
            .config_level(),
        );
        return;
    }
    if !has_components(config, Receiver) {
        out.push(
            v(
                Check::NoReceivers,
                "no receiver configuration specified in config".into(),
                section_span(config, Receiver),
            )
            .config_level(),
        );
    }
    if !has_components(config, Exporter) {
        out.push(
            v(
                Check::NoExporters,
                "no exporter configuration specified in config".into(),
                section_span(config, Exporter),
            )
            .config_level(),
        );
    }
    for connector in config.components_of(Connector) {
        for other in [Exporter, Receiver] {
            if config.component(other, &connector.id.value).is_some() {
                let id = &connector.id.value;
                let word = other.word();
                out.push(v(
                    Check::ComponentInvalid,
                    format!("connectors::{id}: ambiguous ID: Found both \"{id}\" {word} and \"{id}\" connector. Change one of the components' IDs to eliminate ambiguity (e.g. rename \"{id}\" connector to \"{id}/connector\")"),
                    connector.id.span,
                ).config_level());
            }
        }
    }
    if let Some(list) = config.service.as_ref().and_then(|s| s.extensions.as_ref()) {
        for ext in &list.items {
            if config.component(Extension, &ext.value).is_none() {
                out.push(v(
                    Check::UndefinedComponent,
                    format!("service::extensions: references extension {:?} which is not configured", ext.value),
                    ext.span,
                ).config_level());
            }
        }
    }
    for pipeline in config.pipelines() {
        let pid = &pipeline.id.value;
        let refs: [RefCheck; 3] = [
            (
                "receiver",
                pipeline.receiver_ids().collect(),
                [Receiver, Connector],
            ),
            (
                "processor",
                pipeline.processor_ids().collect(),
                [Processor, Processor],
            ),
            (
                "exporter",
                pipeline.exporter_ids().collect(),
                [Exporter, Connector],
            ),
        ];
        for (word, ids, kinds) in refs {
            for id in ids {
                if kinds
                    .iter()
                    .all(|&k| config.component(k, &id.value).is_none())
                {
                    out.push(v(
                        Check::UndefinedComponent,
                        format!("service::pipelines::{pid}: references {word} {:?} which is not configured", id.value),
                        id.span,
                    ).config_level());
                }
            }
        }
    }
    for component in config.components() {
        validate_component(component, out);
    }
    validate_service(config, out);
}

fn validate_component(component: &Component, out: &mut Vec<Finding>) {
    let id = &component.id.value;
    let config = &component.config;
    let message = match (component.kind, component.type_name.as_str()) {
        (ComponentKind::Receiver, "otlp") => {
            let protocols = config.get("protocols");
            let any = protocols.and_then(Node::as_mapping).is_some_and(|m| {
                m.iter()
                    .any(|e| matches!(e.key.as_scalar(), Some("grpc" | "http")))
            });
            (!any).then(|| (Check::OtlpNoProtocol, format!("receivers::{id}: must specify at least one protocol when using the OTLP receiver")))
        }
        (ComponentKind::Exporter, "otlp") => config
            .get_str("endpoint")
            .is_none_or(|e| e.trim().is_empty())
            .then(|| {
                (
                    Check::ComponentInvalid,
                    format!("exporters::{id}: requires a non-empty \"endpoint\""),
                )
            }),
        (ComponentKind::Exporter, "debug") => config
            .get_str("verbosity")
            .filter(|v| v.eq_ignore_ascii_case("none"))
            .map(|_| {
                (
                    Check::ComponentInvalid,
                    format!("exporters::{id}: verbosity level \"None\" is not supported"),
                )
            }),
        (ComponentKind::Connector, "spanmetrics") => spanmetrics_problem(config)
            .map(|p| (Check::ComponentInvalid, format!("connectors::{id}: {p}"))),
        _ => None,
    };
    if let Some((check, message)) = message {
        out.push(Finding::new(
            Phase::Validate,
            check,
            message,
            component.id.span,
        ));
    }
}

fn spanmetrics_problem(config: &Node) -> Option<String> {
    if let Some(unit) = config
        .path(&["histogram", "unit"])
        .and_then(Node::as_scalar)
    {
        if !unit.eq_ignore_ascii_case("ms") && !unit.eq_ignore_ascii_case("s") {
            return Some(format!(
                "unknown Unit {unit:?}, allowed units are \"ms\" and \"s\""
            ));
        }
    }
    let mut seen: Vec<String> = ["service.name", "span.kind", "status.code", "span.name"]
        .map(String::from)
        .to_vec();
    for dim in config
        .get("dimensions")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        if let Some(name) = dim.get_str("name") {
            if seen.iter().any(|s| s == name) {
                return Some(format!(
                    "failed validating dimensions: duplicate dimension name {name}"
                ));
            }
            seen.push(name.to_string());
        }
    }
    None
}

fn validate_service(config: &CollectorConfig, out: &mut Vec<Finding>) {
    let pipelines = config.pipelines();
    if pipelines.is_empty() {
        let span = config
            .service
            .as_ref()
            .map(|s| s.pipelines.as_ref().map_or(s.key_span, |p| p.key_span))
            .unwrap_or(Span::new(
                config.span.file,
                config.span.start,
                config.span.start,
            ));
        out.push(Finding::new(
            Phase::Validate,
            Check::PipelineShape,
            "service::pipelines: service must have at least one pipeline".into(),
            span,
        ));
    }
    for pipeline in pipelines {
        let pid = &pipeline.id.value;
        let shape = |message: String, span| {
            Finding::new(Phase::Validate, Check::PipelineShape, message, span)
        };
        if pipeline.receiver_ids().next().is_none() {
            out.push(shape(
                format!("service::pipelines::{pid}: must have at least one receiver"),
                pipeline
                    .receivers
                    .as_ref()
                    .map_or(pipeline.id.span, |l| l.key_span),
            ));
        }
        if pipeline.exporter_ids().next().is_none() {
            out.push(shape(
                format!("service::pipelines::{pid}: must have at least one exporter"),
                pipeline
                    .exporters
                    .as_ref()
                    .map_or(pipeline.id.span, |l| l.key_span),
            ));
        }
        let processors: Vec<_> = pipeline.processor_ids().collect();
        for (i, p) in processors.iter().enumerate() {
            if processors[..i].iter().any(|q| q.value == p.value) {
                out.push(shape(
                    format!(
                        "service::pipelines::{pid}: references processor {:?} multiple times",
                        p.value
                    ),
                    p.span,
                ));
            }
        }
    }
}

fn build(config: &CollectorConfig, out: &mut Vec<Finding>) {
    check_connectors(config, out);
    for pipeline in config.pipelines() {
        let Some(signal) = pipeline.signal else {
            continue;
        };
        for (kind, ids) in [
            (
                ComponentKind::Receiver,
                pipeline.receiver_ids().collect::<Vec<_>>(),
            ),
            (ComponentKind::Exporter, pipeline.exporter_ids().collect()),
        ] {
            for id in ids {
                let Some(component) = config.component(kind, &id.value) else {
                    continue;
                };
                let supported = supported_signals(kind, &component.type_name)
                    .is_none_or(|s| s.contains(&signal));
                let word = kind.word();
                let sig = signal.as_str();
                if !supported {
                    out.push(Finding::new(
                        Phase::Build,
                        Check::UnsupportedSignal,
                        format!("failed to create {:?} {word} for data type {sig:?}: telemetry type is not supported", id.value),
                        id.span,
                    ));
                } else if kind == ComponentKind::Exporter
                    && component.type_name == "prometheus"
                    && component
                        .config
                        .get_str("endpoint")
                        .is_none_or(|e| e.trim().is_empty())
                {
                    out.push(Finding::new(
                        Phase::Build,
                        Check::ComponentInvalid,
                        format!("failed to create {:?} exporter for data type {sig:?}: expecting a non-blank address to run the Prometheus metrics handler", id.value),
                        id.span,
                    ));
                }
            }
        }
    }
}

/// A connector must be used as an exporter in one pipeline and as a receiver
/// in another, for a signal pair it supports.
fn check_connectors(config: &CollectorConfig, out: &mut Vec<Finding>) {
    for connector in config.components_of(ComponentKind::Connector) {
        let id = &connector.id.value;
        let uses =
            |side: fn(&Pipeline) -> Vec<&Spanned<String>>| -> Vec<(&Pipeline, Signal, Span)> {
                config
                    .pipelines()
                    .iter()
                    .filter_map(|p| {
                        let item = side(p).into_iter().find(|i| &i.value == id)?;
                        Some((p, p.signal?, item.span))
                    })
                    .collect()
            };
        let as_exporter = uses(|p| p.exporter_ids().collect());
        let as_receiver = uses(|p| p.receiver_ids().collect());
        let supports =
            |from, to| connector_supports(&connector.type_name, from, to).unwrap_or(true);
        for (side, mine, others, word, other_word) in [
            ("exporter", &as_exporter, &as_receiver, true, "receiver"),
            ("receiver", &as_receiver, &as_exporter, false, "exporter"),
        ] {
            let mut signals: Vec<Signal> = mine.iter().map(|(_, s, _)| *s).collect();
            signals.sort();
            signals.dedup();
            for signal in signals {
                let ok = others.iter().any(|(_, other, _)| {
                    if word {
                        supports(signal, *other)
                    } else {
                        supports(*other, signal)
                    }
                });
                if ok {
                    continue;
                }
                let here: Vec<&(&Pipeline, Signal, Span)> =
                    mine.iter().filter(|(_, s, _)| *s == signal).collect();
                let names: Vec<&str> = here.iter().map(|(p, _, _)| p.id.value.as_str()).collect();
                out.push(Finding::new(
                    Phase::Build,
                    Check::Connector,
                    format!("connector {id:?} used as {side} in [{}] pipeline but not used in any supported {other_word} pipeline", names.join(" ")),
                    here[0].2,
                ));
            }
        }
    }
}
