//! The in-memory TSDB the simulation scrapes into.
//!
//! Series are grouped by metric name first so a selector with `name` or
//! `__name__="name"` touches only that metric's series. Samples are kept
//! sorted by time; appending in time order is an amortised O(1) push.
//!
//! Each series gets a [`SeriesId`] when first seen. A writer that keeps ids
//! ([`Storage::series_id`] once, then [`Storage::append_to`]) skips the label
//! lookup per sample; [`Storage::append`] does that lookup every time. The
//! lookup compares [`Labels::sort_key`] bytes, whose order is the label sets'
//! order, so series are still visited in label order.

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

/// A series' handle in the [`Storage`] that issued it (from
/// [`Storage::series_id`]); it stays valid for that storage and its clones,
/// even after [`Storage::retain_after`] emptied the series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesId(u32);

#[derive(Clone, Debug)]
struct Series {
    labels: Labels,
    /// Empty means the series is absent (never written, or all retained
    /// away); every query and count skips it.
    samples: Vec<StoredSample>,
}

/// An in-memory time-series database.
#[derive(Clone, Debug, Default)]
pub struct Storage {
    /// Every series ever seen, by id.
    series: Vec<Series>,
    /// metric name ("" for series without one) → labels' sort key → id;
    /// iterating a metric's map visits its series in label order.
    metrics: BTreeMap<String, BTreeMap<Box<[u8]>, SeriesId>>,
    /// Scratch buffer for sort keys, so lookups do not allocate.
    key: Vec<u8>,
}

impl Storage {
    /// An empty storage.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of the series with these labels, registering it (without
    /// samples, so still invisible to queries) on first use. Appending
    /// through the id with [`Storage::append_to`] is the same as appending
    /// with the labels, minus the lookup.
    pub fn series_id(&mut self, labels: &Labels) -> SeriesId {
        let name = labels.metric_name().unwrap_or("");
        self.key.clear();
        labels.write_sort_key(&mut self.key);
        let by_key = match self.metrics.get_mut(name) {
            Some(m) => m,
            None => self.metrics.entry(name.to_string()).or_default(),
        };
        if let Some(id) = by_key.get(self.key.as_slice()) {
            return *id;
        }
        let id = SeriesId(u32::try_from(self.series.len()).expect("fewer than 2^32 series"));
        by_key.insert(self.key.as_slice().into(), id);
        self.series.push(Series {
            labels: labels.clone(),
            samples: Vec::new(),
        });
        id
    }

    /// The labels of a series by id.
    pub fn labels_of(&self, id: SeriesId) -> Option<&Labels> {
        self.series.get(id.0 as usize).map(|s| &s.labels)
    }

    /// Appends a float sample. Out-of-order samples are inserted in place and a
    /// sample at an existing timestamp replaces it (Prometheus would reject
    /// both; the simulation never produces them, and replacing is the least
    /// surprising outcome for a teaching tool).
    pub fn append(&mut self, labels: &Labels, t_ms: i64, value: f64) {
        let id = self.series_id(labels);
        self.append_to(id, t_ms, value);
    }

    /// Appends a staleness marker: instant selectors see nothing for this
    /// series from `t_ms` until its next sample.
    pub fn append_stale(&mut self, labels: &Labels, t_ms: i64) {
        let id = self.series_id(labels);
        self.append_stale_to(id, t_ms);
    }

    /// [`Storage::append`] by series id. An id from another storage is a
    /// bug; it is ignored (release) rather than writing to a wrong series
    /// out of range.
    pub fn append_to(&mut self, id: SeriesId, t_ms: i64, value: f64) {
        self.push(id, t_ms, StoredValue::Float(value));
    }

    /// [`Storage::append_stale`] by series id.
    pub fn append_stale_to(&mut self, id: SeriesId, t_ms: i64) {
        self.push(id, t_ms, StoredValue::Stale);
    }

