-- motcua schema 0004: the citizen side — online submissions and their
-- attached files, satisfaction ratings through one-time links, and
-- feedback (phản ánh, kiến nghị) with its own code sequence.
--
-- Personal data: a draft submission holds the applicant's data only until
-- it is submitted (then it moves to the dossier row and is wiped here) or
-- expires (then the draft, its attachment rows and their files are
-- deleted). Feedback contacts are optional. Nothing personal goes into the
-- history (event).

-- Online submissions. A draft is created with the applicant's form, gets
-- files attached with an upload token, and is then submitted: that creates
-- the dossier in state 1 (submitted online) under the same ref, waiting in
-- the receiving one-stop's queue until a clerk accepts or refuses it.
CREATE TABLE submission (
	id INTEGER PRIMARY KEY,
	ref TEXT NOT NULL UNIQUE,		-- OL-YYMMDD-XXXXXX; becomes dossier.ref
	token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),	-- SHA-256 of the upload token (never the token)
	procedure_id INTEGER NOT NULL REFERENCES procedure(id),
	agency_id INTEGER NOT NULL REFERENCES agency(id),	-- receiving one-stop chosen by the citizen
	applicant_name TEXT NOT NULL DEFAULT '',	-- personal data while a draft; '' once submitted
	applicant_id_number TEXT NOT NULL DEFAULT '',	-- idem
	applicant_phone TEXT NOT NULL DEFAULT '',	-- idem
	applicant_address TEXT NOT NULL DEFAULT '',	-- idem
	applicant_email TEXT NOT NULL DEFAULT '',	-- idem
	note TEXT NOT NULL DEFAULT '',		-- the citizen's note to the clerk; '' once submitted
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,		-- a draft not submitted by then is deleted with its files
	submitted_at INTEGER,			-- NULL while a draft
	dossier_id INTEGER UNIQUE REFERENCES dossier(id)	-- the dossier it became; NULL while a draft
) STRICT;
CREATE INDEX submission_expiry ON submission(expires_at) WHERE dossier_id IS NULL;

-- Files attached to an online submission (PDF, JPEG or PNG, recognised by
-- their content). The bytes live on disk under [database] upload_dir,
-- named by their SHA-256 (upload_dir/ab/abcd…); identical files are stored
-- once. A row is numbered within its submission (the citizen's slot 1–20).
CREATE TABLE attachment (
	submission_id INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 20),	-- slot number in the submission
	dossier_id INTEGER REFERENCES dossier(id),	-- set when submitted (staff read it by dossier)
	name TEXT NOT NULL,			-- file name as sent, cleaned (no path, no control characters)
	label TEXT NOT NULL DEFAULT '',		-- the checklist document it stands for, as chosen by the citizen
	mime TEXT NOT NULL CHECK (mime = 'application/pdf' OR mime = 'image/jpeg' OR mime = 'image/png'),	-- from the content
	size INTEGER NOT NULL CHECK (size > 0),	-- bytes
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),	-- lower-case hex; the file's name on disk
	created_at INTEGER NOT NULL,
	PRIMARY KEY (submission_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX attachment_dossier ON attachment(dossier_id, seq) WHERE dossier_id IS NOT NULL;
CREATE INDEX attachment_sha ON attachment(sha256);

-- One-time rating links. Each link printed or shown (Form 01, the return
-- counter) is a fresh random token; only its SHA-256 is kept. Every token
-- of a dossier works until the dossier has been rated once.
CREATE TABLE rating_token (
	token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),	-- SHA-256 of the token
	dossier_id INTEGER NOT NULL REFERENCES dossier(id),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL DEFAULT ''	-- username of whoever printed or showed it
) STRICT, WITHOUT ROWID;
CREATE INDEX rating_token_dossier ON rating_token(dossier_id);

