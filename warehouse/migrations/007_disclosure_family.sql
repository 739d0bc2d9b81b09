-- The second family: 政府信息公开工作年度报告 and the cells of its three template tables.
--
-- reports.family: rule_of_law (法治政府建设年度报告) | disclosure_annual; a disclosure report's
-- key ends in ':disclosure' (a government publishes both families for the same year).
-- reports.disclosure_template: the template format its tables follow (2021 | 2019), or
-- 'older' (a report from before the 2019 format: text and mentions only).
ALTER TABLE reports ADD COLUMN family VARCHAR;
ALTER TABLE reports ADD COLUMN disclosure_template VARCHAR;
UPDATE reports SET family = 'rule_of_law' WHERE family IS NULL;
-- the families a registry entry's column is crawled for (comma-separated)
ALTER TABLE sources ADD COLUMN families VARCHAR;
UPDATE sources SET families = 'rule_of_law' WHERE families IS NULL;

-- Long form: one row per report revision × template table × row × column. Labels are the
-- template's own (govreports/data/disclosure_template.yaml). value is NULL when the page's
-- digits ran together and more than one split satisfies every identity (status
-- 'ambiguous', note says why); status 'stated' = a cell of its own, 'split' = recovered from
-- run-together digits (the one split the identities allow). A cell whose identity fails
-- (a stated total that disagrees with its parts) is not here: it is in quarantine, with the
-- value as printed and the identity that failed.
CREATE TABLE disclosure_cells (
    report_key VARCHAR, revision BIGINT, table_name VARCHAR, row_label VARCHAR,
    column_label VARCHAR, group_label VARCHAR, group_size BIGINT, value DOUBLE,
    status VARCHAR, note VARCHAR, template VARCHAR, extractor_version VARCHAR,
    run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);

-- The cells of each report's current revision, with the report's who/when.
CREATE OR REPLACE VIEW disclosure_panel AS
SELECT r.report_key, r.issuer, r.admin_code, r.province, r.prefecture, r.county, r.level,
       r.is_department, r.report_year, r.publish_date, r.primary_url AS url,
       c.table_name, c.row_label, c.column_label, c.group_label, c.group_size, c.value,
       c.status, c.note,
       c.template, r.revision
FROM reports_current r
JOIN disclosure_cells c ON c.report_key = r.report_key AND c.revision = r.revision
WHERE r.family = 'disclosure_annual';

-- 三、收到和处理政府信息公开申请情况, one row per report × requester column (自然人, the five
-- 法人或其他组织 columns, 总计). A group (不予公开, 无法提供, 不予处理, 其他处理) is summed only
-- when every one of its reasons is known; NULL otherwise, never a partial sum.
CREATE OR REPLACE VIEW disclosure_applications AS
SELECT report_key, any_value(issuer) AS issuer, any_value(admin_code) AS admin_code,
       any_value(province) AS province, any_value(prefecture) AS prefecture,
       any_value(county) AS county, any_value(level) AS level,
       any_value(is_department) AS is_department, report_year,
       column_label AS requester,
       max(value) FILTER (WHERE row_label = '本年新收政府信息公开申请数量') AS received,
       max(value) FILTER (WHERE row_label = '上年结转政府信息公开申请数量') AS carried_in,
       max(value) FILTER (WHERE row_label = '予以公开') AS disclosed,
       max(value) FILTER (WHERE row_label = '部分公开') AS partly_disclosed,
       CASE WHEN count(value) FILTER (WHERE group_label = '不予公开')
                 = max(group_size) FILTER (WHERE group_label = '不予公开')
            THEN sum(value) FILTER (WHERE group_label = '不予公开') END AS withheld,
       CASE WHEN count(value) FILTER (WHERE group_label = '无法提供')
                 = max(group_size) FILTER (WHERE group_label = '无法提供')
            THEN sum(value) FILTER (WHERE group_label = '无法提供') END AS unavailable,
       CASE WHEN count(value) FILTER (WHERE group_label = '不予处理')
                 = max(group_size) FILTER (WHERE group_label = '不予处理')
            THEN sum(value) FILTER (WHERE group_label = '不予处理') END AS not_processed,
       CASE WHEN count(value) FILTER (WHERE group_label = '其他处理')
                 = max(group_size) FILTER (WHERE group_label = '其他处理')
            THEN sum(value) FILTER (WHERE group_label = '其他处理') END AS other_handling,
       max(value) FILTER (WHERE row_label = '总计') AS total,
       max(value) FILTER (WHERE row_label = '结转下年度继续办理') AS carried_out,
       any_value(template) AS template, any_value(url) AS url
