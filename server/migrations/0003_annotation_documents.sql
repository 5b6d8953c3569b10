-- Live annotation documents (Yjs): an append-only log of client updates, compacted into a state row.
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- Every accepted update, durable before the client is told it is saved. Rows up to a document's
-- compacted state (annotation_document_states.last_update_id) are deleted by compaction.
CREATE TABLE annotation_document_updates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- image.<imageId> or image.<imageId>.user.<userId> (blind sets): see server/src/collab/README.md.
  document text NOT NULL,
  update bytea NOT NULL,
  -- The sender; NULL for server-side writes and for users deleted since.
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX annotation_document_updates_document_idx ON annotation_document_updates (document, id);

-- The compacted document: loading applies `state`, then the log rows after `last_update_id`.
CREATE TABLE annotation_document_states (
  document text PRIMARY KEY,
  -- Y.encodeStateAsUpdate of the document (V1).
  state bytea NOT NULL,
  last_update_id bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
