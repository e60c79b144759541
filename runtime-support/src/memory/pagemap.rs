//! Bookkeeping of the mmap area of linear memory, in host pages: which ranges are free and what
//! each used range is. Pure data structure; `super` performs the matching host calls.
//!
//! Invariant: the free ranges and the used regions partition `[lo, hi)` exactly; free ranges are
//! coalesced (no two touch). Used regions may touch (an `mprotect` splits one into several).

use std::collections::BTreeMap;

/// What a used range of pages is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    /// Length in pages.
    pub pages: u32,
    /// Current protection (`PROT_*`).
    pub prot: i32,
    /// Anonymous private memory (can grow in place by mapping more anonymous pages).
    pub anon_private: bool,
}

/// Free ranges and used regions of `[lo, hi)` (page numbers).
pub(crate) struct PageMap {
    lo: u32,
    hi: u32,
    free: BTreeMap<u32, u32>,
    used: BTreeMap<u32, Region>,
}

impl PageMap {
    /// A map of `[lo, hi)`, all free.
    pub(crate) fn new(lo: u32, hi: u32) -> Self {
        let mut free = BTreeMap::new();
        if hi > lo {
            free.insert(lo, hi - lo);
        }
        PageMap {
            lo,
            hi,
            free,
            used: BTreeMap::new(),
        }
    }

    /// First page of the managed range.
    pub(crate) fn lo(&self) -> u32 {
        self.lo
    }

    /// One past the last page of the managed range.
    pub(crate) fn hi(&self) -> u32 {
        self.hi
    }

    /// Whether `[start, start + pages)` lies inside the managed range.
    pub(crate) fn contains(&self, start: u32, pages: u32) -> bool {
        start >= self.lo && (start as u64 + pages as u64) <= self.hi as u64
    }

    /// The lowest free range of at least `pages` pages (first fit, so memory stays compact).
    pub(crate) fn find_free(&self, pages: u32) -> Option<u32> {
        self.free
            .iter()
            .find(|(_, &len)| len >= pages)
            .map(|(&start, _)| start)
    }

    /// Whether every page of `[start, start + pages)` is free.
    pub(crate) fn is_free(&self, start: u32, pages: u32) -> bool {
        if !self.contains(start, pages) {
            return false;
        }
        match self.free.range(..=start).next_back() {
            Some((&s, &len)) => s as u64 + len as u64 >= start as u64 + pages as u64,
            None => false,
        }
    }

    /// Whether every page of `[start, start + pages)` is used.
    pub(crate) fn is_used(&self, start: u32, pages: u32) -> bool {
        if !self.contains(start, pages) {
            return false;
        }
        let end = start + pages;
        // The region covering `start`, then the regions that follow it without a gap.
        let mut cursor = match self.region_at(start) {
            Some((s, r)) => s + r.pages,
            None => return false,
        };
        while cursor < end {
            match self.used.get(&cursor) {
                Some(r) => cursor += r.pages,
                None => return false,
            }
        }
        true
    }

    /// Marks the free range `[start, start + pages)` as used by `region` attributes.
    /// Returns false (changing nothing) if any page is not free.
    pub(crate) fn take(&mut self, start: u32, pages: u32, prot: i32, anon_private: bool) -> bool {
        if pages == 0 || !self.is_free(start, pages) {
            return false;
        }
        let (&s, &len) = self.free.range(..=start).next_back().expect("checked free");
        self.free.remove(&s);
        if start > s {
            self.free.insert(s, start - s);
        }
        let end = start + pages;
        if s + len > end {
            self.free.insert(end, s + len - end);
        }
        self.used.insert(
            start,
            Region {
                pages,
                prot,
                anon_private,
            },
        );
        true
    }

    /// Makes a region boundary at `page` (splitting the used region across it, if any).
    fn split_at(&mut self, page: u32) {
        if let Some((&s, &r)) = self.used.range(..page).next_back() {
            if s + r.pages > page {
                self.used.insert(
                    s,
                    Region {
                        pages: page - s,
                        ..r
                    },
                );
                self.used.insert(
                    page,
                    Region {
                        pages: s + r.pages - page,
                        ..r
                    },
                );
            }
        }
    }

    /// Frees every used page of `[start, start + pages)` (clamped to the managed range).
    pub(crate) fn release(&mut self, start: u32, pages: u32) {
        let start = start.max(self.lo);
        let end = (start as u64 + pages as u64).min(self.hi as u64) as u32;
        if start >= end {
            return;
        }
        self.split_at(start);
        self.split_at(end);
        let inside: Vec<u32> = self.used.range(start..end).map(|(&s, _)| s).collect();
        for s in inside {
            self.used.remove(&s);
        }
        // Coalesce with every free range overlapping or touching [start, end).
        let mut lo = start;
        let mut hi = end;
        let touching: Vec<(u32, u32)> = self
            .free
            .range(..=end)
            .rev()
            .take_while(|(&s, &len)| s + len >= start)
            .map(|(&s, &len)| (s, len))
            .collect();
        for (s, len) in touching {
            self.free.remove(&s);
            lo = lo.min(s);
            hi = hi.max(s + len);
        }
        self.free.insert(lo, hi - lo);
    }

