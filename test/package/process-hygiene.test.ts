import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Nothing the library starts outlives the user's work: scripts that open headless Chromium through
// the built library (vitest's global setup builds dist/) and never close it. Each runs with its own
// TMPDIR, so its browser profile folder and its browser processes (whose command lines name that
// folder) can be told apart from those of other tests running at the same time.

const kDist = resolve(__dirname, '../../dist');
const kScript = join(__dirname, 'scripts/open-and-forget.mjs');
const scratch: string[] = [];

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the script; `whenReady` runs once it printed "ready" (its browser is up and has run WebGPU). */
function runScript(args: string[], privateTmp: string, whenReady: (pid: number) => void = () => undefined, timeoutMs = 90_000): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [kScript, kDist, ...args], { env: { ...process.env, TMPDIR: privateTmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the script was still running after ${timeoutMs} ms (stdout: ${stdout}; stderr: ${stderr})`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (chunk.toString().includes('ready')) whenReady(child.pid!);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** Processes whose command line names `folder` (Chromium's --user-data-dir under the private TMPDIR). */
function processesUsing(folder: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', '-a', folder], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Waits up to 5 s for the browser's processes to be reaped, then checks that nothing is left behind. */
async function expectNothingLeft(privateTmp: string): Promise<void> {
  for (let waited = 0; waited < 5000 && processesUsing(privateTmp).length > 0; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(processesUsing(privateTmp), 'browser processes still running').toEqual([]);
  expect(readdirSync(privateTmp), 'left in the temporary folder').toEqual([]);
}

function privateTmpdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webgpu-lstm-hygiene-'));
  scratch.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('a forgotten close() does not keep Node alive', () => {
  it.each(['session', 'backend'])('a script that opens a %s and ends exits by itself, and its browser and profile folder go with it', async (what) => {
    const privateTmp = privateTmpdir();
    const started = Date.now();
    const outcome = await runScript([what, 'end'], privateTmp);
    expect(outcome, outcome.stderr).toMatchObject({ code: 0, signal: null });
    expect(outcome.stdout).toContain('ready');
    console.log(`${what}: the forgetful script exited by itself after ${Date.now() - started} ms`);
    await expectNothingLeft(privateTmp);
  });
});

describe('signals end the browser with Node', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s: Node ends as by the signal, with no browser process and no profile folder left', async (signal) => {
    const privateTmp = privateTmpdir();
    let browserSeen: string[] = [];
    const outcome = await runScript(['session', 'wait'], privateTmp, (pid) => {
      browserSeen = processesUsing(privateTmp);
      process.kill(pid, signal);
    });
    expect(browserSeen.length, 'a browser was running before the signal').toBeGreaterThan(0);
    expect(outcome, outcome.stderr).toMatchObject({ code: null, signal });
    await expectNothingLeft(privateTmp);
  });

  it("the application's own SIGTERM handler decides when to exit; the browser is gone all the same", async () => {
    const privateTmp = privateTmpdir();
    const outcome = await runScript(['backend', 'own-handler'], privateTmp, (pid) => process.kill(pid, 'SIGTERM'));
    expect(outcome, outcome.stderr).toMatchObject({ code: 7, signal: null });
    expect(outcome.stdout).toContain('the application handles SIGTERM');
    await expectNothingLeft(privateTmp);
  });
});
