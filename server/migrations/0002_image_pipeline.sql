-- The image pipeline: uploads are stored, inspected (and converted) by the tiler in a job, then served.
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

ALTER TABLE images
  -- processing: stored, waiting for or in inspection; ready: servable; failed: see failure_reason.
  ADD COLUMN state text NOT NULL DEFAULT 'processing' CHECK (state IN ('processing', 'ready', 'failed')),
  ADD COLUMN failure_reason text,
  -- The name the uploader's file had: may identify a patient, so only team admins see it.
  ADD COLUMN original_filename text,
  ADD COLUMN content_sha256 bytea,
  ADD COLUMN size_bytes bigint CHECK (size_bytes >= 0),
  -- Paths relative to the storage root ($TESSERA_DATA_DIR/images), shared by server and tiler.
  ADD COLUMN storage_path text,
  ADD COLUMN pyramid_path text,
  ADD COLUMN vendor text,
  ADD COLUMN levels jsonb,
  ADD COLUMN associated_images text[] NOT NULL DEFAULT '{}',
  -- Scanner metadata (OpenSlide properties): may carry patient data, so team admins only.
  ADD COLUMN vendor_properties jsonb,
  ADD COLUMN uploaded_by integer REFERENCES users (id) ON DELETE SET NULL;

-- Duplicate detection within a set: the same bytes twice in one set is a mistake, across sets it is fine.
CREATE UNIQUE INDEX images_set_content_key ON images (image_set_id, content_sha256) WHERE content_sha256 IS NOT NULL;
CREATE INDEX images_state_idx ON images (state) WHERE state <> 'ready';

CREATE TABLE image_jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  image_id integer NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('inspect')),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX image_jobs_ready_idx ON image_jobs (run_after, id) WHERE state = 'queued';
CREATE INDEX image_jobs_running_idx ON image_jobs (locked_at) WHERE state = 'running';
CREATE INDEX image_jobs_image_idx ON image_jobs (image_id);
