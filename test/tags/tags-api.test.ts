import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteTag } from '../../src/server/services/tags/delete-tag.ts';
import { objectsTaggedWith } from '../../src/tags/tag-match.ts';
import { findTagUsage, TAG_USAGE_CHECKS, type TagUsageCheck } from '../../src/tags/tag-usage.ts';
import { auditOf, createMetadataFixture, fieldsOf, type MetadataFixture } from '../datasources/fixture.ts';

interface TagsPage {
  tags: Array<{ name: string; parent: string | null; source: string; description: string | null }>;
  next: number | null;
}

describe('tags: the vocabulary, and tagging data sources and columns', () => {
  let f: MetadataFixture;
  let customers = '';
  let orders = '';
  before(async () => {
    f = await createMetadataFixture();
    await f.register('wh');
    customers = await f.dataSourceId('wh', 'sales', 'customers');
    orders = await f.dataSourceId('wh', 'sales', 'orders');
  });
  after(async () => {
    await f.close();
  });

  const names = async (query = '') =>
    (await f.ok<TagsPage>({ url: `/tag?size=1000${query}` })).tags.map((t) => t.name);

  it('creates a tag with its missing parents, and audits what it created', async () => {
    const res = await f.call({
      method: 'POST',
      url: '/tag',
      payload: { name: 'PII.Contact.Email', description: 'An email address' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().created, ['PII', 'PII.Contact', 'PII.Contact.Email']);
    assert.equal(res.json().tags[0].description, 'An email address');
    assert.equal(res.json().tags[0].parent, 'PII.Contact');
    const [event] = await auditOf(f.t, res);
    assert.equal(event!.action, 'TagCreated');
    assert.deepEqual(
      event!.targets.map((t) => t.name),
      ['PII', 'PII.Contact', 'PII.Contact.Email'],
    );
  });

  it('accepts the reference body {tags: [...]} and normalises names', async () => {
    const res = await f.ok<{ tags: Array<{ name: string }>; created: string[] }>({
      method: 'POST',
      url: '/tag',
      payload: { tags: [{ name: ' PII . Phone ' }, { name: 'Finance', description: 'Money' }] },
    });
    assert.deepEqual(
      res.tags.map((t) => t.name),
      ['PII.Phone', 'Finance'],
    );
    assert.deepEqual(res.created, ['Finance', 'PII.Phone'], 'PII existed already');
  });

  it('refuses invalid names, naming each field', async () => {
    const res = await f.call({
      method: 'POST',
      url: '/tag',
      payload: {
        tags: [
          { name: 'Good' },
          { name: 'Bad..Name' },
          { name: `X.${'y'.repeat(101)}` },
          { name: 'C\u0007' },
        ],
      },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fieldsOf(res), ['tags[1].name', 'tags[2].name', 'tags[3].name']);
    assert.deepEqual(await names('&searchText=Good'), [], 'nothing was created');
    const neither = await f.call({ method: 'POST', url: '/tag', payload: { description: 'x' } });
    assert.equal(neither.statusCode, 400);
    assert.deepEqual(fieldsOf(neither), ['tags']);
  });

  it('refuses a tag that exists, or one named twice, with TAG_TAKEN and the field', async () => {
    const taken = await f.call({
      method: 'POST',
      url: '/tag',
      payload: { tags: [{ name: 'Fresh' }, { name: 'PII' }] },
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().code, 'TAG_TAKEN');
    assert.deepEqual(fieldsOf(taken), ['tags[1].name']);
    assert.deepEqual(await names('&searchText=Fresh'), [], 'the whole request rolled back');
    const twice = await f.call({
      method: 'POST',
      url: '/tag',
      payload: { tags: [{ name: 'A' }, { name: ' A' }] },
    });
    assert.equal(twice.statusCode, 400);
    assert.deepEqual(fieldsOf(twice), ['tags[1].name']);
    const events = await auditOf(f.t, taken);
    assert.deepEqual(
      events.map((e) => [e.action, e.action_status]),
      [['TagCreated', 'failure']],
    );
  });

  it('searches by part of the name, by prefix and by hierarchy, parents first, with paging', async () => {
    assert.deepEqual(await names('&searchText=contact'), ['PII.Contact', 'PII.Contact.Email']);
    assert.deepEqual(await names('&prefix=pii.c'), ['PII.Contact', 'PII.Contact.Email']);
    assert.deepEqual(await names('&under=PII'), ['PII', 'PII.Contact', 'PII.Contact.Email', 'PII.Phone']);
    assert.deepEqual(await names('&under=PII.Contact'), ['PII.Contact', 'PII.Contact.Email']);
    assert.deepEqual(await names('&searchText=%25'), [], 'a LIKE wildcard matches literally');
    const first = await f.ok<TagsPage>({ url: '/tag?size=2' });
    assert.equal(first.tags.length, 2);
    assert.equal(first.next, 2);
    const rest = await f.ok<TagsPage>({ url: '/tag?size=1000&offset=2' });
    assert.equal(rest.next, null);
    assert.ok(!rest.tags.some((t) => first.tags.some((x) => x.name === t.name)));
  });

  it('tags a data source and a column, in either body form, and audits each', async () => {
    const ds = await f.call({
      method: 'POST',
      url: `/tag/datasource/${customers}`,
      payload: [{ name: 'Finance' }],
    });
    assert.equal(ds.statusCode, 200, ds.body);
    assert.deepEqual(
      ds.json().tags.map((t: { name: string; source: string }) => [t.name, t.source]),
      [['Finance', 'manual']],
    );
    assert.equal((await auditOf(f.t, ds))[0]!.action, 'TagsApplied');
    const col = await f.call({
      method: 'POST',
      url: `/tag/column/${customers}_email`,
      payload: { tags: [{ name: 'PII.Contact.Email' }] },
    });
    assert.equal(col.statusCode, 200, col.body);
    assert.equal(col.json().modelId, `${customers}_email`);
    const [event] = await auditOf(f.t, col);
    assert.deepEqual(event!.targets, [
      { type: 'column', id: `${customers}_email`, name: `${f.wh.database}.sales.customers.email` },
    ]);
    await f.ok({ method: 'POST', url: `/tag/column/${customers}_phone_number`, payload: ['PII.Phone'] });
    const again = await f.ok<{ tags: unknown[] }>({
      method: 'POST',
      url: `/tag/column/${customers}_email`,
      payload: ['PII.Contact.Email'],
    });
    assert.equal(again.tags.length, 1, 'applying a tag twice keeps one');
    const view = await f.ok<{
      tags: Array<{ name: string }>;
      columns: Array<{ name: string; tags: Array<{ name: string }> }>;
    }>({
      url: `/dataSource/${customers}`,
    });
    assert.deepEqual(
      view.tags.map((t) => t.name),
      ['Finance'],
    );
    assert.deepEqual(
      view.columns.find((c) => c.name === 'phone_number')?.tags.map((t) => t.name),
      ['PII.Phone'],
      'the first underscore separates the data source id from a column name holding underscores',
    );
  });

  it('refuses unknown tags, columns and data sources, and malformed model ids', async () => {
    const unknownTag = await f.call({
      method: 'POST',
      url: `/tag/datasource/${customers}`,
      payload: [{ name: 'Finance' }, { name: 'No.Such' }],
    });
    assert.equal(unknownTag.statusCode, 404);
    assert.equal(unknownTag.json().code, 'TAG_NOT_FOUND');
    assert.deepEqual(fieldsOf(unknownTag), ['tags[1].name']);
    const column = await f.call({ method: 'POST', url: `/tag/column/${customers}_nope`, payload: ['PII'] });
    assert.equal(column.json().code, 'DATASOURCE_COLUMN_NOT_FOUND');
    assert.deepEqual(fieldsOf(column), ['modelId']);
    const ds = await f.call({ method: 'POST', url: '/tag/datasource/999999', payload: ['PII'] });
    assert.equal(ds.json().code, 'DATASOURCE_NOT_FOUND');
    const malformed = await f.call({ method: 'POST', url: '/tag/column/abc', payload: ['PII'] });
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(fieldsOf(malformed), ['modelId']);
    const type = await f.call({ method: 'POST', url: `/tag/project/${customers}`, payload: ['PII'] });
    assert.equal(type.statusCode, 400);
    assert.deepEqual(fieldsOf(type), ['modelType']);
  });

  it('finds everything tagged with a tag or a tag below it, in SQL', async () => {
    const tagged = await objectsTaggedWith(f.t.store.db, 'PII');
    assert.deepEqual(
      tagged.map((x) => [x.objectId, x.column, x.tag]),
      [
        [customers, 'email', 'PII.Contact.Email'],
        [customers, 'phone_number', 'PII.Phone'],
      ],
    );
    assert.deepEqual(await objectsTaggedWith(f.t.store.db, 'PII.Contact.Email.Work'), []);
  });

  it('lets only GOVERNANCE, owners and experts tag, and audits a denial', async () => {
    const nobody = await f.t.userWith([]);
    const denied = await f.call(
      { method: 'POST', url: `/tag/datasource/${orders}`, payload: ['PII'] },
      nobody.key,
    );
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'AUTH_FORBIDDEN');
    const events = await auditOf(f.t, denied);
    assert.deepEqual(
      events.map((e) => [e.action, e.action_status, e.targets]),
      [['AuthorizationDenied', 'denied', [{ type: 'dataSource', id: orders }]]],
    );
    const expert = await f.t.userWith([]);
    await f.ok({
      method: 'POST',
      url: `/dataSource/${orders}/access`,
      payload: { profileId: expert.id, state: 'expert' },
    });
    await f.ok({ method: 'POST', url: `/tag/datasource/${orders}`, payload: ['PII'] }, expert.key);
    const creating = await f.call({ method: 'POST', url: '/tag', payload: { name: 'Mine' } }, expert.key);
    assert.equal(creating.statusCode, 403, 'creating tags needs GOVERNANCE');
  });

  it('removes one tag from a column, leaving the tags below it, and audits it', async () => {
    await f.ok({ method: 'POST', url: `/tag/column/${customers}_email`, payload: ['PII'] });
    const res = await f.call({ method: 'DELETE', url: `/tag/column/${customers}_email/PII` });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json().tags.map((t: { name: string }) => t.name),
      ['PII.Contact.Email'],
    );
    assert.equal((await auditOf(f.t, res))[0]!.action, 'TagRemoved');
    const missing = await f.call({ method: 'DELETE', url: `/tag/column/${customers}_email/PII` });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'TAG_NOT_FOUND');
  });

  it('marks a discovered tag rejected instead of deleting it', async () => {
    const tag = await f.t.store.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'PII.Phone')
      .executeTakeFirstOrThrow();
    await f.t.store.db
      .updateTable('object_tags')
      .set({ source: 'discovered' })
      .where('object_id', '=', customers)
      .where('tag_id', '=', tag.id)
      .execute();
    await f.ok({ method: 'DELETE', url: `/tag/column/${customers}_phone_number/PII.Phone` });
    const row = await f.t.store.db
      .selectFrom('object_tags')
      .select('status')
      .where('object_id', '=', customers)
      .where('tag_id', '=', tag.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'rejected');
    const view = await f.ok<{ columns: Array<{ name: string; tags: unknown[] }> }>({
      url: `/dataSource/${customers}`,
    });
    assert.deepEqual(view.columns.find((c) => c.name === 'phone_number')?.tags, []);
  });

  it('refuses to delete a tag in use (itself or below it) unless forced, and then removes it everywhere', async () => {
    const inUse = await f.call({ method: 'DELETE', url: '/tag/PII' });
    assert.equal(inUse.statusCode, 409);
    assert.equal(inUse.json().code, 'TAG_IN_USE');
    assert.deepEqual(inUse.json().usage, [
      { kind: 'dataSource', count: 1 },
      { kind: 'column', count: 1 },
    ]);
    assert.ok((await names()).includes('PII'));
    const forced = await f.call({ method: 'DELETE', url: '/tag/PII?force=true' });
    assert.equal(forced.statusCode, 200, forced.body);
    assert.deepEqual(forced.json().deleted, ['PII', 'PII.Contact', 'PII.Contact.Email', 'PII.Phone']);
    const [event] = await auditOf(f.t, forced);
    assert.equal(event!.action, 'TagDeleted');
    assert.deepEqual(await names('&under=PII'), []);
    assert.deepEqual(await objectsTaggedWith(f.t.store.db, 'PII'), []);
    const gone = await f.call({ method: 'DELETE', url: '/tag/PII' });
    assert.equal(gone.statusCode, 404);
  });

  it('deletes an unused tag, and percent-decodes a tag name in the path', async () => {
    await f.ok({ method: 'POST', url: '/tag', payload: { name: 'Discovered.Entity.Email Address' } });
    const res = await f.call({
      method: 'DELETE',
      url: `/tag/${encodeURIComponent('Discovered.Entity.Email Address')}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { deleted: ['Discovered.Entity.Email Address'], usage: [] });
    assert.deepEqual(await names('&under=Discovered'), ['Discovered', 'Discovered.Entity']);
  });

  it('lets later features register tag usage that blocks deletion', async () => {
    await f.ok({ method: 'POST', url: '/tag', payload: { name: 'Policy.Used' } });
    const policyUsage: TagUsageCheck = async (_db, tags) =>
      tags.some((t) => t.name === 'Policy.Used') ? [{ kind: 'policy', count: 2 }] : [];
    const ctx = { deps: f.t.deps, actor: { type: 'SYSTEM_ACTOR', id: null, name: 'steward' } as const };
    await assert.rejects(
      deleteTag(ctx, 'Policy', false, [...TAG_USAGE_CHECKS, policyUsage]),
      (e: { code: string; extensions: unknown }) => {
        assert.equal(e.code, 'TAG_IN_USE');
        assert.deepEqual(e.extensions, { usage: [{ kind: 'policy', count: 2 }] });
        return true;
      },
    );
    assert.deepEqual(await findTagUsage(f.t.store.db, [{ id: 1, name: 'Policy' }], [policyUsage]), []);
  });
});
