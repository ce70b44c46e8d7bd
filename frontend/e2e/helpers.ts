import { expect, type APIRequestContext, type Page } from '@playwright/test';

// Shared steps of the console's end-to-end tests (the demo chain, README).

export const PASSWORD = 'ChainStore#2026';
export const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
export const pageTitle = (page: Page, title: string) => page.locator('.ant-page-header-heading-title', { hasText: title });
export const menuItem = (page: Page, name: string) =>
  page.getByRole('menuitem', { name, exact: false }).filter({ hasText: new RegExp(`^${name}$`) });

/**
 * signIn signs in as a demo user and waits for the first page: its title
 * when `landing` is given, else the signed-in header (the first page
 * depends on which modules precede the others in the menu).
 */
export async function signIn(page: Page, login: string, landing?: string) {
  await page.goto('/login');
  await page.getByLabel('连锁编码').fill('demo');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  const clicked = Date.now();
  await page.getByRole('button', { name: /登\s*录/ }).click();
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

/** apiToken signs in through the API and answers the access token (for setting up and checking data). */
export async function apiToken(request: APIRequestContext, login: string): Promise<string> {
  const answer = await request.post('/api/v1/auth/login', { data: { tenant: 'demo', login, password: PASSWORD } });
  expect(answer.ok(), await answer.text()).toBe(true);
  return ((await answer.json()) as { access_token: string }).access_token;
}
