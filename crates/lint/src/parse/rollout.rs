//! Builder for Argo Rollouts `Rollout`.

use std::time::Duration;

use super::fields::Reader;
use super::objects::pod_template;
use crate::duration::parse_go_duration;
use crate::model::{
    ArgValue, CanaryStep, CanaryStrategy, ObjectMeta, Rollout, RolloutAnalysis, RolloutArg,
    Spanned, StepKind, TemplateRef,
};
use crate::yaml::{Node, ScalarStyle};

pub(crate) fn build(reader: &mut Reader, meta: ObjectMeta, doc: &Node) -> Rollout {
    let spec = doc.get("spec");
    let canary = spec
        .and_then(|s| s.path(&["strategy", "canary"]))
        .filter(|c| !c.is_null() || c.as_mapping().is_some());
    let canary = canary.map(|c| canary_strategy(reader, c));
    Rollout {
        replicas: reader.int(spec.and_then(|s| s.get("replicas")), "spec.replicas"),
        selector: reader.string_map(
            spec.and_then(|s| s.path(&["selector", "matchLabels"])),
            "spec.selector.matchLabels",
        ),
        template: pod_template(reader, spec.and_then(|s| s.get("template"))),
        canary,
        meta,
    }
}

fn canary_strategy(reader: &mut Reader, node: &Node) -> CanaryStrategy {
    let steps = reader
        .sequence(node.get("steps"), "spec.strategy.canary.steps")
        .iter()
        .enumerate()
        .map(|(index, step)| CanaryStep {
            index,
            span: step.span,
            kind: step_kind(reader, step),
        })
        .collect();
    CanaryStrategy {
        span: node.span,
        steps,
        background_analysis: node
            .get("analysis")
            .filter(|a| !a.is_null())
            .map(|a| analysis(reader, a)),
    }
}

fn step_kind(reader: &mut Reader, step: &Node) -> StepKind {
    if let Some(weight) = step.get("setWeight") {
        if let Some(w) = reader.int(Some(weight), "setWeight") {
            return StepKind::SetWeight(w);
        }
    }
    if let Some(pause) = step.entry("pause") {
        let duration = pause
            .value
            .get("duration")
            .and_then(|d| pause_duration(reader, d));
        return StepKind::Pause { duration };
    }
    if let Some(a) = step.get("analysis") {
        return StepKind::Analysis(analysis(reader, a));
    }
    let key = step
        .as_mapping()
        .and_then(|m| m.first())
        .map(|e| Spanned::new(e.key.as_scalar().unwrap_or("").to_string(), e.key.span))
        .unwrap_or_else(|| Spanned::new(String::new(), step.span));
    StepKind::Other(key)
}

/// An int (seconds) or a string with a unit; a bare number string is seconds.
fn pause_duration(reader: &mut Reader, node: &Node) -> Option<Spanned<Duration>> {
    let text = node.as_scalar()?.trim();
    let parsed = match text.parse::<u64>() {
        Ok(secs) => Ok(Duration::from_secs(secs)),
        Err(_) if node.style() == Some(ScalarStyle::Plain) || !text.is_empty() => {
            parse_go_duration(text)
        }
        Err(_) => Err(format!("invalid duration {text:?}")),
    };
    match parsed {
        Ok(d) => Some(Spanned::new(d, node.span)),
        Err(e) => {
            reader.issue(
                node,
                format!("`pause.duration` is not a valid duration: {e}"),
            );
            None
        }
    }
}

fn analysis(reader: &mut Reader, node: &Node) -> RolloutAnalysis {
    let templates = reader
        .sequence(node.get("templates"), "analysis.templates")
        .iter()
        .filter_map(|t| {
            let name = reader.string(t.get("templateName"), "templateName")?;
            Some(TemplateRef {
                name,
                cluster_scope: reader
                    .bool(t.get("clusterScope"), "clusterScope")
                    .unwrap_or(false),
                span: t.span,
            })
        })
        .collect();
    let args = reader
        .sequence(node.get("args"), "analysis.args")
        .iter()
        .filter_map(|a| {
            let name = reader.string(a.get("name"), "args[].name")?;
            Some(RolloutArg {
                name,
                value: arg_value(reader, a),
                span: a.span,
            })
        })
        .collect();
    RolloutAnalysis {
        span: node.span,
        templates,
        args,
        starting_step: reader.int(node.get("startingStep"), "analysis.startingStep"),
    }
}

fn arg_value(reader: &mut Reader, arg: &Node) -> ArgValue {
    if let Some(value) = reader.string(arg.get("value"), "args[].value") {
        return ArgValue::Value(value);
    }
    let Some(from) = arg.get("valueFrom") else {
        return ArgValue::Missing;
    };
    if let Some(path) = reader.string(from.path(&["fieldRef", "fieldPath"]), "fieldRef.fieldPath") {
        return ArgValue::FieldRef(path);
    }
    if let Some(hash) = reader.string(from.get("podTemplateHashValue"), "podTemplateHashValue") {
        return ArgValue::PodTemplateHash(hash);
    }
    match from.as_mapping().and_then(|m| m.first()) {
        Some(e) => ArgValue::Other(Spanned::new(
            e.key.as_scalar().unwrap_or("").to_string(),
            e.key.span,
        )),
        None => ArgValue::Missing,
    }
}
