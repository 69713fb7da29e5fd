//! Builder for OpenTelemetry Collector configs, bare or inside a ConfigMap.

use super::fields::Reader;
use super::COLLECTOR_KEYS;
use crate::collector::go_yaml::{self, ConfigText};
use crate::model::{
    CollectorConfig, CollectorSource, Component, ComponentKind, ComponentList, ComponentSection,
    DecodeIssue, ObjectMeta, Pipeline, PipelinesSection, ServiceConfig, Signal, Spanned, Workspace,
};
use crate::source::{FileId, Span};
use crate::yaml::{load_documents, scalar_offsets, Limits, Node, NodeKind};

/// Every `data` entry of a ConfigMap that holds a collector config.
pub(crate) fn from_config_map(
    ws: &mut Workspace,
    reader: &mut Reader,
    meta: ObjectMeta,
    doc: &Node,
) {
    for entry in reader.mapping(doc.get("data"), "data") {
        let (Some(key), Some(text)) = (entry.key.as_scalar(), entry.value.as_scalar()) else {
            continue;
        };
        if !looks_like_collector_config(key, text) {
            continue;
        }
        let offsets = scalar_offsets(reader.text, &entry.value);
        let (docs, error) = load_documents(text, meta.file, Some(&offsets), Limits::default());
        let root = docs
            .into_iter()
            .next()
            .unwrap_or_else(|| empty_root(entry.value.span));
        let source = CollectorSource::ConfigMap {
            name: meta.name.clone(),
            namespace: meta.namespace.clone(),
            key: Spanned::new(key.to_string(), entry.key.span),
        };
        let config_text = ConfigText {
            text,
            file: meta.file,
            offsets: Some(&offsets),
        };
        let mut config = build(root, source, meta.file, entry.value.span, &config_text);
        if let Some(error) = error {
            config.root = None;
            config.yaml_failure = Some(go_yaml::from_syntax_error(&config_text, &error));
        }
        ws.collectors.push(config);
    }
}

fn empty_root(at: Span) -> Node {
    Node {
        kind: NodeKind::Scalar {
            value: String::new(),
            style: crate::yaml::ScalarStyle::Plain,
        },
        span: Span::new(at.file, at.start, at.start),
    }
}

