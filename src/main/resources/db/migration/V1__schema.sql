-- Sluice schema: a video platform's data. Every sort, filter and keyset path of docs/API.md
-- has an index below that serves it; the comment beside each index names the path.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  username      text        NOT NULL,
  email         text        NOT NULL,
  display_name  text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('admin', 'creator', 'viewer')),
  is_active     boolean     NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
-- GET /users (cursor on -created_at, filters role, is_active) and GET /users/range (index ranges)
CREATE INDEX users_active_created_idx      ON users (is_active, created_at, id);
CREATE INDEX users_role_active_created_idx ON users (role, is_active, created_at, id);
-- GET /users/analytics (sign-ups per bucket)
CREATE INDEX users_created_idx             ON users (created_at);

CREATE TABLE videos (
  id               uuid        PRIMARY KEY,
  user_id          uuid        NOT NULL REFERENCES users (id),
  title            text        NOT NULL,
  description      text        NOT NULL DEFAULT '',
  category         text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('draft', 'processing', 'ready', 'failed', 'archived')),
  duration_seconds integer     NOT NULL CHECK (duration_seconds >= 0),
  view_count       bigint      NOT NULL DEFAULT 0,
  like_count       bigint      NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  search_vector    tsvector    GENERATED ALWAYS AS (
                     setweight(to_tsvector('english', title), 'A') ||
                     setweight(to_tsvector('english', description), 'B')) STORED
);
-- GET /videos, sort -created_at / created_at, no filter or one filter
CREATE INDEX videos_created_idx          ON videos (created_at, id);
CREATE INDEX videos_status_created_idx   ON videos (status, created_at, id);
CREATE INDEX videos_category_created_idx ON videos (category, created_at, id);
-- GET /users/{userId}/videos and GET /videos?user_id=
CREATE INDEX videos_user_created_idx     ON videos (user_id, created_at, id);
-- GET /videos?sort=-view_count and GET /videos/popular (by category)
CREATE INDEX videos_views_idx            ON videos (view_count, id);
CREATE INDEX videos_category_views_idx   ON videos (category, view_count, id);
-- GET /videos?sort=title
CREATE INDEX videos_title_idx            ON videos (title, id);
-- GET /search
CREATE INDEX videos_search_idx           ON videos USING gin (search_vector);

CREATE TABLE video_events (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  video_id      uuid        NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  user_id       uuid,
  event_type    text        NOT NULL CHECK (event_type IN ('view', 'like', 'share', 'watch')),
  watch_seconds integer     NOT NULL DEFAULT 0,
  occurred_at   timestamptz NOT NULL
);
-- GET /videos/{videoId}/analytics (window on one video)
CREATE INDEX video_events_video_time_idx ON video_events (video_id, occurred_at);
-- GET /analytics/platform and /analytics/reports (window over all events)
CREATE INDEX video_events_time_idx       ON video_events (occurred_at);

CREATE TABLE user_sessions (
  id         uuid        PRIMARY KEY,
  user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL,
  ended_at   timestamptz,
  device     text        NOT NULL,
  country    text        NOT NULL
);
-- GET /users/{userId}/sessions (cursor on -started_at)
CREATE INDEX user_sessions_user_started_idx ON user_sessions (user_id, started_at, id);
-- GET /users/analytics and /analytics/platform (sessions, active users per bucket)
CREATE INDEX user_sessions_started_idx      ON user_sessions (started_at) INCLUDE (user_id);

CREATE TABLE templates (
  id            uuid        PRIMARY KEY,
  user_id       uuid        REFERENCES users (id),
  name          text        NOT NULL,
  description   text        NOT NULL DEFAULT '',
  category      text        NOT NULL,
  is_public     boolean     NOT NULL DEFAULT true,
  usage_count   bigint      NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  search_vector tsvector    GENERATED ALWAYS AS (
                  setweight(to_tsvector('english', name), 'A') ||
                  setweight(to_tsvector('english', description), 'B')) STORED
);
-- GET /templates (pagination on -usage_count, filters category, is_public)
CREATE INDEX templates_public_usage_idx          ON templates (is_public, usage_count, id);
CREATE INDEX templates_category_public_usage_idx ON templates (category, is_public, usage_count, id);
CREATE INDEX templates_search_idx                ON templates USING gin (search_vector);

CREATE TABLE template_assets (
  id          uuid        PRIMARY KEY,
  template_id uuid        NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
  name        text        NOT NULL,
  asset_type  text        NOT NULL CHECK (asset_type IN ('image', 'video', 'audio', 'font', 'overlay')),
  url         text        NOT NULL,
  size_bytes  bigint      NOT NULL,
  position    integer     NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- GET /templates/{templateId}/assets (pagination by position)
CREATE INDEX template_assets_template_position_idx ON template_assets (template_id, position, id);

CREATE TABLE performance_metrics (
  id          bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  component   text             NOT NULL,
  metric      text             NOT NULL,
  value       double precision NOT NULL,
  recorded_at timestamptz      NOT NULL DEFAULT now()
);
-- GET /analytics/performance/stream (component, time range)
CREATE INDEX performance_metrics_time_idx           ON performance_metrics (recorded_at, id);
CREATE INDEX performance_metrics_component_time_idx ON performance_metrics (component, recorded_at, id);

CREATE TABLE error_logs (
  id          uuid        PRIMARY KEY,
  severity    text        NOT NULL CHECK (severity IN ('debug', 'info', 'warning', 'error', 'critical')),
  component   text        NOT NULL,
  message     text        NOT NULL,
  occurred_at timestamptz NOT NULL
);
-- GET /analytics/errors (cursor on -occurred_at, filters severity, component)
CREATE INDEX error_logs_severity_time_idx           ON error_logs (severity, occurred_at, id);
CREATE INDEX error_logs_severity_component_time_idx ON error_logs (severity, component, occurred_at, id);
-- GET /analytics/platform?metrics=errors, /analytics/reports/error_rate
CREATE INDEX error_logs_time_idx                    ON error_logs (occurred_at);

-- Words of video titles and template names with their frequency: the source of
-- GET /search/suggestions (prefix and typo-tolerant through pg_trgm).
CREATE TABLE search_terms (
  term      text   PRIMARY KEY,
  frequency bigint NOT NULL
);
CREATE INDEX search_terms_trgm_idx ON search_terms USING gin (term gin_trgm_ops);
CREATE INDEX search_terms_prefix_idx ON search_terms (term text_pattern_ops);
