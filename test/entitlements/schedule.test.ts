import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENTITLEMENT_DEBOUNCE_MS } from '../../src/entitlements/request-sync.ts';
import { withDebouncedWake } from '../../src/entitlements/schedule.ts';

describe('waking the job runner for debounced syncs', () => {
  it('wakes at once on every call and once more when the debounce ends, shared by calls within it', async () => {
    let wakes = 0;
    const wake = withDebouncedWake(() => wakes++);
    wake();
    wake();
    assert.equal(wakes, 2);
    await sleep(ENTITLEMENT_DEBOUNCE_MS + 100);
    assert.equal(wakes, 3);
    wake();
    await sleep(ENTITLEMENT_DEBOUNCE_MS + 100);
    assert.equal(wakes, 5);
  });
});
