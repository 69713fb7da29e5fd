//! The simulation loop: one agenda of timed actions over the cluster's
//! pods, the traffic generator, the collector, Prometheus's scrapes, the
//! Rollout controller and its AnalysisRuns.

use std::collections::{BTreeMap, BTreeSet};

use canary_lab_promql::{eval_instant, parse, selectors, Value};
use serde::Serialize;

use crate::analysis::{resolve_metric, AnalysisPhase, AnalysisRun, Measurement};
use crate::clock::{Agenda, Millis};
use crate::collector::{Collector, CollectorStatus};
use crate::explain::{explain, ProducerFacts};
use crate::hash::pod_template_hash;
use crate::hotrod::{
    expand_env, exposition_labels, parse_resource_attributes, Endpoint, HotRodPod,
};
use crate::rng::{SimRng, Stream};
use crate::rollout::{weighted_counts, RolloutPhase};
use crate::scenario::*;
use crate::scrape::{PodAddress, Target};
use crate::span::{Discard, Service};
use crate::timeline::{Component, EventKind, Explanation, Timeline};
use crate::tsdb::{SyncMatcher, Tsdb, Wanted};
use canary_lab_expr::{evaluate_result, MeasurementPhase, MetricResult};

/// How a run is configured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimOptions {
    pub seed: u64,
    /// Simulated time to stop at.
    pub until_ms: Millis,
    /// The image (or just its tag) the stable ReplicaSet runs at t=0; `None`
    /// means the Rollout's own image (nothing to roll out).
    pub stable_image: Option<String>,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            seed: 1,
            until_ms: 15 * 60_000,
            stable_image: Some("1.75.0".into()),
        }
    }
}

const NODE: &str = "open-ecosystem-challenge-control-plane";
const HOTROD_FRONTEND_PORT: u32 = 8080;
const REVISION: u32 = 2;

#[derive(Clone, Copy, Debug)]
enum Action {
    PodReady(usize),
    Traffic,
    Flush(usize),
    Scrape(usize),
    Measure { run: usize, metric: usize },
    Reconcile,
    CollectorRestart(u32),
}

enum Role {
    Hotrod {
        replica_set: usize,
        app: Box<HotRodPod>,
        export: Result<usize, String>,
    },
    Collector,
}

struct Pod {
    name: String,
    ip: String,
    namespace: String,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    ready: bool,
    deleted: bool,
    role: Role,
}

impl Pod {
    fn live_in(&self, rs: usize) -> bool {
        !self.deleted && matches!(self.role, Role::Hotrod { replica_set, .. } if replica_set == rs)
    }
}

struct ReplicaSet {
    name: String,
    hash: String,
    pod: PodSpec,
    /// Last replica count reported in the timeline.
    reported: u32,
}

struct RolloutState {
    spec: RolloutSpec,
    stable: usize,
    canary: Option<usize>,
    step: usize,
    phase: RolloutPhase,
    message: String,
    aborted: bool,
    promoted: bool,
    pause_start_ms: Option<Millis>,
    step_run: Option<usize>,
    background_run: Option<usize>,
}

/// What a finished simulation hands back.
pub struct Simulation {
    pub timeline: Timeline,
    pub runs: Vec<AnalysisRun>,
    pub collector_status: CollectorStatus,
    pub rollout_phase: Option<RolloutPhase>,
    pub rollout_message: String,
    pub stable_image: Option<String>,
    pub aborted: bool,
    pub tsdb: Tsdb,
    pub requests: u64,
    pub spans: u64,
    pub jaeger_traces: u64,
    pub jaeger_services: Vec<String>,
    pub span_series_peak: usize,
}

pub struct Engine<'s> {
    scenario: &'s Scenario,
    opts: SimOptions,
    now: Millis,
    agenda: Agenda<Action>,
    names: SimRng,
    traffic_rng: SimRng,
    pods: Vec<Pod>,
    replica_sets: Vec<ReplicaSet>,
    images: BTreeMap<String, Millis>,
    collector: Option<Collector>,
    targets: Vec<Target>,
    tsdb: Tsdb,
    rollout: Option<RolloutState>,
    runs: Vec<AnalysisRun>,
    timeline: Timeline,
    reported: BTreeSet<String>,
    traffic_failure: Option<String>,
    next_resource: usize,
    requests: u64,
    facts: ProducerFacts,
    scratch: Vec<(u64, f64)>,
}

impl<'s> Engine<'s> {
    pub fn new(scenario: &'s Scenario, opts: SimOptions) -> Self {
        let collector = scenario.collector.clone().map(Collector::new);
        let facts = ProducerFacts::of(scenario);
        Self {
            names: SimRng::new(opts.seed, Stream::Names),
            traffic_rng: SimRng::new(opts.seed, Stream::Traffic),
            scenario,
            opts,
            now: 0,
            agenda: Agenda::default(),
            pods: Vec::new(),
            replica_sets: Vec::new(),
            images: BTreeMap::new(),
            collector,
            targets: Vec::new(),
            tsdb: Tsdb::new(wanted_names(scenario)),
            rollout: None,
            runs: Vec::new(),
            timeline: Timeline::default(),
            reported: BTreeSet::new(),
            traffic_failure: None,
            next_resource: 0,
            requests: 0,
            facts,
            scratch: Vec::new(),
        }
    }

    pub fn run(mut self) -> Simulation {
        self.start();
        let mut span_series_peak = 0;
        while let Some((at, action)) = self.agenda.pop_until(self.opts.until_ms) {
            self.now = at;
            match action {
                Action::PodReady(p) => self.pod_ready(p),
                Action::Traffic => self.traffic(),
                Action::Flush(c) => {
                    self.flush(c);
                    let series = self
                        .collector
                        .as_ref()
                        .map_or(0, |c| c.connectors.iter().map(|m| m.series().len()).sum());
                    span_series_peak = span_series_peak.max(series);
                }
                Action::Scrape(t) => self.scrape(t),
                Action::Measure { run, metric } => self.measure(run, metric),
                Action::Reconcile => self.reconcile(),
                Action::CollectorRestart(n) => self.collector_restart(n),
            }
        }
        let stable_image = self
            .rollout
            .as_ref()
            .and_then(|r| self.replica_sets.get(r.stable))
            .map(|rs| rs.pod.image.clone());
        let (spans, jaeger_traces, jaeger_services) =
            self.collector.as_ref().map_or((0, 0, Vec::new()), |c| {
                (
                    c.spans_received,
                    c.jaeger_traces,
                    c.jaeger_services.iter().map(|s| s.to_string()).collect(),
                )
            });
        Simulation {
            timeline: self.timeline,
            runs: self.runs,
            collector_status: self
                .collector
                .as_ref()
                .map_or(CollectorStatus::NotDeployed, |c| c.status.clone()),
            rollout_phase: self.rollout.as_ref().map(|r| r.phase),
            rollout_message: self
                .rollout
                .as_ref()
                .map(|r| r.message.clone())
                .unwrap_or_default(),
            stable_image,
            aborted: self.rollout.as_ref().is_some_and(|r| r.aborted),
            tsdb: self.tsdb,
            requests: self.requests,
            spans,
            jaeger_traces,
            jaeger_services,
            span_series_peak,
        }
    }

    fn event(&mut self, component: Component, kind: EventKind, message: impl Into<String>) {
        self.timeline.push(self.now, component, kind, message);
    }

