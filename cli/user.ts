// `accord user add`: creates an account directly in DATA_DIR's database
// (for the first chair, before anyone can sign in), printing its token once.
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createUserBody } from '../core/api';
import { createUser } from '../server/auth/users';
import { configFromEnv } from '../server/config';
import { loadOrCreateLogKey } from '../server/log/key';
import { openSqliteStore } from '../server/store/sqlite';
import { parseArgs, UsageError } from './args';

export const USER_USAGE = `accord user add --name NAME --email EMAIL --org ORGANISATION --group GROUP --role ROLE [--password PASSWORD] [--data-dir DIR]
  GROUP: government | private-sector | civil-society | technical-community | academia | intergovernmental
  ROLE:  admin | chair | editor | stakeholder | observer`;

export async function userCommand(args: string[]): Promise<number> {
  if (args[0] !== 'add') throw new UsageError(`usage: ${USER_USAGE}`);
  const { flags } = parseArgs(args.slice(1), ['name', 'email', 'org', 'group', 'role', 'password', 'data-dir']);
  const input = createUserBody.safeParse({
    name: flags.get('name'),
    email: flags.get('email'),
    organization: flags.get('org'),
    stakeholderGroup: flags.get('group'),
    role: flags.get('role'),
    password: flags.get('password'),
  });
  if (!input.success) {
    throw new UsageError(`${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}\nusage: ${USER_USAGE}`);
  }
  const config = configFromEnv();
  const dataDir = flags.has('data-dir') ? resolve(flags.get('data-dir')!) : config.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const key = loadOrCreateLogKey(dataDir, config.logOrigin);
  const store = openSqliteStore(join(dataDir, 'accord.sqlite'), key.signCheckpoint);
  try {
    const user = await createUser(store, input.data);
    console.log(`created ${user.role} ${user.name} <${user.email}> (${user.organization}, ${user.stakeholderGroup})`);
    console.log(`id:    ${user.id}`);
    console.log(`token: ${user.token}   (shown once; use it as "Authorization: Bearer <token>" or to sign in)`);
    if (!input.data.password) console.log('no password set: sign in on the web page with the token');
    return 0;
  } finally {
    await store.close();
  }
}
