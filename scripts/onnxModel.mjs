// Writes small ONNX models (dense layers) with onnx-proto: the demo model, the benchmark MLP and
// test models. A layer is { weights: number[][] (in × out), bias: number[], activation: 'relu' | 'none' }.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

const tensor = (name, dims, values) => onnx.TensorProto.create({ name, dims, dataType: FLOAT, floatData: values });
const valueInfo = (name, dims) =>
  onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        }),
      }),
    }),
  });

/**
 * An MLP: input "features" float32 [batch, n] → dense layers → output "probabilities" (softmax)
 * or "logits" (`output: 'logits'`). `classes` (a list) goes into the metadata property `classes`.
 * `embedding: true` adds a second output "embedding": the last hidden layer (the logits of a
 * one-layer model).
 */
export function mlpOnnx({
  layers,
  classes,
  output = 'softmax',
  name = 'loupe-mlp',
  inputShape = null,
  embedding = false,
}) {
  const nodes = [];
  const init = [];
  let current = 'features';
  // An image input ([batch, ...inputShape]) is flattened before the dense layers.
  if (inputShape) {
    nodes.push(
      onnx.NodeProto.create({
        opType: 'Flatten',
        input: [current],
        output: ['flat'],
        name: 'flatten',
        attribute: [onnx.AttributeProto.create({ name: 'axis', i: 1, type: onnx.AttributeProto.AttributeType.INT })],
      }),
    );
    current = 'flat';
  }
  layers.forEach((l, i) => {
    const [w, b] = [`w${i}`, `b${i}`];
    init.push(tensor(w, [l.weights.length, l.weights[0].length], l.weights.flat()), tensor(b, [l.bias.length], l.bias));
    nodes.push(
      onnx.NodeProto.create({ opType: 'Gemm', input: [current, w, b], output: [`dense${i}`], name: `dense${i}` }),
    );
    current = `dense${i}`;
    if (l.activation === 'relu') {
      nodes.push(onnx.NodeProto.create({ opType: 'Relu', input: [current], output: [`relu${i}`], name: `relu${i}` }));
      current = `relu${i}`;
    }
  });
  const out = output === 'softmax' ? 'probabilities' : 'logits';
  // The last hidden layer: the input of the final dense layer, or that layer's own output.
  const hidden =
    layers.length > 1
      ? layers.at(-2).activation === 'relu'
        ? `relu${layers.length - 2}`
        : `dense${layers.length - 2}`
      : current;
  if (embedding)
    nodes.push(
      onnx.NodeProto.create({ opType: 'Identity', input: [hidden], output: ['embedding'], name: 'embedding' }),
    );
  if (output === 'softmax')
    nodes.push(
      onnx.NodeProto.create({
        opType: 'Softmax',
        input: [current],
        output: [out],
        name: 'softmax',
        attribute: [onnx.AttributeProto.create({ name: 'axis', i: 1, type: onnx.AttributeProto.AttributeType.INT })],
      }),
    );
  else nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [current], output: [out], name: 'out' }));
  const n = layers[0].weights.length;
  const k = layers.at(-1).bias.length;
  const graph = onnx.GraphProto.create({
    name,
    node: nodes,
    initializer: init,
    input: [valueInfo('features', ['batch', ...(inputShape ?? [n])])],
    output: [
      valueInfo(out, ['batch', k]),
      ...(embedding ? [valueInfo('embedding', ['batch', layers.length > 1 ? layers.at(-2).bias.length : k])] : []),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'loupe scripts/onnxModel.mjs',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
    metadataProps: classes ? [{ key: 'classes', value: JSON.stringify(classes) }] : [],
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Random dense layers of the given sizes (e.g. [64, 128, 10]), ReLU between them; `rand` gives numbers in [0, 1). */
export function randomMlp(sizes, rand) {
  return sizes.slice(1).map((out, i) => {
    const inp = sizes[i];
    const s = Math.sqrt(2 / inp);
    return {
      weights: Array.from({ length: inp }, () => Array.from({ length: out }, () => (rand() * 2 - 1) * s)),
      bias: Array.from({ length: out }, () => (rand() * 2 - 1) * 0.1),
      activation: i < sizes.length - 2 ? 'relu' : 'none',
    };
  });
}
