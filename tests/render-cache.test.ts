// The export cache: one render per key, shared by concurrent requests; a
// failure is not kept; least recently used entries leave first.
import { describe, expect, it } from 'vitest';
import { RenderCache } from '../server/export/cache';

describe('RenderCache', () => {
  it('renders once per key, shares a render in flight, forgets failures, evicts the least recently used', async () => {
    const cache = new RenderCache(2);
    let renders = 0;
    const render = (v: string) => () => {
      renders++;
      return Promise.resolve(v);
    };
    const [a1, a2] = await Promise.all([cache.get('a', render('A')), cache.get('a', render('A'))]);
    expect([a1, a2, renders]).toEqual(['A', 'A', 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(await cache.get('bad', render('fixed'))).toBe('fixed');
    expect(renders).toBe(2);
    await cache.get('a', render('A')); // a is now the most recently used
    await cache.get('c', render('C')); // over two entries: 'bad' leaves, not 'a'
    await cache.get('a', render('A'));
    expect(renders).toBe(3);
    await cache.get('bad', render('again'));
    expect(renders).toBe(4);
  });
});
