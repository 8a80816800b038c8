//! Running a third-party parser that may panic on hostile input: the panic
//! becomes an error of the input, and nothing is printed for it.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Runs `f`; a panic inside it returns `None` instead of unwinding further,
/// and the panic hook stays silent for it (on this thread only: a panic
/// elsewhere is reported as usual).
pub fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_none() {
        assert_eq!(super::quietly(|| 1), Some(1));
        let r: Option<()> = super::quietly(|| panic!("hostile"));
        assert!(r.is_none());
    }
}
