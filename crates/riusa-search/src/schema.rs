use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis::{PLAIN, ROOT, STEM};

/// Bumped whenever fields or analysers change: an index of another version is rebuilt.
pub(crate) const SCHEMA_VERSION: u32 = 4;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub slug: Field,
    pub title: Field,
    pub title_root: Field,
    pub summary: Field,
    pub body: Field,
    pub body_root: Field,
    pub plain: Field,
    pub card: Field,
    pub owner: Field,
    pub theme: Field,
    pub region: Field,
    pub org_type: Field,
    pub period: Field,
    pub support: Field,
    pub newest: Field,
    pub title_sort: Field,
}

/// Stored cards compressed with zstd: smaller than lz4 on Italian text, so that reading them
/// touches fewer pages (memory-mapped pages count in the server's RSS).
pub(crate) fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(
            tantivy::store::ZstdCompressor::default(),
        ),
        ..tantivy::IndexSettings::default()
    }
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let freqs = IndexRecordOption::WithFreqs;
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        slug: builder.add_text_field("slug", STRING | STORED),
        title: builder.add_text_field("title", text(STEM, positions)),
        title_root: builder.add_text_field("title_root", text(ROOT, freqs)),
        summary: builder.add_text_field("summary", text(STEM, freqs)),
        body: builder.add_text_field("body", text(STEM, positions)),
        body_root: builder.add_text_field("body_root", text(ROOT, freqs)),
        plain: builder.add_text_field("plain", text(PLAIN, freqs)),
        card: builder.add_text_field("card", STORED),
        owner: builder.add_text_field("owner", STRING),
        theme: builder.add_facet_field("theme", FacetOptions::default()),
        region: builder.add_facet_field("region", FacetOptions::default()),
        org_type: builder.add_facet_field("org_type", FacetOptions::default()),
        period: builder.add_facet_field("period", FacetOptions::default()),
        support: builder.add_facet_field("support", FacetOptions::default()),
        newest: builder.add_i64_field("newest", INDEXED | FAST),
        title_sort: builder.add_text_field("title_sort", STRING | FAST),
    };
    (builder.build(), fields)
}
