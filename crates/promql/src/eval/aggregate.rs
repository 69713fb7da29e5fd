//! `sum`, `avg`, `min`, `max`, `count` with `by`/`without`, using Prometheus
//! 3's float arithmetic (Kahan–Neumaier summation for sum and avg) so
//! results match bit for bit.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use crate::ast::{AggregateOp, Grouping};
use crate::labels::{Labels, METRIC_NAME};
use crate::value::Sample;

/// Prometheus's `kahansum.Inc`: Neumaier's variant of compensated summation.
pub(crate) fn kahan_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    let t = sum + inc;
    let c = if t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

#[derive(Clone, Copy)]
struct Acc {
    value: f64,
    kahan_c: f64,
    mean: f64,
    count: f64,
    incremental_mean: bool,
}

/// The group of a sample. `name_dropped` says the input's `__name__` is to
/// be treated as absent (it was dropped upstream but the labels are still
/// the storage's).
fn group_key(labels: &Labels, grouping: Option<&Grouping>, name_dropped: bool) -> Labels {
    match grouping {
        None => Labels::new(),
        Some(g) if !g.without => Labels(
            labels
                .0
                .iter()
                .filter(|(k, _)| !(name_dropped && *k == METRIC_NAME))
                .filter(|(k, _)| g.labels.iter().any(|l| l == *k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Some(g) => {
            let mut l = labels.clone();
            l.0.remove(METRIC_NAME);
            for name in &g.labels {
                l.0.remove(name);
            }
            l
        }
    }
}

pub(super) fn eval(
    op: AggregateOp,
    input: Vec<Sample>,
    grouping: Option<&Grouping>,
) -> Vec<Sample> {
    eval_labelled(
        op,
        input.into_iter().map(|s| (s.labels, s.value)),
        grouping,
        false,
    )
}

/// [`eval`] over `(labels, value)` pairs whose labels may be borrowed from
/// the storage; with `name_dropped` their `__name__` is ignored, as if the
/// input had gone through `drop_name`.
pub(super) fn eval_labelled<L: Borrow<Labels>>(
    op: AggregateOp,
    input: impl IntoIterator<Item = (L, f64)>,
    grouping: Option<&Grouping>,
    name_dropped: bool,
) -> Vec<Sample> {
    let mut groups: BTreeMap<Labels, Acc> = BTreeMap::new();
    for (labels, f) in input {
        let key = group_key(labels.borrow(), grouping, name_dropped);
        let Some(g) = groups.get_mut(&key) else {
            groups.insert(
                key,
                Acc {
                    value: f,
                    kahan_c: 0.0,
                    mean: f,
                    count: 1.0,
                    incremental_mean: false,
                },
            );
            continue;
        };
        g.count += 1.0;
        match op {
            AggregateOp::Sum => (g.value, g.kahan_c) = kahan_inc(f, g.value, g.kahan_c),
            AggregateOp::Avg => avg_step(g, f),
            AggregateOp::Min => {
                if g.value > f || g.value.is_nan() {
                    g.value = f;
                }
            }
            AggregateOp::Max => {
                if g.value < f || g.value.is_nan() {
                    g.value = f;
                }
            }
            AggregateOp::Count => {}
        }
    }
    groups
        .into_iter()
        .map(|(labels, g)| {
            let value = match op {
                AggregateOp::Sum => g.value + g.kahan_c,
                AggregateOp::Avg if g.incremental_mean => g.mean + g.kahan_c,
                AggregateOp::Avg => g.value / g.count + g.kahan_c / g.count,
                AggregateOp::Min | AggregateOp::Max => g.value,
                AggregateOp::Count => g.count,
            };
            Sample { labels, value }
        })
        .collect()
}

/// Direct mean with compensated summation while the running sum stays
/// finite; incremental mean once it would overflow (Prometheus 3.5+).
fn avg_step(g: &mut Acc, f: f64) {
    if !g.incremental_mean {
        let (v, c) = kahan_inc(f, g.value, g.kahan_c);
        if !v.is_infinite() {
            g.value = v;
            g.kahan_c = c;
            return;
        }
        g.incremental_mean = true;
        g.mean = g.value / (g.count - 1.0);
        g.kahan_c /= g.count - 1.0;
    }
    if g.mean.is_infinite() {
        if f.is_infinite() && (g.mean > 0.0) == (f > 0.0) {
            return;
        }
        if !f.is_infinite() && !f.is_nan() {
            return;
        }
    }
    let q = (g.count - 1.0) / g.count;
    (g.mean, g.kahan_c) = kahan_inc(f / g.count, q * g.mean, q * g.kahan_c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pairs: &[(&str, &str)], v: f64) -> Sample {
        Sample {
            labels: Labels::from_pairs(pairs.iter().copied()),
            value: v,
        }
    }

    #[test]
    fn kahan_sum_recovers_lost_bits() {
        let input = vec![
            s(&[("a", "1")], 1e16),
            s(&[("a", "2")], 1.0),
            s(&[("a", "3")], -1e16),
        ];
        let out = eval(AggregateOp::Sum, input, None);
        assert_eq!(out[0].value, 1.0);
    }

    #[test]
    fn grouping_by_and_without() {
        let input = vec![
            s(&[("__name__", "m"), ("a", "1"), ("b", "x")], 1.0),
            s(&[("__name__", "m"), ("a", "1"), ("b", "y")], 2.0),
            s(&[("__name__", "m"), ("a", "2"), ("b", "x")], 4.0),
        ];
        let by = Grouping {
            without: false,
            labels: vec!["a".into()],
        };
        let out = eval(AggregateOp::Sum, input.clone(), Some(&by));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], s(&[("a", "1")], 3.0));
        let without = Grouping {
            without: true,
            labels: vec!["a".into()],
        };
        let out = eval(AggregateOp::Max, input.clone(), Some(&without));
        assert_eq!(out, vec![s(&[("b", "x")], 4.0), s(&[("b", "y")], 2.0)]);
        assert_eq!(
            eval(AggregateOp::Avg, input.clone(), None)[0].value,
            7.0 / 3.0
        );
        assert_eq!(eval(AggregateOp::Count, input, None)[0].value, 3.0);
        assert!(eval(AggregateOp::Sum, vec![], None).is_empty());
    }

    #[test]
    fn min_max_skip_nan_unless_all_nan() {
        let input = vec![s(&[("a", "1")], f64::NAN), s(&[("a", "2")], 3.0)];
        assert_eq!(eval(AggregateOp::Min, input.clone(), None)[0].value, 3.0);
        assert_eq!(eval(AggregateOp::Max, input, None)[0].value, 3.0);
    }

    #[test]
    fn avg_survives_overflow() {
        let input = vec![s(&[("a", "1")], f64::MAX), s(&[("a", "2")], f64::MAX)];
        assert_eq!(eval(AggregateOp::Avg, input, None)[0].value, f64::MAX);
    }
}
