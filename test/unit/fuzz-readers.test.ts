import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { loadModelFile } from '../../src/api/model-files.js';
import type { ModelFiles } from '../../src/formats/load.js';
import { SeededRandom } from '../../src/model/random.js';
import { testSeed } from '../support/seed.js';

// Every model-file reader against seeded mutants of real files: each mutant must end, within a time
// limit, in a model or a typed LstmError (never a RangeError, a raw h5wasm/fflate/protobufjs error,
// a hang or an out-of-memory). The mutations are what a corrupt download or a hostile file does:
// overwritten byte runs, flipped bits, truncation, inserted and repeated slices, absurd numbers in
// the JSON text, and a value nested deep. Replay a failure with the seed the test prints.

const seed = testSeed('fuzz-readers.test.ts');
const root = resolve(__dirname, '../fixtures');
/** Mutants per reader; about 1 000 in all, a few seconds on this machine. */
const kMutantsPerCorpus = 140;
/** The slowest a single mutant may be: a budget check that fails lets a read run for seconds. */
const kMaxMillisPerMutant = 2_000;
/** The memory budget the CLI gives by default, so declared sizes are checked as they are there. */
const kMaxBytes = 1 << 30;

interface Corpus {
  readonly reader: string;
  /** The file that is mutated, and the sibling (shard or weights) read beside it unmutated or mutated. */
  readonly main: string;
  readonly side?: { readonly path: string; readonly as: 'shard' | 'weights' };
}

const kCorpora: readonly Corpus[] = [
  { reader: 'json (ours)', main: 'torch-cases/seed004_scalar.json' },
  { reader: 'tfjs model.json', main: 'tfjs/stacked/model.json', side: { path: 'tfjs/stacked/weights.bin', as: 'shard' } },
  { reader: 'Keras 2 .h5', main: 'keras/keras2_stacked.h5' },
  { reader: 'Keras 3 .keras', main: 'keras/keras3_bilstm.keras' },
  { reader: 'Keras to_json + .weights.h5', main: 'keras/keras3_masking.json', side: { path: 'keras/keras3_masking.weights.h5', as: 'weights' } },
  { reader: 'ONNX', main: 'onnx/node_everything.onnx' },
  { reader: 'safetensors', main: 'safetensors/lstm2_fc_f32.safetensors' },
];

const read = (path: string) => new Uint8Array(readFileSync(join(root, path)));

/** One seeded mutation of `bytes` (a copy); `text` says whether JSON-text edits make sense. */
function mutate(bytes: Uint8Array, random: SeededRandom, text: boolean): { bytes: Uint8Array; how: string } {
  const at = (n = bytes.length) => Math.floor(random.next() * n);
  const kind = at(text ? 7 : 5);
  const out = bytes.slice();
  switch (kind) {
    case 0: {
      const start = at();
      const length = 1 + at(8);
      for (let k = start; k < Math.min(out.length, start + length); k++) out[k] = at(256);
      return { bytes: out, how: `overwrite ${length} bytes at ${start}` };
    }
    case 1: {
      const flips = 1 + at(4);
      for (let k = 0; k < flips; k++) out[at()] ^= 1 << at(8);
      return { bytes: out, how: `flip ${flips} bits` };
    }
    case 2: {
      const cut = at();
      return { bytes: out.subarray(0, cut), how: `truncate to ${cut}` };
    }
    case 3: {
      const where = at();
      const junk = Uint8Array.from({ length: 1 + at(64) }, () => at(256));
      return { bytes: concat(out.subarray(0, where), junk, out.subarray(where)), how: `insert ${junk.length} bytes at ${where}` };
    }
    case 4: {
      const start = at();
      const slice = out.subarray(start, start + 1 + at(512));
      return { bytes: concat(out.subarray(0, start), slice, slice, out.subarray(start + slice.length)), how: `repeat ${slice.length} bytes at ${start}` };
    }
    case 5: {
      const source = new TextDecoder().decode(out);
      const numbers = [...source.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
      if (numbers.length === 0) return { bytes: out, how: 'no number to change' };
      const pick = numbers[at(numbers.length)];
      const value = ['1e300', '-1', '0', '4294967296', '9007199254740993', '2147483647', '-0', '0.5'][at(8)];
      return { bytes: new TextEncoder().encode(source.slice(0, pick.index) + value + source.slice(pick.index! + pick[0].length)), how: `number ${pick[0]} -> ${value}` };
    }
    default: {
      const source = new TextDecoder().decode(out);
      const colons = [...source.matchAll(/:\s*/g)];
      if (colons.length === 0) return { bytes: out, how: 'no value to nest' };
      const pick = colons[at(colons.length)];
      const depth = [100, 5_000, 50_000][at(3)];
      const end = pick.index! + pick[0].length;
      return { bytes: new TextEncoder().encode(`${source.slice(0, end)}${'['.repeat(depth)}${']'.repeat(depth)}, "_": ${source.slice(end)}`), how: `nest ${depth} deep after byte ${end}` };
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const isText = (path: string) => path.endsWith('.json');

describe('seeded fuzzing of every model-file reader', () => {
  it.each(kCorpora.map((corpus, index) => ({ ...corpus, index })))('$reader: every mutant ends in a model or a typed error, quickly', async (corpus) => {
    // One stream per reader, so that a reader's mutants do not depend on which others ran.
    const random = new SeededRandom(seed + corpus.index);
    const main = read(corpus.main);
    const side = corpus.side ? read(corpus.side.path) : undefined;
    const outcomes = new Map<string, number>();
    const start = performance.now();
    let slowest = 0;
    for (let n = 0; n < kMutantsPerCorpus; n++) {
      // Mostly the main file; a quarter of the time the shard or weights file beside it.
      const mutateSide = side !== undefined && random.next() < 0.25;
      const target = mutateSide ? side : main;
      const { bytes, how } = mutate(target, random, isText(mutateSide ? corpus.side!.path : corpus.main));
      const mainBytes = mutateSide ? main : bytes;
      const sideBytes = mutateSide ? bytes : side;
      const files: ModelFiles = {
        path: join(root, corpus.main),
        bytes: mainBytes,
        ...(corpus.side?.as === 'weights' ? { weights: { path: join(root, corpus.side.path), bytes: sideBytes! } } : {}),
        readSibling: (relative) => {
          if (corpus.side?.as === 'shard' && relative === basename(corpus.side.path)) return sideBytes!;
          return new Uint8Array(readFileSync(join(dirname(join(root, corpus.main)), relative)));
        },
      };
      const t0 = performance.now();
      let outcome: string;
      try {
        const loaded = await loadModelFile(files, { maxBytes: kMaxBytes });
        outcome = `read (${loaded.kind})`;
      } catch (error) {
        if (!(error instanceof LstmError)) {
          throw new Error(`${corpus.reader}, mutant ${n} (${mutateSide ? corpus.side!.path : corpus.main}: ${how}, seed ${seed}): untyped ${String(error).slice(0, 400)}`);
        }
        expect(error.message.includes('\n'), `${corpus.reader} mutant ${n} (${how}): one line`).toBe(false);
        outcome = error.code;
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      expect(ms, `${corpus.reader}, mutant ${n} (${how}) took ${ms.toFixed(0)} ms`).toBeLessThan(kMaxMillisPerMutant);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const line = `${corpus.reader}: ${kMutantsPerCorpus} mutants in ${((performance.now() - start) / 1000).toFixed(1)} s (slowest ${slowest.toFixed(0)} ms): ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`;
    console.log(line);
  });
});
