import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from './fixture.ts';

interface Dictionary {
  dataSource: string;
  dataSourceName: string;
  metadata: Array<{
    name: string;
    dataType: string;
    remoteType: string;
    description: string | null;
    tags: Array<{ name: string; source: string }>;
  }>;
}

describe('the data dictionary: column descriptions and tags', () => {
  let f: MetadataFixture;
  let customers = '';
  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    customers = await f.dataSourceId('wh', 'sales', 'customers');
    await f.ok({
      method: 'POST',
      url: '/tag',
      payload: { tags: [{ name: 'PII.Email' }, { name: 'PII.Name' }, { name: 'Key' }] },
    });
  });
  after(async () => {
    await f.close();
  });

  const dictionary = () => f.ok<Dictionary>({ url: `/dictionary/${customers}` });
  const column = async (name: string) => (await dictionary()).metadata.find((c) => c.name === name)!;

  it('lists every column with its types, no description and no tags at first', async () => {
    const d = await dictionary();
    assert.equal(d.dataSource, customers);
    assert.equal(d.dataSourceName, `${f.wh.database}.sales.customers`);
    assert.deepEqual(
      d.metadata.map((c) => [c.name, c.remoteType, c.description, c.tags]),
      [
        ['id', 'bigint', null, []],
        ['email', 'text', null, []],
        ['full_name', 'character varying(80)', null, []],
        ['phone_number', 'text', null, []],
      ],
    );
  });

  it('edits descriptions and replaces column tags, leaving unlisted columns alone, and audits it', async () => {
    const res = await f.call({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: {
        metadata: [
          { name: 'email', description: 'Where we write to', tags: [{ name: 'PII.Email' }] },
          { name: 'full_name', tags: [{ name: 'PII.Name' }, { name: 'Key' }] },
        ],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json() as Dictionary;
    assert.deepEqual(
      d.metadata.map((c) => [c.name, c.description, c.tags.map((t) => `${t.name}:${t.source}`)]),
      [
        ['id', null, []],
        ['email', 'Where we write to', ['PII.Email:manual']],
        ['full_name', null, ['Key:manual', 'PII.Name:manual']],
        ['phone_number', null, []],
      ],
    );
    const [event] = await auditOf(f.t, res);
    assert.equal(event!.action, 'DictionaryUpdated');
    assert.deepEqual(event!.payload, {
      columns: [
        { name: 'email', description: 'Where we write to', tags: ['PII.Email'] },
        { name: 'full_name', tags: ['PII.Name', 'Key'] },
      ],
    });
    await f.ok({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: { metadata: [{ name: 'full_name', tags: [{ name: 'Key' }] }] },
    });
    assert.deepEqual(
      (await column('full_name')).tags.map((t) => t.name),
      ['Key'],
      'tags are replaced, not added',
    );
    assert.equal((await column('email')).description, 'Where we write to');
  });

  it('accepts what a read returned, keeping the source of tags it keeps', async () => {
    const tag = await f.t.store.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'PII.Email')
      .executeTakeFirstOrThrow();
    await f.t.store.db
      .updateTable('object_tags')
      .set({ source: 'discovered' })
      .where('tag_id', '=', tag.id)
      .execute();
    const read = await dictionary();
    await f.ok({ method: 'PUT', url: `/dictionary/${customers}`, payload: { metadata: read.metadata } });
    assert.deepEqual(
      (await column('email')).tags.map((t) => `${t.name}:${t.source}`),
      ['PII.Email:discovered'],
    );
  });

  it('clears a description with null', async () => {
    await f.ok({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: { metadata: [{ name: 'id', description: 'Key' }] },
    });
    await f.ok({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: { metadata: [{ name: 'id', description: null }] },
    });
    assert.equal((await column('id')).description, null);
  });

  it('refuses unknown or repeated columns with 400 naming metadata[i].name, and unknown tags by path', async () => {
    const unknown = await f.call({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: {
        metadata: [{ name: 'email', description: 'changed?' }, { name: 'nope' }, { name: 'email' }],
      },
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().code, 'REQUEST_INVALID');
    assert.deepEqual(fieldsOf(unknown), ['metadata[1].name', 'metadata[2].name']);
    assert.equal((await column('email')).description, 'Where we write to', 'nothing changed');
    const tag = await f.call({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: { metadata: [{ name: 'email', tags: [{ name: 'PII.Email' }, { name: 'Nope' }] }] },
    });
    assert.equal(tag.statusCode, 404);
    assert.equal(tag.json().code, 'TAG_NOT_FOUND');
    assert.deepEqual(fieldsOf(tag), ['metadata[0].tags[1].name']);
    const shape = await f.call({
      method: 'PUT',
      url: `/dictionary/${customers}`,
      payload: { metadata: [{ name: 'email', extra: 1 }] },
    });
    assert.equal(shape.statusCode, 400);
    assert.deepEqual(fieldsOf(shape), ['metadata[0].extra']);
  });

  it('lets owners and experts edit, but not subscribers, auditing the denial', async () => {
    const expert = await f.t.userWith([]);
    const subscriber = await f.t.userWith([]);
    await f.ok({
      method: 'POST',
      url: `/dataSource/${customers}/access`,
      payload: { profileId: expert.id, state: 'expert' },
    });
    await f.ok({
      method: 'POST',
      url: `/dataSource/${customers}/access`,
      payload: { profileId: subscriber.id, state: 'subscribed' },
    });
    await f.ok(
      {
        method: 'PUT',
        url: `/dictionary/${customers}`,
        payload: { metadata: [{ name: 'phone_number', description: 'Mobile' }] },
      },
      expert.key,
    );
    const denied = await f.call(
      {
        method: 'PUT',
        url: `/dictionary/${customers}`,
        payload: { metadata: [{ name: 'phone_number', description: 'x' }] },
      },
      subscriber.key,
    );
    assert.equal(denied.statusCode, 403);
    assert.equal((await auditOf(f.t, denied))[0]!.action, 'AuthorizationDenied');
    assert.equal((await column('phone_number')).description, 'Mobile');
    const reader = await f.call({ url: `/dictionary/${customers}` }, subscriber.key);
    assert.equal(reader.statusCode, 200, 'anyone may read it');
  });

  it('keeps edited descriptions and tags through crawls, unchanged and changed tables alike', async () => {
    await f.crawl('wh');
    assert.equal((await column('email')).description, 'Where we write to');
    await f.wh.exec(`
      COMMENT ON COLUMN sales.customers.email IS 'changed in the platform';
      ALTER TABLE sales.customers ALTER COLUMN phone_number TYPE varchar(40);
      ALTER TABLE sales.customers ADD COLUMN loyalty int;`);
    await f.crawl('wh');
    const d = await dictionary();
    const email = d.metadata.find((c) => c.name === 'email')!;
    assert.equal(
      email.description,
      'Where we write to',
      'the crawl rewrote the column but kept its description',
    );
    assert.deepEqual(
      email.tags.map((t) => t.name),
      ['PII.Email'],
    );
    const phone = d.metadata.find((c) => c.name === 'phone_number')!;
    assert.equal(phone.remoteType, 'character varying(40)');
    assert.equal(phone.description, 'Mobile');
    const view = await f.ok<{
      columns: Array<{ name: string; comment: string | null; description: string | null }>;
    }>({
      url: `/dataSource/${customers}`,
    });
    const shown = view.columns.find((c) => c.name === 'email')!;
    assert.deepEqual([shown.comment, shown.description], ['changed in the platform', 'Where we write to']);
  });
});
