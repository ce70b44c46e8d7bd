import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiToken, fillSignIn, menuItem, pageTitle, shot, signIn, uuidv7 } from './helpers';

// The POS back office, promotions and the dashboard against the real server
// and the demo chain: HQ admin, then a cashier.

const ADMIN = 'admin@demo.chainstore.test';
const CASHIER = 'cashier@demo.chainstore.test';

interface Sale {
  receipt_no: string;
  store_id: string;
  id: string;
}

/** makeSale registers a till in SH001, opens a shift and sells two bottles of water, all through the API. */
async function makeSale(request: APIRequestContext): Promise<Sale> {
  const token = await apiToken(request, ADMIN);
  const auth = { Authorization: `Bearer ${token}` };
  const stores = (await (await request.get('/api/v1/stores?q=SH001', { headers: auth })).json()) as { data: { id: string; code: string }[] };
  const store = stores.data.find((s) => s.code === 'SH001');
  expect(store, 'the demo store SH001').toBeTruthy();
  const base = `/api/v1/stores/${store?.id}/pos`;

  const reg = await request.post(`${base}/registers`, {
    headers: { ...auth, 'Idempotency-Key': uuidv7() },
    data: { code: `API-${Date.now().toString(36).slice(-6)}`, name: '接口测试收银机' },
  });
  expect(reg.ok(), await reg.text()).toBeTruthy();
  const till = { ...auth, 'X-Register-Token': ((await reg.json()) as { device_token: string }).device_token };

  const shift = await request.post(`${base}/shifts`, { headers: { ...till, 'Idempotency-Key': uuidv7() }, data: { opening_float: 20000 } });
  expect(shift.ok(), await shift.text()).toBeTruthy();

  const lookup = await request.get(`${base}/lookup?code=WATER-550`, { headers: auth });
  expect(lookup.ok(), await lookup.text()).toBeTruthy();
  const sku = ((await lookup.json()) as { data: { sku_id: string }[] }).data[0]?.sku_id;
  const lines = [{ sku_id: sku, qty: 2000 }];

  const priced = await request.post(`${base}/carts/price`, { headers: auth, data: { lines } });
  expect(priced.ok(), await priced.text()).toBeTruthy();
  const payable = ((await priced.json()) as { payable: number }).payable;

  const sale = await request.post(`${base}/sales`, {
    headers: { ...till, 'Idempotency-Key': uuidv7() },
    data: { id: uuidv7(), lines, tenders: [{ method: 'cash', amount: payable, tendered: payable + 1000 }] },
  });
  expect(sale.ok(), await sale.text()).toBeTruthy();
  return (await sale.json()) as Sale;
}

