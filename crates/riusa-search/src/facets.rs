//! Facet counts by intersecting bit sets. Per facet value, the documents of each segment that
//! carry it are kept as bits (built once per segment, which never changes); a search collects the
//! documents it matches as bits too, and a value's count is one AND and popcount over them.
//! Reading every matching document's facet values instead took a third of the time of a
//! search nobody had asked before (perf, 100,000 practices): a generic word matches tens of
//! thousands of practices, while there are only a few dozen facet values.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::SearchError;
use crate::query::FacetKind;

/// A set of document ids of one segment.
#[derive(Debug, Clone)]
pub(crate) struct DocBits(Vec<u64>);

impl DocBits {
    fn with_max_doc(max_doc: DocId) -> DocBits {
        DocBits(vec![0; (max_doc as usize).div_ceil(64)])
    }

    fn insert(&mut self, doc: DocId) {
        if let Some(word) = self.0.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }

    fn len(&self) -> u64 {
        self.0.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    fn common(&self, other: &DocBits) -> u64 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }
}

/// The documents a search matched, per segment ordinal: counted without scoring.
pub(crate) struct Matched(Vec<(SegmentOrdinal, DocBits)>);

impl Matched {
    pub(crate) fn total(&self) -> usize {
        let total: u64 = self.0.iter().map(|(_, bits)| bits.len()).sum();
        usize::try_from(total).unwrap_or(usize::MAX)
    }
}

/// Collects the matching documents of each segment as bits.
pub(crate) struct MatchedCollector;

pub(crate) struct MatchedSegment {
    segment: SegmentOrdinal,
    bits: DocBits,
}

impl Collector for MatchedCollector {
    type Fruit = Matched;
    type Child = MatchedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MatchedSegment> {
        Ok(MatchedSegment {
            segment,
            bits: DocBits::with_max_doc(reader.max_doc()),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(SegmentOrdinal, DocBits)>>,
    ) -> tantivy::Result<Matched> {
        Ok(Matched(fruits.into_iter().flatten().collect()))
    }
}

impl SegmentCollector for MatchedSegment {
    type Fruit = Vec<(SegmentOrdinal, DocBits)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.bits.insert(doc);
    }

    fn harvest(self) -> Self::Fruit {
        vec![(self.segment, self.bits)]
    }
}

/// Per facet kind, each value with the documents of one segment that carry it.
type SegmentFacetBits = BTreeMap<FacetKind, Vec<(String, DocBits)>>;

/// The facet bits of each segment, by segment id: segments never change (a deletion only
/// hides documents, and deleted documents are never matched), so a new index generation
/// computes only its new segments, not the whole catalog again.
#[derive(Default)]
pub(crate) struct FacetBitsCache(Mutex<HashMap<SegmentId, Arc<SegmentFacetBits>>>);

impl FacetBitsCache {
    /// The bits of the searcher's segments, by segment ordinal.
    fn for_searcher(&self, searcher: &Searcher) -> Result<Vec<Arc<SegmentFacetBits>>, SearchError> {
        let mut cached = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let bits = match cached.get(&segment.segment_id()) {
                Some(bits) => Arc::clone(bits),
                None => {
                    let bits = Arc::new(segment_facet_bits(segment)?);
                    cached.insert(segment.segment_id(), Arc::clone(&bits));
                    bits
                }
            };
            segments.push(bits);
        }
        // Segments merged away are gone from every newer searcher.
        let current: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        cached.retain(|id, _| current.contains(id));
        Ok(segments)
    }

    /// The count of every value of each kind among the matched documents, values without any
    /// left out; the order is the values' (callers sort).
    pub(crate) fn counts(
        &self,
        searcher: &Searcher,
        matched: &Matched,
        kinds: &[FacetKind],
    ) -> Result<BTreeMap<FacetKind, Vec<(String, u64)>>, SearchError> {
        let bits = self.for_searcher(searcher)?;
        let mut counts: BTreeMap<FacetKind, BTreeMap<String, u64>> = BTreeMap::new();
        for (segment, docs) in &matched.0 {
            let Some(values) = bits.get(*segment as usize) else {
                continue;
            };
            for kind in kinds {
                let per_value = counts.entry(*kind).or_default();
                for (value, carriers) in values.get(kind).into_iter().flatten() {
                    let common = docs.common(carriers);
                    if common > 0 {
                        *per_value.entry(value.clone()).or_default() += common;
                    }
                }
            }
        }
        Ok(kinds
            .iter()
            .map(|kind| {
                let values = counts.remove(kind).unwrap_or_default();
                (*kind, values.into_iter().collect())
            })
            .collect())
    }
}

fn segment_facet_bits(segment: &SegmentReader) -> Result<SegmentFacetBits, SearchError> {
    let mut kinds = BTreeMap::new();
    for kind in FacetKind::ALL {
        let reader = segment.facet_reader(kind.param())?;
        let mut carriers = vec![DocBits::with_max_doc(segment.max_doc()); reader.num_facets()];
        for doc in 0..segment.max_doc() {
            for ord in reader.facet_ords(doc) {
                if let Some(bits) = usize::try_from(ord).ok().and_then(|o| carriers.get_mut(o)) {
                    bits.insert(doc);
                }
            }
        }
        let mut values = Vec::with_capacity(carriers.len());
        let mut facet = Facet::root();
        for (ord, bits) in carriers.into_iter().enumerate() {
            reader.facet_from_ord(ord as u64, &mut facet)?;
            // Only the first level: the index writes one-level facets (`document::facet`).
            if let Some(value) = facet.to_path().first() {
                values.push(((*value).to_owned(), bits));
            }
        }
        kinds.insert(kind, values);
    }
    Ok(kinds)
}
