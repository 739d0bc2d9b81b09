-- Views for analysts (documented in docs/warehouse.md).
CREATE OR REPLACE VIEW reports_current AS
SELECT * FROM reports
QUALIFY revision = max(revision) OVER (PARTITION BY report_key);

-- One value per (report, indicator) cell. Rule, in order: a level value (not_a_level false)
-- before a change/target/rank; whole scope (scope NULL) before a subset, a subset before a
-- part; then the largest value; then the earliest offset (a deterministic tie-break).
CREATE OR REPLACE VIEW indicator_panel AS
SELECT
    r.report_key, r.admin_code, r.province, r.prefecture, r.county, r.issuer,
    r.report_year, m.indicator, i.name_zh AS indicator_name, m.value, m.unit, m.raw_unit,
    m.approx IS NOT NULL AS approx, m.approx AS approx_kind, m.not_a_level, m.scope,
    m.text AS evidence_text, m.sentence AS evidence_sentence, m.char_offset AS evidence_offset,
    r.primary_url AS url, r.revision, m.extractor_version,
    count(*) OVER (PARTITION BY r.report_key, m.indicator) AS candidates
FROM reports_current r
JOIN mentions m ON m.report_key = r.report_key AND m.revision = r.revision
LEFT JOIN indicators i ON i.indicator_id = m.indicator
WHERE m.indicator IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY r.report_key, m.indicator
    ORDER BY m.not_a_level ASC,
             CASE WHEN m.scope IS NULL THEN 0 WHEN m.scope = 'subset' THEN 1 ELSE 2 END,
             m.value DESC, m.char_offset ASC, m.ordinal ASC
) = 1;

-- Source × report year, over the years any report in the warehouse covers. The deadline
-- is the one in 法治政府建设与责任落实督察工作规定 art. 25: public before 1 April of the
-- next year, so 31 March is the last on-time day.
CREATE OR REPLACE VIEW report_coverage AS
WITH years AS (
    SELECT DISTINCT report_year FROM reports
),
published AS (
    SELECT d.source_id, r.report_year, min(r.publish_date) AS publish_date,
           string_agg(DISTINCT r.report_key, ',') AS report_keys,
           min(d.url) AS url
    FROM report_documents d
    JOIN reports_current r ON r.report_key = d.report_key
    GROUP BY d.source_id, r.report_year
)
SELECT
    s.source_id, s.issuer, s.admin_code, y.report_year,
    p.source_id IS NOT NULL AS published,
    p.publish_date,
    make_date(CAST(y.report_year + 1 AS INTEGER), 4, 1) AS deadline,
    CASE WHEN p.publish_date IS NULL THEN NULL
         ELSE p.publish_date < make_date(CAST(y.report_year + 1 AS INTEGER), 4, 1) END AS on_time,
    CASE WHEN p.publish_date IS NULL THEN NULL
         ELSE greatest(0, date_diff('day',
              make_date(CAST(y.report_year + 1 AS INTEGER), 3, 31), p.publish_date)) END
         AS days_late,
    p.report_keys, p.url
FROM sources s
CROSS JOIN years y
LEFT JOIN published p ON p.source_id = s.source_id AND p.report_year = y.report_year;
