//! Analysis queries prepared for parsing: `{{args.x}}` placeholders are
//! replaced by text of the SAME length, so byte offsets in the parsed query
//! are offsets in the written query, which [`EmbeddedText`] maps to the file.
//! The metric's `successCondition`/`failureCondition` are parsed (expr) and
//! type-checked against the query's result shape in the same pass, once per
//! lint run.
//!
//! Also the public questions other crates ask about analysis metrics:
//! [`traffic_selector`], [`excludes_scrapes`] and [`traffic_metrics`].

use canary_lab_expr::{
    self as expr, BinaryOp as ExprOp, ExprError, NodeKind, Program, ResultShape,
};
use canary_lab_promql::{
    parse, selectors, BinaryOp, Expr, ExprKind, Function, ParseError, SelectorInfo, ValueType,
};

use crate::model::{AnalysisTemplate, EmbeddedText, Metric, Workspace};

/// Replaces each `{{…}}` with a same-length stand-in that keeps the query
/// parsable: letters inside quotes, a duration after `[`, else a number.
pub fn substitute_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut in_quotes = false;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}").map(|i| i + 2) else {
            break;
        };
        let before = &rest[..start];
        in_quotes ^= before.matches('"').count() % 2 == 1;
        out.push_str(before);
        let prev = out.trim_end().chars().last();
        let stand_in = if in_quotes {
            "x".repeat(len)
        } else if prev == Some('[') || prev == Some(':') {
            format!("{}1m", "0".repeat(len - 2))
        } else {
            format!("{}1", "0".repeat(len - 1))
        };
        out.push_str(&stand_in);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Replaces each `{{…}}` of an expr condition with a same-length stand-in:
/// letters inside quotes, else a number (`0…01`).
fn substitute_condition_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut quote: Option<char> = None;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}").map(|i| i + 2) else {
            break;
        };
        let before = &rest[..start];
        for c in before.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                None if c == '"' || c == '\'' || c == '`' => quote = Some(c),
                _ => {}
            }
        }
        out.push_str(before);
        if quote.is_some() {
            out.extend(std::iter::repeat_n('x', len));
        } else {
            out.extend(std::iter::repeat_n('0', len - 1));
            out.push('1');
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// A `successCondition` or `failureCondition`, parsed with expr.
pub struct Condition<'w> {
    /// `successCondition` or `failureCondition`.
    pub field: &'static str,
    pub text: &'w EmbeddedText,
    /// The text has `{{…}}` tags; they were replaced by same-length
    /// stand-ins before parsing, so what Argo compiles is not known exactly.
    pub has_placeholders: bool,
    /// The syntax tree (byte offsets are offsets in `text.text`).
    pub parsed: Result<Program, ExprError>,
    /// The type checker's error against `result`'s shape; `None` when the
    /// condition checks, or when the shape is unknown (see
    /// [`AnalysisQuery::shape`]).
    pub type_error: Option<ExprError>,
}

impl Condition<'_> {
    /// The program, when it parses and type-checks.
    pub fn compiled(&self) -> Option<&Program> {
        self.parsed
            .as_ref()
            .ok()
            .filter(|_| self.type_error.is_none())
    }

    fn new<'w>(
        field: &'static str,
        text: &'w EmbeddedText,
        shape: Option<ResultShape>,
    ) -> Condition<'w> {
        let has_placeholders = text.text.contains("{{");
        let parsed = if has_placeholders {
            expr::parse(&substitute_condition_placeholders(&text.text))
        } else {
            expr::parse(&text.text)
        };
        let type_error = match (&parsed, shape) {
            (Ok(program), Some(shape)) => expr::check(program, shape).err(),
            _ => None,
        };
        Condition {
            field,
            text,
            has_placeholders,
            parsed,
            type_error,
        }
    }
}

/// One Prometheus metric of an analysis template, with its parsed query
/// and conditions.
pub struct AnalysisQuery<'w> {
    pub template: &'w AnalysisTemplate,
    pub metric: &'w Metric,
    pub query: &'w EmbeddedText,
    pub parsed: Result<Expr, ParseError>,
    /// The static type of `result` in the conditions: `[]float64` for an
    /// instant or range vector, `float64` for a scalar; `None` when the
    /// query does not parse or returns a string.
    pub shape: Option<ResultShape>,
    pub success: Option<Condition<'w>>,
    pub failure: Option<Condition<'w>>,
}

impl AnalysisQuery<'_> {
    /// The conditions that are set, success first.
    pub fn conditions(&self) -> impl Iterator<Item = &Condition<'_>> {
        self.success.iter().chain(&self.failure)
    }
}

