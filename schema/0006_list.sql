-- motcua schema 0006: the order of the dossier lists.
--
-- A list page shows the newest dossiers first: by the time the one-stop
-- received them, or, for an online submission not yet accepted, by the
-- time it was submitted. Without an index on that expression every page
-- sorted the whole table (21 pages/s at a few hundred thousand dossiers,
-- seconds at ten million); with it a page walks the index backwards and
-- stops after its rows, so it costs the same at any size.
CREATE INDEX dossier_recent ON dossier(coalesce(received_at, submitted_at));
