import { kGateColors, kPalette } from './palette.js';
import { svg, svgSubscript } from './ui/dom.js';
import { fixed } from './ui/format.js';

/** What the diagram shows at one time step of a scalar LSTM. */
export interface CellSnapshot {
  /** 1-based step, and how many there are. */
  readonly step: number;
  readonly steps: number;
  readonly x: number;
  readonly hPrev: number;
  readonly cPrev: number;
  readonly f: number;
  readonly i: number;
  readonly g: number;
  readonly o: number;
  readonly c: number;
  readonly h: number;
}

type Gate = keyof typeof kGateColors;

/** Where each gate sits (x of the circle centre) and what it is called; all gates share one row. */
const kGates: readonly { key: Gate; name: string; cx: number }[] = [
  { key: 'f', name: 'forget', cx: 176 },
  { key: 'i', name: 'input', cx: 286 },
  { key: 'g', name: 'candidate', cx: 396 },
  { key: 'o', name: 'output', cx: 506 },
];
const kGateY = 258;
const kGateR = 38;
const kCellY = 92; // the cell-state line
const kBusY = 340; // the [h_{t−1}, x_t] bus feeding every gate
const kOutX = 612; // the column where tanh(c_t) meets the output gate
const kMixX = 341; // the × node of input and candidate, midway between them

/** Tracks the parts that change from step to step. */
interface Live {
  readonly root: SVGSVGElement;
  readonly desc: SVGDescElement;
  readonly stepLabel: SVGTextElement;
  readonly carried: SVGLineElement;
  readonly gates: Record<Gate, { circle: SVGCircleElement; value: SVGTextElement; name: SVGTextElement }>;
  readonly states: Record<'x' | 'hPrev' | 'cPrev' | 'c' | 'h', SVGTextElement>;
}

const wire = (x1: number, y1: number, x2: number, y2: number, arrow = false) =>
  svg('line', { x1, y1, x2, y2, class: 'wire', 'marker-end': arrow ? 'url(#cell-arrow)' : null });

