//! The supported PromQL functions.

use std::collections::BTreeMap;

use crate::ast::{Expr, Function, Span};
use crate::error::EvalError;
use crate::eval::{check_unique, drop_name, Evaluator};
use crate::labels::Labels;
use crate::quantile::{bucket_quantile, Bucket};
use crate::value::{Sample, Value};

pub(crate) fn call(
    ev: &Evaluator<'_>,
    func: Function,
    args: &[Expr],
    span: &Span,
) -> Result<Value, EvalError> {
    use Function::*;
    let out = match func {
        Rate | Increase | Irate => {
            return Ok(Value::Vector(
                rates(ev, func, args, span)?
                    .into_iter()
                    .map(|(labels, value)| Sample {
                        labels: drop_name(labels),
                        value,
                    })
                    .collect(),
            ))
        }
        HistogramQuantile => {
            let q = ev.scalar(&args[0])?;
            histogram_quantile(q, ev.vector(&args[1])?)
        }
        Vector => vec![Sample {
            labels: Labels::new(),
            value: ev.scalar(&args[0])?,
        }],
        Scalar => {
            let v = ev.vector(&args[0])?;
            return Ok(Value::Scalar(if v.len() == 1 {
                v[0].value
            } else {
                f64::NAN
            }));
        }
        Abs => map(ev.vector(&args[0])?, f64::abs),
        ClampMin => {
            let min = ev.scalar(&args[1])?;
            map(ev.vector(&args[0])?, |v| go_max(min, v))
        }
        ClampMax => {
            let max = ev.scalar(&args[1])?;
            map(ev.vector(&args[0])?, |v| go_min(max, v))
        }
        Clamp => {
            let v = ev.vector(&args[0])?;
            let (min, max) = (ev.scalar(&args[1])?, ev.scalar(&args[2])?);
            if max < min {
                Vec::new()
            } else {
                map(v, |x| go_max(min, go_min(max, x)))
            }
        }
    };
    check_unique(&out, span)?;
    Ok(Value::Vector(out))
}

/// `rate`, `increase` or `irate` of a range-vector argument, each value with
/// its series' stored labels (`__name__` still in them: the caller drops it
/// or ignores it). Fails, as Prometheus does, when dropping `__name__` makes
/// two series' labels equal.
pub(crate) fn rates<'a>(
    ev: &Evaluator<'a>,
    func: Function,
    args: &[Expr],
    span: &Span,
) -> Result<Vec<(&'a Labels, f64)>, EvalError> {
    let (series, start, end) = ev.matrix(&args[0])?;
    let mut out = Vec::with_capacity(series.len());
    for s in &series {
        let v = match func {
            Function::Irate => instant_rate(&s.points),
            _ => extrapolated_rate(&s.points, start, end, func == Function::Rate),
        };
        if let Some(value) = v {
            out.push((s.labels, value));
        }
    }
    // Stored series have distinct label sets; when they all share one
    // metric name, dropping it keeps them distinct.
    let name = out.first().and_then(|(l, _)| l.metric_name());
    if !out.iter().all(|(l, _)| l.metric_name() == name) {
        let dropped: Vec<Sample> = out
            .iter()
            .map(|(labels, value)| Sample {
                labels: drop_name(labels),
                value: *value,
            })
            .collect();
        check_unique(&dropped, span)?;
    }
    Ok(out)
}

fn map(v: Vec<Sample>, f: impl Fn(f64) -> f64) -> Vec<Sample> {
    v.into_iter()
        .map(|s| Sample {
            labels: drop_name(&s.labels),
            value: f(s.value),
        })
        .collect()
}

/// Go's `math.Max`: NaN wins over finite values, +Inf over NaN.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            y
        } else {
            x
        }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            x
        } else {
            y
        }
    } else if x < y {
        x
    } else {
        y
    }
}

/// Prometheus 3's `extrapolatedRate` for counters (`rate`, `increase`).
/// `points` are the samples in `(start, end]`, oldest first.
pub(crate) fn extrapolated_rate(
    points: &[(i64, f64)],
    start: i64,
    end: i64,
    is_rate: bool,
) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let (first_t, first_v) = points[0];
    let (last_t, last_v) = points[points.len() - 1];
    let mut result = last_v - first_v;
    let mut prev = first_v;
    for &(_, v) in &points[1..] {
        if v < prev {
            result += prev;
        }
        prev = v;
    }
    let mut duration_to_start = (first_t - start) as f64 / 1000.0;
    let mut duration_to_end = (end - last_t) as f64 / 1000.0;
    let sampled = (last_t - first_t) as f64 / 1000.0;
    let avg = sampled / (points.len() - 1) as f64;
    let threshold = avg * 1.1;
    if duration_to_start >= threshold {
        duration_to_start = avg / 2.0;
    }
    // Counters cannot go negative: do not extrapolate past the zero point.
    let mut duration_to_zero = duration_to_start;
    if result > 0.0 && first_v >= 0.0 {
        duration_to_zero = sampled * (first_v / result);
    }
    if duration_to_zero < duration_to_start {
        duration_to_start = duration_to_zero;
    }
    if duration_to_end >= threshold {
        duration_to_end = avg / 2.0;
    }
    let mut factor = (sampled + duration_to_start + duration_to_end) / sampled;
    if is_rate {
        factor /= (end - start) as f64 / 1000.0;
    }
    Some(result * factor)
}

