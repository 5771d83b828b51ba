// `accord witness` as a real child process, for the witness tests: started
// through bin/accord.mjs like a user would, its verifier key read from the
// line it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, ROOT } from './process';

export interface WitnessProcess {
  url: string;
  port: number;
  dataDir: string;
  verifierKey: string;
  output(): string;
  stop(): Promise<void>;
}

const VKEY_LINE = /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/m;

export async function spawnWitness(opts: { dataDir: string; logKey: string; name: string; port?: number }): Promise<WitnessProcess> {
  const port = opts.port ?? (await freePort());
  let out = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin/accord.mjs'), 'witness', '--data-dir', opts.dataDir, '--port', String(port), '--log', opts.logKey, '--name', opts.name],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const verifierKey = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness did not start: ${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const match = VKEY_LINE.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', () => reject(new Error(`witness exited: ${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir: opts.dataDir,
    verifierKey,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
