//! Charts drawn as SVG text in the worker: the page only inserts them, so
//! drawing code stays out of its first load. Deterministic (fixed-precision
//! numbers), escaped, and readable in light and dark themes through CSS
//! classes the page styles.

use std::fmt::Write as _;

use crate::protocol::{SvgChart, Threshold};

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// One line of the chart; `None` breaks the line (no data or NaN).
pub struct Series<'a> {
    pub label: &'a str,
    pub points: &'a [(f64, Option<f64>)],
}

/// A measurement drawn as a marker; `None` on the x axis, hollow.
pub struct Marker<'a> {
    pub t_s: f64,
    pub value: Option<f64>,
    pub phase: &'a str,
}

pub fn line_chart(
    title: &str,
    series: &[Series],
    threshold: Option<&Threshold>,
    markers: &[Marker],
) -> SvgChart {
    let xs = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(t, _)| *t))
        .chain(markers.iter().map(|m| m.t_s));
    let (x0, x1) = bounds(xs).unwrap_or((0.0, 1.0));
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|(_, v)| *v))
        .chain(markers.iter().filter_map(|m| m.value))
        .chain(threshold.map(|t| t.value))
        .chain(std::iter::once(0.0));
    let (y0, y1) = bounds(ys).unwrap_or((0.0, 1.0));
    let ticks = nice_ticks(y0, y1);
    let (y0, y1) = (
        ticks.first().copied().unwrap_or(y0),
        ticks.last().copied().unwrap_or(y1),
    );
    let x = |t: f64| LEFT + (t - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
    let y = |v: f64| HEIGHT - BOTTOM - (v - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" aria-label="{}">"#,
        escape(title)
    );
    for tick in &ticks {
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            y(*tick),
            y(*tick),
            LEFT - 4.0,
            y(*tick) + 3.5,
            short(*tick)
        );
    }
    for t in nice_ticks(x0, x1) {
        if t < x0 || t > x1 {
            continue;
        }
        let _ = write!(
            svg,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}s</text>"#,
            x(t),
            HEIGHT - BOTTOM + 14.0,
            short(t)
        );
    }
    if let Some(t) = threshold {
        let passes = match t.op.as_str() {
            "<" | "<=" => "below passes",
            _ => "above passes",
        };
        let _ = write!(
            svg,
            r#"<line class="threshold" x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}"><title>threshold {} {}: {passes}</title></line><text class="threshold-label" x="{:.1}" y="{:.1}" text-anchor="end">{} {} ({passes})</text>"#,
            WIDTH - RIGHT,
            y(t.value),
            y(t.value),
            escape(&t.op),
            short(t.value),
            WIDTH - RIGHT,
            y(t.value) - 4.0,
            escape(&t.op),
            short(t.value)
        );
    }
    for (index, s) in series.iter().enumerate() {
        let mut d = String::new();
        let mut pen_down = false;
        for (t, v) in s.points {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{:.1},{:.1}",
                        if pen_down { " L" } else { " M" },
                        x(*t),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(
                svg,
                r#"<path class="series s{}" d="{}"><title>{}</title></path>"#,
                index % 6,
                d.trim(),
                escape(s.label)
            );
        }
    }
    for m in markers {
        let class = m.phase.to_lowercase();
        let (cy, label) = match m.value {
            Some(v) => (y(v), short(v)),
            None => (y(y0), "no value (empty or NaN)".to_string()),
        };
        let _ = write!(
            svg,
            r#"<circle class="marker {}{}" cx="{:.1}" cy="{:.1}" r="4"><title>{:.1}s: {} — {}</title></circle>"#,
            escape(&class),
            if m.value.is_none() { " hollow" } else { "" },
            x(m.t_s),
            cy,
            m.t_s,
            escape(&label),
            escape(m.phase)
        );
    }
    svg.push_str("</svg>");
    SvgChart {
        svg,
        x0_s: x0,
        x1_s: x1,
        left_pct: LEFT / WIDTH * 100.0,
        right_pct: (WIDTH - RIGHT) / WIDTH * 100.0,
    }
}

fn bounds(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return None;
    }
    if hi - lo < 1e-12 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return Some((lo - pad, hi + pad));
    }
    Some((lo, hi))
}

/// Ticks at 1, 2 or 5 × 10ⁿ covering `lo..=hi`, about five of them.
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![];
    }
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = first;
    // Up to the first tick at or past `hi`, so the top value is on the axis.
    while ticks.len() < 12 {
        ticks.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        if t >= hi - step * 1e-9 {
            break;
        }
        t += step;
    }
    ticks
}

/// Compact numbers for axes: 0.05, 1.2k, 333.
fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.3}M", v / 1e6)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
            + ""
    } else if a >= 1e4 {
        format!("{:.1}k", v / 1e3).replace(".0k", "k")
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".into()
        } else {
            s.to_string()
        }
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 1.0),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        let t = nice_ticks(0.0, 333.6);
        assert_eq!(t.first(), Some(&0.0));
        assert!(*t.last().unwrap() >= 333.6);
        assert!(nice_ticks(1.0, 1.0).is_empty());
        assert!(nice_ticks(f64::NAN, 1.0).is_empty());
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(333.623), "333.623");
        assert_eq!(short(12000.0), "12k");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn gaps_break_the_line_and_text_is_escaped() {
        let points = [
            (0.0, Some(1.0)),
            (10.0, None),
            (20.0, Some(2.0)),
            (30.0, Some(3.0)),
        ];
        let chart = line_chart(
            "a <b> & \"c\"",
            &[Series {
                label: "x",
                points: &points,
            }],
            Some(&Threshold {
                op: "<".into(),
                value: 2.5,
            }),
            &[Marker {
                t_s: 10.0,
                value: None,
                phase: "Error",
            }],
        );
        assert_eq!(
            chart.svg.matches(" M").count() + chart.svg.matches("d=\"M").count(),
            2
        );
        assert!(chart.svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(chart.svg.contains("marker error hollow"));
        assert!(chart.svg.contains("below passes"));
        assert_eq!((chart.x0_s, chart.x1_s), (0.0, 30.0));
    }

    #[test]
    fn empty_and_flat_inputs_still_draw() {
        let chart = line_chart("empty", &[], None, &[]);
        assert!(chart.svg.starts_with("<svg"));
        let flat = [(0.0, Some(5.0)), (10.0, Some(5.0))];
        let chart = line_chart(
            "flat",
            &[Series {
                label: "f",
                points: &flat,
            }],
            None,
            &[],
        );
        assert!(chart.svg.contains("<path"));
        assert!(!chart.svg.contains("NaN"));
    }
}
