// Starts and stops a built `stepline` server for the JavaScript client tests.
//
// The server runs on a free loopback port with its own SQLite file in a fresh
// temporary directory; it is stopped by PID (SIGTERM, then SIGKILL after a
// grace period) and its directory removed. A server still running when the
// node process exits is killed by PID as well. stop() throws when the server
// printed a sanitizer report (a sanitized build, scripts/test-sanitizers.sh)
// or did not exit 0 after SIGTERM, as tests/support/sanitizer_log.py does.
//
//   const server = await new SteplineServer(binary).start();
//   server.endpoint;     // "http://127.0.0.1:PORT"
//   await server.stop();

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The first line of an ASan, LSan, UBSan or TSan report.
const SANITIZER_REPORT =
  /^(==\d+==ERROR: \w+Sanitizer|WARNING: ThreadSanitizer|.*:\d+:\d+: runtime error: |SUMMARY: \w+Sanitizer)/m;

export class SteplineServer {
  constructor(binary, { args = [], env = {} } = {}) {
    this.binary = path.resolve(binary);
    this.args = args;
    this.env = { ...process.env, ...env };
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepline-js-test-'));
    this.db = path.join(this.dir, 'stepline.db');
    this.logPath = path.join(this.dir, 'server.log');
    this.child = null;
    this.exited = null;
  }

  get endpoint() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 20000) {
    if (!fs.existsSync(this.binary)) throw new Error(`no stepline binary at ${this.binary}`);
    this.port = await freePort();
    const log = fs.openSync(this.logPath, 'a');
    this.logOffset = fs.fstatSync(log).size;
    const argv = ['--host', '127.0.0.1', '--port', String(this.port), '--db', this.db, ...this.args];
    this.child = spawn(this.binary, argv, { env: this.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    const pid = this.child.pid;
    this.onExit = () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    process.once('exit', this.onExit);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`stepline exited early (${this.child.exitCode ?? this.child.signalCode}):\n${this.log()}`);
      }
      try {
        const response = await fetch(`${this.endpoint}/health`, { signal: AbortSignal.timeout(1000) });
        if (response.status === 200) return this;
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
    await this.stop();
    throw new Error(`stepline did not answer /health within ${timeoutMs} ms:\n${this.log()}`);
  }

  async stop(graceMs = 10000) {
    if (this.child === null) return;
    const { pid } = this.child;
    const terminated = this.child.exitCode === null && this.child.signalCode === null;
    if (terminated) {
      process.kill(pid, 'SIGTERM');
      let timer;
      const grace = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const first = await Promise.race([this.exited, grace]);
      clearTimeout(timer);
      if (first === 'timeout') {
        process.kill(pid, 'SIGKILL');
        await this.exited;
      }
    }
    process.removeListener('exit', this.onExit);
    this.child = null;
    this.checkExit(await this.exited, terminated);
  }

  // Throws for a sanitizer report in this process's log, or a bad exit after SIGTERM.
  checkExit({ code, signal }, terminated) {
    const text = fs.readFileSync(this.logPath, 'utf8').slice(this.logOffset);
    const report = SANITIZER_REPORT.exec(text);
    if (report) {
      throw new Error(`stepline reported a sanitizer error (exit ${code ?? signal}):\n${text.slice(report.index, report.index + 8000)}`);
    }
    if (terminated && code !== 0) {
      throw new Error(`stepline exited with ${code ?? signal} after SIGTERM:\n${text.slice(-4000)}`);
    }
  }

  async close() {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  log() {
    try {
      return fs.readFileSync(this.logPath, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  }
}
