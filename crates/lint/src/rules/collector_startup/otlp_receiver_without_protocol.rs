//! OTEL111

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an `otlp` receiver that enables neither `grpc` nor `http`.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with
    /// `receivers::otlp: must specify at least one protocol when using the OTLP receiver`.
    ///
    /// ## Example
    /// ```yaml
    /// receivers:
    ///   otlp:
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       http:
    ///         endpoint: 0.0.0.0:4318
    /// ```
    pub RULE {
        code: "OTEL111",
        name: "otlp-receiver-without-protocol",
        group: CollectorStartup,
        severity: Error,
        summary: "an OTLP receiver enables no protocol",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::OtlpNoProtocol,
        |f| {
            let id = f
                .message
                .split("::")
                .nth(1)
                .and_then(|s| s.split(':').next())
                .unwrap_or("otlp");
            format!("receiver `{id}` enables no protocol")
        },
        "add `protocols: {http: {endpoint: 0.0.0.0:4318}}` (HotROD speaks OTLP/HTTP) or `grpc`",
    );
}
