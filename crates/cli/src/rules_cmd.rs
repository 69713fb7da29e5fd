//! `canary-lab rules` lists every rule; `canary-lab rules CODE` prints one
//! rule's documentation.

use std::process::ExitCode;

use canary_lab_lint::registry::{rule_meta, rules};
use lexopt::{Arg, ValueExt};

use crate::CliError;

pub fn run(mut parser: lexopt::Parser) -> Result<ExitCode, CliError> {
    let mut code = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Arg::Value(value) if code.is_none() => code = Some(value.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    match code {
        None => {
            let mut out = String::new();
            for rule in rules() {
                let m = &rule.meta;
                out += &format!(
                    "{:<8} {:<8} {:<34} {}\n",
                    m.code,
                    m.severity.as_str(),
                    m.name,
                    m.summary
                );
            }
            crate::emit(&out)?;
        }
        Some(code) => {
            let upper = code.to_uppercase();
            let meta = rule_meta(&upper)
                .or_else(|| rules().iter().map(|r| &r.meta).find(|m| m.name == code))
                .ok_or_else(|| {
                    CliError::Usage(format!("no rule `{code}` (see `canary-lab rules`)"))
                })?;
            crate::emit(&format!(
                "{} {} ({}, {})\n\n{}\n\n{}\n",
                meta.code,
                meta.name,
                meta.severity.as_str(),
                meta.group.as_str(),
                meta.summary,
                meta.doc()
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
