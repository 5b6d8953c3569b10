-- Guided screening of annotation maps: one user's plan and position on one map (EXACT's ScreeningMode,
-- whose rows are keyed by image; a map is no image, so it has its own store).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.
CREATE TABLE annotation_map_screenings (
  map_id integer NOT NULL REFERENCES annotation_maps (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  screening_tiles jsonb NOT NULL DEFAULT '{}'::jsonb,
  x_steps integer NOT NULL DEFAULT 0 CHECK (x_steps >= 0),
  y_steps integer NOT NULL DEFAULT 0 CHECK (y_steps >= 0),
  x_resolution integer NOT NULL DEFAULT 0 CHECK (x_resolution >= 0),
  y_resolution integer NOT NULL DEFAULT 0 CHECK (y_resolution >= 0),
  current_index integer NOT NULL DEFAULT 0 CHECK (current_index >= 0),
  PRIMARY KEY (map_id, user_id)
);
CREATE INDEX annotation_map_screenings_user_idx ON annotation_map_screenings (user_id);
