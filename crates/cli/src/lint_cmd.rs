//! `canary-lab lint [--format human|json|sarif] PATH...`

use std::io::IsTerminal;
use std::process::ExitCode;

use canary_lab_lint::{lint, Severity};
use lexopt::{Arg, ValueExt};

use crate::{files, human, json_format, sarif, CliError};

#[derive(Clone, Copy)]
enum Format {
    Human,
    Json,
    Sarif,
}

pub fn run(mut parser: lexopt::Parser) -> Result<ExitCode, CliError> {
    let mut format = Format::Human;
    let mut paths = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            Arg::Long("format") | Arg::Short('f') => {
                format = match parser.value()?.string()?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    other => {
                        return Err(CliError::Usage(format!(
                            "unknown format `{other}` (expected human, json or sarif)"
                        )))
                    }
                }
            }
            Arg::Value(path) => paths.push(path.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    if paths.is_empty() {
        return Err(CliError::Usage(
            "`lint` needs at least one file or directory".into(),
        ));
    }
    let files = files::collect(&paths)?;
    let diagnostics = lint(&files);
    let output = match format {
        Format::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            human::render(&files, &diagnostics, color)
        }
        Format::Json => json_format::render(&diagnostics),
        Format::Sarif => sarif::render(&diagnostics),
    };
    crate::emit(&output)?;
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
