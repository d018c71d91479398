/** Entry point of the GitHub Action bundle (`action/index.mjs`, built by `npm run build:action`). */
import '../v8-tuning.js';
import { runAction } from './run.js';

await runAction();
