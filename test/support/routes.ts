import type { RouteEntry } from '../../src/server/plugins/auth.ts';

const SAMPLE_PARAMS: Record<string, string> = {
  id: '1',
  dataSourceId: '1',
  policyId: '1',
};

const UUID_ROUTES = /^\/jobs\/:id/;

/** Fills a route pattern's parameters with plausible values, so a request reaches the route's handler. */
export function samplePath(route: RouteEntry): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'id' && UUID_ROUTES.test(route.url)) return '00000000-0000-4000-8000-000000000000';
    return SAMPLE_PARAMS[name] ?? 'sample';
  });
}

/** The routes a key must be checked on: every route that is not public. */
export function protectedRoutes(table: readonly RouteEntry[]): RouteEntry[] {
  return table.filter((r) => r.auth !== 'public' && r.url !== '/openapi.json');
}
