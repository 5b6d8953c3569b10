import type { Vector } from '@tessera/shared';

/** One annotation as an export reads it (from a version's frozen rows or from the projection). */
export interface ExportRow {
  readonly id: number;
  readonly image_id: number;
  readonly unique_identifier: string;
  readonly annotation_type_id: number;
  readonly vector: Vector | null;
  readonly deleted: boolean;
  readonly description: string;
  readonly generated: boolean;
  readonly score: number | null;
  /** Read only for formats that show them (EXACT's templates): creator, editor, times, meta data. */
  readonly user_id?: number | null;
  readonly time?: string;
  readonly last_editor_id?: number | null;
  readonly last_edit_time?: string;
  readonly meta_data?: unknown;
}

export interface ExportImage {
  readonly id: number;
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

export interface ExportType {
  readonly id: number;
  readonly name: string;
  readonly vector_type: number;
  readonly color_code: string;
}

/** The images and annotation types an export refers to. */
export interface ExportContext {
  readonly images: ReadonlyMap<number, ExportImage>;
  readonly types: ReadonlyMap<number, ExportType>;
}

/** A streamed file format: a head, one piece per annotation (or none if it cannot show it), a tail. */
export interface ExportWriter {
  readonly contentType: string;
  readonly extension: string;
  head(context: ExportContext): string;
  /** Called with each batch before its rows are written (to look up what the rows refer to). */
  prepare?(rows: readonly ExportRow[]): Promise<void>;
  /** The text of one annotation; `first` says whether it is the first one written. */
  row(row: ExportRow, context: ExportContext, first: boolean): string | null;
  tail(): string;
}
