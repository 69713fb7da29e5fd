//! The in-memory TSDB the simulation scrapes into.
//!
//! Series are grouped by metric name first so a selector with `name` or
//! `__name__="name"` touches only that metric's series. Samples are kept
//! sorted by time; appending in time order is an amortised O(1) push.

use std::collections::BTreeMap;

use crate::labels::Labels;

/// A stored point: a float or a staleness marker.
///
/// Prometheus encodes staleness as a special NaN bit pattern; a distinct
/// variant keeps ordinary NaN values and markers apart without bit tricks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StoredValue {
    /// An ordinary sample (NaN allowed).
    Float(f64),
    /// The series disappeared from its scrape at this time.
    Stale,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StoredSample {
    pub t: i64,
    pub v: StoredValue,
}

/// An in-memory time-series database.
#[derive(Clone, Debug, Default)]
pub struct Storage {
    /// metric name ("" for series without one) → labels → samples.
    metrics: BTreeMap<String, BTreeMap<Labels, Vec<StoredSample>>>,
}

impl Storage {
    /// An empty storage.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a float sample. Out-of-order samples are inserted in place and a
    /// sample at an existing timestamp replaces it (Prometheus would reject
    /// both; the simulation never produces them, and replacing is the least
    /// surprising outcome for a teaching tool).
    pub fn append(&mut self, labels: &Labels, t_ms: i64, value: f64) {
        self.push(labels, t_ms, StoredValue::Float(value));
    }

    /// Appends a staleness marker: instant selectors see nothing for this
    /// series from `t_ms` until its next sample.
    pub fn append_stale(&mut self, labels: &Labels, t_ms: i64) {
        self.push(labels, t_ms, StoredValue::Stale);
    }

    fn push(&mut self, labels: &Labels, t: i64, v: StoredValue) {
        let name = labels.metric_name().unwrap_or("");
        let by_labels = match self.metrics.get_mut(name) {
            Some(m) => m,
            None => self.metrics.entry(name.to_string()).or_default(),
        };
        let samples = match by_labels.get_mut(labels) {
            Some(s) => s,
            None => by_labels.entry(labels.clone()).or_default(),
        };
        let sample = StoredSample { t, v };
        match samples.last() {
            None => samples.push(sample),
            Some(last) if last.t < t => samples.push(sample),
            Some(_) => {
                let i = samples.partition_point(|s| s.t < t);
                if samples.get(i).is_some_and(|s| s.t == t) {
                    samples[i] = sample;
                } else {
                    samples.insert(i, sample);
                }
            }
        }
    }

    /// Number of series stored.
    pub fn series_count(&self) -> usize {
        self.metrics.values().map(BTreeMap::len).sum()
    }

    /// Number of samples (markers included) stored.
    pub fn sample_count(&self) -> usize {
        self.metrics
            .values()
            .flat_map(BTreeMap::values)
            .map(Vec::len)
            .sum()
    }

    /// Drops every sample at or before `t_ms`, and series left empty, so a
    /// long simulation keeps memory bounded by what queries can still see.
    pub fn retain_after(&mut self, t_ms: i64) {
        for by_labels in self.metrics.values_mut() {
            for samples in by_labels.values_mut() {
                let cut = samples.partition_point(|s| s.t <= t_ms);
                samples.drain(..cut);
            }
            by_labels.retain(|_, s| !s.is_empty());
        }
        self.metrics.retain(|_, m| !m.is_empty());
    }

    /// Calls `f` for every series whose metric name could satisfy a selector.
    /// `name` is the exact metric name when the selector pins one.
    pub(crate) fn for_each_series<'a>(
        &'a self,
        name: Option<&str>,
        mut f: impl FnMut(&'a Labels, &'a [StoredSample]),
    ) {
        match name {
            Some(n) => {
                if let Some(m) = self.metrics.get(n) {
                    m.iter().for_each(|(l, s)| f(l, s));
                }
            }
            None => self
                .metrics
                .values()
                .flat_map(BTreeMap::iter)
                .for_each(|(l, s)| f(l, s)),
        }
    }

    /// Every series' labels, sorted (useful for linting and UIs).
    pub fn series_labels(&self) -> Vec<&Labels> {
        let mut v: Vec<&Labels> = self.metrics.values().flat_map(BTreeMap::keys).collect();
        v.sort();
        v
    }
}

/// Index of the newest sample with `t <= end` and `t > start`, if any.
pub(crate) fn newest_in(samples: &[StoredSample], start: i64, end: i64) -> Option<&StoredSample> {
    let i = samples.partition_point(|s| s.t <= end);
    let s = samples.get(i.checked_sub(1)?)?;
    (s.t > start).then_some(s)
}

/// Float samples with `start < t <= end`; staleness markers are skipped, as
/// Prometheus drops them from range vectors.
pub(crate) fn floats_in(samples: &[StoredSample], start: i64, end: i64) -> Vec<(i64, f64)> {
    let lo = samples.partition_point(|s| s.t <= start);
    let hi = samples.partition_point(|s| s.t <= end);
    samples[lo..hi.max(lo)]
        .iter()
        .filter_map(|s| match s.v {
            StoredValue::Float(v) => Some((s.t, v)),
            StoredValue::Stale => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(name: &str) -> Labels {
        Labels::from_pairs([("__name__", name), ("a", "1")])
    }

    #[test]
    fn append_keeps_order_and_replaces_duplicates() {
        let mut s = Storage::new();
        s.append(&l("m"), 20, 2.0);
        s.append(&l("m"), 10, 1.0);
        s.append(&l("m"), 30, 3.0);
        s.append(&l("m"), 20, 5.0);
        let mut got = vec![];
        s.for_each_series(Some("m"), |_, smp| got = smp.to_vec());
        let ts: Vec<i64> = got.iter().map(|x| x.t).collect();
        assert_eq!(ts, vec![10, 20, 30]);
        assert_eq!(got[1].v, StoredValue::Float(5.0));
        assert_eq!(s.series_count(), 1);
    }

    #[test]
    fn windows_are_left_open() {
        let samples: Vec<StoredSample> = (0..5)
            .map(|i| StoredSample {
                t: i * 10,
                v: StoredValue::Float(i as f64),
            })
            .collect();
        assert_eq!(newest_in(&samples, 10, 35).unwrap().t, 30);
        assert!(newest_in(&samples, 40, 45).is_none());
        assert_eq!(floats_in(&samples, 10, 30), vec![(20, 2.0), (30, 3.0)]);
    }

    #[test]
    fn retain_after_drops_old_samples_and_empty_series() {
        let mut s = Storage::new();
        s.append(&l("m"), 10, 1.0);
        s.append(&l("n"), 10, 1.0);
        s.append(&l("n"), 20, 1.0);
        s.retain_after(10);
        assert_eq!(s.series_count(), 1);
        assert_eq!(s.sample_count(), 1);
    }
}