    fn push(&mut self, id: SeriesId, t: i64, v: StoredValue) {
        debug_assert!((id.0 as usize) < self.series.len(), "foreign {id:?}");
        let Some(series) = self.series.get_mut(id.0 as usize) else {
            return;
        };
        let samples = &mut series.samples;
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

    /// Series with samples, in metric-name then label order.
    fn live(&self) -> impl Iterator<Item = &Series> {
        self.metrics
            .values()
            .flat_map(BTreeMap::values)
            .map(|id| &self.series[id.0 as usize])
            .filter(|s| !s.samples.is_empty())
    }

    /// Number of series stored.
    pub fn series_count(&self) -> usize {
        self.series.iter().filter(|s| !s.samples.is_empty()).count()
    }

    /// Number of samples (markers included) stored.
    pub fn sample_count(&self) -> usize {
        self.series.iter().map(|s| s.samples.len()).sum()
    }

    /// Drops every sample at or before `t_ms`, and series left empty, so a
    /// long simulation keeps memory bounded by what queries can still see.
    /// (An emptied series keeps its id and labels, but no samples.)
    pub fn retain_after(&mut self, t_ms: i64) {
        for s in &mut self.series {
            let cut = s.samples.partition_point(|s| s.t <= t_ms);
            s.samples.drain(..cut);
            if s.samples.is_empty() {
                s.samples = Vec::new();
            }
        }
    }

    /// Calls `f` for every series whose metric name could satisfy a selector,
    /// in label order when `name` is given (metric-name order first when
    /// not). `name` is the exact metric name when the selector pins one.
    pub(crate) fn for_each_series<'a>(
        &'a self,
        name: Option<&str>,
        mut f: impl FnMut(&'a Labels, &'a [StoredSample]),
    ) {
        let series = |id: &SeriesId| &self.series[id.0 as usize];
        let visit = |s: &'a Series| {
            if !s.samples.is_empty() {
                f(&s.labels, &s.samples);
            }
        };
        match name {
            Some(n) => {
                if let Some(m) = self.metrics.get(n) {
                    m.values().map(series).for_each(visit);
                }
            }
            None => self
                .metrics
                .values()
                .flat_map(BTreeMap::values)
                .map(series)
                .for_each(visit),
        }
    }

    /// Every series' labels, sorted (useful for linting and UIs).
    pub fn series_labels(&self) -> Vec<&Labels> {
        let mut v: Vec<&Labels> = self.live().map(|s| &s.labels).collect();
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
        let mut names = vec![];
        s.for_each_series(None, |l, _| names.push(l.metric_name().unwrap()));
        assert_eq!(names, vec!["n"]);
        // The emptied series comes back when written again.
        s.append(&l("m"), 30, 1.0);
        assert_eq!(s.series_count(), 2);
        assert_eq!(s.series_labels(), vec![&l("m"), &l("n")]);
    }

    #[test]
    fn ids_and_labels_address_the_same_series() {
        let mut s = Storage::new();
        let id = s.series_id(&l("m"));
        assert_eq!(s.series_count(), 0, "registered but empty: invisible");
        s.append_to(id, 10, 1.0);
        s.append(&l("m"), 20, 2.0);
        s.append_stale_to(id, 30);
        assert_eq!(s.series_id(&l("m")), id);
        assert_eq!(s.labels_of(id), Some(&l("m")));
        assert_eq!(s.series_count(), 1);
        assert_eq!(s.sample_count(), 3);
        let mut got = vec![];
        s.for_each_series(Some("m"), |_, smp| got = smp.to_vec());
        assert_eq!(got[2].v, StoredValue::Stale);
    }

    #[test]
    fn series_are_visited_in_label_order() {
        let mut s = Storage::new();
        let sets = [
            Labels::from_pairs([("__name__", "m"), ("le", "2.0")]),
            Labels::from_pairs([("__name__", "m"), ("le", "+Inf")]),
            Labels::from_pairs([("__name__", "m"), ("a", "x"), ("le", "1")]),
            Labels::from_pairs([("__name__", "m")]),
            Labels::from_pairs([("A", "1"), ("__name__", "m")]),
        ];
        for l in &sets {
            s.append(l, 10, 1.0);
        }
        let mut got = vec![];
        s.for_each_series(Some("m"), |l, _| got.push(l.clone()));
        let mut want = sets.to_vec();
        want.sort();
        assert_eq!(got, want);
    }
}
