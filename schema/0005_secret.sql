-- motcua schema 0005: secrets this database keeps for itself, and an index
-- for the history rows that are not about a dossier.
--
-- 'rating': the key of the HMAC that makes the rating link printed on
-- Form 01 (rating.h): a reprint shows the same one-time link without
-- storing the token itself. Random per database, never exported.
CREATE TABLE app_secret (
	name TEXT PRIMARY KEY,
	value BLOB NOT NULL CHECK (length(value) >= 32)
) STRICT, WITHOUT ROWID;
INSERT INTO app_secret (name, value) VALUES ('rating', randomblob(32));

-- History rows about something else than a dossier (feedback items by their
-- PAKN code, calendar days…) looked up by their reference. Partial: the
-- dossier rows, nearly all of them, stay out of it.
CREATE INDEX event_other_ref ON event(dossier_ref, seq) WHERE dossier_id IS NULL;
