//! Runs promtool rule-unit-test files (`promtool test rules`) against our
//! engine: the `promql_expr_test` part, with promtool's comparison (exact
//! float equality after sorting by labels, so NaN never equals NaN) and its
//! failure text.

use std::fmt;

use saphyr::{LoadableYamlNode, Scalar, Yaml};

use crate::eval::eval_instant;
use crate::format::{format_duration, go_float_e, go_quote};
use crate::labels::Labels;
use crate::lexer::parse_duration;
use crate::parser::parse;
use crate::series_notation::{expand_values, parse_metric, SeriesValue};
use crate::storage::Storage;
use crate::value::{Sample, Value};

pub use crate::series_notation::{
    expand_values as expand_series_values, parse_metric as parse_series,
};

/// The file could not be read as a unit-test file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitTestError {
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for UnitTestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UnitTestError {}

fn error<T>(message: impl Into<String>) -> Result<T, UnitTestError> {
    Err(UnitTestError {
        message: message.into(),
    })
}

/// The outcome of one `promql_expr_test` case.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Expected and actual samples agree.
    Passed,
    /// They differ; both sorted by labels.
    Mismatch {
        /// From the file.
        expected: Vec<Sample>,
        /// From the engine.
        got: Vec<Sample>,
    },
    /// The expression failed to parse or evaluate (or returned a type
    /// promtool cannot compare).
    Error(String),
}

/// One evaluated case.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseReport {
    /// Index of the test group in `tests`.
    pub group: usize,
    /// The expression.
    pub expr: String,
    /// `eval_time` in ms.
    pub eval_time_ms: i64,
    /// What happened.
    pub outcome: Outcome,
}

impl CaseReport {
    /// promtool's text for a failing case (empty for a passing one).
    pub fn render(&self) -> String {
        let time = format_duration(self.eval_time_ms);
        match &self.outcome {
            Outcome::Passed => String::new(),
            Outcome::Error(e) => {
                format!("    expr: {}, time: {time}, err: {e}", go_quote(&self.expr))
            }
            Outcome::Mismatch { expected, got } => format!(
                "    expr: {}, time: {time},\n        exp: {}\n        got: {}",
                go_quote(&self.expr),
                samples_string(expected),
                samples_string(got)
            ),
        }
    }
}

/// Results of a whole file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Report {
    /// Every case, in file order.
    pub cases: Vec<CaseReport>,
}

impl Report {
    /// True when every case passed.
    pub fn passed(&self) -> bool {
        self.cases.iter().all(|c| c.outcome == Outcome::Passed)
    }

    /// The failing cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseReport> {
        self.cases.iter().filter(|c| c.outcome != Outcome::Passed)
    }

    /// promtool-like output: `  SUCCESS` or `  FAILED:` and each failure
    /// followed by a blank line (print `Unit Testing:  FILE` before it).
    pub fn render(&self) -> String {
        if self.passed() {
            return "  SUCCESS\n".into();
        }
        let mut out = String::from("  FAILED:\n");
        for f in self.failures() {
            out.push_str(&f.render());
            out.push_str("\n\n");
        }
        out
    }
}

