-- Events whose stored record lags their members. `rashomon analyze` rewrites a big event's record only when
-- it has grown by a share since the last (rewriting an event that thousands of reports tell at every batch
-- made a busy day's fusion grow with its square), and every lagging record before the run ends; a run that
-- is killed leaves its ids here, and the next run refreshes them.
CREATE TABLE stale_events (id VARCHAR PRIMARY KEY);
