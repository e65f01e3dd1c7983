/** Connections, integrations, the data object hierarchy (connection → database → schema → table), columns and schema changes. */
export const sql = `
CREATE TABLE integration_scripts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  technology text NOT NULL,
  host text NOT NULL,
  steward_namespace text NOT NULL,
  config jsonb NOT NULL,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX integration_scripts_host ON integration_scripts (technology, lower(host), created_at DESC);

CREATE TABLE integrations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  technology text NOT NULL,
  status text NOT NULL DEFAULT 'enabled',
  auto_bootstrap boolean NOT NULL DEFAULT false,
  config jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE connections (
  connection_key text PRIMARY KEY,
  technology text NOT NULL,
  connection jsonb NOT NULL,
  native_integration jsonb,
  secrets text NOT NULL,
  options jsonb NOT NULL DEFAULT '{}',
  integration_id integer REFERENCES integrations (id) ON DELETE SET NULL,
  syncing_job uuid,
  last_synced_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by integer REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE data_objects (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  connection_key text NOT NULL REFERENCES connections (connection_key) ON DELETE CASCADE,
  path text[] NOT NULL,
  kind text NOT NULL CHECK (kind IN ('connection', 'database', 'schema', 'table')),
  parent_id bigint REFERENCES data_objects (id) ON DELETE CASCADE,
  ancestor_ids bigint[] NOT NULL DEFAULT '{}',
  name text NOT NULL,
  table_kind text,
  comment text,
  is_active_override boolean,
  activate_new_children_override boolean,
  data_owners_override jsonb,
  is_active boolean NOT NULL,
  state text NOT NULL CHECK (state IN ('active', 'inactive')),
  remote_status text NOT NULL DEFAULT 'present' CHECK (remote_status IN ('present', 'dropped')),
  fingerprint text,
  last_seen_job uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  dropped_at timestamptz,
  UNIQUE (connection_key, path)
);
CREATE INDEX data_objects_parent ON data_objects (parent_id, name);
CREATE INDEX data_objects_ancestors ON data_objects USING gin (ancestor_ids);
CREATE INDEX data_objects_tables ON data_objects (connection_key, state) WHERE kind = 'table';

CREATE TABLE data_columns (
  object_id bigint NOT NULL REFERENCES data_objects (id) ON DELETE CASCADE,
  name text NOT NULL,
  position integer NOT NULL,
  remote_type text NOT NULL,
  data_type text NOT NULL,
  nullable boolean NOT NULL,
  comment text,
  PRIMARY KEY (object_id, name)
);

CREATE INDEX jobs_sync_connection ON jobs ((payload->>'connectionKey')) WHERE type = 'connection.sync';

CREATE TABLE schema_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  object_id bigint NOT NULL REFERENCES data_objects (id) ON DELETE CASCADE,
  column_name text,
  change text NOT NULL CHECK (change IN ('tableCreated', 'tableDropped', 'tableRestored', 'columnAdded', 'columnDropped', 'columnTypeChanged')),
  before jsonb,
  after jsonb,
  job_id uuid,
  detected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schema_changes_object ON schema_changes (object_id, detected_at);
`;