    // ---- start-up -------------------------------------------------------

    fn start(&mut self) {
        for problem in &self.scenario.problems {
            self.timeline.push(
                0,
                Component::Scenario,
                EventKind::ScenarioProblem,
                problem.clone(),
            );
        }
        self.start_collector();
        self.start_rollout();
        let replicas = self.scenario.traffic.replicas;
        if replicas > 0 {
            for _ in 0..replicas {
                self.agenda
                    .schedule(self.scenario.traffic.initial_sleep_ms, Action::Traffic);
            }
            self.event(
                Component::Traffic,
                EventKind::TrafficStarted { replicas },
                format!("traffic-generator: {replicas} replica(s) start; each sleeps 10s, then calls HotROD in a loop"),
            );
        } else {
            self.event(
                Component::Traffic,
                EventKind::TrafficStarted { replicas },
                "traffic-generator has 0 replicas: no user traffic",
            );
        }
    }

    fn start_collector(&mut self) {
        let Some(spec) = self.scenario.collector.clone() else {
            return;
        };
        let suffix = self.names.k8s_suffix(5);
        let pod = self.add_pod(
            format!("{}-{suffix}", spec.name),
            spec.namespace.clone(),
            spec.pod.labels.clone(),
            spec.pod.annotations.clone(),
            Role::Collector,
        );
        self.pods[pod].ready = true;
        self.add_target(pod);
        match &spec.startup_error {
            Some(failure) => {
                let code = failure
                    .lint_code
                    .as_deref()
                    .map(|c| format!(" [{c}]"))
                    .unwrap_or_default();
                self.event(
                    Component::Collector,
                    EventKind::CollectorCrashLoop {
                        restarts: 0,
                        message: failure.message.clone(),
                    },
                    format!(
                        "collector exits at start-up: Error: {}{code}",
                        failure.message
                    ),
                );
                self.agenda.schedule(10_000, Action::CollectorRestart(1));
            }
            None => {
                self.event(
                    Component::Collector,
                    EventKind::CollectorStarted,
                    "collector started",
                );
                for (i, c) in spec.spanmetrics.iter().enumerate() {
                    self.agenda.schedule(c.flush_interval_ms, Action::Flush(i));
                }
            }
        }
    }

    fn collector_restart(&mut self, restarts: u32) {
        let Some(failure) = self
            .scenario
            .collector
            .as_ref()
            .and_then(|c| c.startup_error.clone())
        else {
            return;
        };
        self.event(
            Component::Collector,
            EventKind::CollectorCrashLoop {
                restarts,
                message: failure.message.clone(),
            },
            format!(
                "CrashLoopBackOff: restart {restarts} fails again: {}",
                failure.message
            ),
        );
        // kubelet back-off: 10s doubling, capped at 5 minutes.
        let backoff_ms = (10_000i64 << restarts.min(5)).min(300_000);
        self.agenda.schedule(
            self.now + backoff_ms,
            Action::CollectorRestart(restarts + 1),
        );
    }

    fn start_rollout(&mut self) {
        let Some(spec) = self.scenario.rollout.clone() else {
            return;
        };
        let new_image = spec.pod.image.clone();
        let stable_image = stable_image_for(&new_image, self.opts.stable_image.as_deref());
        let stable = self.add_replica_set(&spec, &stable_image);
        // The stable pods are already running at t=0; their image is on the node.
        self.images.insert(stable_image.clone(), 0);
        for _ in 0..spec.replicas {
            let p = self.create_pod(stable, &spec, true);
            self.add_target(p);
        }
        self.replica_sets[stable].reported = spec.replicas;
        let mut state = RolloutState {
            spec: spec.clone(),
            stable,
            canary: None,
            step: 0,
            phase: RolloutPhase::Healthy,
            message: String::new(),
            aborted: false,
            promoted: false,
            pause_start_ms: None,
            step_run: None,
            background_run: None,
        };
        if let Some(invalid) = &spec.invalid {
            state.phase = RolloutPhase::Degraded;
            state.message = format!("InvalidSpec: {invalid}");
            self.rollout = Some(state);
            self.event(
                Component::Rollout,
                EventKind::RolloutInvalid {
                    message: invalid.clone(),
                },
                format!("InvalidSpec: {invalid}"),
            );
            return;
        }
        if stable_image == new_image {
            self.rollout = Some(state);
            self.event(
                Component::Rollout,
                EventKind::RolloutHealthy,
                format!("{} runs {new_image}: nothing to roll out", spec.name),
            );
            return;
        }
        state.canary = Some(self.add_replica_set(&spec, &new_image));
        state.phase = RolloutPhase::Progressing;
        state.message = "more replicas need to be updated".into();
        self.rollout = Some(state);
        self.event(
            Component::Rollout,
            EventKind::RevisionStarted { revision: REVISION, stable_image: stable_image.clone(), canary_image: new_image.clone() },
            format!("revision {REVISION}: the template changed from {stable_image} to {new_image}; canary steps begin"),
        );
        self.agenda.schedule(0, Action::Reconcile);
    }

    fn add_replica_set(&mut self, spec: &RolloutSpec, image: &str) -> usize {
        let mut pod = spec.pod.clone();
        pod.image = image.to_string();
        let hash = pod_template_hash(&canonical_pod(&pod));
        pod.labels
            .insert("rollouts-pod-template-hash".into(), hash.clone());
        self.replica_sets.push(ReplicaSet {
            name: format!("{}-{hash}", spec.name),
            hash,
            pod,
            reported: 0,
        });
        self.replica_sets.len() - 1
    }

    fn add_pod(
        &mut self,
        name: String,
        namespace: String,
        labels: BTreeMap<String, String>,
        annotations: BTreeMap<String, String>,
        role: Role,
    ) -> usize {
        let index = self.pods.len();
        self.pods.push(Pod {
            name,
            ip: format!("10.244.0.{}", 10 + index),
            namespace,
            labels,
            annotations,
            ready: false,
            deleted: false,
            role,
        });
        index
    }

