//! `OTEL1xx`: problems that make the collector refuse to start. Every rule
//! here reports one kind of [`Finding`] from [`crate::collector::startup`],
//! the same findings that build `collector_startup_error`, so the linter and
//! the simulator agree on whether the collector starts.

pub mod collector_config_unparsable;
pub mod connector_misuse;
pub mod empty_collector_config;
pub mod incomplete_pipeline;
pub mod invalid_component_settings;
pub mod invalid_config_structure;
pub mod no_exporters;
pub mod no_receivers;
pub mod otlp_receiver_without_protocol;
pub mod undefined_component;
pub mod unknown_component_type;
pub mod unknown_config_key;
pub mod unsupported_pipeline_signal;

use crate::collector::{Check, Finding};
use crate::context::{Context, Report};

/// Reports every finding of `check`; `lead` says what is wrong in our words,
/// and the collector's own error follows it. A finding that carries its own
/// explanation (a YAML failure) brings its help and a second place.
fn report_check(ctx: &mut Context, check: Check, lead: fn(&Finding) -> String, help: &str) {
    let findings: Vec<Finding> = ctx
        .startup
        .iter()
        .flatten()
        .filter(|f| f.check == check)
        .cloned()
        .collect();
    for finding in findings {
        let printed = crate::collector::startup::one_line(&finding.collector_message());
        let message = format!("{}: the collector exits with `{printed}`", lead(&finding));
        let mut report = Report::new(finding.span, message);
        match finding.explanation {
            Some(explained) => {
                report = report.help(explained.help);
                if let Some((span, label)) = explained.related {
                    report = report.label(span, label);
                }
            }
            None => report = report.help(help),
        }
        ctx.emit(report);
    }
}
