//! `--format sarif`: SARIF 2.1.0 for code-scanning tools. Every rule is
//! listed under `tool.driver.rules`; each result points at its rule by
//! `ruleId` and `ruleIndex`.

use canary_lab_lint::registry::rules;
use canary_lab_lint::{Diagnostic, Severity};
use serde_json::{json, Value};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let rule_list: Vec<Value> = rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.meta.code,
                "name": r.meta.name,
                "shortDescription": { "text": r.meta.summary },
                "fullDescription": { "text": r.meta.summary },
                "help": { "text": r.meta.doc(), "markdown": r.meta.doc() },
                "defaultConfiguration": { "level": level(r.meta.severity) },
                "properties": { "group": r.meta.group.as_str() },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = rules().iter().position(|r| r.meta.code == d.code);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            json!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.location.file },
                        "region": {
                            "startLine": d.location.start.line,
                            "startColumn": d.location.start.column,
                            "endLine": d.location.end.line,
                            "endColumn": d.location.end.column,
                            "charOffset": d.location.byte_range.start,
                            "charLength": d.location.byte_range.len(),
                        }
                    }
                }],
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "canary-lab",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_list,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
