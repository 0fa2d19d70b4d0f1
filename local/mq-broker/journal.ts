import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerEvent } from './store/events';

/** Where events go. The in-memory broker uses a journal that keeps nothing. */
export type Journal = {
  append(event: BrokerEvent): void;
  /** Replaces the whole journal with `events` (a snapshot of the current state). */
  rewrite(events: BrokerEvent[]): void;
  /** Lines appended since the last rewrite: the caller compacts when this grows far beyond the live state. */
  readonly appendedSinceRewrite: number;
  close(): void;
};

export const memoryJournal = (): Journal => ({ append: () => {}, rewrite: () => {}, appendedSinceRewrite: 0, close: () => {} });

// A publish or commit is answered only after its line is on disk, so a crash never loses an acknowledged message.
// Other events are written (surviving a process crash) but not synced: losing one on a power cut only causes an
// extra delivery or check-back, which at-least-once delivery allows.
const SYNCED: ReadonlySet<BrokerEvent['e']> = new Set(['pub', 'half', 'commit']);

const FILE = 'journal.ndjson';

/** Reads the journal's events. A torn last line (a crash mid-write) is ignored; damage elsewhere is an error. */
export function readJournal(dataDir: string): BrokerEvent[] {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const events: BrokerEvent[] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    try {
      events.push(JSON.parse(line) as BrokerEvent);
    } catch (error) {
      const isLast = lines.slice(index + 1).every((rest) => rest === '');
      if (!isLast) throw new Error(`${path} line ${index + 1} is not valid JSON: ${String(error)}`);
    }
  });
  return events;
}

/** An append-only file of JSON lines in `dataDir`, one event per line, rewritten whole on compaction. */
export function fileJournal(dataDir: string): Journal {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, FILE);
  let fd = openSync(path, 'a');
  let appended = 0;
  return {
    append(event) {
      writeSync(fd, `${JSON.stringify(event)}\n`);
      if (SYNCED.has(event.e)) fdatasyncSync(fd);
      appended += 1;
    },
    rewrite(events) {
      const temporary = `${path}.tmp`;
      const out = openSync(temporary, 'w');
      const chunk: string[] = [];
      for (const event of events) chunk.push(JSON.stringify(event));
      if (chunk.length > 0) writeSync(out, `${chunk.join('\n')}\n`);
      fsyncSync(out);
      closeSync(out);
      // rename() is atomic: a crash leaves either the old journal or the complete new one.
      renameSync(temporary, path);
      closeSync(fd);
      fd = openSync(path, 'a');
      syncDirectory(dataDir);
      appended = 0;
    },
    get appendedSinceRewrite() {
      return appended;
    },
    close() {
      closeSync(fd);
    },
  };
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
