// The worker thread's side of the pool: answers each task message in order.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task, type TaskResult } from './tasks';

/** Bytes that own their whole buffer (a redline's JSON) are moved to the event loop, not copied; a view into a shared buffer is copied. */
function transferable(result: TaskResult): ArrayBuffer[] {
  return result instanceof Uint8Array && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength && result.buffer instanceof ArrayBuffer ? [result.buffer] : [];
}

parentPort?.on('message', (message: { id: number; task: Task }) => {
  runTask(message.task).then(
    (result) => parentPort?.postMessage({ id: message.id, ok: true, result }, transferable(result)),
    (err: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
