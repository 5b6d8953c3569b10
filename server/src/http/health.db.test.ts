import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/support/server.js';

const server = useTestServer();

describe('operations endpoints', () => {
  it('answers /healthz and /readyz, with a request id on every answer', async () => {
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    const ready = await fetch(`${server.baseUrl}/readyz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(ready.status).toBe(200);
    expect(ready.headers.get('x-request-id')).toBe('trace-123');
  });

  it('serves the OpenAPI document generated from the request schemas, and the docs page', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/openapi`);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
            parameters?: { name: string; in: string; schema: { type: string } }[];
            'x-tessera-policy'?: string;
          }
        >
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/users/users/',
        '/api/v1/images/image_sets/{id}/',
        '/api/v1/users/tokens/',
      ]),
    );
    const createUser =
      doc.paths['/api/v1/users/users/']?.post?.requestBody?.content['application/json']?.schema;
    expect(createUser?.required).toEqual(expect.arrayContaining(['username', 'password']));
    expect(doc.components.schemas).toHaveProperty('ImageSet');
    // Each operation names the access rule it follows.
    expect(doc.paths['/api/v1/annotations/annotations/{id}/']?.patch?.['x-tessera-policy']).toBe(
      'annotation.annotate',
    );
    // Path ids are integers; other path parts (a data set's name) are text.
    const pathTypes = (route: string) =>
      Object.fromEntries(
        (doc.paths[route]?.get?.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => [p.name, p.schema.type]),
      );
    expect(pathTypes('/api/v1/images/image_sets/{id}/')).toEqual({ id: 'integer' });
    expect(pathTypes('/api/v1/datasets/datasets/{name}/')).toEqual({ name: 'string' });
    const page = await fetch(`${server.baseUrl}/api/v1/docs/`);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${server.baseUrl}/api/v1/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
