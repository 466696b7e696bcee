/**
 * `entrel serve`: the HTTP service (src/server) with a model loaded once: POST /v1/extract, GET /v1/model,
 * GET /health, /openapi.json and the web view at /. The model runs on worker threads (`--workers`), and
 * each request has a time limit (`--request-timeout`). API keys (`--api-key-file`, else `ENTREL_API_KEYS`)
 * and a rate limit (`--rate-limit`) guard the /v1 and /labelstudio routes of a server reachable beyond this machine,
 * and `--max-connections` bounds the connections it holds at once (connection-limit.ts);
 * SIGHUP reads the key file again (`Hangup`). Runs until SIGINT or SIGTERM, then stops accepting
 * connections, finishes the requests in flight, ends the workers and exits 0; a SIGHUP that does not
 * reload (no key file, or the terminal hung up) stops it so too, then ends the process by the signal.
 */
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { isatty } from 'node:tty';
import { Command, InvalidArgumentError } from 'commander';
import type { FastifyInstance } from 'fastify';
import { counted, printable, UserError } from '../../errors.js';
import { modelRefs, nonNegativeInteger, positiveInteger, repeated } from './arg-values.js';
import { loadExtractor } from '../load-extractor.js';
import { ignoreStreamErrors } from '../streams.js';
import { printNote } from '../output.js';
import { readBoundedFile } from '../../model/bounded-read.js';

/** The environment variable with API keys, comma-separated, when --api-key-file is not given. */
const API_KEYS_ENV = 'ENTREL_API_KEYS';

interface ServeFlags {
  quiet?: boolean;
  model?: string[];
  minVotes?: number;
  port: number;
  host: string;
  workers?: number;
  requestTimeout: number;
  cors?: string[];
  bodyLimit?: number;
  maxTextLength?: number;
  maxTexts?: number;
  log?: boolean;
  compress: boolean;
  apiKeyFile?: string;
  rateLimit?: number;
  trustProxy?: string[];
  allowedHost?: string[];
  maxConnections?: number;
}

/**
 * The API keys to require and where they came from (for the startup line): --api-key-file, else
 * ENTREL_API_KEYS, else none. Bad keys are one-line UserErrors naming the file and line (or the variable).
 */
