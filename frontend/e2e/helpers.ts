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

/** signIn signs in and waits for the first page: its title when `landing` is given, else the signed-in header. */
export async function signIn(page: Page, login: string, landing?: string) {
  const clicked = await fillSignIn(page, login);
  if (landing) await expect(pageTitle(page, landing)).toBeVisible();
  else await expect(page.getByTestId('current-user')).toBeVisible();
  console.log(`sign-in → first page drawn (${login}): ${Date.now() - clicked} ms`);
}

/** openPage goes to a console path and waits for its title. */
export async function openPage(page: Page, path: string, title: string) {
  await page.goto(path);
  await expect(pageTitle(page, title)).toBeVisible();
}

/** pickStore searches a store picker (by its label) for the code and takes that store. */
export async function pickStore(page: Page, label: string, code: string, scope = page.locator('body')) {
  // Typing opens the search (a click may land on the shown value instead of the input).
  await scope.getByRole('combobox', { name: label, exact: true }).fill(code);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `（${code}）` }).first().click();
}

/** pickSku types into the SKU finder and takes the match with the code. */
export async function pickSku(page: Page, code: string, scope = page.locator('body')) {
  await scope.getByRole('combobox', { name: '选择 SKU' }).fill(code);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${code} ·` }).first().click();
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
