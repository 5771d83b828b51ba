// The worker thread's side of the pool: answers each task message in order.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task } from './tasks';

parentPort?.on('message', (message: { id: number; task: Task }) => {
  runTask(message.task).then(
    (result) => parentPort?.postMessage({ id: message.id, ok: true, result }),
    (err: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
