//! An OpenTelemetry Collector configuration, as the collector would decode it.

use serde::Serialize;

use super::Spanned;
use crate::collector::go_yaml::GoYamlError;
use crate::source::{FileId, Span};
use crate::yaml::Node;

/// Where a collector config was found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum CollectorSource {
    /// A key of a ConfigMap's `data`.
    ConfigMap {
        name: Spanned<String>,
        namespace: String,
        key: Spanned<String>,
    },
    /// A file that is itself a collector config.
    File,
}

/// The five component kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ComponentKind {
    Receiver,
    Processor,
    Exporter,
    Connector,
    Extension,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 5] = [
        ComponentKind::Receiver,
        ComponentKind::Processor,
        ComponentKind::Exporter,
        ComponentKind::Connector,
        ComponentKind::Extension,
    ];

    /// The top-level config key (`receivers`, …).
    pub fn section(self) -> &'static str {
        match self {
            ComponentKind::Receiver => "receivers",
            ComponentKind::Processor => "processors",
            ComponentKind::Exporter => "exporters",
            ComponentKind::Connector => "connectors",
            ComponentKind::Extension => "extensions",
        }
    }

    /// The singular word the collector uses in messages.
    pub fn word(self) -> &'static str {
        match self {
            ComponentKind::Receiver => "receiver",
            ComponentKind::Processor => "processor",
            ComponentKind::Exporter => "exporter",
            ComponentKind::Connector => "connector",
            ComponentKind::Extension => "extension",
        }
    }
}

/// Pipeline signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Signal {
    Traces,
    Metrics,
    Logs,
    Profiles,
}

impl Signal {
    pub fn parse(text: &str) -> Option<Signal> {
        match text {
            "traces" => Some(Signal::Traces),
            "metrics" => Some(Signal::Metrics),
            "logs" => Some(Signal::Logs),
            "profiles" => Some(Signal::Profiles),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Traces => "traces",
            Signal::Metrics => "metrics",
            Signal::Logs => "logs",
            Signal::Profiles => "profiles",
        }
    }
}

/// One configured component: `otlp`, `otlp/jaeger`, …
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Component {
    pub kind: ComponentKind,
    /// The full ID as written (the key's span).
    pub id: Spanned<String>,
    /// The part before `/`, trimmed.
    pub type_name: String,
    /// The part after `/`, trimmed.
    pub name: Option<String>,
    /// The component's own config node (a plain null when written as `otlp:`).
    pub config: Node,
}

/// `receivers:`, `exporters:`, … A section written with no value is present
/// with no components (what the challenge's broken config has).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentSection {
    pub kind: ComponentKind,
    pub key_span: Span,
    pub span: Span,
    pub components: Vec<Component>,
}

/// A list of component IDs in a pipeline or in `service.extensions`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentList {
    pub key_span: Span,
    pub span: Span,
    pub items: Vec<Spanned<String>>,
}

impl ComponentList {
    pub fn contains(&self, id: &str) -> bool {
        self.items.iter().any(|i| i.value == id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pipeline {
    /// `traces`, `metrics/spans`, …
    pub id: Spanned<String>,
    /// `None` for an unknown signal.
    pub signal: Option<Signal>,
    pub span: Span,
    pub receivers: Option<ComponentList>,
    pub processors: Option<ComponentList>,
    pub exporters: Option<ComponentList>,
}

impl Pipeline {
    pub fn receiver_ids(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.receivers.iter().flat_map(|l| &l.items)
    }
    pub fn processor_ids(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.processors.iter().flat_map(|l| &l.items)
    }
    pub fn exporter_ids(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.exporters.iter().flat_map(|l| &l.items)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PipelinesSection {
    pub key_span: Span,
    pub span: Span,
    pub pipelines: Vec<Pipeline>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceConfig {
    pub key_span: Span,
    pub span: Span,
    pub extensions: Option<ComponentList>,
    pub pipelines: Option<PipelinesSection>,
}

/// A decoding problem the collector reports while unmarshalling
/// (mapstructure's `'<path>' <message>`), kept with its position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecodeIssue {
    /// The mapstructure field path, e.g. `service.pipelines`.
    pub path: String,
    pub message: String,
    pub span: Span,
}

/// One collector configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CollectorConfig {
    pub source: CollectorSource,
    pub file: FileId,
    /// The config text's span in the file (the block scalar, or the document).
    pub span: Span,
    /// The parsed config; `None` when it did not parse.
    pub root: Option<Node>,
    /// Why the collector's YAML decoder refuses the config text: a syntax
    /// error, or a key defined twice in one mapping.
    pub yaml_failure: Option<GoYamlError>,
    pub receivers: Option<ComponentSection>,
    pub processors: Option<ComponentSection>,
    pub exporters: Option<ComponentSection>,
    pub connectors: Option<ComponentSection>,
    pub extensions: Option<ComponentSection>,
    pub service: Option<ServiceConfig>,
    /// Shape problems the collector's decoder would refuse (wrong node
    /// kinds, unknown top-level keys).
    pub decode_issues: Vec<DecodeIssue>,
}

impl CollectorConfig {
    pub fn section(&self, kind: ComponentKind) -> Option<&ComponentSection> {
        match kind {
            ComponentKind::Receiver => self.receivers.as_ref(),
            ComponentKind::Processor => self.processors.as_ref(),
            ComponentKind::Exporter => self.exporters.as_ref(),
            ComponentKind::Connector => self.connectors.as_ref(),
            ComponentKind::Extension => self.extensions.as_ref(),
        }
    }

    /// Components of one kind (empty when the section is absent).
    pub fn components_of(&self, kind: ComponentKind) -> &[Component] {
        self.section(kind).map_or(&[], |s| &s.components)
    }

    /// All components, in section order.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        ComponentKind::ALL
            .into_iter()
            .flat_map(move |k| self.components_of(k))
    }

    pub fn component(&self, kind: ComponentKind, id: &str) -> Option<&Component> {
        self.components_of(kind).iter().find(|c| c.id.value == id)
    }

    pub fn pipelines(&self) -> &[Pipeline] {
        self.service
            .as_ref()
            .and_then(|s| s.pipelines.as_ref())
            .map_or(&[], |p| &p.pipelines)
    }

    /// A name for messages: the ConfigMap name, or the file path.
    pub fn display_name(&self) -> &str {
        match &self.source {
            CollectorSource::ConfigMap { name, .. } => &name.value,
            CollectorSource::File => "collector config",
        }
    }
}
