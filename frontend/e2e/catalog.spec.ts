import { expect, test, type Page } from '@playwright/test';
import { ean13CheckDigit } from '../src/lib/ean13';
import { openPage, pageTitle, pickSku, pickStore, shot, signIn } from './helpers';

// Catalog and inventory as the demo HQ admin: a new product with its SKU,
// barcode and price; stock received into a store; a stocktake counted and
// posted; shelf labels for two SKUs. One chain, run in order.

test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36).toUpperCase();
const productCode = `P-E2E-${stamp}`;
const skuCode = `SKU-E2E-${stamp}`;
const body = `69${String(Date.now()).slice(-10)}`;
const barcode = `${body}${ean13CheckDigit(body)}`;
const STORE = 'SH001';

async function admin(page: Page) {
  await signIn(page, 'admin@demo.chainstore.test', '经营概况');
  await openPage(page, '/catalog/products', '商品');
}

test('the HQ admin creates a product with a SKU, barcode and price and finds it in the list', async ({ page }) => {
  await admin(page);
  await page.getByRole('button', { name: '新建商品' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('商品编码').fill(productCode);
  await dialog.getByLabel('商品名称').fill(`端到端矿泉水 ${stamp}`);
  await dialog.getByLabel('分类').click();
  await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '饮料（DRINK）' }).click();
  await dialog.getByLabel('SKU 编码').fill(skuCode);
  await dialog.getByLabel('规格').fill('规格=550ml');
  await dialog.getByLabel('条码').fill(barcode);
  await dialog.getByLabel('条码').press('Enter');
  await dialog.getByLabel('零售价').fill('2.50');
  await dialog.getByLabel('会员价').fill('2.20');
  await dialog.getByLabel('进价').fill('1.10');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  await page.getByPlaceholder('商品名称或编码').fill(productCode);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.getByRole('row').filter({ hasText: productCode });
  await expect(row).toContainText(`端到端矿泉水 ${stamp}`);
  await expect(row).toContainText('食品 / 饮料');
  await expect(row).toContainText('在售');
  // The list shows HQ's list and member price in force (GET /catalog/products?with=prices).
  await expect(row).toContainText('¥2.50');
  await expect(row).toContainText('¥2.20');

  // The detail page shows the SKU with its barcode and HQ's price in force.
  await row.getByRole('link', { name: productCode }).click();
  await expect(pageTitle(page, productCode)).toBeVisible();
  await expect(page.getByTestId(`barcodes-${skuCode}`)).toContainText(barcode);
  await page.getByRole('row').filter({ hasText: skuCode }).getByText('价格').click();
  await expect(page.getByTestId('current-price')).toContainText('¥2.50');
  await expect(page.getByTestId('current-price')).toContainText('¥2.20');
  await shot(page, 'catalog-product-created');
});

/** searchStock searches the store's stock list (the API's q) and waits for that answer. */
async function searchStock(page: Page, q: string) {
  const answered = page.waitForResponse((r) => r.url().includes('/stock?') && new URL(r.url()).searchParams.get('q') === q && r.ok());
  await page.getByPlaceholder('SKU 编码、条码或名称').fill(q);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await answered;
}

/** openStock finds the SKU in the store's stock list by its name and opens its page. */
async function openStock(page: Page) {
  await openPage(page, '/inventory/stock', '门店库存');
  await pickStore(page, '门店', STORE);
  await searchStock(page, `矿泉水 ${stamp}`);
  await page.getByRole('row').filter({ hasText: skuCode }).getByRole('link', { name: skuCode }).click();
  await expect(pageTitle(page, skuCode)).toBeVisible();
}

test('the HQ admin receives stock for it in a store, finds it by name, code or barcode and sees on hand with its unit', async ({ page }) => {
  await admin(page);
  await openPage(page, '/inventory/stock', '门店库存');
  await pickStore(page, '门店', STORE);
  // Never stocked in the store: the stock list does not have it yet.
  await searchStock(page, skuCode);
  await expect(page.getByText('没有符合条件的库存')).toBeVisible();

  await page.getByRole('button', { name: '收货入库' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: '收货入库' })).toBeChecked();
  await pickSku(page, skuCode, dialog);
  await dialog.getByLabel(`数量 ${skuCode}`).fill('24');
  await dialog.getByLabel(`进价（单价） ${skuCode}`).fill('1.10');
  await dialog.getByRole('button', { name: '确认收货入库' }).click();
  await expect(dialog).toBeHidden();

  // The search finds it by part of its name, by its code's start and by its barcode, with its unit.
  await searchStock(page, `矿泉水 ${stamp}`);
  await expect(page.getByTestId(`on-hand-${skuCode}`)).toHaveText('24 个');
  await expect(page.getByRole('row').filter({ hasText: 'WATER-550' })).toHaveCount(0);
  await searchStock(page, skuCode.slice(0, -2).toLowerCase());
  await expect(page.getByTestId(`on-hand-${skuCode}`)).toHaveText('24 个');
  await searchStock(page, barcode);
  await expect(page.getByTestId(`on-hand-${skuCode}`)).toHaveText('24 个');
  await shot(page, 'inventory-stock-search');

  await page.getByRole('row').filter({ hasText: skuCode }).getByRole('link', { name: skuCode }).click();
  await expect(pageTitle(page, skuCode)).toBeVisible();
  await expect(page.getByTestId('detail-on-hand')).toHaveText('24 个');
  await expect(page.getByRole('row').filter({ hasText: '收货' }).first()).toContainText('+24');
  await shot(page, 'inventory-received');

  // The store's movements name the SKU from their own rows.
  await openPage(page, '/inventory/movements', '库存流水');
  await pickStore(page, '门店', STORE);
  await expect(page.getByRole('row').filter({ hasText: skuCode }).first()).toContainText(`端到端矿泉水 ${stamp}`);
});

