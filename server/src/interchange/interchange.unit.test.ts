import { describe, expect, it } from 'vitest';
import { VectorType, type Vector } from '@tessera/shared';
import { cocoWriter, parseCoco } from './coco.js';
import { parseGeoJson } from './geojson.js';
import { shapeOf, vectorFor } from './geometry.js';
import { parseLabelLines } from './label-lines.js';

describe('interchange formats (pure)', () => {
  it('turns shapes into the vector of the target type and back', () => {
    const ring = {
      kind: 'ring' as const,
      points: [
        { x: 4, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 8 },
      ],
    };
    expect(vectorFor(VectorType.box, ring)).toEqual({ x1: 1, y1: 1, x2: 4, y2: 8 });
    expect(vectorFor(VectorType.polygon, ring)).toEqual({ x1: 4, y1: 1, x2: 1, y2: 3, x3: 2, y3: 8 });
    expect(vectorFor(VectorType.line, ring)).toBe('a line needs 2 points, the shape has 3');
    expect(vectorFor(VectorType.global, ring)).toBeNull();
    expect(shapeOf(VectorType.box, { x1: 1, y1: 2, x2: 3, y2: 4, frame: 2 })).toEqual({
      kind: 'ring',
      points: [
        { x: 1, y: 2 },
        { x: 3, y: 2 },
        { x: 3, y: 4 },
        { x: 1, y: 4 },
      ],
      frame: 2,
    });
  });

  it('reads COCO boxes and polygons and names the broken annotation', () => {
    const file = {
      images: [{ id: 7, file_name: 'a.svs' }],
      categories: [{ id: 3, name: 'mitosis' }],
      annotations: [
        { image_id: 7, category_id: 3, bbox: [1, 2, 3, 4] },
        { image_id: 7, category_id: 3, segmentation: [[0, 0, 5, 0, 5, 5]], score: 0.5 },
      ],
    };
    const parsed = parseCoco(file);
    expect(
      parsed.items.map((i) => [i.where, i.imageName, i.typeName, i.shape?.points.length, i.score]),
    ).toEqual([
      ['annotations[0]', 'a.svs', 'mitosis', 4, undefined],
      ['annotations[1]', 'a.svs', 'mitosis', 3, 0.5],
    ]);
    expect(() =>
      parseCoco({ ...file, annotations: [{ image_id: 8, category_id: 3, bbox: [0, 0, 1, 1] }] }),
    ).toThrow('COCO: annotations[0]: image_id 8 is not in images');
    expect(() =>
      parseCoco({ ...file, annotations: [{ image_id: 7, category_id: 3, segmentation: { counts: 'x' } }] }),
    ).toThrow(/RLE masks/);
    expect(() => parseCoco({ images: [] })).toThrow(/COCO: categories/);
  });

  it('writes lines outside the segmentation (pycocotools reads 4 numbers as a box) and reads them back', () => {
    const context = {
      images: new Map([[1, { id: 1, name: 'a.svs', width: 10, height: 10 }]]),
      types: new Map([[2, { id: 2, name: 'ruler', vector_type: VectorType.line, color_code: '#00ff00' }]]),
    };
    const row = {
      id: 5,
      image_id: 1,
      unique_identifier: 'd2c6e5a4-1b3f-4c4e-9a0b-0f1e2d3c4b5a',
      annotation_type_id: 2,
      vector: { x1: 1, y1: 2, x2: 7, y2: 9 },
      deleted: false,
      description: 'a "quoted" note',
      generated: true,
      score: 0.25,
    };
    const text = `${cocoWriter.head(context)}${cocoWriter.row(row, context, true) ?? ''}${cocoWriter.tail()}`;
    const file = JSON.parse(text) as { annotations: { segmentation: unknown; bbox: number[] }[] };
    expect(file.annotations[0]).toMatchObject({ segmentation: [], bbox: [1, 2, 6, 7] });
    const [item] = parseCoco(file).items;
    expect(item).toMatchObject({
      typeName: 'ruler',
      description: 'a "quoted" note',
      generated: true,
      score: 0.25,
      shape: {
        kind: 'line',
        points: [
          { x: 1, y: 2 },
          { x: 7, y: 9 },
        ],
      },
    });
    expect(vectorFor(VectorType.line, item?.shape ?? { kind: 'line', points: [] })).toEqual(row.vector);
  });

  it('writes a box exactly as the general path writes its rectangle as a polygon', () => {
    const context = {
      images: new Map(),
      types: new Map([
        [1, { id: 1, name: 'box', vector_type: VectorType.box, color_code: '#fff' }],
        [2, { id: 2, name: 'polygon', vector_type: VectorType.polygon, color_code: '#fff' }],
      ]),
    };
    const boxes: { x1: number; y1: number; x2: number; y2: number; frame?: number }[] = [
      { x1: 1, y1: 2, x2: 13, y2: 14 },
      { x1: 9.75, y1: 0.1, x2: 0.3, y2: -7.123456789 },
      { x1: 0, y1: -0, x2: 1e-7, y2: 9_999_999.5, frame: 3 },
    ];
    for (const [index, { x1, y1, x2, y2, frame }] of boxes.entries()) {
      const row = {
        id: index + 1,
        image_id: 7,
        unique_identifier: '00000000-0000-4000-8000-000000000001',
        deleted: index === 1,
        generated: index === 2,
        score: index === 2 ? 0.25 : null,
        description: 'a "quoted" | description',
      };
      const f: Vector = frame === undefined ? {} : { frame };
      const asBox = cocoWriter.row(
        { ...row, annotation_type_id: 1, vector: { x1, y1, x2, y2, ...f } },
        context,
        index === 0,
      );
      const corners = { x1, y1, x2, y2: y1, x3: x2, y3: y2, x4: x1, y4: y2, ...f };
      const asPolygon = cocoWriter.row(
        { ...row, annotation_type_id: 2, vector: corners },
        context,
        index === 0,
      );
      expect(asBox).toBe(asPolygon?.replace('"category_id":2', '"category_id":1'));
      expect(JSON.parse(`[${(asBox ?? '').replace(/^,/, '')}]`)).toHaveLength(1);
    }
    // A box without its four numbers is not written, as before.
    expect(
      cocoWriter.row(
        {
          id: 1,
          image_id: 7,
          unique_identifier: 'u',
          deleted: false,
          generated: false,
          score: null,
          description: '',
          annotation_type_id: 1,
          vector: { x1: 1, y1: 2 },
        },
        context,
        true,
      ),
    ).toBeNull();
  });

  it('reads QuPath GeoJSON (collection, list or one feature) and names the broken feature', () => {
    const feature = {
      type: 'Feature',
      id: 'd2c6e5a4-1b3f-4c4e-9a0b-0f1e2d3c4b5a',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [4, 0],
            [4, 4],
            [0, 0],
          ],
        ],
      },
      properties: { objectType: 'annotation', classification: { name: 'Tumor', color: [200, 0, 0] } },
    };
    const [item] = parseGeoJson([feature]).items;
    expect(item).toMatchObject({ typeName: 'Tumor', uniqueIdentifier: feature.id, imageName: null });
    expect(item?.shape?.points).toHaveLength(3);
    expect(parseGeoJson(feature).items).toHaveLength(1);
    expect(() =>
      parseGeoJson({ type: 'FeatureCollection', features: [feature, { ...feature, properties: {} }] }),
    ).toThrow('GeoJSON: feature 1: properties.classification.name is missing');
    expect(() => parseGeoJson({ type: 'Topology' })).toThrow(/expected a FeatureCollection/);
  });

  it('reads EXACT label lines and names the broken line', () => {
    const parsed = parseLabelLines(
      '# comment\na.svs|Cell|{"x1": 1, "y1": 2, "x2": 3, "y2": 4}|deleted,generated|\n',
    );
    expect(parsed.items).toEqual([
      {
        where: 'line 2',
        imageName: 'a.svs',
        typeName: 'Cell',
        shape: {
          kind: 'points',
          points: [
            { x: 1, y: 2 },
            { x: 3, y: 4 },
          ],
        },
        deleted: true,
        generated: true,
      },
    ]);
    expect(() => parseLabelLines('a.svs|Cell|null|shiny|')).toThrow(
      'label lines: line 1: unknown flag "shiny"',
    );
    expect(() => parseLabelLines('\n\na.svs|Cell')).toThrow(/line 3: expected imagename/);
    expect(() => parseLabelLines('a.svs|Cell|{"x1": 1}||')).toThrow(/line 1: vector:/);
    expect(() => parseLabelLines('a.svs|Cell|null||not-a-uuid')).toThrow(
      /line 1: "not-a-uuid" is not a UUID/,
    );
  });
});
