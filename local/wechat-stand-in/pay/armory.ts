import * as z from 'zod';

/** What a call or notification is about; an armed entry applies where every key it names is equal. */
export type Subject = Partial<Record<'operation' | 'outTradeNo' | 'outRefundNo' | 'eventType', string>>;

export type ArmedEntry<T> = {
  id: number;
  /** Empty: everything (fine for a private stand-in; tests sharing one should scope by outTradeNo). */
  where: Subject;
  /** The 1-based numbers, counted from arming, of the matching calls it applies to. */
  calls: number[];
  /** Matching calls seen so far. */
  seen: number;
  fired: number;
  value: T;
};

export type Armory<T> = {
  arm(where: Subject, value: T, calls?: number[]): ArmedEntry<T>;
  /** Counts the subject against every entry it matches and returns the values of those that apply to it, oldest first. */
  take(subject: Subject): T[];
  list(): readonly ArmedEntry<T>[];
  /** Drops the entries naming any of these keys' values; everything when empty. */
  clear(where: Subject): number;
};

/** Zod fields for the scope of a control-route body. */
export const scopeFields = {
  outTradeNo: z.string().min(1).optional(),
  outRefundNo: z.string().min(1).optional(),
};

export const callsField = z.array(z.number().int().positive()).min(1).optional();

const matches = (where: Subject, subject: Subject) => Object.entries(where).every(([key, value]) => subject[key as keyof Subject] === value);

/** Faults and outcomes armed by tests, scoped and counted per entry so that parallel tests do not consume each other's. */
export function createArmory<T>(): Armory<T> {
  let entries: ArmedEntry<T>[] = [];
  let nextId = 1;
  return {
    arm(where, value, calls = [1]) {
      const entry: ArmedEntry<T> = { id: nextId++, where: Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined)), calls, seen: 0, fired: 0, value };
      entries.push(entry);
      return entry;
    },
    take(subject) {
      const firing: T[] = [];
      for (const entry of entries.filter((candidate) => matches(candidate.where, subject))) {
        entry.seen += 1;
        if (!entry.calls.includes(entry.seen)) continue;
        entry.fired += 1;
        firing.push(entry.value);
      }
      entries = entries.filter((entry) => entry.seen < Math.max(...entry.calls));
      return firing;
    },
    list: () => entries,
    clear(where) {
      const named = Object.entries(where).filter(([, value]) => value !== undefined);
      const before = entries.length;
      entries = named.length === 0 ? [] : entries.filter((entry) => !named.some(([key, value]) => entry.where[key as keyof Subject] === value));
      return before - entries.length;
    },
  };
}
