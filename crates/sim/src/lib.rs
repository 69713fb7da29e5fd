//! Canary Lab's deterministic simulator: given a learner's manifests, plays
//! out what the challenge's cluster would do — a traffic generator calling
//! HotROD, HotROD's spans through the OpenTelemetry Collector's spanmetrics
//! connector and prometheus exporter, Prometheus scraping every 10 s, and
//! Argo Rollouts running the canary steps and AnalysisRuns — on a simulated
//! clock, from a seed, with bit-identical results natively and on wasm32.
//!
//! ```no_run
//! # let ws = canary_lab_lint::Workspace::default();
//! use canary_lab_sim::{simulate, Scenario, SimOptions};
//! let report = simulate(&Scenario::from_workspace(&ws), &SimOptions::default());
//! println!("{}", report.render_text());
//! ```

pub mod adapter;
pub mod analysis;
pub mod clock;
pub mod collector;
mod engine;
pub mod explain;
pub mod hash;
pub mod hotrod;
pub mod report;
pub mod rng;
pub mod rollout;
pub mod scenario;
pub mod scrape;
pub mod span;
pub mod summary;
pub mod timeline;
pub mod tsdb;

pub use engine::SimOptions;
pub use report::{Outcome, SimReport};
pub use scenario::{Scenario, VersionBehaviour};
pub use timeline::{Component, Event, EventKind, Explanation};

/// A finished simulation: its report, plus Prometheus's storage for a
/// query console.
pub struct SimRun {
    pub report: SimReport,
    tsdb: tsdb::Tsdb,
}

impl SimRun {
    /// Everything Prometheus stored, for PromQL at any simulated time.
    pub fn storage(&self) -> canary_lab_promql::Storage {
        self.tsdb.to_storage()
    }
}

/// Runs a scenario and keeps the storage.
pub fn run(scenario: &Scenario, options: &SimOptions) -> SimRun {
    let sim = engine::Engine::new(scenario, options.clone()).run();
    SimRun {
        report: SimReport::from_simulation(&sim),
        tsdb: sim.tsdb,
    }
}

/// Runs a scenario.
pub fn simulate(scenario: &Scenario, options: &SimOptions) -> SimReport {
    run(scenario, options).report
}
