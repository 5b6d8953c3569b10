-- Images whose annotations are split into region documents (docs/SPEC-collab.md, rules G1-G6).
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

-- The side of a region in level-0 pixels; NULL: the image keeps one document (image.<id>). Set once,
-- when the image is converted (`tessera documents regions`); never changed afterwards, since every
-- annotation's document follows from it (G1).
ALTER TABLE images
  ADD COLUMN annotation_region_size integer CHECK (annotation_region_size BETWEEN 256 AND 1048576);
