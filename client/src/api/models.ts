// A team's ONNX models (processing/models/) and the pixels the browser runs them on.
import type { Page, ProcessingModel } from '@tessera/shared';
import { ApiError, api } from './http';
import { query } from './resources';

/** Packed RGB pixels. */
export interface Rgb {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

async function bytesOf(path: string): Promise<Response> {
  const response = await fetch(`/api/v1${path}`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, `${path}: ${response.status}`, null);
  return response;
}

export const models = {
  /** The models of a team the caller belongs to. */
  ofTeam: async (team: number) =>
    (await api<Page<ProcessingModel>>('GET', `/processing/models/${query({ team, limit: 1000 })}`)).results,
  /** A model's ONNX file. */
  file: async (id: number) =>
    new Uint8Array(await (await bytesOf(`/processing/models/${id}/file/`)).arrayBuffer()),
  /** Full-resolution pixels of a region of an image (EXACT's get_patch, a PNG), as packed RGB. */
  region: async (image: number, r: { x: number; y: number; width: number; height: number }): Promise<Rgb> => {
    const png = await (
      await bytesOf(`/images/images/${image}/get_patch/${query({ ...r, level: 0 })}`)
    ).blob();
    const bitmap = await createImageBitmap(png);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot read pixels');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const data = new Uint8Array(bitmap.width * bitmap.height * 3);
    for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) data.set(rgba.subarray(i, i + 3), o);
    return { data, width: bitmap.width, height: bitmap.height };
  },
};