    fn create_pod(&mut self, rs: usize, spec: &RolloutSpec, running: bool) -> usize {
        let (rs_name, pod_spec) = {
            let r = &self.replica_sets[rs];
            (r.name.clone(), r.pod.clone())
        };
        let name = format!("{rs_name}-{}", self.names.k8s_suffix(5));
        let index = self.pods.len();
        let ip = format!("10.244.0.{}", 10 + index);
        // Container env, in order, with `$(VAR)` expanded against earlier vars.
        let mut env: Vec<(String, String)> = Vec::new();
        for (k, v) in &pod_spec.env {
            let value = match v {
                EnvValue::Literal(text) => expand_env(text, &env),
                EnvValue::FieldRef(path) => field_ref(path, &name, &spec.namespace, &ip, &pod_spec),
                EnvValue::Unsupported(_) => String::new(),
            };
            env.push((k.clone(), value));
        }
        let get = |k: &str| {
            env.iter()
                .rev()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
        };
        let attributes = get("OTEL_RESOURCE_ATTRIBUTES")
            .map(|t| parse_resource_attributes(&t))
            .unwrap_or_default();
        let export = self.export_path(
            get("OTEL_EXPORTER_OTLP_ENDPOINT").as_deref(),
            &spec.namespace,
        );
        if let Err(reason) = &export {
            if self.reported.insert(format!("export:{reason}")) {
                self.event(
                    Component::Hotrod,
                    EventKind::ExportFailing {
                        reason: reason.clone(),
                    },
                    format!("HotROD keeps serving but cannot export spans: {reason}"),
                );
            }
        }
        let behaviour = self
            .scenario
            .versions
            .get(image_tag(&pod_spec.image))
            .copied()
            .unwrap_or_default();
        let app = HotRodPod::new(
            behaviour,
            SimRng::new(self.opts.seed, Stream::Pod(index as u64)),
            &name,
            &attributes,
            self.next_resource,
        );
        self.next_resource += Service::ALL.len();
        let p = self.add_pod(
            name,
            spec.namespace.clone(),
            pod_spec.labels.clone(),
            pod_spec.annotations.clone(),
            Role::Hotrod {
                replica_set: rs,
                app: Box::new(app),
                export,
            },
        );
        let timings = self.scenario.timings;
        let image_at = match self.images.get(&pod_spec.image) {
            Some(at) => *at,
            None => {
                let at = self.now + timings.image_pull_ms;
                self.images.insert(pod_spec.image.clone(), at);
                at
            }
        };
        let ready_at = image_at.max(self.now) + timings.container_start_ms;
        if running {
            self.pods[p].ready = true;
        } else {
            let msg = format!("pod {} created ({})", self.pods[p].name, pod_spec.image);
            self.event(
                Component::Pod,
                EventKind::PodCreated {
                    pod: self.pods[p].name.clone(),
                    image: pod_spec.image.clone(),
                },
                msg,
            );
            self.agenda.schedule(ready_at, Action::PodReady(p));
        }
        p
    }

