import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { checkJsonDepth } from '../untrusted-json.js';

/**
 * Keras's model config (`model.to_json()`, an .h5 file's `model_config`, a .keras file's
 * config.json, a TensorFlow.js model.json's `modelTopology`) read into one layer chain, whatever
 * its vintage:
 * - 2018 tfjs / Keras 2.1: `{"class_name": "Sequential", "config": [layer, ...]}` (a bare list);
 * - Keras 2 / tfjs-layers: `{"class_name": "Sequential", "config": {"name", "layers": [...]}}`, the
 *   input shape as the first layer's `batch_input_shape`, or an InputLayer;
 * - Keras 2 functional (`Model` / `Functional`): layers with `inbound_nodes` [[[name, 0, 0, {}]]];
 * - Keras 3: `module` and `registered_name` beside `class_name`, dtype policy objects, an
 *   InputLayer with `batch_shape`, `build_config`, and `inbound_nodes` [{args, kwargs}] whose
 *   args are `__keras_tensor__` objects naming their layer in `keras_history`.
 * The file is untrusted: only own keys are read and nothing in it is evaluated.
 */

export type Json = Record<string, unknown>;

/** One layer of the chain: its class, name and config (the wrapped layer's for Bidirectional/TimeDistributed is `config.layer`). */
export interface LayerSpec {
  readonly className: string;
  readonly name: string;
  readonly config: Json;
}

export interface Topology {
  readonly modelName: string | undefined;
  readonly modelClass: 'sequential' | 'functional';
  /** The input's name and per-sample shape when the file says ([T, I] or [T]; null = open). */
  readonly input: { readonly name: string; readonly shape: readonly (number | null)[] | null; readonly dtype: string | null };
  /** The layers from input to output, InputLayer left out. */
  readonly layers: readonly LayerSpec[];
  /** Whether the config is Keras 3's (module/registered_name keys, batch_shape, dtype policies). */
  readonly keras3: boolean;
}

