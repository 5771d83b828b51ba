// A person's public face (core/people.ts): what amendments, authorship and
// history show of an account, and nothing it keeps to itself.
import { describe, expect, it } from 'vitest';
import { participantOf, type User } from '../core/people';

describe('participantOf', () => {
  it('keeps who the person is and their group; drops e-mail, role and language', () => {
    const user: User = { id: 'u1', name: 'Ana', email: 'ana@example.org', organization: 'IGF', stakeholderGroup: 'academia', role: 'chair', language: 'fr' };
    expect(participantOf(user)).toEqual({ id: 'u1', name: 'Ana', organization: 'IGF', stakeholderGroup: 'academia' });
    // The key order is part of stored JSON (amendment records), so it is fixed.
    expect(Object.keys(participantOf(user))).toEqual(['id', 'name', 'organization', 'stakeholderGroup']);
  });
});