test.describe('the HQ admin', () => {
  let sale: Sale;

  test.beforeAll(async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    sale = await makeSale(request);
    await request.dispose();
  });

  test('lands on the dashboard with its charts drawn', async ({ page }) => {
    const clicked = await fillSignIn(page, ADMIN);
    await expect(pageTitle(page, '经营概况')).toBeVisible();
    for (const chart of ['今日分时销售', '各门店今日销售', '今日热销商品 Top 10']) {
      await expect(page.getByRole('img', { name: chart }).locator('canvas')).toBeVisible();
    }
    console.log(`sign-in → dashboard charts drawn: ${Date.now() - clicked} ms`);
    await expect(page.getByTestId('dashboard-figures')).toContainText('今日销售额');
    // A fresh database has no sales a week ago: either wording of the comparison.
    await expect(page.getByTestId('dashboard-figures')).toContainText(/较上周同日|上周同日无销售/);
    await shot(page, 'dashboard');
  });

  test('creates a 满减 promotion with two steps and activates it', async ({ page }) => {
    await signIn(page, ADMIN, '经营概况');
    await menuItem(page, '促销活动').click();
    await expect(pageTitle(page, '促销活动')).toBeVisible();
    await page.getByRole('button', { name: '新建促销' }).click();

    const drawer = page.locator('.ant-drawer-content');
    const name = `端到端满减 ${Date.now().toString(36)}`;
    await drawer.getByLabel('名称', { exact: true }).fill(name);
    await expect(drawer.getByText('满减', { exact: true })).toBeVisible(); // the default kind
    await drawer.getByLabel('满（元）').first().fill('100');
    await drawer.getByLabel('减（元）').first().fill('15.5');
    await drawer.getByRole('button', { name: '添加档位' }).click();
    await drawer.getByLabel('满（元）').nth(1).fill('200');
    await drawer.getByLabel('减（元）').nth(1).fill('40');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();

    await expect(pageTitle(page, name)).toBeVisible();
    await expect(page.getByTestId('rule-summary')).toHaveText('满 ¥100.00 减 ¥15.50，满 ¥200.00 减 ¥40.00');
    await expect(page.locator('.ant-page-header').getByText('草稿')).toBeVisible();
    await page.getByRole('button', { name: /启\s*用/ }).click();
    await expect(page.locator('.ant-page-header').getByText('进行中')).toBeVisible();
    await shot(page, 'promotion-active');

    await page.goto('/promotions');
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('进行中');
  });

  test("finds a promotion's SKU with no store chosen (the chain's SKU search)", async ({ page }) => {
    await signIn(page, ADMIN, '经营概况');
    await menuItem(page, '促销活动').click();
    await expect(pageTitle(page, '促销活动')).toBeVisible();
    await page.getByRole('button', { name: '新建促销' }).click();
    const drawer = page.locator('.ant-drawer-content');
    const skus = drawer.getByLabel('商品', { exact: true });
    await skus.scrollIntoViewIfNeeded();
    await skus.click();
    await skus.pressSequentially('cola-3');
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'COLA-330' });
    await option.click();
    await expect(drawer.locator('.ant-select-selection-item', { hasText: '可口可乐 330ml 罐装（COLA-330）' })).toBeVisible();
  });

  test('registers a till and sees its token once', async ({ page }) => {
    await signIn(page, ADMIN, '经营概况');
    await menuItem(page, '收银机').click();
    await expect(pageTitle(page, '收银机')).toBeVisible();
    // "All stores" in the header: the page asks for one.
    await page.getByRole('combobox', { name: '选择门店' }).click();
    await page.getByTitle('人民广场店（SH001）').click();

    const code = `E2E-${Date.now().toString(36).slice(-6).toUpperCase()}`;
    await page.getByRole('button', { name: '登记收银机' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('编号').fill(code);
    await dialog.getByLabel('名称').fill('端到端收银机');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();

    const tokenDialog = page.getByRole('dialog', { name: `${code} 的设备凭证` });
    await expect(tokenDialog).toContainText('凭证只显示这一次');
    const token = (await page.getByTestId('device-token').textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThan(20);
    await shot(page, 'register-token');
    await tokenDialog.getByRole('button', { name: '已保存，关闭' }).click();
    await expect(tokenDialog).toBeHidden();

    const row = page.getByRole('row').filter({ hasText: code });
    await expect(row).toContainText('使用中');
    // Once closed, the credential is nowhere on the page.
    await expect(page.getByText(token)).toHaveCount(0);

    // The same code again is refused on its field.
    await page.getByRole('button', { name: '登记收银机' }).click();
    await dialog.getByLabel('编号').fill(code);
    await dialog.getByLabel('名称').fill('重复');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect(dialog.getByText('这家门店已有相同编号的收银机。')).toBeVisible();
  });

  test('narrows the shift list to one register and to business days', async ({ page }) => {
    await signIn(page, ADMIN, '经营概况');
    await menuItem(page, '班次').click();
    await expect(pageTitle(page, '班次')).toBeVisible();
    await page.getByRole('combobox', { name: '选择门店' }).click();
    await page.getByTitle('人民广场店（SH001）').click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect(rows.first()).toBeVisible();

    // The till registered before these tests has one shift, open.
    const register = page.getByRole('combobox', { name: '收银机' });
    await register.click();
    await register.fill('接口测试');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '接口测试收银机' }).first().click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('营业中');
    await expect(rows.first()).toContainText('接口测试收银机');

    // The same register on days long before: none.
    const range = page.locator('.ant-pro-query-filter .ant-picker-range input');
    await range.nth(0).click();
    await range.nth(0).fill('2020-01-01');
    await range.nth(0).press('Enter');
    await range.nth(1).fill('2020-01-31');
    await range.nth(1).press('Enter');
    await expect(range.nth(0)).toHaveValue('2020-01-01');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect(page.locator('.ant-table-tbody')).toContainText('还没有班次。');
    await shot(page, 'shifts-filtered');
  });

  test('opens the sales list and a sale with its lines and receipt', async ({ page }) => {
    await signIn(page, ADMIN, '经营概况');
    await menuItem(page, '销售流水').click();
    await expect(pageTitle(page, '销售流水')).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: sale.receipt_no }).filter({ hasText: '人民广场店' });
    await expect(row.first()).toContainText('现金');
    await shot(page, 'sales-list');
    await row.first().getByRole('link', { name: sale.receipt_no }).click();

    await expect(pageTitle(page, `销售单 ${sale.receipt_no}`)).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: '农夫山泉 饮用天然水 550ml' })).toContainText('2');
    await expect(page.getByText('已完成')).toBeVisible();
    await page.getByRole('button', { name: /小\s*票/ }).click();
    await expect(page.getByTestId('receipt-text')).toContainText(sale.receipt_no);
    await shot(page, 'sale-detail');
  });
});

test('a cashier sees none of these menus and gets the 403 page on /promotions', async ({ page }) => {
  await signIn(page, CASHIER);
  for (const name of ['经营概况', '营销', '促销活动', '优惠券', '收银管理', '收银机', '销售流水', '收银设置']) {
    await expect(menuItem(page, name)).toHaveCount(0);
  }
  await page.goto('/promotions');
  await expect(page.getByText('无权访问')).toBeVisible();
  await page.goto('/pos-admin/registers');
  await expect(page.getByText('无权访问')).toBeVisible();
  await shot(page, 'cashier-promotions-403');
});
