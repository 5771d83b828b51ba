// Entry point of a worker thread: registers TypeScript support (tsx), then
// loads the task module named in workerData. Plain JavaScript, so it runs
// the same under `npm start`, the CLI and the tests.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
