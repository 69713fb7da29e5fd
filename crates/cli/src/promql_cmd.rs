//! `canary-lab promql test FILE...`: runs promtool's rule-unit-test files
//! with our PromQL engine and reports like `promtool test rules` does, so
//! the same files can be checked against the real Prometheus.

use std::process::ExitCode;

use lexopt::ValueExt;

use crate::CliError;

pub fn run(mut parser: lexopt::Parser) -> Result<ExitCode, CliError> {
    match parser.next()? {
        Some(lexopt::Arg::Value(sub)) if sub == "test" => {}
        Some(lexopt::Arg::Value(sub)) => {
            return Err(CliError::Usage(format!(
                "unknown promql command `{}`; expected `promql test FILE...`",
                sub.string()?
            )))
        }
        Some(other) => return Err(other.unexpected().into()),
        None => {
            return Err(CliError::Usage(
                "missing promql command: `promql test FILE...`".into(),
            ))
        }
    }
    let mut files = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Value(path) => files.push(path.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    if files.is_empty() {
        return Err(CliError::Usage(
            "`promql test` needs at least one FILE".into(),
        ));
    }
    let mut all_passed = true;
    let mut out = String::new();
    for path in &files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::Io(format!("cannot read {path}: {e}")))?;
        out += &format!("Unit Testing:  {path}\n");
        match canary_lab_promql::unittest::run_file(&text) {
            Ok(report) => {
                all_passed &= report.passed();
                out += &report.render();
            }
            Err(error) => {
                all_passed = false;
                out += &format!("  FAILED:\n    {error}\n\n");
            }
        }
        out.push('\n');
    }
    crate::emit(&out)?;
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
