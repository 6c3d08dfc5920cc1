-- A sync rewrites every listed row; the search index is touched only where a searched column
-- actually changed (the old trigger fired whenever they were in the SET list, i.e. every row).
DROP TRIGGER keys_fts_update;
CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, preview, owner ON keys
WHEN old.name IS NOT new.name OR old.preview IS NOT new.preview OR old.owner IS NOT new.owner
BEGIN
    INSERT INTO keys_fts (keys_fts, rowid, name, preview, owner) VALUES ('delete', old.pk, old.name, old.preview, old.owner);
    INSERT INTO keys_fts (rowid, name, preview, owner) VALUES (new.pk, new.name, new.preview, new.owner);
END;
