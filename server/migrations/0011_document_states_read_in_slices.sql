-- Compacted document states, read in slices (issue 4's load time).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- A document's state is read in 1 MB slices (server/src/collab/documents.repo.ts): `pg` receives one
-- 27 MB value (100,000 annotations) in about twice the time it takes for the same bytes in slices,
-- measured on this machine. A slice of a compressed value decompresses everything before it, so the
-- slices only pay with the value stored uncompressed: EXTERNAL keeps it out of line and uncompressed,
-- and a slice reads just its own TOAST chunks. The price is disk: a state takes its full size (27 MB
-- instead of 5.5 MB for 100,000 annotations). States stored before change as they are next compacted.
ALTER TABLE annotation_document_states ALTER COLUMN state SET STORAGE EXTERNAL;
