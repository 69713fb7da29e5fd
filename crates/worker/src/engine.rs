//! The worker's side: answers each [`Request`] from the lessons, the
//! simulator and the last run's storage.

use canary_lab_lessons::{bundled, facts_and_run, judge_all, Lesson, LESSON_RUN_MS};
use canary_lab_promql::Storage;

use crate::charts::charts;
use crate::console::query;
use crate::frames::frames;
use crate::playback;
use crate::protocol::{ObjectiveResult, Request, Response, RunResult};

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
        let response = match serde_json::from_str::<Request>(message) {
            Ok(request) => self.handle(request),
            Err(e) => Response::Failed {
                message: format!("the simulation worker could not read the request: {e}"),
            },
        };
        response.to_json()
    }

    pub fn handle(&mut self, request: Request) -> Response {
        match request {
            Request::Run { lesson, files } => self.run(&lesson, &files),
            Request::Query { expr, at_s } => match &self.storage {
                Some(storage) => Response::Queried(query(storage, &expr, at_s, LESSON_RUN_MS)),
                None => Response::Failed {
                    message: "press Run first: queries read the Prometheus of the last run".into(),
                },
            },
        }
    }

    fn run(&mut self, id: &str, files: &[(String, String)]) -> Response {
        let lessons = self.lessons.get_or_insert_with(|| {
            // A malformed lesson cannot be compiled in (the lesson test
            // walks them all), so skipping errors loses nothing real.
            bundled().into_iter().filter_map(Result::ok).collect()
        });
        let Some(lesson) = lessons.iter().find(|l| l.manifest.id == id) else {
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
