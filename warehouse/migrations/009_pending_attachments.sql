-- A report page whose attachment (the report itself, as PDF/DOCX) could not be fetched for a
-- passing reason (timeout, reset, 5xx, 429, budget) is not loaded from its cover note: it
-- waits here and its page is fetched again each run (it is not "known") until the file
-- arrives, or until it has been tried GOVREPORTS_ATTACHMENT_TRIES times, when the report is
-- loaded from what there is, with a warning.
CREATE TABLE pending_attachments (
    page_url VARCHAR, attachment_url VARCHAR, source_id VARCHAR, tries BIGINT,
    reason VARCHAR, run_id VARCHAR, loaded_at TIMESTAMP
);
