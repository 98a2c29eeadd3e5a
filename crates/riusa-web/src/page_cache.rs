//! Rendered practice pages kept in memory. A page depends on the database and the index
//! (its "similar practices"); every change reaches a node through the change feed and reloads
//! its index, so an entry is valid exactly while the index generation it was rendered
//! against is current. A page may thus lag a write by the follower's interval, like search.

use axum::body::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

#[derive(Clone)]
struct Entry {
    generation: u64,
    body: Bytes,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<String, Entry> for ByBytes {
    fn weight(&self, key: &String, entry: &Entry) -> u64 {
        (key.len() + entry.body.len()) as u64
    }
}

pub struct PageCache {
    pages: Cache<String, Entry, ByBytes>,
}

/// A practice page is about 30 KB: estimate the entry count from the byte budget.
const TYPICAL_PAGE_BYTES: u64 = 30_000;

impl PageCache {
    pub fn new(max_bytes: u64) -> PageCache {
        let estimated = (max_bytes / TYPICAL_PAGE_BYTES).max(16) as usize;
        PageCache {
            pages: Cache::with_weighter(estimated, max_bytes.max(1), ByBytes),
        }
    }

    pub fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        self.pages
            .get(key)
            .filter(|e| e.generation == generation)
            .map(|e| e.body)
    }

    pub fn insert(&self, key: String, generation: u64, body: Bytes) {
        self.pages.insert(key, Entry { generation, body });
    }
}
