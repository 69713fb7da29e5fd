//! Canary Lab, the browser playground: a thin Leptos view over the lint and
//! simulation crates. Logic that can be tested natively lives in plain modules;
//! components only wire signals to it.

mod app;
mod editor;
pub mod share;

pub use app::{App, LessonList};
