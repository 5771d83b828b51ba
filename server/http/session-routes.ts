// Sign-in, sign-out and "who am I" for the browser (session cookie). Wrong
// passwords are throttled per account and per address; an unknown account
// costs the same time as a wrong password.
import { Router, type Request, type Response } from 'express';
import { signInBody, updateMeBody, type User } from '../../core/api';
import type { AccountService } from '../auth/accounts';
import { cookieFrom, SESSION_COOKIE } from '../auth/identity';
import type { Authenticator } from '../auth/identity';
import type { LoginThrottle } from '../auth/login-throttle';
import { checkPassword } from '../auth/passwords';
import { newToken, tokenHash } from '../auth/tokens';
import type { Store } from '../store/types';
import { HttpError, notFound, unauthorized } from './errors';
import { currentUser, requireUser } from './identity';

const SESSION_DAYS = 30;

export interface SessionDeps {
  store: Store;
  auth: Authenticator;
  accounts: AccountService;
  throttle: LoginThrottle;
}

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export function sessionRoutes({ store, auth, accounts, throttle }: SessionDeps): Router {
  const router = Router();

  async function byPassword(req: Request, res: Response, email: string, password: string): Promise<User> {
    const attempt = await throttle.begin(email, clientAddress(req));
    if ('retryAfter' in attempt) {
      res.set('Retry-After', String(attempt.retryAfter));
      throw new HttpError(429, 'rate_limited', `too many failed sign-ins; try again in ${attempt.retryAfter} s`);
    }
    const creds = await store.users.credentials(email);
    // Always one scrypt verification, against a dummy hash when there is no account.
    const ok = await checkPassword(password, creds?.passwordHash);
    if (!creds || !ok || creds.disabledAt !== null) throw unauthorized('wrong email or password');
    attempt.succeeded();
    return creds.user;
  }

  router.post('/api/session', async (req, res: Response) => {
    const body = signInBody.parse(req.body);
    let user: User;
    if ('token' in body) {
      const found = await auth.resolve({ bearer: body.token });
      if (found === null || found === 'invalid') throw unauthorized('that access token is not valid');
      user = found;
    } else {
      user = await byPassword(req, res, body.email, body.password);
    }
    const session = newToken('ses');
    const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await store.tokens.create(tokenHash(session), user.id, 'session', expires, auth.sessionBinding(user));
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

  // Signing out ends the session and closes the WebSockets opened with it.
  router.delete('/api/session', async (req, res) => {
    const session = cookieFrom(req.headers.cookie, SESSION_COOKIE);
    if (session) await accounts.endSession(session);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  // Every session of the caller, on every device, ends; so do their open WebSockets.
  router.post('/api/session/sign-out-everywhere', async (req, res) => {
    const user = requireUser(req);
    const ended = await accounts.signOutEverywhere(user.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ sessionsEnded: ended.revoked.length, socketsClosed: ended.socketsClosed });
  });

  router.get('/api/me', (req, res) => {
    if (!currentUser(req)) throw unauthorized('not signed in');
    res.json({ user: requireUser(req) });
  });

  // A person's own settings: the interface language, remembered for every device they sign in on.
  router.patch('/api/me', async (req, res) => {
    const user = requireUser(req);
    const body = updateMeBody.parse(req.body);
    const updated = await store.users.setLanguage(user.id, body.language);
    // The configured admin token's user has no row to keep a choice in.
    if (!updated) throw notFound('this account has no stored profile to keep a language in');
    res.json({ user: updated });
  });

  return router;
}
