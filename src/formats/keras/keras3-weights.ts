import { invalidParameter } from '../../core/errors.js';
import type { NonFinitePolicy } from '../../core/non-finite.js';
import type { Hdf5View } from './hdf5.js';
import { isJson, own } from './topology.js';
import { readWeight, type StoredWeight, type WeightLookup } from './weights.js';

/**
 * Keras 3's weights file (`model.weights.h5`, `save_weights('x.weights.h5')`): each layer's
 * variables at `layers/<path>/vars/0, 1, ...` in the order the layer creates them (LSTM: kernel,
 * recurrent_kernel, bias under `cell/`; Bidirectional: `forward_layer/cell/`, `backward_layer/cell/`;
 * Dense: kernel, bias; BatchNormalization: gamma, beta, moving_mean, moving_variance). <path> is
 * not the config's layer name but one Keras makes from the class (batch_normalization,
 * batch_normalization_1, ...); the `vars` group's `name` attribute holds the config's name, and
 * where it is missing the class-based names are generated in the config's layer order.
 */

/** Keras's snake_case of a class name (keras.src.utils.naming.to_snake_case): BatchNormalization → batch_normalization. */
export function toSnakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The layers of a config ({class_name, config: {layers}}), as [className, name], InputLayer included. */
function configLayers(modelConfig: unknown): [string, string][] {
  const config = isJson(modelConfig) ? own(modelConfig, 'config') : undefined;
  const layers = isJson(config) ? own(config, 'layers') : undefined;
  if (!Array.isArray(layers)) return [];
  return layers.flatMap((l) => {
    if (!isJson(l)) return [];
    const c = own(l, 'config');
    const name = own(l, 'name') ?? (isJson(c) ? own(c, 'name') : undefined);
    return typeof own(l, 'class_name') === 'string' && typeof name === 'string' ? [[own(l, 'class_name') as string, name]] : [];
  });
}

/** The datasets directly in a vars group, in index order. */
function varsOf(file: Hdf5View, group: string): string[] {
  if (file.kind(group) !== 'group') return [];
  return file
    .children(group)
    .filter((name) => /^\d+$/.test(name) && file.kind(`${group}/${name}`) === 'dataset')
    .sort((a, b) => Number(a) - Number(b))
    .map((name) => `${group}/${name}`);
}

/** Every dataset below a group (to find any the model does not use). */
function datasetsBelow(file: Hdf5View, group: string): string[] {
  return file.children(group).flatMap((child) => {
    const path = `${group}/${child}`;
    return file.kind(path) === 'group' ? datasetsBelow(file, path) : file.kind(path) === 'dataset' ? [path] : [];
  });
}

/**
 * The WeightLookup of a Keras 3 weights file. `checkBudget` sees every stored weight (shapes only)
 * before any is read.
 */
export function keras3Lookup(file: Hdf5View, modelConfig: unknown, nonFinite: NonFinitePolicy, checkBudget: (stored: StoredWeight[]) => void): WeightLookup {
  const groups = new Map<string, string>();
  for (const child of file.children('/layers')) {
    const name = file.attr(`/layers/${child}/vars`, 'name');
    if (typeof name === 'string') groups.set(name, `/layers/${child}`);
  }
  if (groups.size === 0) {
    const counts = new Map<string, number>();
    for (const [className, name] of configLayers(modelConfig)) {
      const base = toSnakeCase(className);
      const k = counts.get(base) ?? 0;
      counts.set(base, k + 1);
      groups.set(name, `/layers/${k === 0 ? base : `${base}_${k}`}`);
    }
  }
  const all = datasetsBelow(file, '/layers');
  checkBudget(all.map((path) => ({ name: path, shape: file.shape(path), read: () => file.read(path) })));
  const used = new Set<string>();
  return {
    weights(layerName, part, names) {
      const group = groups.get(layerName);
      if (!group) throw invalidParameter(`layer ${JSON.stringify(layerName)}: the weights file has no group for it (layers/*/vars name attributes: ${[...groups.keys()].join(', ') || 'none'})`);
      const candidates = part ? [`${group}/${part}_layer/cell/vars`] : [`${group}/vars`, `${group}/cell/vars`, `${group}/layer/vars`, `${group}/layer/cell/vars`];
      const vars = candidates.map((c) => varsOf(file, c)).find((v) => v.length > 0) ?? [];
      if (vars.length !== names.length) {
        throw invalidParameter(`layer ${JSON.stringify(layerName)}${part ? ` (${part})` : ''}: expected ${names.length} variables (${names.join(', ')}) in ${candidates[0]}, the file holds ${vars.length}`);
      }
      return vars.map((path, k) => {
        used.add(path);
        return readWeight({ name: `${layerName}/${names[k]} (${path})`, shape: file.shape(path), read: () => file.read(path) }, nonFinite);
      });
    },
    checkAllUsed() {
      const unused = all.filter((path) => !used.has(path));
      if (unused.length) throw invalidParameter(`the weights file holds variables no supported layer uses: ${unused.slice(0, 8).join(', ')}`);
    },
  };
}
