//! The simulation worker, started on the first Run: runs, objective checks
//! and queries against the last run's Prometheus.

#[cfg(target_arch = "wasm32")]
fn main() {
    canary_lab_worker::browser::serve(canary_lab_worker::engine::Session::handle);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("canary-lab-sim-worker runs inside a browser; natively, use `canary-lab simulate`");
    std::process::exit(2);
}
