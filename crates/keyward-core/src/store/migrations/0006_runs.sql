-- `keyward run`: the keys minted for one process, so they are revoked when it ends, even when
-- Keyward was not there to see it end. A run is over when neither its keeper (the `keyward`
-- process that minted the keys) nor its command is running; each is a pid with its start time,
-- so a pid the system gave to another program since is not taken for it.
CREATE TABLE runs (
    id             TEXT PRIMARY KEY,
    command        TEXT NOT NULL,
    keeper_pid     INTEGER NOT NULL,
    keeper_started INTEGER,
    child_pid      INTEGER,
    child_started  INTEGER,
    started_at     TEXT NOT NULL,
    ended_at       TEXT
);
CREATE INDEX runs_not_ended ON runs (id) WHERE ended_at IS NULL;

-- Which key each run minted, and the variable it was handed to the command in.
CREATE TABLE run_keys (
    run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id   TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
    env_name TEXT NOT NULL,
    PRIMARY KEY (run_id, key_id)
);
CREATE INDEX run_keys_by_key ON run_keys (key_id);
