// motcua — browser tests of the statistics pages: the dashboard, the
// periodic report (Form 06) with its drill-down lists, and the overdue /
// due-soon lists (see run.mjs for ctx).
//
// Every figure on a page is compared with the report API's answer at the
// same moment, so the tests hold whatever the seeded demo contains. The
// overdue test makes its own overdue and due-soon dossiers: it receives
// them through the API and then (server stopped) moves their due time into
// the past or the next hour with SQL — there is no clock to move in a
// browser test — and puts the due times back afterwards.

const PCT = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NUM = new Intl.NumberFormat('vi-VN');
const NA = 'Không có số liệu';

function rate(v) {
  return typeof v === 'number' ? `${PCT.format(v)} %` : NA;
}

function digits(s) {
  return Number(String(s).replace(/\D/g, ''));
}

async function loaded(page) {
  await page.waitForSelector('body[data-loaded="true"]');
}

async function get(ctx, path, user = 'manager') {
  const res = await ctx.api('GET', path, undefined, user);
  ctx.expect(res.status === 200, `GET ${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

// Page through a drill-down list to its end; returns the dossier codes.
async function listAll(page, ctx) {
  const codes = [];
  for (;;) {
    await loaded(page);
    const rows = await page.$$eval('#rows tr[data-code]', (els) => els.map((e) => ({
      code: e.dataset.code, no: Number(e.cells[0].textContent),
    })));
    rows.forEach((r, i) => ctx.expect(r.no === codes.length + i + 1, `rows numbered across pages: ${r.no}`));
    codes.push(...rows.map((r) => r.code));
    if (await page.isDisabled('[data-testid=next-page]')) break;
    const next = codes.length + 1;
    await page.click('[data-testid=next-page]');
    await page.waitForFunction((n) => {
      const cell = document.querySelector('#rows tr[data-code] td');
      return document.body.dataset.loaded === 'true' && cell && Number(cell.textContent) === n;
    }, next);
  }
  ctx.expect(new Set(codes).size === codes.length, 'no dossier listed twice');
  const status = await page.getAttribute('[data-testid=list-status]', 'data-total');
  ctx.expect(Number(status) === codes.length, `the page says it listed ${status}, rows: ${codes.length}`);
  return codes;
}

// Click a count link and check its list holds exactly that many dossiers.
async function drill(page, ctx, link) {
  const n = Number(await link.getAttribute('data-count'));
  const label = await link.getAttribute('title');
  await Promise.all([page.waitForURL((u) => u.pathname === '/report/list'), link.click()]);
  const expected = await page.textContent('[data-testid=expected]');
  ctx.expect(digits(expected) === n, `the list repeats the figure: ${expected} vs ${n}`);
  const codes = await listAll(page, ctx);
  ctx.expect(codes.length === n, `${label}: the report says ${n}, the list has ${codes.length}`);
  return codes;
}

export default [
  {
    name: 'the manager dashboard: headline rate, charts, ranking, apology count',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'manager');
      await page.goto(ctx.baseURL + '/dashboard');
      await loaded(page);
      const url = new URL(page.url());
      const from = url.searchParams.get('from');
      const to = url.searchParams.get('to');
      ctx.expect(/^\d{4}-01-01$/.test(from) && to >= from, `the default period is this year: ${from}..${to}`);
      const q = `from=${from}&to=${to}`;
      const [sum, ind, overdue] = await Promise.all([
        get(ctx, `/api/v1/reports/summary?${q}&group_by=agency`),
        get(ctx, `/api/v1/reports/indicators?${q}`),
        get(ctx, '/api/v1/reports/overdue/summary'),
      ]);
      ctx.expect(sum.total.received.total > 0, 'the demo has dossiers this year');

      const headline = (await page.textContent('[data-testid=headline-rate]')).trim();
      ctx.expect(headline === rate(sum.total.on_time_rate), `headline ${headline} = ${rate(sum.total.on_time_rate)}`);
      const sub = await page.textContent('#hl-sub');
      ctx.expect(sub.includes(NUM.format(sum.total.resolved.total)) && sub.includes(NUM.format(sum.total.received.total)),
        `headline counts: ${sub}`);
      const period = await page.textContent('#hl-period');
      ctx.expect(/\d{2}\/\d{2}\/\d{4}.*\d{2}\/\d{2}\/\d{4}/.test(period), `period as dd/mm/yyyy: ${period}`);

      // Charts: drawn by Chart.js on a sized canvas, with a text alternative.
      for (const id of ['c-rate', 'c-volume', 'c-bubble']) {
        const c = await page.evaluate((cid) => {
          const el = document.getElementById(cid);
          const chart = window.Chart && window.Chart.getChart(el);
          return {
            drawn: !!chart, width: el.width, height: el.height, label: el.getAttribute('aria-label') || '',
            points: chart ? chart.data.datasets[0].data.length : 0,
          };
        }, id);
        ctx.expect(c.drawn && c.width > 100 && c.height > 100, `${id} drawn: ${JSON.stringify(c)}`);
        ctx.expect(c.label.length > 20 && c.points > 0, `${id} has data and an aria-label: ${JSON.stringify(c)}`);
      }
      const months = await page.$$eval('#t-trend tbody tr', (els) => els.length);
      const trend = await get(ctx, `/api/v1/reports/trend?${q}`);
      ctx.expect(months === trend.months.length, `trend table: ${months} months, API ${trend.months.length}`);

      // The ranking: the agencies with dossiers, in the API's order.
      const ranked = ind.items.filter((it) => it.received > 0 || it.resolved > 0 || it.overdue_now > 0);
      const rows = await page.$$eval('[data-testid=ranking] tbody tr[data-agency]', (els) => els.map((e) => ({
        agency: e.dataset.agency, rank: Number(e.cells[0].textContent), rate766: e.cells[5].textContent.trim(),
      })));
      ctx.expect(rows.length > 0 && rows.length === ranked.length, `ranking rows: ${rows.length} vs ${ranked.length}`);
      rows.forEach((r, i) => {
        ctx.expect(r.agency === ranked[i].agency && r.rank === ranked[i].rank, `rank ${i + 1}: ${r.agency}`);
        ctx.expect(r.rate766 === rate(ranked[i].on_time_766), `766 rate of ${r.agency}: ${r.rate766}`);
      });

      const missing = await page.getAttribute('[data-testid=apology-missing]', 'data-count');
      ctx.expect(Number(missing) === overdue.apology_missing, `apology missing ${missing} = ${overdue.apology_missing}`);
      ctx.expect((await page.getAttribute('[data-testid=apology-missing]', 'href')).startsWith('/overdue'),
        'the apology count links to the overdue list');

      // Every count is a link to its dossiers: the KPI "late" opens a list
      // of exactly that many.
      const late = page.locator('#kpis li[data-kpi=late] a.count');
      await drill(page, ctx, late);

      // English on the switch: labels and number format follow.
      await page.goto(ctx.baseURL + '/dashboard?' + q);
      await loaded(page);
      await Promise.all([page.waitForEvent('load'), page.click('[data-testid=lang-switch]')]);
      await loaded(page);
      ctx.expect((await page.textContent('#hl-label')).trim() === 'on time', 'English label');
      const en = (await page.textContent('[data-testid=headline-rate]')).trim();
      const enRate = typeof sum.total.on_time_rate === 'number' ? `${sum.total.on_time_rate.toFixed(2)} %` : 'N/A';
      ctx.expect(en === enRate, `English headline ${en} = ${enRate}`);
    },
  },

  {
    name: 'the periodic report: regroup, balance, every count opens exactly its dossiers',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'manager');
      await page.goto(ctx.baseURL + '/report');
      await loaded(page);
      await page.selectOption('[data-testid=group-by]', 'level');
      await page.waitForFunction(() => location.search.includes('group_by=level')
        && document.body.dataset.loaded === 'true' && document.querySelector('#h-group').textContent === 'Cấp');
      const url = new URL(page.url());
      const rep = await get(ctx, `/api/v1/reports/summary?from=${url.searchParams.get('from')}` +
        `&to=${url.searchParams.get('to')}&group_by=level`);

      const keys = await page.$$eval('#rows tr[data-key]', (els) => els.map((e) => e.dataset.key));
      ctx.expect(keys.join() === rep.rows.map((r) => r.key).join(), `rows by level: ${keys}`);
      const fields = {
        received: (r) => r.received.total, new_online: (r) => r.received.new_online,
        new_direct_postal: (r) => r.received.new_direct_postal, carried: (r) => r.received.carried,
        resolved: (r) => r.resolved.total, early: (r) => r.resolved.early, on_time: (r) => r.resolved.on_time,
        late: (r) => r.resolved.late, in_progress: (r) => r.in_progress.total, within: (r) => r.in_progress.within,
        overdue: (r) => r.in_progress.overdue, stopped: (r) => r.stopped, withdrawn: (r) => r.withdrawn,
      };
      for (const r of [...rep.rows, { ...rep.total, key: 'total' }]) {
        for (const [col, f] of Object.entries(fields)) {
          const n = digits(await page.textContent(`#f06 tr[data-key="${r.key}"] td[data-col="${col}"]`));
          ctx.expect(n === f(r), `${r.key}.${col}: page ${n}, API ${f(r)}`);
          if (r.links[col === 'received' ? 'new' : col]) {
            ctx.expect(await page.locator(`#f06 tr[data-key="${r.key}"] td[data-col="${col}"] a.count`).count() === 1,
              `${r.key}.${col} links to its dossiers`);
          }
        }
        const check = await page.textContent(`#f06 tr[data-key="${r.key}"] td.check`);
        ctx.expect(check.includes('✓'), `row ${r.key} balances`);
      }
      ctx.expect(await page.getAttribute('[data-testid=invariant]', 'data-ok') === 'true', 'the report balances');

      // A count of one figure (prefer one that needs two pages) …
      const counts = await page.$$eval('#rows a.count', (els) => els.map((e, i) => ({ i, n: Number(e.dataset.count) })));
      const pick = counts.filter((c) => c.n > 0 && c.n <= 150).sort((a, b) => b.n - a.n)[0];
      ctx.expect(pick, 'the report has a non-zero count');
      await drill(page, ctx, page.locator('#rows a.count').nth(pick.i));

      // … and "received", the union of carried over and newly received.
      await page.goBack();
      await loaded(page);
      const received = page.locator('#f06 tr[data-key]:not([data-key="total"]) td[data-col="received"] a.count');
      const nums = await received.evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
      const j = nums.findIndex((n) => n > 0 && n <= 150);
      ctx.expect(j >= 0, `a row with a modest received count: ${nums}`);
      await drill(page, ctx, received.nth(j));
    },
  },

  {
    name: 'overdue and due-soon lists: days overdue, apology issued or missing, counts per agency',
    async run(ctx) {
      // Three dossiers at one agency: A overdue with an apology, B overdue
      // without, C due within the hour with an apology.
      const made = [];
      for (let i = 0; i < 3; i++) {
        const r = await ctx.api('POST', '/api/v1/dossiers', {
          procedure_code: '1.013988', channel: 'direct',
          applicant: { name: `Kiểm Thử Quá Hạn ${i + 1}`, id_number: `03809000${5550 + i}` },
          documents: [{ name: 'Đơn đề nghị', kind: 'original', count: 1 }],
        }, 'clerk');
        ctx.expect(r.status === 201, `receive: ${r.status} ${JSON.stringify(r.json)}`);
        const t = await ctx.api('POST', `/api/v1/dossiers/${r.json.code}/actions`, { action: 'transfer' }, 'clerk');
        ctx.expect(t.status === 200 && t.json.state === 'in_process', `transfer: ${t.status} ${JSON.stringify(t.json)}`);
        made.push(t.json);
      }
      const [A, B, C] = made;
      const holder = A.current_agency.code;
      for (const d of [A, C]) {
        const later = new Date(Date.parse(d.due_at) + 5 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const e = await ctx.api('POST', `/api/v1/dossiers/${d.code}/actions`, {
          action: 'extend', reason: 'Cần thêm thời gian xác minh', new_appointment: later,
        }, 'manager');
        ctx.expect(e.status === 200, `apology for ${d.code}: ${e.status} ${JSON.stringify(e.json)}`);
      }
      const now = Math.floor(Date.now() / 1000);
      const due = {};
      for (const d of made) due[d.code] = Math.floor(Date.parse(d.due_at) / 1000);
      const sql = (code, t) => `UPDATE dossier SET due_at = ${t} WHERE code = '${code}';`;
      await ctx.server.stop();
      ctx.sqlite(sql(A.code, now - 2 * 86400 - 600) + sql(B.code, now - 2 * 86400 - 300) + sql(C.code, now + 3600));
      await ctx.server.start();
      try {
        const page = await ctx.newPage();
        await ctx.login(page, 'manager');
        const sum = await get(ctx, '/api/v1/reports/overdue/summary');
        ctx.expect(sum.apology_missing >= 1 && sum.overdue >= 2 && sum.due_soon >= 1, `summary: ${JSON.stringify(sum)}`);

        // The dashboard shows the missing apologies and leads to the list.
        await page.goto(ctx.baseURL + '/dashboard');
        await loaded(page);
        const count = page.locator('[data-testid=apology-missing]');
        ctx.expect(Number(await count.getAttribute('data-count')) === sum.apology_missing, 'dashboard apology count');
        ctx.expect(await page.locator('#apology.alert').count() === 1, 'the apology card stands out');
        await Promise.all([page.waitForURL((u) => u.pathname === '/overdue'), count.click()]);
        await loaded(page);
        const s = page.locator('[data-testid=overdue-summary]');
        ctx.expect(Number(await s.getAttribute('data-overdue')) === sum.overdue
          && Number(await s.getAttribute('data-apology-missing')) === sum.apology_missing
          && Number(await s.getAttribute('data-due-soon')) === sum.due_soon, 'totals as the API');
        const side = page.locator(`[data-testid=overdue-by-agency] li[data-agency="${holder}"]`);
        const mine = sum.items.find((a) => a.agency === holder);
        ctx.expect(digits(await side.locator('[data-col=overdue]').textContent()) === mine.overdue
          && digits(await side.locator('[data-col=apology_missing]').textContent()) === mine.apology_missing
          && digits(await side.locator('[data-col=due_soon]').textContent()) === mine.due_soon,
        `side panel counts for ${holder}`);

        // Narrow to the holder: the page lists what the API lists, in order.
        await page.selectOption('[data-testid=agency-filter]', holder);
        await page.waitForFunction((a) => location.search.includes('agency=' + a)
          && document.body.dataset.loaded === 'true', holder);
        const api = await get(ctx, `/api/v1/reports/overdue?kind=overdue&agency=${holder}&limit=50`);
        const rows = await page.$$eval('[data-testid=overdue-list] tbody tr[data-code]', (els) => els.map((e) => ({
          code: e.dataset.code, missing: e.classList.contains('apology-missing'),
          apology: e.querySelector('[data-apology]').dataset.apology, text: e.textContent,
        })));
        ctx.expect(rows.map((r) => r.code).join() === api.items.map((d) => d.code).join(),
          `overdue rows as the API: ${rows.length} vs ${api.items.length}`);
        rows.forEach((r, i) => {
          const d = api.items[i];
          ctx.expect(r.apology === (d.apology_issued ? 'issued' : 'missing') && r.missing === !d.apology_issued,
            `${r.code}: apology ${r.apology}, highlighted ${r.missing}`);
          ctx.expect(r.text.includes(`${NUM.format(d.days_overdue)} ngày`), `${r.code}: days overdue shown`);
        });
        const a = rows.find((r) => r.code === A.code);
        const b = rows.find((r) => r.code === B.code);
        ctx.expect(a && a.apology === 'issued' && !a.missing && /Đã xin lỗi \d{2}\/\d{2}\/\d{4}/.test(a.text),
          'A: apology issued, with its date');
        ctx.expect(b && b.apology === 'missing' && b.missing && b.text.includes('Chưa xin lỗi'), 'B: apology missing, highlighted');
        ctx.expect(b.text.includes('2 ngày') && b.text.includes('Sở Nông nghiệp và Môi trường')
          && b.text.includes('chưa phân công'), 'B: 2 days overdue, who holds it');

        // Due soon: C with its apology, not highlighted.
        await page.click('[data-testid=tab-due-soon]');
        await page.waitForFunction(() => location.search.includes('kind=due_soon') && document.body.dataset.loaded === 'true');
        const soonApi = await get(ctx, `/api/v1/reports/overdue?kind=due_soon&agency=${holder}&limit=50`);
        const soon = await page.$$eval('[data-testid=overdue-list] tbody tr[data-code]', (els) => els.map((e) => ({
          code: e.dataset.code, missing: e.classList.contains('apology-missing'),
          apology: e.querySelector('[data-apology]').dataset.apology,
        })));
        ctx.expect(soon.map((r) => r.code).join() === soonApi.items.map((d) => d.code).join(), 'due-soon rows as the API');
        const c = soon.find((r) => r.code === C.code);
        ctx.expect(c && c.apology === 'issued' && !c.missing, 'C: due soon, apology issued');
        ctx.expect(soon.every((r) => !r.missing && r.apology !== 'missing'), 'nothing due soon is flagged missing');
        ctx.expect(await page.getAttribute('[data-testid=tab-due-soon]', 'aria-selected') === 'true', 'tab selected');
      } finally {
        await ctx.server.stop();
        ctx.sqlite(made.map((d) => sql(d.code, due[d.code])).join(''));
        await ctx.server.start();
      }
    },
  },
];
