import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { apiToken, menuItem, pageTitle, shot, signIn, uuidv7 } from './helpers';

// Members and finance as the demo chain's HQ: a member's 360 view, a
// manual journal entry from draft to posting, and a statement's export.

const ADMIN = 'admin@demo.chainstore.test';
const FINANCE = 'finance@demo.chainstore.test';

/** chooseOption opens an antd Select by its accessible name and picks the option containing text. */
async function chooseOption(page: Page, name: string, search: string, option: string) {
  const box = page.getByRole('combobox', { name });
  await box.click();
  if (search) await box.fill(search); // a Select without showSearch takes no typing
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

  // The same member by card number.
  const card = (await page.getByTestId('member-card-number').textContent()) ?? '';
  expect(card).toMatch(/^\d{6,}$/);
  await page.goto('/members/list');
  await page.getByLabel('卡号').fill(card);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('13800000001');
  // The list's card filter (any card the member held): one match, counted.
  await expect(page.getByTestId('members-matched')).toHaveText('共 1 位');
  await shot(page, 'member-search-card');
});

test('a store manager sees their store’s statements and no member or HQ finance pages', async ({ page }) => {
  await signIn(page, 'manager@demo.chainstore.test');
  await expect(menuItem(page, '财务报表')).toBeVisible();
  for (const name of ['会员列表', '手工凭证', '凭证', '清分与加盟费']) await expect(menuItem(page, name)).toHaveCount(0);
  await menuItem(page, '财务报表').click();
  await expect(page.getByRole('combobox', { name: '报表范围' })).toBeVisible();
  await expect(page.getByTestId('statement-totals')).toContainText('净利润');
  await page.goto('/finance/manual-entries');
  await expect(page.getByText('无权访问')).toBeVisible();
});

test('a manual entry: unbalanced cannot be submitted, balanced is drafted by the admin and approved by HQ finance', async ({ page, browser }) => {
  test.slow(); // two sessions, then the list's filters
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
  // It names its author, and no decider yet.
  await expect(page.getByTestId('manual-author')).toHaveText('周总 (HQ admin)');
  await expect(page.getByTestId('manual-decider')).toHaveText('—');
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
  await expect(finance.getByTestId('manual-author')).toHaveText('周总 (HQ admin)');
  await expect(finance.getByTestId('manual-decider')).toHaveText('王芳 (HQ finance)');
  await finance.getByTestId('posted-entry-link').click();
  await expect(pageTitle(finance, '凭证 ·')).toBeVisible();
  await expect(finance.locator('.ant-table-tbody')).toContainText('5602');
  await expect(finance.locator('.ant-table-summary')).toContainText('¥1,234.56');
  await shot(finance, 'manual-entry-posted');
  await other.close();

  // The list narrows by status, author and business dates (API-GAPS 20).
  await page.goto('/finance/manual-entries');
  const table = page.locator('.ant-table-tbody');
  await expect(table).toContainText(memo);
  await chooseOption(page, '状态', '', '待审核');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(table).toContainText('还没有手工凭证');
  await page.getByRole('button', { name: /重\s*置/ }).click();
  await expect(table).toContainText(memo);
  await chooseOption(page, '状态', '', '已过账');
  await chooseOption(page, '制单人', '', '我');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(table).toContainText(memo);
  // The same with days long before it: none.
  const range = page.locator('.ant-pro-query-filter .ant-picker-range input');
  await range.nth(0).click();
  await range.nth(0).fill('2020-01-01');
  await range.nth(0).press('Enter');
  await range.nth(1).fill('2020-01-31');
  await range.nth(1).press('Enter');
  await expect(range.nth(0)).toHaveValue('2020-01-01');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(table).not.toContainText(memo);
  await expect(table).toContainText('还没有手工凭证');
  await shot(page, 'manual-entries-filtered');
});