export async function apiKeysFrom(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<{ keys: string[]; source?: string }> {
  // Loaded here, as the server is: other commands need not load Fastify's plugins.
  const { parseApiKeyFile, parseApiKeyList } = await import('../../server/access.js');
  if (file !== undefined) return { keys: readKeyFile(file, parseApiKeyFile), source: file };
  const list = env[API_KEYS_ENV];
  if (list === undefined) return { keys: [] };
  return { keys: parseApiKeyList(list, API_KEYS_ENV), source: API_KEYS_ENV };
}

type Access = Pick<typeof import('../../server/access.js'), 'parseApiKeyFile' | 'replaceApiKeys'>;

/** Largest key file read: 1 MiB, some 30,000 keys. */
const MAX_KEY_FILE_BYTES = 2 ** 20;

/**
 * A regular file of at most 1 MiB, read whole: a FIFO would hold the server (and every later SIGHUP)
 * waiting for a writer, `/dev/zero` or a huge file would fill memory.
 */
function readKeyFile(file: string, parse: Access['parseApiKeyFile']): string[] {
  return parse(readBoundedFile(file, 'API key file', MAX_KEY_FILE_BYTES).toString('utf8'), file);
}

/** Where bin/entrel.js leaves the SIGHUP listener it installs for `serve` before loading it. */
const EARLY_SIGHUP = Symbol.for('entrel.earlySighup');
interface EarlySighup {
  heard: boolean;
  /** Whether a standard stream that was a terminal when Node started was one no longer at a SIGHUP. */
  hungUp: boolean;
  /** The standard streams that were a terminal when Node started. */
  terminal: number[];
  listener: () => void;
}

/**
 * SIGHUP for `entrel serve`, heard from the command's first step, before it loads the server and the model
 * (Node's default ends the process at once, requests in flight and all). Sent otherwise than by a terminal
 * to a server with a key file (`kill -HUP`, `systemctl reload`, `docker kill -s HUP`), it reads the file
 * again: at once, or once the server listens (`say` tells so when it comes before). Sent to a server
 * without a key file, or by a terminal that hangs up (its window or ssh session closed: standard streams
 * that were a terminal are one no longer), it stops the server, as SIGTERM does once it listens (the
 * requests in flight are finished) and at once before; the process then ends by the signal, as by Node's
 * default (an exit would abort in Node's reset of the terminal that has gone).
 */
export class Hangup {
  /** The standard streams that were a terminal before any SIGHUP could come: one that is no longer has hung up. */
  private readonly terminal: number[];
  private server?: { app: FastifyInstance; stop: () => void; access: Access };
  private reloadAsked = false;

  constructor(
    private readonly keyFile: string | undefined,
    private readonly say = (line: string) => void process.stderr.write(line),
  ) {
    // bin/entrel.js's stand-in, which heard the signals that came while Node loaded the command.
    const early = (globalThis as Record<symbol, EarlySighup | undefined>)[EARLY_SIGHUP];
    this.terminal = early?.terminal ?? [0, 1, 2].filter((fd) => isatty(fd));
    process.on('SIGHUP', this.heard);
    if (early) {
      process.off('SIGHUP', early.listener);
      delete (globalThis as Record<symbol, unknown>)[EARLY_SIGHUP];
      if (early.heard) this.act(early.hungUp);
    }
  }

  /**
   * The server listens: a reload asked for meanwhile is made now; `stop` stops it as SIGTERM does. `access`
   * (server/access.js) is given here, loaded with the server, so that the handler need not wait for it.
   */
  listening(app: FastifyInstance, stop: () => void, access: Access): void {
    this.server = { app, stop, access };
    if (this.reloadAsked) this.reload();
  }

  /** Stops hearing SIGHUP. */
  remove(): void {
    process.off('SIGHUP', this.heard);
  }

  /** Ends the process by SIGHUP, as Node's default does: it is gone before this returns. */
  end(): void {
    this.remove();
    process.kill(process.pid, 'SIGHUP');
  }

  private readonly heard = () => this.act(this.terminal.some((fd) => !isatty(fd)));

  private act(hungUp: boolean): void {
    if (this.keyFile === undefined || hungUp) {
      if (this.server) this.server.stop();
      else this.end();
    } else if (this.server) this.reload();
    else {
      this.reloadAsked = true;
      this.say(`entrel: SIGHUP: the server is not listening yet; ${this.keyFile} will be read again once it does\n`);
    }
  }

  /**
   * Reads the key file and puts its keys in force: a key no longer in it gets 401 from the next request
   * on, a new one works. A file that cannot be read or holds a bad key (or a server without keys)
   * changes nothing: the keys in use are kept, and `say` tells why.
   */
  private reload(): void {
    const { app, access } = this.server as NonNullable<typeof this.server>;
    const file = this.keyFile as string;
    try {
      const keys = readKeyFile(file, access.parseApiKeyFile);
      access.replaceApiKeys(app, keys);
      this.say(`entrel: SIGHUP: ${counted(keys.length, 'API key')} from ${file} now in force\n`);
    } catch (e) {
      this.say(`${printable(`entrel: SIGHUP: ${e instanceof Error ? e.message : String(e)}; the API keys in use are kept`)}\n`);
    }
  }
}

/**
 * The warning for a server without API keys that listens beyond this machine: on every interface, or on
 * any address that is not a loopback one (a LAN address, a host name other than localhost).
 */
export function exposureWarning(host: string, keyed: boolean): string | undefined {
  if (keyed || isLoopback(host)) return undefined;
  const where = host === '0.0.0.0' || host === '::' ? 'every interface' : `${host} is not a loopback address,`;
  return `entrel: warning: ${where} and no API key: anyone who can reach this machine can use the service (--api-key-file, or ENTREL_API_KEYS)\n`;
}

/**
 * Descriptors the process holds besides its connections, with `workers` model threads, and some to spare:
 * measured 29 with 2 workers, 53 with 8 (about 4 a worker).
 */
const reservedFiles = (workers: number) => 56 + 4 * workers;

/**
 * The warning for a connection limit the process cannot reach: before it, the process runs out of file
 * descriptors (`fileLimit`, its `ulimit -n`), and then accepting fails for every client, as with no limit.
 */
export function connectionLimitWarning(maxConnections: number, fileLimit: number | undefined, workers: number): string | undefined {
  const reserved = reservedFiles(workers);
  if (fileLimit === undefined || (maxConnections > 0 && maxConnections + reserved <= fileLimit)) return undefined;
  const limit = maxConnections === 0 ? 'no connection limit (--max-connections 0)' : `--max-connections ${maxConnections}`;
  const past = fileLimit - reserved;
  // 0 would mean no limit: below 1 only a higher open-file limit helps.
  const advice = past >= 1 ? `use --max-connections ${past} or less, or raise the limit` : 'raise the limit';
  return `entrel: warning: ${limit} and a limit of ${fileLimit} open files (ulimit -n): past about ${Math.max(0, past)} connections, accepting fails for every client; ${advice} (ulimit -n, systemd LimitNOFILE=)\n`;
}

/** This process's limit of open files (the soft one, which applies), where /proc tells it (Linux); else undefined. */
function openFileLimit(): number | undefined {
  try {
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (however written, IPv4-mapped too) or `localhost`: reachable from this machine only. */
function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** `--trust-proxy A,B`, repeatable: every address or range given, in order. */
const addresses = (v: string, prev: string[] = []): string[] => {
  const given = v.split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (given.length === 0) throw new InvalidArgumentError('expected proxy addresses or ranges, comma-separated (an unset shell variable?)');
  return [...prev, ...given];
};

/** Each --trust-proxy entry checked before the model loads, as a one-line error naming the flag. */
async function checkTrustedProxies(entries: readonly string[]): Promise<void> {
  const { trustedProxyProblem } = await import('../../server/access.js');
  for (const entry of entries) {
    const problem = trustedProxyProblem(entry);
    if (problem) throw new UserError(`--trust-proxy: ${problem}`);
  }
}

const port = (v: string) => {
  const x = Number(v);
  if (!/^\d+$/.test(v.trim()) || x > 65535) throw new InvalidArgumentError('expected a port number 0–65535 (0 = any free port)');
  return x;
};

const seconds = (v: string) => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0 (0 = no limit)');
  return x;
};

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve extraction over HTTP (POST /v1/extract, GET /v1/model, GET /health, OpenAPI at /openapi.json, web view at /, Label Studio ML backend at /labelstudio)')
    .option('--model <dir|package>', 'a trained model directory (default: the bundled CoNLL04 model); several: an ensemble that votes (repeatable)', modelRefs)
    .option('--min-votes <k>', 'with several models: how many must extract an item (default: more than half)', positiveInteger)
    .option('--port <n>', 'TCP port (0 = any free port)', port, 8080)
    .option('--host <address>', 'interface to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--workers <n>', 'worker threads running the model (default $ENTREL_WORKERS, else min(2, cores); 0 = the server thread)', nonNegativeInteger)
    .option('--request-timeout <seconds>', 'most time spent on one extraction request, queue included; then 503 "timeout" (0 = no limit)', seconds, 30)
    .option('--cors <origin>', 'let pages of this origin call the API from a browser (repeatable; * = any origin)', repeated)
    .option('--body-limit <bytes>', 'largest request body of POST /v1/extract (default 2 MiB)', positiveInteger)
    .option('--max-text-length <n>', 'longest text, in UTF-16 code units (default 1,000,000)', positiveInteger)
    .option('--max-texts <n>', 'most texts in one request (default 64)', positiveInteger)
    .option('--log', 'log every request (JSON lines on stdout); without it only server faults are logged, on stderr')
    .option('--api-key-file <file>', 'require an API key on /v1/* and /labelstudio/* (Authorization: Bearer KEY; Label Studio: the Basic password): the keys, one a line, 16+ characters each, # comments; read again on SIGHUP (default: $ENTREL_API_KEYS, comma-separated, if set; fixed until restart)')
    .option('--rate-limit <n>', 'most requests a minute to /v1/* and /labelstudio/* per API key (without keys: per client address); then 429 (0 = no limit)', nonNegativeInteger)
    .option('--trust-proxy <addresses>', 'behind a reverse proxy: the proxies whose X-Forwarded-For to believe (addresses, ranges such as 10.0.0.0/8, or loopback; comma-separated, repeatable), so that the rate limit and the log see each client\'s own address', addresses)
    .option('--allowed-host <name>', 'a host name (or address) clients reach the server by, besides localhost: on a loopback address (the default) requests whose Host names another get 421, against DNS rebinding; given, it is checked on any address (repeatable)', repeated)
    .option('--max-connections <n>', 'most connections open at once: one more is closed without an answer, and the log says how many were (stderr; stdout with --log; a line each 10 s at most); keep it below the open-file limit, ulimit -n (0 = no limit; default 512)', nonNegativeInteger)
    .option('--no-compress', 'answer uncompressed even when the client accepts br or gzip (default: compress answers of 1 KiB or more)')
    .action(async (flags: ServeFlags) => {
      // First, before anything is awaited: a SIGHUP (a reload) from here on does not end the process.
      const hangup = new Hangup(flags.apiKeyFile);
      // A log no one reads any more (a closed pipe, a terminal that has gone) must not end the server.
      const heedStreamErrors = ignoreStreamErrors();
      try {
        const { defaultServerOptions, startServer } = await import('../../server/index.js');
        const accessModule = await import('../../server/access.js');
        // Before the model loads: a bad key file fails at once.
        const access = await apiKeysFrom(flags.apiKeyFile);
        await checkTrustedProxies(flags.trustProxy ?? []);
        const { allowedHostName } = await import('../../server/host-check.js');
        for (const name of flags.allowedHost ?? []) allowedHostName(name, '--allowed-host');
        const extractor = await loadExtractor(flags);
        let stoppedBy: string;
        try {
          const { app, url } = await startServer(extractor, {
            host: flags.host,
            port: flags.port,
            extractTimeout: flags.requestTimeout * 1000,
            cors: flags.cors,
            bodyLimit: flags.bodyLimit,
            maxTextLength: flags.maxTextLength,
            maxTexts: flags.maxTexts,
            logger: flags.log,
            compress: flags.compress,
            apiKeys: access.keys,
            rateLimit: flags.rateLimit,
            trustProxy: flags.trustProxy,
            allowedHosts: flags.allowedHost,
            maxConnections: flags.maxConnections,
          });
          // Heard before the line saying where it listens: a SIGTERM sent the moment that line is read (a
          // supervisor's, a test's) came in the 2 ms before these handlers and ended the process by default.
          let stop!: (signal: string) => void;
          const stopped = new Promise<string>((resolve) => {
            stop = (signal: string) => {
              printNote(`${signal}, shutting down`, flags);
              app.close().then(() => resolve(signal), () => resolve(signal));
            };
            process.once('SIGINT', () => stop('SIGINT'));
            process.once('SIGTERM', () => stop('SIGTERM'));
          });
          const info = extractor.info();
          const w = extractor.maxWorkers;
          const where = w === 0 ? 'model on the server thread' : `model on ${counted(w, 'worker thread')}`;
          // Fastify reports a wildcard address as 127.0.0.1; say that every interface is listening.
          const every = flags.host === '0.0.0.0' || flags.host === '::' ? ` (every interface: ${flags.host})` : '';
          // An ensemble's name lists its models (a version would be one of theirs).
          const what = info.members ? info.name : `${info.name} ${info.version}`;
          // Whether keys and a limit are on, never a key.
          const n = access.keys.length;
          const keys = access.source ? `; API key required (${counted(n, 'key')} from ${access.source})` : '';
          const per = n > 0 ? 'API key' : 'client address';
          const r = flags.rateLimit ?? 0;
          const limit = r > 0 ? `; rate limit ${counted(r, 'request')} a minute per ${per}` : '';
          const proxies = flags.trustProxy?.length ? `; client addresses forwarded by ${flags.trustProxy.join(', ')}` : '';
          // The model's name is its directory's (a stranger's model may name itself anything): printable().
          // Printed with --quiet too: scripts and tests read the URL from it (a port 0 chose it).
          process.stderr.write(`${printable(`entrel: serving ${what} on ${url}${every} (${where}${keys}${limit}${proxies}; Ctrl-C to stop)`)}\n`);
          const warning = exposureWarning(flags.host, n > 0);
          if (warning) process.stderr.write(warning);
          const fileLimit = connectionLimitWarning(flags.maxConnections ?? defaultServerOptions.maxConnections, openFileLimit(), extractor.maxWorkers);
          if (fileLimit) process.stderr.write(fileLimit);
          // After that line, which a reload asked for while the server started follows.
          hangup.listening(app, () => stop('SIGHUP'), accessModule);
          stoppedBy = await stopped;
        } finally {
          await extractor.close();
        }
        if (stoppedBy === 'SIGHUP') hangup.end();
      } finally {
        hangup.remove();
        heedStreamErrors();
      }
    });
}
