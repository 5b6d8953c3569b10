-- Dataset versions, faster freezing (issue 6's speed targets).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- Frozen rows are now compared with the live ones column by column, in the join that pairs them:
-- hashing a million live rows as text cost more than the whole comparison. New rows carry no hash;
-- rows frozen before keep theirs, unused.
ALTER TABLE version_annotations ALTER COLUMN content_hash DROP NOT NULL;

-- Only closed rows are ever looked up by their end (diffs: rows whose range ends between two
-- versions), so open rows, every new one among them, need no entry in this index.
DROP INDEX version_annotations_to_idx;
CREATE INDEX version_annotations_closed_idx ON version_annotations (document, valid_to)
  WHERE valid_to IS NOT NULL;
