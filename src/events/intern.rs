//! String interner: gives each distinct string of a column family a small
//! integer id, so the event table stores 4 bytes per cell instead of text.
//!
//! Continent-wide exports repeat a few thousand actor and place names over
//! millions of rows, but event ids are all distinct, so the interner itself
//! must stay small per string: text lives back to back in one `String`, ids
//! map to end offsets, and the hash table holds ids with a hash fragment
//! (open addressing) rather than a second copy of each string.

use std::hash::{BuildHasher, RandomState};

/// Maps strings to `u32` ids and back. Id 0 is reserved for the empty string.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    /// Every interned string, concatenated in id order.
    text: String,
    /// `ends[k]` is where the string with id `k + 1` ends in `text`.
    ends: Vec<u32>,
    /// Open-addressing table (linear probing). A slot holds the string's
    /// 32-bit hash in its high half and its id in the low half; 0 marks a
    /// free slot, which works because the empty string (id 0) is never
    /// stored here. Keeping the hash lets a probe skip other strings without
    /// reading their text, and lets the table grow without rehashing.
    /// Its length is 0 or a power of two.
    slots: Vec<u64>,
    /// Keyed SipHash: a crafted file cannot force every string into one probe
    /// chain.
    hasher: RandomState,
}

impl Interner {
    /// An empty interner (it knows only the empty string, id 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of distinct non-empty strings; their ids are `1..=len()`.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when no non-empty string has been interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id of `s`, adding it if new. `None` only when the interner is full
    /// (more than 4 GiB of text or `u32::MAX` strings): the caller rejects the
    /// row rather than overflowing.
    pub fn intern(&mut self, s: &str) -> Option<u32> {
        if s.is_empty() {
            return Some(0);
        }
        let hash = self.hash(s);
        let free = match self.probe(s, hash) {
            Ok(id) => return Some(id),
            Err(free) => free,
        };
        let end = u32::try_from(self.text.len().checked_add(s.len())?).ok()?;
        let id = u32::try_from(self.ends.len() + 1)
            .ok()
            .filter(|&id| id != u32::MAX)?;
        // Grow at half load so probe chains stay short.
        let slot = match free {
            Some(slot) if (self.ends.len() + 1) * 2 <= self.slots.len() => slot,
            _ => {
                self.grow();
                self.free_slot(hash)
            }
        };
        self.text.push_str(s);
        self.ends.push(end);
        self.slots[slot] = (u64::from(hash) << 32) | u64::from(id);
        Some(id)
    }

    /// The id of exactly `s`, if interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        if s.is_empty() {
            return Some(0);
        }
        self.probe(s, self.hash(s)).ok()
    }

    /// The id of `s` ignoring case: the exact spelling if interned, otherwise
    /// the first (lowest id) string equal to `s` under Unicode lowercasing.
    /// The fallback scans every string, which is meant for resolving a user's
    /// filter once, not for per-row use.
    pub fn get_ignore_case(&self, s: &str) -> Option<u32> {
        self.get(s).or_else(|| {
            self.iter()
                .find(|(_, t)| eq_ignore_case(s, t))
                .map(|(id, _)| id)
        })
    }

    /// Every id whose string equals `s` ignoring case (several spellings of
    /// one name can occur in merged files). Scans all strings.
    pub fn all_ignore_case(&self, s: &str) -> Vec<u32> {
        if s.is_empty() {
            return vec![0];
        }
        self.iter()
            .filter(|(_, t)| eq_ignore_case(s, t))
            .map(|(id, _)| id)
            .collect()
    }

    /// The string with id `id` (`Some("")` for 0), or `None` for an unknown id.
    pub fn resolve(&self, id: u32) -> Option<&str> {
        let k = usize::try_from(id).ok()?;
        if k == 0 {
            return Some("");
        }
        let end = *self.ends.get(k - 1)? as usize;
        let start = if k >= 2 { self.ends[k - 2] as usize } else { 0 };
        self.text.get(start..end)
    }

    /// All non-empty strings with their ids, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (1..=self.ends.len()).filter_map(|k| {
            let id = u32::try_from(k).ok()?;
            Some((id, self.resolve(id)?))
        })
    }

    /// Heap memory held, from capacities.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * size_of::<u32>()
            + self.slots.capacity() * size_of::<u64>()
    }

    /// Drops spare capacity once loading is done.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// 32 bits of a keyed SipHash of `s` (truncation intended).
    fn hash(&self, s: &str) -> u32 {
        self.hasher.hash_one(s) as u32
    }

    /// Walks `s`'s probe chain: `Ok(id)` if found, else `Err` with the free
    /// slot that ends the chain (`None` when the table is not allocated yet).
    fn probe(&self, s: &str, hash: u32) -> Result<u32, Option<usize>> {
        if self.slots.is_empty() {
            return Err(None);
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Err(Some(i));
            }
            // Low half: the id; high half: its hash.
            let id = slot as u32;
            if (slot >> 32) as u32 == hash && self.resolve(id) == Some(s) {
                return Ok(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// First free slot on the probe chain of `hash`. There always is one:
    /// load <= 1/2.
    fn free_slot(&self, hash: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        i
    }

    /// Doubles the table and re-inserts every slot from its stored hash.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        for slot in old.into_iter().filter(|&v| v != 0) {
            let i = self.free_slot((slot >> 32) as u32);
            self.slots[i] = slot;
        }
    }
}

/// Case-insensitive equality: ASCII fast path, else full Unicode lowercasing
/// (so `Ségou` matches `SÉGOU`).
fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_dense() {
        let mut i = Interner::new();
        assert_eq!(i.intern(""), Some(0));
        assert_eq!(i.intern("Kayes"), Some(1));
        assert_eq!(i.intern("Nioro du Sahel"), Some(2));
        assert_eq!(i.intern("Kayes"), Some(1));
        assert_eq!(i.len(), 2);
        assert_eq!(i.resolve(0), Some(""));
        assert_eq!(i.resolve(2), Some("Nioro du Sahel"));
        assert_eq!(i.resolve(3), None);
        assert_eq!(i.get("kayes"), None);
        assert_eq!(i.get_ignore_case("kAYES"), Some(1));
        assert_eq!(i.get_ignore_case(""), Some(0));
        assert_eq!(i.get_ignore_case("Gao"), None);
    }

    #[test]
    fn many_strings_survive_growth() {
        let mut i = Interner::new();
        for n in 0..10_000 {
            assert_eq!(i.intern(&format!("MLI{n}")), Some(n + 1));
        }
        for n in 0..10_000 {
            assert_eq!(i.get(&format!("MLI{n}")), Some(n + 1));
            assert_eq!(i.resolve(n + 1), Some(format!("MLI{n}").as_str()));
        }
        assert_eq!(i.iter().count(), 10_000);
    }

    #[test]
    fn unicode_case_folding() {
        let mut i = Interner::new();
        let a = i.intern("Ségou");
        let b = i.intern("SÉGOU");
        assert_eq!(i.get_ignore_case("ségou"), a);
        assert_eq!(i.get_ignore_case("SÉGOU"), b);
        assert_eq!(i.all_ignore_case("SEGOU"), Vec::<u32>::new());
        assert_eq!(i.all_ignore_case("sÉgou").len(), 2);
    }
}
