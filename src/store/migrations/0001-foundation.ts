/** Users, API keys, audit events, jobs and settings: the foundation every later feature builds on. */
export const sql = `
CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE,
  name text,
  email text,
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
  permissions text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE audit_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  event_time timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor jsonb NOT NULL,
  actor_id integer,
  action text NOT NULL,
  action_status text NOT NULL CHECK (action_status IN ('success', 'failure', 'denied')),
  target_type text,
  targets jsonb NOT NULL DEFAULT '[]',
  target_ids text[] NOT NULL DEFAULT '{}',
  payload jsonb NOT NULL DEFAULT '{}',
  request_id text,
  actor_ip text
);
CREATE INDEX audit_events_time ON audit_events (event_time);
CREATE INDEX audit_events_action ON audit_events (action, event_time);
CREATE INDEX audit_events_actor ON audit_events (actor_id, event_time);
CREATE INDEX audit_events_targets ON audit_events USING gin (target_ids);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  bulk_id uuid NOT NULL,
  type text NOT NULL,
  state text NOT NULL DEFAULT 'created'
    CHECK (state IN ('created', 'active', 'retry', 'completed', 'failed', 'cancelled', 'expired')),
  payload jsonb NOT NULL DEFAULT '{}',
  output jsonb,
  progress_done integer NOT NULL DEFAULT 0,
  progress_total integer,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  run_after timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  lease_token integer NOT NULL DEFAULT 0,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  expire_at timestamptz,
  timeout_seconds integer NOT NULL DEFAULT 3600 CHECK (timeout_seconds > 0),
  last_error text
);
CREATE INDEX jobs_bulk ON jobs (bulk_id);
CREATE INDEX jobs_claimable ON jobs (run_after, created_at) WHERE state IN ('created', 'retry');
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'active';
CREATE INDEX jobs_created ON jobs (created_at);

CREATE TABLE job_items (
  job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  item text NOT NULL,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
  detail jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, item)
);

CREATE TABLE steward_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
