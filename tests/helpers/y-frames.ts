// y-websocket sync frames as a client sends them, for tests that talk to a
// room or a server below the provider.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

/** A sync message: `sub` is sync step 1 (a state vector), step 2 or an update. */
export function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** A document update, as a provider sends each local change. */
export function updateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(syncProtocol.messageYjsUpdate, update);
}

/** Sync step 1 from a client that has nothing yet: "send me the whole document". */
export function syncStep1Frame(stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Uint8Array {
  return syncFrame(syncProtocol.messageYjsSyncStep1, stateVector);
}