/// What Argo hands the conditions as `result` for a query of this type.
fn result_shape(parsed: &Result<Expr, ParseError>) -> Option<ResultShape> {
    match parsed.as_ref().ok()?.value_type() {
        ValueType::Scalar => Some(ResultShape::Scalar),
        ValueType::Vector | ValueType::Matrix => Some(ResultShape::Vector),
        ValueType::String => None,
    }
}

/// Every Prometheus query in the workspace's analysis templates.
pub fn analysis_queries(ws: &Workspace) -> Vec<AnalysisQuery<'_>> {
    ws.analysis_templates
        .iter()
        .flat_map(|template| {
            template
                .metrics
                .iter()
                .map(move |metric| (template, metric))
        })
        .filter_map(|(template, metric)| {
            let query = metric.prometheus()?.query.as_ref()?;
            let parsed = parse(&substitute_placeholders(&query.text));
            let shape = result_shape(&parsed);
            let success = metric
                .success_condition
                .as_ref()
                .map(|c| Condition::new("successCondition", c, shape));
            let failure = metric
                .failure_condition
                .as_ref()
                .map(|c| Condition::new("failureCondition", c, shape));
            Some(AnalysisQuery {
                template,
                metric,
                query,
                parsed,
                shape,
                success,
                failure,
            })
        })
        .collect()
}

/// A metric that checks the canary gets traffic: a request counter's rate,
/// no ratio, no quantile, and a lower bound on the value in the success
/// condition (see [`lower_bound`]). Returns the counter's selector.
pub fn traffic_selector(q: &AnalysisQuery) -> Option<SelectorInfo> {
    let expr = q.parsed.as_ref().ok()?;
    let mut ratio_or_quantile = false;
    expr.walk(&mut |e| match &e.kind {
        ExprKind::Binary(b) if b.op == BinaryOp::Div => ratio_or_quantile = true,
        ExprKind::Call { func, .. } if format!("{func:?}").to_lowercase().contains("quantile") => {
            ratio_or_quantile = true
        }
        _ => {}
    });
    if ratio_or_quantile || q.success.as_ref().and_then(lower_bound).is_none() {
        return None;
    }
    selectors(expr).into_iter().find(|s| {
        s.metric
            .as_deref()
            .is_some_and(|m| m.ends_with("_total") || m.ends_with("_count"))
    })
}

/// The `endpoint` label value of the series Prometheus's scrapes of HotROD
/// add to its request counters.
pub const SCRAPE_ENDPOINT: &str = "/metrics";

/// True when the selector leaves out HotROD's `/metrics` endpoint, which
/// Prometheus's scrapes hit: some `endpoint` matcher rejects the value
/// `/metrics`. Regex matchers are run, anchored as Prometheus runs them, so
/// `endpoint=~".*dispatch.*"` excludes the scrapes and `endpoint=~"/.*"` does
/// not.
pub fn excludes_scrapes(selector: &SelectorInfo) -> bool {
    selector
        .matchers
        .iter()
        .any(|m| m.name == "endpoint" && !m.matches(SCRAPE_ENDPOINT))
}

/// A metric of an AnalysisTemplate that checks the canary receives traffic
/// (see [`traffic_selector`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficMetricInfo {
    /// The AnalysisTemplate's name.
    pub template: String,
    /// The metric's name.
    pub metric: String,
    /// The lower bound N of the success condition (`result[0] >= N`,
    /// `result[0] > N`, `N <= result[0]`), read from the expr syntax tree;
    /// `None` when N is an `{{args.x}}` tag.
    pub min_rate: Option<f64>,
    /// The counter's selector leaves out Prometheus's scrapes of `/metrics`.
    pub excludes_scrapes: bool,
}

/// The traffic checks of every AnalysisTemplate, in template and metric order.
pub fn traffic_metrics(ws: &Workspace) -> Vec<TrafficMetricInfo> {
    analysis_queries(ws)
        .iter()
        .filter_map(|q| {
            let selector = traffic_selector(q)?;
            Some(TrafficMetricInfo {
                template: q.template.meta.name.value.clone(),
                metric: q.metric.name.value.clone(),
                min_rate: q.success.as_ref().and_then(lower_bound).flatten(),
                excludes_scrapes: excludes_scrapes(&selector),
            })
        })
        .collect()
}

