// `accord user`: account administration directly in DATA_DIR's database: add
// the first chair before anyone can sign in, and stop access (disable a user,
// sign them out everywhere, list and revoke tokens, issue a new token).
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createUserBody } from '../core/api';
import { AccountService } from '../server/auth/accounts';
import { createUser } from '../server/auth/users';
import { configFromEnv } from '../server/config';
import { openConfiguredStore } from '../server/store/open';
import type { Account, Store } from '../server/store/types';
import { parseArgs, UsageError } from './args';

export const USER_USAGE = `accord user add --name NAME --email EMAIL --org ORGANISATION --group GROUP --role ROLE [--password PASSWORD] [--data-dir DIR]
  GROUP: government | private-sector | civil-society | technical-community | academia | intergovernmental
  ROLE:  admin | chair | editor | stakeholder | observer
accord user list [--data-dir DIR]
accord user disable|enable --email EMAIL [--data-dir DIR]
accord user sign-out --email EMAIL [--tokens] [--data-dir DIR]     (ends every session; --tokens: API tokens too)
accord user tokens --email EMAIL [--data-dir DIR]                  (lists tokens and sessions by id)
accord user revoke --email EMAIL --id TOKEN_ID [--data-dir DIR]
accord user new-token --email EMAIL [--data-dir DIR]`;

const ADMIN_COMMANDS = ['list', 'disable', 'enable', 'sign-out', 'tokens', 'revoke', 'new-token'];

export async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') return addUser(rest);
  if (sub && ADMIN_COMMANDS.includes(sub)) return administer(sub, rest);
  throw new UsageError(`usage: ${USER_USAGE}`);
}

/** DATA_DIR's SQLite file, or with ACCORD_DATABASE_URL (and no --data-dir) the shared PostgreSQL database. */
async function openStore(flags: Map<string, string>): Promise<Store> {
  const config = configFromEnv();
  const dataDir = flags.has('data-dir') ? resolve(flags.get('data-dir')!) : config.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = flags.has('data-dir') ? undefined : config.databaseUrl;
  return (await openConfiguredStore({ ...config, dataDir, databaseUrl })).store;
}

async function addUser(args: string[]): Promise<number> {
  const { flags } = parseArgs(args, ['name', 'email', 'org', 'group', 'role', 'password', 'data-dir']);
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
  const store = await openStore(flags);
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

const describe = (a: Account): string => `${a.user.id}  ${a.user.role.padEnd(11)} ${a.user.name} <${a.user.email}>${a.disabledAt ? `  DISABLED since ${a.disabledAt}` : ''}`;

/**
 * Changes take effect for every new request and WebSocket at once; a running
 * server also closes open WebSockets made with revoked credentials within a
 * minute (it re-checks them), or at once when the change is made through its API.
 */
async function administer(command: string, args: string[]): Promise<number> {
  const { flags } = parseArgs(args, ['email', 'id', 'data-dir'], ['tokens']);
  const store = await openStore(flags);
  try {
    if (command === 'list') {
      for (const account of await store.users.list()) console.log(describe(account));
      return 0;
    }
    const email = flags.get('email');
    if (!email) throw new UsageError(`--email is required\nusage: ${USER_USAGE}`);
    const found = await store.users.credentials(email);
    if (!found) {
      console.error(`error: no account with the e-mail address ${email}`);
      return 1;
    }
    const userId = found.user.id;
    const accounts = new AccountService(store);
    switch (command) {
      case 'disable': {
        const done = (await accounts.disable(userId))!;
        console.log(`disabled: ${describe(done)}; ${done.revoked.length} session(s) ended`);
        return 0;
      }
      case 'enable':
        console.log(`enabled: ${describe((await accounts.enable(userId))!)}`);
        return 0;
      case 'sign-out': {
        const ended = await accounts.signOutEverywhere(userId, { tokens: flags.has('tokens') });
        console.log(`${found.user.email}: ${ended.revoked.length} session(s)${flags.has('tokens') ? ' and token(s)' : ''} ended`);
        return 0;
      }
      case 'tokens':
        for (const t of await store.tokens.list(userId, new Date())) console.log(`${t.id}  ${t.kind.padEnd(7)} created ${t.createdAt}${t.expiresAt ? `, expires ${t.expiresAt}` : ''}`);
        return 0;
      case 'revoke': {
        const id = flags.get('id');
        if (!id) throw new UsageError(`--id is required (see "accord user tokens")\nusage: ${USER_USAGE}`);
        if (!(await accounts.revoke(userId, id))) {
          console.error(`error: ${found.user.email} has no token or session ${id}`);
          return 1;
        }
        console.log(`revoked ${id}`);
        return 0;
      }
      default: {
        const issued = await accounts.issueToken(userId);
        console.log(`token: ${issued.token}   (id ${issued.id}; shown once)`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}
