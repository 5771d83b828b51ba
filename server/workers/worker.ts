// The worker thread's side of the pool: answers each task message in order.
import { parentPort } from 'node:worker_threads';
import { runTask, type Task, type TaskResult } from './tasks';

/** Bytes that own their whole buffer (a redline's JSON) are moved to the event loop, not copied; a view into a shared buffer is copied. */
function transferable(result: TaskResult): ArrayBuffer[] {
  return result instanceof Uint8Array && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength && result.buffer instanceof ArrayBuffer ? [result.buffer] : [];
}

const failed = (id: number, err: unknown) => parentPort?.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });

parentPort?.on('message', (message: { id: number; task: Task }) => {
  runTask(message.task).then((result) => {
    try {
      parentPort?.postMessage({ id: message.id, ok: true, result }, transferable(result));
    } catch (err) {
      // A result that cannot be handed over (a buffer already moved) fails its task; it never leaves it waiting.
      failed(message.id, err);
    }
  }, (err: unknown) => failed(message.id, err));
});
