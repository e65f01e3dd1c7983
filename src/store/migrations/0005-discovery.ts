/**
 * Sensitive data discovery: user-defined identifiers, frameworks (a built-in global one holding the
 * whole built-in pack), framework assignments to data sources and domains, the stored result per
 * column, and confirmation of discovered tags.
 */
export const sql = `
CREATE TABLE sdd_identifiers (
  name text PRIMARY KEY CHECK (name ~ '^[A-Z][A-Z0-9_]{0,127}$'),
  display_name text NOT NULL,
  description text NOT NULL DEFAULT '',
  type text NOT NULL CHECK (type IN ('regex', 'columnNameRegex', 'dictionary')),
  pattern text,
  source_pattern text,
  dictionary jsonb,
  case_sensitive boolean NOT NULL DEFAULT false,
  tags text[] NOT NULL,
  specificity integer NOT NULL DEFAULT 100,
  data_types text[] NOT NULL DEFAULT '{text}',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((type = 'dictionary') = (dictionary IS NOT NULL)),
  CHECK ((type = 'dictionary') = (pattern IS NULL))
);
CREATE UNIQUE INDEX sdd_identifiers_display_name ON sdd_identifiers (lower(display_name));

CREATE TABLE sdd_frameworks (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$'),
  display_name text NOT NULL,
  description text NOT NULL DEFAULT '',
  identifiers jsonb NOT NULL DEFAULT '[]',
  built_in boolean NOT NULL DEFAULT false,
  is_global boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sdd_frameworks_one_global ON sdd_frameworks (is_global) WHERE is_global;

INSERT INTO sdd_frameworks (name, display_name, description, built_in, is_global)
VALUES ('STEWARD_DEFAULT', 'Steward default',
        'Every built-in identifier. The global framework until another is made global.', true, true);

ALTER TABLE data_objects ADD COLUMN sdd_framework_id integer REFERENCES sdd_frameworks (id) ON DELETE SET NULL;
ALTER TABLE domains ADD COLUMN sdd_framework_id integer REFERENCES sdd_frameworks (id) ON DELETE SET NULL;

CREATE TABLE column_discovery (
  object_id bigint NOT NULL REFERENCES data_objects (id) ON DELETE CASCADE,
  column_name text NOT NULL,
  framework text NOT NULL,
  sampled integer NOT NULL,
  hit_rates jsonb NOT NULL DEFAULT '{}',
  identifier text,
  name_matches text[] NOT NULL DEFAULT '{}',
  tags text[] NOT NULL DEFAULT '{}',
  evaluated_in text NOT NULL CHECK (evaluated_in IN ('platform', 'platform+steward', 'name')),
  job_id uuid,
  discovered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (object_id, column_name)
);

ALTER TABLE object_tags ADD COLUMN confirmed_at timestamptz;
ALTER TABLE object_tags ADD COLUMN confirmed_by integer REFERENCES users (id) ON DELETE SET NULL;
`;
