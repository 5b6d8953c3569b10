import { describe, expect, it } from 'vitest';
import { Factories } from './support/factories.js';
import { ApiClient } from './support/http.js';
import { runCli } from './support/process.js';
import { useTestServer } from './support/server.js';
import { slideFile } from './support/upload.js';

const server = useTestServer();

describe('tessera upload', () => {
  it('uploads files into a set with a token, reports duplicates, and fails on refusals', async () => {
    const make = new Factories(server.db);
    const admin = await make.user();
    const member = await make.user();
    const team = await make.team({ admins: [admin], members: [member] });
    const set = await make.imageSet(team, admin);
    const api = new ApiClient(server.baseUrl);
    const token = await api.as(admin).post<{ token: string }>('/users/tokens/', { name: 'cli' });
    const env = { TESSERA_URL: server.baseUrl, TESSERA_TOKEN: token.body.token };
    const files = [slideFile('openslide-python-small.svs'), slideFile('openslide-python-boxes.tiff')];

    const first = runCli(['upload', String(set), ...files], env);
    expect(await first.exited()).toBe(0);
    expect(first.output()).toMatch(/openslide-python-small\.svs\timage \d+\t\d{8}-\d{4}-[0-9a-f]{4}\.svs/);
    const listed = await api.as(admin).get<{ count: number }>(`/images/images/?image_set=${set}`);
    expect(listed.body.count).toBe(2);

    const again = runCli(['upload', String(set), files[0] ?? ''], env);
    expect(await again.exited()).toBe(0);
    expect(again.output()).toContain('skipped: An identical file is already in this set.');

    const memberToken = await api.as(member).post<{ token: string }>('/users/tokens/', { name: 'cli' });
    const refused = runCli(['upload', String(set), files[0] ?? ''], {
      ...env,
      TESSERA_TOKEN: memberToken.body.token,
    });
    expect(await refused.exited()).toBe(1);
    expect(refused.output()).toMatch(/failed \(403\)/);
  });
});
