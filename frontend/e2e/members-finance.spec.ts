import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { menuItem, pageTitle, shot, signIn } from './helpers';

// Members and finance as the demo chain's HQ: a member's 360 view, a
// manual journal entry from draft to posting, and a statement's export.

const ADMIN = 'admin@demo.chainstore.test';
const FINANCE = 'finance@demo.chainstore.test';

/** chooseOption opens an antd Select by its accessible name and picks the option containing text. */
async function chooseOption(page: Page, name: string, search: string, option: string) {
  const box = page.getByRole('combobox', { name });
  await box.click();
  await box.fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

test('the HQ admin finds a member by phone and opens the 360 view', async ({ page }) => {
  await signIn(page, ADMIN);
  await menuItem(page, '会员列表').click();
  await expect(pageTitle(page, '会员')).toBeVisible();

  // 王伟 is the demo chain's first member (13800000001, registered at SH001).
  await page.getByLabel('手机号').fill('13800000001');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('王伟');
  await rows.first().getByRole('link', { name: '13800000001' }).click();

  await expect(pageTitle(page, '王伟（13800000001）')).toBeVisible();
  await expect(page.getByText('积分与储值')).toBeVisible();
  await expect(page.getByTestId('member-points')).not.toHaveText('');
  await expect(page.getByRole('tab', { name: '积分明细' })).toBeVisible();
  await expect(page.locator('.ant-table-tbody').first()).toContainText('消费积分');
  await shot(page, 'member-360');

  // The stored-value ledger holds the demo top-up (充100送10 on ¥100).
  await page.getByRole('tab', { name: '储值明细' }).click();
  await expect(page.getByRole('tabpanel', { name: '储值明细' })).toContainText('充值');
});

test('a manual entry: unbalanced cannot be submitted, balanced is drafted by the admin and approved by HQ finance', async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await page.goto('/finance/manual-entries');
  await expect(pageTitle(page, '手工凭证')).toBeVisible();
  await page.getByRole('button', { name: '新建手工凭证' }).click();
  await expect(pageTitle(page, '新建手工凭证')).toBeVisible();

  const memo = `E2E 办公用品 ${Date.now().toString(36)}`;
  await page.getByLabel('摘要', { exact: true }).fill(memo);
  await chooseOption(page, '第 1 行科目', '5602', '5602');
  await chooseOption(page, '第 2 行科目', '1001', '1001');
  await page.getByLabel('第 1 行借方').fill('1,234.56');
  await page.getByLabel('第 2 行贷方').fill('1234.5');

  const submit = page.getByRole('button', { name: '提交审核' });
  await expect(page.getByTestId('total-debit')).toHaveText('¥1,234.56');
  await expect(page.getByTestId('total-credit')).toHaveText('¥1,234.50');
  await expect(page.getByTestId('entry-balance')).toContainText('借贷不平衡：借方多 ¥0.06');
  await expect(submit).toBeDisabled();
  await shot(page, 'manual-entry-unbalanced');

  await page.getByLabel('第 2 行贷方').fill('1234.56');
  await expect(page.getByTestId('entry-balance')).toContainText('借贷平衡：¥1,234.56');
  await expect(submit).toBeEnabled();
  await submit.click();

  await expect(pageTitle(page, '手工凭证 ·')).toBeVisible();
  await expect(page.getByTestId('manual-status')).toHaveText('待审核');
  // Its author may not approve it.
  await expect(page.getByRole('button', { name: '审核通过' })).toBeDisabled();
  const url = page.url();

  // HQ finance approves it.
  const other = await browser.newContext();
  const finance = await other.newPage();
  await signIn(finance, FINANCE);
  await finance.goto(url);
  await expect(finance.getByTestId('manual-status')).toHaveText('待审核');
  await expect(finance.getByText(memo)).toBeVisible();
  await finance.getByRole('button', { name: '审核通过' }).click();
  await finance.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(finance.getByTestId('manual-status')).toHaveText('已过账');
  await finance.getByTestId('posted-entry-link').click();
  await expect(pageTitle(finance, '凭证 ·')).toBeVisible();
  await expect(finance.locator('.ant-table-tbody')).toContainText('5602');
  await expect(finance.locator('.ant-table-summary')).toContainText('¥1,234.56');
  await shot(finance, 'manual-entry-posted');
  await other.close();
});

test('the HQ admin opens the income statement and downloads it as XLSX', async ({ page }) => {
  await signIn(page, ADMIN);
  await menuItem(page, '财务报表').click();
  await expect(pageTitle(page, '财务报表')).toBeVisible();
  await expect(page.getByRole('radio', { name: '利润表' })).toBeChecked();
  const totals = page.getByTestId('statement-totals');
  await expect(totals).toContainText('净利润');
  await shot(page, 'income-statement');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: /导出 XLSX/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^income_statement_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
  const path = `e2e/artifacts/${download.suggestedFilename()}`;
  await download.saveAs(path);
  // An XLSX is a zip: it starts with "PK".
  expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');
});

test('every members and finance page opens for the HQ admin', async ({ page }) => {
  await signIn(page, ADMIN);
  const pages: [string, string][] = [
    ['/members/tiers', '会员等级'],
    ['/members/points-rule', '积分规则'],
    ['/members/import', '导入会员'],
    ['/finance/journal', '凭证'],
    ['/finance/periods', '会计期间'],
    ['/finance/accounts', '会计科目'],
    ['/finance/entities', '核算主体'],
    ['/finance/rules', '清分与加盟费'],
    ['/finance/settlements', '加盟结算'],
  ];
  for (const [path, title] of pages) {
    await page.goto(path);
    await expect(pageTitle(page, title)).toBeVisible();
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expect(page.getByText('出错了')).toHaveCount(0);
    await shot(page, `page${path.replaceAll('/', '-')}`);
  }
  await page.goto('/members/tiers');
  await expect(page.getByText('金卡会员')).toBeVisible();
  await page.goto('/finance/accounts');
  await expect(page.getByText('库存现金')).toBeVisible();
});
