-- Limits and usage some services report (Respan temporary keys), and keys Keyward minted that
-- the service cannot list (Braintrust proxy credentials): those are kept, never marked gone.
ALTER TABLE keys ADD COLUMN is_test INTEGER;
ALTER TABLE keys ADD COLUMN usage_count INTEGER;
ALTER TABLE keys ADD COLUMN usage_limit INTEGER;
ALTER TABLE keys ADD COLUMN spend REAL;
ALTER TABLE keys ADD COLUMN spend_limit REAL;
ALTER TABLE keys ADD COLUMN rate_limit INTEGER;
ALTER TABLE keys ADD COLUMN last_used_at TEXT;
ALTER TABLE keys ADD COLUMN revoked_at TEXT;

-- What Keyward did, for the person who asks later. Never a secret.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    account_id TEXT,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    detail     TEXT
);
CREATE INDEX audit_by_time ON audit (at DESC);
