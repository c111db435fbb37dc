// motcua — browser tests of the export page (static/export.html): an
// auditor downloads the register as XLSX and the history as JSON Lines
// with the progress bar reaching the end, the personal-data switch only
// shows for accounts that may use it, and the page speaks English on the
// switch (see run.mjs for ctx).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

async function ready(page) {
  await page.waitForSelector('#main:not([hidden])');
  await page.waitForFunction(() => document.getElementById('summary').textContent.trim() !== '');
}

async function exportOnce(page, ctx) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60000 }),
    page.click('[data-testid=export-go]'),
  ]);
  await page.waitForSelector('[data-testid=export-done]:not([hidden])');
  const value = await page.getAttribute('[data-testid=export-progress]', 'value');
  ctx.expect(Number(value) === 1000, `progress at the end: ${value}`);
  return download;
}

export default [
  {
    name: 'an auditor exports the register of this year as XLSX',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'auditor');
      await page.goto(ctx.baseURL + '/export');
      await ready(page);
      await page.selectOption('#preset', 'this_year');
      await page.waitForFunction(() => /\d/.test(document.getElementById('summary').textContent));
      ctx.expect(await page.isVisible('#pii-box'), 'the personal-data switch is offered to auditor');
      await page.check('#pii');
      await page.selectOption('#format', 'xlsx');
      const download = await exportOnce(page, ctx);
      const name = download.suggestedFilename();
      ctx.expect(/^motcua-dossiers-\d{4}-01-01_\d{4}-\d{2}-\d{2}\.xlsx$/.test(name), `file name ${name}`);
      const bytes = readFileSync(await download.path());
      ctx.expect(bytes.subarray(0, 4).toString('latin1') === 'PK\x03\x04', 'an XLSX (zip) file');
      const done = await page.textContent('[data-testid=export-done]');
      ctx.expect(/sự kiện số \d+/.test(done), `the record is named: ${done}`);
    },
  },
  {
    name: 'the history downloads as JSON Lines and its head is shown',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'auditor');
      await page.goto(ctx.baseURL + '/export');
      await ready(page);
      await page.check('input[name=kind][value=events]');
      await page.selectOption('#preset', 'all');
      await page.waitForFunction(() => /sự kiện/.test(document.getElementById('summary').textContent));
      ctx.expect(!(await page.isVisible('#pii-box')), 'no personal-data switch for the history');
      const download = await exportOnce(page, ctx);
      const text = readFileSync(await download.path(), 'utf8');
      const lines = text.trimEnd().split('\n');
      const trailer = JSON.parse(lines[lines.length - 1]);
      ctx.expect(trailer.export === 'motcua-events-v1' && trailer.rows === lines.length - 1,
        `trailer ${lines[lines.length - 1]}`);
      await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.querySelector('[data-testid=head-hash]').textContent));
      const cmd = await page.textContent('#head-cmd');
      const m = /^motcua audit verify (motcua-events-\d+-\d+\.jsonl) --head ([0-9a-f]{64})$/.exec(cmd);
      ctx.expect(m && m[1] === download.suggestedFilename(), `command ${cmd}`);
      // The command shown works on the file just downloaded.
      const out = execFileSync(process.env.MOTCUA_BIN, ['audit', 'verify', await download.path(), '--head', m[2]],
        { encoding: 'utf8' });
      ctx.expect(/OK: .* chain intact/.test(out) && out.includes('found at seq'), out);
    },
  },
  {
    name: 'an auditor without the right gets masked data only',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'auditor.readonly');
      await page.goto(ctx.baseURL + '/export');
      await ready(page);
      ctx.expect(!(await page.isVisible('#pii-box')), 'no personal-data switch');
      ctx.expect(await page.isVisible('#pii-none'), 'the reason is shown');
    },
  },
  {
    name: 'a manager exports only their agency, in English',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'manager.hacthanh');
      await page.goto(ctx.baseURL + '/export');
      await ready(page);
      ctx.expect(!(await page.isVisible('#kind-events-label')), 'no history export for managers');
      const options = await page.$$eval('#agency option', (os) => os.map((o) => o.value));
      ctx.expect(options.length >= 1 && !options.includes('') && options.includes('000.00.51.H56'),
        `agencies offered: ${options.join(' ')}`);
      await page.click('[data-testid=lang-switch]');
      await page.waitForSelector('#main:not([hidden])');
      const title = await page.textContent('h1');
      ctx.expect(title === 'Exports for inspectors and auditors', `title ${title}`);
      await page.click('[data-testid=lang-switch]');
    },
  },
];
