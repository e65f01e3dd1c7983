import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetadataFixture, type MetadataFixture } from './fixture.ts';

interface View {
  tags: Array<{ name: string; source: string }>;
  columns: Array<{ name: string; tags: Array<{ name: string; source: string }> }>;
}

describe('the New tag: object sync tags what schema changes bring (embedded PostgreSQL)', () => {
  let f: MetadataFixture;
  before(async () => {
    f = await createMetadataFixture();
  });
  after(async () => {
    await f.close();
  });

  const newTags = () =>
    f.t.store.db
      .selectFrom('object_tags as ot')
      .innerJoin('tags as t', 't.id', 'ot.tag_id')
      .innerJoin('data_objects as o', 'o.id', 'ot.object_id')
      .select(['o.name as table', 'ot.column_name as column', 'ot.source'])
      .where('t.name', '=', 'New')
      .orderBy('o.name')
      .orderBy('ot.column_name')
      .execute();

  it('tags nothing on the first crawl, and does not create the tag', async () => {
    await f.register('wh');
    assert.deepEqual(await newTags(), []);
    const tags = await f.ok<{ tags: unknown[] }>({ url: '/tag?searchText=New' });
    assert.deepEqual(tags.tags, []);
  });

  it('tags a new table in a known schema, added and retyped columns, and nothing else', async () => {
    await f.wh.exec(`
      CREATE TABLE sales.refunds (id bigint, amount numeric);
      ALTER TABLE sales.customers ADD COLUMN loyalty_tier text;
      ALTER TABLE sales.orders ALTER COLUMN amount TYPE numeric(14,2);
      ALTER TABLE hr.employees DROP COLUMN email;
      CREATE SCHEMA marketing;
      CREATE TABLE marketing.campaigns (id int);`);
    await f.crawl('wh');
    assert.deepEqual(await newTags(), [
      { table: 'customers', column: 'loyalty_tier', source: 'schemaChange' },
      { table: 'orders', column: 'amount', source: 'schemaChange' },
      { table: 'refunds', column: '', source: 'schemaChange' },
    ]);
    const tag = await f.ok<{ tags: Array<{ name: string; source: string }> }>({ url: '/tag?searchText=New' });
    assert.deepEqual(
      tag.tags.map((t) => [t.name, t.source]),
      [['New', 'schemaChange']],
    );
    const refunds = await f.ok<View>({
      url: `/dataSource/${await f.dataSourceId('wh', 'sales', 'refunds')}`,
    });
    assert.deepEqual(
      refunds.tags.map((t) => [t.name, t.source]),
      [['New', 'schemaChange']],
    );
    const customers = await f.ok<View>({
      url: `/dataSource/${await f.dataSourceId('wh', 'sales', 'customers')}`,
    });
    assert.deepEqual(customers.tags, []);
    assert.deepEqual(
      customers.columns.filter((c) => c.tags.some((t) => t.name === 'New')).map((c) => c.name),
      ['loyalty_tier'],
      'only the added column is New (discovery may tag others)',
    );
    const found = await f.ok<{ dataSources: Array<{ name: string }> }>({ url: '/dataSource?tag=New' });
    assert.deepEqual(
      found.dataSources.map((d) => d.name.split('.').slice(1).join('.')),
      ['sales.customers', 'sales.orders', 'sales.refunds'],
    );
  });

  it('keeps one New tag when a tagged column changes again, and leaves unchanged crawls alone', async () => {
    await f.wh.exec('ALTER TABLE sales.orders ALTER COLUMN amount TYPE numeric(16,2);');
    await f.crawl('wh');
    await f.crawl('wh');
    assert.equal((await newTags()).length, 3);
  });

  it('tags again after the tag was removed, when another change comes', async () => {
    const orders = await f.dataSourceId('wh', 'sales', 'orders');
    await f.ok({ method: 'DELETE', url: `/tag/column/${orders}_amount/New` });
    await f.ok({ method: 'DELETE', url: '/tag/New?force=true' });
    assert.deepEqual(await newTags(), []);
    await f.wh.exec('ALTER TABLE sales.orders ADD COLUMN note text;');
    await f.crawl('wh');
    assert.deepEqual(await newTags(), [{ table: 'orders', column: 'note', source: 'schemaChange' }]);
  });
});
