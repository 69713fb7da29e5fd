//! `lesson.yaml`: the lesson's story, files, objectives and hints, read with
//! the lint crate's span-keeping YAML layer so every mistake has a position.

use std::collections::BTreeMap;

use canary_lab_lint::source::{FileId, LineIndex};
use canary_lab_lint::yaml::{load_documents, Limits, Node};

use crate::error::LessonError;
use crate::objective::{Check, Expect, Objective};

/// How hard a lesson is; `Sandbox` has no objectives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beginner,
    Intermediate,
    Expert,
    Sandbox,
}

/// What an image version does differently in the simulation.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Behaviour {
    /// Share of `/dispatch` requests that end in error, 0 to 1.
    pub error_rate: f64,
    /// Multiplies every simulated delay; 1 is the real app.
    pub latency_factor: f64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LessonFile {
    /// Relative to the manifest root, e.g. `otel/config.yaml`.
    pub path: String,
    pub editable: bool,
}

/// Everything `lesson.yaml` says, checked for shape but not yet against the files.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Manifest {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub summary: String,
    pub story: String,
    pub seed: u64,
    pub stable_image: String,
    pub new_image: String,
    pub behaviours: BTreeMap<String, Behaviour>,
    pub files: Vec<LessonFile>,
    pub objectives: Vec<Objective>,
    pub hints: Vec<String>,
}

/// Reads one `lesson.yaml`; `file` names it in errors.
pub fn parse_manifest(file: &str, text: &str) -> Result<Manifest, LessonError> {
    let reader = Reader {
        file,
        text,
        lines: LineIndex::new(text),
    };
    let (documents, error) = load_documents(text, FileId(0), None, Limits::default());
    if let Some(error) = error {
        return Err(reader.error_at(error.span.start, error.message));
    }
    let root = match documents.as_slice() {
        [root] if root.as_mapping().is_some() => root,
        [] => return Err(reader.error_at(0, "the file is empty: expected a mapping".into())),
        [root] => return Err(reader.error(root, "expected a mapping of lesson fields")),
        [_, second, ..] => return Err(reader.error(second, "expected one YAML document")),
    };
    reader.known_keys(
        root,
        &[
            "id",
            "title",
            "level",
            "summary",
            "story",
            "seed",
            "images",
            "behaviours",
            "files",
            "objectives",
            "hints",
        ],
    )?;
    let images = reader.required(root, "images")?;
    reader.known_keys(images, &["stable", "new"])?;
    Ok(Manifest {
        id: reader.string(root, "id")?,
        title: reader.string(root, "title")?,
        level: reader.level(reader.required(root, "level")?)?,
        summary: reader.string(root, "summary")?,
        story: reader.string(root, "story")?,
        seed: reader.integer(reader.required(root, "seed")?)?,
        stable_image: reader.string(images, "stable")?,
        new_image: reader.string(images, "new")?,
        behaviours: reader.behaviours(root.get("behaviours"))?,
        files: reader.files(reader.required(root, "files")?)?,
        objectives: reader.objectives(root.get("objectives"))?,
        hints: reader.strings(root.get("hints"))?,
    })
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    lines: LineIndex,
}

