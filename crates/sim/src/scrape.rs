//! Prometheus's scrape loop for one target of the chart's `kubernetes-pods`
//! job: target labels, `honor_labels: true`, the per-scrape report series
//! (`up`, `scrape_*`), and staleness markers when a series or the target
//! disappears. Samples are timestamped at the scrape.

use std::collections::BTreeMap;

use canary_lab_promql::Labels;

use crate::clock::Millis;
use crate::hash::fnv32a;
use crate::tsdb::Tsdb;

const REPORT: [&str; 5] = [
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
];

/// Where a scraped pod is and what it is called.
#[derive(Clone, Copy, Debug)]
pub struct PodAddress<'a> {
    pub ip: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub node: &'a str,
    pub labels: &'a BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    id: usize,
    live: bool,
    generation: u64,
}

#[derive(Clone, Debug)]
pub struct Target {
    pub pod: usize,
    pub port: u32,
    pub path: String,
    /// `instance`, e.g. `10.244.0.12:8080`.
    pub instance: String,
    base: Labels,
    pub offset_ms: Millis,
    /// Exposed series by key, sorted by key (scrapes list keys in order,
    /// so a cursor finds each one without searching).
    slots: Vec<(u64, Slot)>,
    generation: u64,
    report: Option<[usize; 5]>,
    pub up: Option<bool>,
    pub gone: bool,
}

impl Target {
    /// A target for `pod` at `port`/`path`; the pod's labels become
    /// series labels through the job's labelmap.
    pub fn new(
        pod: usize,
        port: u32,
        path: String,
        at: &PodAddress<'_>,
        interval_ms: Millis,
    ) -> Self {
        let PodAddress {
            ip,
            namespace,
            name: pod_name,
            node,
            labels: pod_labels,
        } = *at;
        let instance = format!("{ip}:{port}");
        let mut base = Labels::new();
        for (k, v) in pod_labels {
            let name: String = k
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            base.insert(&name, v);
        }
        base.insert("namespace", namespace);
        base.insert("pod", pod_name);
        base.insert("node", node);
        base.insert("job", "kubernetes-pods");
        base.insert("instance", &instance);
        // Prometheus spreads targets over the interval by a hash of the target.
        let offset_ms = Millis::from(fnv32a(
            format!("kubernetes-pods/{instance}/{pod_name}").as_bytes(),
        )) % interval_ms.max(1);
        Self {
            pod,
            port,
            path,
            instance,
            base,
            offset_ms,
            slots: Vec::new(),
            generation: 0,
            report: None,
            up: None,
            gone: false,
        }
    }

    /// The first scrape slot at or after `t_ms`.
    pub fn next_slot(&self, t_ms: Millis, interval_ms: Millis) -> Millis {
        let k = (t_ms - self.offset_ms + interval_ms - 1).div_euclid(interval_ms);
        self.offset_ms + k.max(0) * interval_ms
    }

    /// A successful scrape. `labels_of` gives an exposed series' own labels
    /// (with `__name__`); with `honor_labels: true` they win over the
    /// target's.
    pub fn ingest(
        &mut self,
        tsdb: &mut Tsdb,
        now_ms: Millis,
        samples: &[(u64, f64)],
        labels_of: &dyn Fn(u64) -> Labels,
    ) {
        self.generation += 1;
        let generation = self.generation;
        let mut added = 0;
        let mut cursor = 0;
        for &(key, value) in samples {
            let i = if self.slots.get(cursor).is_some_and(|(k, _)| *k == key) {
                cursor
            } else {
                match self.slots.binary_search_by_key(&key, |(k, _)| *k) {
                    Ok(i) => i,
                    Err(i) => {
                        let id = tsdb.id(honor_labels(&self.base, labels_of(key)));
                        let slot = Slot {
                            id,
                            live: false,
                            generation,
                        };
                        self.slots.insert(i, (key, slot));
                        i
                    }
                }
            };
            cursor = i + 1;
            let slot = &mut self.slots[i].1;
            if !slot.live {
                added += 1;
            }
            slot.live = true;
            slot.generation = generation;
            tsdb.append(slot.id, now_ms, Some(value));
        }
        for (_, slot) in self
            .slots
            .iter_mut()
            .filter(|(_, s)| s.live && s.generation != generation)
        {
            slot.live = false;
            tsdb.append(slot.id, now_ms, None);
        }
        let n = samples.len() as f64;
        self.write_report(
            tsdb,
            now_ms,
            [
                Some(1.0),
                Some(0.002),
                Some(n),
                Some(n),
                Some(f64::from(added)),
            ],
        );
        self.up = Some(true);
    }

