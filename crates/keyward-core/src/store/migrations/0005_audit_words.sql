-- One word per concept: a key's new secret is a reissue, the assistant's successor a replacement,
-- a Barndoor setup asked about a check. Entries written before keep their meaning under the new words.
UPDATE audit SET action = 'key.reissue' WHERE action = 'key.rotate';
UPDATE audit SET action = 'key.replace' WHERE action = 'key.rotate_assisted';
UPDATE audit SET action = 'setup.check' WHERE action = 'setup.validate';
