import type { AnnotationMapCell, AnnotationType } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { cellAt, moveSelection, relabelTargets } from './map-cells';

const cell = (col: number, row: number): AnnotationMapCell => ({
  cell: row * 3 + col,
  col,
  row,
  annotation: row * 3 + col + 1,
  unique_identifier: '00000000-0000-4000-8000-000000000000',
  image: 1,
  annotation_type: 1,
  deleted: false,
  moved: false,
  box_in_cell: [0, 0, 1, 1],
});
// A 3x2 grid with the last cell empty.
const cells = [cell(0, 0), cell(1, 0), cell(2, 0), cell(0, 1), cell(1, 1)];

describe('map cells', () => {
  it('finds the cell under a point, and none outside the grid or in an empty cell', () => {
    expect(cellAt(cells, 3, 100, 150, 50)?.annotation).toBe(2);
    expect(cellAt(cells, 3, 100, 250, 150)).toBeUndefined();
    expect(cellAt(cells, 3, 100, 350, 50)).toBeUndefined();
    expect(cellAt(cells, 3, 100, -1, 50)).toBeUndefined();
  });

  it('moves the selection with the arrow keys, skipping empty cells and stopping at edges', () => {
    expect(moveSelection(cells, cells[0] ?? cell(0, 0), 'right').annotation).toBe(2);
    expect(moveSelection(cells, cells[2] ?? cell(0, 0), 'down').annotation).toBe(5);
    expect(moveSelection(cells, cells[0] ?? cell(0, 0), 'up').annotation).toBe(1);
  });

  it('relabels only to types of the same geometry, in order', () => {
    const type = (id: number, vector_type: number) => ({ id, vector_type }) as AnnotationType;
    expect(relabelTargets([type(1, 1), type(2, 2), type(3, 1)], 3).map((t) => t.id)).toEqual([1, 3]);
  });
});
