// Accounts: chairs and admins add people, each with a bearer token shown once.
import { Router } from 'express';
import { createUserBody } from '../../core/api';
import type { Store } from '../store/types';
import { createUser } from '../auth/users';
import { forbidden } from './errors';
import { requireRole } from './identity';

export function userRoutes(store: Store): Router {
  const router = Router();
  router.post('/api/users', async (req, res) => {
    const actor = requireRole(req, ['chair'], 'adding a user');
    const body = createUserBody.parse(req.body);
    if (body.role === 'admin' && actor.role !== 'admin') throw forbidden('only an admin can create another admin');
    const created = await createUser(store, body);
    res.status(201).json(created);
  });
  return router;
}
