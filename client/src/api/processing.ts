// Plugins and their jobs: the catalogue, where a plugin is enabled, and the jobs of an image.
import type { Page, PluginListing, RestPluginJob } from '@tessera/shared';

export type { PluginListing };
import { api } from './http';
import { query } from './resources';

export interface PluginEnablement {
  id: number;
  plugin: number;
  image_set: number | null;
  product: number | null;
}

/** What a panel module's mount() receives: the image it shows, and the REST door. */
export interface PanelApi {
  readonly imageId: number;
  readonly get: (path: string) => Promise<unknown>;
}

export const plugins = {
  /** Every loaded plugin, or only those enabled for an image set. */
  catalogue: (imageSet?: number) => api<PluginListing[]>('GET', `/plugins/${query({ image_set: imageSet })}`),
  /** The `plugins` row of a plugin or job plugin by name (its id enables it and names it in jobs). */
  byPackage: (name: string) =>
    api<Page<{ id: number; package: string }>>('GET', `/processing/plugins/${query({ package: name })}`),
  enablements: (imageSet: number) =>
    api<Page<PluginEnablement>>(
      'GET',
      `/processing/pluginenablements/${query({ image_set: imageSet, limit: 1000 })}`,
    ),
  enable: (plugin: number, imageSet: number) =>
    api<PluginEnablement>('POST', '/processing/pluginenablements/', { plugin, image_set: imageSet }),
  disable: (enablement: number) => api<undefined>('DELETE', `/processing/pluginenablements/${enablement}/`),
};

export const pluginJobs = {
  ofImage: (image: number) =>
    api<Page<RestPluginJob>>('GET', `/processing/pluginjobs/${query({ image, limit: 100 })}`),
  create: (plugin: number, image: number) =>
    api<RestPluginJob>('POST', '/processing/pluginjobs/', { plugin, image }),
  cancel: (id: number) => api<RestPluginJob>('POST', `/processing/pluginjobs/${id}/cancel/`),
  retry: (id: number) => api<RestPluginJob>('POST', `/processing/pluginjobs/${id}/retry/`),
};