/// `irate`: per-second change between the last two samples.
fn instant_rate(points: &[(i64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let (t1, v1) = points[points.len() - 1];
    let (t0, v0) = points[points.len() - 2];
    let mut result = if v1 < v0 { v1 } else { v1 - v0 };
    let interval = t1 - t0;
    if interval == 0 {
        return None;
    }
    result /= interval as f64 / 1000.0;
    Some(result)
}

/// Groups buckets by every label except `le` (and `__name__`) and estimates
/// the quantile per group. Series without a parsable `le` are ignored, as
/// Prometheus does (it only warns).
fn histogram_quantile(q: f64, input: Vec<Sample>) -> Vec<Sample> {
    let mut groups: BTreeMap<Labels, (Labels, Vec<Bucket>)> = BTreeMap::new();
    for s in input {
        let Some(upper_bound) = s.labels.get("le").and_then(parse_go_float) else {
            continue;
        };
        let mut key = s.labels.clone();
        key.remove("le");
        let entry = groups
            .entry(key)
            .or_insert_with_key(|k| (drop_name(k), Vec::new()));
        entry.1.push(Bucket {
            upper_bound,
            count: s.value,
        });
    }
    groups
        .into_values()
        .map(|(labels, buckets)| Sample {
            labels,
            value: bucket_quantile(q, buckets),
        })
        .collect()
}

/// Parses an `le` value like Go's `strconv.ParseFloat` for the forms
/// exporters emit (`0.5`, `1e3`, `+Inf`, `Inf`).
fn parse_go_float(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    (!v.is_nan() || s.eq_ignore_ascii_case("nan")).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_from_the_spec() {
        // Scrape every 15s, rate(c[1m]) at t=60s, samples at 5,20,35,50s.
        let pts = [
            (5_000, 100.0),
            (20_000, 100.0),
            (35_000, 130.0),
            (50_000, 130.0),
        ];
        let r = extrapolated_rate(&pts, 0, 60_000, true).unwrap();
        assert!((r - 40.0 / 60.0).abs() < 1e-15, "{r}");
        assert_eq!(extrapolated_rate(&pts, 0, 60_000, false).unwrap(), 40.0);
    }

    #[test]
    fn counter_reset_adds_previous_value() {
        let pts = [(10_000, 5.0), (20_000, 10.0), (30_000, 2.0), (40_000, 4.0)];
        // result = 4-5 + 10 = 9; sampled=30; start gap 10 (< 11) but
        // zero point = 30*5/9 ≈ 16.7 > 10; end gap 20 ≥ 11 → 5.
        let inc = extrapolated_rate(&pts, 0, 60_000, false).unwrap();
        assert_eq!(inc, 9.0 * (30.0 + 10.0 + 5.0) / 30.0);
    }

    #[test]
    fn zero_point_limits_extrapolation() {
        let pts = [(30_000, 1.0), (40_000, 11.0), (50_000, 21.0)];
        // start gap 30 ≥ 11 → 5; zero point = 20*1/20 = 1 → 1.
        assert_eq!(
            extrapolated_rate(&pts, 0, 60_000, false).unwrap(),
            20.0 * ((20.0 + 1.0 + 10.0) / 20.0)
        );
        assert_eq!(extrapolated_rate(&pts[..1], 0, 60_000, false), None);
    }

    #[test]
    fn irate_uses_last_two_samples() {
        assert_eq!(
            instant_rate(&[(0, 1.0), (10_000, 5.0), (20_000, 25.0)]),
            Some(2.0)
        );
        assert_eq!(instant_rate(&[(0, 10.0), (10_000, 4.0)]), Some(0.4));
    }

    #[test]
    fn go_min_max_semantics() {
        assert!(go_max(0.0, f64::NAN).is_nan());
        assert_eq!(go_max(f64::NAN, f64::INFINITY), f64::INFINITY);
        assert!(go_max(-0.0, 0.0).is_sign_positive());
        assert!(go_min(-0.0, 0.0).is_sign_negative());
    }
}
