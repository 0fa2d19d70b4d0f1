import type { Page } from 'playwright-core';
import { startApi } from '../support/api';
import { pollOnce } from '../support/consumers';
import { getItem } from '../support/dynamo';
import { startPrivateMq, type PrivateMq } from '../support/private-mq';
import { newStore } from '../support/shop';
import { sandbox, waitFor } from '../support/wechat-pay';
import { LOCAL_ADMIN_API_KEY } from '../../local/services/backing';
import { ensureConsoleBuilt } from '../../local/console/build';
import { hourStartOf } from '../../shared/domain/admin/order-stats';
import { launchBrowser, screenshot, type ConsoleBrowser } from './browser';
import { chinaDate, paidOrder, placeOrder } from './shop-flow';

// The operators' console in Debian's Chromium against the real handlers: a private broker carries OrderStatusChanged
// to the stats consumer and OrderRefunded to the refund consumers; payments and refunds go through the WeChat Pay
// stand-in. Each test saves a screenshot under test-results/console/.
let mq: PrivateMq;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: ConsoleBrowser;
let consoleUrl: string;
let fns: {
  stats: typeof import('../../functions/order-stats-consumer/handler').handler;
  executor: typeof import('../../functions/refund-executor-consumer/handler').handler;
};
const admin = { 'x-admin-key': LOCAL_ADMIN_API_KEY };
const KEY_ITEM = 'wx-shop.admin-key';

// Chromium walking six pages while the other jest worker runs its own servers took over 30 s once in CI.
jest.setTimeout(90_000);

beforeAll(async () => {
  mq = await startPrivateMq({ invisibilitySeconds: 1 });
  [api, browser] = await Promise.all([startApi(), launchBrowser(), ensureConsoleBuilt()]);
  consoleUrl = `${api.gateway.url}/console/`;
  fns = {
    stats: (await import('../../functions/order-stats-consumer/handler')).handler,
    executor: (await import('../../functions/refund-executor-consumer/handler')).handler,
  };
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await mq?.stop();
  mq?.restoreEnv();
});

afterEach(() => {
  // Emptied at each check, so that one test's error is reported by that test alone.
  expect(browser.pageErrors.splice(0)).toEqual([]);
});

/** A new tab (so a new sessionStorage) on `hash`, signed in with the local admin key. */
async function signedIn(hash = '#/'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${consoleUrl}${hash}`);
  await page.fill('input[name="admin-key"]', LOCAL_ADMIN_API_KEY);
  await page.click('button[type="submit"]');
  await page.waitForSelector('.shell nav');
  return page;
}

/** Runs a consumer until it has handled `count` messages of this file's private broker. */
async function consume(handler: typeof fns.stats, count: number): Promise<void> {
  let handled = 0;
  const deadline = Date.now() + 15_000;
  while (handled < count && Date.now() < deadline) handled += (await pollOnce(handler, 1)).succeeded;
  expect(handled).toBeGreaterThanOrEqual(count);
}

// Page scripts as text (or untyped): this project's type check has no DOM library.
const storedKey = (page: Page) => page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(KEY_ITEM)})`);
const storeKey = (page: Page, key: string) => page.evaluate(`sessionStorage.setItem(${JSON.stringify(KEY_ITEM)}, ${JSON.stringify(key)})`);

