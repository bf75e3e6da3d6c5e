import { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { onTeardown, startTestApp, TestContext } from './support/fixture';

describe('score board page: the selected player’s own rank, live (Chromium, dev mode)', () => {
  let sut: TestContext;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { DEV_TOKENS: 'true', SCORE_RATE_LIMIT: '0' } });
    browser = await launchChromium();
    onTeardown(() => browser.close());
    page = await browser.newPage();
  }, 60_000);

  it('shows the rank of the player picked in the play panel and follows it when somebody overtakes them', async () => {
    const [leader, chaser] = await sut.createUsers(['Leader', 'Chaser']);
    await sut.submit(leader, 100);
    await sut.submit(chaser, 50);
    await page.goto(sut.url);
    await page.locator('#player').selectOption(String(leader));
    await page.locator('#me[data-rank="1"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('#me').textContent()).resolves.toBe('Your rank: 1 · 100 points');

    expect((await sut.submit(chaser, 100)).status).toBe(200); // 150 passes the leader's 100
    await page.locator('#me[data-rank="2"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('#me').textContent()).resolves.toBe('Your rank: 2 · 100 points');
  });
});
