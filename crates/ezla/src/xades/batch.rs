//! Batch signing: many documents, one signer, every core.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::sign::{SignOptions, sign};
use crate::Result;
use crate::crypto::Signer;
use crate::pki::Certificate;

/// Options for [`sign_many`].
#[derive(Clone, Copy, Default)]
#[non_exhaustive]
pub struct BatchOptions<'a> {
    /// Worker threads; `None` = the number of cores (`std::thread::available_parallelism`).
    /// Never more than the number of documents.
    pub threads: Option<NonZeroUsize>,
    /// Called after each document, from the worker that signed it, with the number of
    /// documents done so far (in completion order, not input order).
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

impl<'a> BatchOptions<'a> {
    /// `threads` workers (0 = one per core).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = NonZeroUsize::new(threads);
        self
    }

    /// Reports progress to `progress`.
    pub fn progress(mut self, progress: &'a (dyn Fn(usize) + Sync)) -> Self {
        self.progress = Some(progress);
        self
    }
}

impl std::fmt::Debug for BatchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchOptions")
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Signs every document of `documents` as [`sign`] does, with the same signer, certificate,
/// chain and options, on a pool of worker threads (one per core by default).
///
/// Returns one result per document, in input order; a document that fails (malformed XML,
/// already signed, a token error) has its error in its place and does not stop the others.
/// A `pkcs11::Pkcs11Signer` (feature `pkcs11`) gives each worker its own session. With
/// [`IdMode::Deterministic`](super::IdMode::Deterministic) every document gets the same `Id`s,
/// which is what a golden-file batch wants and harmless across separate documents.
pub fn sign_many<D: AsRef<[u8]> + Sync>(
    documents: &[D],
    signer: &dyn Signer,
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
    batch: &BatchOptions<'_>,
) -> Vec<Result<Vec<u8>>> {
    let total = documents.len();
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let threads = batch
        .threads
        .map_or(cores, NonZeroUsize::get)
        .min(total)
        .max(1);
    let sign_one = |document: &D| sign(document.as_ref(), signer, certificate, chain, options);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<Vec<u8>>>>> = Mutex::new((0..total).map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(document) = documents.get(i) else {
                break;
            };
            let result = sign_one(document);
            if let Some(slot) = slots.lock().unwrap_or_else(|p| p.into_inner()).get_mut(i) {
                *slot = Some(result);
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = batch.progress {
                p(n);
            }
        }
    };
    // The calling thread is one of the workers (the only one for a single thread): one thread
    // fewer starts per batch, and a caller that has signed before is warm (a token's library
    // builds per-thread state on a new thread's first signatures).
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    slots
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|slot| {
            slot.unwrap_or_else(|| {
                Err(crate::Error::internal(
                    "batch worker left a document unsigned",
                ))
            })
        })
        .collect()
}
