//! A compact, stable digest of a report for golden tests (natively and
//! in the browser): the outcome and every measurement, one line each.

use crate::report::SimReport;

pub fn summary(report: &SimReport) -> String {
    let mut out = format!(
        "outcome {} stable={} aborted={}\ncollector {}\n",
        report.outcome.phase.as_deref().unwrap_or("-"),
        report.outcome.stable_image.as_deref().unwrap_or("-"),
        report.outcome.aborted,
        report.collector.status,
    );
    for run in &report.analysis_runs {
        out.push_str(&format!(
            "run {} {} {:?}\n",
            run.name, run.phase, run.message
        ));
        for m in &run.metrics {
            for x in &m.measurements {
                out.push_str(&format!(
                    "  {:>7.1}s {} {} {}\n",
                    x.time_s,
                    m.name,
                    x.phase,
                    x.value.as_deref().or(x.message.as_deref()).unwrap_or("")
                ));
            }
        }
    }
    for e in &report.events {
        if matches!(
            e.kind,
            crate::EventKind::RolloutAborted { .. }
                | crate::EventKind::RolloutPromoted { .. }
                | crate::EventKind::RolloutHealthy
                | crate::EventKind::StepCompleted { .. }
        ) {
            out.push_str(&format!("{:>8.1}s {}\n", e.t_ms as f64 / 1000.0, e.message));
        }
    }
    out.push_str(&format!(
        "requests {} spans {}\n",
        report.stats.requests, report.stats.spans_received
    ));
    out
}
