// Plain-text and Markdown tables from string cells.

/**
 * Columns padded to their widest cell. @param {string[]} headers @param {string[][]} rows
 * @param {('left'|'right')[]} aligns
 */
export function textTable(headers, rows, aligns) {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells) =>
    cells
      .map((cell, c) => (aligns[c] === 'right' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** @param {string[]} headers @param {string[][]} rows @param {('left'|'right')[]} aligns */
export function markdownTable(headers, rows, aligns) {
  const escape = (cell) => cell.replaceAll('|', '\\|');
  const line = (cells) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(headers), `|${aligns.map((a) => (a === 'right' ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map(line)].join('\n');
}
