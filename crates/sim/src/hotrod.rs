//! One HotROD pod in `all` mode: the request flows of the real app
//! (semantics.md §8, challenge.md §6), its shared resources (the MySQL
//! mutex, the route worker pool, redis's failure countdown) and its own
//! `hotrod_requests_total` counters.

use canary_lab_promql::Labels;

use crate::rng::SimRng;
use crate::scenario::VersionBehaviour;
use crate::span::{self, Resource, Service, SpanSink, SpanTemplate, TEMPLATE_COUNT};

const ROUTE_WORKERS: usize = 3;
const DRIVERS: usize = 10;
const ROUTE_CALLS: usize = 10;
/// A failed GetDriver is retried up to this many times.
const REDIS_RETRIES: usize = 3;

/// What a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Static,
    Dispatch,
    Metrics,
}

#[derive(Clone, Debug)]
pub struct HotRodPod {
    behaviour: VersionBehaviour,
    rng: SimRng,
    resources: Vec<Resource>,
    /// When the one MySQL "connection" is free again.
    mysql_free_ms: f64,
    route_free_ms: [f64; ROUTE_WORKERS],
    redis_calls: u64,
    /// Per span template (server spans only): [ok, error] counts.
    requests: [[u64; 2]; TEMPLATE_COUNT],
    seen: [bool; TEMPLATE_COUNT],
}

/// A finished request, as the caller sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Response {
    pub end_ms: f64,
    pub error: bool,
}