describe('the operators\' console', () => {
  it('signs in with the admin key kept in session storage only, and shows today\'s orders in the chart and the list', async () => {
    const { order, storeId } = await paidOrder(api);
    // WAIT_PAY and PAID of this order, counted into the current hour.
    await consume(fns.stats, 2);

    const { paidAt } = (await getItem('orders', { orderId: order.id })) as { paidAt: string };

    const page = await signedIn();
    // The hours the order was placed and paid in (the same one, unless an hour began in between).
    const hourOf = (iso: string) => page.locator(`.chart g.hour[data-hour="${hourStartOf(iso)}"]`);
    await hourOf(order.createdAt).waitFor();
    expect(Number(await hourOf(order.createdAt).getAttribute('data-created'))).toBeGreaterThanOrEqual(1);
    expect(Number(await hourOf(paidAt).getAttribute('data-paid'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.chart g.hour').count()).toBe(24);
    expect(Number((await page.locator('[data-count="paid-unconfirmed"] strong').innerText()).replace('+', ''))).toBeGreaterThanOrEqual(1);
    // The key is in this tab's session storage and nowhere else: not in the address, not in local storage or cookies.
    expect(await storedKey(page)).toBe(LOCAL_ADMIN_API_KEY);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(await browser.context.cookies()).toEqual([]);
    await screenshot(page, 'dashboard');

    await page.click('a[href="#/orders"]');
    await page.selectOption('select[name="storeId"]', storeId);
    await page.fill('input[name="from"]', chinaDate(order.createdAt));
    await page.fill('input[name="to"]', chinaDate(order.createdAt));
    await page.click('form.filters button[type="submit"]');
    // The filtered list, not the unfiltered one it replaces.
    await page.waitForFunction(() => {
      const { location, document } = globalThis as any;
      return location.hash.includes('storeId=') && document.querySelectorAll('table.orders tbody tr').length === 1;
    });
    const row = page.locator(`tr[data-order="${order.id}"]`);
    expect(await row.locator('.badge').getAttribute('data-status')).toBe('PAID');
    expect(await row.locator('td.num').innerText()).toBe('¥28.00');
    expect(browser.requests.some((url) => url.includes(LOCAL_ADMIN_API_KEY))).toBe(false);
    await screenshot(page, 'orders');
    await page.close();
  });

  it('confirms a paid order, refunds it and follows it to REFUNDED', async () => {
    const { order } = await paidOrder(api);
    const page = await signedIn(`#/orders/${order.id}`);
    await page.click('button:has-text("确认订单")');
    await page.waitForSelector('.page-head .badge[data-status="CONFIRMED"]');
    expect(await getItem('orders', { orderId: order.id })).toMatchObject({ status: 'CONFIRMED' });

    await page.click('button:has-text("退款")');
    await page.fill('input[name="reason"]', '门店缺货');
    await page.click('button:has-text("确认退款")');
    await page.waitForSelector('.page-head .badge[data-status="REFUNDING"]');
    // The executor asks WeChat Pay for the money back; the stand-in's refund notification completes it, and the page,
    // looking again while the order is REFUNDING, shows it.
    await consume(fns.executor, 1);
    await page.waitForSelector('.page-head .badge[data-status="REFUNDED"]', { timeout: 15_000 });
    expect(await page.locator('.timeline li').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).toEqual(['WAIT_PAY', 'PAID', 'CONFIRMED', 'REFUNDING', 'REFUNDED']);
    expect(await page.locator('[data-refund="SUCCESS"]').count()).toBe(1);
    expect((await sandbox().trade(order.id)).refunds).toEqual([expect.objectContaining({ amountFen: order.payableFen, status: 'SUCCESS' })]);
    await screenshot(page, 'order-refunded');
    await page.close();
  });

  it('says why a confirm was refused (409) and shows the order as it now is', async () => {
    const { order } = await paidOrder(api);
    const page = await signedIn(`#/orders/${order.id}`);
    await page.waitForSelector('button:has-text("确认订单")');
    // Another operator confirms it first.
    expect((await api.call('POST', `/admin/orders/${order.id}/confirm`, { headers: admin })).status).toBe(200);

    await page.click('button:has-text("确认订单")');
    const alert = page.locator('.action-error [role="alert"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('只有「已支付」的订单可以确认');
    expect(await alert.innerText()).toContain('ORDER_NOT_CONFIRMABLE');
    await page.waitForSelector('.page-head .badge[data-status="CONFIRMED"]');
    await screenshot(page, 'confirm-refused');
    await page.close();
  });

  it('edits a store, showing the API\'s validation messages, and shoppers see the new name through GET /stores', async () => {
    const { storeId } = await newStore({ latte: { priceFen: 2800, stock: 10 } });
    const page = await signedIn(`#/stores/${storeId}`);
    const name = page.locator('form.editor input[name="name"]');
    await name.fill('   ');
    await page.click('button:has-text("保存门店")');
    const nameError = page.locator('form.editor .field.invalid .field-error');
    await nameError.waitFor();
    expect(await nameError.innerText()).toBe('must contain at least one visible character');

    const newName = `静安寺店-${storeId.slice(-4)}`;
    await name.fill(newName);
    await page.click('button:has-text("保存门店")');
    await page.waitForSelector('form.editor .ok');
    const seen = await waitFor(() => api.call('GET', '/stores'), (answer) => answer.body.items.some((s: { id: string; name: string }) => s.id === storeId && s.name === newName));
    expect(seen.status).toBe(200);

    const latte = page.locator('tr[data-product="latte"]');
    await latte.locator('input[aria-label="价格（元）"]').fill('12.5');
    await latte.locator('button[type="submit"]').click();
    await latte.locator('.ok').waitFor();
    await waitFor(() => api.call('GET', `/stores/${storeId}/products`), (answer) => answer.body.items.some((p: { id: string; priceFen: number }) => p.id === 'latte' && p.priceFen === 1250));
    await screenshot(page, 'store-edited');
    await page.close();
  });

  it('refuses a wrong key, and sends an operator whose key stopped working back to sign-in', async () => {
    const page = await browser.context.newPage();
    await page.goto(consoleUrl);
    await page.fill('input[name="admin-key"]', 'not-the-key');
    await page.click('button[type="submit"]');
    await page.locator('.sign-in [role="alert"]').waitFor();
    expect(await page.locator('.sign-in [role="alert"]').innerText()).toContain('管理密钥不正确');
    expect(await storedKey(page)).toBeNull();
    expect(page.url()).not.toContain('not-the-key');
    await screenshot(page, 'wrong-key');

    await page.fill('input[name="admin-key"]', LOCAL_ADMIN_API_KEY);
    await page.click('button[type="submit"]');
    await page.waitForSelector('.shell nav');
    // The key is rotated while the operator works: the next call is refused and the console asks for the new one.
    await storeKey(page, 'rotated-away');
    await page.click('a[href="#/orders"]');
    await page.locator('.sign-in .notice').waitFor();
    expect(await page.locator('.sign-in .notice').innerText()).toContain('管理密钥已失效');
    expect(await storedKey(page)).toBeNull();
    await page.close();
  });

  it('lists a payment whose amount did not match its order among the anomalies', async () => {
    const { order } = await placeOrder(api, 1990);
    await sandbox().pay(order.id, { amountFen: 1 });
    await waitFor(() => api.call('GET', '/admin/payment-anomalies?limit=100', { headers: admin }), (answer) => answer.body.items.some((a: { outTradeNo: string }) => a.outTradeNo === order.id));

    const page = await signedIn('#/anomalies');
    const row = page.locator(`tr[data-anomaly="${order.id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('金额不符');
    await screenshot(page, 'anomalies');
    await page.close();
  });

  it('loads and calls nothing but this machine on every page', async () => {
    const { order, storeId } = await paidOrder(api);
    const page = await signedIn();
    const pages: Array<[string, string]> = [
      // Filtered to this test's store: the unfiltered first page holds whatever other test files placed last
      // (some place orders in hours ahead), not necessarily this order.
      [`#/orders?storeId=${storeId}`, `tr[data-order="${order.id}"]`],
      [`#/orders/${order.id}`, '.timeline li[data-status="PAID"]'],
      ['#/stores', `tr[data-store="${storeId}"]`],
      [`#/stores/${storeId}`, 'tr[data-product="latte"]'],
      ['#/anomalies', 'table.anomalies'],
      ['#/', '.chart g.hour'],
    ];
    for (const [hash, shown] of pages) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      await page.waitForSelector(shown);
    }
    await screenshot(page, 'every-page');
    const hosts = new Set(browser.requests.map((url) => new URL(url).hostname));
    expect([...hosts]).toEqual(['127.0.0.1']);
    expect(browser.requests.filter((url) => /\/console\/assets\/.+\.(js|css)$/.test(url)).length).toBeGreaterThanOrEqual(2);
    // Anything that tried to reach another origin (another loopback address here) is stopped by the CSP before
    // it is sent (Playwright still reports the attempt as a request, so this comes after the check above).
    const tracker = 'http://127.0.0.2:9/pixel.png';
    const blocked = page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.blockedURI), { once: true });
      document.body.append(Object.assign(document.createElement('img'), { src: ${JSON.stringify(tracker)} }));
    })`);
    expect(await blocked).toBe(tracker);
    expect(browser.pageErrors.splice(0)).toEqual([expect.stringContaining(tracker)]);
    await page.close();
  });
});
