//! Establishes the [`Facts`] for a set of files — one lint pass and one
//! simulation run with the lesson's seed, images and behaviours — and judges
//! every objective against them.

#[cfg(feature = "sim")]
use std::collections::{BTreeMap, BTreeSet};

#[cfg(feature = "sim")]
use canary_lab_lint::{lint_workspace, parse_workspace, SourceFile};
use canary_lab_lint::{Diagnostic, Severity, Workspace};
#[cfg(feature = "sim")]
use canary_lab_sim::{run, Scenario, SimOptions, SimRun, VersionBehaviour};

#[cfg(feature = "sim")]
use crate::objective::MetricFacts;
use crate::objective::{Facts, Objective, TrafficMetric, Verdict};
use crate::Lesson;

/// How long a lesson's run lasts in simulated time: enough for the
/// challenge's analysis (about two minutes) and the slowest lesson's limits.
#[cfg(feature = "sim")]
pub const LESSON_RUN_MS: i64 = 10 * 60_000;

/// One objective and its verdict.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Judged {
    pub objective: Objective,
    pub verdict: Verdict,
}

/// Judges every objective of `lesson` on `files` (path, text).
#[cfg(feature = "sim")]
pub fn check(lesson: &Lesson, files: &[(String, String)]) -> Vec<Judged> {
    judge_all(lesson, &facts(lesson, files))
}

/// Judges every objective of `lesson` against established facts.
pub fn judge_all(lesson: &Lesson, facts: &Facts) -> Vec<Judged> {
    lesson
        .manifest
        .objectives
        .iter()
        .map(|objective| Judged {
            objective: objective.clone(),
            verdict: objective.check.judge(facts),
        })
        .collect()
}

/// What lint alone establishes: the diagnostics and the traffic metrics.
/// The fields a run would fill keep their defaults.
pub fn lint_facts(workspace: &Workspace, diagnostics: &[Diagnostic]) -> Facts {
    Facts {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                (
                    d.location.file.clone(),
                    d.code.to_string(),
                    d.severity == Severity::Error,
                )
            })
            .collect(),
        traffic_metrics: canary_lab_lint::query::traffic_metrics(workspace)
            .into_iter()
            .map(|t| TrafficMetric {
                name: t.metric,
                min_rate: t.min_rate,
                excludes_scrapes: t.excludes_scrapes,
            })
            .collect(),
        failure_limits: workspace
            .analysis_templates
            .iter()
            .flat_map(|t| &t.metrics)
            .map(|m| {
                (
                    m.name.value.clone(),
                    m.failure_limit.as_ref().and_then(|l| l.value.as_int()),
                )
            })
            .collect(),
        ..Facts::default()
    }
}

/// Judges the objectives lint alone can decide; `None` for those that wait
/// for a run. The playground calls this on every lint pass.
pub fn check_without_run(lesson: &Lesson, facts: &Facts) -> Vec<Option<Judged>> {
    lesson
        .manifest
        .objectives
        .iter()
        .map(|objective| {
            (!objective.check.needs_run()).then(|| Judged {
                objective: objective.clone(),
                verdict: objective.check.judge(facts),
            })
        })
        .collect()
}

/// Lints and simulates `files` the way the lesson sets them up.
#[cfg(feature = "sim")]
pub fn facts(lesson: &Lesson, files: &[(String, String)]) -> Facts {
    facts_and_run(lesson, files).0
}

/// [`facts`], and the run they came from (the worker shows it).
#[cfg(feature = "sim")]
pub fn facts_and_run(lesson: &Lesson, files: &[(String, String)]) -> (Facts, SimRun) {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile::new(path.clone(), text.clone()))
        .collect();
    let (workspace, _) = parse_workspace(&sources);
    let diagnostics = lint_workspace(&workspace, &sources);
    let lint = lint_facts(&workspace, &diagnostics);

    let mut scenario = Scenario::from_workspace(&workspace);
    for (image, behaviour) in &lesson.manifest.behaviours {
        scenario.versions.insert(
            image_tag(image).to_string(),
            VersionBehaviour {
                error_rate: behaviour.error_rate,
                latency_factor: behaviour.latency_factor,
                ..VersionBehaviour::default()
            },
        );
    }
    let options = SimOptions {
        seed: lesson.manifest.seed,
        until_ms: LESSON_RUN_MS,
        stable_image: Some(lesson.manifest.stable_image.clone()),
    };
    let sim = run(&scenario, &options);
    let report = &sim.report;
    let series: BTreeSet<String> = sim
        .storage()
        .series_labels()
        .into_iter()
        .filter_map(|labels| labels.get("__name__").map(str::to_string))
        .collect();

    let mut metrics = BTreeMap::new();
    for analysis_run in &report.analysis_runs {
        for metric in &analysis_run.metrics {
            metrics.insert(
                metric.name.clone(),
                MetricFacts {
                    phase: metric.phase.clone(),
                    measurements: metric
                        .measurements
                        .iter()
                        .map(|m| m.phase.clone())
                        .collect(),
                },
            );
        }
    }
    let aborted_by = report
        .outcome
        .aborted
        .then(|| {
            report.analysis_runs.iter().rev().find_map(|r| {
                r.metrics
                    .iter()
                    .find(|m| m.phase == r.phase)
                    .map(|m| m.name.clone())
            })
        })
        .flatten();

    let facts = Facts {
        collector_running: report.collector.status == "Running",
        jaeger_traces: report.jaeger.traces,
        series,
        rollout_phase: report.outcome.phase.clone().unwrap_or_default(),
        stable_image: report.outcome.stable_image.clone().unwrap_or_default(),
        aborted_by,
        metrics,
        ..lint
    };
    (facts, sim)
}

#[cfg(feature = "sim")]
/// `jaegertracing/example-hotrod:1.76.0` → `1.76.0`; the simulator keys
/// behaviours by tag.
fn image_tag(image: &str) -> &str {
    image.rsplit_once(':').map_or(image, |(_, tag)| tag)
}