FROM disclosure_panel
WHERE table_name = 'applications'
GROUP BY report_key, report_year, column_label;

-- 四、政府信息公开行政复议、行政诉讼情况: one row per report × case type.
CREATE OR REPLACE VIEW disclosure_reviews AS
SELECT report_key, any_value(issuer) AS issuer, any_value(admin_code) AS admin_code,
       any_value(province) AS province, report_year, row_label AS case_type,
       max(value) FILTER (WHERE column_label = '结果维持') AS upheld,
       max(value) FILTER (WHERE column_label = '结果纠正') AS corrected,
       max(value) FILTER (WHERE column_label = '其他结果') AS other_result,
       max(value) FILTER (WHERE column_label = '尚未审结') AS pending,
       max(value) FILTER (WHERE column_label = '总计') AS total,
       any_value(url) AS url
FROM disclosure_panel
WHERE table_name = 'review_litigation'
GROUP BY report_key, report_year, row_label;

-- 二、主动公开政府信息情况 of the 2021 format: one row per report × item (规章, 行政规范性文件,
-- 行政许可, 行政处罚, 行政强制, 行政事业性收费). The 2019 format counts other things (本年新制作
-- 数量, 上一年项目数量…): its cells are in disclosure_panel, not here.
CREATE OR REPLACE VIEW disclosure_proactive AS
SELECT report_key, any_value(issuer) AS issuer, any_value(admin_code) AS admin_code,
       any_value(province) AS province, report_year, row_label AS item,
       max(value) FILTER (WHERE column_label = '本年制发件数') AS issued,
       max(value) FILTER (WHERE column_label = '本年废止件数') AS repealed,
       max(value) FILTER (WHERE column_label = '现行有效件数') AS in_force,
       max(value) FILTER (WHERE column_label = '本年处理决定数量') AS decisions,
       max(value) FILTER (WHERE column_label = '本年收费金额（万元）') AS fees_10k_yuan,
       any_value(url) AS url
FROM disclosure_panel
WHERE table_name = 'proactive' AND template = '2021'
GROUP BY report_key, report_year, row_label;

-- Coverage: every source × each family its registry entry lists × every report year a
-- report of that family in the warehouse covers. Deadlines: 法治政府建设年度报告, before 1 April of the next year (法治政府建设与
-- 责任落实督察工作规定 art. 25; last on-time day 31 March); 政府信息公开工作年度报告 (条例
-- art. 49–50), departments by 31 January, governments (county level and above) by 31 March.
-- due is the last on-time day, deadline the first late one (kept from the first version:
-- on_time = publish_date < deadline).
CREATE OR REPLACE VIEW report_coverage AS
WITH years AS (  -- the years any report of the family covers
    SELECT DISTINCT coalesce(family, 'rule_of_law') AS family, report_year FROM reports
    WHERE report_year IS NOT NULL
),
fams AS (
    SELECT s.source_id, s.issuer, s.admin_code, s.level,
           trim(unnest(string_split(coalesce(s.families, 'rule_of_law'), ','))) AS family
    FROM sources s
),
published AS (
    SELECT d.source_id, coalesce(r.family, 'rule_of_law') AS family, r.report_year,
           min(r.publish_date) AS publish_date,
           string_agg(DISTINCT r.report_key, ',') AS report_keys,
           min(d.url) AS url
    FROM report_documents d
    JOIN reports_current r ON r.report_key = d.report_key
    GROUP BY ALL
),
cells AS (
    SELECT f.source_id, f.issuer, f.admin_code, f.family, y.report_year,
           CASE WHEN f.family = 'disclosure_annual' AND f.level = 'department'
                THEN make_date(CAST(y.report_year + 1 AS INTEGER), 1, 31)
                ELSE make_date(CAST(y.report_year + 1 AS INTEGER), 3, 31) END AS due,
           p.publish_date, p.report_keys, p.url, p.source_id IS NOT NULL AS published
    FROM fams f
    JOIN years y ON y.family = f.family
    LEFT JOIN published p ON p.source_id = f.source_id AND p.family = f.family
                         AND p.report_year = y.report_year
)
SELECT
    source_id, issuer, admin_code, report_year, published, publish_date,
    CAST(due + INTERVAL 1 DAY AS DATE) AS deadline,
    CASE WHEN publish_date IS NULL THEN NULL ELSE publish_date <= due END AS on_time,
    CASE WHEN publish_date IS NULL THEN NULL
         ELSE greatest(0, date_diff('day', due, publish_date)) END AS days_late,
    report_keys, url, family, due
FROM cells;
