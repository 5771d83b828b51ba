// Sign-in, sign-out and "who am I" for the browser (session cookie).
import { Router, type Response } from 'express';
import { signInBody } from '../../core/api';
import { cookieFrom, SESSION_COOKIE } from '../auth/identity';
import { verifyPassword } from '../auth/passwords';
import { newToken, tokenHash } from '../auth/tokens';
import type { Authenticator } from '../auth/identity';
import type { Store } from '../store/types';
import { unauthorized } from './errors';
import { currentUser, requireUser } from './identity';

const SESSION_DAYS = 30;

export function sessionRoutes(store: Store, auth: Authenticator): Router {
  const router = Router();

  router.post('/api/session', async (req, res: Response) => {
    const body = signInBody.parse(req.body);
    let user;
    if ('token' in body) {
      const found = await auth.resolve({ bearer: body.token });
      if (found === null || found === 'invalid') throw unauthorized('that access token is not valid');
      user = found;
    } else {
      const creds = await store.users.credentials(body.email);
      const ok = creds?.passwordHash ? await verifyPassword(body.password, creds.passwordHash) : false;
      if (!creds || !ok) throw unauthorized('wrong email or password');
      user = creds.user;
    }
    const session = newToken('ses');
    const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await store.tokens.create(tokenHash(session), user.id, 'session', expires);
    res.cookie(SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'lax',
      // Secure whenever this request came over HTTPS (directly, or through a trusted proxy's X-Forwarded-Proto).
      secure: req.secure,
      path: '/',
      expires,
    });
    res.json({ user });
  });

  router.delete('/api/session', async (req, res) => {
    const session = cookieFrom(req.headers.cookie, SESSION_COOKIE);
    if (session) await store.tokens.delete(tokenHash(session));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/api/me', (req, res) => {
    if (!currentUser(req)) throw unauthorized('not signed in');
    res.json({ user: requireUser(req) });
  });

  return router;
}
