import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { ApiClient, type Credentials } from './http.js';

const fixtureSlides = fileURLToPath(new URL('../fixtures/slides/', import.meta.url));
const demoSlides = fileURLToPath(new URL('../../server/assets/slides/', import.meta.url));

/** A real slide's path by file name: the test fixtures, else the demo's scans in the server's assets. */
export function slideFile(name: string): string {
  return existsSync(fixtureSlides + name) ? fixtureSlides + name : demoSlides + name;
}

export interface UploadAnswer {
  count: number;
  results: { id: number; name: string; state: string; original_filename?: string | null }[];
  skipped: { file: string; reason: string; image?: number }[];
}

/** Uploads files as EXACT-Sync does: multipart with image_set, image_type and `file_path` parts. */
export async function uploadImages(
  baseUrl: string,
  who: Credentials,
  imageSet: number | string,
  files: { name: string; bytes: Uint8Array }[],
): Promise<{ status: number; body: UploadAnswer & Record<string, unknown> }> {
  const form = new FormData();
  form.set('image_set', String(imageSet));
  form.set('image_type', '0');
  for (const f of files) form.append('file_path', new Blob([Buffer.from(f.bytes)]), f.name);
  const response = await fetch(`${baseUrl}/api/v1/images/images/`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer & Record<string, unknown> };
}

/** Uploads one slide into a set and waits until the server has read it; its image id. */
export async function uploadReadyImage(
  baseUrl: string,
  who: Credentials,
  imageSet: number,
  file: { name: string; bytes: Uint8Array },
): Promise<number> {
  const upload = await uploadImages(baseUrl, who, imageSet, [file]);
  const image = upload.body.results[0]?.id;
  if (upload.status !== 201 || image === undefined) {
    throw new Error(`the upload of ${file.name} failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  }
  const api = new ApiClient(baseUrl, who);
  await vi.waitFor(
    async () => {
      const state = (await api.get<{ state: string }>(`/images/images/${image}/`)).body.state;
      if (state !== 'ready') throw new Error(`image ${image} is ${state}`);
    },
    { timeout: 60_000, interval: 100 },
  );
  return image;
}

/** Uploads an ONNX model with its spec to `processing/models/`, as a team admin's script does. */
export async function uploadModel(
  baseUrl: string,
  who: Credentials,
  model: { team: number; name: string; spec: unknown; bytes: Uint8Array },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.set('team', String(model.team));
  form.set('name', model.name);
  form.set('spec', JSON.stringify(model.spec));
  form.set('file', new Blob([Buffer.from(model.bytes)]), 'model.onnx');
  const response = await fetch(`${baseUrl}/api/v1/processing/models/`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A real slide's bytes. */
export function slide(name: string): Promise<Buffer> {
  return readFile(slideFile(name));
}
