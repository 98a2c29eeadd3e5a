-- PostgreSQL full-text search baseline for bench/run.sh: the search a team would otherwise
-- build on PostgreSQL (italian configuration, weighted tsvector, GIN index, ts_rank).
--
-- bench/run.sh applies this file (psql, timed) to the benchmark database right after
-- `riusa import practices`, before the server starts; GET /_bench/pg-search queries the
-- column `practice.tsv` it creates. It is idempotent, so a route that runs the same
-- statements at first use finds them done. Works whether `sections` is text, json or jsonb:
-- jsonb_to_tsvector indexes the Markdown of every section (the string values), not the keys.
ALTER TABLE practice ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('italian', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('italian', coalesce(summary, '')), 'B') ||
    setweight(jsonb_to_tsvector('italian', coalesce(sections::jsonb, '{}'::jsonb), '["string"]'), 'C')
) STORED;

CREATE INDEX IF NOT EXISTS practice_tsv_gin ON practice USING gin (tsv);

ANALYZE practice;

-- The query the route is expected to run (page of 20, same visibility rule as riusa's search):
--   SELECT slug, title, summary, ts_rank(tsv, q) AS rank
--     FROM practice, websearch_to_tsquery('italian', $1) AS q
--    WHERE status = 'published' AND tsv @@ q
--    ORDER BY rank DESC, slug
--    LIMIT 20;
-- plus the total and one GROUP BY count per facet (themes, owners, ...) over the same
-- `status = 'published' AND tsv @@ q` set, joined to the facet's link table.
