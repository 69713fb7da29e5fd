//! Argo Rollouts' basic canary (semantics.md §7): the replica split a
//! weight gives without a traffic router, and the Rollout's status.

use serde::Serialize;

/// `approximateWeightedCanaryStableReplicaCounts` (§7.3): (canary, stable).
pub fn weighted_counts(replicas: u32, weight: i64, max_surge: u32) -> (u32, u32) {
    if weight <= 0 {
        return (0, replicas);
    }
    if weight >= 100 {
        return (replicas, 0);
    }
    let w = weight as f64;
    let mut totals = vec![replicas];
    if max_surge > 0 {
        totals.push(replicas + 1);
    }
    let zero_allowed = replicas == 1 && max_surge == 0;
    let mut best: Option<(f64, u32, u32)> = None;
    for total in totals {
        let exact = f64::from(total) * w / 100.0;
        for canary in [exact.ceil() as u32, exact.floor() as u32] {
            let stable = total - canary.min(total);
            if (canary == 0 || stable == 0) && !zero_allowed {
                continue;
            }
            let diff = (f64::from(canary) * 100.0 / f64::from(total) - w).abs();
            let better = match best {
                None => true,
                // An exact tie prefers the larger canary count.
                Some((d, c, _)) => diff < d - 1e-9 || ((diff - d).abs() <= 1e-9 && canary > c),
            };
            if better {
                best = Some((diff, canary, stable));
            }
        }
    }
    best.map_or((0, replicas), |(_, c, s)| (c, s))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RolloutPhase {
    Healthy,
    Progressing,
    Paused,
    Degraded,
}

impl RolloutPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutPhase::Healthy => "Healthy",
            RolloutPhase::Progressing => "Progressing",
            RolloutPhase::Paused => "Paused",
            RolloutPhase::Degraded => "Degraded",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantics_table() {
        assert_eq!(weighted_counts(5, 20, 2), (1, 4));
        assert_eq!(weighted_counts(5, 40, 2), (2, 3));
        assert_eq!(weighted_counts(3, 50, 1), (2, 2));
        assert_eq!(weighted_counts(1, 20, 1), (1, 1));
        assert_eq!(weighted_counts(2, 50, 1), (1, 1));
        assert_eq!(weighted_counts(2, 100, 1), (2, 0));
        assert_eq!(weighted_counts(2, 0, 1), (0, 2));
    }
}
