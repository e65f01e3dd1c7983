import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { tagMatches, tagOrDescendant } from '../../src/tags/tag-match.ts';
import { checkTagName, parentTag, tagLineage } from '../../src/tags/tag-name.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

describe('tag hierarchy matching', () => {
  it('matches a tag itself and every tag below it, and nothing else', () => {
    assert.equal(tagMatches('PII', 'PII'), true);
    assert.equal(tagMatches('PII', 'PII.Email'), true);
    assert.equal(tagMatches('PII', 'PII.Email.Work'), true);
    assert.equal(tagMatches('PII.Email', 'PII'), false, 'a child does not match its parent');
    assert.equal(tagMatches('PII', 'PIIX'), false, 'a longer name is not a child');
    assert.equal(tagMatches('PII', 'PIIX.Email'), false);
    assert.equal(tagMatches('PII', 'pii.Email'), false, 'names are case-sensitive');
    assert.equal(tagMatches('Discovered.Entity', 'Discovered.Entity.Email Address'), true);
  });

  it('lists a tag after its ancestors, root first', () => {
    assert.deepEqual(tagLineage('A.B.C'), ['A', 'A.B', 'A.B.C']);
    assert.deepEqual(tagLineage('New'), ['New']);
    assert.equal(parentTag('A.B.C'), 'A.B');
    assert.equal(parentTag('A'), null);
  });

  it('normalises names and refuses empty levels, long levels and control characters', () => {
    assert.deepEqual(checkTagName(' PII . Email Address '), { ok: true, name: 'PII.Email Address' });
    assert.equal(checkTagName('PII..Email').ok, false);
    assert.equal(checkTagName('.PII').ok, false);
    assert.equal(checkTagName('PII.').ok, false);
    assert.equal(checkTagName('   ').ok, false);
    assert.equal(checkTagName(`PII.${'x'.repeat(101)}`).ok, false);
    assert.equal(checkTagName(`PII.${'x'.repeat(100)}`).ok, true);
    assert.equal(checkTagName('PII\u0000Email').ok, false);
    assert.equal(checkTagName('PII\nEmail').ok, false);
    assert.equal(checkTagName(Array.from({ length: 21 }, () => 'a').join('.')).ok, false);
  });

  describe('in SQL', () => {
    let store: TestStore;
    before(async () => {
      store = await createTestStore();
    });
    after(async () => {
      await store.close();
    });

    it('agrees with tagMatches on random names, LIKE wildcards included', async () => {
      const segment = fc.stringMatching(/^[A-Za-z%_\\ ]{1,3}$/);
      const name = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(name, { minLength: 1, maxLength: 12 }),
          name,
          async (names, policy) => {
            await store.db.deleteFrom('tags').execute();
            await store.db
              .insertInto('tags')
              .values(
                names.map((n) => ({
                  name: n,
                  description: null,
                  source: 'manual' as const,
                  created_by: null,
                })),
              )
              .execute();
            const rows = await store.db
              .selectFrom('tags')
              .select('name')
              .where(tagOrDescendant('name', policy))
              .orderBy('name')
              .execute();
            const expected = names.filter((n) => tagMatches(policy, n));
            assert.deepEqual(rows.map((r) => r.name).sort(), expected.sort());
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