    /// A failed scrape: `up` 0 and every series of the last scrape goes stale.
    pub fn fail(&mut self, tsdb: &mut Tsdb, now_ms: Millis) {
        self.stale_all(tsdb, now_ms);
        self.write_report(
            tsdb,
            now_ms,
            [Some(0.0), Some(0.001), Some(0.0), Some(0.0), Some(0.0)],
        );
        self.up = Some(false);
    }

    /// The target is gone (pod deleted): everything goes stale.
    pub fn vanish(&mut self, tsdb: &mut Tsdb, now_ms: Millis) {
        self.stale_all(tsdb, now_ms);
        if self.report.is_some() {
            self.write_report(tsdb, now_ms, [None; 5]);
        }
        self.gone = true;
    }

    fn stale_all(&mut self, tsdb: &mut Tsdb, now_ms: Millis) {
        for (_, slot) in self.slots.iter_mut().filter(|(_, s)| s.live) {
            slot.live = false;
            tsdb.append(slot.id, now_ms, None);
        }
    }

    fn write_report(&mut self, tsdb: &mut Tsdb, now_ms: Millis, values: [Option<f64>; 5]) {
        let ids = match self.report {
            Some(ids) => ids,
            None => {
                let ids = REPORT.map(|name| {
                    let mut labels = self.base.clone();
                    labels.insert("__name__", name);
                    tsdb.id(labels)
                });
                self.report = Some(ids);
                ids
            }
        };
        for (id, v) in ids.iter().zip(values) {
            tsdb.append(*id, now_ms, v);
        }
    }
}

/// `base` with `own` laid over it, as `honor_labels: true` does: the same as
/// inserting each of `own`'s labels into a copy of `base` (an empty value
/// removes the label), in one pass over both sorted sets, moving `own`'s
/// strings instead of copying them.
fn honor_labels(base: &Labels, own: Labels) -> Labels {
    let mut out: Vec<(String, String)> = Vec::with_capacity(base.len() + own.len());
    let mut base = base.0.iter().peekable();
    for (k, v) in own.0 {
        while let Some((bk, bv)) = base.next_if(|(bk, _)| **bk < k) {
            out.push((bk.clone(), bv.clone()));
        }
        base.next_if(|(bk, _)| **bk == k);
        if !v.is_empty() {
            out.push((k, v));
        }
    }
    out.extend(base.map(|(k, v)| (k.clone(), v.clone())));
    Labels(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honor_labels_matches_inserting_one_by_one() {
        let base = Labels::from_pairs([("a", "1"), ("job", "j"), ("pod", "p"), ("z", "9")]);
        let owns = [
            Labels::new(),
            Labels::from_pairs([("__name__", "m"), ("job", "own"), ("le", "1.0")]),
            Labels::from_pairs([("a", ""), ("b", ""), ("zz", "x")]),
            Labels::from_pairs([("0", "first"), ("pod", "q"), ("z", "")]),
        ];
        for own in owns {
            let mut want = base.clone();
            for (k, v) in own.iter() {
                want.insert(k, v);
            }
            assert_eq!(honor_labels(&base, own.clone()), want, "{own}");
        }
    }
}
