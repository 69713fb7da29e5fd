//! Canary Lab, the browser playground: a thin Leptos view over the lint and
//! simulation crates. Logic that can be tested natively lives in plain
//! modules (`workspace`, `share`); components only wire signals to it.

mod app;
mod components;
pub mod diff;
mod editor;
pub mod embed;
pub mod markdown;
pub mod markers;
pub mod panic_banner;
mod persist;
pub mod progress;
pub mod share;
pub mod timeline;
pub mod workers;
pub mod workspace;

pub use app::{App, LessonList};
pub use panic_banner::install as install_panic_banner;
