//! Values many records share, stored once and named by a 32-bit number: a
//! row of a million-row table holds a number for each, not a copy or a
//! pointer. Numbers are handed out in the order values are first met.

use std::borrow::Borrow;
use std::hash::Hash;
use std::ops::{Index, IndexMut};

use foldhash::HashMap;

/// The number no value has (a row's "none").
pub const NONE: u32 = u32::MAX;

/// Values by number, each under the key it was first met by.
#[derive(Clone, Debug)]
pub struct Numbered<K, V> {
    values: Vec<V>,
    number_of: HashMap<K, u32>,
}

impl<K, V> Default for Numbered<K, V> {
    fn default() -> Self {
        Numbered {
            values: Vec::new(),
            number_of: HashMap::default(),
        }
    }
}

impl<K: Hash + Eq, V> Numbered<K, V> {
    /// The number of the value under `key`, made by `make` when `key` is
    /// first met. (Past four billion values, the last number is reused.)
    pub fn number<Q>(&mut self, key: &Q, make: impl FnOnce() -> V) -> u32
    where
        K: Borrow<Q> + From<Q::Owned>,
        Q: ?Sized + Hash + Eq + ToOwned,
    {
        if let Some(&number) = self.number_of.get(key) {
            return number;
        }
        let number = u32::try_from(self.values.len()).map_or(NONE - 1, |n| n.min(NONE - 1));
        self.values.push(make());
        self.number_of.insert(K::from(key.to_owned()), number);
        number
    }

    /// The number of the value under `key`, if it was met.
    pub fn number_of<Q>(&self, key: &Q) -> Option<u32>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.number_of.get(key).copied()
    }

    /// Every value, by number.
    pub fn values(&self) -> &[V] {
        &self.values
    }

    /// Every value, by number, to change in place.
    pub fn values_mut(&mut self) -> &mut [V] {
        &mut self.values
    }
}

impl<K, V> Index<u32> for Numbered<K, V> {
    type Output = V;

    fn index(&self, number: u32) -> &V {
        &self.values[number as usize]
    }
}

impl<K, V> IndexMut<u32> for Numbered<K, V> {
    fn index_mut(&mut self, number: u32) -> &mut V {
        &mut self.values[number as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_made_once_and_keeps_its_number() {
        let mut names: Numbered<Box<str>, String> = Numbered::default();
        let mut made = 0;
        let mut number = |names: &mut Numbered<Box<str>, String>, name: &str| {
            names.number(name, || {
                made += 1;
                name.to_uppercase()
            })
        };
        let zhang = number(&mut names, "zhang");
        let li = number(&mut names, "li");
        assert_eq!(number(&mut names, "zhang"), zhang);
        assert_eq!((zhang, li), (0, 1), "in the order first met");
        assert_eq!(made, 2, "made once each");
        assert_eq!(names[li], "LI");
        assert_eq!(names.number_of("li"), Some(li));
        assert_eq!(names.number_of("wang"), None);
        names[li].push('!');
        assert_eq!(names.values(), ["ZHANG", "LI!"]);
    }
}
