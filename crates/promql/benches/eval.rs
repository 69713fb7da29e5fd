//! Parses and evaluates the challenge's p95 query over ~15 minutes of 10s
//! scrapes of ~50 bucket series (3 spans × 17 buckets, one canary pod).

use std::hint::black_box;

use canary_lab_promql::{eval_instant, parse, Labels, Storage};
use criterion::{criterion_group, criterion_main, Criterion};

const QUERY: &str = "histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket{hotrod_namespace=\"hotrod\",hotrod_pod_hash=\"6d5f7c8b9\"}[2m])))";
const BUCKETS: [&str; 17] = [
    "2", "4", "6", "8", "10", "50", "100", "200", "400", "800", "1000", "1400", "2000", "5000",
    "10000", "15000", "+Inf",
];

fn storage() -> Storage {
    let mut db = Storage::new();
    let spans = [
        ("frontend", "HTTP GET /dispatch"),
        ("redis-manual", "GetDriver"),
        ("mysql", "SQL SELECT"),
    ];
    let series: Vec<Labels> = spans
        .iter()
        .flat_map(|(svc, span)| {
            BUCKETS.iter().map(move |le| {
                Labels::from_pairs([
                    (
                        "__name__",
                        "traces_span_metrics_duration_milliseconds_bucket",
                    ),
                    ("service_name", *svc),
                    ("span_name", *span),
                    ("hotrod_namespace", "hotrod"),
                    ("hotrod_pod_hash", "6d5f7c8b9"),
                    ("le", *le),
                ])
            })
        })
        .collect();
    for step in 0..=90i64 {
        let flushes = (step / 6) as f64;
        for (i, l) in series.iter().enumerate() {
            let bucket = (i % BUCKETS.len()) as f64;
            db.append(l, step * 10_000, flushes * (bucket + 1.0) * 10.0);
        }
    }
    db
}

fn bench(c: &mut Criterion) {
    let db = storage();
    assert_eq!(db.series_count(), 51);
    let t = 15 * 60_000 - 5_000;
    c.bench_function("parse+eval p95 (51 series × 91 samples)", |b| {
        b.iter(|| {
            let e = parse(black_box(QUERY)).expect("query parses");
            eval_instant(&db, &e, black_box(t)).expect("query evaluates")
        })
    });
    let e = parse(QUERY).expect("query parses");
    c.bench_function("eval p95 only", |b| {
        b.iter(|| eval_instant(&db, &e, black_box(t)).expect("evaluates"))
    });
    c.bench_function("parse p95 only", |b| {
        b.iter(|| parse(black_box(QUERY)).expect("parses"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
