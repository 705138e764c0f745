import { zipSync, strToU8 } from 'fflate';
import type { GraphLayer } from '../../model/graph/layers.js';
import type { SequenceModel } from '../../model/graph/sequence-model.js';
import { layerWeightList, type KerasWeight } from './export-layers.js';
import { kerasModelConfig } from './export-model.js';
import { writeHdf5 } from './hdf5.js';
import { toSnakeCase } from './keras3-weights.js';

/**
 * Keras's files written from a SequenceModel, laid out as Keras writes them (weights float32):
 * - kerasModelToH5: Keras 2's full-model HDF5 (`model.save('m.h5')`): root attributes
 *   `model_config`, `keras_version`, `backend`; `/model_weights/<layer>` with `weight_names` and a
 *   dataset per weight at `<layer>/<layer>[/forward_<lstm>]/<weight>:0`.
 * - kerasModelToZip: Keras 3's `.keras`: config.json, metadata.json and model.weights.h5
 *   (`layers/<class path>/vars/0, 1, ...`, each vars group naming its layer).
 * `keras_version` says which Keras's meaning the file carries (hard_sigmoid's slope): 2.15.0 for
 * the HDF5 file, 3.8.0 for the .keras file.
 */

type H5Group = { create_group(name: string): H5Group; create_attribute(name: string, value: unknown, shape?: number[] | null, dtype?: string | null): void; create_dataset(args: { name: string; data: Float32Array; shape: number[]; dtype: string }): unknown };

export const kKeras2Version = '2.15.0';
export const kKeras3Version = '3.8.0';

/** Fixed-length ASCII strings, as h5py writes Keras's name lists (Keras 2 decodes them as bytes). */
function setNames(group: H5Group, name: string, names: readonly string[]): void {
  if (names.length === 0) {
    group.create_attribute(name, new Float64Array(0), [0], '<f8');
    return;
  }
  group.create_attribute(name, [...names], [names.length], `A${Math.max(...names.map((n) => n.length))}`);
}

function setText(group: H5Group, name: string, value: string): void {
  group.create_attribute(name, value, null, `A${Math.max(1, new TextEncoder().encode(value).length)}`);
}

function dataset(group: H5Group, name: string, weight: KerasWeight): void {
  group.create_dataset({ name, data: Float32Array.from(weight.tensor.data), shape: [...weight.tensor.shape], dtype: '<f4' });
}

/** Creates every group along `path` under `root` (h5wasm creates one level at a time). */
function groupAt(root: H5Group, path: readonly string[]): H5Group {
  let group = root;
  for (const part of path) group = group.create_group(part);
  return group;
}

/** Keras 2's full-model HDF5 file. */
export async function kerasModelToH5(model: SequenceModel): Promise<Uint8Array> {
  const config = JSON.stringify(kerasModelConfig(model, 'keras2'));
  return writeHdf5((file) => {
    const root = file as unknown as H5Group;
    setText(root, 'keras_version', kKeras2Version);
    setText(root, 'backend', 'tensorflow');
    setText(root, 'model_config', config);
    const weights = root.create_group('model_weights');
    setText(weights, 'keras_version', kKeras2Version);
    setText(weights, 'backend', 'tensorflow');
    setNames(weights, 'layer_names', model.layers.map((l) => l.name));
    for (const layer of model.layers) {
      const group = weights.create_group(layer.name);
      const list = layerWeightList(layer);
      const names = list.map((w) => [layer.name, ...w.scope, `${w.name}:0`].join('/'));
      setNames(group, 'weight_names', names);
      if (list.length === 0) continue;
      // Each scope level once: the layer's own, then a Bidirectional's forward_/backward_ scope.
      const inner = group.create_group(layer.name);
      const scopes = new Map<string, H5Group>();
      list.forEach((w) => {
        const key = w.scope.join('/');
        if (!scopes.has(key)) scopes.set(key, groupAt(inner, w.scope));
        dataset(scopes.get(key)!, `${w.name}:0`, w);
      });
    }
  });
}

/** Where Keras 3 keeps a layer's variables below `layers/<path>`: LSTMs in their cell, a Bidirectional's per direction. */
function keras3VarGroups(layer: GraphLayer): { path: string[]; weights: KerasWeight[] }[] {
  const list = layerWeightList(layer);
  if (layer.kind === 'lstm' && layer.mergeMode !== null) {
    const half = list.length / 2;
    return [
      { path: ['forward_layer', 'cell', 'vars'], weights: list.slice(0, half) },
      { path: ['backward_layer', 'cell', 'vars'], weights: list.slice(half) },
    ];
  }
  if (layer.kind === 'lstm') return [{ path: ['cell', 'vars'], weights: list }];
  if (layer.kind === 'dense' && layer.timeDistributed) return [{ path: ['layer', 'vars'], weights: list }];
  return [{ path: ['vars'], weights: list }];
}

/** Keras 3's model.weights.h5 for a model whose config lists InputLayer then `model.layers`. */
export async function kerasWeightsToKeras3H5(model: SequenceModel): Promise<Uint8Array> {
  const counts = new Map<string, number>();
  const pathOf = (className: string) => {
    const base = toSnakeCase(className);
    const k = counts.get(base) ?? 0;
    counts.set(base, k + 1);
    return k === 0 ? base : `${base}_${k}`;
  };
  const config = kerasModelConfig(model, 'keras3') as { config: { layers: { class_name: string }[] } };
  return writeHdf5((file) => {
    const root = file as unknown as H5Group;
    const layers = root.create_group('layers');
    const input = layers.create_group(pathOf('InputLayer')).create_group('vars');
    setText(input, 'name', model.input.name);
    model.layers.forEach((layer, k) => {
      const group = layers.create_group(pathOf(config.config.layers[k + 1].class_name));
      const own = group.create_group('vars');
      setText(own, 'name', layer.name);
      for (const { path, weights } of keras3VarGroups(layer)) {
        const vars = path.length === 1 ? own : groupAt(group, path);
        if (vars !== own) setText(vars, 'name', layer.kind === 'lstm' ? 'lstm_cell' : layer.name);
        weights.forEach((w, i) => dataset(vars, String(i), w));
      }
    });
    setText(root.create_group('vars'), 'name', model.source.modelName ?? 'sequential');
  });
}

/** Keras 3's .keras zip (entries stored, as Keras writes them). */
export async function kerasModelToZip(model: SequenceModel): Promise<Uint8Array> {
  const config = JSON.stringify(kerasModelConfig(model, 'keras3'));
  const weights = await kerasWeightsToKeras3H5(model);
  return zipSync(
    {
      'metadata.json': strToU8(JSON.stringify({ keras_version: kKeras3Version, date_saved: '1970-01-01@00:00:00', generated_by: 'webgpu-lstm' })),
      'config.json': strToU8(config),
      'model.weights.h5': weights,
    },
    { level: 0, mtime: new Date(Date.UTC(1980, 0, 1)) },
  );
}
