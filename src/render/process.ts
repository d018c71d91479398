/**
 * Running the user's renderers (kustomize, kubectl, helm): finding them on PATH, and running them
 * without a shell, offline, with a timeout. Nothing here throws.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { devNull } from 'node:os';
import { delimiter, join } from 'node:path';

/** Output larger than this fails the render (rendered fleets can be tens of MB). */
const MAX_OUTPUT = 1024 * 1024 * 1024;

/** True when `file` is an executable regular file. */
function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` looked up on `PATH` (Windows: with `PATHEXT` extensions); undefined when not found. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d !== '');
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  for (const dir of dirs) for (const ext of exts) if (executable(join(dir, name + ext))) return join(dir, name + ext);
  return undefined;
}

/** Renderer processes still running; killed when mclint exits so none outlives the run. */
const running = new Set<ChildProcess>();
let exitHook = false;

/** Kills every renderer still running (SIGKILL: a renderer that ignores SIGTERM must not stay behind). */
function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Runs a command without a shell; resolves with its outcome, never rejects. A command past
 * `timeoutMs` (milliseconds) is killed with SIGKILL; commands still running when mclint exits are
 * killed too.
 */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | string | null; stdout: string; stderr: string; timedOut: boolean; error?: string }> {
  return new Promise((done) => {
    try {
      if (!exitHook) {
        exitHook = true;
        process.once('exit', killRunning);
      }
      const child = execFile(
        command,
        args,
        { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, encoding: 'utf8', windowsHide: true },
        (err, stdout, stderr) => {
          running.delete(child);
          if (!err) return done({ code: 0, stdout, stderr, timedOut: false });
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: number | string };
          const timedOut = e.killed === true && e.signal !== undefined && e.code === null;
          done({ code: e.code ?? null, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), timedOut, error: e.message });
        },
      );
      running.add(child);
    } catch (err) {
      done({ code: null, stdout: '', stderr: '', timedOut: false, error: (err as Error).message });
    }
  });
}

/**
 * `env` for a renderer that must not reach the network: proxies point at a closed loopback port
 * (HTTP(S) fetches fail at once), git may use only local transports, without prompting, and
 * kubectl sees no cluster: the user's kubeconfig is hidden (`KUBECONFIG` is the null device) and
 * the fallback server address has no host, so a kubectl that asks the API server for its version
 * before running a command (gcloud's kubectl dispatcher does, even for `kubectl kustomize`) fails
 * that request without opening a connection and runs its own built-in kubectl.
 */
export function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const closed = 'http://127.0.0.1:9';
  return {
    ...env,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    ALL_PROXY: closed,
    NO_PROXY: '',
    no_proxy: '',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'file',
    KUBECONFIG: devNull,
    KUBERNETES_MASTER: 'https://',
  };
}

/**
 * The Go runtime's garbage collector settings for a renderer (kustomize, kubectl and helm are Go
 * programs): collection off (`GOGC=off`) until the heap nears `GOMEMLIMIT` (512 MiB). A render
 * is a short process that allocates a lot and exits, so the default (a collection each time the
 * heap doubles) is work thrown away: measured on `npm run bench`'s fleet (50 overlays of a
 * 400-object base, `kubectl kustomize` 1.32, two renders at a time on 2 CPUs), 9.7 s with the
 * defaults, 8.0 s with these (user CPU 16.8 s → 12.2 s; each render's peak RSS 59 → 175 MiB).
 * Output is the same: the collector changes when memory is reclaimed, never what is computed.
 * A render whose heap approaches the limit is collected as usual (the limit is soft), and a user
 * who set `GOGC` or `GOMEMLIMIT` keeps their settings.
 * @returns `env` with the two variables added when neither is set
 */
export function goCollectorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.GOGC !== undefined || env.GOMEMLIMIT !== undefined) return env;
  return { ...env, GOGC: 'off', GOMEMLIMIT: '512MiB' };
}

/** The environment of a render: offline (`offlineEnv`), with the Go collector tuned (`goCollectorEnv`). */
export const rendererEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => goCollectorEnv(offlineEnv(env));
