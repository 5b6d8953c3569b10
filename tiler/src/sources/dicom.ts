// DICOM (Part 10) images: 2D images and whole-slide images (VL Whole Slide Microscopy, tiled frames).
// OpenSlide 3.4.1 cannot read DICOM, so the frames are taken out here and assembled into one image that
// the converter then turns into a pyramid. JPEG frames pass through to the decoder as they are.
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';

/** One frame and where it sits in the total pixel matrix. */
export interface DicomFrame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** 'jpeg': encoded bytes for the decoder; 'raw': 8-bit interleaved samples. */
  readonly kind: 'jpeg' | 'raw';
  readonly data: Buffer;
}

/** A DICOM image ready to assemble. */
export interface DicomImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** Frames placed in the image (all of them for a tiled WSI, the first for a 2D multi-frame). */
  readonly frames: readonly DicomFrame[];
  /** Frames in the file: for 2D multi-frame images only the first is shown, as with multi-page TIFF. */
  readonly frameCount: number;
  readonly mppX: number | null;
  readonly mppY: number | null;
}

const JPEG_SYNTAXES = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);
const RAW_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
const WSI_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.77.1.6';

/** Thrown for DICOM files Tessera cannot show; the message is meant for the uploader. */
export class DicomError extends Error {
  override readonly name = 'DicomError';
}

/** Whether the bytes start like a DICOM Part 10 file ('DICM' after the 128-byte preamble). */
export function looksLikeDicom(head: Buffer): boolean {
  return head.length >= 132 && head.toString('latin1', 128, 132) === 'DICM';
}

/** Reads a DICOM file's geometry and frames; refuses what it cannot decode, with a reason. */
export function readDicom(bytes: Buffer, maxPixels: number): DicomImage {
  let data: DataSet;
  try {
    data = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (err) {
    throw new DicomError(`not a readable DICOM file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const syntax = (data.string('x00020010') ?? '').trim();
  const rows = data.uint16('x00280010') ?? 0;
  const columns = data.uint16('x00280011') ?? 0;
  const samples = data.uint16('x00280002') ?? 1;
  const bits = data.uint16('x00280100') ?? 8;
  const photometric = (data.string('x00280004') ?? '').trim();
  const frameCount = data.intString('x00280008') ?? 1;
  const pixelData = data.elements.x7fe00010;
  if (!pixelData) throw new DicomError('the DICOM file holds no pixel data');
  if (rows === 0 || columns === 0) throw new DicomError('the DICOM file names no image size');
  if (samples !== 1 && samples !== 3) throw new DicomError(`${samples} samples per pixel are not supported`);
  if (!JPEG_SYNTAXES.has(syntax) && !RAW_SYNTAXES.has(syntax)) {
    throw new DicomError(
      `DICOM transfer syntax ${syntax || '(none)'} is not supported yet (JPEG baseline and uncompressed are)`,
    );
  }
  const raw = RAW_SYNTAXES.has(syntax);
  if (raw && bits !== 8)
    throw new DicomError(`uncompressed DICOM with ${bits} bits per sample is not supported yet`);
  if (raw && samples === 3 && photometric !== 'RGB') {
    throw new DicomError(`uncompressed DICOM in ${photometric} colour is not supported yet`);
  }
  if (raw && samples === 3 && (data.uint16('x00280006') ?? 0) !== 0) {
    throw new DicomError('uncompressed DICOM with planar colour is not supported yet');
  }
  const wsi = (data.string('x00080016') ?? '').trim() === WSI_SOP_CLASS;
  const width = wsi ? (data.uint32('x00480006') ?? columns) : columns;
  const height = wsi ? (data.uint32('x00480007') ?? rows) : rows;
  if (width * height > maxPixels) {
    throw new DicomError(
      `the image is ${width}x${height} (${width * height} pixels), over the limit of ${maxPixels}`,
    );
  }
  const positions = wsi ? framePositions(data, frameCount, columns, rows, width) : [{ left: 0, top: 0 }];
  const frameBytes = rows * columns * samples;
  const frames: DicomFrame[] = positions.map((position, index) => ({
    ...position,
    width: columns,
    height: rows,
    kind: raw ? 'raw' : 'jpeg',
    data: raw ? rawFrame(data, pixelData, index, frameBytes) : jpegFrame(data, pixelData, index, frameCount),
  }));
  const spacing = pixelSpacing(data);
  return {
    width,
    height,
    channels: samples === 1 ? 1 : 3,
    frames,
    frameCount: wsi ? 1 : frameCount,
    mppX: spacing?.[1] ?? null,
    mppY: spacing?.[0] ?? null,
  };
}

// Where each tile of a WSI goes: from the per-frame plane positions, or row by row (TILED_FULL).
function framePositions(data: DataSet, count: number, tileWidth: number, tileHeight: number, width: number) {
  const perFrame = data.elements.x52009230?.items ?? [];
  if (perFrame.length === count) {
    return perFrame.map((item, index) => {
      const plane = item.dataSet?.elements.x0048021a?.items?.[0]?.dataSet;
      const column = plane?.int32('x0048021e');
      const row = plane?.int32('x0048021f');
      if (column === undefined || row === undefined)
        throw new DicomError(`frame ${index + 1} has no position`);
      return { left: column - 1, top: row - 1 };
    });
  }
  const across = Math.ceil(width / tileWidth);
  return Array.from({ length: count }, (_, index) => ({
    left: (index % across) * tileWidth,
    top: Math.floor(index / across) * tileHeight,
  }));
}

function rawFrame(data: DataSet, element: Element, index: number, frameBytes: number): Buffer {
  const start = element.dataOffset + index * frameBytes;
  if (start + frameBytes > element.dataOffset + element.length) {
    throw new DicomError(`frame ${index + 1} is cut short`);
  }
  return Buffer.from(data.byteArray.buffer, data.byteArray.byteOffset + start, frameBytes);
}

function jpegFrame(data: DataSet, element: Element, index: number, count: number): Buffer {
  try {
    const offsets =
      element.basicOffsetTable && element.basicOffsetTable.length > 0
        ? element.basicOffsetTable
        : count === 1
          ? [0]
          : dicomParser.createJPEGBasicOffsetTable(data, element);
    const bytes = dicomParser.readEncapsulatedImageFrame(data, element, index, offsets);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  } catch (err) {
    throw new DicomError(
      `frame ${index + 1} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

// Pixel spacing in mm (row, column): at the top level for 2D images, in the shared functional groups for WSI.
function pixelSpacing(data: DataSet): [number, number] | undefined {
  const shared = data.elements.x52009229?.items?.[0]?.dataSet?.elements.x00289110?.items?.[0]?.dataSet;
  const text = shared?.string('x00280030') ?? data.string('x00280030');
  if (text === undefined) return undefined;
  const [row, column] = text.split('\\').map(Number);
  if (row === undefined || column === undefined || !Number.isFinite(row) || !Number.isFinite(column))
    return undefined;
  // mm to µm
  return [row * 1000, column * 1000];
}
