-- motcua schema 0007: "my dossiers", the ones assigned to a person now.
--
-- The worklist's "mine" view read every dossier to find a person's few.
-- Partial, so the dossiers nobody holds (nearly all, once finished) stay
-- out of it and cost nothing to keep.
CREATE INDEX dossier_assignee ON dossier(assignee_id) WHERE assignee_id IS NOT NULL;
