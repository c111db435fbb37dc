-- motcua schema 0001: catalog, calendar, accounts, dossiers and their history.
--
-- Conventions: instants are INTEGER seconds since the Unix epoch (UTC);
-- local dates are TEXT 'YYYY-MM-DD' in the office's time zone; dossier
-- states are the national portal (DVCQG) codes 1–10. Tables are STRICT.
-- On tables written per dossier, value checks use = … OR = … or BETWEEN,
-- never IN (…) with three or more values: SQLite builds a temporary
-- b-tree for such a list each time a statement runs, which made every
-- dossier insert and update about a third slower.

-- Agencies (cơ quan), identified by their QCVN 102:2016 electronic code.
CREATE TABLE agency (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,		-- e.g. 000.17.22.H56
	name TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('province', 'department', 'district', 'commune')),
	parent_id INTEGER REFERENCES agency(id),
	valid_from TEXT,			-- first day it exists, NULL = always
	valid_to TEXT,				-- last day it exists, NULL = still does
	code_status TEXT NOT NULL DEFAULT '',	-- provenance of the code (observed, constructed…)
	note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX agency_parent ON agency(parent_id);

-- Fields (lĩnh vực) procedures belong to.
CREATE TABLE field (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
) STRICT;

-- Administrative procedures (thủ tục hành chính) with their legal limits.
CREATE TABLE procedure (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,		-- national code, e.g. 1.000419
	name TEXT NOT NULL,
	field_id INTEGER NOT NULL REFERENCES field(id),
	level TEXT NOT NULL CHECK (level IN ('province', 'commune')),	-- level whose one-stop receives it
	agency_id INTEGER REFERENCES agency(id),	-- lead agency; NULL = the receiving agency itself
	limit_value INTEGER NOT NULL DEFAULT 0 CHECK (limit_value >= 0),
	limit_unit TEXT NOT NULL CHECK (limit_unit IN ('none', 'working_hours', 'working_days', 'calendar_days', 'immediate')),
	online_limit_value INTEGER CHECK (online_limit_value >= 0),	-- override for the online channel
	online_limit_unit TEXT CHECK (online_limit_unit IN ('working_hours', 'working_days', 'calendar_days', 'immediate')),
	fee_vnd INTEGER CHECK (fee_vnd >= 0),	-- NULL = set locally or not published
	online_level TEXT NOT NULL DEFAULT 'unknown' CHECK (online_level IN ('full', 'partial', 'none', 'unknown')),
	legal_basis TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	name_key TEXT NOT NULL DEFAULT ''	-- name folded to ASCII lower case, for search
) STRICT;
CREATE INDEX procedure_field ON procedure(field_id);

