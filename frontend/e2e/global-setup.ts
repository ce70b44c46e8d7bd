import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStripe, type StripeStub } from './stripe';

// Starts the real server for the end-to-end tests: builds the binary,
// creates a fresh database (chainstore_e2e_<random>) with `migrate up`
// (which also makes the app role), seeds the demo chain, and serves the
// console build on E2E_PORT against Stripe's stripe-mock (e2e/stripe.ts).
// The returned function stops the server and stripe-mock and drops the
// database. Tests reach the Stripe stub at E2E_STRIPE_URL and sign
// webhooks with E2E_STRIPE_WEBHOOK_SECRET (workers inherit both).

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const consoleDir = join(root, 'frontend/dist');

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user !== undefined) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  execFileSync(join(root, 'bin/chainstore'), args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitUntilReady(url: string, server: ChildProcess, deadline: number) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not become ready at ${url}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(consoleDir, 'index.html'))) throw new Error('frontend/dist has no build: run `make console` first (make e2e does)');
  const started = Date.now();
  execFileSync('go', ['build', '-o', 'bin/chainstore', '.'], { cwd: root, stdio: 'inherit' });
  const stripe: StripeStub = await startStripe(root);
  process.env.E2E_STRIPE_URL = stripe.url;
  process.env.E2E_STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;

  const database = `chainstore_e2e_${randomBytes(4).toString('hex')}`;
  const appBase = process.env.DATABASE_URL ?? 'postgres://chainstore_app:chainstore_app@127.0.0.1:5432/chainstore?sslmode=disable';
  const appURL = withDatabase(appBase, database);
  const ownerURL = process.env.MIGRATION_DATABASE_URL ? withDatabase(process.env.MIGRATION_DATABASE_URL, database) : withDatabase(appBase, database, 'postgres');
  const dataDir = mkdtempSync(join(tmpdir(), 'chainstore-e2e-'));
  const origin = `http://127.0.0.1:${process.env.E2E_PORT}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APP_ENV: 'development',
    DATABASE_URL: appURL,
    MIGRATION_DATABASE_URL: ownerURL,
    DATA_DIR: dataDir,
    HTTP_ADDR: `127.0.0.1:${process.env.E2E_PORT}`,
    CONSOLE_DIR: consoleDir,
    LOG_LEVEL: 'warn',
    JOB_WORKERS: '1',
    // The sign-in limits (10 per account in 15 minutes) count in Redis, shared across runs and
    // worktrees, and every e2e run signs in as the same demo users many times: they are lifted
    // here. The limits themselves are the Go tests' to check.
    LOGIN_LIMIT_PER_ACCOUNT: process.env.LOGIN_LIMIT_PER_ACCOUNT ?? '100000',
    LOGIN_LIMIT_PER_IP: process.env.LOGIN_LIMIT_PER_IP ?? '100000',
    BILLING_SUCCESS_URL: `${origin}/billing?checkout=success`,
    BILLING_CANCEL_URL: `${origin}/billing?checkout=canceled`,
    BILLING_PORTAL_RETURN_URL: `${origin}/billing`,
  };
  delete env.STRIPE_SECRET_KEY;
  // Only the server talks to Stripe: migrate and seed-demo run synchronously (execFileSync),
  // and the Stripe stub lives in this process's event loop.
  const serveEnv: NodeJS.ProcessEnv = { ...env, STRIPE_SECRET_KEY: 'sk_test_chainstore', STRIPE_API_URL: stripe.url, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret };

  const dropDatabase = () => {
    execFileSync('psql', [withDatabase(ownerURL, 'postgres'), '-qc', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`], { stdio: 'inherit' });
    rmSync(dataDir, { recursive: true, force: true });
  };

  let server: ChildProcess | undefined;
  try {
    run(['migrate', 'up'], env);
    run(['seed-demo'], env);
    server = spawn(join(root, 'bin/chainstore'), ['serve'], { cwd: root, env: serveEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitUntilReady(`${origin}/readyz`, server, Date.now() + 60_000);
  } catch (e) {
    server?.kill('SIGTERM');
    dropDatabase();
    await stripe.stop();
    throw e;
  }
  console.log(`e2e: server ready on ${origin} (database ${database}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return async () => {
    const running = server as ChildProcess;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    dropDatabase();
    await stripe.stop();
  };
}