impl Reader<'_> {
    fn error_at(&self, offset: usize, message: String) -> LessonError {
        let position = self.lines.position(self.text, offset);
        LessonError {
            file: self.file.to_string(),
            line: position.line,
            column: position.column,
            message,
        }
    }

    fn error(&self, node: &Node, message: &str) -> LessonError {
        self.error_at(node.span.start, message.to_string())
    }

    fn known_keys(&self, map: &Node, allowed: &[&str]) -> Result<(), LessonError> {
        let entries = map
            .as_mapping()
            .ok_or_else(|| self.error(map, "expected a mapping"))?;
        for entry in entries {
            let key = entry.key.as_scalar().unwrap_or_default();
            if !allowed.contains(&key) {
                return Err(self.error_at(
                    entry.key.span.start,
                    format!(
                        "unknown field `{key}`; expected one of: {}",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn required<'n>(&self, map: &'n Node, key: &str) -> Result<&'n Node, LessonError> {
        map.get(key)
            .filter(|node| !node.is_null())
            .ok_or_else(|| self.error_at(map.span.start, format!("missing field `{key}`")))
    }

    fn scalar<'n>(&self, node: &'n Node, what: &str) -> Result<&'n str, LessonError> {
        node.as_scalar().ok_or_else(|| {
            self.error(
                node,
                &format!("expected {what}, found a {}", node.kind_name()),
            )
        })
    }

    fn string(&self, map: &Node, key: &str) -> Result<String, LessonError> {
        let node = self.required(map, key)?;
        self.scalar(node, "text").map(str::to_string)
    }

    fn integer(&self, node: &Node) -> Result<u64, LessonError> {
        let text = self.scalar(node, "a whole number")?;
        text.parse()
            .map_err(|_| self.error(node, &format!("expected a whole number, found `{text}`")))
    }

    fn number(&self, node: &Node) -> Result<f64, LessonError> {
        let text = self.scalar(node, "a number")?;
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| self.error(node, &format!("expected a number, found `{text}`")))
    }

    fn boolean(&self, node: &Node) -> Result<bool, LessonError> {
        match self.scalar(node, "true or false")? {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(self.error(node, &format!("expected true or false, found `{other}`"))),
        }
    }

    fn sequence<'n>(&self, node: Option<&'n Node>) -> Result<&'n [Node], LessonError> {
        match node {
            None => Ok(&[]),
            Some(node) if node.is_null() => Ok(&[]),
            Some(node) => node
                .as_sequence()
                .ok_or_else(|| self.error(node, "expected a list")),
        }
    }

    fn strings(&self, node: Option<&Node>) -> Result<Vec<String>, LessonError> {
        self.sequence(node)?
            .iter()
            .map(|item| self.scalar(item, "text").map(str::to_string))
            .collect()
    }

    fn level(&self, node: &Node) -> Result<Level, LessonError> {
        match self.scalar(node, "a level")? {
            "beginner" => Ok(Level::Beginner),
            "intermediate" => Ok(Level::Intermediate),
            "expert" => Ok(Level::Expert),
            "sandbox" => Ok(Level::Sandbox),
            other => Err(self.error(
                node,
                &format!(
                    "unknown level `{other}`; expected beginner, intermediate, expert or sandbox"
                ),
            )),
        }
    }

    fn behaviours(&self, node: Option<&Node>) -> Result<BTreeMap<String, Behaviour>, LessonError> {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return Ok(BTreeMap::new());
        };
        let entries = node
            .as_mapping()
            .ok_or_else(|| self.error(node, "expected a mapping from image to behaviour"))?;
        let mut behaviours = BTreeMap::new();
        for entry in entries {
            let image = self.scalar(&entry.key, "an image name")?.to_string();
            self.known_keys(&entry.value, &["error_rate", "latency_factor"])?;
            let error_rate = match entry.value.get("error_rate") {
                Some(n) => self.number(n)?,
                None => 0.0,
            };
            if !(0.0..=1.0).contains(&error_rate) {
                return Err(self.error(&entry.value, "error_rate must be between 0 and 1"));
            }
            let latency_factor = match entry.value.get("latency_factor") {
                Some(n) => self.number(n)?,
                None => 1.0,
            };
            if latency_factor <= 0.0 {
                return Err(self.error(&entry.value, "latency_factor must be greater than 0"));
            }
            behaviours.insert(
                image,
                Behaviour {
                    error_rate,
                    latency_factor,
                },
            );
        }
        Ok(behaviours)
    }

    fn files(&self, node: &Node) -> Result<Vec<LessonFile>, LessonError> {
        let items = self.sequence(Some(node))?;
        if items.is_empty() {
            return Err(self.error(node, "a lesson needs at least one file"));
        }
        items
            .iter()
            .map(|item| {
                self.known_keys(item, &["path", "editable"])?;
                Ok(LessonFile {
                    path: self.string(item, "path")?,
                    editable: match item.get("editable") {
                        Some(flag) => self.boolean(flag)?,
                        None => false,
                    },
                })
            })
            .collect()
    }

    fn objectives(&self, node: Option<&Node>) -> Result<Vec<Objective>, LessonError> {
        self.sequence(node)?
            .iter()
            .map(|item| {
                self.known_keys(item, &["text", "check", "start"])?;
                let start = match item.get("start") {
                    None => None,
                    Some(node) => Some(match self.scalar(node, "pass or fail")? {
                        "pass" => Expect::Pass,
                        "fail" => Expect::Fail,
                        other => {
                            return Err(self.error(
                                node,
                                &format!("expected `pass` or `fail`, found `{other}`"),
                            ))
                        }
                    }),
                };
                Ok(Objective {
                    text: self.string(item, "text")?,
                    check: self.check(self.required(item, "check")?)?,
                    start,
                })
            })
            .collect()
    }

    fn check(&self, node: &Node) -> Result<Check, LessonError> {
        let kind_node = self.required(node, "kind")?;
        let kind = self.scalar(kind_node, "a check kind")?;
        let text = |key: &str| self.string(node, key);
        let check = match kind {
            "no-lint-errors" => {
                self.known_keys(node, &["kind", "file"])?;
                Check::NoLintErrors {
                    file: node.get("file").map(|_| text("file")).transpose()?,
                }
            }
            "lint-clear" => {
                self.known_keys(node, &["kind", "code"])?;
                Check::LintClear {
                    code: text("code")?,
                }
            }
            "collector-running" => {
                self.known_keys(node, &["kind"])?;
                Check::CollectorRunning
            }
            "spans-reach-jaeger" => {
                self.known_keys(node, &["kind"])?;
                Check::SpansReachJaeger
            }
            "series-exist" => {
                self.known_keys(node, &["kind", "metric"])?;
                Check::SeriesExist {
                    metric: text("metric")?,
                }
            }
            "traffic-check" => {
                self.known_keys(node, &["kind", "min"])?;
                Check::TrafficCheck {
                    min: self.number(self.required(node, "min")?)?,
                }
            }
            "traffic-check-excludes-scrapes" => {
                self.known_keys(node, &["kind"])?;
                Check::TrafficCheckExcludesScrapes
            }
            "rollout-healthy" => {
                self.known_keys(node, &["kind", "stable_image"])?;
                Check::RolloutHealthy {
                    stable_image: text("stable_image")?,
                }
            }
            "rollout-aborted" => {
                self.known_keys(node, &["kind", "metric"])?;
                Check::RolloutAborted {
                    metric: text("metric")?,
                }
            }
            "metric-phase" => {
                self.known_keys(node, &["kind", "metric", "phase"])?;
                Check::MetricPhase {
                    metric: text("metric")?,
                    phase: self.phase(self.required(node, "phase")?)?,
                }
            }
            "measurements-at-most" => {
                self.known_keys(node, &["kind", "metric", "phase", "max"])?;
                Check::MeasurementsAtMost {
                    metric: text("metric")?,
                    phase: self.phase(self.required(node, "phase")?)?,
                    max: self.integer(self.required(node, "max")?)? as u32,
                }
            }
            "failure-limit-at-least" => {
                self.known_keys(node, &["kind", "metric", "min"])?;
                Check::FailureLimitAtLeast {
                    metric: text("metric")?,
                    min: self.integer(self.required(node, "min")?)? as u32,
                }
            }
            other => {
                return Err(self.error(
                    kind_node,
                    &format!("unknown check kind `{other}`; see lessons/README.md for the list"),
                ))
            }
        };
        Ok(check)
    }

    fn phase(&self, node: &Node) -> Result<String, LessonError> {
        let phase = self.scalar(node, "a phase")?;
        if ["Successful", "Failed", "Error", "Inconclusive"].contains(&phase) {
            Ok(phase.to_string())
        } else {
            Err(self.error(
                node,
                &format!(
                    "unknown phase `{phase}`; expected Successful, Failed, Error or Inconclusive"
                ),
            ))
        }
    }
}