const node = (cx: number, cy: number, symbol: string) =>
  svg('g', { class: 'op-node' }, svg('circle', { cx, cy, r: 14 }), svg('text', { x: cx, y: cy + 1, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, symbol));

const stateValue = (x: number, y: number, anchor: 'start' | 'end' | 'middle') =>
  svg('text', { x, y, class: 'state-value', 'text-anchor': anchor }, '—');

/**
 * The LSTM cell of seed 000, drawn as SVG: the cell-state line on top, the four gates in a row fed
 * by h_{t−1} and x_t, and h_t leaving on the right. `update` fills each gate by its value.
 */
export class CellDiagram {
  private readonly live: Live;

  constructor(host: HTMLElement) {
    this.live = build();
    host.replaceChildren(this.live.root);
    this.update(null);
  }

  /** Shows one step's values, or the empty cell (before the first step) when given null. */
  update(snapshot: CellSnapshot | null): void {
    const { live } = this;
    live.stepLabel.textContent = snapshot ? `step ${snapshot.step} of ${snapshot.steps}` : 'before the first step';
    live.root.dataset.step = String(snapshot?.step ?? 0);
    for (const { key } of kGates) {
      const value = snapshot ? snapshot[key] : null;
      const parts = live.gates[key];
      // A gate's fill follows its openness (|g| for the candidate, which lies in [−1, 1]).
      const strength = value === null ? 0 : Math.min(1, Math.abs(value));
      parts.circle.setAttribute('fill-opacity', (0.1 + 0.9 * strength).toFixed(3));
      parts.value.textContent = value === null ? '—' : fixed(value);
      // White text only where the fill is dark enough to keep it readable.
      const dark = strength > 0.5;
      parts.value.classList.toggle('on-dark', dark);
      parts.name.classList.toggle('on-dark', dark);
    }
    // What the forget gate lets through of c_{t−1}: the line after the × fades as f closes.
    live.carried.setAttribute('stroke-opacity', snapshot ? (0.15 + 0.85 * snapshot.f).toFixed(3) : '0.85');
    live.states.x.textContent = snapshot ? fixed(snapshot.x) : '—';
    live.states.hPrev.textContent = snapshot ? fixed(snapshot.hPrev) : '—';
    live.states.cPrev.textContent = snapshot ? fixed(snapshot.cPrev) : '—';
    live.states.c.textContent = snapshot ? fixed(snapshot.c) : '—';
    live.states.h.textContent = snapshot ? fixed(snapshot.h) : '—';
    live.desc.textContent = snapshot
      ? `Step ${snapshot.step} of ${snapshot.steps}: x ${fixed(snapshot.x)}, forget ${fixed(snapshot.f)}, input ${fixed(snapshot.i)}, ` +
        `candidate ${fixed(snapshot.g)}, output ${fixed(snapshot.o)}, cell state ${fixed(snapshot.c)}, hidden state ${fixed(snapshot.h)}.`
      : 'Before the first step: no gate values yet.';
  }
}

function build(): Live {
  const root = svg('svg', {
    id: 'cell-diagram',
    'data-testid': 'cell-diagram',
    viewBox: '0 0 720 420',
    class: 'cell-diagram',
    role: 'img',
    'aria-labelledby': 'cell-diagram-title cell-diagram-desc',
  });
  const desc = svg('desc', { id: 'cell-diagram-desc' });
  root.append(
    svg('title', { id: 'cell-diagram-title' }, 'LSTM cell architecture'),
    desc,
    svg(
      'defs',
      {},
      svg(
        'marker',
        { id: 'cell-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0 0 L10 5 L0 10 z', fill: kPalette.gray }),
      ),
    ),
    // The cell's boundary, dashed as in seed 000.
    svg('rect', { x: 66, y: 38, width: 588, height: 332, rx: 22, class: 'cell-boundary', stroke: kPalette.blue }),
  );

  // Cell state: c_{t−1} → × forget → + (input × candidate) → c_t. The middle stretch is what survives forgetting.
  const [forgetX, plusX] = [kGates[0].cx, kMixX];
  const carried = svg('line', { x1: forgetX + 14, y1: kCellY, x2: plusX - 14, y2: kCellY, class: 'cell-line', stroke: kPalette.purple });
  root.append(
    svg('line', { x1: 16, y1: kCellY, x2: forgetX - 14, y2: kCellY, class: 'cell-line', stroke: kPalette.purple }),
    carried,
    svg('line', { x1: plusX + 14, y1: kCellY, x2: 700, y2: kCellY, class: 'cell-line', stroke: kPalette.purple }),
    svg('path', { d: `M692 ${kCellY - 7} L704 ${kCellY} L692 ${kCellY + 7} z`, fill: kPalette.purple }),
    node(forgetX, kCellY, '×'),
    node(plusX, kCellY, '+'),
  );

  // The bus: h_{t−1} from the left, x_t from below, one branch up into each gate.
  root.append(wire(16, kBusY, kGates[3].cx, kBusY), wire(120, 412, 120, kBusY));
  for (const gate of kGates) root.append(wire(gate.cx, kBusY, gate.cx, kGateY + kGateR, true));

  // Gate outputs: f into the forget ×; i and g meet at a × whose product joins the cell line at +.
  const [iX, gX, oX] = [kGates[1].cx, kGates[2].cx, kGates[3].cx];
  const mixY = 176;
  root.append(
    wire(forgetX, kGateY - kGateR, forgetX, kCellY + 14, true),
    svg('polyline', { points: `${iX},${kGateY - kGateR} ${iX},${mixY} ${kMixX - 14},${mixY}`, class: 'wire', 'marker-end': 'url(#cell-arrow)' }),
    svg('polyline', { points: `${gX},${kGateY - kGateR} ${gX},${mixY} ${kMixX + 14},${mixY}`, class: 'wire', 'marker-end': 'url(#cell-arrow)' }),
    wire(kMixX, mixY - 14, kMixX, kCellY + 14, true),
    node(kMixX, mixY, '×'),
  );

  // Output: tanh(c_t) comes down from the cell line and is scaled by o; the product is h_t.
  root.append(
    wire(kOutX, kCellY, kOutX, 150, true),
    svg('rect', { x: kOutX - 30, y: 150, width: 60, height: 28, rx: 14, class: 'op-box' }),
    svg('text', { x: kOutX, y: 165, class: 'op-box-label', 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, 'tanh'),
    wire(kOutX, 178, kOutX, kGateY - 14, true),
    wire(oX + kGateR, kGateY, kOutX - 14, kGateY, true),
    node(kOutX, kGateY, '×'),
    wire(kOutX + 14, kGateY, 704, kGateY, true),
  );

  const gates = {} as Live['gates'];
  for (const gate of kGates) {
    const circle = svg('circle', { cx: gate.cx, cy: kGateY, r: kGateR, fill: kGateColors[gate.key], class: 'gate' });
    const name = svg('text', { x: gate.cx, y: kGateY - 10, class: 'gate-name', 'text-anchor': 'middle' }, gate.name);
    const value = svg('text', { x: gate.cx, y: kGateY + 13, class: 'gate-value', 'text-anchor': 'middle', 'data-gate': gate.key }, '—');
    root.append(svg('g', { class: 'gate-group', 'data-gate': gate.key }, circle, name, value));
    gates[gate.key] = { circle, value, name };
  }
  // Gate symbols beside each circle: σ squashes to (0, 1), tanh to (−1, 1).
  for (const gate of kGates) {
    root.append(svg('text', { x: gate.cx + kGateR + 4, y: kGateY + kGateR - 2, class: 'gate-fn' }, gate.key === 'g' ? 'tanh' : 'σ'));
  }

  const states = {
    cPrev: stateValue(20, kCellY + 26, 'start'),
    c: stateValue(700, kCellY + 26, 'end'),
    hPrev: stateValue(20, kBusY + 26, 'start'),
    h: stateValue(700, kGateY + 26, 'end'),
    x: stateValue(132, 404, 'start'),
  };
  const stepLabel = svg('text', { x: 640, y: 62, class: 'step-label', 'text-anchor': 'end' }, '');
  root.append(
    svgSubscript('c', 't−1', { x: 20, y: kCellY - 12, class: 'state-label' }),
    svgSubscript('c', 't', { x: 700, y: kCellY - 12, class: 'state-label', 'text-anchor': 'end' }),
    svgSubscript('h', 't−1', { x: 20, y: kBusY - 12, class: 'state-label' }),
    svgSubscript('h', 't', { x: 700, y: kGateY - 12, class: 'state-label', 'text-anchor': 'end' }),
    svgSubscript('x', 't', { x: 132, y: 386, class: 'state-label' }),
    ...Object.values(states),
    stepLabel,
  );
  return { root, desc, stepLabel, carried, gates, states };
}
