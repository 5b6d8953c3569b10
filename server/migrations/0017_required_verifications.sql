-- Second opinion: how many agreeing verdicts by people other than its creator make an annotation
-- verified (or rejected) in a set. 1 keeps EXACT's behaviour: one other person's verdict settles it.
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

ALTER TABLE image_sets
  ADD COLUMN required_verifications integer NOT NULL DEFAULT 1
  CONSTRAINT image_sets_required_verifications_range CHECK (required_verifications BETWEEN 1 AND 10);
