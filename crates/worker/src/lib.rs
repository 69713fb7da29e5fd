//! The engines behind the playground, in two web workers.
//!
//! The page and its workers exchange the JSON messages of [`protocol`].
//! `canary-lab-lint-worker` starts with the page and lints on every change;
//! `canary-lab-sim-worker` starts on the first Run and holds the simulator,
//! the objective checks and the last run's Prometheus storage. Neither
//! engine is in the page's own wasm, which keeps the first load small and
//! the main thread free while they work.
//!
//! Architecture invariant: [`engine::Session::handle`] is a plain function
//! from request to response, tested natively; the binary only moves strings
//! across `postMessage`.

pub mod protocol;

#[cfg(all(feature = "engine", target_arch = "wasm32"))]
pub mod browser;
#[cfg(feature = "engine")]
mod charts;
#[cfg(feature = "engine")]
mod console;
#[cfg(feature = "engine")]
pub mod engine;
#[cfg(feature = "engine")]
mod frames;
#[cfg(feature = "engine")]
mod pipeline;
#[cfg(feature = "engine")]
mod playback;
#[cfg(feature = "engine")]
pub mod svg;
