//! Files → [`Workspace`]: split YAML documents, recognise kinds, build the model.

mod analysis;
mod collector;
mod fields;
mod objects;
mod rollout;

use crate::collector::go_yaml::ConfigText;
use crate::model::{
    CollectorSource, NamespaceSource, ObjectMeta, ParseIssue, ParseIssueKind, Spanned, Workspace,
};
use crate::source::{FileId, SourceFile};
use crate::yaml::{load_documents, Limits, Node};

use fields::Reader;

/// The top-level keys that make a document a bare collector config.
const COLLECTOR_KEYS: [&str; 6] = [
    "receivers",
    "processors",
    "exporters",
    "connectors",
    "extensions",
    "service",
];

/// Builds the model of all files. Never fails: problems are recorded in
/// [`Workspace::issues`] (and per collector config).
pub fn build_workspace(files: &[SourceFile]) -> Workspace {
    let mut ws = Workspace {
        paths: files.iter().map(|f| f.path.clone()).collect(),
        ..Workspace::default()
    };
    for (index, file) in files.iter().enumerate() {
        let id = FileId(index as u32);
        let (documents, error) = load_documents(&file.text, id, None, Limits::default());
        if let Some(error) = error {
            ws.issues.push(ParseIssue {
                kind: if error.limit {
                    ParseIssueKind::Limit
                } else {
                    ParseIssueKind::Syntax
                },
                message: error.message,
                span: error.span,
            });
        }
        for (doc_index, doc) in documents.iter().enumerate() {
            build_document(&mut ws, file, id, doc_index, doc);
        }
    }
    ws
}

fn build_document(ws: &mut Workspace, file: &SourceFile, id: FileId, doc_index: usize, doc: &Node) {
    if doc.is_null() {
        return;
    }
    if doc.as_mapping().is_none() {
        ws.issues.push(ParseIssue {
            kind: ParseIssueKind::NotAnObject,
            message: format!(
                "expected a Kubernetes object (a mapping), found a {}",
                doc.kind_name()
            ),
            span: doc.span,
        });
        return;
    }
    let kind = doc.get("kind");
    if kind.is_none() && doc.get("apiVersion").is_none() {
        if COLLECTOR_KEYS.iter().any(|k| doc.get(k).is_some()) {
            let text = ConfigText {
                text: &file.text,
                file: id,
                offsets: None,
            };
            let config = collector::build(doc.clone(), CollectorSource::File, id, doc.span, &text);
            ws.collectors.push(config);
        }
        return;
    }
    let mut issues = std::mem::take(&mut ws.issues);
    let mut reader = Reader {
        text: &file.text,
        issues: &mut issues,
    };
    let Some(kind) = reader.string(kind, "kind") else {
        reader.issues.push(ParseIssue {
            kind: ParseIssueKind::NotAnObject,
            message: "object has no `kind`".to_string(),
            span: doc.span,
        });
        ws.issues = issues;
        return;
    };
    let meta = object_meta(&mut reader, &file.path, id, doc_index, doc, kind);
    match meta.kind.value.as_str() {
        "ConfigMap" => collector::from_config_map(ws, &mut reader, meta, doc),
        "Rollout" => ws.rollouts.push(rollout::build(&mut reader, meta, doc)),
        "AnalysisTemplate" | "ClusterAnalysisTemplate" => ws
            .analysis_templates
            .push(analysis::build(&mut reader, meta, doc)),
        "Service" => ws.services.push(objects::service(&mut reader, meta, doc)),
        "DaemonSet" | "Deployment" => ws.workloads.push(objects::workload(&mut reader, meta, doc)),
        "ApplicationSet" => {
            ws.application_sets
                .push(objects::application_set(&mut reader, meta, doc))
        }
        _ => {}
    }
    ws.issues.append(&mut issues);
}

fn object_meta(
    reader: &mut Reader,
    path: &str,
    file: FileId,
    document: usize,
    doc: &Node,
    kind: Spanned<String>,
) -> ObjectMeta {
    let metadata = doc.get("metadata");
    reader.mapping(metadata, "metadata");
    let name = reader
        .string(metadata.and_then(|m| m.get("name")), "metadata.name")
        .unwrap_or_else(|| Spanned::new(String::new(), kind.span));
    let explicit = reader.string(
        metadata.and_then(|m| m.get("namespace")),
        "metadata.namespace",
    );
    let (namespace, namespace_source) = match explicit {
        Some(ns) => (ns.value, NamespaceSource::Metadata),
        None => match path.trim_start_matches("./").split_once('/') {
            Some((dir, _)) if !dir.is_empty() => (dir.to_string(), NamespaceSource::Directory),
            _ => ("default".to_string(), NamespaceSource::Default),
        },
    };
    ObjectMeta {
        api_version: reader.string(doc.get("apiVersion"), "apiVersion"),
        labels: reader.string_map(metadata.and_then(|m| m.get("labels")), "metadata.labels"),
        annotations: reader.string_map(
            metadata.and_then(|m| m.get("annotations")),
            "metadata.annotations",
        ),
        kind,
        name,
        namespace,
        namespace_source,
        file,
        document,
        span: doc.span,
    }
}
