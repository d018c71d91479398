/** Entry point of the GitHub Action bundle (`action/index.mjs`, built by `npm run build:action`). */
import { runAction } from './run.js';

await runAction();
