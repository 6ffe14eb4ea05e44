//! How the program's memory is kept by glibc's allocator (Linux). By
//! default it gives each thread that allocates at once an arena of its
//! own, up to eight per core, and keeps the pages of what is freed: a
//! console whose jobs read on both cores would hold the holes of several
//! arenas, and still hold a table it let go. [`configure`] limits the
//! arenas to two (a million employees' tabs: 289 MB instead of 302, and
//! their reads a little quicker); [`give_back`] returns freed pages. The
//! only foreign calls of the program, through the `libc` crate.

/// The most arenas the allocator keeps: one for each of the two cores
/// the work is shared on.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// Sets how the allocator keeps memory, once, before any thread starts.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes two plain numbers and only sets a limit the
    // allocator reads when it makes a new arena.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

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
