use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use riusa_store::PracticeView;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, MultiCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};
use uuid::Uuid;

use crate::analysis;
use crate::document::{PracticeCard, facet, to_document};
use crate::error::SearchError;
use crate::facets::{FacetBitsCache, MatchedCollector};
use crate::highlight::Highlighter;
use crate::query::{
    FacetCount, FacetGroup, FacetKind, Hit, MAX_WINDOW, Matching, SearchRequest, SearchResults,
    Sort, compile,
};
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::status::{IndexStatus, Readiness};
use crate::synonyms::Synonyms;

/// Memory for incremental updates: small, since the follower applies a few changes at a time
/// and the server must stay lean.
const FOLLOWER_WRITER_BYTES: usize = 20_000_000;
/// Memory for a full rebuild.
const REBUILD_WRITER_BYTES: usize = 200_000_000;

/// What the index records in each commit: the change-feed position it reflects.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    seq: i64,
    version: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    pub documents: u64,
    pub applied_seq: Option<i64>,
}

/// The catalog's search index (one per node).
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    synonyms: Synonyms,
    matching: Matching,
    status: IndexStatus,
    facet_bits: FacetBitsCache,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or re-creating it when its schema version is
    /// older) as needed; a re-created index reports no applied position, so it gets rebuilt.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        // Random access: no readahead around each page a query touches, so the mapped (and
        // counted in RSS) part of the index stays close to what searches really read.
        let directory = MmapDirectory::open_with_madvice(dir, tantivy::directory::Advice::Random)?;
        let index = if Index::exists(&directory)? {
            let index = Index::open(directory)?;
            if read_payload(&index)?.is_some_and(|p| p.version == SCHEMA_VERSION)
                && index.schema() == schema
            {
                index
            } else {
                tracing::info!("search index has an older schema: re-creating it");
                drop(index);
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::builder()
                    .schema(schema)
                    .settings(schema::settings())
                    .create_in_dir(dir)?
            }
        } else {
            Index::builder()
                .schema(schema)
                .settings(schema::settings())
                .create_in_dir(dir)?
        };
        Self::from_index(index, fields)
    }

    /// An index in memory, for tests and one-off tools.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        Self::from_index(
            Index::builder()
                .schema(schema)
                .settings(schema::settings())
                .create_in_ram()?,
            fields,
        )
    }

    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        analysis::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            synonyms: Synonyms::bundled(),
            matching: Matching::default(),
            status: IndexStatus::default(),
            facet_bits: FacetBitsCache::default(),
        })
    }

    /// Replaces the query-time synonyms (the bundled list by default).
    pub fn with_synonyms(mut self, synonyms: Synonyms) -> SearchIndex {
        self.synonyms = synonyms;
        self
    }

    /// Turns matching layers off (all are on by default), to measure what each adds.
    pub fn with_matching(mut self, matching: Matching) -> SearchIndex {
        self.matching = matching;
        self
    }

    /// The change-feed position of the last commit, `None` for a new index.
    pub fn applied_seq(&self) -> Result<Option<i64>, SearchError> {
        Ok(read_payload(&self.index)?.map(|p| p.seq))
    }

    /// Changes whenever the index reloads, and once when it becomes ready: what was rendered
    /// from an older generation is stale (a practice page rendered before the index was ready
    /// lacks its similar practices).
    pub fn generation(&self) -> u64 {
        let reloads = self.reader.searcher().generation().generation_id();
        (reloads << 1) | u64::from(self.status.is_ready())
    }

    /// Whether searches may be answered yet (see [`IndexStatus`]).
    pub fn status(&self) -> &IndexStatus {
        &self.status
    }

    pub fn stats(&self) -> Result<IndexStats, SearchError> {
        Ok(IndexStats {
            documents: self.reader.searcher().num_docs(),
            applied_seq: self.applied_seq()?,
        })
    }

    fn writer(&self, bytes: usize) -> Result<MutexGuard<'_, Option<IndexWriter>>, SearchError> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| SearchError::Task("index writer poisoned".into()))?;
        if guard.is_none() {
            *guard = Some(self.index.writer(bytes)?);
        }
        Ok(guard)
    }

    /// Replaces the documents of these practices (only published ones are kept) and removes
    /// `removed`, then commits at `seq` and makes the change visible. Returns whether it
    /// committed: when no view is published and no id is in the index (a draft saved, an
    /// unknown id), nothing changes, so the generation and the caches keyed by it stay.
    pub fn apply(
        &self,
        views: &[PracticeView],
        removed: &[Uuid],
        seq: i64,
    ) -> Result<bool, SearchError> {
        let mut guard = self.writer(FOLLOWER_WRITER_BYTES)?;
        let writer = guard
            .as_mut()
            .ok_or_else(|| SearchError::Task("no index writer".into()))?;
        let published: Vec<&PracticeView> = views.iter().filter(|v| v.is_published()).collect();
        let gone: Vec<Term> = removed
            .iter()
            .chain(views.iter().filter(|v| !v.is_published()).map(|v| &v.id))
            .map(|id| Term::from_field_text(self.fields.id, &id.to_string()))
            .collect();
        // The writer lock is held: no commit can come between this look and the writes.
        let searcher = self.reader.searcher();
        let mut present = Vec::with_capacity(gone.len());
        for term in gone {
            let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
            if searcher.search(&query, &Count)? > 0 {
                present.push(term);
            }
        }
        if published.is_empty() && present.is_empty() {
            return Ok(false);
        }
        for term in present {
            writer.delete_term(term);
        }
        for view in published {
            writer.delete_term(Term::from_field_text(self.fields.id, &view.id.to_string()));
            let doc =
                to_document(view, &self.fields).map_err(|e| SearchError::Corrupt(e.to_string()))?;
            writer.add_document(doc)?;
        }
        commit(writer, seq)?;
        drop(guard);
        self.reader.reload()?;
        Ok(true)
    }

    /// Starts a full rebuild: every document goes, the caller adds them all back, then `finish`.
    pub fn rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| SearchError::Task("index writer poisoned".into()))?;
        // A larger arena for the bulk load; the follower's writer is re-created afterwards.
        if let Some(old) = guard.take() {
            old.wait_merging_threads()?;
        }
        self.status.advance(Readiness::Rebuilding);
        let writer = self.index.writer(REBUILD_WRITER_BYTES)?;
        writer.delete_all_documents()?;
        *guard = Some(writer);
        Ok(Rebuild { index: self, guard })
    }

    /// Runs a search (CPU-bound: call it from a blocking task). Hits come without snippets:
    /// the texts live in the database, and [`SearchResults::highlighter`] marks them.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let limit = request.limit.max(1);
        if request.offset.saturating_add(limit) > MAX_WINDOW {
            return Err(SearchError::WindowTooDeep { max: MAX_WINDOW });
        }
        let searcher = self.reader.searcher();
        let text = compile(
            &searcher,
            &self.fields,
            &self.synonyms,
            self.matching,
            &request.text,
        );
        let filters = |except| request.filters.clauses(&self.fields, except);
        let with = |text_query: Option<&Box<dyn Query>>,
                    filters: Vec<Box<dyn Query>>|
         -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                filters.into_iter().map(|f| (Occur::Must, f)).collect();
            clauses.push((
                Occur::Must,
                text_query.map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |q| q.box_clone()),
            ));
            Box::new(BooleanQuery::new(clauses))
        };

        let mut relaxed = false;
        let mut text_query = text.as_ref().map(|t| &t.main);
        let mut main = with(text_query, filters(None));
        let mut page = self.collect(&searcher, main.as_ref(), request, limit)?;
        if page.total == 0
            && let Some(any) = text.as_ref().and_then(|t| t.any.as_ref())
        {
            relaxed = true;
            text_query = Some(any);
            main = with(text_query, filters(None));
            page = self.collect(&searcher, main.as_ref(), request, limit)?;
        }

        let mut facets = Vec::new();
        if request.facets {
            for kind in FacetKind::ALL {
                let selected = request.filters.values(kind);
                // A facet's own alternatives are counted without its own selection, so that
                // choosing "Toscana" still shows how many "Umbria" would add.
                let counts = match page.facet_counts.remove(&kind) {
                    Some(counts) => counts,
                    None => self.count_facet(
                        &searcher,
                        with(text_query, filters(Some(kind))).as_ref(),
                        kind,
                    )?,
                };
                facets.push(facet_group(kind, counts, selected));
            }
        }

        let mut hits = Vec::with_capacity(page.addresses.len());
        for address in page.addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(Hit {
                card: card_of(&doc, &self.fields)?,
                snippet: None,
            });
        }
        Ok(SearchResults {
            total: page.total,
            hits,
            facets,
            relaxed,
            highlighter: text
                .as_ref()
                .map(|t| Highlighter::for_words(&t.stems, &t.roots)),
            suggestion: text.and_then(|t| t.suggestion),
        })
    }

    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        limit: usize,
    ) -> Result<Page, SearchError> {
        let top = TopDocs::with_limit(limit).and_offset(request.offset);
        let unselected: Vec<FacetKind> = if request.facets {
            FacetKind::ALL
                .into_iter()
                .filter(|k| request.filters.values(*k).is_empty())
                .collect()
        } else {
            Vec::new()
        };
        match request.sort {
            Sort::Relevance => {
                self.collect_with(searcher, query, top.order_by_score(), &unselected)
            }
            Sort::Newest => self.collect_with(
                searcher,
                query,
                top.order_by_fast_field::<i64>("newest", Order::Desc),
                &unselected,
            ),
            Sort::Title => self.collect_with(
                searcher,
                query,
                top.order_by_string_fast_field("title_sort", Order::Asc),
                &unselected,
            ),
        }
    }

    fn collect_with<K, C>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        top: C,
        facet_kinds: &[FacetKind],
    ) -> Result<Page, SearchError>
    where
        C: Collector<Fruit = Vec<(K, DocAddress)>> + 'static,
        K: Send + Sync + 'static,
    {
        let mut multi = MultiCollector::new();
        let top_handle = multi.add_collector(top);
        let matched_handle = multi.add_collector(MatchedCollector);
        let mut fruits = searcher.search(query, &multi)?;
        let addresses = top_handle
            .extract(&mut fruits)
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let matched = matched_handle.extract(&mut fruits);
        let facet_counts = self.facet_bits.counts(searcher, &matched, facet_kinds)?;
        Ok(Page {
            addresses,
            total: matched.total(),
            facet_counts,
        })
    }

    fn count_facet(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        kind: FacetKind,
    ) -> Result<Vec<(String, u64)>, SearchError> {
        let matched = searcher.search(query, &MatchedCollector)?;
        let mut counts = self.facet_bits.counts(searcher, &matched, &[kind])?;
        Ok(counts.remove(&kind).unwrap_or_default())
    }

    /// Practices like this one: shared distinctive words ("more like this", computed from the
    /// view in hand rather than read back from the index) and shared themes.
    pub fn similar(
        &self,
        view: &PracticeView,
        limit: usize,
    ) -> Result<Vec<PracticeCard>, SearchError> {
        let searcher = self.reader.searcher();
        let fields = vec![
            (self.fields.title, vec![OwnedValue::Str(view.title.clone())]),
            (
                self.fields.body,
                vec![OwnedValue::Str(crate::document::body_text(view))],
            ),
        ];
        // Words in more than 2% of the catalog say little about similarity, and their long
        // posting lists would be read for every page.
        let more_like_this = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency((searcher.num_docs() / 50).max(2))
            .with_min_term_frequency(2)
            .with_max_query_terms(15)
            .with_min_word_length(4)
            .with_document_fields(fields);
        let id_term = Term::from_field_text(self.fields.id, &view.id.to_string());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Should, Box::new(more_like_this)),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(id_term, IndexRecordOption::Basic)),
            ),
        ];
        for theme in &view.themes {
            let term = Term::from_facet(self.fields.theme, &facet(&theme.slug));
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), 2.0)),
            ));
        }
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        top.into_iter()
            .map(|(_, address)| card_of(&searcher.doc(address)?, &self.fields))
            .collect()
    }

    /// The cards of practices by id, in the order given, skipping unknown ones.
    pub fn cards(&self, ids: &[Uuid]) -> Result<Vec<PracticeCard>, SearchError> {
        let searcher = self.reader.searcher();
        let mut cards = Vec::new();
        let mut seen = HashSet::new();
        for id in ids.iter().filter(|id| seen.insert(**id)) {
            let term = Term::from_field_text(self.fields.id, &id.to_string());
            let found = searcher.search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &TopDocs::with_limit(1).order_by_score(),
            )?;
            if let Some((_, address)) = found.into_iter().next() {
                cards.push(card_of(&searcher.doc(address)?, &self.fields)?);
            }
        }
        Ok(cards)
    }
}

