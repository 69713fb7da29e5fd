//! The app's components; each file holds one part of the page.

pub mod console;
pub mod lesson_panel;
pub mod playground;
pub mod run_panel;
