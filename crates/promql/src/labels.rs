//! Label sets, the identity of a series.
//!
//! A `BTreeMap` keeps labels sorted by name, so equality, ordering and
//! iteration are deterministic and match Prometheus's `labels.Compare`
//! (name by name, then value by value, then length).

use std::collections::BTreeMap;
use std::fmt;

use crate::format::go_quote;

/// The reserved label holding the metric name.
pub const METRIC_NAME: &str = "__name__";

/// An ordered set of label name/value pairs, `__name__` included.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    /// An empty label set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a label set from pairs; a later duplicate name wins.
    pub fn from_pairs<'a, I>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        Labels(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    /// The value of label `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Sets a label. Prometheus treats an empty value as an absent label, so
    /// an empty value removes it.
    pub fn insert(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            self.0.remove(name);
        } else {
            self.0.insert(name.to_string(), value.to_string());
        }
    }

    /// Removes a label, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }

    /// The metric name (`__name__`), if any.
    pub fn metric_name(&self) -> Option<&str> {
        self.get(METRIC_NAME)
    }

    /// A copy without `__name__`.
    pub fn without_metric_name(&self) -> Labels {
        let mut l = self.clone();
        l.0.remove(METRIC_NAME);
        l
    }

    /// Iterates over `(name, value)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True if there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A byte string whose order is this label set's order: for any `a`
    /// and `b`, `a.sort_key().cmp(&b.sort_key()) == a.cmp(&b)`, and equal
    /// keys mean equal label sets. Comparing two keys is one `memcmp`,
    /// where comparing two `Labels` walks both maps string by string, so
    /// keys suit indexes that are searched far more often than built.
    pub fn sort_key(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.iter().map(|(k, v)| k.len() + v.len() + 4).sum());
        self.write_sort_key(&mut key);
        key
    }

    /// Appends [`Labels::sort_key`] to `out` (to reuse a buffer).
    ///
    /// Each name and value is written with `0x00` escaped as `0x00 0xFF` and
    /// ends with `0x00 0x00`, which sorts below every byte a longer string
    /// could continue with; a set that is a prefix of another (fewer pairs)
    /// yields a prefix key and so sorts first, as `Labels`' order says.
    pub fn write_sort_key(&self, out: &mut Vec<u8>) {
        for (k, v) in self.iter() {
            push_escaped(out, k.as_bytes());
            push_escaped(out, v.as_bytes());
        }
    }

    /// Renders in exposition style, `name{a="b"}`, as users write selectors.
    pub fn to_selector_string(&self) -> String {
        let mut out = String::new();
        if let Some(n) = self.metric_name() {
            out.push_str(n);
        }
        let rest: Vec<String> = self
            .iter()
            .filter(|(k, _)| *k != METRIC_NAME)
            .map(|(k, v)| format!("{k}={}", go_quote(v)))
            .collect();
        if !rest.is_empty() || out.is_empty() {
            out.push('{');
            out.push_str(&rest.join(", "));
            out.push('}');
        }
        out
    }
}

fn push_escaped(out: &mut Vec<u8>, s: &[u8]) {
    // Label text almost never holds NUL; `contains` on bytes is a memchr.
    if !s.contains(&0) {
        out.extend_from_slice(s);
        out.extend_from_slice(&[0x00, 0x00]);
        return;
    }
    let mut parts = s.split(|&b| b == 0);
    if let Some(first) = parts.next() {
        out.extend_from_slice(first);
    }
    for part in parts {
        out.extend_from_slice(&[0x00, 0xFF]);
        out.extend_from_slice(part);
    }
    out.extend_from_slice(&[0x00, 0x00]);
}

impl<'a> FromIterator<(&'a str, &'a str)> for Labels {
    fn from_iter<T: IntoIterator<Item = (&'a str, &'a str)>>(iter: T) -> Self {
        Labels::from_pairs(iter)
    }
}

/// Formats like Prometheus's `labels.Labels.String()`:
/// `{__name__="x", a="b"}`; promtool and error messages use this form.
impl fmt::Display for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{k}={}", go_quote(v))?;
        }
        f.write_str("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_prometheus() {
        let l = Labels::from_pairs([("b", "x\"y"), ("__name__", "m"), ("a", "1")]);
        assert_eq!(l.to_string(), r#"{__name__="m", a="1", b="x\"y"}"#);
        assert_eq!(l.to_selector_string(), r#"m{a="1", b="x\"y"}"#);
        assert_eq!(Labels::new().to_string(), "{}");
    }

    #[test]
    fn ordering_is_label_by_label() {
        let a = Labels::from_pairs([("a", "1")]);
        let b = Labels::from_pairs([("a", "1"), ("b", "0")]);
        let c = Labels::from_pairs([("a", "2")]);
        assert!(a < b && b < c);
    }

    #[test]
    fn sort_keys_order_like_labels() {
        let sets = [
            Labels::new(),
            Labels::from_pairs([("a", "")]),
            Labels::from_pairs([("a", "1")]),
            Labels::from_pairs([("a", "1"), ("b", "0")]),
            Labels::from_pairs([("a", "1\0"), ("b", "0")]),
            Labels::from_pairs([("a", "1\0x")]),
            Labels::from_pairs([("a", "1\u{1}")]),
            Labels::from_pairs([("a", "1"), ("b\0", "0")]),
            Labels::from_pairs([("a", "2")]),
            Labels::from_pairs([("a\0", "")]),
            Labels::from_pairs([("ab", "")]),
            Labels::from_pairs([("__name__", "m"), ("le", "+Inf")]),
            Labels::from_pairs([("__name__", "m"), ("le", "1.0")]),
            Labels::from_pairs([("A", "z")]),
            Labels::from_pairs([("é", "ü")]),
        ];
        for a in &sets {
            for b in &sets {
                assert_eq!(a.sort_key().cmp(&b.sort_key()), a.cmp(b), "{a} vs {b}");
            }
        }
    }

    mod prop {
        use super::super::Labels;
        use proptest::prelude::*;

        fn labels() -> impl Strategy<Value = Labels> {
            // A tiny alphabet (NUL included) so prefixes and ties are common.
            let text = proptest::collection::vec(
                prop::sample::select(vec!['\0', '\u{1}', 'a', 'b', '\u{ff}']),
                0..4,
            )
            .prop_map(|c| c.into_iter().collect::<String>());
            proptest::collection::vec((text.clone(), text), 0..4)
                .prop_map(|pairs| Labels(pairs.into_iter().collect()))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
            #[test]
            fn sort_key_order_is_label_order(a in labels(), b in labels()) {
                prop_assert_eq!(a.sort_key().cmp(&b.sort_key()), a.cmp(&b));
            }
        }
    }
}
