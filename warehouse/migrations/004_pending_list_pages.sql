-- Column walks that broke on a list page (timeout, 5xx, a page that would not parse): the
-- next run resumes from those pages, instead of stopping at a first page that answers 304
-- and never reading what lies behind the page that failed.
CREATE TABLE pending_list_pages (
    source_id VARCHAR, list_url VARCHAR, page_url VARCHAR, run_id VARCHAR, loaded_at TIMESTAMP
);