    /// Where HotROD's OTLP/HTTP exporter ends up (§ export path).
    fn export_path(&self, endpoint: Option<&str>, namespace: &str) -> Result<usize, String> {
        let endpoint = endpoint.unwrap_or("http://localhost:4318");
        let (scheme, rest) = endpoint.split_once("://").unwrap_or(("http", endpoint));
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse::<u32>().ok()),
            None => (authority.to_string(), None),
        };
        let port = port.unwrap_or(if scheme == "https" { 443 } else { 80 });
        let url = format!("{scheme}://{host}:{port}/v1/traces");
        let post = |why: &str| format!("traces export: Post \"{url}\": {why}");
        if crate::adapter::is_loopback(&host) {
            return Err(post(&format!("dial tcp 127.0.0.1:{port}: connect: connection refused (OTEL_EXPORTER_OTLP_ENDPOINT points at HotROD's own pod)")));
        }
        let Some(service) = find_service(&self.scenario.services, &host, namespace) else {
            return Err(post(&format!("dial tcp: lookup {host}: no such host")));
        };
        let Some(target_port) = service.target_port(port) else {
            return Err(post(&format!(
                "dial tcp {host}:{port}: connect: connection refused (Service {}/{} exposes no port {port})",
                service.namespace, service.name
            )));
        };
        let Some(collector) = self.collector.as_ref() else {
            return Err(post(
                "no endpoints available for the Service (no collector pod)",
            ));
        };
        let selected = self.pods.iter().any(|p| {
            matches!(p.role, Role::Collector)
                && p.namespace == service.namespace
                && selects(&service.selector, &p.labels)
        });
        if !selected {
            return Err(post(&format!(
                "Service {}/{} selects no collector pod",
                service.namespace, service.name
            )));
        }
        if let CollectorStatus::CrashLoopBackOff { .. } = collector.status {
            return Err(post(&format!("dial tcp {host}:{port}: connect: connection refused (the collector is crash-looping)")));
        }
        let listeners = &collector.spec.listeners;
        let on_port: Vec<(usize, &OtlpListenerSpec)> = listeners
            .iter()
            .enumerate()
            .filter(|(_, l)| l.port == target_port)
            .collect();
        if on_port.is_empty() {
            let serving: Vec<String> = listeners
                .iter()
                .map(|l| format!("{} on {}:{}", protocol_name(l.protocol), l.host, l.port))
                .collect();
            return Err(post(&format!(
                "connect: connection refused (no OTLP receiver listens on port {target_port}; receivers: {})",
                if serving.is_empty() { "none in a traces pipeline".to_string() } else { serving.join(", ") }
            )));
        }
        if let Some((_, l)) = on_port
            .iter()
            .find(|(_, l)| crate::adapter::is_loopback(&l.host))
        {
            if on_port
                .iter()
                .all(|(_, l)| crate::adapter::is_loopback(&l.host))
            {
                return Err(post(&format!(
                    "connect: connection refused (receiver {} listens on {}:{}, reachable only inside the collector pod; use 0.0.0.0)",
                    l.receiver, l.host, l.port
                )));
            }
        }
        let reachable: Vec<&(usize, &OtlpListenerSpec)> = on_port
            .iter()
            .filter(|(_, l)| !crate::adapter::is_loopback(&l.host))
            .collect();
        match reachable.iter().find(|(_, l)| l.protocol == OtlpProtocol::Http) {
            Some((i, _)) if scheme != "https" => Ok(*i),
            Some(_) => Err(post("http: server gave HTTP response to HTTPS client")),
            None => Err(post(&format!(
                "port {target_port} serves OTLP/gRPC but HotROD speaks OTLP/HTTP: the request fails (the receiver needs protocols.http)"
            ))),
        }
    }

    fn add_target(&mut self, pod: usize) {
        let p = &self.pods[pod];
        let Some(port) = p
            .annotations
            .get("prometheus.io/scrape")
            .filter(|v| *v == "true")
            .and_then(|_| p.annotations.get("prometheus.io/port"))
        else {
            return;
        };
        let Ok(port) = port.trim().parse::<u32>() else {
            return;
        };
        let path = p
            .annotations
            .get("prometheus.io/path")
            .cloned()
            .unwrap_or_else(|| "/metrics".into());
        let interval = self.scenario.prometheus.scrape_interval_ms;
        let at = PodAddress {
            ip: &p.ip,
            namespace: &p.namespace,
            name: &p.name,
            node: NODE,
            labels: &p.labels,
        };
        let target = Target::new(pod, port, path, &at, interval);
        let first = target.next_slot(
            self.now + self.scenario.prometheus.discovery_delay_ms,
            interval,
        );
        self.targets.push(target);
        self.agenda
            .schedule(first, Action::Scrape(self.targets.len() - 1));
    }

    // ---- pods and replica sets ------------------------------------------

    fn pod_ready(&mut self, p: usize) {
        if self.pods[p].deleted {
            return;
        }
        self.pods[p].ready = true;
        let name = self.pods[p].name.clone();
        self.event(
            Component::Pod,
            EventKind::PodReady { pod: name.clone() },
            format!("pod {name} is Running and Ready"),
        );
        self.add_target(p);
        self.agenda.schedule(
            self.now + self.scenario.timings.controller_delay_ms,
            Action::Reconcile,
        );
    }

    fn live(&self, rs: usize) -> (u32, u32) {
        let pods = self.pods.iter().filter(|p| p.live_in(rs));
        let (mut all, mut ready) = (0, 0);
        for p in pods {
            all += 1;
            ready += u32::from(p.ready);
        }
        (all, ready)
    }

    fn delete_pods(&mut self, rs: usize, n: u32) {
        // Unready pods first, then the newest.
        let mut victims: Vec<usize> = (0..self.pods.len())
            .filter(|i| self.pods[*i].live_in(rs))
            .collect();
        victims.sort_by_key(|i| (self.pods[*i].ready, std::cmp::Reverse(*i)));
        for i in victims.into_iter().take(n as usize) {
            self.pods[i].deleted = true;
            let name = self.pods[i].name.clone();
            self.event(
                Component::Pod,
                EventKind::PodDeleted { pod: name.clone() },
                format!("pod {name} deleted"),
            );
        }
    }

    /// Moves the replica sets toward (canary, stable) within maxSurge and
    /// maxUnavailable; returns whether both are there and available.
    fn scale(
        &mut self,
        canary: Option<usize>,
        stable: usize,
        want_canary: u32,
        want_stable: u32,
    ) -> bool {
        let Some(spec) = self.rollout.as_ref().map(|r| r.spec.clone()) else {
            return false;
        };
        let total_cap = spec.replicas + spec.max_surge;
        let min_available = spec.replicas.saturating_sub(spec.max_unavailable);
        let mut c_ready = canary.map_or(0, |c| self.live(c).1);
        let mut s_ready = self.live(stable).1;
        // Scale down first, keeping enough pods available.
        for (rs, want) in [(Some(stable), want_stable), (canary, want_canary)] {
            let Some(rs) = rs else { continue };
            let (all, ready) = self.live(rs);
            if all > want {
                let available = c_ready + s_ready;
                let spare = available.saturating_sub(min_available);
                let remove = (all - want).min(all - ready + spare);
                if remove > 0 {
                    self.delete_pods(rs, remove);
                    let now_ready = self.live(rs).1;
                    if Some(rs) == canary {
                        c_ready = now_ready;
                    } else {
                        s_ready = now_ready;
                    }
                }
            }
        }
        for (rs, want) in [(canary, want_canary), (Some(stable), want_stable)] {
            let Some(rs) = rs else { continue };
            let (all, _) = self.live(rs);
            let used = canary.map_or(0, |c| self.live(c).0) + self.live(stable).0;
            let add = want.saturating_sub(all).min(total_cap.saturating_sub(used));
            for _ in 0..add {
                self.create_pod(rs, &spec, false);
            }
        }
        for rs in canary.into_iter().chain([stable]) {
            let (all, _) = self.live(rs);
            if self.replica_sets[rs].reported != all {
                let from = self.replica_sets[rs].reported;
                self.replica_sets[rs].reported = all;
                let r = &self.replica_sets[rs];
                let (name, image) = (r.name.clone(), r.pod.image.clone());
                self.event(
                    Component::ReplicaSet,
                    EventKind::ReplicaSetScaled {
                        replica_set: name.clone(),
                        image: image.clone(),
                        from,
                        to: all,
                    },
                    format!("scaled ReplicaSet {name} ({image}) from {from} to {all}"),
                );
            }
        }
        let (c_all, c_ready) = canary.map_or((0, 0), |c| self.live(c));
        let (s_all, s_ready) = self.live(stable);
        c_all == want_canary
            && c_ready == want_canary
            && s_all == want_stable
            && s_ready == want_stable
    }

    // ---- rollout controller -------------------------------------------------

    fn reconcile(&mut self) {
        let Some(state) = self.rollout.as_ref() else {
            return;
        };
        if state.spec.invalid.is_some() {
            return;
        }
        let Some(canary) = state.canary else { return };
        let (stable, replicas) = (state.stable, state.spec.replicas);
        if state.aborted {
            self.scale(Some(canary), stable, 0, replicas);
            return;
        }
        if state.promoted {
            if self.scale(None, stable, 0, replicas) {
                self.finish_healthy();
            }
            return;
        }
        loop {
            let Some(state) = self.rollout.as_ref() else {
                return;
            };
            let step_index = state.step;
            let steps = state.spec.steps.clone();
            if let Some(bg) = state.spec.background.clone() {
                if state.background_run.is_none() && step_index >= bg.starting_step {
                    let run = self.create_run(&bg, None);
                    if let Some(r) = self.rollout.as_mut() {
                        r.background_run = Some(run);
                    }
                }
            }
            if self.check_runs() {
                return;
            }
            let weight = steps[..steps.len().min(step_index + 1)]
                .iter()
                .rev()
                .find_map(|s| match s {
                    StepSpec::SetWeight(w) => Some(*w),
                    _ => None,
                })
                .unwrap_or(0);
            if step_index >= steps.len() {
                self.promote();
                return;
            }
            let (want_canary, want_stable) = weighted_counts(
                replicas,
                weight,
                self.rollout.as_ref().map_or(0, |r| r.spec.max_surge),
            );
            let settled = self.scale(Some(canary), stable, want_canary, want_stable);
            let done = match &steps[step_index] {
                StepSpec::SetWeight(_) => settled,
                StepSpec::Pause {
                    duration_ms: Some(d),
                } => {
                    let start = self.rollout.as_ref().and_then(|r| r.pause_start_ms);
                    match start {
                        None => {
                            self.set_pause_start();
                            self.agenda.schedule(self.now + d, Action::Reconcile);
                            self.event(
                                Component::Rollout,
                                EventKind::PauseStarted {
                                    duration_s: Some((d / 1000) as u64),
                                },
                                format!("paused for {}s (CanaryPauseStep)", d / 1000),
                            );
                            false
                        }
                        Some(s) => self.now >= s + d,
                    }
                }
                StepSpec::Pause { duration_ms: None } => {
                    if self
                        .rollout
                        .as_ref()
                        .is_some_and(|r| r.phase != RolloutPhase::Paused)
                    {
                        self.set_phase(RolloutPhase::Paused, "CanaryPauseStep");
                        self.event(Component::Rollout, EventKind::RolloutPaused { reason: "CanaryPauseStep".into() }, "paused indefinitely: waiting for `kubectl argo rollouts promote` (not simulated)");
                    }
                    false
                }
                StepSpec::Analysis(a) => {
                    if self.rollout.as_ref().is_some_and(|r| r.step_run.is_none()) {
                        let run = self.create_run(a, Some(step_index));
                        if let Some(r) = self.rollout.as_mut() {
                            r.step_run = Some(run);
                        }
                        if self.check_runs() {
                            return;
                        }
                    }
                    let run = self.rollout.as_ref().and_then(|r| r.step_run);
                    run.is_some_and(|r| self.runs[r].phase == AnalysisPhase::Successful)
                }
                StepSpec::Unsupported(kind) => {
                    let kind = kind.clone();
                    if self.reported.insert(format!("step:{step_index}")) {
                        self.event(
                            Component::Scenario,
                            EventKind::ScenarioProblem,
                            format!(
                                "step {step_index} ({kind}) is not simulated; treated as completed"
                            ),
                        );
                    }
                    true
                }
            };
            if !done {
                return;
            }
            let total = steps.len();
            let description = steps[step_index].describe();
            self.event(
                Component::Rollout,
                EventKind::StepCompleted {
                    index: step_index + 1,
                    total,
                    step: description.clone(),
                },
                format!(
                    "Rollout step {}/{total} completed ({description})",
                    step_index + 1
                ),
            );
            if let Some(r) = self.rollout.as_mut() {
                r.step += 1;
                r.pause_start_ms = None;
                r.step_run = None;
            }
        }
    }

    fn set_pause_start(&mut self) {
        let now = self.now;
        if let Some(r) = self.rollout.as_mut() {
            r.pause_start_ms = Some(now);
        }
    }

    fn set_phase(&mut self, phase: RolloutPhase, message: &str) {
        if let Some(r) = self.rollout.as_mut() {
            r.phase = phase;
            r.message = message.to_string();
        }
    }

    /// Reacts to finished runs; returns true when the rollout stopped.
    fn check_runs(&mut self) -> bool {
        let Some(state) = self.rollout.as_ref() else {
            return true;
        };
        for run in [state.step_run, state.background_run].into_iter().flatten() {
            let (phase, message) = (self.runs[run].phase, self.runs[run].message.clone());
            match phase {
                AnalysisPhase::Failed | AnalysisPhase::Error => {
                    self.abort(&message);
                    return true;
                }
                AnalysisPhase::Inconclusive => {
                    if self
                        .rollout
                        .as_ref()
                        .is_some_and(|r| r.phase != RolloutPhase::Paused)
                    {
                        self.set_phase(RolloutPhase::Paused, "InconclusiveAnalysisRun");
                        self.event(Component::Rollout, EventKind::RolloutPaused { reason: "InconclusiveAnalysisRun".into() }, format!("paused: analysis run {} is Inconclusive; a manual promote or abort is needed", self.runs[run].name));
                    }
                    return true;
                }
                _ => {}
            }
        }
        false
    }

    fn abort(&mut self, run_message: &str) {
        let now = self.now;
        for run in &mut self.runs {
            run.terminate(now);
        }
        let message = format!("Rollout aborted update to revision {REVISION}: {run_message}");
        if let Some(r) = self.rollout.as_mut() {
            r.aborted = true;
            r.phase = RolloutPhase::Degraded;
            r.message = format!("RolloutAborted: {message}");
        }
        self.event(
            Component::Rollout,
            EventKind::RolloutAborted {
                message: message.clone(),
            },
            format!("RolloutAborted: {message}"),
        );
        // Basic canary: the canary goes to zero at once, the stable back to full.
        if let Some((canary, stable, replicas)) = self
            .rollout
            .as_ref()
            .and_then(|r| r.canary.map(|c| (c, r.stable, r.spec.replicas)))
        {
            let (all, _) = self.live(canary);
            self.delete_pods(canary, all);
            self.scale(Some(canary), stable, 0, replicas);
        }
    }

    fn promote(&mut self) {
        let now = self.now;
        let Some(r) = self.rollout.as_mut() else {
            return;
        };
        let Some(canary) = r.canary else { return };
        let total = r.spec.steps.len();
        let old = r.stable;
        r.stable = canary;
        r.canary = Some(old);
        r.promoted = true;
        let image = self.replica_sets[canary].pod.image.clone();
        for run in &mut self.runs {
            run.terminate(now);
        }
        self.event(
            Component::Rollout,
            EventKind::RolloutPromoted {
                stable_image: image.clone(),
            },
            format!("Completed all {total} canary steps: {image} is the new stable"),
        );
        let replicas = self.rollout.as_ref().map_or(0, |r| r.spec.replicas);
        if self.scale(Some(old), canary, 0, replicas) {
            self.finish_healthy();
        }
    }

    fn finish_healthy(&mut self) {
        if self
            .rollout
            .as_ref()
            .is_some_and(|r| r.phase == RolloutPhase::Healthy)
        {
            return;
        }
        self.set_phase(RolloutPhase::Healthy, "");
        self.event(
            Component::Rollout,
            EventKind::RolloutHealthy,
            "Rollout is Healthy",
        );
    }

    // ---- analysis ---------------------------------------------------------

    fn create_run(&mut self, analysis: &AnalysisRef, step: Option<usize>) -> usize {
        let Some(state) = self.rollout.as_ref() else {
            return 0;
        };
        let canary_hash = state
            .canary
            .map(|c| self.replica_sets[c].hash.clone())
            .unwrap_or_default();
        let stable_hash = self.replica_sets[state.stable].hash.clone();
        let name = match step {
            Some(i) => format!("{}-{canary_hash}-{REVISION}-{i}", state.spec.name),
            None => format!("{}-{canary_hash}-{REVISION}", state.spec.name),
        };
        let namespace = state.spec.namespace.clone();
        let rollout_name = state.spec.name.clone();
        let templates: Vec<&AnalysisTemplateSpec> = analysis
            .templates
            .iter()
            .filter_map(|(n, cluster)| {
                self.scenario.templates.iter().find(|t| {
                    t.name == *n
                        && t.cluster_scoped == *cluster
                        && (*cluster || t.namespace == namespace)
                })
            })
            .collect();
        let mut args: BTreeMap<String, String> = BTreeMap::new();
        let mut arg_error = None;
        for t in &templates {
            for a in &t.args {
                if let Some(d) = &a.default {
                    args.insert(a.name.clone(), d.clone());
                }
            }
        }
        for (k, source) in &analysis.args {
            let value = match source {
                ArgSource::Value(v) => Some(v.clone()),
                ArgSource::FieldRef(path) => {
                    Some(rollout_field(path, &rollout_name, &namespace, &state.spec))
                }
                ArgSource::PodTemplateHash(which) if which == "Stable" => Some(stable_hash.clone()),
                ArgSource::PodTemplateHash(_) => Some(canary_hash.clone()),
                ArgSource::Unsupported(kind) => {
                    arg_error = Some(format!(
                        "argument \"{k}\": valueFrom.{kind} is not available in the simulation"
                    ));
                    None
                }
                ArgSource::Missing => None,
            };
            if let Some(v) = value {
                args.insert(k.clone(), v);
            }
        }
        let arg_list: Vec<(String, String)> =
            args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut metrics = Vec::new();
        let mut error = arg_error.map(|e| format!("Unable to resolve metric arguments: {e}"));
        let mut seen = BTreeSet::new();
        for (i, m) in templates.iter().flat_map(|t| &t.metrics).enumerate() {
            if error.is_some() {
                break;
            }
            if !seen.insert(m.name.clone()) {
                error = Some(format!(
                    "Analysis spec invalid: metrics[{i}]: duplicate name '{}'",
                    m.name
                ));
                break;
            }
            match resolve_metric(i, m, &args) {
                Ok(r) => metrics.push(r),
                Err(e) => error = Some(e),
            }
        }
        if metrics.is_empty() && error.is_none() {
            error = Some("Analysis spec invalid: no metrics specified".into());
        }
        let run = match error {
            Some(message) => {
                AnalysisRun::errored(name.clone(), self.now, arg_list.clone(), message)
            }
            None => AnalysisRun::running(name.clone(), self.now, arg_list.clone(), metrics),
        };
        let index = self.runs.len();
        for (k, m) in run.metrics.iter().enumerate() {
            if let Some(due) = m.next_due_ms(self.now) {
                self.agenda.schedule(
                    due,
                    Action::Measure {
                        run: index,
                        metric: k,
                    },
                );
            }
        }
        let described: Vec<String> = arg_list.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.event(
            Component::Analysis,
            EventKind::AnalysisRunStarted {
                run: name.clone(),
                args: arg_list,
            },
            format!("AnalysisRun {name} started ({})", described.join(", ")),
        );
        let errored = run.phase == AnalysisPhase::Error;
        let message = run.message.clone();
        self.runs.push(run);
        if errored {
            self.event(
                Component::Analysis,
                EventKind::AnalysisRunCompleted {
                    run: name.clone(),
                    phase: "Error".into(),
                    message: message.clone(),
                },
                format!("Analysis Completed. Result: Error: {message}"),
            );
        }
        index
    }

    fn measure(&mut self, run: usize, metric: usize) {
        let Some(r) = self.runs.get(run) else { return };
        if r.phase.completed() || r.terminating {
            return;
        }
        let m = &r.metrics[metric];
        if m.next_due_ms(r.started_ms) != Some(self.now) {
            return;
        }
        let spec = m.spec.clone();
        let run_name = r.name.clone();
        let taken = self.take_measurement(&spec);
        let phases_before: Vec<AnalysisPhase> =
            self.runs[run].metrics.iter().map(|m| m.phase).collect();
        let measurement = Measurement {
            t_ms: self.now,
            phase: taken.phase,
            value: taken.value.clone(),
            message: taken.message.clone(),
        };
        self.runs[run].metrics[metric].record(measurement);
        let summary = match (&taken.value, &taken.message) {
            (Some(v), Some(msg)) => format!("{v} ({msg})"),
            (Some(v), None) => v.clone(),
            (None, Some(msg)) => msg.clone(),
            (None, None) => String::new(),
        };
        let mut text = format!("{} {}: {summary}", spec.name, taken.phase.as_str());
        if let Some(e) = taken.explanations.first() {
            text.push_str(&format!(" — {}", e.reason));
        }
        self.event(
            Component::Analysis,
            EventKind::Measurement {
                run: run_name.clone(),
                metric: spec.name.clone(),
                query: taken.query,
                value: taken.value,
                condition: spec.success_condition.clone(),
                phase: taken.phase.as_str().into(),
                message: taken.message,
                explanations: taken.explanations,
            },
            text,
        );
        let now = self.now;
        let completed = self.runs[run].assess(now);
        let metrics: Vec<(String, AnalysisPhase)> = self.runs[run]
            .metrics
            .iter()
            .map(|m| (m.spec.name.clone(), m.phase))
            .collect();
        for (i, (name, phase)) in metrics.iter().enumerate() {
            if phase.completed() && !phases_before[i].completed() {
                self.event(
                    Component::Analysis,
                    EventKind::MetricCompleted {
                        run: run_name.clone(),
                        metric: name.clone(),
                        phase: phase.as_str().into(),
                    },
                    format!("Metric '{name}' Completed. Result: {}", phase.as_str()),
                );
            }
        }
        if completed {
            let (phase, message) = (self.runs[run].phase, self.runs[run].message.clone());
            let text = if message.is_empty() {
                format!("Analysis Completed. Result: {}", phase.as_str())
            } else {
                format!("Analysis Completed. Result: {}: {message}", phase.as_str())
            };
            self.event(
                Component::Analysis,
                EventKind::AnalysisRunCompleted {
                    run: run_name,
                    phase: phase.as_str().into(),
                    message,
                },
                text,
            );
            self.reconcile();
            return;
        }
        let started = self.runs[run].started_ms;
        if let Some(due) = self.runs[run].metrics[metric].next_due_ms(started) {
            self.agenda.schedule(due, Action::Measure { run, metric });
        }
    }

    fn take_measurement(&mut self, spec: &crate::analysis::ResolvedMetric) -> Taken {
        let error = |message: String, query: Option<String>| Taken {
            phase: MeasurementPhase::Error,
            value: None,
            message: Some(message),
            query,
            explanations: Vec::new(),
        };
        let (address, query) = match &spec.provider {
            ProviderSpec::Prometheus { address, query } => {
                (address.clone().unwrap_or_default(), query.clone())
            }
            ProviderSpec::Unsupported(kind) => {
                return error(format!("provider {kind} is not simulated"), None)
            }
            ProviderSpec::Missing => return error("no provider specified".into(), None),
        };
        if address.trim().is_empty() {
            return error("prometheus address is not configured".into(), query);
        }
        let Some((_, rest)) = address
            .split_once("://")
            .filter(|(s, _)| *s == "http" || *s == "https")
        else {
            return error("prometheus address is not is url format".into(), query);
        };
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if !self.scenario.prometheus.hosts.iter().any(|h| h == host) {
            let endpoint = format!("{}/api/v1/query", address.trim_end_matches('/'));
            return error(
                format!(
                    "Post \"{endpoint}\": dial tcp: lookup {host} on 10.96.0.10:53: no such host"
                ),
                query,
            );
        }
        let text = query.clone().unwrap_or_default();
        let expr = match parse(&text) {
            Ok(expr) => expr,
            Err(e) => {
                return error(
                    format!(
                        "bad_data: invalid parameter \"query\": {}",
                        e.with_position(&text)
                    ),
                    query,
                )
            }
        };
        sync_for(&mut self.tsdb, &expr, self.now);
        let storage = self.tsdb.query_storage();
        let result = match eval_instant(storage, &expr, self.now) {
            Ok(Value::Vector(samples)) => {
                MetricResult::Vector(samples.iter().map(|s| s.value).collect())
            }
            Ok(Value::Scalar(v)) => MetricResult::Scalar(v),
            Ok(Value::Matrix(series)) => MetricResult::Vector(
                series
                    .iter()
                    .flat_map(|s| s.points.iter().map(|p| p.1))
                    .collect(),
            ),
            Ok(Value::String(_)) => {
                return error("Prometheus metric type not supported".into(), query)
            }
            Err(e) => return error(format!("execution: {e}"), query),
        };
        let (phase, message) = evaluate_result(
            spec.success_condition.as_deref(),
            spec.failure_condition.as_deref(),
            &result,
        );
        let suspicious = match &result {
            MetricResult::Vector(v) => v.is_empty() || v.iter().any(|x| x.is_nan()),
            MetricResult::Scalar(v) => v.is_nan(),
        };
        let explanations = if suspicious {
            let blocker = self.collector_facts();
            explain(&expr, self.now, &mut self.tsdb, &self.facts, blocker)
        } else {
            Vec::new()
        };
        let value = (phase != MeasurementPhase::Error).then(|| result.argo_value_string());
        Taken {
            phase,
            value,
            message,
            query,
            explanations,
        }
    }

    /// Why span metrics are missing right now, if they are.
    fn collector_facts(&self) -> Option<(String, Option<String>)> {
        let Some(c) = self.collector.as_ref() else {
            return Some((
                "no OpenTelemetry Collector is deployed in these manifests".into(),
                None,
            ));
        };
        if let CollectorStatus::CrashLoopBackOff { message } = &c.status {
            let code = c
                .spec
                .startup_error
                .as_ref()
                .and_then(|f| f.lint_code.clone());
            return Some((format!("the collector is crash-looping: {message}"), code));
        }
        if c.spec.spanmetrics.is_empty() {
            return Some((
                "no traces pipeline exports to a spanmetrics connector".into(),
                Some("OTEL301".into()),
            ));
        }
        if c.spec.spanmetrics.iter().all(|s| s.exporters.is_empty()) {
            return Some((
                "no metrics pipeline takes spanmetrics' output to a prometheus exporter".into(),
                Some(
                    if c.spec.exporters.is_empty() {
                        "OTEL302"
                    } else {
                        "OTEL301"
                    }
                    .into(),
                ),
            ));
        }
        let hotrod_export = self.pods.iter().find_map(|p| match &p.role {
            Role::Hotrod { export: Err(e), .. } => Some(e.clone()),
            _ => None,
        });
        if let Some(reason) = hotrod_export {
            let code = if reason.contains("reachable only inside") {
                "OTEL201"
            } else if reason.contains("exposes no port") {
                "OTEL203"
            } else {
                "OTEL202"
            };
            return Some((
                format!("no spans reach the collector: {reason}"),
                Some(code.into()),
            ));
        }
        let scrape = self
            .targets
            .iter()
            .find(|t| matches!(self.pods[t.pod].role, Role::Collector) && !t.gone);
        match scrape {
            None => Some((
                "Prometheus does not scrape the collector pod (no prometheus.io/scrape annotation)"
                    .into(),
                None,
            )),
            Some(t) if c.exporter_on_port(t.port).is_none() => {
                let serving: Vec<String> = c
                    .exporters
                    .iter()
                    .map(|e| {
                        format!(
                            "{}:{}",
                            e.spec.host,
                            e.spec.port.map_or("?".into(), |p| p.to_string())
                        )
                    })
                    .collect();
                let why = if c.loopback_exporter_on_port(t.port).is_some() {
                    format!(
                        "the prometheus exporter listens on {} only inside the collector pod",
                        serving.join(", ")
                    )
                } else {
                    format!("the prometheus exporter listens on {}", serving.join(", "))
                };
                Some((format!("Prometheus scrapes the collector at {}{} but nothing serves it there: {why}", t.instance, t.path), Some("OTEL303".into())))
            }
            Some(_) => None,
        }
    }

    // ---- traffic, collector, scrapes --------------------------------------

    fn traffic(&mut self) {
        let spec = &self.scenario.traffic;
        let second = self.now.div_euclid(1000);
        let endpoint = if second % 5 == 0 {
            Endpoint::Static
        } else {
            Endpoint::Dispatch
        };
        let overhead = spec.loop_overhead_ms + spec.pause_ms;
        let next = match self.pick_pod() {
            Ok(p) => {
                self.requests += 1;
                let end_ms = self.serve(p, endpoint);
                self.traffic_failure = None;
                end_ms.ceil() as Millis + overhead
            }
            Err(reason) => {
                if self.traffic_failure.as_deref() != Some(reason.as_str()) {
                    self.event(
                        Component::Traffic,
                        EventKind::RequestFailed {
                            reason: reason.clone(),
                        },
                        format!("curl fails: {reason}"),
                    );
                    self.traffic_failure = Some(reason);
                }
                self.now + 5 + overhead
            }
        };
        self.agenda
            .schedule(next.max(self.now + 1), Action::Traffic);
    }

    fn serve(&mut self, p: usize, endpoint: Endpoint) -> f64 {
        let now = self.now as f64;
        let (pods, collector) = (&mut self.pods, &mut self.collector);
        let Role::Hotrod { app, export, .. } = &mut pods[p].role else {
            return now;
        };
        match (export, collector.as_mut().filter(|c| c.running())) {
            (Ok(listener), Some(c)) => app.serve(endpoint, now, &mut c.ingest(*listener)).end_ms,
            _ => app.serve(endpoint, now, &mut Discard).end_ms,
        }
    }

    /// The traffic generator's curl → Service → a ready pod, uniformly.
    fn pick_pod(&mut self) -> Result<usize, String> {
        let spec = &self.scenario.traffic;
        let url = format!("http://{}:{}", spec.target_host, spec.target_port);
        let service = find_service(
            &self.scenario.services,
            &spec.target_host,
            "traffic-generator",
        )
        .ok_or_else(|| format!("(6) Could not resolve host: {}", spec.target_host))?;
        let target_port = service.target_port(spec.target_port).ok_or_else(|| {
            format!(
                "(7) Failed to connect to {url}: Service {} exposes no port {}",
                service.name, spec.target_port
            )
        })?;
        let ready: Vec<usize> = (0..self.pods.len())
            .filter(|i| {
                let p = &self.pods[*i];
                !p.deleted
                    && p.ready
                    && p.namespace == service.namespace
                    && selects(&service.selector, &p.labels)
            })
            .collect();
        if ready.is_empty() {
            return Err(format!(
                "(7) Failed to connect to {url}: Service {} has no ready endpoints",
                service.name
            ));
        }
        let chosen = ready[self.traffic_rng.below(ready.len())];
        if target_port != HOTROD_FRONTEND_PORT
            || !matches!(self.pods[chosen].role, Role::Hotrod { .. })
        {
            return Err(format!("(7) Failed to connect to {url}: nothing serves HotROD's frontend on targetPort {target_port}"));
        }
        Ok(chosen)
    }

    fn flush(&mut self, connector: usize) {
        let Some(c) = self.collector.as_mut() else {
            return;
        };
        if !c.running() {
            return;
        }
        let series = c.flush(connector, self.now);
        let id = c.spec.spanmetrics[connector].id.clone();
        let interval = c.spec.spanmetrics[connector].flush_interval_ms;
        self.agenda
            .schedule(self.now + interval, Action::Flush(connector));
        if self.reported.insert(format!("flush:{connector}:{series}")) {
            self.event(
                Component::Collector,
                EventKind::SpanMetricsFlush {
                    connector: id.clone(),
                    series,
                },
                format!(
                    "{id} flushes {series} series (cumulative; next flush in {}s)",
                    interval / 1000
                ),
            );
        }
    }

    fn scrape(&mut self, t: usize) {
        let interval = self.scenario.prometheus.scrape_interval_ms;
        let now = self.now;
        let pod_index = self.targets[t].pod;
        if self.pods[pod_index].deleted {
            self.targets[t].vanish(&mut self.tsdb, now);
            return;
        }
        self.agenda.schedule(now + interval, Action::Scrape(t));
        let (port, path) = (self.targets[t].port, self.targets[t].path.clone());
        let mut samples = std::mem::take(&mut self.scratch);
        samples.clear();
        let outcome: Result<(), String> = match &self.pods[pod_index].role {
            Role::Hotrod { app, .. } => match (port, path.as_str()) {
                (HOTROD_FRONTEND_PORT, "/metrics") => {
                    app.exposition(&mut samples);
                    let target = &mut self.targets[t];
                    target.ingest(&mut self.tsdb, now, &samples, &exposition_labels);
                    Ok(())
                }
                (8080 | 8081 | 8083, _) => Err("server returned HTTP status 404 Not Found".into()),
                _ => Err(format!(
                    "dial tcp {}: connect: connection refused",
                    self.targets[t].instance
                )),
            },
            Role::Collector => match self.collector.as_mut() {
                Some(c) if c.running() => match c.exporter_on_port(port) {
                    Some(e) if path == "/metrics" => {
                        c.exporters[e].exposition(now, &mut samples);
                        let (exporter, connectors) = (&c.exporters[e], &c.connectors);
                        let labeller = exporter.labeller(connectors);
                        let labels_of = |key: u64| labeller.labels(key);
                        self.targets[t].ingest(&mut self.tsdb, now, &samples, &labels_of);
                        Ok(())
                    }
                    Some(_) => Err("server returned HTTP status 404 Not Found".into()),
                    None => Err(format!(
                        "dial tcp {}: connect: connection refused",
                        self.targets[t].instance
                    )),
                },
                _ => Err(format!(
                    "dial tcp {}: connect: connection refused (the collector is not running)",
                    self.targets[t].instance
                )),
            },
        };
        self.scratch = samples;
        let target = &mut self.targets[t];
        let was_up = target.up;
        match outcome {
            Ok(()) => {
                if was_up == Some(false) {
                    let instance = target.instance.clone();
                    self.event(
                        Component::Prometheus,
                        EventKind::ScrapeRecovered {
                            target: instance.clone(),
                        },
                        format!("scrape of {instance} succeeds again"),
                    );
                }
                // Prometheus's own GET /metrics is a request HotROD traces and counts.
                if matches!(self.pods[pod_index].role, Role::Hotrod { .. }) {
                    self.serve(pod_index, Endpoint::Metrics);
                }
            }
            Err(reason) => {
                target.fail(&mut self.tsdb, now);
                if was_up != Some(false) {
                    let instance = target.instance.clone();
                    let pod = self.pods[pod_index].name.clone();
                    self.event(
                        Component::Prometheus,
                        EventKind::ScrapeFailed {
                            target: instance.clone(),
                            reason: reason.clone(),
                        },
                        format!("scrape of {pod} ({instance}{path}) fails: {reason}; up=0"),
                    );
                }
            }
        }
    }
}

