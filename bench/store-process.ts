// Starts the real store as a child process (as `npm start` would) and waits until it is healthy.
import { spawn, type ChildProcess } from 'node:child_process';

export type StoreProcess = { url: string; child: ChildProcess; startupMs: number; stop(): Promise<void> };

/** Runs the built bundle (dist/server.js, made by `npm run build`) as `npm start` does. */
/** `nodeArgs` go before the bundle (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
export async function startStore(env: Record<string, string>, port: number, nodeArgs: string[] = []): Promise<StoreProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--enable-source-maps', 'dist/server.js'], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`store exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const startupMs = Math.round(performance.now() - started);
  return {
    url,
    child,
    startupMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
