-- Every metadata value keeps the evidence it was read from (or the reason it is null):
-- `evidence` is a JSON object, field -> {value, source, where, start, end, quote, inferred,
-- reason, candidates}. The 成文日期 is kept apart from the 落款 date, and a title constructed
-- for display (the page states none) apart from the title.
ALTER TABLE reports ADD COLUMN written_date DATE;
ALTER TABLE reports ADD COLUMN display_title VARCHAR;
ALTER TABLE reports ADD COLUMN evidence VARCHAR;
-- Why the page is a report: its title, and its body where the title left that open.
ALTER TABLE reports ADD COLUMN classification VARCHAR;

-- One row per report and metadata field: its value, where it came from and the span.
-- origin: page (the page states it), registry (the registry entry the crawler came from),
-- none (null, with the reason).
CREATE OR REPLACE VIEW report_fields AS
WITH f AS (
    SELECT report_key, revision, source_id, primary_url, evidence,
           unnest(json_keys(evidence)) AS field
    FROM reports_current
    WHERE evidence IS NOT NULL AND evidence LIKE '{%'
),
e AS (
    SELECT *, json_extract(evidence, '$.' || field) AS ev FROM f
)
SELECT
    report_key, revision, source_id, primary_url, field,
    ev->>'$.value' AS value,
    CASE WHEN ev->>'$.source' IS NULL THEN 'none'
         WHEN ev->>'$.source' = 'registry' THEN 'registry'
         ELSE 'page' END AS origin,
    ev->>'$.source' AS source,
    coalesce(CAST(ev->>'$.inferred' AS BOOLEAN), false) AS inferred,
    ev->>'$.where' AS location,
    CAST(ev->>'$.start' AS BIGINT) AS span_start,
    CAST(ev->>'$.end' AS BIGINT) AS span_end,
    ev->>'$.quote' AS quote,
    ev->>'$.reason' AS null_reason,
    ev->'$.candidates' AS candidates
FROM e;

-- Per report: which fields the page states, which came from the registry, which are null.
CREATE OR REPLACE VIEW report_field_origins AS
SELECT
    report_key, revision, source_id, primary_url,
    string_agg(field, ', ' ORDER BY field) FILTER (WHERE origin = 'page') AS from_page,
    string_agg(field, ', ' ORDER BY field) FILTER (WHERE origin = 'page' AND inferred)
        AS inferred_from_page,
    string_agg(field, ', ' ORDER BY field) FILTER (WHERE origin = 'registry') AS from_registry,
    string_agg(field, ', ' ORDER BY field) FILTER (WHERE origin = 'none') AS not_stated
FROM report_fields
GROUP BY ALL;
