import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { apiToken, PASSWORD, shot, signIn, uuidv7 } from './helpers';

// The till's member services (F1) in SH001, each flow with a member of its
// own (a unique phone; never the demo member 王伟, whose balance other flows
// count on): the store manager registers a member at the counter, tops
// them up in cash and, finding the member again, cashes the card out (a
// sale's stored-value payment goes back with its return, F6, in till.spec); a
// cashier without pos:refund cashes a card out with the manager signing in
// on the till.

const MANAGER = 'manager@demo.chainstore.test';
const CASHIER = 'cashier@demo.chainstore.test';

/** uniquePhone: a mobile number no other run or flow uses (139 + 8 digits of the clock and a random tail). */
const uniquePhone = () => `139${String(Date.now() % 100_000_000).padStart(8, '0')}`.slice(0, 9) + String(Math.floor(Math.random() * 100)).padStart(2, '0');

async function managerStore(request: APIRequestContext) {
  const auth = { Authorization: `Bearer ${await apiToken(request, MANAGER)}` };
  const me = (await (await request.get('/api/v1/me', { headers: auth })).json()) as { stores: string[] };
  return { auth, storeId: me.stores[0] ?? '' };
}

/** openTab selects a tab of the dialog, clicking again while a loaded machine still animates the dialog open. */
async function openTab(dialog: Locator, name: string) {
  await expect(async () => {
    await dialog.getByRole('tab', { name }).click();
    await expect(dialog.getByRole('tab', { name, selected: true })).toBeVisible({ timeout: 2_000 });
  }).toPass();
}

async function findMember(page: Page, phone: string) {
  await page.keyboard.press('F2');
  const input = page.getByRole('dialog', { name: '识别会员' }).getByRole('textbox', { name: '手机号' });
  await input.fill(phone);
  await input.press('Enter');
  await expect(page.getByTestId('member-card')).toContainText('储值余额');
}

test('a manager registers a member at the till, tops them up in cash and cashes the card out', async ({ page, request }) => {
  test.setTimeout(180_000);
  const phone = uniquePhone();
  await signIn(page, MANAGER);
  await page.goto('/pos');
  await page.getByLabel('收银机编号').fill(`M${Date.now().toString(36).slice(-6).toUpperCase()}`);
  await page.getByLabel('收银机名称').fill('会员业务收银机');
  await page.getByRole('button', { name: /登\s*记/ }).click();
  await page.getByLabel('备用金（元）').fill('0');
  await page.getByRole('button', { name: /开\s*班/ }).click();
  await expect(page.getByTestId('till-online')).toBeVisible();

  // F1 without a member: registering comes first.
  await page.keyboard.press('F1');
  const members = page.getByRole('dialog', { name: '会员业务' });
  await expect(members.getByRole('tab', { name: '登记会员', selected: true })).toBeVisible();
  await members.getByLabel('手机号').fill(phone);
  await members.getByLabel('姓名').fill('端到端会员');
  await members.getByRole('button', { name: '登记并加入本单' }).click();

  // The new member is the sale's; the dialog moves on to the top-up: ¥100 in cash.
  await expect(members.getByRole('tab', { name: '充值', selected: true })).toBeVisible();
  await expect(members.getByTestId('members-current')).toContainText('¥0.00');
  await members.getByLabel('充值金额（元）').fill('100');
  await expect(members.getByRole('radio', { name: '现金' })).toBeChecked();
  await members.getByRole('button', { name: '确认充值' }).click();
  const topped = members.getByTestId('topup-result');
  await expect(topped).toContainText(/已充值 ¥100\.00，赠送 ¥[\d,.]+，储值余额 ¥[\d,.]+/);
  const balance = /储值余额 (¥[\d,.]+)/.exec(await topped.innerText())?.[1] ?? '';
  await expect(members.getByTestId('members-current')).toContainText(balance);
  await shot(page, 'till-member-topup');
  await members.getByRole('button', { name: 'Close' }).click();
  await expect(members).toBeHidden();
  await expect(page.getByTestId('member-card')).toContainText(balance);
  await page.getByRole('button', { name: 'F10 新单' }).click();

  // 退卡: the member again, the amounts confirmed, the principal paid back in cash.
  await findMember(page, phone);
  await expect(page.getByTestId('member-card')).toContainText(balance);
  await page.keyboard.press('F1');
  await openTab(members, '退卡');
  await expect(members.getByText('¥100.00')).toBeVisible();
  await members.getByRole('button', { name: '退卡…' }).click();
  await expect(members.getByTestId('cashout-confirm')).toContainText('确认退卡？将以现金退还本金 ¥100.00');
  await shot(page, 'till-member-cashout');
  await members.getByRole('button', { name: '确认退卡' }).click();
  await expect(members.getByTestId('cashout-result')).toContainText('已退卡：退还本金 ¥100.00');
  await members.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('member-card')).toContainText('¥0.00');

  // The member's card holds nothing now.
  const { auth, storeId } = await managerStore(request);
  const found = await request.get(`/api/v1/stores/${storeId}/pos/members/lookup?phone=${phone}`, { headers: auth });
  expect(found.ok(), await found.text()).toBeTruthy();
  expect(((await found.json()) as { balance: number }).balance).toBe(0);
});