/// A full rebuild in progress (see [`SearchIndex::rebuild`]).
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    guard: MutexGuard<'a, Option<IndexWriter>>,
}

impl Rebuild<'_> {
    pub fn add(&mut self, views: &[PracticeView]) -> Result<(), SearchError> {
        let writer = self
            .guard
            .as_mut()
            .ok_or_else(|| SearchError::Task("no index writer".into()))?;
        for view in views.iter().filter(|v| v.is_published()) {
            let doc = to_document(view, &self.index.fields)
                .map_err(|e| SearchError::Corrupt(e.to_string()))?;
            writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Commits the rebuilt index as of feed position `seq`, read before the walk began: the
    /// index is then as current as the feed was after the node started, so it is ready.
    pub fn finish(mut self, seq: i64) -> Result<(), SearchError> {
        let mut writer = self
            .guard
            .take()
            .ok_or_else(|| SearchError::Task("no index writer".into()))?;
        commit(&mut writer, seq)?;
        writer.wait_merging_threads()?;
        self.index.reader.reload()?;
        self.index.status.set_applied(seq);
        self.index.status.advance(Readiness::Ready);
        Ok(())
    }
}

impl Drop for Rebuild<'_> {
    /// A rebuild dropped unfinished leaves no writer behind: its uncommitted work (every
    /// document deleted) must not be committed by the next update.
    fn drop(&mut self) {
        self.guard.take();
    }
}

