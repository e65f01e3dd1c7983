/** Policies with their versions, access requests, purposes, and per-data-source enforcement state. */
export const sql = `
CREATE TABLE policies (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  policy_key text NOT NULL,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('subscription', 'data')),
  scope text NOT NULL CHECK (scope IN ('global', 'local')),
  data_source_id bigint REFERENCES data_objects (id) ON DELETE CASCADE,
  staged boolean NOT NULL DEFAULT false,
  document jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by integer REFERENCES users (id) ON DELETE SET NULL,
  CHECK ((scope = 'local') = (data_source_id IS NOT NULL))
);
CREATE UNIQUE INDEX policies_key ON policies (policy_key);
CREATE INDEX policies_data_source ON policies (data_source_id) WHERE data_source_id IS NOT NULL;

CREATE TABLE policy_versions (
  policy_id integer NOT NULL,
  version integer NOT NULL,
  policy_key text NOT NULL,
  change text NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
  staged boolean NOT NULL,
  document jsonb NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by integer REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE purposes (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  description text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX purposes_name_lower ON purposes (lower(name));

CREATE TABLE user_purposes (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose_id integer NOT NULL REFERENCES purposes (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, purpose_id)
);

CREATE TABLE access_requests (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  data_source_id bigint NOT NULL REFERENCES data_objects (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'denied', 'withdrawn')),
  reason text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by integer REFERENCES users (id) ON DELETE SET NULL,
  decision_note text
);
CREATE UNIQUE INDEX access_requests_open ON access_requests (data_source_id, user_id) WHERE state = 'pending';

CREATE TABLE data_source_enforcement (
  data_source_id bigint PRIMARY KEY REFERENCES data_objects (id) ON DELETE CASCADE,
  connection_key text NOT NULL,
  salt text NOT NULL,
  desired_hash text,
  desired_plan jsonb,
  desired_at timestamptz,
  applied_hash text,
  applied_plan jsonb,
  previous_plan jsonb,
  applied_at timestamptz,
  last_error text,
  policy_versions jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX data_source_enforcement_connection ON data_source_enforcement (connection_key);
`;
