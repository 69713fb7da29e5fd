//! The collector config as a graph: one band per pipeline, receivers →
//! processors → exporters, connectors bridging the pipelines they join, and
//! every break marked. Built from lint's model in the lint worker and drawn
//! there as SVG, so it is redrawn on every lint pass.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use canary_lab_lint::collector::flow::otlp_listeners;
use canary_lab_lint::model::{CollectorConfig, ComponentKind, ComponentSection, Pipeline};
use canary_lab_lint::Workspace;

use crate::protocol::PipelineView;
use crate::svg::escape;

#[derive(Clone, Debug, PartialEq)]
struct Node {
    label: String,
    detail: Option<String>,
    /// `None` when fine; otherwise why the node is broken.
    broken: Option<String>,
    connector: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct Band {
    name: String,
    columns: [Vec<Node>; 3],
}

const COLUMN_X: [f64; 3] = [10.0, 215.0, 420.0];
const NODE_W: f64 = 170.0;
const NODE_H: f64 = 34.0;
const GAP: f64 = 10.0;
const BAND_HEAD: f64 = 22.0;
const WIDTH: f64 = 600.0;

/// The first collector config in path order, drawn; `None` without one.
pub fn view(workspace: &Workspace) -> Option<PipelineView> {
    let config = workspace.collectors.first()?;
    let file = workspace.path(config.file).to_string();
    let bands = bands(config);
    let unused = unused(config);
    let broken: usize = bands
        .iter()
        .flat_map(|b| b.columns.iter().flatten())
        .filter(|n| n.broken.is_some())
        .count();
    Some(PipelineView {
        svg: draw(&bands, &unused),
        summary: summary(&file, &bands, broken, &unused),
        broken,
    })
}

fn section_has(section: &Option<ComponentSection>, id: &str) -> bool {
    section
        .as_ref()
        .is_some_and(|s| s.components.iter().any(|c| c.id.value.trim() == id))
}

fn bands(config: &CollectorConfig) -> Vec<Band> {
    let pipelines: Vec<&Pipeline> = config
        .service
        .as_ref()
        .and_then(|s| s.pipelines.as_ref())
        .map(|p| p.pipelines.iter().collect())
        .unwrap_or_default();
    let connector_ids: BTreeSet<String> = config
        .connectors
        .iter()
        .flat_map(|s| &s.components)
        .map(|c| c.id.value.trim().to_string())
        .collect();
    let exported_to: BTreeSet<&str> = pipelines
        .iter()
        .flat_map(|p| p.exporter_ids())
        .map(|id| id.value.trim())
        .collect();
    let received_from: BTreeSet<&str> = pipelines
        .iter()
        .flat_map(|p| p.receiver_ids())
        .map(|id| id.value.trim())
        .collect();
    pipelines
        .iter()
        .map(|p| {
            let node = |id: &str, kind: ComponentKind| -> Node {
                let id = id.trim();
                let connector = connector_ids.contains(id);
                let (section, word) = match kind {
                    ComponentKind::Receiver => (&config.receivers, "receivers"),
                    ComponentKind::Processor => (&config.processors, "processors"),
                    _ => (&config.exporters, "exporters"),
                };
                let configured =
                    section_has(section, id) || (connector && kind != ComponentKind::Processor);
                let broken = if !configured {
                    Some(format!("`{id}` is not configured under `{word}`"))
                } else if connector
                    && kind == ComponentKind::Exporter
                    && !received_from.contains(id)
                {
                    Some(format!(
                        "connector `{id}` feeds no pipeline: none lists it as a receiver"
                    ))
                } else if connector && kind == ComponentKind::Receiver && !exported_to.contains(id)
                {
                    Some(format!(
                        "connector `{id}` is fed by no pipeline: none lists it as an exporter"
                    ))
                } else {
                    None
                };
                let detail = if kind == ComponentKind::Receiver {
                    config
                        .receivers
                        .iter()
                        .flat_map(|s| &s.components)
                        .find(|c| c.id.value.trim() == id)
                        .map(|c| {
                            otlp_listeners(c)
                                .iter()
                                .map(|l| format!("{} {}:{}", l.protocol.as_str(), l.host, l.port))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .filter(|d| !d.is_empty())
                } else if connector {
                    Some("connector".into())
                } else {
                    None
                };
                Node {
                    label: id.to_string(),
                    detail,
                    broken,
                    connector,
                }
            };
            let mut receivers: Vec<Node> = p
                .receiver_ids()
                .map(|id| node(&id.value, ComponentKind::Receiver))
                .collect();
            let processors: Vec<Node> = p
                .processor_ids()
                .map(|id| node(&id.value, ComponentKind::Processor))
                .collect();
            let mut exporters: Vec<Node> = p
                .exporter_ids()
                .map(|id| node(&id.value, ComponentKind::Exporter))
                .collect();
            let missing = |what: &str| Node {
                label: format!("no {what}"),
                detail: None,
                broken: Some(format!("a pipeline needs at least one {what}")),
                connector: false,
            };
            if receivers.is_empty() {
                receivers.push(missing("receiver"));
            }
            if exporters.is_empty() {
                exporters.push(missing("exporter"));
            }
            Band {
                name: p.id.value.clone(),
                columns: [receivers, processors, exporters],
            }
        })
        .collect()
}

/// Configured components no pipeline names (extensions are not in
/// pipelines and are left out).
fn unused(config: &CollectorConfig) -> Vec<String> {
    let named: BTreeSet<String> = config
        .service
        .iter()
        .flat_map(|s| &s.pipelines)
        .flat_map(|p| &p.pipelines)
        .flat_map(|p| {
            p.receiver_ids()
                .chain(p.processor_ids())
                .chain(p.exporter_ids())
        })
        .map(|id| id.value.trim().to_string())
        .collect();
    [
        &config.receivers,
        &config.processors,
        &config.exporters,
        &config.connectors,
    ]
    .into_iter()
    .flatten()
    .flat_map(|s| &s.components)
    .map(|c| c.id.value.trim().to_string())
    .filter(|id| !named.contains(id))
    .collect()
}

fn summary(file: &str, bands: &[Band], broken: usize, unused: &[String]) -> String {
    let mut text = format!("Pipelines of the collector config in {file}: ");
    if bands.is_empty() {
        text.push_str("none.");
    }
    let described: Vec<String> = bands
        .iter()
        .map(|b| {
            let names = |i: usize| {
                b.columns[i]
                    .iter()
                    .map(|n| n.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "{} (receivers: {}; processors: {}; exporters: {})",
                b.name,
                names(0),
                if b.columns[1].is_empty() {
                    "none".into()
                } else {
                    names(1)
                },
                names(2)
            )
        })
        .collect();
    text.push_str(&described.join("; "));
    if broken > 0 {
        let _ = write!(text, ". {broken} broken link(s)");
    }
    if !unused.is_empty() {
        let _ = write!(text, ". Not in any pipeline: {}", unused.join(", "));
    }
    text
}

fn column_height(nodes: &[Node]) -> f64 {
    nodes.len() as f64 * (NODE_H + GAP)
}

fn draw(bands: &[Band], unused: &[String]) -> String {
    let mut body = String::new();
    let mut y = 8.0;
    // Where each connector leaves and enters, to draw the bridges last.
    let mut connector_out: Vec<(String, f64, f64)> = Vec::new();
    let mut connector_in: Vec<(String, f64, f64)> = Vec::new();
    for band in bands {
        let height = band
            .columns
            .iter()
            .map(|c| column_height(c))
            .fold(NODE_H + GAP, f64::max);
        let _ = write!(
            body,
            r#"<rect class="band" x="2" y="{y:.1}" width="{:.1}" height="{:.1}" rx="6"/><text class="band-name" x="10" y="{:.1}">pipeline {}</text>"#,
            WIDTH - 4.0,
            height + BAND_HEAD,
            y + 15.0,
            escape(&band.name)
        );
        let top = y + BAND_HEAD;
        let mut centres: [Vec<(f64, f64, bool)>; 3] = Default::default();
        for (column, nodes) in band.columns.iter().enumerate() {
            for (i, node) in nodes.iter().enumerate() {
                let nx = COLUMN_X[column];
                let ny = top + i as f64 * (NODE_H + GAP);
                let state = if node.broken.is_some() {
                    "broken"
                } else {
                    "ok"
                };
                let class = format!(
                    "node {state}{}",
                    if node.connector { " connector" } else { "" }
                );
                let title = node.broken.clone().unwrap_or_else(|| node.label.clone());
                let _ = write!(
                    body,
                    r#"<g class="{class}" data-state="{state}"><title>{}</title><rect x="{nx:.1}" y="{ny:.1}" width="{NODE_W}" height="{NODE_H}" rx="5"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                    escape(&title),
                    nx + 8.0,
                    ny + if node.detail.is_some() { 14.0 } else { 21.0 },
                    escape(&node.label)
                );
                if let Some(detail) = &node.detail {
                    let _ = write!(
                        body,
                        r#"<text class="detail" x="{:.1}" y="{:.1}">{}</text>"#,
                        nx + 8.0,
                        ny + 27.0,
                        escape(detail)
                    );
                }
                body.push_str("</g>");
                centres[column].push((nx, ny + NODE_H / 2.0, node.broken.is_some()));
                if node.connector && column == 2 {
                    connector_out.push((node.label.clone(), nx + NODE_W, ny + NODE_H / 2.0));
                }
                if node.connector && column == 0 {
                    connector_in.push((node.label.clone(), nx, ny + NODE_H / 2.0));
                }
            }
        }
        // Data flows receivers → processors in order → exporters.
        let mut stages: Vec<Vec<(f64, f64, bool)>> = vec![centres[0].clone()];
        stages.extend(centres[1].iter().map(|c| vec![*c]));
        stages.push(centres[2].clone());
        for pair in stages.windows(2) {
            for from in &pair[0] {
                for to in &pair[1] {
                    let state = if from.2 || to.2 { "broken" } else { "ok" };
                    let _ = write!(
                        body,
                        r#"<line class="edge {state}" data-state="{state}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" marker-end="url(#arrow)"/>"#,
                        from.0 + NODE_W,
                        from.1,
                        to.0 - 2.0,
                        to.1
                    );
                }
            }
        }
        y = top + height + 8.0;
    }
    for (id, x1, y1) in &connector_out {
        for (_, x2, y2) in connector_in.iter().filter(|(other, _, _)| other == id) {
            let _ = write!(
                body,
                r#"<path class="edge bridge" data-state="ok" d="M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{:.1} {:.1},{:.1} S{:.1},{y2:.1} {:.1},{y2:.1}" marker-end="url(#arrow)"><title>connector {}</title></path>"#,
                x1 + 30.0,
                x1 + 30.0,
                (y1 + y2) / 2.0,
                WIDTH / 2.0,
                (y1 + y2) / 2.0,
                x2 - 30.0,
                x2 - 2.0,
                escape(id)
            );
        }
    }
    if !unused.is_empty() {
        let _ = write!(
            body,
            r#"<text class="unused" data-state="unused" x="10" y="{:.1}">not in any pipeline: {}</text>"#,
            y + 12.0,
            escape(&unused.join(", "))
        );
        y += 20.0;
    }
    if bands.is_empty() {
        let _ = write!(
            body,
            r#"<text class="unused" x="10" y="{:.1}">no pipelines under service.pipelines</text>"#,
            y + 12.0
        );
        y += 20.0;
    }
    format!(
        r#"<svg viewBox="0 0 {:.1} {:.1}" class="pipeline-graph" role="img" aria-hidden="true"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>{body}</svg>"#,
        // Room on the right for the connector bridges' curves.
        WIDTH + 40.0,
        y + 4.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use canary_lab_lint::{parse_workspace, SourceFile};

    fn graph(config: &str) -> PipelineView {
        let files = [SourceFile::new(
            "otel/config.yaml".to_string(),
            config.to_string(),
        )];
        view(&parse_workspace(&files).0).expect("a collector config")
    }

    const BROKEN: &str = include_str!("../../../fixtures/challenge/broken/otel/config.yaml");
    const FIXED: &str = include_str!("../../../fixtures/challenge/fixed/otel/config.yaml");

    #[test]
    fn the_fixed_challenge_bridges_traces_to_metrics() {
        let g = graph(FIXED);
        assert_eq!(g.broken, 0, "{}", g.summary);
        assert!(g.svg.contains("class=\"edge bridge\""));
        assert!(g.summary.contains("traces"));
        assert!(g.summary.contains("metrics"));
        assert!(g.svg.contains("http 0.0.0.0:4318"));
    }

    #[test]
    fn the_broken_challenge_marks_the_missing_receiver_and_the_dangling_connector() {
        let g = graph(BROKEN);
        assert!(g.broken >= 2, "{}", g.summary);
        assert!(g.svg.contains("`otlp` is not configured under `receivers`"));
        assert!(g.svg.contains("connector `spanmetrics` feeds no pipeline"));
        assert!(!g.svg.contains("class=\"edge bridge\""));
    }

    #[test]
    fn unused_components_and_empty_pipelines_are_shown() {
        let g = graph(
            "receivers:\n  otlp:\n    protocols:\n      http:\nexporters:\n  debug:\n  prometheus:\n    endpoint: 0.0.0.0:8889\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n",
        );
        assert!(g.svg.contains("no exporter"));
        assert!(
            g.summary.contains("Not in any pipeline: debug, prometheus"),
            "{}",
            g.summary
        );
    }

    #[test]
    fn no_collector_config_no_graph() {
        let files = [SourceFile::new(
            "a.yaml".to_string(),
            "kind: Service\n".to_string(),
        )];
        assert!(view(&parse_workspace(&files).0).is_none());
    }
}
