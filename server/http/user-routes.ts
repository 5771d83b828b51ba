// Accounts: chairs and admins add people, each with a bearer token shown once.
// Admins can also stop access: list and revoke tokens and sessions, sign a
// user out everywhere, disable and re-enable a user (closing their sockets).
import { Router } from 'express';
import { z } from 'zod';
import { createUserBody } from '../../core/api';
import type { AccountService } from '../auth/accounts';
import type { Account, Store } from '../store/types';
import { createUser } from '../auth/users';
import { forbidden, notFound, msg } from './errors';
import { requireRole } from './identity';

const ADMIN_ONLY = ['admin'] as const;
const signOutBody = z.object({ tokens: z.boolean().optional() }).strict();

const accountView = (a: Account) => ({ ...a.user, disabled: a.disabledAt !== null, disabledAt: a.disabledAt });

export function userRoutes(store: Store, accounts: AccountService): Router {
  const router = Router();
  router.post('/api/users', async (req, res) => {
    const actor = requireRole(req, ['chair'], 'addUser');
    const body = createUserBody.parse(req.body);
    if (body.role === 'admin' && actor.role !== 'admin') throw forbidden(msg('role.adminOnlyCreatesAdmin'));
    const created = await createUser(store, body);
    res.status(201).json(created);
  });

  router.get('/api/users', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'listAccounts');
    res.json((await store.users.list()).map(accountView));
  });

  router.post('/api/users/:uid/disable', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'disableAccount');
    const done = await accounts.disable(req.params.uid);
    if (!done) throw notFound(msg('account.notFound', { id: req.params.uid }));
    res.json({ ...accountView(done), sessionsEnded: done.revoked.length, socketsClosed: done.socketsClosed });
  });

  router.post('/api/users/:uid/enable', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'enableAccount');
    const done = await accounts.enable(req.params.uid);
    if (!done) throw notFound(msg('account.notFound', { id: req.params.uid }));
    res.json(accountView(done));
  });

  router.post('/api/users/:uid/sign-out', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'signOutUser');
    const body = signOutBody.parse(req.body ?? {});
    const ended = await accounts.signOutEverywhere(req.params.uid, { tokens: body.tokens ?? false });
    res.json({
      sessionsEnded: ended.revoked.filter((t) => t.kind === 'session').length,
      tokensRevoked: ended.revoked.filter((t) => t.kind === 'api').length,
      socketsClosed: ended.socketsClosed,
    });
  });

  router.get('/api/users/:uid/tokens', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'listTokens');
    res.json(await store.tokens.list(req.params.uid, new Date()));
  });

  router.post('/api/users/:uid/tokens', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'issueToken');
    if (!(await store.users.byId(req.params.uid))) throw notFound(msg('account.notFound', { id: req.params.uid }));
    res.status(201).json(await accounts.issueToken(req.params.uid));
  });

  router.delete('/api/users/:uid/tokens/:tid', async (req, res) => {
    requireRole(req, ADMIN_ONLY, 'revokeToken');
    const ended = await accounts.revoke(req.params.uid, req.params.tid);
    if (!ended) throw notFound(msg('account.credentialNotFound', { id: req.params.uid, credential: req.params.tid }));
    res.status(204).end();
  });
  return router;
}
