// The yardstick: a bare js-yaml loadAll of every manifest file under a directory — read the
// files, parse them, nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';

const root = process.argv[2];
let docs = 0;
for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(ya?ml|json)$/.test(entry.name)) continue;
  docs += jsyaml.loadAll(readFileSync(join(entry.parentPath ?? entry.path, entry.name), 'utf8')).length;
}
console.log(docs);
