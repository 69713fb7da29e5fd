//! Canary Lab, the browser playground: a thin Leptos view over the lint and
//! simulation crates. Logic that can be tested natively lives in plain
//! modules (`workspace`, `share`); components only wire signals to it.

mod app;
mod components;
mod editor;
pub mod embed;
pub mod markers;
pub mod panic_banner;
mod persist;
pub mod share;
pub mod workers;
pub mod timeline;
pub mod markdown;
pub mod diff;
pub mod progress;
pub mod workspace;

pub use app::{App, LessonList};
pub use panic_banner::install as install_panic_banner;
