// The GPU/CPU crossover in words, from the rows' medians: where WebGPU beats the fastest engine
// on the CPU side (the wasm engine at any thread count, or the float64 reference).
import type { BenchmarkRow, Crossover, CrossoverGroup } from './types.js';

type Side = 'gpu' | 'cpu';

const timedMedian = (row: BenchmarkRow | undefined): number | null => (row && row.status === 'ok' && row.medianMs !== null ? row.medianMs : null);

function groupKey(row: BenchmarkRow): string {
  const s = row.shape;
  return `${s.steps},${s.inputSize},${s.hiddenSize},${s.layers},${s.bidirectional}`;
}

function groupLabel(g: Pick<CrossoverGroup, 'steps' | 'inputSize' | 'hiddenSize' | 'layers' | 'bidirectional'>): string {
  const extra = [g.layers > 1 ? `${g.layers} layers` : '', g.bidirectional ? 'bidirectional' : ''].filter(Boolean).join(', ');
  return `(T, I, H) = (${g.steps}, ${g.inputSize}, ${g.hiddenSize})${extra ? ` (${extra})` : ''}`;
}

const list = (bs: readonly number[]): string => bs.join(', ');

/** Why a group has no comparison: WebGPU, or every CPU-side engine, was not timed (the first such row's note says why). */
function whyNot(rows: readonly BenchmarkRow[]): string {
  const gpuTimed = rows.some((r) => r.engine === 'webgpu' && r.status === 'ok');
  const row = rows.find((r) => (r.engine === 'webgpu') !== gpuTimed && r.status !== 'ok');
  const what = gpuTimed ? 'no CPU-side engine was timed' : 'WebGPU was not timed';
  return row ? `${what} (${row.status}${row.note ? `: ${row.note}` : ''})` : what;
}

/**
 * The crossover per group of shapes that differ only in B, and a summary: one sentence when the
 * same side wins everywhere, else each group's. `softwareAdapter` adds that WebGPU ran on a
 * software rasteriser (so the comparison is CPU against CPU).
 */
export function describeCrossover(rows: readonly BenchmarkRow[], softwareAdapter = false): Crossover {
  const byGroup = new Map<string, BenchmarkRow[]>();
  for (const row of rows) byGroup.set(groupKey(row), [...(byGroup.get(groupKey(row)) ?? []), row]);
  const groups: { group: CrossoverGroup; rows: BenchmarkRow[] }[] = [];
  const cpuNames = new Set<string>();
  for (const groupRows of byGroup.values()) {
    const s = groupRows[0].shape;
    const batches = [...new Set(groupRows.map((r) => r.shape.batch))].sort((a, b) => a - b);
    const gpuFasterAt: number[] = [];
    const cpuFasterAt: number[] = [];
    const winners: Side[] = [];
    for (const b of batches) {
      const atB = groupRows.filter((r) => r.shape.batch === b);
      const gpu = timedMedian(atB.find((r) => r.engine === 'webgpu'));
      const cpuSide = atB.filter((r) => r.engine !== 'webgpu' && timedMedian(r) !== null).sort((x, y) => x.medianMs! - y.medianMs!);
      if (gpu === null || cpuSide.length === 0) continue;
      cpuNames.add(cpuSide[0].engine);
      const side: Side = gpu < cpuSide[0].medianMs! ? 'gpu' : 'cpu';
      (side === 'gpu' ? gpuFasterAt : cpuFasterAt).push(b);
      winners.push(side);
    }
    const shape = { steps: s.steps, inputSize: s.inputSize, hiddenSize: s.hiddenSize, layers: s.layers, bidirectional: s.bidirectional };
    groups.push({ group: { ...shape, gpuFasterAt, cpuFasterAt, sentence: '' }, rows: groupRows });
  }
  // Named by which CPU-side engine was the fastest: at small shapes the float64 reference can beat the wasm engine's fixed costs.
  const cpuName = cpuNames.size === 1 && cpuNames.has('cpu') ? 'the CPU reference' : cpuNames.has('cpu') ? 'the CPU side (the wasm engine or the reference, whichever was faster)' : 'the wasm engine';
  const named = groups.map(({ group, rows: groupRows }) => ({ ...group, sentence: groupSentence(group, cpuName, groupRows) }));
  const compared = named.filter((g) => g.gpuFasterAt.length + g.cpuFasterAt.length > 0);
  const software = softwareAdapter ? ' (WebGPU here runs on a software adapter: CPU speed behind a GPU API)' : '';
  let summary: string;
  if (compared.length === 0) summary = `no GPU/CPU comparison: ${named.map((g) => g.sentence).join('; ')}`;
  else if (compared.length === named.length && compared.every((g) => g.cpuFasterAt.length === 0)) summary = `WebGPU is faster at every shape tried here${software}`;
  else if (compared.length === named.length && compared.every((g) => g.gpuFasterAt.length === 0)) summary = `${capitalize(cpuName)} is faster at every shape tried here${software}`;
  else summary = `${named.map((g) => g.sentence).join('; ')}${software}`;
  return { summary, groups: named };
}

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

function groupSentence(g: CrossoverGroup, cpuName: string, rows: readonly BenchmarkRow[]): string {
  const at = groupLabel(g);
  const gpu = g.gpuFasterAt;
  const cpu = g.cpuFasterAt;
  if (gpu.length + cpu.length === 0) return `at ${at}: ${whyNot(rows)}`;
  if (cpu.length === 0) return gpu.length === 1 ? `WebGPU is faster at B = ${gpu[0]}, ${at}` : `WebGPU is faster at every B tried (${list(gpu)}) at ${at}`;
  if (gpu.length === 0) return cpu.length === 1 ? `${cpuName} is faster at B = ${cpu[0]}, ${at}` : `${cpuName} is faster at every B tried (${list(cpu)}) at ${at}`;
  // One switch over the sorted batch sizes: the side that wins the larger ones wins "from" there.
  if (Math.max(...cpu) < Math.min(...gpu)) return `WebGPU is faster from B = ${Math.min(...gpu)} at ${at}; ${cpuName} below it (B = ${list(cpu)})`;
  if (Math.max(...gpu) < Math.min(...cpu)) return `${cpuName} is faster from B = ${Math.min(...cpu)} at ${at}; WebGPU below it (B = ${list(gpu)})`;
  return `at ${at}, WebGPU is faster at B = ${list(gpu)} and ${cpuName} at B = ${list(cpu)}`;
}