fn samples_string(v: &[Sample]) -> String {
    if v.is_empty() {
        return "nil".into();
    }
    v.iter()
        .map(|s| format!("{} {}", s.labels, go_float_e(s.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a promtool unit-test file and evaluates every `promql_expr_test`.
///
/// `rule_files`, `group_eval_order` and `alert_rule_test` must be absent or
/// empty: there is no rule evaluation here. A group without `interval` uses
/// 1m (newer promtool's default; promtool 2.42 has none, so always set it).
pub fn run_file(text: &str) -> Result<Report, UnitTestError> {
    let docs = Yaml::load_from_str(text).or_else(|e| {
        let m = e.marker();
        error(format!("yaml: line {}: {}", m.line(), e.info()))
    })?;
    let Some(root) = docs.into_iter().next() else {
        return error("empty unit-test file");
    };
    let root = mapping(&root, "file")?;
    let mut report = Report::default();
    let mut groups = Vec::new();
    for (k, v) in root {
        match key(k)?.as_str() {
            "rule_files" | "group_eval_order" => {
                if !seq(v, "rule_files")?.is_empty() {
                    return error(format!(
                        "{}: rule files are not supported by Canary Lab's promtool runner",
                        key(k)?
                    ));
                }
            }
            "evaluation_interval" => {
                duration(v, "evaluation_interval")?;
            }
            "tests" => groups = seq(v, "tests")?.iter().collect(),
            other => return error(format!("field {other} not found in type main.unitTestFile")),
        }
    }
    for (gi, g) in groups.into_iter().enumerate() {
        run_group(gi, g, &mut report)?;
    }
    Ok(report)
}

fn run_group(gi: usize, g: &Yaml<'_>, report: &mut Report) -> Result<(), UnitTestError> {
    let mut interval = 60_000;
    let mut series = Vec::new();
    let mut cases = Vec::new();
    for (k, v) in mapping(g, "tests[]")? {
        match key(k)?.as_str() {
            "interval" => interval = duration(v, "interval")?,
            "input_series" => series = seq(v, "input_series")?.iter().collect(),
            "promql_expr_test" => cases = seq(v, "promql_expr_test")?.iter().collect(),
            "alert_rule_test" => {
                if !seq(v, "alert_rule_test")?.is_empty() {
                    return error(
                        "alert_rule_test is not supported by Canary Lab's promtool runner",
                    );
                }
            }
            "name" | "external_labels" => {}
            other => return error(format!("field {other} not found in type main.testGroup")),
        }
    }
    let mut storage = Storage::new();
    for s in series {
        let (mut labels, mut values) = (None, String::new());
        for (k, v) in mapping(s, "input_series[]")? {
            match key(k)?.as_str() {
                "series" => labels = Some(parse_metric(&string(v, "series")?).or_else(error)?),
                "values" => values = string(v, "values")?,
                other => return error(format!("field {other} not found in type main.series")),
            }
        }
        let Some(labels) = labels else {
            return error("input_series item without series");
        };
        load(&mut storage, &labels, &values, interval)?;
    }
    for c in cases {
        report.cases.push(run_case(gi, c, &storage)?);
    }
    Ok(())
}

fn load(
    storage: &mut Storage,
    labels: &Labels,
    values: &str,
    interval: i64,
) -> Result<(), UnitTestError> {
    for (i, v) in expand_values(values)
        .or_else(error)?
        .into_iter()
        .enumerate()
    {
        let t = i as i64 * interval;
        match v {
            SeriesValue::Omitted => {}
            SeriesValue::Stale => storage.append_stale(labels, t),
            SeriesValue::Float(f) => storage.append(labels, t, f),
        }
    }
    Ok(())
}

fn run_case(group: usize, c: &Yaml<'_>, storage: &Storage) -> Result<CaseReport, UnitTestError> {
    let (mut expr, mut eval_time_ms, mut expected) = (String::new(), 0, Vec::new());
    for (k, v) in mapping(c, "promql_expr_test[]")? {
        match key(k)?.as_str() {
            "expr" => expr = string(v, "expr")?,
            "eval_time" => eval_time_ms = duration(v, "eval_time")?,
            "exp_samples" => {
                for s in seq(v, "exp_samples")? {
                    let (mut labels, mut value) = (String::new(), 0.0);
                    for (k, v) in mapping(s, "exp_samples[]")? {
                        match key(k)?.as_str() {
                            "labels" => labels = string(v, "labels")?,
                            "value" => value = number(v)?,
                            "histogram" => {
                                return error("native histogram samples are not supported")
                            }
                            other => {
                                return error(format!(
                                    "field {other} not found in type main.sample"
                                ))
                            }
                        }
                    }
                    expected.push((labels, value));
                }
            }
            other => {
                return error(format!(
                    "field {other} not found in type main.promqlTestCase"
                ))
            }
        }
    }
    let outcome = evaluate(&expr, eval_time_ms, &expected, storage);
    Ok(CaseReport {
        group,
        expr,
        eval_time_ms,
        outcome,
    })
}

fn evaluate(expr: &str, t: i64, expected: &[(String, f64)], storage: &Storage) -> Outcome {
    let parsed = match parse(expr) {
        Ok(e) => e,
        Err(e) => return Outcome::Error(e.with_position(expr)),
    };
    let mut got = match eval_instant(storage, &parsed, t) {
        Ok(Value::Vector(v)) => v,
        Ok(Value::Scalar(v)) => vec![Sample {
            labels: Labels::new(),
            value: v,
        }],
        Ok(_) => return Outcome::Error("rule result is not a vector or scalar".into()),
        Err(e) => return Outcome::Error(e.message),
    };
    let mut exp = Vec::with_capacity(expected.len());
    for (labels, value) in expected {
        match parse_metric(labels) {
            Ok(l) => exp.push(Sample {
                labels: l,
                value: *value,
            }),
            Err(e) => return Outcome::Error(format!("labels {}: {e}", go_quote(labels))),
        }
    }
    exp.sort_by(|a, b| a.labels.cmp(&b.labels));
    got.sort_by(|a, b| a.labels.cmp(&b.labels));
    // promtool uses reflect.DeepEqual: float `==`, so NaN never matches.
    let same = exp.len() == got.len()
        && exp
            .iter()
            .zip(&got)
            .all(|(a, b)| a.labels == b.labels && a.value == b.value);
    if same {
        Outcome::Passed
    } else {
        Outcome::Mismatch { expected: exp, got }
    }
}

fn mapping<'a, 'b>(
    y: &'a Yaml<'b>,
    what: &str,
) -> Result<Vec<(&'a Yaml<'b>, &'a Yaml<'b>)>, UnitTestError> {
    match y {
        Yaml::Mapping(m) => Ok(m.iter().collect()),
        _ => error(format!("{what}: expected a mapping")),
    }
}

fn seq<'a, 'b>(y: &'a Yaml<'b>, what: &str) -> Result<&'a [Yaml<'b>], UnitTestError> {
    match y {
        Yaml::Sequence(s) => Ok(s),
        Yaml::Value(Scalar::Null) => Ok(&[]),
        _ => error(format!("{what}: expected a list")),
    }
}

fn key(y: &Yaml<'_>) -> Result<String, UnitTestError> {
    string(y, "key")
}

fn string(y: &Yaml<'_>, what: &str) -> Result<String, UnitTestError> {
    match y {
        Yaml::Value(Scalar::String(s)) => Ok(s.to_string()),
        Yaml::Value(Scalar::Integer(i)) => Ok(i.to_string()),
        Yaml::Value(Scalar::FloatingPoint(f)) => Ok(f.to_string()),
        Yaml::Value(Scalar::Boolean(b)) => Ok(b.to_string()),
        Yaml::Representation(s, _, _) => Ok(s.to_string()),
        _ => error(format!("{what}: expected a string")),
    }
}

fn number(y: &Yaml<'_>) -> Result<f64, UnitTestError> {
    match y {
        Yaml::Value(Scalar::Integer(i)) => Ok(*i as f64),
        Yaml::Value(Scalar::FloatingPoint(f)) => Ok(f.into_inner()),
        _ => {
            let s = string(y, "value")?;
            s.parse()
                .or_else(|_| error(format!("value: cannot parse {s:?} as a number")))
        }
    }
}

fn duration(y: &Yaml<'_>, what: &str) -> Result<i64, UnitTestError> {
    let s = string(y, what)?;
    if s == "0" {
        return Ok(0);
    }
    parse_duration(&s).map_or_else(
        || error(format!("{what}: not a valid duration string: {s:?}")),
        Ok,
    )
}