export function isJson(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An own property of untrusted JSON (never one from the prototype chain). */
export function own(value: Json, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

function fail(where: string, message: string): never {
  throw invalidArgument(`${where}: ${message}`);
}

function layerSpec(value: unknown, where: string): LayerSpec & { inbound: unknown } {
  if (!isJson(value)) fail(where, `expected a layer {"class_name", "config"}, got ${describeValue(value)}`);
  const className = own(value, 'class_name');
  const config = own(value, 'config');
  if (typeof className !== 'string') fail(where, `class_name: expected a string, got ${describeValue(className)}`);
  if (!isJson(config)) fail(`${where} (${className})`, `config: expected an object, got ${describeValue(config)}`);
  const name = own(value, 'name') ?? own(config, 'name');
  if (typeof name !== 'string') fail(`${where} (${className})`, `name: expected a string, got ${describeValue(name)}`);
  return { className, name, config, inbound: own(value, 'inbound_nodes') };
}

/** A shape list from the file: integers or null, batch axis included. */
export function shapeList(value: unknown, where: string): (number | null)[] {
  if (!Array.isArray(value) || !value.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
    fail(where, `expected a shape (a list of integers or null), got ${describeValue(value)}`);
  }
  return value as (number | null)[];
}

/** The batch shape a layer's config declares: Keras 2 batch_input_shape, Keras 3 batch_shape, input_shape, or build_config. */
function declaredBatchShape(layer: LayerSpec, build: unknown): (number | null)[] | null {
  const c = layer.config;
  const where = `layer ${JSON.stringify(layer.name)}`;
  if (own(c, 'batch_input_shape') != null) return shapeList(own(c, 'batch_input_shape'), `${where}.batch_input_shape`);
  if (own(c, 'batch_shape') != null) return shapeList(own(c, 'batch_shape'), `${where}.batch_shape`);
  if (own(c, 'input_shape') != null) return [null, ...shapeList(own(c, 'input_shape'), `${where}.input_shape`)];
  if (isJson(build) && own(build, 'input_shape') != null) return shapeList(own(build, 'input_shape'), `${where}.build_config.input_shape`);
  return null;
}

/** A dtype as the file writes it: "float32", or Keras 3's {"class_name": "DTypePolicy", "config": {"name": "float32"}}. */
export function dtypeName(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isJson(value)) {
    const config = own(value, 'config');
    if (isJson(config) && typeof own(config, 'name') === 'string') return own(config, 'name') as string;
  }
  return null;
}

function looksKeras3(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(looksKeras3);
  if (!isJson(value)) return false;
  if (Object.hasOwn(value, 'registered_name') || Object.hasOwn(value, 'module') || Object.hasOwn(value, 'batch_shape')) return true;
  return Object.values(value).some(looksKeras3);
}

/** The name of the layer a Keras 2 ([[name, 0, 0, {}]]) or Keras 3 ({args: [keras_tensor]}) inbound node reads. */
function inboundNames(inbound: unknown, where: string): string[] {
  if (inbound === undefined || (Array.isArray(inbound) && inbound.length === 0)) return [];
  if (!Array.isArray(inbound) || inbound.length !== 1) fail(where, `inbound_nodes: expected one call of the layer (a layer shared between calls is not supported), got ${describeValue(inbound)}`);
  const node = inbound[0];
  if (Array.isArray(node)) return node.map((entry) => (Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : fail(where, `inbound node entry ${describeValue(entry)}: expected [name, node, tensor, kwargs]`)));
  if (isJson(node)) {
    const args = own(node, 'args');
    const kwargs = own(node, 'kwargs');
    if (isJson(kwargs) && (own(kwargs, 'initial_state') != null || own(kwargs, 'mask') != null)) fail(where, 'inbound_nodes: an initial_state or mask argument is not supported');
    if (!Array.isArray(args)) fail(where, `inbound_nodes[0].args: expected a list, got ${describeValue(args)}`);
    return args.flatMap((arg) => kerasTensorNames(arg, where));
  }
  return fail(where, `inbound_nodes: unexpected form ${describeValue(node)}`);
}

function kerasTensorNames(arg: unknown, where: string): string[] {
  if (Array.isArray(arg)) return arg.flatMap((a) => kerasTensorNames(a, where));
  if (!isJson(arg) || own(arg, 'class_name') !== '__keras_tensor__') return [];
  const config = own(arg, 'config');
  const history = isJson(config) ? own(config, 'keras_history') : undefined;
  if (!Array.isArray(history) || typeof history[0] !== 'string') fail(where, `a keras tensor without keras_history: ${describeValue(arg)}`);
  return [history[0] as string];
}

/** The single [name, 0, 0] of input_layers / output_layers (Keras 3 writes it unwrapped). */
function singleEndpoint(value: unknown, which: string): string {
  const list = Array.isArray(value) && Array.isArray(value[0]) ? value : [value];
  if (list.length !== 1 || !Array.isArray(list[0]) || typeof list[0][0] !== 'string') {
    fail(`model.${which}`, `expected one [name, 0, 0] (a model with one input and one output), got ${describeValue(value)}`);
  }
  return list[0][0] as string;
}

/** Reads a model config (see the module comment) into its layer chain. Throws INVALID_ARGUMENT naming what does not fit. */
export function readTopology(modelConfig: unknown): Topology {
  if (!isJson(modelConfig)) fail('model config', `expected {"class_name", "config"}, got ${describeValue(modelConfig)}`);
  // looksKeras3 and kerasTensorNames recurse: a caller's parsed object is bounded here too.
  checkJsonDepth(modelConfig, 'model config');
  const className = own(modelConfig, 'class_name');
  const config = own(modelConfig, 'config');
  const keras3 = looksKeras3(modelConfig);
  const list = Array.isArray(config) ? config : isJson(config) ? own(config, 'layers') : undefined;
  if (!Array.isArray(list)) fail('model config', `config.layers: expected a list of layers, got ${describeValue(list)}`);
  const modelName = isJson(config) && typeof own(config, 'name') === 'string' ? (own(config, 'name') as string) : undefined;
  const specs = list.map((layer, k) => layerSpec(layer, `layers[${k}]`));
  const buildOf = (k: number) => (isJson(list[k]) ? own(list[k] as Json, 'build_config') : undefined);

  let chain: (LayerSpec & { inbound: unknown })[];
  let modelClass: Topology['modelClass'];
  if (className === 'Sequential') {
    chain = specs;
    modelClass = 'sequential';
  } else if (className === 'Model' || className === 'Functional') {
    chain = functionalChain(specs, config as Json);
    modelClass = 'functional';
  } else {
    return fail('model config', `class_name ${describeValue(className)}: expected Sequential, Functional or Model`);
  }
  const inputLayer = chain[0].className === 'InputLayer' ? chain[0] : null;
  const layers = inputLayer ? chain.slice(1) : chain;
  const first = inputLayer ?? layers[0];
  const batchShape = first ? declaredBatchShape(first, buildOf(specs.indexOf(first))) : null;
  const dtype = dtypeName(first ? own(first.config, 'dtype') : undefined);
  return {
    modelName,
    modelClass,
    input: { name: inputLayer?.name ?? `${modelName ?? 'model'}_input`, shape: batchShape ? batchShape.slice(1) : null, dtype: inputLayer ? dtype : null },
    layers: layers.map(({ className: c, name, config: lc }) => ({ className: c, name, config: lc })),
    keras3,
  };
}

/** A functional model's layers as one chain from its input to its output; anything off that chain is refused. */
function functionalChain(specs: (LayerSpec & { inbound: unknown })[], config: Json): (LayerSpec & { inbound: unknown })[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const inputName = singleEndpoint(own(config, 'input_layers'), 'input_layers');
  let name = singleEndpoint(own(config, 'output_layers'), 'output_layers');
  const chain: (LayerSpec & { inbound: unknown })[] = [];
  while (true) {
    const spec = byName.get(name);
    if (!spec) fail('model config', `layer ${JSON.stringify(name)} is named as an input of another layer but not defined`);
    if (chain.includes(spec)) fail('model config', `layer ${JSON.stringify(name)} is reached twice: the graph has a cycle`);
    chain.unshift(spec);
    if (name === inputName) break;
    const inputs = inboundNames(spec.inbound, `layer ${JSON.stringify(name)} (${spec.className})`);
    if (inputs.length !== 1) fail(`layer ${JSON.stringify(name)} (${spec.className})`, `expected exactly one input layer, got ${inputs.length} (${inputs.join(', ')}); only a chain of layers is supported`);
    name = inputs[0];
  }
  const off = specs.filter((s) => !chain.includes(s));
  if (off.length) fail('model config', `layers ${off.map((s) => `${JSON.stringify(s.name)} (${s.className})`).join(', ')} are not on the chain from the input to the output; only a chain of layers is supported`);
  return chain;
}
