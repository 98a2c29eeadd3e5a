//! The baseline a team would otherwise build: PostgreSQL full-text search (italian
//! configuration, GIN index, `ts_rank`) with the same facet counts as riusa's search. Used only
//! by the benchmark (`bench/run.sh`, which creates the `tsv` column with `bench/pg_fts.sql`).

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Backend, Store, StoreError};

const SEARCH: &str = r#"
WITH q AS (SELECT websearch_to_tsquery('italian', $1) AS query),
matches AS (
    SELECT p.id, p.slug, p.title, p.summary, ts_rank(p.tsv, q.query) AS rank
    FROM practice p, q
    WHERE p.status = 'published' AND p.tsv @@ q.query
)
SELECT json_build_object(
    'total', (SELECT count(*) FROM matches),
    'items', (SELECT coalesce(json_agg(t), '[]') FROM (
        SELECT m.slug, m.title, ts_headline('italian', m.summary, q.query) AS snippet, m.rank
        FROM matches m, q ORDER BY m.rank DESC, m.slug LIMIT 20) t),
    'facets', json_build_object(
        'theme', (SELECT coalesce(json_agg(f), '[]') FROM (
            SELECT th.slug AS value, count(*) AS count
            FROM matches m JOIN practice_theme pt ON pt.practice_id = m.id JOIN theme th ON th.id = pt.theme_id
            GROUP BY th.slug ORDER BY count(*) DESC) f),
        'region', (SELECT coalesce(json_agg(f), '[]') FROM (
            SELECT mu.region_name AS value, count(DISTINCT m.id) AS count
            FROM matches m JOIN practice_owner po ON po.practice_id = m.id
            JOIN organization o ON o.id = po.organization_id JOIN municipality mu ON mu.istat_code = o.istat_code
            GROUP BY mu.region_name ORDER BY 2 DESC) f),
        'org_type', (SELECT coalesce(json_agg(f), '[]') FROM (
            SELECT o.category_name AS value, count(DISTINCT m.id) AS count
            FROM matches m JOIN practice_owner po ON po.practice_id = m.id JOIN organization o ON o.id = po.organization_id
            GROUP BY o.category_name ORDER BY 2 DESC) f),
        'period', (SELECT coalesce(json_agg(f), '[]') FROM (
            SELECT extract(year FROM p.period_start)::int AS value, count(*) AS count
            FROM matches m JOIN practice p ON p.id = m.id WHERE p.period_start IS NOT NULL
            GROUP BY 1 ORDER BY 1 DESC) f)
    )
)::text AS result
"#;

/// The search as JSON text; `NotFound` on SQLite, where there is nothing to compare with.
pub async fn postgres_full_text(store: &Store, query: &str) -> Result<String, StoreError> {
    if store.backend() != Backend::Postgres {
        return Err(StoreError::NotFound);
    }
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, SEARCH, [query.into()]);
    let row = store
        .connection()
        .query_one_raw(statement)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.try_get::<String>("", "result")?)
}
