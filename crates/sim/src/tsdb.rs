//! Prometheus's storage as the simulation fills it: every scraped series in
//! a compact, append-only form (series ids, no label lookups per sample).
//! A `canary_lab_promql::Storage` receives, just before a query runs, only
//! the samples its selectors can see, through a `SeriesId` cached per
//! series (so no label-set lookup per sample). The full storage is built on
//! demand for a query console.

use std::collections::{BTreeMap, BTreeSet};

use canary_lab_promql::{Labels, SeriesId, Storage};

use crate::clock::Millis;

/// Which metric names the query storage mirrors.
#[derive(Clone, Debug, PartialEq)]
pub enum Wanted {
    All,
    Names(BTreeSet<String>),
}

impl Wanted {
    fn wants(&self, name: Option<&str>) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Names(names) => name.is_some_and(|n| names.contains(n)),
        }
    }
}

/// One matcher, as far as syncing needs it: exact ones filter, the rest
/// (regexes) keep everything, which is always safe.
#[derive(Clone, Debug)]
pub struct SyncMatcher {
    pub name: String,
    pub value: String,
    pub equal: bool,
}

#[derive(Clone, Debug)]
struct Series {
    labels: Labels,
    /// The series' id in the query storage, once it has one.
    query_id: Option<SeriesId>,
    /// Samples before this index are in the query storage or were skipped.
    synced: usize,
    /// `None` is a staleness marker.
    samples: Vec<(Millis, Option<f64>)>,
}

#[derive(Clone, Debug)]
pub struct Tsdb {
    series: Vec<Series>,
    /// Labels' sort key (`Labels::sort_key`, one memcmp per comparison) → id.
    index: BTreeMap<Box<[u8]>, usize>,
    /// Mirrored series by metric name ("" for none), for syncing.
    mirrored: BTreeMap<String, Vec<usize>>,
    wanted: Wanted,
    query: Storage,
    key: Vec<u8>,
}

impl Tsdb {
    pub fn new(wanted: Wanted) -> Self {
        Self {
            series: Vec::new(),
            index: BTreeMap::new(),
            mirrored: BTreeMap::new(),
            wanted,
            query: Storage::new(),
            key: Vec::new(),
        }
    }

    /// The id of a series, created on first use.
    pub fn id(&mut self, labels: Labels) -> usize {
        self.key.clear();
        labels.write_sort_key(&mut self.key);
        if let Some(id) = self.index.get(self.key.as_slice()) {
            return *id;
        }
        let id = self.series.len();
        let mirrored = self.wanted.wants(labels.metric_name());
        self.index.insert(self.key.as_slice().into(), id);
        if mirrored {
            let name = labels.metric_name().unwrap_or("");
            match self.mirrored.get_mut(name) {
                Some(ids) => ids.push(id),
                None => {
                    self.mirrored.insert(name.to_string(), vec![id]);
                }
            }
        }
        self.series.push(Series {
            labels,
            query_id: None,
            synced: 0,
            samples: Vec::new(),
        });
        id
    }

    pub fn append(&mut self, id: usize, t_ms: Millis, value: Option<f64>) {
        let Some(s) = self.series.get_mut(id) else {
            return;
        };
        s.samples.push((t_ms, value));
    }

    /// Brings the query storage up to `to_ms` for the series a selector
    /// can match; samples at or before `from_ms` are outside every window
    /// the query can look at and are skipped.
    pub fn sync(
        &mut self,
        name: Option<&str>,
        matchers: &[SyncMatcher],
        from_ms: Millis,
        to_ms: Millis,
    ) {
        // Which series are visited first never matters: each one's samples
        // go to its own series in the query storage.
        let ids: Box<dyn Iterator<Item = &usize>> = match name {
            Some(n) => Box::new(self.mirrored.get(n).into_iter().flatten()),
            None => Box::new(self.mirrored.values().flatten()),
        };
        for &id in ids {
            let s = &mut self.series[id];
            let matches = matchers
                .iter()
                .all(|m| (s.labels.get(&m.name).unwrap_or("") == m.value) == m.equal);
            if !matches {
                continue;
            }
            let start = s
                .synced
                .max(s.samples.partition_point(|(t, _)| *t <= from_ms));
            let end = s.samples.partition_point(|(t, _)| *t <= to_ms).max(start);
            if start < end {
                let query_id = *s
                    .query_id
                    .get_or_insert_with(|| self.query.series_id(&s.labels));
                for (t, v) in &s.samples[start..end] {
                    match v {
                        Some(v) => self.query.append_to(query_id, *t, *v),
                        None => self.query.append_stale_to(query_id, *t),
                    }
                }
            }
            s.synced = end;
        }
    }

    /// The storage the analysis queries run against.
    pub fn query_storage(&self) -> &Storage {
        &self.query
    }

    pub fn series_count(&self) -> usize {
        self.series.len()
    }

    pub fn sample_count(&self) -> usize {
        self.series.iter().map(|s| s.samples.len()).sum()
    }

    /// Every series' labels with its newest float sample at or before
    /// `t_ms` (`None` if stale or absent then).
    pub fn latest(&self, t_ms: Millis) -> impl Iterator<Item = (&Labels, Option<(Millis, f64)>)> {
        self.series.iter().map(move |s| {
            let i = s.samples.partition_point(|(t, _)| *t <= t_ms);
            let newest = i
                .checked_sub(1)
                .and_then(|i| s.samples.get(i))
                .and_then(|(t, v)| v.map(|v| (*t, v)));
            (&s.labels, newest)
        })
    }

    /// Whether any series ever had this metric name (before `t_ms`).
    pub fn name_seen(&self, name: &str, t_ms: Millis) -> bool {
        self.series.iter().any(|s| {
            s.labels.metric_name() == Some(name)
                && s.samples.first().is_some_and(|(t, _)| *t <= t_ms)
        })
    }

    /// Everything, as a PromQL storage (for a query console).
    pub fn to_storage(&self) -> Storage {
        let mut storage = Storage::new();
        for s in &self.series {
            if s.samples.is_empty() {
                continue;
            }
            let id = storage.series_id(&s.labels);
            for (t, v) in &s.samples {
                match v {
                    Some(v) => storage.append_to(id, *t, *v),
                    None => storage.append_stale_to(id, *t),
                }
            }
        }
        storage
    }
}
