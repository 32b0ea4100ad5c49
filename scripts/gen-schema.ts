// Writes schemas/railyard.schema.json from the zod schema in daemon/project/railyardConfig.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { railyardJsonSchema } from '../daemon/project/railyardConfig';

const out = path.resolve(__dirname, '..', 'schemas', 'railyard.schema.json');
fs.writeFileSync(out, JSON.stringify(railyardJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${out}\n`);
