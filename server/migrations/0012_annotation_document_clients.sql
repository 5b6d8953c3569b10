-- Who writes under each Yjs client id of a live annotation document (server/src/collab/README.md V4).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- Yjs numbers every client's changes by (client id, clock) and a replica skips the clock ranges it
-- already has, so a writer who sent new changes under another client's id would make the server drop
-- that client's own offline changes when it reconnects. The first user to write new changes under a
-- client id claims it; the server refuses new changes under a client id another user has claimed.
-- The claim is committed before the first update written under it is accepted.
CREATE TABLE annotation_document_clients (
  -- image.<imageId> or image.<imageId>.user.<userId>, as in annotation_document_updates.
  document text NOT NULL,
  -- Y.Doc clientID: an unsigned 32-bit number.
  client_id bigint NOT NULL,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document, client_id)
);
