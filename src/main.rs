fn main() -> std::process::ExitCode {
    allocator::tune();
    pipelint::cli::main()
}

/// glibc's malloc hands every block over 128 KiB back to the system when it
/// is freed and asks for it again, a page fault per page, when the next one
/// is allocated; reading a large file allocates and frees many such blocks
/// (the TOML parser's buffers grow by doubling). Keeping freed memory for
/// reuse makes checking a 10,000-service file about a fifth faster; pipelint
/// runs briefly, so holding on to it costs nothing.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod allocator {
    use std::ffi::c_int;

    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }

    const M_TRIM_THRESHOLD: c_int = -1;
    const M_MMAP_THRESHOLD: c_int = -3;

    pub fn tune() {
        // SAFETY: mallopt only changes malloc's parameters; it is called
        // before any thread starts. A value it refuses is ignored.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
            mallopt(M_TRIM_THRESHOLD, 64 << 20);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod allocator {
    pub fn tune() {}
}
