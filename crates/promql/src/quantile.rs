//! Classic-histogram quantile estimation, Prometheus 3's `BucketQuantile`.

/// One cumulative bucket: upper bound (`le`) and count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    /// The bucket's upper bound.
    pub upper_bound: f64,
    /// Cumulative count of observations ≤ the bound.
    pub count: f64,
}

/// Relative difference under which neighbouring bucket counts are treated as
/// equal (floating-point noise from `rate` on each bucket).
const SMALL_DELTA_TOLERANCE: f64 = 1e-12;

/// Estimates quantile `q` from cumulative buckets.
pub fn bucket_quantile(q: f64, mut buckets: Vec<Bucket>) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    // Bounds are never NaN (they were parsed from `le` and NaN is dropped
    // before we get here), so a total order on the finite/∞ values is fine.
    buckets.sort_by(|a, b| a.upper_bound.total_cmp(&b.upper_bound));
    match buckets.last() {
        Some(b) if b.upper_bound == f64::INFINITY => {}
        _ => return f64::NAN,
    }
    let mut buckets = coalesce(buckets);
    ensure_monotonic(&mut buckets);
    if buckets.len() < 2 {
        return f64::NAN;
    }
    let observations = buckets[buckets.len() - 1].count;
    if observations == 0.0 {
        return f64::NAN;
    }
    let mut rank = q * observations;
    let n = buckets.len();
    let b = buckets[..n - 1].partition_point(|bk| bk.count < rank);
    if b == n - 1 {
        return buckets[n - 2].upper_bound;
    }
    if b == 0 && buckets[0].upper_bound <= 0.0 {
        return buckets[0].upper_bound;
    }
    let bucket_end = buckets[b].upper_bound;
    let mut count = buckets[b].count;
    let mut bucket_start = 0.0;
    if b > 0 {
        bucket_start = buckets[b - 1].upper_bound;
        count -= buckets[b - 1].count;
        rank -= buckets[b - 1].count;
    }
    bucket_start + (bucket_end - bucket_start) * (rank / count)
}

fn coalesce(buckets: Vec<Bucket>) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = Vec::with_capacity(buckets.len());
    for b in buckets {
        match out.last_mut() {
            Some(last) if last.upper_bound == b.upper_bound => last.count += b.count,
            _ => out.push(b),
        }
    }
    out
}

fn ensure_monotonic(buckets: &mut [Bucket]) {
    let Some(first) = buckets.first() else { return };
    let mut prev = first.count;
    for b in buckets.iter_mut().skip(1) {
        let curr = b.count;
        if curr == prev {
            continue;
        }
        if almost_equal(prev, curr, SMALL_DELTA_TOLERANCE) || curr < prev {
            // Ignore float noise and decreases; `prev` stays put on purpose.
            b.count = prev;
            continue;
        }
        prev = curr;
    }
}

/// Prometheus's `almost.Equal`.
fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    if a.is_nan() && b.is_nan() {
        return true;
    }
    if a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < MIN_NORMAL {
        return diff < epsilon * MIN_NORMAL;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bk(pairs: &[(f64, f64)]) -> Vec<Bucket> {
        pairs
            .iter()
            .map(|&(upper_bound, count)| Bucket { upper_bound, count })
            .collect()
    }

    #[test]
    fn interpolates_inside_a_bucket() {
        let b = bk(&[(1.0, 10.0), (2.0, 20.0), (f64::INFINITY, 20.0)]);
        assert_eq!(bucket_quantile(0.5, b.clone()), 1.0);
        assert_eq!(bucket_quantile(0.75, b), 1.5);
    }

    #[test]
    fn inf_bucket_returns_second_highest_bound() {
        let b = bk(&[(1.0, 1.0), (2.0, 2.0), (f64::INFINITY, 10.0)]);
        assert_eq!(bucket_quantile(0.9, b), 2.0);
    }

    #[test]
    fn nan_cases() {
        assert!(bucket_quantile(0.5, bk(&[(1.0, 0.0), (f64::INFINITY, 0.0)])).is_nan());
        assert!(bucket_quantile(0.5, bk(&[(1.0, 1.0), (2.0, 2.0)])).is_nan());
        assert!(bucket_quantile(0.5, bk(&[(f64::INFINITY, 2.0)])).is_nan());
        assert!(bucket_quantile(f64::NAN, bk(&[(1.0, 1.0), (f64::INFINITY, 2.0)])).is_nan());
        assert_eq!(bucket_quantile(-1.0, vec![]), f64::NEG_INFINITY);
        assert_eq!(bucket_quantile(2.0, vec![]), f64::INFINITY);
    }

    #[test]
    fn merges_equal_bounds_and_fixes_monotonicity() {
        let b = bk(&[(1.0, 2.0), (1.0, 2.0), (2.0, 3.0), (f64::INFINITY, 8.0)]);
        // 1.0 → 4 after merge; 2.0's 3 is forced up to 4.
        assert_eq!(bucket_quantile(0.5, b), 1.0);
        let tiny = bk(&[
            (1.0, 10.0),
            (2.0, 10.0 * (1.0 - 1e-14)),
            (f64::INFINITY, 10.0),
        ]);
        assert_eq!(bucket_quantile(1.0, tiny), 1.0);
    }
}
