-- How each mention got its indicator: the winning score (confidence), its lead over the next
-- indicator (margin) and the candidates considered ("id:score:where", JSON), also for a mention
-- left unassigned; and the catalog version (with its cue lexicon) it was read with.
ALTER TABLE mentions ADD COLUMN confidence DOUBLE;
ALTER TABLE mentions ADD COLUMN margin DOUBLE;
ALTER TABLE mentions ADD COLUMN candidates VARCHAR;
ALTER TABLE mentions ADD COLUMN catalog_version VARCHAR;
ALTER TABLE reports ADD COLUMN catalog_version VARCHAR;
