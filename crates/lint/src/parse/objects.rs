//! Builders for pod templates, Services, DaemonSets/Deployments and ApplicationSets.

use super::fields::Reader;
use crate::model::{
    ApplicationSet, Container, ContainerPort, EnvSource, EnvVar, ObjectMeta, PodTemplate, Service,
    ServicePort, Spanned, Workload, WorkloadKind,
};
use crate::yaml::Node;

/// `spec.template` of a workload.
pub(crate) fn pod_template(reader: &mut Reader, template: Option<&Node>) -> PodTemplate {
    let meta = template.and_then(|t| t.get("metadata"));
    let spec = template.and_then(|t| t.get("spec"));
    let containers = reader
        .sequence(
            spec.and_then(|s| s.get("containers")),
            "spec.template.spec.containers",
        )
        .iter()
        .map(|c| container(reader, c))
        .collect();
    PodTemplate {
        labels: reader.string_map(
            meta.and_then(|m| m.get("labels")),
            "spec.template.metadata.labels",
        ),
        annotations: reader.string_map(
            meta.and_then(|m| m.get("annotations")),
            "spec.template.metadata.annotations",
        ),
        containers,
    }
}

fn container(reader: &mut Reader, node: &Node) -> Container {
    let ports = reader
        .sequence(node.get("ports"), "ports")
        .iter()
        .map(|p| ContainerPort {
            name: reader.string(p.get("name"), "ports[].name"),
            container_port: reader.port(p.get("containerPort"), "containerPort"),
            protocol: reader.string(p.get("protocol"), "ports[].protocol"),
            span: p.span,
        })
        .collect();
    let env = reader
        .sequence(node.get("env"), "env")
        .iter()
        .map(|e| env_var(reader, e))
        .collect();
    let args = reader
        .sequence(node.get("args"), "args")
        .iter()
        .filter_map(|a| reader.string(Some(a), "args[]"))
        .collect();
    Container {
        name: reader
            .string(node.get("name"), "containers[].name")
            .unwrap_or_else(|| Spanned::new(String::new(), node.span)),
        image: reader.string(node.get("image"), "image"),
        args,
        ports,
        env,
        span: node.span,
    }
}

fn env_var(reader: &mut Reader, node: &Node) -> EnvVar {
    let value_from = node.get("valueFrom").and_then(|from| {
        if let Some(path) = from.path(&["fieldRef", "fieldPath"]) {
            return reader
                .string(Some(path), "fieldRef.fieldPath")
                .map(EnvSource::FieldRef);
        }
        let first = from.as_mapping()?.first()?;
        let key = first.key.as_scalar()?;
        Some(EnvSource::Other(Spanned::new(
            key.to_string(),
            first.key.span,
        )))
    });
    EnvVar {
        name: reader
            .string(node.get("name"), "env[].name")
            .unwrap_or_else(|| Spanned::new(String::new(), node.span)),
        value: reader.string(node.get("value"), "env[].value"),
        value_from,
        span: node.span,
    }
}

pub(crate) fn service(reader: &mut Reader, meta: ObjectMeta, doc: &Node) -> Service {
    let spec = doc.get("spec");
    let ports = reader
        .sequence(spec.and_then(|s| s.get("ports")), "spec.ports")
        .iter()
        .map(|p| ServicePort {
            name: reader.string(p.get("name"), "spec.ports[].name"),
            port: reader.port(p.get("port"), "spec.ports[].port"),
            target_port: reader.int_or_string(p.get("targetPort"), "spec.ports[].targetPort"),
            span: p.span,
        })
        .collect();
    Service {
        selector: reader.string_map(spec.and_then(|s| s.get("selector")), "spec.selector"),
        ports,
        meta,
    }
}

pub(crate) fn workload(reader: &mut Reader, meta: ObjectMeta, doc: &Node) -> Workload {
    let spec = doc.get("spec");
    let kind = if meta.kind.value == "DaemonSet" {
        WorkloadKind::DaemonSet
    } else {
        WorkloadKind::Deployment
    };
    let template = spec.and_then(|s| s.get("template"));
    let volumes = reader.sequence(
        template.and_then(|t| t.path(&["spec", "volumes"])),
        "spec.template.spec.volumes",
    );
    let config_map_volumes = volumes
        .iter()
        .filter_map(|v| reader.string(v.path(&["configMap", "name"]), "configMap.name"))
        .collect();
    Workload {
        kind,
        replicas: reader.int(spec.and_then(|s| s.get("replicas")), "spec.replicas"),
        selector: reader.string_map(
            spec.and_then(|s| s.path(&["selector", "matchLabels"])),
            "spec.selector.matchLabels",
        ),
        template: pod_template(reader, template),
        config_map_volumes,
        meta,
    }
}

pub(crate) fn application_set(reader: &mut Reader, meta: ObjectMeta, doc: &Node) -> ApplicationSet {
    let spec = doc.get("spec");
    let mut directories = Vec::new();
    for generator in reader.sequence(spec.and_then(|s| s.get("generators")), "spec.generators") {
        let dirs = generator.path(&["git", "directories"]);
        for dir in reader.sequence(dirs, "git.directories") {
            if let Some(path) = reader.string(dir.get("path"), "directories[].path") {
                let exclude = reader
                    .bool(dir.get("exclude"), "directories[].exclude")
                    .unwrap_or(false);
                directories.push((path, exclude));
            }
        }
    }
    ApplicationSet {
        destination_namespace: reader.string(
            spec.and_then(|s| s.path(&["template", "spec", "destination", "namespace"])),
            "spec.template.spec.destination.namespace",
        ),
        directories,
        meta,
    }
}
