//! Bounds on work that a federation's own files drive: a board template (minijinja or Typst) is a small
//! program, and a template shared between federations must not be able to take a machine's memory or time.
//!
//! minijinja stops a loop by fuel and its output by a capped writer, with an ordinary error. Neither engine
//! can stop a string doubled thirty times or a Typst `range(1000000000)` from allocating, and Typst has no
//! fuel, so the work runs inside [`bounded`]: while it runs, the Rust heap may grow by at most a budget, and a
//! watchdog waits for a deadline. Past either the process stops at once with a message naming the template
//! (nothing was written: outputs are written only when complete). Stopping the process is the only safe end:
//! an engine half-way through an allocation cannot be unwound, and a thread cannot be killed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How much work a bounded step may do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Growth of the Rust heap during the step, in bytes.
    pub memory_bytes: usize,
    /// Wall-clock time.
    pub deadline: Duration,
}

/// The board report's templates: the built-in report uses a few tens of MB and a second or two to typeset;
/// a federation's own may use far more before anything is stopped (2 GB, 60 s). The one running the report
/// may set other bounds with FINSAM_TEMPLATE_MEMORY_MB and FINSAM_TEMPLATE_SECONDS.
pub fn template_limits() -> Limits {
    let from_env =
        |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok()).filter(|v| *v > 0).unwrap_or(default);
    Limits {
        memory_bytes: (from_env("FINSAM_TEMPLATE_MEMORY_MB", 2048) as usize).saturating_mul(1 << 20),
        deadline: Duration::from_secs(from_env("FINSAM_TEMPLATE_SECONDS", 60)),
    }
}

/// The allocator: the system's, counting what is allocated while a bounded step runs.
pub struct CountingAllocator;

/// The budget left, in bytes, while a step runs (`ACTIVE`); below zero the process stops.
static LEFT: AtomicIsize = AtomicIsize::new(0);
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The message printed when a step is stopped: written before the step starts, so stopping allocates
/// nothing. A fixed buffer and its length.
static MESSAGE: Mutex<[u8; 512]> = Mutex::new([0; 512]);
static MESSAGE_LEN: AtomicUsize = AtomicUsize::new(0);
/// Only one bounded step at a time: the budget is the whole process's.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        take(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        take(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        give(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            take(new_size - layout.size());
        } else {
            give(layout.size() - new_size);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[inline]
fn take(bytes: usize) {
    if ACTIVE.load(Ordering::Relaxed) {
        let bytes = bytes.min(isize::MAX as usize) as isize;
        if LEFT.fetch_sub(bytes, Ordering::Relaxed) - bytes < 0 {
            stop("memory");
        }
    }
}

#[inline]
fn give(bytes: usize) {
    if ACTIVE.load(Ordering::Relaxed) {
        LEFT.fetch_add(bytes.min(isize::MAX as usize) as isize, Ordering::Relaxed);
    }
}

/// Prints the step's message and ends the process without unwinding or allocating.
#[cold]
fn stop(what: &str) -> ! {
    ACTIVE.store(false, Ordering::Relaxed);
    let len = MESSAGE_LEN.load(Ordering::Relaxed);
    // The lock may be held by nobody but `bounded` while it writes the message, before the step starts.
    let message = MESSAGE.try_lock().map(|m| *m).unwrap_or([0; 512]);
    let reason: &[u8] = if what == "memory" { b" (it used more memory than a template may)\n" } else { b" (it ran longer than a template may)\n" };
    unsafe {
        libc::write(2, message.as_ptr().cast(), len.min(message.len()));
        libc::write(2, reason.as_ptr().cast(), reason.len());
        libc::_exit(EXIT_STOPPED);
    }
}

/// The exit status of a process stopped by a bound (as sysexits' EX_SOFTWARE).
pub const EXIT_STOPPED: i32 = 70;

/// Runs `work` within `limits`; `description` names what is stopped (e.g. "the board report's template
/// report.typ"). One bounded step runs at a time.
pub fn bounded<T>(description: &str, limits: Limits, work: impl FnOnce() -> T) -> T {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let text =
        format!("finsam: stopped {description}: nothing was written. Make the template do less, or use the built-in one (leave out --template-dir)");
    {
        let mut message = MESSAGE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let bytes = text.as_bytes();
        let len = bytes.len().min(message.len());
        message[..len].copy_from_slice(&bytes[..len]);
        MESSAGE_LEN.store(len, Ordering::Relaxed);
    }
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let deadline = limits.deadline;
    let watchdog = std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(deadline) {
            stop("time");
        }
    });
    /// Ends the step however `work` ends (a panic too): the budget stops counting, the watchdog is told.
    struct Ended(Option<std::sync::mpsc::Sender<()>>, Option<std::thread::JoinHandle<()>>);
    impl Drop for Ended {
        fn drop(&mut self) {
            ACTIVE.store(false, Ordering::SeqCst);
            if let Some(done) = self.0.take() {
                let _ = done.send(());
            }
            if let Some(watchdog) = self.1.take() {
                let _ = watchdog.join();
            }
        }
    }
    let _ended = Ended(Some(done), Some(watchdog));
    LEFT.store(limits.memory_bytes.min(isize::MAX as usize) as isize, Ordering::Relaxed);
    ACTIVE.store(true, Ordering::SeqCst);
    work()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_within_its_limits_runs_and_returns() {
        let limits = Limits { memory_bytes: 64 << 20, deadline: Duration::from_secs(30) };
        let sum = bounded("a test", limits, || (0..1000u64).map(|i| vec![i; 100].iter().sum::<u64>()).sum::<u64>());
        assert_eq!(sum, 100 * 999 * 1000 / 2);
        // Memory freed inside the step is given back: many small allocations well past the budget in total.
        let small = Limits { memory_bytes: 1 << 20, deadline: Duration::from_secs(30) };
        bounded("a test", small, || {
            for _ in 0..10_000 {
                std::hint::black_box(vec![0u8; 4096]);
            }
        });
    }
}
