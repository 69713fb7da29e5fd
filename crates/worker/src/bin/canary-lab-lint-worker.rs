//! The lint worker, started with the page: lints the learner's files on
//! every change and judges the lesson's lint-only objectives, off the main
//! thread and out of the page's first load.

#[cfg(target_arch = "wasm32")]
fn main() {
    canary_lab_worker::browser::serve(canary_lab_worker::engine::Session::handle_lint);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("canary-lab-lint-worker runs inside a browser; natively, use `canary-lab lint`");
    std::process::exit(2);
}
