//! Parse + canonicalize throughput on a 1 MiB namespaced document (issue: at least 2x lxml,
//! which `compare/c14n_lxml.py` measures on the same document).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ezla::xml::Document;
use ezla::xml::c14n::{Canonicalizer, Method};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let doc_text = ezla_benches::namespaced_document(1 << 20);
    let mut group = c.benchmark_group("c14n_1mib");
    group.throughput(Throughput::Bytes(doc_text.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| black_box(Document::parse(black_box(&doc_text)).expect("parse")))
    });
    for (name, method) in [
        ("parse+inclusive", Method::Inclusive10),
        ("parse+exclusive", Method::Exclusive10),
    ] {
        let c14n = Canonicalizer::new(method);
        group.bench_function(name, |b| {
            b.iter(|| {
                let doc = Document::parse(black_box(&doc_text)).expect("parse");
                black_box(c14n.document(&doc).expect("c14n"))
            })
        });
    }
    let doc = Document::parse(&doc_text).expect("parse");
    for (name, method) in [
        ("inclusive (parsed)", Method::Inclusive10),
        ("exclusive (parsed)", Method::Exclusive10),
    ] {
        let c14n = Canonicalizer::new(method);
        group.bench_function(name, |b| {
            b.iter(|| black_box(c14n.document(&doc).expect("c14n")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
