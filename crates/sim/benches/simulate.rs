//! Criterion benches: the challenge scenario (15 simulated minutes; goal
//! < 20 ms), spanmetrics aggregation (goal ≥ 5M spans/s), and a load
//! scenario of ~200 req/s for 30 simulated minutes (memory bounded by
//! series, not spans).

#[path = "../tests/common/mod.rs"]
mod common;

use canary_lab_sim::collector::spanmetrics::SpanMetrics;
use canary_lab_sim::scenario::{DimensionSpec, SpanMetricsSpec, DEFAULT_BUCKETS_MS};
use canary_lab_sim::span::{self, Resource, Service};
use canary_lab_sim::{simulate, SimOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn challenge(c: &mut Criterion) {
    let scenario = common::scenario(&common::challenge("fixed"));
    let options = common::options();
    c.bench_function("challenge_fixed_15min", |b| {
        b.iter(|| simulate(black_box(&scenario), &options))
    });
    let broken = common::scenario(&common::challenge("broken"));
    c.bench_function("challenge_broken_15min", |b| {
        b.iter(|| simulate(black_box(&broken), &options))
    });
}

fn aggregation(c: &mut Criterion) {
    let spec = SpanMetricsSpec {
        id: "spanmetrics".into(),
        namespace: "traces.span.metrics".into(),
        unit_seconds: false,
        buckets: DEFAULT_BUCKETS_MS.to_vec(),
        histogram_disabled: false,
        dimensions: ["hotrod.namespace", "hotrod.pod.name", "hotrod.pod.hash"]
            .iter()
            .map(|n| DimensionSpec {
                name: n.to_string(),
                default: None,
            })
            .collect(),
        exclude_dimensions: vec![],
        flush_interval_ms: 60_000,
        exporters: vec![],
    };
    let resources: Vec<Resource> = (0..24)
        .map(|i| Resource {
            id: i,
            service: Service::ALL[i % 6],
            attributes: vec![
                ("service.name".into(), Service::ALL[i % 6].name().into()),
                ("hotrod.namespace".into(), "hotrod".into()),
                ("hotrod.pod.name".into(), format!("hotrod-abc-{}", i / 6)),
                ("hotrod.pod.hash".into(), "abc".into()),
            ],
        })
        .collect();
    const SPANS: u64 = 1_000_000;
    let mut group = c.benchmark_group("spanmetrics");
    group.throughput(Throughput::Elements(SPANS));
    group.bench_function("record_1M_spans", |b| {
        b.iter(|| {
            let mut sm = SpanMetrics::new(spec.clone());
            for i in 0..SPANS {
                let r = &resources[(i % 24) as usize];
                let t = span::TEMPLATES[(i % 12) as usize];
                sm.record(r, t, i % 5 == 0, (i % 997) as f64);
            }
            black_box(sm.series().len())
        })
    });
    group.finish();
}

fn load(c: &mut Criterion) {
    let mut files = common::challenge("fixed");
    common::edit(
        &mut files,
        "hotrod/rollout.yaml",
        "replicas: 2",
        "replicas: 80",
    );
    common::edit(
        &mut files,
        "traffic-generator/deployment.yaml",
        "replicas: 1",
        "replicas: 250",
    );
    let scenario = common::scenario(&files);
    let options = SimOptions {
        until_ms: 30 * 60_000,
        ..common::options()
    };
    let report = simulate(&scenario, &options);
    eprintln!(
        "load: {} requests in 30 min ({:.0} req/s), {} spans, peak span-metric series {}, prometheus series {}, samples {}",
        report.stats.requests,
        report.stats.requests as f64 / 1800.0,
        report.stats.spans_received,
        report.stats.span_series_peak,
        report.stats.prometheus_series,
        report.stats.prometheus_samples,
    );
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("load_200rps_30min", |b| {
        b.iter(|| simulate(black_box(&scenario), &options))
    });
    group.finish();
}

criterion_group!(benches, challenge, aggregation, load);
criterion_main!(benches);