-- The citizen's evaluation of a returned dossier (Decree 61/2018 Art 31):
-- one per dossier. Scores are 1 (very dissatisfied) … 5 (very satisfied).
-- A rating is a "dislike" (Decision 766 indicator 5.4) when any score is 1
-- or 2 or an unofficial payment was asked for.
CREATE TABLE rating (
	dossier_id INTEGER PRIMARY KEY REFERENCES dossier(id),	-- one rating per dossier
	agency_id INTEGER NOT NULL REFERENCES agency(id),	-- the dossier's statistics (lead) agency
	receiving_agency_id INTEGER NOT NULL REFERENCES agency(id),	-- the one-stop that handed it back
	rated_at INTEGER NOT NULL,
	day INTEGER NOT NULL,			-- local date YYYYMMDD (as stat buckets)
	time_score INTEGER NOT NULL CHECK (time_score BETWEEN 1 AND 5),	-- return time against the promise
	trips INTEGER NOT NULL CHECK (trips BETWEEN 0 AND 20),	-- trips to the office the dossier took
	attitude_score INTEGER NOT NULL CHECK (attitude_score BETWEEN 1 AND 5),	-- staff behaviour
	result_score INTEGER NOT NULL CHECK (result_score BETWEEN 1 AND 5),	-- the result (correct, lawful)
	unofficial_payment INTEGER NOT NULL CHECK (unofficial_payment IN (0, 1)),	-- asked for money beyond the fee
	comment TEXT NOT NULL DEFAULT '',
	dislike INTEGER NOT NULL CHECK (dislike IN (0, 1))	-- derived as above, stored for the sums
) STRICT;
CREATE INDEX rating_agency_day ON rating(agency_id, day);

-- Feedback (phản ánh = complaint about conduct or a problem, kiến nghị =
-- suggestion). Codes are PAKN-YYMMDD-NNNN: the local date of receipt and a
-- sequence of that day for the whole instance (one province), so a code
-- stays true when an item is transferred to another agency. The answer is
-- due 15 working days after receipt (working calendar).
CREATE TABLE feedback (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,		-- PAKN-YYMMDD-NNNN
	agency_id INTEGER NOT NULL REFERENCES agency(id),	-- whose queue holds it (and whose counts)
	dossier_id INTEGER REFERENCES dossier(id),	-- the dossier it concerns, when proved (code + check digits)
	kind TEXT NOT NULL CHECK (kind IN ('complaint', 'suggestion')),
	subject TEXT NOT NULL,
	content TEXT NOT NULL,
	contact_name TEXT NOT NULL DEFAULT '',	-- personal data; all three '' when anonymous
	contact_phone TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	received_at INTEGER NOT NULL,
	received_day INTEGER NOT NULL,		-- local date YYYYMMDD
	due_at INTEGER NOT NULL,		-- 15 working days after receipt
	state TEXT NOT NULL CHECK (state = 'received' OR state = 'in_progress' OR state = 'answered'
				     OR state = 'closed'),
	assignee_id INTEGER REFERENCES account(id),	-- who works on it
	answer TEXT NOT NULL DEFAULT '',
	answer_public INTEGER NOT NULL DEFAULT 0 CHECK (answer_public IN (0, 1)),	-- question and answer shown on the public page
	answered_at INTEGER,
	answered_day INTEGER,			-- local date YYYYMMDD
	answered_by INTEGER REFERENCES account(id),
	on_time INTEGER CHECK (on_time IN (0, 1)),	-- answered by due_at (frozen at the answer)
	closed_at INTEGER,
	close_reason TEXT NOT NULL DEFAULT '',	-- why it was closed without an answer
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_agency_received ON feedback(agency_id, received_day);
CREATE INDEX feedback_agency_answered ON feedback(agency_id, answered_day) WHERE answered_day IS NOT NULL;
CREATE INDEX feedback_queue ON feedback(agency_id, state, due_at);
CREATE INDEX feedback_due ON feedback(agency_id, due_at);
CREATE INDEX feedback_dossier ON feedback(dossier_id) WHERE dossier_id IS NOT NULL;

-- Feedback code sequences: the last number used per local day.
CREATE TABLE feedback_seq (
	day TEXT PRIMARY KEY,			-- YYYY-MM-DD
	last INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
