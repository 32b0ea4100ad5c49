// The one zod every part of Railyard builds its schemas with: zod/mini, whose functions a bundle
// keeps only when it calls them (classic zod's methods drag in all of zod), with English messages.
// Import it as a namespace (`import * as z from './zod'`) and never pass `z` itself around: a
// bundler keeps only the `z.…` functions named in the code, as long as the namespace stays a name.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini sets no locale of its own: without this every issue would read "Invalid input", and the
// daemon's InvalidParams sentences (which field, what was wrong) would say nothing.
config(en());

export * from 'zod/mini';
