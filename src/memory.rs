//! Giving freed memory back to the system. glibc's allocator keeps the
//! pages of what was freed for later use, so a console that let go of a
//! large table would still hold its pages; asking it to trim returns
//! them (the only foreign call of the program, through the `libc` crate).

/// Returns the pages of freed memory to the system, where the allocator
/// can (glibc on Linux); elsewhere nothing.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes a plain number, touches only memory the
    // allocator holds free, and is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
