import { expect, test, type Page } from '@playwright/test';
import { menuItem, openPage, pageTitle, pickSku, pickStore, shot, signIn } from './helpers';
import { stripeEvent, stripeSignature, type CompletedCheckout } from './stripe';

// The console against the real server and the demo chain (README).

const adminMenus = ['员工', '角色', '审计日志', '加盟商', '订阅与套餐', '开通向导'];

/** step is the checklist's row for a step title. */
const step = (page: Page, title: string) => page.getByTestId('onboarding-steps').locator('.ant-list-item').filter({ hasText: title });

/** fromChecklist opens the checklist (from the menu: no reload) and follows a step's link to its screen. */
async function fromChecklist(page: Page, title: string, action: string, landing: string) {
  await menuItem(page, '开通向导').click();
  // antd spaces out a two-character button label (入 库).
  await step(page, title).getByRole('button', { name: new RegExp(`^${[...action].join('\\s*')}$`) }).click();
  await expect(pageTitle(page, landing)).toBeVisible();
}

test('a new chain signs up and finishes its onboarding checklist, every step in the console', async ({ page, request }) => {
  test.setTimeout(90_000);
  const slug = `e2e-${Date.now().toString(36)}`;
  const stamp = Date.now().toString(36).toUpperCase();
  await page.goto('/signup');
  await page.getByLabel('连锁名称').fill('端到端测试连锁');
  await page.getByLabel('连锁编码').fill(slug);
  await page.getByLabel('管理员姓名').fill('王店长');
  await page.getByLabel('管理员邮箱').fill(`owner@${slug}.test`);
  await page.getByLabel('登录密码').fill('Signup#Strong2026');
  await page.getByRole('button', { name: '开通并登录' }).click();

  await expect(pageTitle(page, '开通向导')).toBeVisible();
  await expect(page.getByText('已完成 0/8')).toBeVisible();
  await expect(page.getByTestId('billing-banner')).toContainText('试用期剩余');
  await shot(page, 'signup-onboarding');

  // 1. The chain profile: saving it ticks the step.
  await fromChecklist(page, '完善连锁资料', '去完善', '连锁资料');
  await expect(page.getByTestId('chain-currency')).toHaveText('CNY');
  await page.getByLabel('连锁名称').fill('端到端便利连锁');
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('连锁资料已保存')).toBeVisible();

  // 2. The first store.
  const storeCode = `E2E-${stamp}`;
  await fromChecklist(page, '开设第一家门店', '新建门店', '门店');
  await page.getByRole('button', { name: '新建门店' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('门店编码').fill(storeCode);
  await dialog.getByLabel('门店名称').fill('端到端一号店');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  // 3. A product with its SKU and price.
  const skuCode = `SKU-${stamp}`;
  await fromChecklist(page, '导入商品', '导入商品', '商品');
  await page.getByRole('button', { name: '新建商品' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('商品编码').fill(`P-${stamp}`);
  await dialog.getByLabel('商品名称').fill('端到端矿泉水');
  await dialog.getByLabel('分类').click();
  await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '食品（FOOD）' }).click();
  await dialog.getByLabel('SKU 编码').fill(skuCode);
  await dialog.getByLabel('零售价').fill('3.00');
  await dialog.getByLabel('进价').fill('1.20');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();

  // 4. Stock received into the store.
  await fromChecklist(page, '首次入库', '入库', '门店库存');
  await pickStore(page, '门店', storeCode);
  // A SKU the store never held is not on its stock list: it is received through the dialog's SKU finder.
  await page.getByRole('button', { name: '收货入库' }).click();
  dialog = page.getByRole('dialog');
  await pickSku(page, skuCode, dialog);
  await dialog.getByLabel(`数量 ${skuCode}`).fill('10');
  await dialog.getByLabel(`进价（单价） ${skuCode}`).fill('1.20');
  await dialog.getByRole('button', { name: '确认收货入库' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`on-hand-${skuCode}`)).toContainText('10');

  // 5. A till registered, a shift opened, the first sale in cash.
  await menuItem(page, '开通向导').click();
  await step(page, '完成第一笔销售').getByRole('button', { name: '打开收银台' }).click();
  // HQ has no store of its own: the till asks which one.
  await page.getByRole('combobox').fill(storeCode);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: storeCode }).click();
  await page.getByLabel('收银机编号').fill('T01');
  await page.getByLabel('收银机名称').fill('一号收银机');
  await page.getByRole('button', { name: /登\s*记/ }).click();
  await page.getByLabel('备用金（元）').fill('100');
  await page.getByRole('button', { name: /开\s*班/ }).click();
  const scan = page.getByTestId('scan-input');
  await scan.fill(skuCode);
  await scan.press('Enter');
  await expect(page.getByTestId('payable')).toContainText('3.00');
  await page.keyboard.press('F9');
  await page.getByRole('dialog', { name: '结账' }).getByLabel('实收现金（元）').press('Enter');
  await expect(page.getByTestId('receipt-no')).toHaveText(/^R\d{6}$/);

  // 6. Members imported from a file (the till has no menu: back through the URL).
  await page.goto('/onboarding');
  await fromChecklist(page, '导入会员', '导入会员', '导入会员');
  const csv = `phone,name\n139${String(Date.now()).slice(-8)},首位会员\n`;
  await page.locator('input[type=file]').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '校验文件' }).click();
  await expect(page.locator('.ant-card', { hasText: '校验结果' })).toContainText('总行数');
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.locator('.ant-card', { hasText: '导入完成' })).toBeVisible();

  // 7. A colleague invited.
  await fromChecklist(page, '邀请员工', '邀请员工', '员工');
  await page.getByRole('button', { name: '邀请员工' }).click();
  dialog = page.getByRole('dialog', { name: '邀请员工' });
  await dialog.getByLabel('姓名').fill('李收银');
  await dialog.getByLabel('邮箱').fill(`cashier@${slug}.test`);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  const link = page.getByRole('dialog', { name: '邀请链接' });
  await link.getByRole('button').last().click();
  await expect(link).toBeHidden();

  // 8. A plan: the console opens Stripe Checkout; "Stripe" (stripe-mock behind the e2e stub)
  // sends the paying browser back and then delivers checkout.session.completed, signed.
  await fromChecklist(page, '选择套餐', '查看套餐', '订阅与套餐');
  const origin = new URL(page.url()).origin; // the server's BILLING_SUCCESS_URL is here
  await page.route('https://checkout.stripe.com/**', (route) => route.fulfill({ status: 303, headers: { Location: `${origin}/billing?checkout=success` } }));
  await page.locator('.ant-pro-card', { hasText: 'Starter' }).getByRole('button', { name: '选择此套餐' }).click();
  await expect(page).toHaveURL(/\/billing\?checkout=success/);
  await expect(page.getByText('订阅已提交，支付确认后状态会自动更新。')).toBeVisible();
  const paid = (await (await request.post(`${process.env.E2E_STRIPE_URL}/__e2e/checkout/complete`)).json()) as CompletedCheckout;
  const payload = stripeEvent('checkout.session.completed', {
    id: paid.session_id,
    object: 'checkout.session',
    mode: 'subscription',
    status: 'complete',
    payment_status: 'paid',
    customer: paid.customer,
    subscription: paid.subscription,
    client_reference_id: paid.client_reference_id,
  });
  const delivered = await request.post('/webhooks/stripe', {
    data: payload,
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(payload, process.env.E2E_STRIPE_WEBHOOK_SECRET ?? '') },
  });
  expect(delivered.ok(), await delivered.text()).toBeTruthy();

  await page.goto('/onboarding');
  await expect(page.getByText('已完成 8/8')).toBeVisible();
  for (const title of ['完善连锁资料', '开设第一家门店', '导入商品', '首次入库', '完成第一笔销售', '导入会员', '邀请员工', '选择套餐']) {
    await expect(step(page, title).locator('.ant-tag', { hasText: '已完成' })).toBeVisible();
  }
  await shot(page, 'onboarding-finished');
  await page.goto('/billing');
  await expect(page.locator('.ant-pro-card', { hasText: 'Starter' }).getByText('当前套餐')).toBeVisible();
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
