//! The worker's side: answers each [`Request`] from the lessons, the
//! simulator and the last run's storage.

use canary_lab_lessons::{
    bundled, check_without_run, facts_and_run, judge_all, lint_facts, Lesson, LESSON_RUN_MS,
};
use canary_lab_lint::{lint_workspace, parse_workspace, Diagnostic, SourceFile};
use canary_lab_promql::Storage;

use crate::charts::charts;
use crate::console::query;
use crate::frames::frames;
use crate::playback;
use crate::protocol::{
    EditView, FixView, LintResult, ObjectiveResult, Problem, Request, Response, RunResult,
};

/// What the worker keeps between messages.
#[derive(Default)]
pub struct Session {
    lessons: Option<Vec<Lesson>>,
    /// The last run's Prometheus, for the query console.
    storage: Option<Storage>,
}

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    /// Answers one JSON message with one JSON message.
    pub fn handle_json(&mut self, message: &str) -> String {
        self.handle_json_with(message, Session::handle)
    }

    /// [`Session::handle_json`] through a chosen handler: the lint worker
    /// passes [`Session::handle_lint`], so the simulator is never linked
    /// into it.
    pub fn handle_json_with(
        &mut self,
        message: &str,
        handler: fn(&mut Session, Request) -> Response,
    ) -> String {
        let response = match serde_json::from_str::<Request>(message) {
            Ok(request) => handler(self, request),
            Err(e) => Response::Failed {
                message: format!("the simulation worker could not read the request: {e}"),
            },
        };
        response.to_json()
    }

    /// Serves lint requests only (the lint worker's handler).
    pub fn handle_lint(&mut self, request: Request) -> Response {
        match request {
            Request::Lint { lesson, files } => Response::Linted(self.lint(&lesson, &files)),
            _ => Response::Failed {
                message: "the lint worker only lints; runs and queries go to the simulation worker"
                    .into(),
            },
        }
    }

    pub fn handle(&mut self, request: Request) -> Response {
        match request {
            Request::Lint { lesson, files } => Response::Linted(self.lint(&lesson, &files)),
            Request::Run { lesson, files } => self.run(&lesson, &files),
            Request::Query { expr, at_s } => match &self.storage {
                Some(storage) => Response::Queried(query(storage, &expr, at_s, LESSON_RUN_MS)),
                None => Response::Failed {
                    message: "press Run first: queries read the Prometheus of the last run".into(),
                },
            },
        }
    }

    fn lesson(&mut self, id: &str) -> Option<&Lesson> {
        let lessons = self.lessons.get_or_insert_with(|| {
            // A malformed lesson cannot be compiled in (the lesson test
            // walks them all), so skipping errors loses nothing real.
            bundled().into_iter().filter_map(Result::ok).collect()
        });
        lessons.iter().find(|l| l.manifest.id == id)
    }

    fn lint(&mut self, id: &str, files: &[(String, String)]) -> LintResult {
        let sources: Vec<SourceFile> = files
            .iter()
            .map(|(path, text)| SourceFile::new(path.clone(), text.clone()))
            .collect();
        let (workspace, _) = parse_workspace(&sources);
        let diagnostics = lint_workspace(&workspace, &sources);
        let objectives = match self.lesson(id) {
            Some(lesson) => check_without_run(lesson, &lint_facts(&workspace, &diagnostics))
                .into_iter()
                .map(|j| j.map(|j| (j.verdict.passed, j.verdict.detail)))
                .collect(),
            None => Vec::new(),
        };
        LintResult {
            problems: diagnostics.iter().map(problem).collect(),
            objectives,
            pipeline: crate::pipeline::view(&workspace),
        }
    }

    fn run(&mut self, id: &str, files: &[(String, String)]) -> Response {
        let Some(lesson) = self.lesson(id) else {
            return Response::Failed {
                message: format!("there is no lesson `{id}`"),
            };
        };
        let (facts, sim) = facts_and_run(lesson, files);
        let objectives = judge_all(lesson, &facts)
            .into_iter()
            .map(|j| ObjectiveResult {
                text: j.objective.text,
                passed: j.verdict.passed,
                detail: j.verdict.detail,
            })
            .collect();
        let storage = sim.storage();
        let report = sim.report;
        let (promoted, verdict) = playback::verdict(&report);
        let result = RunResult {
            promoted,
            verdict,
            events: playback::events(&report),
            analysis: playback::analysis(&report),
            frames: frames(&report),
            charts: charts(&report, &storage, LESSON_RUN_MS),
            objectives,
            end_s: LESSON_RUN_MS as f64 / 1000.0,
        };
        self.storage = Some(storage);
        Response::Ran(Box::new(result))
    }
}

fn problem(d: &Diagnostic) -> Problem {
    Problem {
        file: d.location.file.clone(),
        line: d.location.start.line,
        column: d.location.start.column,
        end_line: d.location.end.line,
        end_column: d.location.end.column,
        code: d.code.to_string(),
        severity: d.severity.as_str().to_string(),
        message: d.message.clone(),
        help: d.help.clone(),
        fix: d.fix.as_ref().map(|f| FixView {
            title: f.title.clone(),
            edits: f
                .edits
                .iter()
                .map(|e| EditView {
                    file: e.file.clone(),
                    start_byte: e.range.start,
                    end_byte: e.range.end,
                    replacement: e.replacement.clone(),
                })
                .collect(),
        }),
    }
}
