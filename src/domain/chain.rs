//! Walking a chain of "next" links (a department's parent, an employee's
//! manager) safely: the walk stops at the end of the chain or at a loop.

use std::collections::HashSet;
use std::hash::Hash;

/// True when following `next` from `start` reaches `target` (`start` itself
/// included). A loop that does not pass through `target` ends the walk.
pub fn reaches<T: Copy + Eq + Hash>(start: T, target: T, next: impl Fn(T) -> Option<T>) -> bool {
    let mut seen = HashSet::new();
    let mut cursor = Some(start);
    while let Some(current) = cursor {
        if current == target {
            return true;
        }
        if !seen.insert(current) {
            return false;
        }
        cursor = next(current);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_to_the_end_or_to_a_loop() {
        // 3 → 2 → 1, and a loop 5 → 6 → 5.
        let next = |n: u32| match n {
            3 => Some(2),
            2 => Some(1),
            5 => Some(6),
            6 => Some(5),
            _ => None,
        };
        assert!(reaches(3, 1, next));
        assert!(reaches(2, 2, next));
        assert!(!reaches(1, 3, next));
        assert!(!reaches(5, 1, next), "a loop ends the walk");
    }
}
