/**
 * No secret of a path reaches the log: every route of the app whose path carries a token (a
 * respondent's link, a one-time account link) is masked by `maskTokens`, read from the app's own
 * route table so that a new route with a token cannot be forgotten.
 */
import { describe, expect, it } from 'vitest';
import { maskTokens } from '../../../server/http/error-handler.tsx';
import { routeTable, splitKey } from '../security/route-table.ts';

const SECRET = 'Zq9s3cr3tT0k3nValue_-abc';

describe('maskTokens', () => {
  const tokenRoutes = [
    ...new Set(
      routeTable()
        .map((key) => splitKey(key).path)
        .filter((path) => path.includes(':token')),
    ),
  ];

  it('finds the routes that carry a token', () => {
    expect(tokenRoutes).toEqual(expect.arrayContaining(['/r/:token', '/api/r/:token', '/admin/setup/:token']));
  });

  it.each(tokenRoutes)('masks the token of %s', (route) => {
    const path = route.replace(':token', SECRET).replace(/:\w+/g, 'x');
    const masked = maskTokens(path);
    expect(masked).not.toContain(SECRET);
    expect(masked).toContain('[token]');
  });

  it('leaves a path without a token as it is', () => {
    expect(maskTokens('/admin/dashboard')).toBe('/admin/dashboard');
  });
});