/// A `data` key holds a collector config when it is a YAML file whose text
/// has a top-level collector section (checked on the raw text so that a
/// config with a syntax error is still recognised).
fn looks_like_collector_config(key: &str, text: &str) -> bool {
    let yaml_key = key.ends_with(".yaml") || key.ends_with(".yml");
    let has_section = text.lines().any(|line| {
        COLLECTOR_KEYS.iter().any(|k| {
            line.strip_prefix(k)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    });
    yaml_key && has_section
}

/// Builds the model of one config whose parsed root is `root`.
pub(crate) fn build(
    root: Node,
    source: CollectorSource,
    file: FileId,
    span: Span,
    text: &ConfigText,
) -> CollectorConfig {
    let mut config = CollectorConfig {
        source,
        file,
        span,
        root: None,
        yaml_failure: go_yaml::duplicate_keys(text, &root),
        receivers: None,
        processors: None,
        exporters: None,
        connectors: None,
        extensions: None,
        service: None,
        decode_issues: Vec::new(),
    };
    if let Some(entries) = root.as_mapping() {
        for entry in entries {
            let key = entry.key.as_scalar().unwrap_or_default();
            let kind = match key {
                "receivers" => Some(ComponentKind::Receiver),
                "processors" => Some(ComponentKind::Processor),
                "exporters" => Some(ComponentKind::Exporter),
                "connectors" => Some(ComponentKind::Connector),
                "extensions" => Some(ComponentKind::Extension),
                _ => None,
            };
            match (kind, key) {
                (Some(kind), _) => {
                    let section = component_section(&mut config.decode_issues, kind, entry);
                    match kind {
                        ComponentKind::Receiver => config.receivers = Some(section),
                        ComponentKind::Processor => config.processors = Some(section),
                        ComponentKind::Exporter => config.exporters = Some(section),
                        ComponentKind::Connector => config.connectors = Some(section),
                        ComponentKind::Extension => config.extensions = Some(section),
                    }
                }
                (None, "service") => {
                    config.service = Some(service(&mut config.decode_issues, entry))
                }
                (None, other) => config.decode_issues.push(DecodeIssue {
                    path: String::new(),
                    message: format!("has invalid keys: {other}"),
                    span: entry.key.span,
                }),
            }
        }
    }
    config.root = Some(root);
    config
}

/// mapstructure's name for a node kind in "expected a map, got '…'".
fn go_kind(node: &Node) -> &'static str {
    match &node.kind {
        NodeKind::Sequence(_) => "slice",
        NodeKind::Mapping(_) => "map",
        NodeKind::Scalar { .. } => "string",
    }
}

fn component_section(
    issues: &mut Vec<DecodeIssue>,
    kind: ComponentKind,
    entry: &crate::yaml::Entry,
) -> ComponentSection {
    let mut components = Vec::new();
    match &entry.value.kind {
        _ if entry.value.is_null() => {}
        NodeKind::Mapping(items) => {
            for item in items {
                let id = item.key.as_scalar().unwrap_or_default().to_string();
                let (type_name, name) = match id.split_once('/') {
                    Some((t, n)) => (t.trim().to_string(), Some(n.trim().to_string())),
                    None => (id.trim().to_string(), None),
                };
                components.push(Component {
                    kind,
                    id: Spanned::new(id, item.key.span),
                    type_name,
                    name,
                    config: item.value.clone(),
                });
            }
        }
        _ => issues.push(DecodeIssue {
            path: kind.section().to_string(),
            message: format!("expected a map, got '{}'", go_kind(&entry.value)),
            span: entry.value.span,
        }),
    }
    ComponentSection {
        kind,
        key_span: entry.key.span,
        span: entry.key.span.cover(entry.value.span),
        components,
    }
}

fn id_list(
    issues: &mut Vec<DecodeIssue>,
    path: String,
    entry: &crate::yaml::Entry,
) -> ComponentList {
    let mut items = Vec::new();
    match &entry.value.kind {
        _ if entry.value.is_null() => {}
        NodeKind::Sequence(nodes) => {
            for node in nodes {
                match node.as_scalar() {
                    Some(id) => items.push(Spanned::new(id.to_string(), node.span)),
                    None => issues.push(DecodeIssue {
                        path: path.clone(),
                        message: format!("expected a string, got '{}'", go_kind(node)),
                        span: node.span,
                    }),
                }
            }
        }
        _ => issues.push(DecodeIssue {
            path,
            message: format!(
                "source data must be an array or slice, got {}",
                go_kind(&entry.value)
            ),
            span: entry.value.span,
        }),
    }
    ComponentList {
        key_span: entry.key.span,
        span: entry.key.span.cover(entry.value.span),
        items,
    }
}

fn service(issues: &mut Vec<DecodeIssue>, entry: &crate::yaml::Entry) -> ServiceConfig {
    let mut service = ServiceConfig {
        key_span: entry.key.span,
        span: entry.key.span.cover(entry.value.span),
        extensions: None,
        pipelines: None,
    };
    let entries = match &entry.value.kind {
        NodeKind::Mapping(entries) => entries.as_slice(),
        _ if entry.value.is_null() => &[],
        _ => {
            issues.push(DecodeIssue {
                path: "service".to_string(),
                message: format!("expected a map, got '{}'", go_kind(&entry.value)),
                span: entry.value.span,
            });
            &[]
        }
    };
    for item in entries {
        match item.key.as_scalar().unwrap_or_default() {
            "extensions" => {
                service.extensions = Some(id_list(issues, "service.extensions".into(), item))
            }
            "pipelines" => service.pipelines = Some(pipelines(issues, item)),
            "telemetry" => {}
            other => issues.push(DecodeIssue {
                path: "service".to_string(),
                message: format!("has invalid keys: {other}"),
                span: item.key.span,
            }),
        }
    }
    service
}

fn pipelines(issues: &mut Vec<DecodeIssue>, entry: &crate::yaml::Entry) -> PipelinesSection {
    let mut pipelines = Vec::new();
    match &entry.value.kind {
        _ if entry.value.is_null() => {}
        NodeKind::Mapping(items) => {
            for item in items {
                let id = item.key.as_scalar().unwrap_or_default().to_string();
                let signal_text = id.split('/').next().unwrap_or_default().trim();
                let signal = Signal::parse(signal_text);
                if signal.is_none() {
                    issues.push(DecodeIssue {
                        path: "service.pipelines".to_string(),
                        message: format!(
                            "in \"{id}\" id: unknown pipeline signal: \"{signal_text}\""
                        ),
                        span: item.key.span,
                    });
                }
                let mut pipeline = Pipeline {
                    id: Spanned::new(id.clone(), item.key.span),
                    signal,
                    span: item.key.span.cover(item.value.span),
                    receivers: None,
                    processors: None,
                    exporters: None,
                };
                let path = format!("service.pipelines[{id}]");
                for field in item.value.as_mapping().unwrap_or_default() {
                    let key = field.key.as_scalar().unwrap_or_default();
                    let list_path = format!("{path}.{key}");
                    match key {
                        "receivers" => pipeline.receivers = Some(id_list(issues, list_path, field)),
                        "processors" => {
                            pipeline.processors = Some(id_list(issues, list_path, field))
                        }
                        "exporters" => pipeline.exporters = Some(id_list(issues, list_path, field)),
                        other => issues.push(DecodeIssue {
                            path: path.clone(),
                            message: format!("has invalid keys: {other}"),
                            span: field.key.span,
                        }),
                    }
                }
                if !item.value.is_null() && item.value.as_mapping().is_none() {
                    issues.push(DecodeIssue {
                        path,
                        message: format!("expected a map, got '{}'", go_kind(&item.value)),
                        span: item.value.span,
                    });
                }
                pipelines.push(pipeline);
            }
        }
        _ => issues.push(DecodeIssue {
            path: "service.pipelines".to_string(),
            message: format!("expected a map, got '{}'", go_kind(&entry.value)),
            span: entry.value.span,
        }),
    }
    PipelinesSection {
        key_span: entry.key.span,
        span: entry.key.span.cover(entry.value.span),
        pipelines,
    }
}
