-- Core tables. No PRIMARY KEY/UNIQUE constraints: DuckLake does not support them, and one
-- schema serves both targets. Keys are enforced by the loader (MERGE ON the key) and by the
-- Pandera schemas (unique=...); docs/warehouse.md lists the key of every table.
CREATE TABLE runs (
    run_id VARCHAR, kind VARCHAR, params VARCHAR, started_at TIMESTAMP,
    finished_at TIMESTAMP, summary VARCHAR
);
CREATE TABLE sources (
    source_id VARCHAR, name VARCHAR, issuer VARCHAR, admin_code VARCHAR, level VARCHAR,
    province VARCHAR, homepage VARCHAR, cms VARCHAR, lists VARCHAR, encoding VARCHAR,
    verified BOOLEAN, allow_private BOOLEAN, registry_file VARCHAR,
    run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE fetch_log (
    url VARCHAR, source_id VARCHAR, attempt BIGINT, status BIGINT, outcome VARCHAR,
    content_type VARCHAR, final_url VARCHAR, etag VARCHAR, last_modified VARCHAR,
    elapsed_ms DOUBLE, error VARCHAR, fetched_at TIMESTAMP, sha256 VARCHAR, size BIGINT,
    run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE documents (
    sha256 VARCHAR, url VARCHAR, source_id VARCHAR, content_type VARCHAR, size BIGINT,
    status BIGINT, final_url VARCHAR, etag VARCHAR, last_modified VARCHAR,
    fetched_at TIMESTAMP, raw_path VARCHAR,
    run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE reports (
    report_key VARCHAR, revision BIGINT, fingerprint VARCHAR, primary_url VARCHAR,
    source_id VARCHAR, sha256 VARCHAR, title VARCHAR, issuer VARCHAR, admin_code VARCHAR,
    province VARCHAR, prefecture VARCHAR, county VARCHAR, county_type VARCHAR,
    functional_zone BOOLEAN, is_department BOOLEAN, report_year BIGINT, sign_date DATE,
    publish_date DATE, source_agency VARCHAR, script VARCHAR, doc_number VARCHAR,
    index_number VARCHAR, encoding VARCHAR, n_sections BIGINT, n_mentions BIGINT,
    missing_elements VARCHAR, warnings VARCHAR, checks VARCHAR, text VARCHAR,
    extractor_version VARCHAR, run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE sections (
    report_key VARCHAR, revision BIGINT, ordinal BIGINT, parent_ordinal BIGINT, depth BIGINT,
    heading VARCHAR, line BIGINT, role VARCHAR, run_in BOOLEAN, char_offset BIGINT,
    extractor_version VARCHAR, run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE mentions (
    report_key VARCHAR, revision BIGINT, ordinal BIGINT, mention_id VARCHAR, text VARCHAR,
    char_offset BIGINT, value DOUBLE, unit VARCHAR, kind VARCHAR, line BIGINT,
    context VARCHAR, sentence VARCHAR, raw_unit VARCHAR, approx VARCHAR, indicator VARCHAR,
    not_a_level BOOLEAN, scope VARCHAR, part_of VARCHAR, rate_name VARCHAR, subtype VARCHAR,
    section VARCHAR, section_role VARCHAR, url VARCHAR,
    extractor_version VARCHAR, run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE indicators (
    indicator_id VARCHAR, name_zh VARCHAR, category VARCHAR, tier VARCHAR,
    value_type VARCHAR, unit VARCHAR, range_county_lo DOUBLE, range_county_hi DOUBLE,
    catalog_version VARCHAR, run_id VARCHAR, row_hash VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE quarantine (
    run_id VARCHAR, table_name VARCHAR, row_key VARCHAR, check_name VARCHAR,
    column_name VARCHAR, failing_value VARCHAR, row_json VARCHAR, quarantined_at TIMESTAMP
);