test('a cashier without pos:refund cashes a card out with the manager signing in on the till', async ({ page, request }) => {
  test.setTimeout(120_000);
  // The manager registers a till for the cashier, and a member of this flow's own with ¥50 on the card.
  const { auth, storeId } = await managerStore(request);
  const registered = await request.post(`/api/v1/stores/${storeId}/pos/registers`, {
    headers: auth,
    data: { code: `C${Date.now().toString(36).slice(-6).toUpperCase()}`, name: '退卡授权收银机' },
  });
  expect(registered.ok(), await registered.text()).toBeTruthy();
  const { device_token } = (await registered.json()) as { device_token: string };
  const phone = uniquePhone();
  const member = await request.post(`/api/v1/stores/${storeId}/pos/members`, { headers: auth, data: { phone, name: '授权退卡会员' } });
  expect(member.ok(), await member.text()).toBeTruthy();
  const { id } = (await member.json()) as { id: string };
  const topUp = await request.post(`/api/v1/stores/${storeId}/pos/members/${id}/topup`, {
    headers: auth,
    data: { amount: 5000, payment_method: 'cash', source_type: 'test_topup', source_id: uuidv7() },
  });
  expect(topUp.ok(), await topUp.text()).toBeTruthy();
  const { principal_after } = (await topUp.json()) as { principal_after: number };
  expect(principal_after).toBe(5000);

  await signIn(page, CASHIER);
  await page.evaluate(([k, v]) => localStorage.setItem(k ?? '', v ?? ''), [`chainstore.register_token.${storeId}`, device_token]);
  await page.goto('/pos');
  await page.getByLabel('备用金（元）').fill('0');
  await page.getByRole('button', { name: /开\s*班/ }).click();
  await expect(page.getByTestId('till-online')).toBeVisible();
  await findMember(page, phone);

  await page.getByRole('button', { name: 'F1 会员业务' }).click();
  const members = page.getByRole('dialog', { name: '会员业务' });
  await openTab(members, '退卡');
  await expect(members.getByText('¥50.00').first()).toBeVisible();
  await members.getByRole('button', { name: '退卡…' }).click();
  await members.getByRole('button', { name: '确认退卡' }).click();

  // The API refuses the cashier (pos:refund); the manager signs in on the till and the card is cashed out.
  const approval = page.getByRole('dialog', { name: '店长授权' });
  await expect(approval).toContainText('pos:refund');
  await approval.getByLabel('店长账号').fill(MANAGER);
  await approval.getByLabel('店长密码').fill(PASSWORD);
  await approval.getByRole('button', { name: /授\s*权/ }).click();
  await expect(approval).toBeHidden();
  await expect(members.getByTestId('cashout-result')).toContainText('已退卡：退还本金 ¥50.00');

  const found = await request.get(`/api/v1/stores/${storeId}/pos/members/lookup?phone=${phone}`, { headers: auth });
  expect(((await found.json()) as { balance: number }).balance).toBe(0);
});