struct Taken {
    phase: MeasurementPhase,
    value: Option<String>,
    message: Option<String>,
    query: Option<String>,
    explanations: Vec<Explanation>,
}

fn protocol_name(p: OtlpProtocol) -> &'static str {
    match p {
        OtlpProtocol::Grpc => "OTLP/gRPC",
        OtlpProtocol::Http => "OTLP/HTTP",
    }
}

fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A cluster DNS name → Service: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`.
fn find_service<'a>(
    services: &'a [ServiceSpec],
    host: &str,
    from_namespace: &str,
) -> Option<&'a ServiceSpec> {
    let host = host.trim_end_matches('.');
    let host = host
        .strip_suffix(".svc.cluster.local")
        .or_else(|| host.strip_suffix(".svc"))
        .unwrap_or(host);
    let (name, namespace) = host.split_once('.').unwrap_or((host, from_namespace));
    services
        .iter()
        .find(|s| s.name == name && s.namespace == namespace)
}

/// The image the stable ReplicaSet runs: a full image, or a tag applied to
/// the template's image.
fn stable_image_for(template_image: &str, stable: Option<&str>) -> String {
    match stable {
        None => template_image.to_string(),
        Some(s) if s.contains('/') || s.contains(':') => s.to_string(),
        Some(tag) => {
            let repo = match template_image.rsplit_once(':') {
                Some((repo, t)) if !t.contains('/') => repo,
                _ => template_image,
            };
            format!("{repo}:{tag}")
        }
    }
}

fn image_tag(image: &str) -> &str {
    image.rsplit_once(':').map_or("latest", |(_, t)| t)
}

/// A stable, ordered serialisation of a pod template for the hash.
fn canonical_pod(pod: &PodSpec) -> String {
    let mut out = String::new();
    for (k, v) in &pod.labels {
        out.push_str(&format!("label {k}={v}\n"));
    }
    for (k, v) in &pod.annotations {
        out.push_str(&format!("annotation {k}={v}\n"));
    }
    out.push_str(&format!("image {}\n", pod.image));
    for (k, v) in &pod.env {
        out.push_str(&format!("env {k}={v:?}\n"));
    }
    for p in &pod.container_ports {
        out.push_str(&format!("port {p}\n"));
    }
    out
}

/// The downward API for a pod's env.
fn field_ref(path: &str, pod: &str, namespace: &str, ip: &str, spec: &PodSpec) -> String {
    let key = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix("']").or_else(|| r.strip_suffix("\"]")))
            .map(str::to_string)
    };
    match path {
        "metadata.name" => pod.to_string(),
        "metadata.namespace" => namespace.to_string(),
        "status.podIP" => ip.to_string(),
        "spec.nodeName" => NODE.to_string(),
        _ => {
            if let Some(k) = key("metadata.labels['").or_else(|| key("metadata.labels[\"")) {
                spec.labels.get(&k).cloned().unwrap_or_default()
            } else if let Some(k) =
                key("metadata.annotations['").or_else(|| key("metadata.annotations[\""))
            {
                spec.annotations.get(&k).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    }
}

/// A Rollout `fieldRef` argument (`metadata.namespace`, …).
fn rollout_field(path: &str, name: &str, namespace: &str, spec: &RolloutSpec) -> String {
    match path {
        "metadata.name" => name.to_string(),
        "metadata.namespace" => namespace.to_string(),
        "spec.template.spec.containers[0].image" => spec.pod.image.clone(),
        _ => String::new(),
    }
}

/// Feeds the query storage what `expr`'s selectors can see at `now_ms`.
pub(crate) fn sync_for(tsdb: &mut Tsdb, expr: &canary_lab_promql::Expr, now_ms: Millis) {
    let subquery = format!("{expr:?}").contains("Subquery");
    for s in selectors(expr) {
        let reach = s
            .range_ms
            .unwrap_or(0)
            .max(canary_lab_promql::LOOKBACK_DELTA_MS);
        let from = if subquery {
            Millis::MIN
        } else {
            now_ms - s.offset_ms - reach
        };
        let matchers: Vec<SyncMatcher> = s
            .matchers
            .iter()
            .filter(|m| {
                m.name != "__name__"
                    && matches!(
                        m.op,
                        canary_lab_promql::MatchOp::Equal | canary_lab_promql::MatchOp::NotEqual
                    )
            })
            .map(|m| SyncMatcher {
                name: m.name.clone(),
                value: m.value.clone(),
                equal: m.op == canary_lab_promql::MatchOp::Equal,
            })
            .collect();
        tsdb.sync(s.metric.as_deref(), &matchers, from, now_ms - s.offset_ms);
    }
}

/// The metric names the analysis queries select; everything when one
/// selector names no metric.
fn wanted_names(scenario: &Scenario) -> Wanted {
    let mut names = BTreeSet::from(["up".to_string()]);
    for m in scenario.templates.iter().flat_map(|t| &t.metrics) {
        let ProviderSpec::Prometheus { query: Some(q), .. } = &m.provider else {
            continue;
        };
        let Ok(expr) = parse(&canary_lab_lint::query::substitute_placeholders(q)) else {
            continue;
        };
        for s in selectors(&expr) {
            match s.metric {
                Some(n) => {
                    names.insert(n);
                }
                None => return Wanted::All,
            }
        }
    }
    Wanted::Names(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_image_takes_a_tag_or_an_image() {
        assert_eq!(
            stable_image_for("jaegertracing/example-hotrod:1.76.0", Some("1.75.0")),
            "jaegertracing/example-hotrod:1.75.0"
        );
        assert_eq!(stable_image_for("x:1", Some("y:2")), "y:2");
        assert_eq!(stable_image_for("x:1", None), "x:1");
    }

    #[test]
    fn service_dns_names() {
        let svc = ServiceSpec {
            name: "collector".into(),
            namespace: "otel".into(),
            selector: BTreeMap::new(),
            ports: vec![],
        };
        let all = [svc];
        assert!(find_service(&all, "collector.otel.svc.cluster.local", "x").is_some());
        assert!(find_service(&all, "collector.otel", "x").is_some());
        assert!(find_service(&all, "collector", "otel").is_some());
        assert!(find_service(&all, "collector", "hotrod").is_none());
    }
}
