// Small helpers for building the page's HTML and SVG without a framework.

type Attributes = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

const kSvgNamespace = 'http://www.w3.org/2000/svg';

function fill<E extends Element>(element: E, attributes: Attributes, children: Child[]): E {
  for (const [name, value] of Object.entries(attributes)) {
    // false/null/undefined leave the attribute off, so conditional attributes read naturally.
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** An HTML element with attributes and children. */
export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(kSvgNamespace, tag), attributes, children);
}

/** SVG text with a subscript, e.g. h with t−1: SVG has no <sub>, so a smaller shifted tspan. */
export function svgSubscript(base: string, sub: string, attributes: Attributes = {}): SVGTextElement {
  return svg('text', attributes, base, svg('tspan', { 'baseline-shift': 'sub', 'font-size': '0.72em' }, sub));
}

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo: index.html has no element #${id}`);
  return element as T;
}