impl HotRodPod {
    /// `resource_attributes` come from `OTEL_RESOURCE_ATTRIBUTES` (already
    /// expanded); `first_resource_id` numbers this pod's six resources.
    pub fn new(
        behaviour: VersionBehaviour,
        rng: SimRng,
        pod_name: &str,
        resource_attributes: &[(String, String)],
        first_resource_id: usize,
    ) -> Self {
        let resources = Service::ALL
            .iter()
            .enumerate()
            .map(|(i, service)| Resource {
                id: first_resource_id + i,
                service: *service,
                attributes: resource_for(*service, pod_name, resource_attributes),
            })
            .collect();
        Self {
            behaviour,
            rng,
            resources,
            mysql_free_ms: f64::MIN,
            route_free_ms: [f64::MIN; ROUTE_WORKERS],
            redis_calls: 0,
            requests: [[0; 2]; TEMPLATE_COUNT],
            seen: [false; TEMPLATE_COUNT],
        }
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// Serves one request arriving at `t_ms`; every span goes to `sink`.
    pub fn serve(&mut self, endpoint: Endpoint, t_ms: f64, sink: &mut dyn SpanSink) -> Response {
        let response = match endpoint {
            Endpoint::Static => {
                let d = 0.3 + 1.5 * self.rng.unit();
                self.emit(sink, &span::STATIC, false, d);
                Response {
                    end_ms: t_ms + d,
                    error: false,
                }
            }
            Endpoint::Metrics => {
                let d = 1.0 + self.rng.unit();
                self.emit(sink, &span::METRICS, false, d);
                Response {
                    end_ms: t_ms + d,
                    error: false,
                }
            }
            Endpoint::Dispatch => self.dispatch(t_ms, sink),
        };
        sink.trace();
        response
    }

    fn delay(&mut self, mean_ms: f64, sd_ms: f64) -> f64 {
        // Go's time.Sleep returns at once for a negative duration.
        self.rng.normal(mean_ms, sd_ms).max(0.0) * self.behaviour.latency_factor
    }

    fn dispatch(&mut self, t0: f64, sink: &mut dyn SpanSink) -> Response {
        // customer: HTTP → MySQL behind a pool of one connection.
        let customer_start = t0 + 0.5;
        let lock_at = (customer_start + 0.3).max(self.mysql_free_ms);
        let sql_ms = self.delay(300.0, 30.0) + self.behaviour.latency_shift_ms.max(0.0);
        self.mysql_free_ms = lock_at + sql_ms;
        let customer_end = self.mysql_free_ms + 0.3;
        self.emit(sink, &span::SQL, false, sql_ms);
        self.emit(
            sink,
            &span::CUSTOMER,
            false,
            customer_end - (customer_start + 0.2),
        );
        self.emit(
            sink,
            &span::CUSTOMER_CLIENT,
            false,
            customer_end - customer_start + 0.2,
        );

        // driver: gRPC → redis FindDriverIDs, then GetDriver per driver.
        let driver_start = customer_end + 0.4;
        let find_ms = self.delay(20.0, 5.0);
        self.emit(sink, &span::FIND_DRIVER_IDS, false, find_ms);
        let mut t = driver_start + find_ms;
        for _ in 0..DRIVERS {
            for _attempt in 0..=REDIS_RETRIES {
                let fails = self.redis_calls.is_multiple_of(5);
                self.redis_calls += 1;
                let get_ms = self.delay(10.0, 2.5) * if fails { 2.0 } else { 1.0 };
                self.emit(sink, &span::GET_DRIVER, fails, get_ms);
                t += get_ms;
                if !fails {
                    break;
                }
            }
        }
        let driver_end = t + 0.3;
        self.emit(sink, &span::DRIVER, false, driver_end - driver_start);
        self.emit(
            sink,
            &span::DRIVER_CLIENT,
            false,
            driver_end - driver_start + 0.6,
        );

        // route: ten calls through the frontend's pool of three workers.
        let routes_start = driver_end + 0.4;
        let mut routes_end = routes_start;
        for _ in 0..ROUTE_CALLS {
            let worker = (0..ROUTE_WORKERS)
                .min_by(|a, b| self.route_free_ms[*a].total_cmp(&self.route_free_ms[*b]))
                .unwrap_or(0);
            let start = routes_start.max(self.route_free_ms[worker]);
            let route_ms = self.delay(50.0, 12.5);
            let end = start + route_ms + 0.6;
            self.route_free_ms[worker] = end;
            routes_end = routes_end.max(end);
            self.emit(sink, &span::ROUTE, false, route_ms);
            self.emit(sink, &span::ROUTE_CLIENT, false, route_ms + 0.6);
        }

        let error = self.behaviour.error_rate > 0.0 && self.rng.unit() < self.behaviour.error_rate;
        let end_ms = routes_end + 0.3;
        self.emit(sink, &span::DISPATCH, error, end_ms - t0);
        Response { end_ms, error }
    }

    fn emit(
        &mut self,
        sink: &mut dyn SpanSink,
        template: &'static SpanTemplate,
        error: bool,
        duration_ms: f64,
    ) {
        if template.kind == span::SpanKind::Server {
            // rpcmetrics counts only server spans.
            self.seen[template.id] = true;
            self.requests[template.id][usize::from(error)] += 1;
        }
        sink.span(
            &self.resources[template.service.index()],
            template,
            error,
            duration_ms,
        );
    }

    /// HotROD's `/metrics` as `(key, value)`; [`exposition_labels`] names a key.
    pub fn exposition(&self, out: &mut Vec<(u64, f64)>) {
        for template in span::TEMPLATES.iter().filter(|t| self.seen[t.id]) {
            let [ok, failed] = self.requests[template.id];
            let base = template.id as u64 * 4;
            out.push((base, ok as f64));
            out.push((base + 1, failed as f64));
            if template.attributes.iter().any(|(k, _)| *k == "http.method") {
                out.push((base + 2, ok as f64));
                if failed > 0 {
                    out.push((base + 3, failed as f64));
                }
            }
        }
    }
}

/// The labels (with `__name__`) of a key of [`HotRodPod::exposition`].
pub fn exposition_labels(key: u64) -> Labels {
    let Some(template) = span::TEMPLATES.get((key / 4) as usize) else {
        return Labels::new();
    };
    let endpoint = normalize_endpoint(template.name);
    let (name, label, value) = match key % 4 {
        0 => ("hotrod_requests_total", "error", "false"),
        1 => ("hotrod_requests_total", "error", "true"),
        2 => ("hotrod_http_requests_total", "status_code", "2xx"),
        _ => ("hotrod_http_requests_total", "status_code", "5xx"),
    };
    Labels::from_pairs([
        ("__name__", name),
        ("endpoint", endpoint.as_str()),
        (label, value),
    ])
}

/// rpcmetrics' endpoint names: characters outside `[A-Za-z0-9_/.]` become `_`.
fn normalize_endpoint(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The resource the OTel Go SDK builds for one HotROD service: SDK and
/// host defaults, then `OTEL_RESOURCE_ATTRIBUTES`, then the code's own
/// `service.name` (which wins).
fn resource_for(
    service: Service,
    pod_name: &str,
    env: &[(String, String)],
) -> Vec<(String, String)> {
    let mut attrs: Vec<(String, String)> = vec![
        ("host.name".into(), pod_name.into()),
        ("os.type".into(), "linux".into()),
        ("telemetry.sdk.language".into(), "go".into()),
        ("telemetry.sdk.name".into(), "opentelemetry".into()),
        ("telemetry.sdk.version".into(), "1.38.0".into()),
    ];
    for (k, v) in env.iter().filter(|(k, _)| k != "service.name") {
        match attrs.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v.clone(),
            None => attrs.push((k.clone(), v.clone())),
        }
    }
    attrs.insert(0, ("service.name".into(), service.name().into()));
    attrs
}

/// `OTEL_RESOURCE_ATTRIBUTES`: `k=v` pairs separated by commas, values
/// percent-decoded; malformed pairs are skipped.
pub fn parse_resource_attributes(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for pair in text.split(',') {
        let Some((k, v)) = pair.split_once('=') else {
            continue;
        };
        let (k, v) = (k.trim(), percent_decode(v.trim()));
        if k.is_empty() {
            continue;
        }
        match out.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k.to_string(), v)),
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Kubernetes `$(VAR)` expansion against the variables defined before;
/// `$$` escapes, unknown references stay as written.
pub fn expand_env(text: &str, defined: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match defined.iter().rev().find(|(k, _)| k == name) {
                        Some((_, v)) => out.push_str(v),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push('$');
                    rest = after;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{SimRng, Stream};

    #[derive(Default)]
    struct Collect(Vec<(usize, &'static str, bool, f64)>);
    impl SpanSink for Collect {
        fn span(&mut self, r: &Resource, t: &'static SpanTemplate, e: bool, d: f64) {
            self.0.push((r.id, t.name, e, d));
        }
    }

    fn pod() -> HotRodPod {
        let env = parse_resource_attributes("hotrod.pod.hash=abc,hotrod.namespace=hotrod");
        HotRodPod::new(
            VersionBehaviour::default(),
            SimRng::new(1, Stream::Pod(0)),
            "hotrod-abc-x",
            &env,
            0,
        )
    }

    #[test]
    fn dispatch_has_the_real_span_tree() {
        let mut p = pod();
        let mut sink = Collect::default();
        let r = p.serve(Endpoint::Dispatch, 0.0, &mut sink);
        let count = |name: &str| sink.0.iter().filter(|s| s.1 == name).count();
        assert_eq!(count("/dispatch"), 1);
        assert_eq!(count("SQL SELECT"), 1);
        assert_eq!(count("/route"), 10);
        assert_eq!(count("HTTP GET /route"), 10);
        // Countdown from 0: calls 1, 6, 11 fail and are retried.
        assert_eq!(count("GetDriver"), 13);
        assert_eq!(sink.0.iter().filter(|s| s.2).count(), 3);
        assert!((450.0..1100.0).contains(&r.end_ms), "{}", r.end_ms);
        assert!(!r.error);
    }

    #[test]
    fn concurrent_dispatches_queue_on_the_mysql_mutex() {
        let mut p = pod();
        let a = p.serve(Endpoint::Dispatch, 0.0, &mut crate::span::Discard);
        let b = p.serve(Endpoint::Dispatch, 1.0, &mut crate::span::Discard);
        assert!(b.end_ms > a.end_ms + 150.0, "{a:?} {b:?}");
    }

    #[test]
    fn counters_count_server_spans_with_both_error_series() {
        let mut p = pod();
        p.serve(Endpoint::Dispatch, 0.0, &mut crate::span::Discard);
        let mut expo = Vec::new();
        p.exposition(&mut expo);
        let find = |ep: &str, err: &str| {
            expo.iter()
                .map(|(k, v)| (exposition_labels(*k), *v))
                .find(|(l, _)| {
                    l.get("__name__") == Some("hotrod_requests_total")
                        && l.get("endpoint") == Some(ep)
                        && l.get("error") == Some(err)
                })
                .map(|s| s.1)
        };
        assert_eq!(find("/dispatch", "false"), Some(1.0));
        assert_eq!(find("/dispatch", "true"), Some(0.0));
        assert_eq!(find("/route", "false"), Some(10.0));
        assert_eq!(
            find("GetDriver", "true"),
            None,
            "client spans are not counted"
        );
    }

    #[test]
    fn env_expansion_is_kubernetes_style() {
        let defined = vec![("POD_NAME".to_string(), "p1".to_string())];
        assert_eq!(
            expand_env("a=$(POD_NAME),b=$(NOPE),c=$$(POD_NAME)", &defined),
            "a=p1,b=$(NOPE),c=$(POD_NAME)"
        );
    }

    #[test]
    fn resource_attributes_merge_with_service_name_winning() {
        let env = parse_resource_attributes("service.name=evil,hotrod.pod.hash=h%20x,broken");
        let r = resource_for(Service::Route, "pod", &env);
        assert_eq!(r[0], ("service.name".into(), "route".into()));
        assert!(r.contains(&("hotrod.pod.hash".into(), "h x".into())));
    }
}
