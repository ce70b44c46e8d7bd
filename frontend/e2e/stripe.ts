import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { delimiter, join } from 'node:path';

// Stripe for the e2e run, as the billing module's Go tests have it: the
// pinned stripe-mock (it checks request shapes, keeps no state) on free
// ports bound to 127.0.0.1, behind a small recording proxy. The proxy
// remembers the Checkout Sessions the server opens; when a test says a
// checkout was paid (POST /__e2e/checkout/complete), it makes up the
// subscription Stripe would have created — the session's customer, price
// and quantity, active — and answers GET /v1/subscriptions/{id} with it,
// since the server reads the subscription's state from Stripe rather than
// from the webhook. The test then delivers the signed webhook itself.

const STRIPE_MOCK_VERSION = 'v0.203.0'; // as in the Makefile and modules/billing/main_test.go

export interface StripeStub {
  /** url: STRIPE_API_URL for the server (the proxy). */
  url: string;
  webhookSecret: string;
  stop: () => Promise<void>;
}

/** CompletedCheckout: what a paid Checkout Session refers to, for the webhook a test sends. */
export interface CompletedCheckout {
  session_id: string;
  customer: string;
  subscription: string;
  client_reference_id: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function stripeMockBinary(root: string): string {
  if (process.env.STRIPE_MOCK_BIN) return process.env.STRIPE_MOCK_BIN;
  const gopath = execFileSync('go', ['env', 'GOPATH'], { cwd: root }).toString().trim().split(delimiter)[0] ?? '';
  const bin = join(gopath, 'bin', 'stripe-mock');
  if (!existsSync(bin)) {
    execFileSync('go', ['install', `github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}`], { cwd: root, stdio: 'inherit' });
  }
  return bin;
}

async function waitForMock(url: string, mock: ChildProcess, deadline: number) {
  const auth = `Basic ${Buffer.from('sk_test_probe:').toString('base64')}`;
  while (Date.now() < deadline) {
    if (mock.exitCode !== null) throw new Error(`stripe-mock exited with ${mock.exitCode}`);
    try {
      if ((await fetch(`${url}/v1/customers`, { headers: { Authorization: auth } })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`stripe-mock did not answer at ${url}`);
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

interface Sub {
  customer: string;
  price: string;
  quantity: number;
  item: string;
}

function stubProxy(mockPort: number): Server {
  const sessions: { id: string; form: URLSearchParams }[] = [];
  const subs = new Map<string, Sub>();
  return createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (req.method === 'POST' && path === '/__e2e/checkout/complete') {
      const last = sessions.at(-1);
      if (!last) return json(404, { error: 'no checkout session was opened' });
      const subscription = `sub_e2e_${randomBytes(6).toString('hex')}`;
      const customer = last.form.get('customer') ?? '';
      subs.set(subscription, {
        customer,
        price: last.form.get('line_items[0][price]') ?? '',
        quantity: Number(last.form.get('line_items[0][quantity]') ?? '1'),
        item: `si_e2e_${randomBytes(6).toString('hex')}`,
      });
      const done: CompletedCheckout = { session_id: last.id, customer, subscription, client_reference_id: last.form.get('client_reference_id') ?? '' };
      return json(200, done);
    }
    const sub = req.method === 'GET' && path.startsWith('/v1/subscriptions/') ? subs.get(path.slice('/v1/subscriptions/'.length)) : undefined;
    if (sub) {
      const now = Math.floor(Date.now() / 1000);
      return json(200, {
        id: path.slice('/v1/subscriptions/'.length),
        object: 'subscription',
        status: 'active',
        customer: sub.customer,
        created: now,
        current_period_end: now + 30 * 86400,
        canceled_at: 0,
        items: { object: 'list', data: [{ id: sub.item, object: 'subscription_item', quantity: sub.quantity, price: { id: sub.price, object: 'price' } }] },
      });
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: mockPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${mockPort}` } },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const out = Buffer.concat(chunks);
          if (req.method === 'POST' && path === '/v1/checkout/sessions' && (up.statusCode ?? 500) < 300) {
            const id = (JSON.parse(out.toString()) as { id: string }).id;
            sessions.push({ id, form: new URLSearchParams(body.toString()) });
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(out);
        });
      },
    );
    upstream.on('error', () => json(502, { error: 'stripe-mock is unreachable' }));
    upstream.end(body);
  });
}

/** startStripe starts stripe-mock and the proxy on free ports of 127.0.0.1. */
export async function startStripe(root: string): Promise<StripeStub> {
  const bin = stripeMockBinary(root);
  const [httpPort, httpsPort, proxyPort] = [await freePort(), await freePort(), await freePort()];
  const mock = spawn(bin, ['-http-addr', `127.0.0.1:${httpPort}`, '-https-addr', `127.0.0.1:${httpsPort}`], { stdio: 'ignore' });
  const stopMock = async () => {
    if (mock.exitCode !== null) return;
    const exited = new Promise((r) => mock.once('exit', r));
    mock.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  };
  let proxy: Server | undefined;
  try {
    await waitForMock(`http://127.0.0.1:${httpPort}`, mock, Date.now() + 30_000);
    proxy = stubProxy(httpPort);
    await new Promise<void>((resolve, reject) => {
      proxy?.once('error', reject);
      proxy?.listen(proxyPort, '127.0.0.1', resolve);
    });
  } catch (e) {
    await stopMock();
    throw e;
  }
  const server = proxy;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    webhookSecret: `whsec_e2e_${randomBytes(12).toString('hex')}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await stopMock();
    },
  };
}

/** stripeSignature signs a webhook payload as Stripe does (Stripe-Signature: t=…,v1=HMAC-SHA256). */
export function stripeSignature(payload: string, secret: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
}

/** stripeEvent builds an event of API version 2023-10-16 (the one stripe-go v76 accepts). */
export function stripeEvent(type: string, object: Record<string, unknown>): string {
  return JSON.stringify({
    id: `evt_e2e_${randomBytes(8).toString('hex')}`,
    object: 'event',
    api_version: '2023-10-16',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    data: { object },
  });
}