struct Page {
    addresses: Vec<DocAddress>,
    total: usize,
    facet_counts: BTreeMap<FacetKind, Vec<(String, u64)>>,
}

fn commit(writer: &mut IndexWriter, seq: i64) -> Result<(), SearchError> {
    let payload = serde_json::to_string(&Payload {
        seq,
        version: SCHEMA_VERSION,
    })
    .map_err(|e| SearchError::Corrupt(e.to_string()))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

fn read_payload(index: &Index) -> Result<Option<Payload>, SearchError> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok()))
}

fn facet_group(kind: FacetKind, mut counts: Vec<(String, u64)>, selected: &[String]) -> FacetGroup {
    // Selected values stay listed even when the other filters leave none of them.
    for value in selected {
        if !counts.iter().any(|(v, _)| v == value) {
            counts.push((value.clone(), 0));
        }
    }
    if kind == FacetKind::Period {
        counts.sort_by(|a, b| b.0.cmp(&a.0));
    } else {
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    FacetGroup {
        kind,
        values: counts
            .into_iter()
            .map(|(value, count)| FacetCount {
                selected: selected.contains(&value),
                value,
                count,
            })
            .collect(),
    }
}

fn card_of(doc: &TantivyDocument, fields: &Fields) -> Result<PracticeCard, SearchError> {
    let json = doc
        .get_first(fields.card)
        .and_then(|v| v.as_str())
        .ok_or_else(|| SearchError::Corrupt("card missing".into()))?;
    serde_json::from_str(json).map_err(|e| SearchError::Corrupt(e.to_string()))
}