test('the HQ admin counts a stocktake, sees the variance and posts it', async ({ page }) => {
  await admin(page);
  await openPage(page, '/inventory/stocktakes', '盘点');
  await page.getByRole('button', { name: '新建盘点' }).click();
  const dialog = page.getByRole('dialog');
  await pickStore(page, '门店', STORE, dialog);
  await dialog.getByLabel('盘点分类').click();
  await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '饮料（DRINK）' }).click();
  await dialog.getByLabel('备注').fill(`端到端盘点 ${stamp}`);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(pageTitle(page, '盘点单')).toBeVisible();

  // Scan the SKU twice (12 + 8): the batch adds up to 20 against a book of 24.
  await page.getByLabel('SKU 编码或条码').fill(barcode);
  await page.getByLabel('数量', { exact: true }).fill('12');
  await page.getByRole('button', { name: /添\s*加/ }).click();
  await page.getByLabel('SKU 编码或条码').fill(skuCode);
  await page.getByLabel('数量', { exact: true }).fill('8');
  await page.getByRole('button', { name: /添\s*加/ }).click();
  await expect(page.getByRole('row').filter({ hasText: skuCode })).toContainText('20');
  await page.getByRole('button', { name: /提交本批/ }).click();
  await expect(page.getByText('已提交 1 行')).toBeVisible();

  await page.getByRole('tab', { name: '差异' }).click();
  await expect(page.getByTestId(`variance-${skuCode}`)).toHaveText('-4 个');
  await shot(page, 'inventory-stocktake-variance');

  await page.getByRole('button', { name: /^过\s*账$/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^过\s*账$/ }).click();
  await expect(page.locator('.ant-page-header-heading-tags')).toContainText('已过账');

  await openStock(page);
  await expect(page.getByTestId('detail-on-hand')).toHaveText('20 个');
});

test('the HQ admin prints shelf labels for two SKUs with their barcodes', async ({ page }) => {
  await admin(page);
  await openPage(page, '/catalog/labels', '价签打印');
  await pickStore(page, '门店', STORE);
  await pickSku(page, skuCode);
  await pickSku(page, 'COLA-330');
  const sheet = page.getByTestId('label-sheet');
  await expect(sheet.getByTestId('price-label')).toHaveCount(2);
  await expect(sheet.getByTestId('price-label').first()).toContainText('¥2.50');
  await expect(sheet.getByTestId('price-label').first()).toContainText('会员价 ¥2.20');
  const barcodes = sheet.getByTestId('ean13');
  await expect(barcodes).toHaveCount(2);
  await expect(barcodes.first()).toHaveAttribute('data-code', barcode);
  // 30 bars: 3 guard pairs and 2 bars per digit; each drawn with width.
  expect(await barcodes.first().locator('rect[fill="#000"]').count()).toBeGreaterThanOrEqual(27);
  const box = await barcodes.nth(1).boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(50);

  // The print view: only the label sheet shows, barcodes and all.
  await expect(page.getByTestId('label-print')).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: /打\s*印/ })).toBeHidden();
  await expect(sheet).toBeHidden();
  const printed = page.getByTestId('label-print');
  await expect(printed.getByTestId('price-label')).toHaveCount(2);
  await expect(printed.getByTestId('ean13').first()).toBeVisible();
  await expect(printed.getByTestId('price-label').first()).toContainText('单位：个');
  await shot(page, 'catalog-price-labels-print');
  await page.emulateMedia({ media: 'screen' });
});

test('every catalog and inventory page opens for the HQ admin', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await admin(page);
  for (const [path, title] of [
    ['/catalog/categories', '商品分类'],
    ['/catalog/brands', '品牌'],
    ['/catalog/units', '计量单位'],
    ['/catalog/imports', '商品导入'],
    ['/catalog/scale-layouts', '条码秤格式'],
    ['/inventory/movements', '库存流水'],
    ['/inventory/alerts', '预警与补货'],
    ['/inventory/transfers', '调拨'],
    ['/inventory/analysis', '库存分析'],
    ['/inventory/settings', '库存设置'],
  ] as const) {
    await openPage(page, path, title);
    await expect(page.getByText('出错了')).toHaveCount(0);
  }
  await openPage(page, '/catalog/categories', '商品分类');
  await expect(page.getByText('饮料').first()).toBeVisible();
  await openPage(page, '/inventory/alerts', '预警与补货');
  await page.getByRole('tab', { name: '补货建议' }).click();
  await page.getByRole('tab', { name: '临期' }).click();
  await openPage(page, '/inventory/analysis', '库存分析');
  await expect(page.getByRole('img', { name: '库存金额' })).toBeVisible();
  for (const tab of ['周转', '滞销', '缺货率']) await page.getByRole('tab', { name: tab }).click();
  await expect(page.getByText('出错了')).toHaveCount(0);
  expect(errors).toEqual([]);
});