/// The lower bound a condition puts on the measured value: a comparison
/// `result[0] >= N`, `result[0] > N`, `N <= result[0]` or `N < result[0]`
/// (or `result` for a scalar query) at the top of the condition or under
/// `&&`. `Some(None)` when N is an `{{args.x}}` tag; the largest N wins.
pub fn lower_bound(condition: &Condition) -> Option<Option<f64>> {
    let program = condition.parsed.as_ref().ok()?;
    let mut found: Option<Option<f64>> = None;
    let mut stack = vec![&program.root];
    while let Some(node) = stack.pop() {
        let NodeKind::Binary {
            op, left, right, ..
        } = &node.kind
        else {
            continue;
        };
        let bound = match op {
            ExprOp::And => {
                stack.push(right);
                stack.push(left);
                continue;
            }
            ExprOp::Ge | ExprOp::Gt if is_measured_value(left) => right,
            ExprOp::Le | ExprOp::Lt if is_measured_value(right) => left,
            _ => continue,
        };
        let Some(value) = const_number(bound) else {
            continue;
        };
        let written = condition.text.text.get(bound.span.clone()).unwrap_or("");
        let value = (!written.contains("{{")).then_some(value);
        found = Some(match (found, value) {
            (Some(Some(a)), Some(b)) => Some(a.max(b)),
            (Some(Some(a)), None) => Some(a),
            (_, v) => v,
        });
    }
    found
}

/// `result[0]` or a bare `result`.
fn is_measured_value(node: &expr::Node) -> bool {
    match &node.kind {
        NodeKind::Member {
            object, property, ..
        } => object.is_ident("result") && matches!(property.kind, NodeKind::Int(0)),
        _ => node.is_ident("result"),
    }
}

/// A number literal, possibly negated.
fn const_number(node: &expr::Node) -> Option<f64> {
    match &node.kind {
        NodeKind::Int(i) => Some(*i as f64),
        NodeKind::Float(f) => Some(*f),
        NodeKind::Unary {
            op: expr::UnaryOp::Neg,
            operand,
        } => const_number(operand).map(|v| -v),
        NodeKind::Unary {
            op: expr::UnaryOp::Plus,
            operand,
        } => const_number(operand),
        _ => None,
    }
}

/// True when the query can never return an empty vector: `… or vector(c)`.
pub fn never_empty(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Paren(inner) => never_empty(inner),
        ExprKind::Binary(b) if b.op == BinaryOp::Or => never_empty(&b.rhs) || never_empty(&b.lhs),
        ExprKind::Call {
            func: Function::Vector,
            ..
        } => true,
        _ => false,
    }
}

/// The operator span of a division of two instant vectors whose NaN (0/0)
/// reaches the result: not under a filtering comparison, and not dividing
/// by `clamp_min(…, c > 0)` or by a `(… > c)` filter with `c >= 0`.
pub fn vector_division(expr: &Expr) -> Option<std::ops::Range<usize>> {
    match &expr.kind {
        ExprKind::Paren(e) | ExprKind::Unary { expr: e, .. } => vector_division(e),
        ExprKind::Aggregate { expr, .. } => vector_division(expr),
        ExprKind::Call { args, .. } => args.iter().find_map(vector_division),
        ExprKind::Binary(b) if b.op.is_comparison() && !b.return_bool => None,
        ExprKind::Binary(b) => {
            if b.op == BinaryOp::Div
                && b.lhs.value_type() == ValueType::Vector
                && b.rhs.value_type() == ValueType::Vector
                && !never_zero(&b.rhs)
            {
                return Some(b.op_span.clone());
            }
            vector_division(&b.lhs).or_else(|| vector_division(&b.rhs))
        }
        ExprKind::Number(_) | ExprKind::String(_) | ExprKind::Vector(_) | ExprKind::Matrix(_) => {
            None
        }
    }
}

/// A denominator that cannot be 0: `clamp_min(x, c)` with `c > 0`, or a
/// filter `x > c` with `c >= 0`.
fn never_zero(expr: &Expr) -> bool {
    let number = |e: &Expr| match &e.kind {
        ExprKind::Number(n) => Some(*n),
        _ => None,
    };
    match &expr.kind {
        ExprKind::Paren(inner) => never_zero(inner),
        ExprKind::Call {
            func: Function::ClampMin,
            args,
            ..
        } => args.get(1).and_then(number).is_some_and(|c| c > 0.0),
        ExprKind::Binary(b) if b.op == BinaryOp::Gt && !b.return_bool => {
            number(&b.rhs).is_some_and(|c| c >= 0.0)
        }
        _ => false,
    }
}

