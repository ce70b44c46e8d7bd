import { expect, type APIRequestContext, type Page } from '@playwright/test';

// Shared by the e2e specs: the demo chain's sign-in (README), screenshots,
// locators for page titles and menu items, and API helpers for setting up
// data through the real server.

export const PASSWORD = 'ChainStore#2026';
export const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
export const pageTitle = (page: Page, title: string) => page.locator('.ant-page-header-heading-title', { hasText: title });
export const menuItem = (page: Page, name: string) => page.getByRole('menuitem', { name, exact: false }).filter({ hasText: new RegExp(`^${name}$`) });

/** fillSignIn fills the sign-in form and clicks 登录, returning the click's time. */
export async function fillSignIn(page: Page, login: string): Promise<number> {
  await page.goto('/login');
  await page.getByLabel('连锁编码').fill('demo');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  const clicked = Date.now();
  await page.getByRole('button', { name: /登\s*录/ }).click();
  return clicked;
}

export async function signIn(page: Page, login: string, landing: string) {
  const clicked = await fillSignIn(page, login);
  await expect(pageTitle(page, landing)).toBeVisible();
  console.log(`sign-in → first page drawn (${login}): ${Date.now() - clicked} ms`);
}

/** apiToken signs a demo user in through the API and answers the bearer token. */
export async function apiToken(request: APIRequestContext, login: string): Promise<string> {
  const response = await request.post('/api/v1/auth/login', { data: { tenant: 'demo', login, password: PASSWORD } });
  expect(response.ok(), await response.text()).toBeTruthy();
  return ((await response.json()) as { access_token: string }).access_token;
}

/** uuidv7: a time-ordered id, as tills make for their sales. */
export function uuidv7(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = BigInt(Date.now());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
