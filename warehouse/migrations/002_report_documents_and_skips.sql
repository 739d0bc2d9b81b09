-- One report, several documents (mirror, attachment, provincial copy); skipped/failed URLs
-- recorded with their reason so each run's counts reconcile; a report's administrative
-- level (drives the catalog range scaling) kept with the report.
CREATE TABLE report_documents (
    report_key VARCHAR, url VARCHAR, sha256 VARCHAR, source_id VARCHAR, role VARCHAR,
    run_id VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE skips (
    run_id VARCHAR, url VARCHAR, source_id VARCHAR, kind VARCHAR, reason VARCHAR,
    loaded_at TIMESTAMP
);
ALTER TABLE reports ADD COLUMN level VARCHAR;
