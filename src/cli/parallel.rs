//! Checking many files on every core, with the results in input order, and
//! a progress line on a terminal for long runs.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Whether the binary may draw progress on standard error: it is a
/// terminal, and not CI's. Off unless `cli::main` turns it on, so the
/// library and tests never draw it.
static PROGRESS: AtomicBool = AtomicBool::new(false);

pub(super) fn enable_progress(on: bool) {
    PROGRESS.store(on, Ordering::Relaxed);
}

/// Runs shorter than this draw no progress at all.
const PROGRESS_AFTER: Duration = Duration::from_millis(300);
/// Fewer items than this never draw progress.
const PROGRESS_MIN_ITEMS: usize = 100;

/// `f` applied to every item on up to `threads` threads (0: one per CPU),
/// the results in the order of the items.
pub(super) fn map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .min(items.len());
    let progress = PROGRESS.load(Ordering::Relaxed) && items.len() >= PROGRESS_MIN_ITEMS;
    if threads <= 1 && !progress {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = Vec::with_capacity(items.len());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    mine
                })
            })
            .collect();
        if progress {
            draw_progress(&done, items.len(), || {
                workers.iter().all(|w| w.is_finished())
            });
        }
        for w in workers {
            match w.join() {
                Ok(mine) => results.extend(mine),
                // A panic in a check is a bug; let it surface as one.
                Err(p) => std::panic::resume_unwind(p),
            }
        }
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// "checked 1,234 of 5,000 files" on standard error, redrawn in place a few
/// times a second until every item is done (or every worker has stopped),
/// then erased.
fn draw_progress(done: &AtomicUsize, total: usize, finished: impl Fn() -> bool) {
    let start = Instant::now();
    let mut drawn = false;
    let mut err = std::io::stderr();
    loop {
        let n = done.load(Ordering::Relaxed);
        if n >= total || finished() {
            break;
        }
        if start.elapsed() >= PROGRESS_AFTER {
            let _ = write!(
                err,
                "\r\x1b[2Kpipelint: checked {} of {} files",
                crate::numfmt::number(n as f64),
                crate::numfmt::number(total as f64)
            );
            let _ = err.flush();
            drawn = true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if drawn {
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_on_any_number_of_threads() {
        let items: Vec<u64> = (0..1000).collect();
        let one = map(&items, 1, |x| x * x);
        for threads in [2, 3, 8, 64] {
            assert_eq!(map(&items, threads, |x| x * x), one);
        }
        assert_eq!(map(&Vec::<u64>::new(), 4, |x| *x), Vec::<u64>::new());
    }
}
