import * as z from './zod';

// Characters a display name must not hold: C0/C1 controls (NUL, newlines, ESC...) and the bidirectional overrides and
// isolates that can make a name read differently from what it stores (the "Trojan Source" characters).
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
// At least one letter, digit, punctuation mark or symbol: a name of only spaces, zero-width or format characters is
// invisible in the mini-program.
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

const characters = (value: string) => [...value].length;

/**
 * Text shown to shoppers (store, product and address names): trimmed, well-formed Unicode (no lone surrogates), no
 * control or bidi-override characters, at least one visible character, and 1 to `maxCharacters` characters counted
 * as code points (so a Chinese name gets the same allowance as an English one, emoji included).
 */
export function displayText(maxCharacters: number) {
  return z.string().check(
    z.trim(),
    z.refine((value) => value.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)'),
    z.refine((value) => !FORBIDDEN.test(value), 'must not contain control or bidirectional-override characters'),
    z.refine((value) => VISIBLE.test(value), 'must contain at least one visible character'),
    z.refine((value) => characters(value) <= maxCharacters, `must be at most ${maxCharacters} characters`),
  );
}

const CLOCK = String.raw`([01]\d|2[0-3]):[0-5]\d`;

/**
 * Opening hours `HH:MM-HH:MM` on a 24-hour clock, 00:00 to 23:59, with `24:00` allowed as the end of a day
 * (`08:00-24:00`). An end before the start means the store closes after midnight (`22:00-02:00`); equal ends are
 * refused as meaningless.
 */
export const openHours = z.string().check(
  z.regex(new RegExp(`^${CLOCK}-(${CLOCK}|24:00)$`), 'must be HH:MM-HH:MM between 00:00 and 23:59 (24:00 allowed as the end), e.g. 08:00-22:00'),
  z.refine((value) => value.slice(0, 5) !== value.slice(6), 'must not open and close at the same time'),
);
