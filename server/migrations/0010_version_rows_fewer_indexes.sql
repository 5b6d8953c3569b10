-- Dataset versions, cheaper freezing (issue 6's speed targets).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- A first version inserts a row per annotation, and every index on the table is maintained row by
-- row: the unique index on open rows, keyed by a random uuid within each document, cost more than a
-- quarter of that INSERT (measured at 1,000,000 rows). Nothing reads through it: its one lookup, "has
-- any of these documents open rows", is answered by version_annotations_from_idx, and creations run
-- one at a time under a table lock, pairing live rows with open ones in one join, so an annotation
-- never gets two open rows.
DROP INDEX version_annotations_open_key;

-- Row ids are drawn a million at a time by a first version: take them from the sequence a thousand
-- per call (gaps are harmless; ids only need to be unique and to order rows).
ALTER TABLE version_annotations ALTER COLUMN id SET CACHE 1000;

-- A version's rows are frozen by two connections at once (both cores, sharing the creation's
-- snapshot, each half of the documents); the helper's half commits just before the version does.
-- Each such part is marked here, in the helper's own transaction: if its version never commits, the
-- next creation deletes the rows valid from it and reopens the rows closed at it.
CREATE TABLE version_freeze_parts (
  version_id integer PRIMARY KEY
);