test('the HQ admin opens the income statement and downloads it as XLSX', async ({ page }) => {
  await signIn(page, ADMIN);
  await menuItem(page, '财务报表').click();
  await expect(pageTitle(page, '财务报表')).toBeVisible();
  await expect(page.getByRole('radio', { name: '利润表' })).toBeChecked();
  const totals = page.getByTestId('statement-totals');
  await expect(totals).toContainText('净利润');
  // This period beside the year to date (本年累计), as the 小企业会计准则 layout has them.
  await expect(page.getByTestId('statement-table').getByRole('columnheader', { name: '本年累计金额' })).toBeVisible();
  await expect(totals).toContainText('本年累计净利润');
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

test('the HQ admin registers a member and works the 360 view: points, gift, reversal, card, QR, export, cash-out, erase', async ({ page, request }) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN);
  await page.goto('/members/list');
  const phone = `139${String(Date.now()).slice(-8)}`;
  await page.getByRole('button', { name: '新增会员' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('手机号').fill(phone);
  await dialog.getByLabel('姓名').fill('端到端');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(pageTitle(page, `端到端（${phone}）`)).toBeVisible();
  const points = page.getByTestId('member-points');
  await expect(points).toHaveText('0');

  // Points by hand, then a gift (环保购物袋, 300 points), then that redemption reversed.
  await page.getByRole('button', { name: '调整积分' }).click();
  await dialog.getByLabel('积分').fill('500');
  await dialog.getByLabel('原因').fill('端到端测试补偿');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(points).toHaveText('500');

  await page.getByRole('button', { name: '积分兑换' }).click();
  await chooseOption(page, '礼品', '', '环保购物袋');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(points).toHaveText('200');

  const ledger = page.getByRole('tabpanel', { name: '积分明细' });
  await ledger.getByRole('row').filter({ hasText: '积分使用' }).getByRole('button', { name: '冲正' }).click();
  await dialog.getByLabel('原因').fill('兑换登记错误');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(points).toHaveText('500');
  await expect(ledger.getByRole('row').filter({ hasText: '积分使用' }).getByRole('button', { name: '冲正' })).toHaveCount(0);

  // The card: freeze, unfreeze, then a one-time QR.
  await page.getByRole('button', { name: /会员卡/ }).hover();
  await page.getByRole('menuitem', { name: '冻结' }).click();
  await expect(page.getByText('已冻结').first()).toBeVisible();
  await expect(page.getByRole('button', { name: '会员码' })).toHaveCount(0);
  await page.getByRole('button', { name: /会员卡/ }).hover();
  await page.getByRole('menuitem', { name: '解冻' }).click();
  await page.getByRole('button', { name: '会员码' }).click();
  await expect(page.getByRole('dialog').locator('canvas')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: /close|关闭/i }).click();

  // ¥50 topped up at a store (through the till's route), then cashed out at HQ by bank transfer.
  const memberId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const auth = { Authorization: `Bearer ${await apiToken(request, ADMIN)}` };
  const stores = (await (await request.get('/api/v1/stores?limit=1', { headers: auth })).json()) as { data: { id: string }[] };
  const topUp = await request.post(`/api/v1/stores/${stores.data[0]?.id}/pos/members/${memberId}/topup`, {
    headers: auth,
    data: { amount: 5000, payment_method: 'cash', source_type: 'test_topup', source_id: uuidv7() },
  });
  expect(topUp.ok(), await topUp.text()).toBeTruthy();
  await page.reload();
  await expect(page.getByTestId('member-balance')).not.toHaveText('¥0.00');
  await page.getByRole('button', { name: /更多/ }).hover();
  await page.getByRole('menuitem', { name: '退卡（退还储值）' }).click();
  await expect(page.getByTestId('cashout-summary')).toContainText('将以银行转账退还本金 ¥50.00');
  await page.getByRole('dialog').getByRole('button', { name: /确认退卡/ }).click();
  await expect(page.getByTestId('member-balance')).toHaveText('¥0.00');

  // Privacy: export everything held, then erase. (The pointer leaves the 更多 button first: the
  // cash-out's dialog closed under it, and a hover where it already is opens nothing.)
  await page.mouse.move(0, 0);
  await page.getByRole('button', { name: /更多/ }).hover();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: '导出个人信息' }).click();
  const file = await downloading;
  const path = `e2e/artifacts/${file.suggestedFilename()}`;
  await file.saveAs(path);
  expect(JSON.parse(readFileSync(path, 'utf8')).member.phone).toBe(phone);

  await page.getByRole('button', { name: /更多/ }).hover();
  await page.getByRole('menuitem', { name: '删除个人信息' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认删除' }).click();
  await expect(page.locator('.ant-page-header-heading-tags')).toContainText('已删除');
  await expect(page.getByRole('button', { name: '调整积分' })).toHaveCount(0);
});

test('the HQ admin checks an import file, sees its errors, and imports the valid rows', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto('/members/import');
  const base = String(Date.now()).slice(-8);
  const csv = `phone,name,birthday\n137${base},导入一,1990-01-02\nnot-a-phone,导入二,\n13800000001,王伟,\n`;
  await page.locator('input[type=file]').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '校验文件' }).click();
  const result = page.locator('.ant-card', { hasText: '校验结果' });
  await expect(result).toContainText('总行数');
  await expect(result.locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(1);
  await shot(page, 'member-import-checked');
  await page.getByRole('checkbox', { name: '忽略有错误的行' }).check();
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.locator('.ant-card', { hasText: '导入完成' })).toBeVisible();

  await page.goto('/members/list');
  await page.getByLabel('手机号').fill(`137${base}`);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(1);
  await expect(page.locator('.ant-table-tbody tr.ant-table-row')).toContainText('导入一');
});

