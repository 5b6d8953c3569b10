-- ONNX models a team uploads to run as algorithms (processing/models/): the file lives in the
-- storage (`.models/<uuid>.onnx`), the spec says how to feed and read it (shared's modelSpecSchema).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.
CREATE TABLE processing_models (
  id serial PRIMARY KEY,
  team_id integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  spec jsonb NOT NULL,
  file_path text NOT NULL,
  byte_size bigint NOT NULL,
  sha256 text NOT NULL,
  creator_id integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, name)
);
