-- Windows over all events (/analytics/platform views, /analytics/reports watch_time) count events per bucket by
-- type. With the type (and the watch seconds) in the time index, PostgreSQL counts from the index alone
-- (an index-only scan) instead of visiting the heap page of every event in the window.
CREATE INDEX video_events_time_type_idx ON video_events (occurred_at, event_type) INCLUDE (watch_seconds);
DROP INDEX video_events_time_idx;
