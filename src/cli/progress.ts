import { Presets, SingleBar } from 'cli-progress';
import type { Job } from './api-types.ts';
import { describeCounts, summarizeBulk, summaryLine } from './bulk-summary.ts';
import type { TextSink } from './output.ts';

/** Shows how the jobs of a bulk operation progress while a command waits for them. */
export interface ProgressDisplay {
  /** Shows the latest state of the jobs. */
  update(jobs: ReadonlyArray<Pick<Job, 'state' | 'progress'>>): void;
  /** Shows the final state (nothing when no jobs were ever seen) and releases the display. */
  finish(jobs: ReadonlyArray<Pick<Job, 'state' | 'progress'>>): void;
}

/** The least time between two plain progress lines. */
export const LINE_INTERVAL_MS = 1000;

/**
 * Plain progress for logs and pipes: one line per change, at most one a second (changes in between are
 * folded into the next line), and always the final state.
 */
export function lineProgress(out: TextSink, now: () => number = Date.now): ProgressDisplay {
  let last: string | undefined;
  let lastAt = Number.NEGATIVE_INFINITY;
  const print = (line: string) => {
    out.write(line + '\n');
    last = line;
    lastAt = now();
  };
  return {
    update(jobs) {
      const line = summaryLine(summarizeBulk(jobs));
      if (line !== last && now() - lastAt >= LINE_INTERVAL_MS) print(line);
    },
    finish(jobs) {
      if (jobs.length === 0) return;
      const line = summaryLine(summarizeBulk(jobs));
      if (line !== last) print(line);
    },
  };
}

/** A progress bar for terminals: work done over all jobs, with job counts by state beside it. */
export function barProgress(stream: NodeJS.WritableStream): ProgressDisplay {
  const bar = new SingleBar(
    {
      stream,
      format: '{bar} {percentage}% | {finished}/{jobs} jobs finished{states} | progress {value}/{total}',
      hideCursor: false,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  const show = (jobs: ReadonlyArray<Pick<Job, 'state' | 'progress'>>) => {
    const s = summarizeBulk(jobs);
    const states = [describeCounts(s.counts, true), describeCounts(s.counts, false)].filter((t) => t !== '');
    const payload = {
      finished: s.finished,
      jobs: s.jobs,
      states: states.length ? ` (${states.join('; ')})` : '',
    };
    if (!started) {
      bar.start(s.total, s.done, payload);
      started = true;
    } else {
      bar.setTotal(s.total);
      bar.update(s.done, payload);
    }
  };
  return {
    update: show,
    finish(jobs) {
      if (jobs.length > 0) show(jobs);
      if (started) bar.stop();
    },
  };
}

/** Chooses the display: a bar when the stream is a terminal, plain lines otherwise. */
export function progressFor(stream: NodeJS.WriteStream): ProgressDisplay {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}