    /// Sets the protection of the used range `[start, start + pages)` (must be [`is_used`]).
    ///
    /// [`is_used`]: PageMap::is_used
    pub(crate) fn set_prot(&mut self, start: u32, pages: u32, prot: i32) {
        let end = start + pages;
        self.split_at(start);
        self.split_at(end);
        for (_, r) in self.used.range_mut(start..end) {
            r.prot = prot;
        }
    }

    /// The region covering `page`, with its start.
    pub(crate) fn region_at(&self, page: u32) -> Option<(u32, Region)> {
        let (&s, &r) = self.used.range(..=page).next_back()?;
        (s + r.pages > page).then_some((s, r))
    }

    /// One past the highest used page (or `lo` if nothing is used).
    #[cfg(test)]
    pub(crate) fn used_end(&self) -> u32 {
        self.used
            .iter()
            .next_back()
            .map_or(self.lo, |(&s, r)| s + r.pages)
    }

    /// Number of free ranges (for tests and diagnostics).
    #[cfg(test)]
    pub(crate) fn free_ranges(&self) -> usize {
        self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RW: i32 = libc::PROT_READ | libc::PROT_WRITE;

    #[test]
    fn first_fit_reuses_holes() {
        let mut map = PageMap::new(16, 1000);
        let a = map.find_free(4).unwrap();
        assert!(map.take(a, 4, RW, true));
        let b = map.find_free(8).unwrap();
        assert!(map.take(b, 8, RW, true));
        let c = map.find_free(2).unwrap();
        assert!(map.take(c, 2, RW, true));
        assert_eq!((a, b, c), (16, 20, 28));
        map.release(b, 8);
        // A smaller request goes into the hole, a larger one above everything.
        assert_eq!(map.find_free(3), Some(20));
        assert_eq!(map.find_free(9), Some(30));
        assert!(map.take(20, 3, RW, true));
        assert_eq!(map.find_free(5), Some(23));
        assert_eq!(map.used_end(), 30);
    }

    #[test]
    fn release_coalesces_and_splits() {
        let mut map = PageMap::new(0, 100);
        assert!(map.take(0, 30, RW, true));
        map.release(10, 5);
        assert!(map.is_free(10, 5));
        assert!(map.is_used(0, 10));
        assert!(map.is_used(15, 15));
        assert!(!map.is_used(5, 10));
        map.release(15, 15);
        assert!(map.is_free(10, 90));
        assert_eq!(map.free_ranges(), 1);
        map.release(0, 100);
        assert_eq!(map.free_ranges(), 1);
        assert!(map.is_free(0, 100));
        assert_eq!(map.used_end(), 0);
    }

    #[test]
    fn fixed_mapping_over_used_pages() {
        let mut map = PageMap::new(0, 64);
        assert!(map.take(0, 10, RW, true));
        assert!(!map.take(5, 10, RW, false));
        map.release(5, 10);
        assert!(map.take(5, 10, libc::PROT_READ, false));
        assert_eq!(map.region_at(7).unwrap().1.prot, libc::PROT_READ);
        assert_eq!(map.region_at(2).unwrap().1.pages, 5);
        assert!(map.is_used(0, 15));
    }

    #[test]
    fn protection_splits_regions() {
        let mut map = PageMap::new(0, 64);
        assert!(map.take(8, 8, RW, true));
        map.set_prot(10, 2, libc::PROT_NONE);
        assert_eq!(
            map.region_at(8).unwrap(),
            (
                8,
                Region {
                    pages: 2,
                    prot: RW,
                    anon_private: true
                }
            )
        );
        assert_eq!(map.region_at(11).unwrap().1.prot, libc::PROT_NONE);
        assert_eq!(
            map.region_at(12).unwrap(),
            (
                12,
                Region {
                    pages: 4,
                    prot: RW,
                    anon_private: true
                }
            )
        );
        assert!(map.is_used(8, 8));
        assert!(!map.is_used(8, 9));
    }

    #[test]
    fn bounds_are_respected() {
        let mut map = PageMap::new(10, 20);
        assert!(!map.take(5, 2, RW, true));
        assert!(!map.take(18, 4, RW, true));
        assert_eq!(map.find_free(11), None);
        assert!(map.take(10, 10, RW, true));
        assert_eq!(map.find_free(1), None);
    }
}
