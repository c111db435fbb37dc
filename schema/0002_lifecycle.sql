-- motcua schema 0002: the inter-agency chain of each dossier, the clock
-- bookkeeping of waits and extensions, and the numbering of printed forms.

-- One row per step of the dossier's chain, created when the dossier is
-- received. A step starts when the dossier is handed over to its agency
-- and finishes when it is handed on (or resolved, or stopped).
CREATE TABLE dossier_step (
	dossier_id INTEGER NOT NULL REFERENCES dossier(id),
	seq INTEGER NOT NULL CHECK (seq >= 1),
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	task TEXT NOT NULL DEFAULT '',
	work_hours INTEGER NOT NULL CHECK (work_hours >= 0),	-- allotted working time
	assignee_id INTEGER REFERENCES account(id),
	started_at INTEGER,			-- handed over to this agency
	due_at INTEGER,				-- started + allotted working time
	finished_at INTEGER,			-- handed on, resolved or stopped
	result_class INTEGER CHECK (result_class BETWEEN 1 AND 3),	-- 1 early, 2 on time, 3 late
	PRIMARY KEY (dossier_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX dossier_step_agency ON dossier_step(agency_id, dossier_id);

-- Instants of the waits, kept so either supplement measure can be reported
-- (restart: the limit counts again; pause: the waiting time is excluded).
ALTER TABLE dossier ADD COLUMN supplement_requested_at INTEGER;
ALTER TABLE dossier ADD COLUMN supplement_returned_at INTEGER;
ALTER TABLE dossier ADD COLUMN waited_seconds INTEGER NOT NULL DEFAULT 0;	-- working seconds paused in total
ALTER TABLE dossier ADD COLUMN first_due_at INTEGER;	-- due time set at receipt
ALTER TABLE dossier ADD COLUMN extended_at INTEGER;	-- apology and new appointment (Form 04)
ALTER TABLE dossier ADD COLUMN return_method TEXT CHECK (return_method = 'counter' OR return_method = 'postal' OR return_method = 'online');
ALTER TABLE dossier ADD COLUMN paid_online INTEGER NOT NULL DEFAULT 0;	-- fee paid through the portal
ALTER TABLE dossier ADD COLUMN fee_vnd INTEGER;	-- fee charged, when recorded
ALTER TABLE dossier ADD COLUMN work_seconds INTEGER;	-- working time taken (waits excluded), once resolved
ALTER TABLE dossier ADD COLUMN attachments INTEGER NOT NULL DEFAULT 0;	-- digitised files received

-- Printed forms get a number per form, year and agency when first issued;
-- reprints show the same number.
CREATE TABLE form_issue (
	id INTEGER PRIMARY KEY,
	form TEXT NOT NULL CHECK (length(form) = 2 AND form BETWEEN '01' AND '06'),
	year INTEGER NOT NULL,
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	number INTEGER NOT NULL,
	dossier_id INTEGER REFERENCES dossier(id),	-- NULL for the register
	issued_at INTEGER NOT NULL,
	issued_by TEXT NOT NULL,
	UNIQUE (form, year, agency_id, number)
) STRICT;
CREATE UNIQUE INDEX form_issue_dossier ON form_issue(dossier_id, form) WHERE dossier_id IS NOT NULL;
