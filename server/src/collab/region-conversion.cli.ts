import { call, type ClientTarget } from '../versions/versions.cli.js';
import type { ConversionReport } from './region-conversion.js';

/**
 * `tessera documents regions IMAGE [--size N]`: asks the server at TESSERA_URL to convert the image
 * to regions (G6). The server does it, not this process: its live documents take the copies, so open
 * browsers see them and no second process holds the same documents. Prints one line per document.
 */
export async function convertImageCommand(
  target: ClientTarget,
  o: { imageId: number; size: number | undefined },
): Promise<ConversionReport> {
  return call<ConversionReport>(
    target,
    'POST',
    `/images/images/${o.imageId}/regions/`,
    o.size === undefined ? {} : { size: o.size },
  );
}

/** The report as lines for the terminal. */
export function conversionLines(report: ConversionReport): string[] {
  return [
    `image ${report.imageId}: regions of ${report.size} pixels${report.resumed ? ' (finished an earlier run)' : ''}`,
    ...report.documents.map(
      (d) => `${d.document}\t${d.annotations} annotations\t${d.copied} copied into regions`,
    ),
  ];
}
