//! `canary-lab simulate DIR --stable-image IMAGE [--seed N] [--until DURATION]
//! [--format text|json]`: plays the manifests forward and prints the
//! timeline and the outcome. The Rollout's image is the new revision;
//! `--stable-image` is what ran before it.

use std::process::ExitCode;

use canary_lab_lint::duration::parse_go_duration;
use canary_lab_lint::parse_workspace;
use canary_lab_sim::{simulate, Scenario, SimOptions};
use lexopt::ValueExt;

use crate::{files, CliError};

pub fn run(mut parser: lexopt::Parser) -> Result<ExitCode, CliError> {
    let mut dir = None;
    let mut options = SimOptions::default();
    let mut stable_image = None;
    let mut json = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("stable-image") => stable_image = Some(parser.value()?.string()?),
            lexopt::Arg::Long("seed") => {
                let text = parser.value()?.string()?;
                options.seed = text.parse().map_err(|_| {
                    CliError::Usage(format!("`--seed` takes a whole number, not `{text}`"))
                })?;
            }
            lexopt::Arg::Long("until") => {
                let text = parser.value()?.string()?;
                let until = parse_go_duration(&text)
                    .map_err(|e| CliError::Usage(format!("`--until {text}`: {e}")))?;
                options.until_ms = i64::try_from(until.as_millis())
                    .map_err(|_| CliError::Usage(format!("`--until {text}` is too long")))?;
            }
            lexopt::Arg::Long("format") => {
                json = match parser.value()?.string()?.as_str() {
                    "json" => true,
                    "text" => false,
                    other => {
                        return Err(CliError::Usage(format!(
                            "unknown format `{other}`; expected text or json"
                        )))
                    }
                }
            }
            lexopt::Arg::Value(value) if dir.is_none() => dir = Some(value.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    let dir =
        dir.ok_or_else(|| CliError::Usage("`simulate` needs the manifest directory".into()))?;
    options.stable_image = Some(stable_image.ok_or_else(|| {
        CliError::Usage(
            "`simulate` needs `--stable-image IMAGE`: the image running before the rollout".into(),
        )
    })?);
    let sources = files::collect(&[dir])?;
    let (workspace, _) = parse_workspace(&sources);
    let report = simulate(&Scenario::from_workspace(&workspace), &options);
    if json {
        crate::emit(&format!("{}\n", report.to_json()))?;
    } else {
        crate::emit(&report.render_text())?;
    }
    Ok(ExitCode::SUCCESS)
}