/// A byte range of `text` that shows up when underlined: an error at or
/// past the end of the content points at its last character, an empty
/// range at the character it sits before.
pub(crate) fn visible_range(
    text: &str,
    mut range: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let content_end = text.trim_end().len();
    if range.start >= content_end && content_end > 0 {
        let last = text[..content_end]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        range = content_end - last..content_end;
    } else if range.is_empty() {
        range.end = range.start
            + text
                .get(range.start..)
                .and_then(|t| t.chars().next())
                .map_or(0, char::len_utf8);
    }
    range
}

/// What an empty result does to the metric's success condition, for messages.
pub fn empty_result_consequence(metric: &Metric) -> &'static str {
    let indexes = metric
        .success_condition
        .iter()
        .chain(&metric.failure_condition)
        .any(|c| c.text.contains("result[0]"));
    if indexes {
        "the query can only return an empty vector, so `result[0]` fails with `reflect: slice index out of range`"
    } else {
        "the query can only return an empty vector"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_offsets_and_parse() {
        let q = "rate(x{ns=\"{{args.namespace}}\"}[{{args.w}}]) > {{args.t}}";
        let s = substitute_placeholders(q);
        assert_eq!(s.len(), q.len());
        assert!(parse(&s).is_ok(), "{s}");
    }
}

#[cfg(test)]
mod traffic_tests {
    use super::*;
    use crate::parse::build_workspace;
    use crate::source::SourceFile;

    const FIXED_TEMPLATE: &str =
        include_str!("../../../fixtures/challenge/fixed/hotrod/analysis-template.yaml");

    fn traffic(template: &str) -> Vec<TrafficMetricInfo> {
        let ws = build_workspace(&[SourceFile::new("hotrod/analysis-template.yaml", template)]);
        traffic_metrics(&ws)
    }

    #[test]
    fn fixed_challenge_traffic_metric() {
        assert_eq!(
            traffic(FIXED_TEMPLATE),
            vec![TrafficMetricInfo {
                template: "hotrod-analysis".into(),
                metric: "traffic-detection".into(),
                min_rate: Some(0.05),
                excludes_scrapes: false,
            }]
        );
    }

    #[test]
    fn excluding_the_metrics_endpoint_is_seen() {
        let from = "sum(rate(hotrod_requests_total{\n";
        assert!(FIXED_TEMPLATE.contains(from));
        let template = FIXED_TEMPLATE.replacen(
            from,
            "sum(rate(hotrod_requests_total{endpoint!=\"/metrics\",\n",
            1,
        );
        let found = traffic(&template);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].metric, "traffic-detection");
        assert_eq!(found[0].min_rate, Some(0.05));
        assert!(found[0].excludes_scrapes);
    }

    #[test]
    fn lower_bound_forms() {
        let cases = [
            ("result[0] >= 0.05", Some(Some(0.05))),
            ("result[0] > 1", Some(Some(1.0))),
            ("0.5 <= result[0]", Some(Some(0.5))),
            ("len(result) > 0 && result[0] >= 0.2", Some(Some(0.2))),
            ("result[0] >= {{args.min}}", Some(None)),
            ("result[0] < 0.05", None),
            ("len(result) > 0 && result[0] < 0.05", None),
            ("result[0] >= 0.05 || true", None),
        ];
        for (text, expected) in cases {
            let embedded = EmbeddedText {
                text: text.to_string(),
                span: crate::source::Span::new(crate::source::FileId(0), 0, text.len()),
                offsets: crate::yaml::OffsetMap::contiguous(0, text.len()),
            };
            let condition =
                Condition::new("successCondition", &embedded, Some(ResultShape::Vector));
            assert_eq!(lower_bound(&condition), expected, "{text}");
        }
    }

    #[test]
    fn scrape_exclusion_forms() {
        let cases = [
            ("endpoint!=\"/metrics\"", true),
            ("endpoint=\"/dispatch\"", true),
            ("endpoint!~\"/metrics|/debug\"", true),
            ("endpoint=~\"/dispatch|/customer\"", true),
            ("endpoint=\"/metrics\"", false),
            ("endpoint!=\"/dispatch\"", false),
            ("endpoint=~\".*\"", false),
            ("method=\"GET\"", false),
        ];
        for (matcher, expected) in cases {
            let query = format!("hotrod_requests_total{{{matcher}}}");
            let expr = parse(&query).unwrap();
            let selector = &selectors(&expr)[0];
            assert_eq!(excludes_scrapes(selector), expected, "{matcher}");
        }
    }

    #[test]
    fn condition_placeholders_keep_offsets() {
        let text = "result[0] < {{args.max}} && \"{{args.x}}\" != ''";
        let s = substitute_condition_placeholders(text);
        assert_eq!(s.len(), text.len());
        assert!(expr::parse(&s).is_ok(), "{s}");
    }
}
