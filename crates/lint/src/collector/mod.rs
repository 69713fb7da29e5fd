//! What the OpenTelemetry Collector (contrib 0.142) does with a config:
//! which component types exist, which keys they accept, whether it starts,
//! and where data flows between pipelines.

pub mod catalog;
pub mod flow;
pub mod go_yaml;
pub mod settings;
pub mod startup;

pub use startup::{collector_startup_error, startup_findings, Check, Finding, Phase};
