// Sections of BENCHMARKS.md measured by the separate scripts (bench/streaming.mjs, startup.mjs,
// dawn-vs-chromium.mjs, forecast-wall.mjs): each script writes its own Markdown fragment with
// --write, into bench/results/sections/, and every rendering of BENCHMARKS.md includes them, so
// a rerun of the main bench keeps them. 'train-rerun' holds the tables of a second training run
// (`npm run bench -- --train --out DIR`, then bench/section-from-run.mjs DIR).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../results/sections');

/** The sections in the order BENCHMARKS.md shows them, by file name. */
export const kSections = ['train-rerun', 'dawn-vs-chromium', 'startup', 'streaming', 'forecast-wall'];

/** The 1-, 5- and 15-minute load averages, as the sections quote them. */
export function loadAverageText() {
  return loadavg().map((v) => v.toFixed(2)).join(', ');
}

/**
 * Writes one section: a heading, the line saying how, when and where it was measured (command,
 * date, adapter, load average at start and end), then the body.
 * @param {string} name one of kSections
 * @param {{ title: string, command: string, started: Date, loadAtStart: string, adapters: string[], body: string[] }} section
 */
export function writeSection(name, section) {
  if (!kSections.includes(name)) throw new Error(`unknown section ${name}`);
  mkdirSync(kFolder, { recursive: true });
  const lines = [
    `## ${section.title}`,
    '',
    `Measured by \`${section.command}\` on ${section.started.toISOString()}; load average (1, 5, 15 min) ${section.loadAtStart} at the start, ${loadAverageText()} at the end.`,
    ...section.adapters.map((a) => `${a}  `),
    '',
    ...section.body,
    '',
  ];
  writeFileSync(resolve(kFolder, `${name}.md`), lines.join('\n'));
}

/**
 * What a separate script prints, kept so that `--write` can store it as its section.
 * @param {string} name one of kSections @param {string} title
 */
export function sectionReport(name, title) {
  const started = new Date();
  const loadAtStart = loadAverageText();
  /** @type {string[]} */
  const body = [];
  return {
    /** @param {string} line */
    print(line) {
      console.log(line);
      body.push(line);
    },
    /** Writes the section when the script was given --write. */
    writeIfAsked() {
      if (!process.argv.includes('--write')) return;
      const script = process.argv[1].slice(process.argv[1].lastIndexOf('bench/'));
      writeSection(name, { title, command: ['node', script, ...process.argv.slice(2)].join(' '), started, loadAtStart, adapters: [], body });
      console.log(`\nWrote bench/results/sections/${name}.md (npm run bench -- --render puts it into BENCHMARKS.md)`);
    },
  };
}

/** Every section written so far, in order, as lines of BENCHMARKS.md. @returns {string[]} */
export function sectionsMarkdown() {
  return kSections.flatMap((name) => {
    const path = resolve(kFolder, `${name}.md`);
    return existsSync(path) ? [readFileSync(path, 'utf8').trimEnd(), ''] : [];
  });
}
