//! The simulator behind the playground's Run button.
//!
//! The page and a dedicated web worker exchange the JSON messages of
//! [`protocol`]. The worker (feature `engine`, binary
//! `canary-lab-sim-worker`) holds the simulator, the lessons' objective
//! checks and the last run's Prometheus storage, so none of that is in the
//! page's first load: the page fetches the worker the first time the learner
//! presses Run.
//!
//! Architecture invariant: [`engine::Session::handle`] is a plain function
//! from request to response, tested natively; the binary only moves strings
//! across `postMessage`.

pub mod protocol;

#[cfg(feature = "engine")]
mod charts;
#[cfg(feature = "engine")]
mod console;
#[cfg(feature = "engine")]
pub mod engine;
#[cfg(feature = "engine")]
mod frames;
#[cfg(feature = "engine")]
mod playback;
