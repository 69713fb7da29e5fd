//! `canary-lab`: the Canary Lab command line. `main` only dispatches to one
//! module per subcommand (`lint`, `rules`, `promql test`, `simulate`,
//! `check`).

mod check_cmd;
mod files;
mod human;
mod json_format;
mod lint_cmd;
mod promql_cmd;
mod rules_cmd;
mod sarif;
mod simulate_cmd;

use std::io::Write;

use lexopt::ValueExt;
use std::process::ExitCode;

/// A failure that is not a lint finding; both exit with status 2.
#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Io(String),
}

impl From<lexopt::Error> for CliError {
    fn from(error: lexopt::Error) -> Self {
        CliError::Usage(error.to_string())
    }
}

const USAGE: &str = "\
usage: canary-lab <command> [options]

commands:
  lint [--format human|json|sarif] PATH...   check manifests (files or directories)
  rules [CODE]                               list the rules, or print one rule's documentation
  promql test FILE...                        run promtool unit-test files with our PromQL engine
  simulate DIR --stable-image IMAGE [--seed N] [--until DURATION] [--format text|json]
                                             play the manifests forward: rollout, collector, analysis
  check LESSON_DIR [--solution]              judge a lesson's objectives on its start (or solution)

exit status: 0 no errors, 1 errors found, 2 usage or I/O error";

/// Writes a command's output. A closed pipe (`canary-lab rules | head`)
/// means the reader has all it wants: stop quietly, never panic.
pub fn emit(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Io(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            let message = match error {
                CliError::Usage(m) => format!("error: {m}\n\n{USAGE}"),
                CliError::Io(m) => format!("error: {m}"),
            };
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, CliError> {
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next()? {
        Some(lexopt::Arg::Value(command)) => command.string()?,
        Some(lexopt::Arg::Long("help") | lexopt::Arg::Short('h')) => {
            emit(&format!("{USAGE}\n"))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(lexopt::Arg::Long("version") | lexopt::Arg::Short('V')) => {
            emit(&format!("canary-lab {}\n", env!("CARGO_PKG_VERSION")))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected().into()),
        None => return Err(CliError::Usage("missing command".into())),
    };
    match command.as_str() {
        "lint" => lint_cmd::run(parser),
        "rules" => rules_cmd::run(parser),
        "promql" => promql_cmd::run(parser),
        "simulate" => simulate_cmd::run(parser),
        "check" => check_cmd::run(parser),
        other => Err(CliError::Usage(format!("unknown command `{other}`"))),
    }
}
