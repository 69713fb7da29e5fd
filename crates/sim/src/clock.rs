//! The simulated clock and its agenda: actions ordered by time, ties by
//! insertion order, so runs never depend on anything but the inputs.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Simulated milliseconds since the scenario started.
pub type Millis = i64;

pub const SECOND_MS: Millis = 1_000;

struct Entry<A> {
    at_ms: Millis,
    seq: u64,
    action: A,
}

impl<A> PartialEq for Entry<A> {
    fn eq(&self, other: &Self) -> bool {
        self.at_ms == other.at_ms && self.seq == other.seq
    }
}
impl<A> Eq for Entry<A> {}
impl<A> PartialOrd for Entry<A> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<A> Ord for Entry<A> {
    // BinaryHeap is a max-heap: reverse so the earliest entry pops first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at_ms, other.seq).cmp(&(self.at_ms, self.seq))
    }
}

pub struct Agenda<A> {
    heap: BinaryHeap<Entry<A>>,
    seq: u64,
}

impl<A> Default for Agenda<A> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<A> Agenda<A> {
    pub fn schedule(&mut self, at_ms: Millis, action: A) {
        self.seq += 1;
        self.heap.push(Entry {
            at_ms,
            seq: self.seq,
            action,
        });
    }

    /// The next action due at or before `until_ms`.
    pub fn pop_until(&mut self, until_ms: Millis) -> Option<(Millis, A)> {
        if self.heap.peek()?.at_ms > until_ms {
            return None;
        }
        self.heap.pop().map(|e| (e.at_ms, e.action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut a = Agenda::default();
        a.schedule(20, "c");
        a.schedule(10, "a");
        a.schedule(10, "b");
        a.schedule(99, "late");
        let got: Vec<_> = std::iter::from_fn(|| a.pop_until(50)).collect();
        assert_eq!(got, vec![(10, "a"), (10, "b"), (20, "c")]);
        assert_eq!(a.pop_until(100), Some((99, "late")));
    }
}
