// Creating an account: shared by the HTTP API and the `accord user add` CLI.
import type { CreateUserBody, User } from '../../core/api';
import type { Store } from '../store/types';
import { hashPassword } from './passwords';
import { newToken, tokenHash } from './tokens';

export async function createUser(store: Store, input: CreateUserBody): Promise<User & { token: string }> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const user = await store.users.create({
    name: input.name,
    email: input.email,
    organization: input.organization,
    stakeholderGroup: input.stakeholderGroup,
    role: input.role,
    passwordHash,
  });
  const token = newToken('acc');
  await store.tokens.create(tokenHash(token), user.id, 'api', null);
  return { ...user, token };
}
