-- Metadata only: no column here ever holds a token or a key's secret.
CREATE TABLE accounts (
    id                      TEXT PRIMARY KEY,
    service                 TEXT NOT NULL,
    label                   TEXT NOT NULL,
    host                    TEXT NOT NULL,
    org_name                TEXT,
    identity                TEXT,
    created_at              TEXT NOT NULL,
    last_synced_at          TEXT,
    last_sync_error_code    TEXT,
    last_sync_error_message TEXT
);

CREATE TABLE keys (
    pk            INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    provider_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    preview       TEXT,
    owner         TEXT,
    created_at    TEXT,
    expires_at    TEXT,
    status        TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    gone_at       TEXT,
    details       TEXT NOT NULL DEFAULT '{}',
    UNIQUE (account_id, kind, provider_id)
);

CREATE INDEX keys_by_account_status ON keys (account_id, status);
CREATE INDEX keys_by_created ON keys (created_at DESC);

-- Trigram tokens make "search as you type" match inside words (prefix and substring alike).
CREATE VIRTUAL TABLE keys_fts USING fts5 (
    name, preview, owner,
    content = 'keys', content_rowid = 'pk', tokenize = 'trigram'
);

CREATE TRIGGER keys_fts_insert AFTER INSERT ON keys BEGIN
    INSERT INTO keys_fts (rowid, name, preview, owner) VALUES (new.pk, new.name, new.preview, new.owner);
END;
CREATE TRIGGER keys_fts_delete AFTER DELETE ON keys BEGIN
    INSERT INTO keys_fts (keys_fts, rowid, name, preview, owner) VALUES ('delete', old.pk, old.name, old.preview, old.owner);
END;
CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, preview, owner ON keys BEGIN
    INSERT INTO keys_fts (keys_fts, rowid, name, preview, owner) VALUES ('delete', old.pk, old.name, old.preview, old.owner);
    INSERT INTO keys_fts (rowid, name, preview, owner) VALUES (new.pk, new.name, new.preview, new.owner);
END;
