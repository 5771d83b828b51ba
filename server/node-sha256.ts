// Installs node:crypto's SHA-256 as the core's (core/sha256.ts): every Node.js
// entry point (server, CLI, standalone verifier, benchmarks) calls this once.
import { hash } from 'node:crypto';
import { useSha256 } from '../core/sha256';

export function useNodeSha256(): void {
  useSha256((bytes) => {
    const digest = hash('sha256', bytes, 'buffer');
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  });
}
