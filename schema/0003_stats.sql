-- motcua schema 0003: statistics kept current in the same transaction as
-- every transition, so reports over millions of dossiers sum a few hundred
-- rows instead of scanning dossiers.
--
-- A dossier's figures belong to its lead agency (the agency of the first
-- step of its chain): the one that resolves it and is scored for it.

ALTER TABLE dossier ADD COLUMN lead_agency_id INTEGER REFERENCES agency(id);
CREATE INDEX dossier_lead ON dossier(lead_agency_id, received_at);
-- How a dossier left without a result: refused (after appraisal, or an
-- online submission not accepted) or withdrawn at the citizen's request.
ALTER TABLE dossier ADD COLUMN close_reason TEXT CHECK (close_reason = 'refused' OR close_reason = 'withdrawn' OR close_reason = 'not_accepted');
-- The local day (day number) its current overdue interval started, while
-- it is open, running and past due; NULL otherwise. With dossier_ovd below
-- this lets a report's "overdue at the end of day T" be listed exactly.
ALTER TABLE dossier ADD COLUMN ovd_from INTEGER;

-- Closed overdue intervals [from_day, to_day): the dossier was overdue at
-- the end of each day from from_day up to the day before to_day.
CREATE TABLE dossier_ovd (
	dossier_id INTEGER NOT NULL REFERENCES dossier(id),
	from_day INTEGER NOT NULL,
	to_day INTEGER NOT NULL CHECK (to_day > from_day),
	PRIMARY KEY (dossier_id, from_day)
) STRICT, WITHOUT ROWID;
CREATE INDEX dossier_ovd_days ON dossier_ovd(from_day, to_day);

-- Open dossiers whose clock runs, by holder and due time: the overdue and
-- due-soon lists read this index in order and stop after one page. (One
-- partial index only: SQLite 3.40 makes every UPDATE of state or due_at
-- ~20x slower when two partial indexes share this WHERE clause.)
-- (The state test is spelled with OR, not IN: see 0001. Queries that want
-- this index repeat it word for word.)
CREATE INDEX dossier_running ON dossier(current_agency_id, due_at)
	WHERE (state = 2 OR state = 4 OR state = 7) AND paused_at IS NULL AND due_at IS NOT NULL;

-- How many dossiers are in each state now (for /metrics), kept current
-- with the stat table.
CREATE TABLE state_count (
	state INTEGER PRIMARY KEY CHECK (state BETWEEN 1 AND 10),
	n INTEGER NOT NULL
) STRICT;

-- Counters per period bucket. kind: 0 = per lead agency and procedure,
-- 1 = per agency (procedure_id 0), 2 = per procedure (agency_id 0).
-- grain: 0 = day (bucket YYYYMMDD), 1 = month (YYYYMM), 2 = year (YYYY);
-- every change is added to its day, month and year. channel: 0 direct,
-- 1 online, 2 postal. Days are local dates of the change.
--
-- Overdue at the end of a day T (still open, clock running, due on or
-- before T) = sum of ovd_in minus sum of ovd_out over all days up to T: a
-- dossier enters on its due day and leaves on the day it is resolved,
-- stopped or paused (a change that moves the due time leaves and
-- re-enters). Step columns count each agency's own steps (indicator 2).
CREATE TABLE stat (
	kind INTEGER NOT NULL,
	agency_id INTEGER NOT NULL,
	procedure_id INTEGER NOT NULL,
	grain INTEGER NOT NULL,
	bucket INTEGER NOT NULL,
	channel INTEGER NOT NULL,
	received INTEGER NOT NULL DEFAULT 0,		-- accepted (clock started)
	resolved_early INTEGER NOT NULL DEFAULT 0,
	resolved_on_time INTEGER NOT NULL DEFAULT 0,
	resolved_late INTEGER NOT NULL DEFAULT 0,
	stopped INTEGER NOT NULL DEFAULT 0,		-- refused after appraisal
	withdrawn INTEGER NOT NULL DEFAULT 0,		-- stopped at the citizen's request
	ovd_in INTEGER NOT NULL DEFAULT 0,
	ovd_out INTEGER NOT NULL DEFAULT 0,
	work_seconds INTEGER NOT NULL DEFAULT 0,	-- working time of resolved dossiers
	extended INTEGER NOT NULL DEFAULT 0,		-- apologies with a new appointment
	returned INTEGER NOT NULL DEFAULT 0,
	fee_dossiers INTEGER NOT NULL DEFAULT 0,	-- received, of procedures with a fee
	paid_online INTEGER NOT NULL DEFAULT 0,
	digitised INTEGER NOT NULL DEFAULT 0,		-- received with attachments
	supplemented INTEGER NOT NULL DEFAULT 0,	-- supplement requests
	step_early INTEGER NOT NULL DEFAULT 0,
	step_on_time INTEGER NOT NULL DEFAULT 0,
	step_late INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (kind, agency_id, procedure_id, grain, bucket, channel)
) STRICT, WITHOUT ROWID;
