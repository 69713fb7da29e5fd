//! Folds the run's events into the cluster state after each one, so the
//! page can scrub the timeline without replaying anything.

use canary_lab_sim::{Event, EventKind, SimReport};

use crate::protocol::Frame;

/// One frame per event; frame `i` is the state once events `0..=i` happened.
pub fn frames(report: &SimReport) -> Vec<Frame> {
    let events = &report.events;
    let total_steps = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StepCompleted { total, .. } => Some(*total),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let mut state = Frame {
        total_steps,
        collector: if report.collector.status == "NotDeployed" {
            "NotDeployed".into()
        } else {
            "Starting".into()
        },
        ..Frame::default()
    };
    let mut out = Vec::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        apply(&mut state, event, events);
        state.t_s = event.t_ms as f64 / 1000.0;
        state.events = index + 1;
        out.push(state.clone());
    }
    out
}

fn apply(state: &mut Frame, event: &Event, all: &[Event]) {
    match &event.kind {
        EventKind::RevisionStarted {
            stable_image,
            canary_image,
            ..
        } => {
            state.stable_image = Some(stable_image.clone());
            state.canary_image = Some(canary_image.clone());
            state.stable_pods = initial_replicas(all, stable_image);
            state.phase = "Progressing".into();
        }
        EventKind::ReplicaSetScaled { image, to, .. } => {
            if state.canary_image.as_deref() == Some(image) {
                state.canary_pods = *to;
            } else if state.stable_image.as_deref() == Some(image) {
                state.stable_pods = *to;
            }
        }
        EventKind::StepCompleted { index, step, .. } => {
            // `index` counts from 1, as `Rollout step 1/3 completed` does.
            state.steps_done = *index;
            if let Some(weight) = set_weight(step) {
                state.weight = weight;
            }
            state.phase = "Progressing".into();
        }
        EventKind::PauseStarted { .. } | EventKind::RolloutPaused { .. } => {
            state.phase = "Paused".into();
        }
        EventKind::RolloutAborted { .. } | EventKind::RolloutInvalid { .. } => {
            state.phase = "Degraded".into();
            state.weight = 0;
        }
        EventKind::RolloutPromoted { stable_image } => {
            state.stable_image = Some(stable_image.clone());
            state.stable_pods += state.canary_pods;
            state.canary_image = None;
            state.canary_pods = 0;
            state.weight = 100;
        }
        EventKind::RolloutHealthy => state.phase = "Healthy".into(),
        EventKind::CollectorStarted => state.collector = "Running".into(),
        EventKind::CollectorCrashLoop { .. } => state.collector = "CrashLoopBackOff".into(),
        _ => {}
    }
}

/// The stable ReplicaSet's size before the rollout touched it: the `from`
/// of its first scaling (the simulator does not announce the initial size).
fn initial_replicas(all: &[Event], stable_image: &str) -> u32 {
    all.iter()
        .find_map(|e| match &e.kind {
            EventKind::ReplicaSetScaled { image, from, .. } if image == stable_image => Some(*from),
            _ => None,
        })
        .unwrap_or(0)
}

/// `setWeight: 50` → 50.
fn set_weight(step: &str) -> Option<u32> {
    step.strip_prefix("setWeight:")?.trim().parse().ok()
}