test('HQ sets up tiers, the points rule and merges two members', async ({ page }) => {
  await signIn(page, ADMIN);
  const code = `e2e${Date.now().toString(36)}`;
  await page.goto('/members/tiers');
  await page.getByRole('button', { name: '新增等级' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('等级编码').fill(code);
  await dialog.getByLabel('等级名称').fill('端到端钻石');
  await dialog.getByLabel('级别').fill('9');
  await dialog.getByLabel('门槛（元）').fill('50000.5');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  const row = page.getByRole('row').filter({ hasText: code });
  await expect(row).toContainText('¥50,000.50');
  await row.getByText('停用', { exact: true }).click();
  await expect(row).toContainText('启用');

  await page.goto('/members/points-rule');
  await page.getByLabel('多少积分抵 1 元').fill('200');
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  await page.getByLabel('多少积分抵 1 元').fill('100');
  await page.getByRole('button', { name: /保\s*存/ }).click();

  // Merge 李娜 (13800000002) into 王伟 (13800000001): her points move over.
  await page.goto('/members/list');
  await page.getByLabel('手机号').fill('13800000001');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(1);
  await page.getByRole('link', { name: '13800000001' }).click();
  const points = page.getByTestId('member-points');
  const before = Number(await points.textContent());
  await page.getByRole('button', { name: /更多/ }).hover();
  await page.getByRole('menuitem', { name: '合并会员' }).click();
  await dialog.getByLabel('被合并会员的手机号').fill('13800000002');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(points).not.toHaveText(String(before));
  expect(Number(await points.textContent())).toBeGreaterThan(before);
  await expect(page.getByRole('tabpanel', { name: '积分明细' })).toContainText('合并转入');
});

test('HQ finance closes and reopens a period, reverses an entry, sets a royalty and posts a settlement', async ({ page }) => {
  await signIn(page, FINANCE);
  await page.goto('/finance/periods');
  const january = page.locator('tr[data-row-key="1"]');
  await expect(january).toContainText('未结账');
  await january.getByRole('button', { name: /^结\s*账$/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(january).toContainText('已结账');
  await january.getByRole('button', { name: '反结账' }).click();
  await expect(january).toContainText('未结账');

  // The seeded goods receipt, found by its source and reversed.
  await page.goto('/finance/journal');
  await page.getByLabel('来源').fill('goods_receipt');
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(1);
  await page.getByRole('row').filter({ hasText: '采购入库' }).first().getByRole('link').click();
  await expect(pageTitle(page, '凭证 ·')).toBeVisible();
  await page.getByRole('button', { name: /^冲\s*销$/ }).click();
  const reversal = page.getByRole('dialog');
  await reversal.getByLabel('摘要').fill('端到端冲销');
  // A click during the modal's opening animation can land on nothing (seen once on CI): click until the dialog closes.
  await expect(async () => {
    if (await reversal.isVisible()) await reversal.getByRole('button', { name: /保\s*存/ }).click({ timeout: 2_000 });
    await expect(reversal).toBeHidden({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.locator('.ant-page-header-heading-tags')).toContainText('冲销凭证');

  await page.goto('/finance/rules');
  const royalty = page.locator('.ant-card', { hasText: '加盟费' }).last();
  await royalty.getByRole('row').filter({ hasText: '全连锁默认' }).getByText('编辑').click();
  await page.getByRole('dialog').getByLabel('每店每月最低（元）').fill('350.00');
  await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
  await expect(royalty).toContainText('¥350.00');

  await page.goto('/finance/settlements');
  await page.getByRole('button', { name: '生成结算单' }).click();
  await expect(page.getByRole('dialog')).toContainText('杭州鲜丰加盟'); // the chain's one franchisee, chosen already
  await page.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
  await expect(pageTitle(page, '结算单 ·')).toBeVisible();
  await expect(page.locator('.ant-page-header-heading-tags')).toContainText('草稿');
  await page.getByRole('button', { name: /^过\s*账$/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.locator('.ant-page-header-heading-tags')).toContainText('已过账');
  await shot(page, 'settlement-posted');
});

test('every members and finance page opens for the HQ admin', async ({ page }) => {
  await signIn(page, ADMIN);
  const pages: [string, string][] = [
    ['/members/tiers', '会员等级'],
    ['/members/points-rule', '积分规则'],
    ['/members/import', '导入会员'],
    ['/members/gifts', '积分礼品'],
    ['/members/topup-rules', '充值赠送'],
    ['/org/profile', '连锁资料'],
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
