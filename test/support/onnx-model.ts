/*
 * Tiny ONNX models built in the tests, so no model is downloaded: a minimal protobuf writer for the
 * few messages of onnx.proto a graph needs (ModelProto, GraphProto, NodeProto, TensorProto,
 * ValueInfoProto, AttributeProto), with their field numbers from the ONNX specification.
 */

/** Protobuf wire encoding: varints, length-delimited fields, fixed 32-bit floats. */
class Writer {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.bytes.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
  }

  int(field: number, value: number): this {
    this.varint(field * 8);
    this.varint(value);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.varint(field * 8 + 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  text(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, inner: Writer): this {
    return this.bytesField(field, inner.finish());
  }

  float(field: number, value: number): this {
    this.varint(field * 8 + 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.bytes.push(x);
    return this;
  }

  finish(): Uint8Array {
    return new Uint8Array(this.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;

/** An initializer (TensorProto: dims 1, data_type 2, name 8, raw_data 9). */
function tensor(name: string, dims: number[], values: number[], type = FLOAT): Writer {
  const w = new Writer();
  for (const d of dims) w.int(1, d);
  w.int(2, type);
  w.text(8, name);
  const raw = new Uint8Array(values.length * (type === FLOAT ? 4 : 8));
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => {
    if (type === FLOAT) view.setFloat32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  return w.bytesField(9, raw);
}

/** A float tensor's ValueInfoProto (name 1, type 2 -> tensor_type 1 -> elem_type 1, shape 2 -> dim 1 -> dim_value 1). */
function valueInfo(name: string, dims: number[] | null): Writer {
  const tensorType = new Writer().int(1, FLOAT);
  if (dims) {
    const shape = new Writer();
    for (const d of dims) shape.message(1, new Writer().int(1, d));
    tensorType.message(2, shape);
  }
  return new Writer().text(1, name).message(2, new Writer().message(1, tensorType));
}

type Attribute = { name: string; ints: number[] } | { name: string; int: number };

/** A NodeProto (input 1, output 2, name 3, op_type 4, attribute 5: name 1, i 3, ints 8, type 20). */
function node(op: string, inputs: string[], outputs: string[], attributes: Attribute[] = []): Writer {
  const w = new Writer();
  for (const i of inputs) w.text(1, i);
  for (const o of outputs) w.text(2, o);
  w.text(3, `${op}_${outputs[0] ?? ''}`).text(4, op);
  for (const a of attributes) {
    const attribute = new Writer().text(1, a.name);
    if ('ints' in a) {
      for (const v of a.ints) attribute.int(8, v);
      attribute.int(20, 7);
    } else attribute.int(3, a.int).int(20, 2);
    w.message(5, attribute);
  }
  return w;
}

/** A ModelProto (ir_version 1, opset_import 8, producer_name 2, graph 7) around a graph's parts. */
function model(parts: {
  nodes: Writer[];
  initializers: Writer[];
  input: Writer;
  output: Writer;
}): Uint8Array {
  const graph = new Writer();
  for (const n of parts.nodes) graph.message(1, n);
  graph.text(2, 'tessera-test');
  for (const i of parts.initializers) graph.message(5, i);
  graph.message(11, parts.input).message(12, parts.output);
  return new Writer()
    .int(1, 7)
    .text(2, 'tessera-test')
    .message(7, graph)
    .message(8, new Writer().text(1, '').int(2, 13))
    .finish();
}

/**
 * A segmentation model [1, 3, size, size] -> [1, 2, size, size]: a 1x1 convolution whose class 1
 * wins where a pixel's mean of R, G, B (scaled to 0..1) is below one half, i.e. dark blobs.
 */
export function darkBlobSegmenter(size: number): Uint8Array {
  const third = -20 / 3;
  return model({
    nodes: [node('Conv', ['image', 'weights', 'bias'], ['classes'])],
    initializers: [
      tensor('weights', [2, 3, 1, 1], [0, 0, 0, third, third, third]),
      tensor('bias', [2], [0, 10]),
    ],
    input: valueInfo('image', [1, 3, size, size]),
    output: valueInfo('classes', null),
  });
}

/**
 * A sliding-window box model [1, 3, size, size] -> [N, 5]: the input cut into cells of `cell`
 * pixels, each a box whose score is the cell's mean darkness (1 - mean of R, G, B scaled to 0..1),
 * by a 1x1 convolution, average pooling and a concatenation with the cells' fixed corners.
 */
export function darkCellBoxer(size: number, cell: number): Uint8Array {
  const per = size / cell;
  const anchors: number[] = [];
  for (let y = 0; y < per; y++) {
    for (let x = 0; x < per; x++) anchors.push(x * cell, y * cell, (x + 1) * cell, (y + 1) * cell);
  }
  const third = -1 / 3;
  return model({
    nodes: [
      node('Conv', ['image', 'weights', 'bias'], ['darkness']),
      node(
        'AveragePool',
        ['darkness'],
        ['pooled'],
        [
          { name: 'kernel_shape', ints: [cell, cell] },
          { name: 'strides', ints: [cell, cell] },
        ],
      ),
      node('Reshape', ['pooled', 'column'], ['scores']),
      node('Concat', ['anchors', 'scores'], ['boxes'], [{ name: 'axis', int: 1 }]),
    ],
    initializers: [
      tensor('weights', [1, 3, 1, 1], [third, third, third]),
      tensor('bias', [1], [1]),
      tensor('column', [2], [per * per, 1], INT64),
      tensor('anchors', [per * per, 4], anchors),
    ],
    input: valueInfo('image', [1, 3, size, size]),
    output: valueInfo('boxes', null),
  });
}
