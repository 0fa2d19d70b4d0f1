import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini rather than zod: the same validation and JSON Schema output at a fraction of the bundle (about 20 KB with
// the English messages against about 450 KB). It ships without messages; the English locale makes every validation
// error name what is wrong. Every module of ours imports zod through this one (`import * as z from '.../schemas/zod'`),
// so the locale is always configured. A re-export keeps tree-shaking working; exporting a namespace object would not.
config(en());

export * from 'zod/mini';
