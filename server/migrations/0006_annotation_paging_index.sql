-- Paging one image's annotations in id order (EXACT's clients page with limit/offset): an index that
-- serves the filter and the order together, instead of sorting every annotation of the image per page.
-- Forward only: never edit this file after it has landed; add a new numbered file instead.

CREATE INDEX annotations_image_id_idx ON annotations (image_id, id);
