import { Browser, Page } from 'playwright-core';
import { createBoard, resetBoard, submitToBoard } from './support/boards';
import { artifactPath, launchChromium } from './support/browser';
import { onTeardown, startTestApp, TestContext } from './support/fixture';
import { DEMO_USERS } from '../src/seed/demo-users';

/** The players the page shows: the embedded mode's demo players. */
const PLAYERS = DEMO_USERS;

describe('score board page (Chromium)', () => {
  let sut: TestContext;
  let browser: Browser;
  let page: Page;
  const ids = new Map<string, number>();
  const cspViolations: string[] = [];

  const score = (id: number, points: number) => sut.submit(id, points);
  const rowNames = () => page.locator('#board tbody tr td.name').allTextContents();

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { DEV_TOKENS: 'true', SCORE_RATE_LIMIT: '0', SCORE_MAX_INCREMENT: '5000' } });
    for (const [name, points] of PLAYERS) {
      const id = await sut.createUser(name);
      ids.set(name, id);
      await score(id, points);
    }
    browser = await launchChromium();
    onTeardown(() => browser.close());
    page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    page.on('console', (message) => message.text().includes('Content Security Policy') && cspViolations.push(message.text()));
    await page.goto(sut.url);
  }, 60_000);

  it('shows the live top 10 with the snapshot version, over the socket', async () => {
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await expect(rowNames()).resolves.toEqual(PLAYERS.slice(0, 10).map(([name]) => name));
    await expect(page.locator('#snapshot').textContent()).resolves.toMatch(/^Version \d+ · updated /);
    await expect(page.getByRole('table').locator('caption').textContent()).resolves.toBe('Top 10 players');
    expect(cspViolations).toEqual([]);
  });

  it('moves a player up within 2 s of a submission, without a reload, and marks the move', async () => {
    const started = Date.now();
    expect((await score(ids.get('Radia')!, 1000)).status).toBe(200); // 40 → 1040: into the top 10, third
    await page.locator('#board tbody tr:nth-child(3) td.name', { hasText: /^Radia$/ }).waitFor({ timeout: 2000 });
    const elapsed = Date.now() - started;
    const row = page.locator('#board tbody tr').nth(2);
    await expect(row.getAttribute('class')).resolves.toBe('changed');
    await expect(row.locator('.move').textContent()).resolves.toBe('★');
    await expect(page.locator('#board tbody tr').nth(3).locator('.move.down').textContent()).resolves.toBe('▼1');
    await expect(rowNames()).resolves.not.toContain('Frances');
    expect(elapsed).toBeLessThan(2000);
    await page.screenshot({ path: artifactPath('board.png'), fullPage: true });
  });

  it('play panel: picks a player, completes an action and shows the new total and rank', async () => {
    await page.locator('#play').waitFor({ state: 'visible' });
    await page.selectOption('#player', String(ids.get('Ken')));
    await page.fill('#points', '1000');
    await page.click('#complete');
    await page.locator('#result', { hasText: 'now has' }).waitFor({ timeout: 5000 });
    await expect(page.locator('#result').textContent()).resolves.toBe('Ken now has 1,300 points, rank 1');
    expect((await sut.request('GET', `/api/users/${ids.get('Ken')}`)).body).toMatchObject({ score: 1300, rank: 1 });
    await page.locator('#board tbody tr:first-child td.name', { hasText: /^Ken$/ }).waitFor({ timeout: 2000 });
  });

  it('play panel: creates a player from the keyboard and scores for them', async () => {
    await page.focus('#new-name');
    await page.keyboard.type('Hedy');
    await page.keyboard.press('Enter');
    await page.locator('#result', { hasText: /^Created Hedy/ }).waitFor({ timeout: 5000 });
    await page.fill('#points', '25');
    await page.focus('#complete');
    await page.keyboard.press('Enter');
    await page.locator('#result', { hasText: /^Hedy now has 25 points, rank \d+$/ }).waitFor({ timeout: 5000 });
    await page.setViewportSize({ width: 375, height: 900 });
    await page.screenshot({ path: artifactPath('board-phone.png'), fullPage: true });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('switches boards: the board, its period and end, the previous period’s final top 10, live pushes and a new period', async () => {
    const player = (name: string) => ids.get(name)!;
    await createBoard(sut, { key: 'sprint', name: 'Sprint', operator: 'best', reset: 'weekly', timezone: 'Europe/Paris' });
    await submitToBoard(sut, 'sprint', { userId: player('Ada'), score: 30 });
    await submitToBoard(sut, 'sprint', { userId: player('Linus'), score: 20 });
    expect((await resetBoard(sut, 'sprint')).body).toEqual({ closed: 1, period: 2 });
    await submitToBoard(sut, 'sprint', { userId: player('Grace'), score: 5 });
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.reload(); // the switcher lists the boards that exist when the page loads
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.selectOption('#board-select', 'sprint');
    await page.locator('#board tbody tr:first-child td.name', { hasText: /^Grace$/ }).waitFor({ timeout: 5000 });
    await expect(rowNames()).resolves.toEqual(['Grace']);
    await page.locator('#period', { hasText: /^Period 2 · ends \S/ }).waitFor({ timeout: 5000 });
    await page.locator('#previous-caption', { hasText: /^Final top 10 of period 1$/ }).waitFor({ timeout: 5000 });
    await expect(page.locator('#previous-board tbody td.name').allTextContents()).resolves.toEqual(['Ada', 'Linus']);
    expect(page.url()).toMatch(/#board=sprint$/);

    expect((await submitToBoard(sut, 'sprint', { userId: player('Ken'), score: 50 })).status).toBe(200); // pushed to room leaderboard:sprint
    await page.locator('#board tbody tr:first-child td.name', { hasText: /^Ken$/ }).waitFor({ timeout: 2000 });
    await expect(rowNames()).resolves.toEqual(['Ken', 'Grace']);

    expect((await resetBoard(sut, 'sprint')).body).toEqual({ closed: 2, period: 3 });
    await page.locator('#period', { hasText: /^Period 3 · / }).waitFor({ timeout: 5000 });
    await page.locator('#board tbody tr.empty').waitFor({ timeout: 2000 });
    await page.locator('#previous-caption', { hasText: /^Final top 10 of period 2$/ }).waitFor({ timeout: 5000 });
    await expect(page.locator('#previous-board tbody td.name').allTextContents()).resolves.toEqual(['Ken', 'Grace']);
    await page.screenshot({ path: artifactPath('board-sprint.png'), fullPage: true });
  });

  it('ignores a snapshot whose version is lower than the one it shows', async () => {
    const shown = Number(/^Version (\d+)/.exec((await page.locator('#snapshot').textContent())!)![1]);
    const fake = (version: number, name: string) =>
      page.evaluate(
        ({ version, name }) =>
          (globalThis as any).Scoreboard.render({
            board: 'sprint',
            period: 3,
            version,
            hash: name,
            updatedAt: new Date().toISOString(),
            data: [{ id: 1, rank: 1, name, score: 1 }],
          }),
        { version, name },
      );
    await fake(shown - 1, 'Stale');
    await expect(rowNames()).resolves.toEqual([]);
    await fake(shown + 1, 'Fresh'); // the control: a newer one is shown
    await expect(rowNames()).resolves.toEqual(['Fresh']);
  });

  it('play panel: submits to the board chosen in the switcher, within its limits, and to global again once global is chosen', async () => {
    const ada = ids.get('Ada')!;
    const globalScore = async () => (await sut.db.query<{ score: string }>('SELECT score FROM users WHERE id = $1', [ada]))[0].score;
    const coins = () => sut.db.query(`SELECT user_id::int, points, action_id FROM score_events WHERE board = 'coins'`);
    await createBoard(sut, { key: 'coins', name: 'Coins', maxIncrement: 50 });
    await page.reload(); // the switcher lists the boards that exist when the page loads
    await page.locator('#status[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.selectOption('#board-select', 'coins');
    await page.locator('#points[max="50"]').waitFor({ timeout: 5000 });
    const before = await globalScore();
    await page.selectOption('#player', String(ada));
    await page.fill('#points', '40');
    await page.click('#complete');
    await page.locator('#result', { hasText: 'now has' }).waitFor({ timeout: 5000 });
    await expect(page.locator('#result').textContent()).resolves.toBe('Ada now has 40 points on Coins, rank 1');
    expect(await sut.db.query(`SELECT user_id::int, score FROM board_scores WHERE board = 'coins'`)).toEqual([
      { user_id: ada, score: '40' },
    ]);
    expect(await coins()).toEqual([{ user_id: ada, points: '40', action_id: expect.stringMatching(/^web-/) }]);
    expect(await globalScore()).toBe(before);
    await page.locator('#board tbody tr:first-child td.name', { hasText: /^Ada$/ }).waitFor({ timeout: 2000 });

    await page.selectOption('#board-select', 'global');
    await page.locator('#points[max="5000"]').waitFor({ timeout: 5000 });
    await page.fill('#points', '5');
    await page.click('#complete');
    await page.locator('#result', { hasText: /^Ada now has [\d,]+ points, rank \d+$/ }).waitFor({ timeout: 5000 });
    expect(Number(await globalScore())).toBe(Number(before) + 5);
    expect(await coins()).toHaveLength(1);
  });
});

describe('score board page without dev tokens (Chromium)', () => {
  let sut: TestContext;
  let browser: Browser;

  beforeAll(async () => {
    sut = await startTestApp({ env: { DEV_TOKENS: 'false' } });
    browser = await launchChromium();
    onTeardown(() => browser.close());
  }, 60_000);

  it('has no token for the socket, so it polls GET /api/leaderboard and hides the play panel', async () => {
    const polly = await sut.createUser('Polly');
    const page = await browser.newPage();
    await page.goto(sut.url);
    await page.locator('#status[data-state="polling"]').waitFor({ timeout: 5000 });
    await expect(page.locator('#play').isHidden()).resolves.toBe(true);
    await sut.submit(polly, 7);
    // The next poll (every 3 s) picks the change up
    await page.locator('#board tbody tr:first-child td.num', { hasText: /^7$/ }).waitFor({ timeout: 4500 });
    await expect(page.locator('#status').textContent()).resolves.toBe('Polling every 3 s');
  });
});
