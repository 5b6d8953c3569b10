-- The metrics count image jobs by state at every scrape. Finished jobs stay in the table (one per image
-- ever inspected), so counting them read the whole table; the queue depth is the unfinished jobs,
-- which this small partial index answers without touching the table.
-- Forward only: never edit this file after it has landed; add a new numbered file instead.
CREATE INDEX image_jobs_pending_idx ON image_jobs (state) WHERE state <> 'done';
