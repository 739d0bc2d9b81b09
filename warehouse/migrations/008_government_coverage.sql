-- Coverage per government (admin_code) and report year, one status each. report_coverage is
-- per registry entry (a site's column); here a report counts once, for the government that
-- issued it, wherever it was found: a province's site carrying a county's report makes the
-- county published (with the province's site among its copies), never the province.
--
-- Governments: every registry entry of a government (not a department) with an admin code,
-- and every government that issued a report in the warehouse. Families: 法治政府建设年度报告
-- always; 政府信息公开工作年度报告 where a registry entry of that government lists the family
-- or such a report of it is in the warehouse. Years: every year a report of the family in
-- the warehouse covers. Due: 31 March of the next year for both families (a government's disclosure report
-- is due then too; departments, due 31 January, are in report_coverage).
CREATE OR REPLACE VIEW government_coverage AS
WITH src AS (
    SELECT admin_code, issuer, province, families,
           CASE level WHEN 'province_gov' THEN 'province' WHEN 'prefecture_gov' THEN 'prefecture'
                      WHEN 'functional_zone' THEN 'zone' ELSE 'county' END AS level
    FROM sources
    WHERE admin_code IS NOT NULL AND level <> 'department'
),
rep AS (
    SELECT * FROM reports_current WHERE NOT is_department AND admin_code IS NOT NULL
),
govs AS (
    SELECT admin_code, min(issuer) AS issuer, min(province) AS province, min(level) AS level
    FROM (SELECT admin_code, issuer, province, level FROM src
          UNION ALL
          SELECT admin_code, issuer, province,
                 CASE WHEN functional_zone THEN 'zone' ELSE level END FROM rep)
    GROUP BY admin_code
),
fams AS (
    SELECT admin_code, 'rule_of_law' AS family FROM govs
    UNION
    SELECT admin_code, 'disclosure_annual' FROM src WHERE families LIKE '%disclosure_annual%'
    UNION
    SELECT admin_code, 'disclosure_annual' FROM rep WHERE family = 'disclosure_annual'
),
years AS (  -- the years any report of the family covers
    SELECT DISTINCT coalesce(family, 'rule_of_law') AS family, report_year FROM reports
    WHERE report_year IS NOT NULL
),
pub AS (
    SELECT r.admin_code, coalesce(r.family, 'rule_of_law') AS family, r.report_year,
           min(r.publish_date) AS publish_date,
           string_agg(DISTINCT r.report_key, ',') AS report_keys,
           min(r.primary_url) AS url,
           count(DISTINCT d.url) AS documents,
           string_agg(DISTINCT d.source_id, ',' ORDER BY d.source_id) AS found_on
    FROM rep r
    LEFT JOIN report_documents d ON d.report_key = r.report_key
    GROUP BY ALL
),
cells AS (
    SELECT g.admin_code, g.issuer, g.province, g.level, f.family, y.report_year,
           make_date(CAST(y.report_year + 1 AS INTEGER), 3, 31) AS due,
           p.publish_date, p.report_keys, p.url, coalesce(p.documents, 0) AS documents,
           p.found_on, p.report_keys IS NOT NULL AS published
    FROM govs g
    JOIN fams f ON f.admin_code = g.admin_code
    JOIN years y ON y.family = f.family
    LEFT JOIN pub p ON p.admin_code = g.admin_code AND p.family = f.family
                   AND p.report_year = y.report_year
)
SELECT
    admin_code, issuer, province, level, family, report_year,
    CASE WHEN NOT published THEN 'missing'
         WHEN publish_date IS NULL THEN 'undated'
         WHEN publish_date <= due THEN 'on_time'
         ELSE 'late' END AS status,
    CASE WHEN publish_date IS NULL THEN NULL
         ELSE greatest(0, date_diff('day', due, publish_date)) END AS days_late,
    published, publish_date, due, documents, found_on, report_keys, url
FROM cells;
