import { expect, test } from '@playwright/test';
import { menuItem, openPage, pageTitle, shot, signIn } from './helpers';

// The console against the real server and the demo chain (README).

const adminMenus = ['员工', '角色', '审计日志', '加盟商', '订阅与套餐', '开通向导'];

test('a new chain signs up and lands on its onboarding checklist', async ({ page }) => {
  const slug = `e2e-${Date.now().toString(36)}`;
  await page.goto('/signup');
  await page.getByLabel('连锁名称').fill('端到端测试连锁');
  await page.getByLabel('连锁编码').fill(slug);
  await page.getByLabel('管理员姓名').fill('王店长');
  await page.getByLabel('管理员邮箱').fill(`owner@${slug}.test`);
  await page.getByLabel('登录密码').fill('Signup#Strong2026');
  await page.getByRole('button', { name: '开通并登录' }).click();

  await expect(pageTitle(page, '开通向导')).toBeVisible();
  const steps = page.getByTestId('onboarding-steps');
  await expect(steps.getByText('开设第一家门店', { exact: true })).toBeVisible();
  await expect(steps.getByText('选择套餐', { exact: true })).toBeVisible();
  await expect(page.getByTestId('billing-banner')).toContainText('试用期剩余');
  await shot(page, 'signup-onboarding');
});

test('the HQ admin opens a store and finds it in the list', async ({ page }) => {
  // The HQ admin lands on the dashboard (first in the menu), then opens the stores.
  await signIn(page, 'admin@demo.chainstore.test', '经营概况');
  await openPage(page, '/org/stores', '门店');
  for (const name of adminMenus) await expect(menuItem(page, name)).toBeVisible();
  await menuItem(page, '门店').click();
  await expect(pageTitle(page, '门店')).toBeVisible();
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  await page.getByRole('button', { name: '新建门店' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('门店编码').fill(code);
  await dialog.getByLabel('门店名称').fill('端到端测试店');
  await dialog.getByLabel('地址').fill('上海市静安区南京西路 1 号');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  await page.getByPlaceholder('门店名称或编码').fill(code);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.getByRole('row').filter({ hasText: code });
  await expect(row).toContainText('端到端测试店');
  await expect(row).toContainText('营业中');
  await shot(page, 'admin-store-created');

  // The same code again is refused on its field, in the console's words.
  await page.getByRole('button', { name: '新建门店' }).click();
  await dialog.getByLabel('门店编码').fill(code);
  await dialog.getByLabel('门店名称').fill('重复编码店');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog.getByText('门店编码已被其他门店使用。')).toBeVisible();
});

test('a cashier sees no admin menus, gets the 403 page on a direct URL, and signs out', async ({ page }) => {
  await signIn(page, 'cashier@demo.chainstore.test', '商品');
  await openPage(page, '/org/stores', '门店');
  await expect(menuItem(page, '门店')).toBeVisible();
  // The admin test above sees these very items: here they are absent.
  for (const name of adminMenus) await expect(menuItem(page, name)).toHaveCount(0);
  await expect(page.getByRole('button', { name: '新建门店' })).toHaveCount(0);

  await page.goto('/staff/users');
  await expect(page.getByText('无权访问')).toBeVisible();
  await shot(page, 'cashier-403');

  await page.getByTestId('current-user').hover();
  await page.getByText('退出登录').click();
  await expect(page).toHaveURL(/\/login$/);
  // The session is over on the server too: the console's pages send to sign-in.
  await page.goto('/org/stores');
  await expect(page).toHaveURL(/\/login\?from=/);
});
