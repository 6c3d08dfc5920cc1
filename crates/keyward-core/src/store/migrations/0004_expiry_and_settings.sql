-- The person's preferences, as one JSON document: fields added later read as their defaults.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- An expired key the person has seen and set aside: it leaves the expiry centre, not the inventory.
ALTER TABLE keys ADD COLUMN dismissed_at TEXT;

-- Expiry notices already raised, so a restart does not raise them again. Keyed by the expiry they
-- announced: a key whose expiry moves is announced anew.
CREATE TABLE notices (
    key_id     TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (key_id, stage, expires_at)
);
CREATE INDEX keys_by_expiry ON keys (expires_at) WHERE expires_at IS NOT NULL;
