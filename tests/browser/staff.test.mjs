// motcua — browser tests of the staff web app (see run.mjs for ctx).
//
// Each test makes its own dossiers, so the order does not matter, except
// that the calendar test puts back the day it changes.

const DT = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;

// "2026-11-20T10:00:00+07:00" → ["20/11/2026", "10:00"] (the office is at
// +07:00 and the API answers in the office's offset).
function localParts(iso) {
  const [date, time] = iso.split('T');
  const [y, m, d] = date.split('-');
  return [`${d}/${m}/${y}`, time.slice(0, 5)];
}

async function receiveByApi(ctx, clerk, procedure) {
  const res = await ctx.api('POST', '/api/v1/dossiers', {
    procedure_code: procedure, channel: 'direct',
    applicant: { name: 'Phạm Văn Thử', id_number: '038090009999', phone: '0912000111' },
    documents: [{ name: 'Đơn đăng ký', kind: 'original', count: 1 }],
  }, clerk);
  ctx.expect(res.status === 201, `receive: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

// Open the dossier page and take one action through its form.
async function act(page, ctx, code, action, fill) {
  await page.goto(`${ctx.baseURL}/staff/dossier?code=${encodeURIComponent(code)}`);
  await page.click(`#action-buttons button[data-action="${action}"]`);
  await page.waitForSelector('#action-form:not([hidden])');
  if (fill) await fill(page);
  await page.click('#action-submit');
  await page.waitForSelector('#flash:not([hidden])');
}

export default [
  {
    name: 'a clerk receives a dossier from the keyboard and prints Form 01',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'clerk');
      ctx.expect(new URL(page.url()).pathname === '/staff/counter', 'a clerk starts at the counter');
      const who = await page.textContent('[data-testid=who]');
      ctx.expect(who.includes('Nguyễn Thị Lan') && who.includes('Công chức một cửa')
        && who.includes('Trung tâm Phục vụ hành chính công'), `header shows name, role and agency: ${who}`);
      const started = Date.now();

      // Find the procedure as you type; ↓ and Enter take it.
      await page.focus('#proc-q');
      await page.keyboard.type('biến động', { delay: 20 });
      await page.waitForSelector('#proc-list [role=option][data-code="1.013831"]');
      const options = await page.$$eval('#proc-list [role=option]', (els) => els.map((e) => e.dataset.code));
      for (let i = 0; i < options.indexOf('1.013831'); i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#docs tr');
      ctx.expect(await page.evaluate(() => document.activeElement.id) === 'a-name', 'focus moves to the applicant');
      const preview = await page.textContent('[data-testid=preview-due]');
      ctx.expect(DT.test(preview), `appointment preview shown as dd/mm/yyyy hh:mm: ${preview}`);

      // Validation as you go: a wrong ID and phone are flagged next to the field.
      await page.keyboard.type('Lê Thị Kiểm Thử');
      await page.keyboard.press('Tab');
      await page.keyboard.type('12345');
      await page.keyboard.press('Tab');
      const idError = await page.textContent('#a-id-error');
      ctx.expect(idError.includes('12 số'), `ID error shown: ${idError}`);
      ctx.expect(await page.getAttribute('#a-id', 'aria-invalid') === 'true', 'ID marked invalid');
      await page.keyboard.type('0912 34');
      await page.keyboard.press('Tab');
      ctx.expect((await page.textContent('#a-phone-error')).includes('Số điện thoại'), 'phone error shown');
      await page.fill('#a-id', '038190001122');
      await page.fill('#a-phone', '0912 345 678');
      await page.focus('#a-phone');
      await page.keyboard.press('Tab');
      ctx.expect((await page.textContent('#a-id-error')) === '' && (await page.textContent('#a-phone-error')) === '',
        'errors clear once fixed');
      await page.keyboard.type('nguoinop@example.vn');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Số 1 Lê Lợi, phường Hạc Thành');
      const rows = await page.$$('#docs tr');
      ctx.expect(rows.length >= 2, 'the checklist is pre-filled from the procedure');
      // One document was not handed in.
      await page.uncheck('#docs tr:last-child .doc-received');

      // Ctrl+Enter receives; the code and appointment appear at once.
      await page.keyboard.press('Control+Enter');
      await page.waitForSelector('[data-testid=intake-done]:not([hidden])');
      const code = (await page.textContent('[data-testid=done-code]')).trim();
      const due = (await page.textContent('[data-testid=done-due]')).trim();
      ctx.expect(/^000\.01\.01\.H56-\d{6}-\d{4}$/.test(code), `dossier code: ${code}`);
      ctx.expect(DT.test(due), `appointment: ${due}`);
      ctx.expect(Date.now() - started < 60000, 'intake took under a minute');
      const saved = (await ctx.api('GET', `/api/v1/dossiers/${code}`, undefined, 'clerk')).json;
      ctx.expect(saved.applicant.phone === '0912345678', `phone stored without spaces: ${saved.applicant.phone}`);
      ctx.expect(saved.documents.length === rows.length - 1, 'the unticked document was left out');
      ctx.expect(localParts(saved.appointment_at).join(' ') === due, `slip due ${due} = stored ${saved.appointment_at}`);

      // One key press on the focused print button opens Form 01.
      ctx.expect(await page.evaluate(() => document.activeElement.id) === 'print-01', 'focus is on print');
      const [slip] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
      await slip.waitForLoadState();
      ctx.expect(new URL(slip.url()).pathname === `/forms/${code}/01`, `Form 01 opened: ${slip.url()}`);
      const text = await slip.textContent('body');
      const [date, time] = localParts(saved.appointment_at);
      ctx.expect(text.includes(code), 'the slip shows the dossier code');
      // Form 01 may write the time as "17:00" or, as the printed form does, "17 giờ 00 phút".
      const [hh, mm] = time.split(':');
      const timeShown = text.includes(time) || new RegExp(`${hh}\\s*giờ\\s*${mm}`).test(text);
      ctx.expect(text.includes(date) && timeShown, `the slip shows the appointment ${date} ${time}`);
    },
  },

  {
    name: 'officers transfer a dossier along the chain and resolve it',
    async run(ctx) {
      const d = await receiveByApi(ctx, 'clerk', '1.013831');
      const page = await ctx.newPage();

      // The clerk sends it to the first agency, naming its officer.
      await ctx.login(page, 'clerk');
      await act(page, ctx, d.code, 'transfer', async (p) => {
        await p.waitForSelector('#act-assignee option[value="officer"]', { state: 'attached' });
        await p.selectOption('#act-assignee', 'officer');
      });
      ctx.expect((await page.textContent('[data-testid=dossier-state]')).includes('Đang xử lý'), 'in process');

      // The officer finds it in their own list.
      await ctx.login(page, 'officer');
      await page.goto(`${ctx.baseURL}/staff/?view=mine`);
      await page.waitForSelector(`#rows tr[data-code="${d.code}"]`);
      await page.click(`#rows tr[data-code="${d.code}"] a.code`);
      await page.waitForSelector('#action-buttons button[data-action="transfer"]');
      const chain = await page.textContent('[data-testid=chain]');
      ctx.expect(chain.includes('Sở Nông nghiệp') && chain.includes('Thuế'), 'the chain lists its agencies');
      // Appraised: on to the tax office.
      await act(page, ctx, d.code, 'transfer', async (p) => {
        await p.waitForSelector('#act-assignee option[value="officer.thue"]', { state: 'attached' });
        await p.selectOption('#act-assignee', 'officer.thue');
        await p.fill('#act-note', 'Đã thẩm định, chuyển xác định nghĩa vụ tài chính');
      });

      await ctx.login(page, 'officer.thue');
      await act(page, ctx, d.code, 'transfer', async (p) => {
        await p.waitForSelector('#act-assignee option[value="officer"]', { state: 'attached' });
        await p.selectOption('#act-assignee', 'officer');
      });

      // Back at the department: the last step resolves it.
      await ctx.login(page, 'officer');
      await page.goto(`${ctx.baseURL}/staff/dossier?code=${d.code}`);
      await page.click('#action-buttons button[data-action="resolve"]');
      await page.click('#action-submit');	// without the result: refused beside the field
      await page.waitForSelector('#act-result[aria-invalid="true"]');
      await page.fill('#act-result', 'Đã cập nhật biến động, cấp Giấy chứng nhận');
      await page.click('#action-submit');
      await page.waitForSelector('#flash:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=dossier-state]')).includes('Đã có kết quả'), 'resolved');
      const steps = await page.$$eval('[data-testid=chain] li', (els) => els.map((e) => e.className));
      ctx.expect(steps.length === 3 && steps.every((c) => c.includes('step-done')), `every step done: ${steps}`);
      const events = await page.$$eval('[data-testid=timeline] li', (els) => els.map((e) => e.dataset.action));
      ctx.expect(JSON.stringify(events) === JSON.stringify(['receive', 'transfer', 'transfer', 'transfer', 'resolve']),
        `history: ${events}`);
      ctx.expect((await page.textContent('[data-testid=timeline]')).includes('Đã thẩm định'), 'notes are in the history');
      ctx.expect(await page.$('#action-buttons button[data-action]') === null, 'nothing left for the officer');
    },
  },

  {
    name: 'a manager sees an overdue dossier, with its apology missing, then issues it',
    async run(ctx) {
      const d = await receiveByApi(ctx, 'clerk', '1.013831');
      const t = await ctx.api('POST', `/api/v1/dossiers/${d.code}/actions`, { action: 'transfer', assignee: 'officer' }, 'clerk');
      ctx.expect(t.status === 200, `transfer: ${t.status}`);
      // Forty days pass: the dossier was received (and due) 40 days earlier.
      const s = 40 * 86400;
      await ctx.server.stop();
      ctx.sqlite(`UPDATE dossier SET received_at = received_at - ${s}, clock_start_at = clock_start_at - ${s},
        due_at = due_at - ${s}, appointment_at = appointment_at - ${s}, first_due_at = first_due_at - ${s}
        WHERE code = '${d.code}';
        UPDATE dossier_step SET started_at = started_at - ${s}, due_at = due_at - ${s}
        WHERE started_at IS NOT NULL AND dossier_id = (SELECT id FROM dossier WHERE code = '${d.code}');`);
      await ctx.server.start();

      const page = await ctx.newPage();
      await ctx.login(page, 'manager.nnmt');
      ctx.expect(new URL(page.url()).pathname === '/overdue', 'a manager starts at the overdue list');
      const row = `[data-testid=overdue-list] tr[data-code="${d.code}"]`;
      await page.waitForSelector(row);
      const late = await page.textContent(`${row} td.late`);
      const days = Number(late.match(/\d+/)[0]);
      ctx.expect(days >= 10 && days <= 40, `days overdue: ${late}`);
      ctx.expect(await page.$(`${row} [data-apology=missing]`) !== null, 'apology missing');
      ctx.expect((await page.textContent(row)).includes('officer'), 'who holds it');
      const side = await page.$('a[href*="agency=000.00.21.H56"]');
      ctx.expect(side !== null, 'the holding agency is in the per-agency panel');
      const total = Number(await page.getAttribute('[data-testid=overdue-summary]', 'data-overdue'));
      ctx.expect(total >= 1, `the total counts it: ${total}`);

      // The manager apologises and sets a new appointment (Form 04).
      await page.click(`${row} a.code`);
      await page.waitForSelector('#action-buttons button[data-action="extend"]');
      const ahead = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
      await act(page, ctx, d.code, 'extend', async (p) => {
        await p.fill('#act-reason', 'Cần xác minh thêm thông tin thửa đất');
        await p.fill('#act-date', ahead);
      });
      ctx.expect(await page.$('#forms a[data-form="04"]') !== null, 'Form 04 can now be printed');
      await page.goto(`${ctx.baseURL}/overdue`);
      await page.waitForSelector(row);
      ctx.expect(await page.$(`${row} [data-apology=issued]`) !== null, 'apology now issued');
    },
  },

  {
    name: 'an admin marks a holiday and the appointment preview moves',
    async run(ctx) {
      const procedure = '1.013831';
      const before = (await ctx.api('GET', `/api/v1/deadline?procedure=${procedure}&channel=direct`, undefined, 'clerk')).json;
      const dueDay = before.due_at.slice(0, 10);
      const page = await ctx.newPage();
      await ctx.login(page, 'admin');
      await page.goto(`${ctx.baseURL}/staff/calendar?year=${dueDay.slice(0, 4)}`);
      await page.fill('#pv-proc', procedure);
      await page.press('#pv-proc', 'Enter');
      const shown = await (await page.waitForSelector('[data-testid=cal-preview-due]')).textContent();
      ctx.expect(shown === localParts(before.due_at).join(' '), `preview ${shown} = ${before.due_at}`);

      // One click on the due day makes it a holiday: the appointment moves on.
      const day = `.day[data-date="${dueDay}"]`;
      ctx.expect((await page.getAttribute(day, 'class')).includes('work'), 'the due day is a working day');
      await page.click(day);
      await page.waitForSelector(`${day}.holiday`);
      await page.waitForFunction((old) => {
        const el = document.querySelector('[data-testid=cal-preview-due]');
        return el && el.textContent !== old;
      }, shown);
      const moved = await page.textContent('[data-testid=cal-preview-due]');
      const after = (await ctx.api('GET', `/api/v1/deadline?procedure=${procedure}&channel=direct`, undefined, 'clerk')).json;
      ctx.expect(after.due_at > before.due_at, `the due time moved later: ${before.due_at} → ${after.due_at}`);
      ctx.expect(moved === localParts(after.due_at).join(' '), `preview shows the new appointment ${moved}`);

      // The clerk's counter preview moves too.
      await ctx.login(page, 'clerk');
      await page.fill('#proc-q', procedure);
      await page.waitForSelector(`#proc-list [data-code="${procedure}"]`);
      await page.keyboard.press('Enter');
      const counter = await (await page.waitForSelector('[data-testid=preview-due]')).textContent();
      ctx.expect(counter === moved, `counter preview ${counter} = ${moved}`);

      // Click again to undo: back to the weekday rule and the first date.
      await ctx.login(page, 'admin');
      await page.goto(`${ctx.baseURL}/staff/calendar?year=${dueDay.slice(0, 4)}`);
      await page.click(day);
      await page.waitForSelector(`${day}.work`);
      const back = (await ctx.api('GET', `/api/v1/deadline?procedure=${procedure}&channel=direct`, undefined, 'clerk')).json;
      ctx.expect(back.due_at.slice(0, 10) === dueDay, `undone: ${back.due_at}`);
    },
  },

  {
    name: 'an admin adds an account, the new clerk logs in, and a disabled one cannot',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'admin');
      ctx.expect(new URL(page.url()).pathname === '/staff/users', 'an admin starts at the accounts');
      await page.click('#show-add');
      await page.fill('#u-username', 'Sai Ten');
      await page.fill('#u-name', 'Đoàn Thị Mới');
      await page.selectOption('#u-role', 'clerk');
      await page.selectOption('#u-agency', '000.00.51.H56');
      await page.fill('#u-password', 'mật khẩu đủ dài');
      await page.click('#add-form button[type=submit]');
      await page.waitForSelector('#u-username[aria-invalid="true"]');
      ctx.expect((await page.textContent('#u-username-error')).length > 0, 'a bad username is flagged beside the field');
      await page.fill('#u-username', 'doan.moi');
      await page.click('#add-form button[type=submit]');
      await page.waitForSelector('tr[data-username="doan.moi"]');

      const other = await ctx.newPage();
      await ctx.login(other, 'doan.moi', 'mật khẩu đủ dài');
      ctx.expect((await other.textContent('[data-testid=who]')).includes('Đoàn Thị Mới'), 'the new clerk is logged in');

      await ctx.login(page, 'admin');
      page.once('dialog', (dlg) => dlg.accept());
      await page.click('tr[data-username="doan.moi"] button[data-act="disable"]');
      await page.waitForSelector('tr[data-username="doan.moi"] button[data-act="enable"]');
      const res = await fetch(`${ctx.baseURL}/api/v1/session`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'doan.moi', password: 'mật khẩu đủ dài' }),
      });
      ctx.expect(res.status === 401, `a disabled account cannot log in: ${res.status}`);
    },
  },

  {
    name: 'an admin changes a procedure limit and chain',
    async run(ctx) {
      const page = await ctx.newPage();
      await ctx.login(page, 'admin');
      await page.goto(`${ctx.baseURL}/staff/procedures`);
      await page.fill('#q', '1.000419');
      await page.click('tr[data-code="1.000419"] button.link');
      await page.waitForSelector('#editor:not([hidden])');
      await page.fill('#limit-value', '0');
      await page.click('[data-testid=save-settings]');
      await page.waitForSelector('#limit-value[aria-invalid="true"]');
      await page.fill('#limit-value', '7');
      await page.click('[data-testid=save-settings]');
      await page.waitForSelector('#flash:not([hidden])');
      const p = (await ctx.api('GET', '/api/v1/deadline?procedure=1.000419', undefined, 'clerk.hacthanh')).json;
      ctx.expect(p.limit.value === 7 && p.limit.unit === 'working_days', `new limit in force: ${JSON.stringify(p.limit)}`);

      await page.click('#add-step');
      await page.selectOption('#steps li:last-child .step-agency', '000.00.14.H56');
      await page.fill('#steps li:last-child .step-task', 'Xác minh hộ tịch');
      await page.fill('#steps li:last-child .step-hours', '8');
      await page.click('#chain-form button[type=submit]');
      await page.waitForSelector('#flash:not([hidden])');
      const proc = (await ctx.api('GET', '/api/v1/procedures/1.000419', undefined, 'admin')).json;
      const last = proc.chain[proc.chain.length - 1];
      ctx.expect(last.agency && last.agency.code === '000.00.14.H56' && last.task === 'Xác minh hộ tịch',
        `chain saved: ${JSON.stringify(proc.chain)}`);
    },
  },

  {
    name: 'English on a switch, and the pages fit a tablet',
    async run(ctx) {
      const page = await ctx.newPage({ width: 800, height: 1000 });
      await ctx.login(page, 'officer');
      await page.goto(`${ctx.baseURL}/staff/?view=all`);
      await page.waitForSelector('#rows tr[data-code]');
      ctx.expect((await page.textContent('h1')) === 'Danh sách hồ sơ', 'Vietnamese by default');
      for (const path of ['/staff/?view=all', '/staff/counter', '/staff/account']) {
        await page.goto(ctx.baseURL + path);
        await page.waitForSelector('#main:not([hidden])');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        ctx.expect(width <= 800, `${path} fits 800 px (${width})`);
      }
      await page.goto(`${ctx.baseURL}/staff/?view=all`);
      const code = await (await page.waitForSelector('#rows a.code')).textContent();
      await page.goto(`${ctx.baseURL}/staff/dossier?code=${code}`);
      await page.waitForSelector('[data-testid=timeline] li');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      ctx.expect(width <= 800, `the dossier page fits 800 px (${width})`);
      await page.click('[data-testid=lang-switch]');
      await page.waitForSelector('#main:not([hidden])');
      ctx.expect((await page.textContent('#s-timeline')) === 'History', 'English after the switch');
      const when = await page.textContent('[data-testid=timeline] time');
      ctx.expect(DT.test(when), `dates stay dd/mm/yyyy hh:mm: ${when}`);
      await page.click('[data-testid=lang-switch]');
      await page.waitForSelector('#main:not([hidden])');
      ctx.expect((await page.textContent('#s-timeline')) === 'Lịch sử xử lý', 'and back to Vietnamese');
    },
  },
];
