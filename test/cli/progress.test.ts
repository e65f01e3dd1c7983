import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import type { Job } from '../../src/cli/api-types.ts';
import { summarizeBulk, summaryLine } from '../../src/cli/bulk-summary.ts';
import { barProgress, lineProgress } from '../../src/cli/progress.ts';

type JobPart = Pick<Job, 'state' | 'progress'>;

const job = (state: Job['state'], done = 0, total: number | null = null): JobPart => ({
  state,
  progress: { done, total },
});

describe('bulk summary', () => {
  test('counts finished jobs and sums progress, a finished job counting as all done', () => {
    const s = summarizeBulk([
      job('completed', 1, 4),
      job('failed', 2, 5),
      job('active', 3, 10),
      job('created'),
    ]);
    assert.equal(s.jobs, 4);
    assert.equal(s.finished, 2);
    assert.equal(s.done, 4 + 5 + 3);
    assert.equal(s.total, 4 + 5 + 10 + 1);
    assert.equal(s.counts.completed, 1);
    assert.equal(s.counts.created, 1);
  });

  test('renders finished counts in parentheses and unfinished ones after them', () => {
    const line = summaryLine(
      summarizeBulk([job('completed', 1, 1), job('completed', 1, 1), job('failed'), job('active', 1, 4)]),
    );
    assert.equal(line, '3/4 jobs finished (2 completed, 1 failed); 1 active; progress 4/7');
  });
});

describe('plain progress lines', () => {
  function sink() {
    const lines: string[] = [];
    return { lines, write: (text: string) => lines.push(text) };
  }

  test('prints a line per change, at most one a second, and always the final state', () => {
    let clock = 0;
    const out = sink();
    const display = lineProgress(out, () => clock);
    display.update([job('active', 0, 10)]);
    clock = 200;
    display.update([job('active', 3, 10)]);
    display.update([job('active', 3, 10)]);
    clock = 1100;
    display.update([job('active', 5, 10)]);
    clock = 1200;
    display.update([job('active', 5, 10)]);
    display.finish([job('completed', 10, 10)]);
    assert.deepEqual(out.lines, [
      '0/1 jobs finished; 1 active; progress 0/10\n',
      '0/1 jobs finished; 1 active; progress 5/10\n',
      '1/1 jobs finished (1 completed); progress 10/10\n',
    ]);
  });

  test('does not repeat the final line when it was already printed', () => {
    const out = sink();
    const display = lineProgress(out, () => 0);
    display.update([job('completed', 1, 1)]);
    display.finish([job('completed', 1, 1)]);
    assert.equal(out.lines.length, 1);
  });

  test('prints nothing at the end when no job was ever seen', () => {
    const out = sink();
    lineProgress(out).finish([]);
    assert.deepEqual(out.lines, []);
  });
});

describe('progress bar', () => {
  test('draws the bar with job counts on a terminal stream and stops', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let output = '';
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const display = barProgress(stream);
    display.update([job('active', 1, 4), job('created')]);
    display.finish([job('completed', 4, 4), job('failed')]);
    assert.match(output, /2\/2 jobs finished \(1 completed, 1 failed\) \| progress 5\/5/);
  });
});
