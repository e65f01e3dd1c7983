/** People (groups, attributes, external user ids) and metadata (tags, domains, members, descriptions). */
export const sql = `
ALTER TABLE users ADD COLUMN external_id text;
ALTER TABLE users ADD COLUMN given_name text;
ALTER TABLE users ADD COLUMN family_name text;
ALTER TABLE users ADD COLUMN source text NOT NULL DEFAULT 'bim' CHECK (source IN ('bim', 'scim'));
ALTER TABLE users ADD COLUMN scim jsonb NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
CREATE INDEX users_external_id ON users (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE groups (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  description text,
  external_id text,
  source text NOT NULL DEFAULT 'bim' CHECK (source IN ('bim', 'scim')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX groups_name_lower ON groups (lower(name));

CREATE TABLE group_members (
  group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE user_attributes (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  attribute_key text NOT NULL,
  attribute_value text NOT NULL,
  PRIMARY KEY (user_id, attribute_key, attribute_value)
);
CREATE INDEX user_attributes_key ON user_attributes (attribute_key, attribute_value);

CREATE TABLE external_user_ids (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  connection_key text NOT NULL REFERENCES connections (connection_key) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('explicit', 'none')),
  principal text,
  PRIMARY KEY (user_id, connection_key),
  CHECK ((mode = 'explicit') = (principal IS NOT NULL))
);

CREATE TABLE tags (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  description text,
  source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'discovered', 'external', 'schemaChange')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE object_tags (
  object_id bigint NOT NULL REFERENCES data_objects (id) ON DELETE CASCADE,
  column_name text NOT NULL DEFAULT '',
  tag_id integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'discovered', 'external', 'schemaChange')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'rejected')),
  added_at timestamptz NOT NULL DEFAULT now(),
  added_by integer REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (object_id, column_name, tag_id)
);
CREATE INDEX object_tags_tag ON object_tags (tag_id);

CREATE TABLE domains (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX domains_name_lower ON domains (lower(name));

CREATE TABLE domain_permissions (
  domain_id integer NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  permission text NOT NULL CHECK (permission IN ('Manage Policies', 'Audit Activity')),
  PRIMARY KEY (domain_id, user_id, permission)
);

ALTER TABLE data_objects ADD COLUMN domain_id integer REFERENCES domains (id) ON DELETE SET NULL;
ALTER TABLE data_objects ADD COLUMN description text;
ALTER TABLE data_columns ADD COLUMN description text;

CREATE TABLE data_source_members (
  object_id bigint NOT NULL REFERENCES data_objects (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'subscriber', 'expert')),
  expires_at timestamptz,
  added_at timestamptz NOT NULL DEFAULT now(),
  added_by integer REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (object_id, user_id)
);
CREATE INDEX data_source_members_user ON data_source_members (user_id);

CREATE TABLE entitlement_sync (
  connection_key text PRIMARY KEY REFERENCES connections (connection_key) ON DELETE CASCADE,
  changed_at timestamptz NOT NULL DEFAULT now(),
  pushed_at timestamptz,
  pushed_rows integer,
  last_error text
);
`;