-- The inter-agency chain: ordered steps, each with its allotted working time.
CREATE TABLE procedure_step (
	procedure_id INTEGER NOT NULL REFERENCES procedure(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL CHECK (seq >= 1),	-- 1, 2, … in order
	agency_id INTEGER REFERENCES agency(id),	-- NULL = the receiving agency
	task TEXT NOT NULL DEFAULT '',		-- what this agency does (appraise, verify, sign…)
	work_hours INTEGER NOT NULL CHECK (work_hours >= 0),	-- allotted working hours
	PRIMARY KEY (procedure_id, seq)
) STRICT, WITHOUT ROWID;

-- The document checklist of a procedure (thành phần hồ sơ).
CREATE TABLE procedure_document (
	procedure_id INTEGER NOT NULL REFERENCES procedure(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('original', 'certified_copy', 'copy')),
	count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
	required INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
	PRIMARY KEY (procedure_id, seq)
) STRICT, WITHOUT ROWID;

-- Dated exceptions to the weekday rule: holidays (working = 0) and make-up
-- working Saturdays (working = 1). A year with no row is "not covered".
CREATE TABLE calendar_day (
	day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	working INTEGER NOT NULL CHECK (working IN (0, 1)),
	note TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL DEFAULT '',		-- holiday, bridge_swap, makeup_workday…
	status TEXT NOT NULL DEFAULT '',	-- official, statutory, provisional
	source TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Staff accounts. Citizens never log in.
CREATE TABLE account (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin', 'clerk', 'officer', 'manager', 'auditor')),
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	password_hash TEXT NOT NULL,		-- libsodium crypto_pwhash_str (Argon2id)
	pii_access INTEGER NOT NULL DEFAULT 0 CHECK (pii_access IN (0, 1)),	-- may export unmasked personal data
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
) STRICT;

-- Browser sessions; only SHA-256 of the cookie token is stored.
CREATE TABLE session (
	token_hash BLOB PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	seen_at INTEGER NOT NULL,		-- last activity (written lazily)
	expires_at INTEGER NOT NULL		-- absolute end
) STRICT, WITHOUT ROWID;
CREATE INDEX session_account ON session(account_id);

-- API tokens for scripts; only SHA-256 of the token is stored.
CREATE TABLE api_token (
	id INTEGER PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE,
	account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	label TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) STRICT;

-- Dossiers (hồ sơ). Personal data lives only here, never in the history.
CREATE TABLE dossier (
	id INTEGER PRIMARY KEY,
	code TEXT UNIQUE,			-- AGENCY-YYMMDD-NNNN; NULL until accepted
	ref TEXT NOT NULL UNIQUE,		-- stable reference, also before a code exists
	procedure_id INTEGER NOT NULL REFERENCES procedure(id),
	receiving_agency_id INTEGER NOT NULL REFERENCES agency(id),
	current_agency_id INTEGER REFERENCES agency(id),	-- whose queue holds it; NULL once closed
	current_step INTEGER NOT NULL DEFAULT 0,	-- 0 = at the one-stop, else procedure_step.seq
	assignee_id INTEGER REFERENCES account(id),
	channel TEXT NOT NULL CHECK (channel = 'direct' OR channel = 'online' OR channel = 'postal'),
	state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 10),
	applicant_name TEXT NOT NULL,
	applicant_id_number TEXT NOT NULL,
	applicant_phone TEXT NOT NULL DEFAULT '',
	applicant_address TEXT NOT NULL DEFAULT '',
	applicant_email TEXT NOT NULL DEFAULT '',
	name_key TEXT NOT NULL DEFAULT '',	-- applicant name folded, for search
	note TEXT NOT NULL DEFAULT '',
	limit_value INTEGER NOT NULL,		-- the limit that applied at receipt
	limit_unit TEXT NOT NULL,
	submitted_at INTEGER,			-- online submission
	received_at INTEGER,			-- acceptance: the code's date
	clock_start_at INTEGER,			-- when the clock (re)started
	due_at INTEGER,				-- legal due time (statistics)
	appointment_at INTEGER,			-- promised to the citizen (moves on extension)
	paused_at INTEGER,			-- set while the clock is paused
	resolved_at INTEGER,
	returned_at INTEGER,
	closed_at INTEGER,			-- stopped, withdrawn or not accepted
	result_class INTEGER CHECK (result_class BETWEEN 1 AND 3),	-- 1 early, 2 on time, 3 late (frozen)
	supplement_count INTEGER NOT NULL DEFAULT 0,
	extension_count INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX dossier_receiving ON dossier(receiving_agency_id, received_at);
CREATE INDEX dossier_queue ON dossier(current_agency_id, state, due_at);
CREATE INDEX dossier_id_number ON dossier(applicant_id_number);
CREATE INDEX dossier_received ON dossier(received_at);

-- Documents handed in with a dossier.
CREATE TABLE dossier_document (
	dossier_id INTEGER NOT NULL REFERENCES dossier(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind = 'original' OR kind = 'certified_copy' OR kind = 'copy'),
	count INTEGER NOT NULL CHECK (count >= 1),
	PRIMARY KEY (dossier_id, seq)
) STRICT, WITHOUT ROWID;

-- Dossier code sequences: the last number used per receiving agency and
-- local day. Numbers are allocated inside the receiving transaction and
-- never reused.
CREATE TABLE code_seq (
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	day TEXT NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (agency_id, day)
) STRICT, WITHOUT ROWID;

-- The history: every change, append-only, hash-chained in seq order.
-- hash = SHA-256 over the previous row's hash and this row's canonical
-- content (README "Audit chain"); seq has no gaps.
CREATE TABLE event (
	seq INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	dossier_id INTEGER REFERENCES dossier(id),	-- NULL for non-dossier events
	dossier_ref TEXT NOT NULL DEFAULT '',	-- the dossier's code (or ref) when written
	actor TEXT NOT NULL,			-- username, or 'citizen' / 'system'
	actor_role TEXT NOT NULL DEFAULT '',
	actor_agency TEXT NOT NULL DEFAULT '',	-- agency code of the actor
	action TEXT NOT NULL,
	from_state INTEGER,
	to_state INTEGER,
	step INTEGER,
	clock TEXT NOT NULL DEFAULT '',		-- start, pause, resume, restart, stop, extend
	due_at INTEGER,				-- legal due time after the change
	note TEXT NOT NULL DEFAULT '',
	data TEXT NOT NULL DEFAULT '',		-- details as canonical JSON
	prev_hash BLOB NOT NULL,
	hash BLOB NOT NULL
) STRICT;
CREATE INDEX event_dossier ON event(dossier_id, seq);

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN
	SELECT RAISE(ABORT, 'the history is append-only');
END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN
	SELECT RAISE(ABORT, 'the history is append-only');
END;
