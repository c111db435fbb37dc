// motcua — browser tests of the staff side of the citizen's voice (see
// run.mjs for ctx): online submissions accepted at the counter, the rating
// link after return, the feedback queue, and the ratings and feedback in
// the manager's periodic report.
//
// The citizen's part goes through the public API (the citizen pages have
// their own tests in public.test.mjs); everything staff do is done in the
// browser. The report checks compare the page with the API's figures at
// the same moment and with the figures before the test, so they hold
// whatever else the demo province contains.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const COMMUNE = '000.00.51.H56';		// UBND phường Hạc Thành: clerk.hacthanh, officer.hacthanh
const NNMT = '000.00.21.H56';		// Sở NN&MT: officer, manager.nnmt
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% citizen-staff test\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const TABLET = { width: 800, height: 1000 };

function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

function digits(s) {
  return Number(String(s).replace(/\D/g, ''));
}

// A JSON call to the public API, as a citizen (no session).
async function pub(ctx, method, path, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    if (Buffer.isBuffer(body)) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const res = await fetch(ctx.baseURL + path, init);
  let json = null;
  try {
    json = await res.json();
  } catch (e) {
    json = null;
  }
  return { status: res.status, json };
}

// A citizen submits a birth registration online to the commune with one PDF.
async function submitOnline(ctx, applicant, fileName) {
  let r = await pub(ctx, 'POST', '/api/v1/public/submissions', {
    procedure_code: '1.001193', agency_code: COMMUNE, applicant,
  });
  ctx.expect(r.status === 201, `draft: ${r.status} ${JSON.stringify(r.json)}`);
  const { ref, upload_token: token } = r.json;
  r = await pub(ctx, 'PUT', `/api/v1/public/submissions/${ref}/files/1?name=${encodeURIComponent(fileName)}`,
    PDF, { 'X-Upload-Token': token, 'Content-Type': 'application/pdf' });
  ctx.expect(r.status === 201, `upload: ${r.status} ${JSON.stringify(r.json)}`);
  r = await pub(ctx, 'POST', `/api/v1/public/submissions/${ref}/submit`, {}, { 'X-Upload-Token': token });
  ctx.expect(r.status === 200 && r.json.state === 'submitted_online', `submit: ${r.status} ${JSON.stringify(r.json)}`);
  return ref;
}

async function act(ctx, user, key, body) {
  const r = await ctx.api('POST', `/api/v1/dossiers/${encodeURIComponent(key)}/actions`, body, user);
  ctx.expect(r.status === 200, `${body.action} by ${user}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

async function sendFeedback(ctx, body) {
  const r = await pub(ctx, 'POST', '/api/v1/public/feedback', body);
  ctx.expect(r.status === 201, `feedback: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

// The commune's figures this year, as the manager's report asks for them.
async function figures(ctx, agency) {
  const r = await ctx.api('GET', `/api/v1/citizen/summary?agency=${agency}`, undefined, 'manager');
  ctx.expect(r.status === 200, `summary: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.items[0] || {
    ratings: { count: 0, dislikes: 0, unofficial_payments: 0 },
    feedback: { received: 0, answered_on_time: 0, answered_late: 0, open_overdue: 0 },
  };
}

// The manager opens the periodic report for one agency and reads its row
// of the citizen section.
async function reportRow(ctx, page, agency) {
  await ctx.login(page, 'manager');
  await page.goto(`${ctx.baseURL}/report?agency=${agency}`);
  await page.waitForSelector('body[data-loaded="true"]');
  const rows = page.locator(`#citizen tbody tr[data-agency="${agency}"]`);
  ctx.expect(await rows.count() === 2, `both tables of the citizen section have a row for ${agency}`);
  const cells = {};
  for (const td of await rows.locator('td[data-col]').all()) cells[await td.getAttribute('data-col')] = (await td.textContent()).trim();
  return cells;
}

async function fitsWidth(ctx, page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  ctx.expect(scroll <= inner, `${what}: the page is ${scroll}px wide in a ${inner}px window`);
}

export default [
  {
    name: 'an online submission is accepted at the counter, rated after return, and counted in the report',
    async run(ctx) {
      const before = await figures(ctx, COMMUNE);
      const ref = await submitOnline(ctx,
        { name: 'Đinh Thị Trực Tuyến', id_number: '038195012345', phone: '0978123456' }, 'giấy chứng sinh.pdf');

      // 1. The clerk sees it in the worklist's online tab and opens it.
      const page = await ctx.newPage();
      await ctx.login(page, 'clerk.hacthanh');
      await page.goto(ctx.baseURL + '/staff/');
      const tab = page.locator('[data-testid=view-online]');
      ctx.expect((await tab.textContent()).includes('Nộp trực tuyến chờ tiếp nhận'), 'the clerk has the online tab');
      await tab.click();
      await page.waitForURL((u) => u.searchParams.get('view') === 'online');
      await page.waitForSelector('#rows:not([aria-busy])');
      const row = page.locator(`#rows tr[data-code="${ref}"]`);
      await row.waitFor();
      ctx.expect((await row.textContent()).includes('Chờ tiếp nhận'), 'the row says it waits for acceptance');
      ctx.expect(await page.isDisabled('#f-state'), 'the online tab fixes the state filter');
      const states = await page.$$eval('#rows tr[data-code]', (els) => els.map((e) => e.textContent));
      ctx.expect(states.every((s) => s.includes('Mới đăng ký trực tuyến')), 'the tab lists only online submissions');
      await Promise.all([page.waitForURL(/\/staff\/dossier\?code=/), row.locator('a.code').click()]);

      // 2. The dossier page shows the attachment; it downloads intact.
      const att = page.locator('[data-testid=attachments] tr[data-n="1"]');
      await att.waitFor();
      const text = await att.textContent();
      ctx.expect(text.includes('giấy chứng sinh.pdf') && text.includes('application/pdf'), `name and type: ${text}`);
      ctx.expect(text.includes(`${PDF.length} byte`), `size: ${text}`);
      const sha = await att.locator('[data-sha]').textContent();
      ctx.expect(sha === sha256(PDF).slice(0, 12), `SHA-256 short ${sha}`);
      const [download] = await Promise.all([page.waitForEvent('download'), att.locator('[data-testid=attachment-download]').click()]);
      ctx.expect(download.suggestedFilename() === 'giấy chứng sinh.pdf', `download name: ${download.suggestedFilename()}`);
      ctx.expect(sha256(readFileSync(await download.path())) === sha256(PDF), 'the downloaded file is the one submitted');
      ctx.expect(await page.isVisible('#online-waiting'), 'the page says the submission waits');
      const actions = await page.$$eval('#action-buttons button', (els) => els.map((e) => e.dataset.action));
      ctx.expect(actions.includes('accept') && actions.includes('refuse'), `accept and refuse offered: ${actions}`);
      ctx.expect(await page.locator('#forms a[data-form="01"]').count() === 0, 'no Form 01 before acceptance');

      // 3. The clerk accepts it: a code, the address follows, Form 01 offered.
      await page.click('#action-buttons button[data-action="accept"]');
      await page.waitForSelector('#action-form:not([hidden])');
      await page.click('#action-submit');
      await page.waitForSelector('[data-testid=accepted]:not([hidden])');
      const code = (await page.textContent('[data-testid=accepted-code]')).trim();
      ctx.expect(new RegExp(`^${COMMUNE.replace(/\./g, '\\.')}-\\d{6}-\\d{4}$`).test(code), `a dossier code: ${code}`);
      ctx.expect((await page.textContent('[data-testid=dossier-code]')).trim() === code, 'the heading shows the code');
      ctx.expect(new URL(page.url()).searchParams.get('code') === code, 'the address now names the code');
      ctx.expect((await page.textContent('[data-testid=accepted]')).includes(ref), 'the original reference is kept in view');
      ctx.expect(await page.isHidden('#online-waiting'), 'no longer waiting');
      ctx.expect(await page.evaluate(() => document.activeElement.dataset.testid) === 'accepted-form01', 'focus on Form 01');
      ctx.expect(await page.getAttribute('[data-testid=accepted-form01]', 'href') === `/forms/${code}/01`, 'Form 01 link');
      ctx.expect(await page.locator('#forms a[data-form="01"]').count() === 1, 'Form 01 among the forms to print');
      const [slip] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid=accepted-form01]')]);
      await slip.waitForLoadState();
      ctx.expect((await slip.textContent('body')).includes(code), 'Form 01 shows the code');
      await slip.close();
      const saved = (await ctx.api('GET', `/api/v1/dossiers/${code}`, undefined, 'clerk.hacthanh')).json;
      ctx.expect(saved.state === 'received' && saved.ref === ref, `stored as received: ${saved.state} ${saved.ref}`);

      // 4. Processed and returned through the API; the clerk gets the rating link.
      await act(ctx, 'clerk.hacthanh', code, { action: 'transfer' });
      await act(ctx, 'officer.hacthanh', code, { action: 'resolve', result: 'Cấp Giấy khai sinh' });
      await act(ctx, 'clerk.hacthanh', code, { action: 'return', method: 'counter' });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.baseURL });
      await page.reload();
      await page.waitForSelector('[data-testid=rating-card]:not([hidden]) [data-testid=rating-none]');
      await page.click('[data-testid=rating-get-link]');
      const url = await page.inputValue('[data-testid=rating-url]');
      ctx.expect(url.startsWith(ctx.baseURL + '/rate?t='), `a rating link: ${url}`);
      const message = await page.inputValue('[data-testid=rating-message]');
      ctx.expect(message.includes(code) && message.includes(url), `the message names the dossier and the link: ${message}`);
      await page.click('[data-testid=copy-message]');
      await page.waitForSelector('[data-testid=rating-copied]:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=rating-copied]')).includes('Đã chép'), 'copied');
      ctx.expect(await page.evaluate(() => navigator.clipboard.readText()) === message, 'the clipboard holds the message');
      await page.click('[data-testid=copy-link]');
      let clip = '';
      for (let i = 0; i < 40 && clip !== url; i++) {
        clip = await page.evaluate(() => navigator.clipboard.readText());
        if (clip !== url) await page.waitForTimeout(50);
      }
      ctx.expect(clip === url, `the clipboard holds the link: ${clip}`);

      // 5. The citizen rates with the link (dissatisfied with the attitude).
      const token = new URL(url).searchParams.get('t');
      const rated = await pub(ctx, 'POST', '/api/v1/public/rating', {
        token, time_score: 4, trips: 2, attitude_score: 2, result_score: 5, unofficial_payment: false,
        comment: 'Phải chờ lâu ở quầy.',
      });
      ctx.expect(rated.status === 201 && rated.json.dislike === true, `rated: ${rated.status} ${JSON.stringify(rated.json)}`);
      await page.reload();
      const rating = page.locator('[data-testid=rating]');
      await rating.waitFor();
      const rtext = await rating.textContent();
      ctx.expect((await page.textContent('[data-testid=rating-verdict]')).includes('Không hài lòng'), 'shown as a dislike');
      ctx.expect(rtext.includes('2/5') && rtext.includes('4/5') && rtext.includes('Phải chờ lâu ở quầy.'), `the rating: ${rtext}`);
      ctx.expect(await page.locator('[data-testid=rating-get-link]').count() === 0, 'no new link once rated');

      // 6. The manager's report shows the rating for the commune.
      const after = await figures(ctx, COMMUNE);
      ctx.expect(after.ratings.count === before.ratings.count + 1, `one more rating: ${before.ratings.count} → ${after.ratings.count}`);
      ctx.expect(after.ratings.dislikes === before.ratings.dislikes + 1, 'one more dislike');
      const cells = await reportRow(ctx, page, COMMUNE);
      ctx.expect(digits(cells.ratings) === after.ratings.count, `ratings on the page ${cells.ratings} = ${after.ratings.count}`);
      ctx.expect(digits(cells.dislikes) === after.ratings.dislikes, `dislikes ${cells.dislikes}`);
      const avg = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(after.ratings.avg_attitude);
      ctx.expect(cells.avg_attitude === avg, `average attitude ${cells.avg_attitude} = ${avg}`);
      ctx.expect(digits(cells.unofficial_payments) === after.ratings.unofficial_payments, 'unofficial payments');
      const heading = await page.textContent('#cs-heading');
      ctx.expect(heading.includes('HÀI LÒNG'), `the section is there: ${heading}`);
    },
  },

  {
    name: 'a feedback item is answered by an officer in the queue and counted in the report',
    async run(ctx) {
      const before = await figures(ctx, COMMUNE);
      const subject = 'Thu phí trông xe không có vé ' + Date.now();
      const fb = await sendFeedback(ctx, {
        agency_code: COMMUNE, kind: 'complaint', subject,
        content: 'Bãi xe trước trụ sở thu 5.000 đồng.\nKhông phát vé.',
        contact: { name: 'Nguyễn Văn Phản Ánh', phone: '0912345000' },
      });

      // The officer finds it from the header's link, searching by code.
      const page = await ctx.newPage();
      await ctx.login(page, 'officer.hacthanh');
      await Promise.all([page.waitForURL((u) => u.pathname === '/staff/feedback'), page.click('.app-nav a[href="/staff/feedback"]')]);
      ctx.expect(await page.getAttribute('.app-nav a[href="/staff/feedback"]', 'aria-current') === 'page', 'the entry is current');
      await page.fill('#f-q', fb.code);
      await page.press('#f-q', 'Enter');
      await page.waitForFunction((code) => {
        const rows = document.querySelectorAll('#rows tr[data-code]');
        return rows.length === 1 && rows[0].dataset.code === code;
      }, fb.code);
      const row = page.locator(`#rows tr[data-code="${fb.code}"]`);
      const rtext = await row.textContent();
      ctx.expect(rtext.includes('Mới tiếp nhận') && rtext.includes(subject) && rtext.includes('Chưa phân công'), `row: ${rtext}`);
      const item = (await ctx.api('GET', `/api/v1/feedback/${fb.code}`, undefined, 'officer.hacthanh')).json;
      const [d, tm] = item.due_at.split('T');
      const due = `${d.split('-').reverse().join('/')} ${tm.slice(0, 5)}`;
      ctx.expect(rtext.includes(due), `the deadline ${due} is shown`);

      // Its panel: text, contact, milestones; answering checks the fields.
      await row.locator('a.code').click();
      await page.waitForSelector('[data-testid=feedback-item]:not([hidden])');
      ctx.expect(new URL(page.url()).searchParams.get('code') === fb.code, 'the address names the item');
      ctx.expect((await page.textContent('[data-testid=feedback-code]')) === fb.code, 'panel for the item');
      ctx.expect((await page.textContent('[data-testid=feedback-content]')).includes('Không phát vé.'), 'the text');
      const contact = await page.textContent('[data-testid=feedback-contact]');
      ctx.expect(contact.includes('Nguyễn Văn Phản Ánh') && contact.includes('0912345000'), `contact: ${contact}`);
      ctx.expect((await page.textContent('[data-testid=feedback-history]')).includes('Tiếp nhận'), 'milestones');
      const acts = await page.$$eval('#i-actions button', (els) => els.map((e) => e.dataset.action));
      ctx.expect(['assign', 'answer', 'transfer', 'close'].every((a) => acts.includes(a)), `actions: ${acts}`);
      await page.click('#i-actions button[data-action="answer"]');
      await page.waitForSelector('#i-form:not([hidden])');
      await page.click('#i-submit');
      ctx.expect((await page.textContent('#fa-answer-error')).includes('Nhập nội dung trả lời'), 'answer required, said beside it');
      ctx.expect(await page.getAttribute('#fa-answer', 'aria-invalid') === 'true', 'answer marked invalid');
      await page.fill('#fa-answer', 'Đã yêu cầu đơn vị trông xe phát vé và niêm yết giá.');
      await page.click('#i-submit');
      ctx.expect((await page.textContent('#fa-visibility-error')).includes('công khai'), 'publish choice required');
      await page.check('#fa-private');
      await page.click('#i-submit');
      await page.waitForSelector('#i-flash:not([hidden])');
      ctx.expect((await page.textContent('#i-flash')).includes('Đã trả lời'), 'done, answered');
      const badges = await page.textContent('[data-testid=feedback-state]');
      ctx.expect(badges.includes('Đã trả lời') && badges.includes('Trả lời đúng hạn'), `badges: ${badges}`);
      const answer = await page.textContent('[data-testid=feedback-answer]');
      ctx.expect(answer.includes('niêm yết giá') && answer.includes('Chỉ gửi người phản ánh'), `answer: ${answer}`);
      // The list (open items) no longer holds it.
      await page.waitForSelector(`#rows tr[data-code="${fb.code}"]`, { state: 'detached' });

      // Private: the public page shows the state, not the texts.
      const seen = await pub(ctx, 'GET', `/api/v1/public/feedback/${fb.code}`);
      ctx.expect(seen.json.state === 'answered' && seen.json.answer === null, `public view: ${JSON.stringify(seen.json)}`);

      // The manager's report counts it.
      const after = await figures(ctx, COMMUNE);
      ctx.expect(after.feedback.received === before.feedback.received + 1, 'one more received');
      ctx.expect(after.feedback.answered_on_time === before.feedback.answered_on_time + 1, 'one more answered on time');
      const cells = await reportRow(ctx, page, COMMUNE);
      ctx.expect(digits(cells.fb_received) === after.feedback.received, `received ${cells.fb_received}`);
      ctx.expect(digits(cells.fb_on_time) === after.feedback.answered_on_time, `on time ${cells.fb_on_time}`);
      ctx.expect(digits(cells.fb_late) === after.feedback.answered_late, `late ${cells.fb_late}`);
      ctx.expect(digits(cells.fb_open_overdue) === after.feedback.open_overdue, `open overdue ${cells.fb_open_overdue}`);
      const rate = after.feedback.on_time_rate;
      const shown = typeof rate === 'number'
        ? `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(rate)} %` : 'Không có số liệu';
      ctx.expect(cells.fb_on_time_rate === shown, `on-time share ${cells.fb_on_time_rate} = ${shown}`);
    },
  },

  {
    name: 'feedback: assign, transfer and close with errors beside the fields, on a tablet, in English',
    async run(ctx) {
      const fb = await sendFeedback(ctx, {
        agency_code: NNMT, kind: 'suggestion', subject: 'Hướng dẫn thủ tục đất đai ' + Date.now(),
        content: 'Đề nghị niêm yết mẫu đơn tại quầy.',
      });
      const page = await ctx.newPage(TABLET);

      // The manager of the department assigns it to its officer.
      await ctx.login(page, 'manager.nnmt');
      await page.goto(`${ctx.baseURL}/staff/feedback?code=${fb.code}`);
      await page.waitForSelector('[data-testid=feedback-item]:not([hidden]) #i-actions button');
      ctx.expect((await page.textContent('[data-testid=feedback-contact]')).includes('ẩn danh'), 'anonymous');
      const panelTop = await page.locator('#item').boundingBox();
      const listTop = await page.locator('#list').boundingBox();
      ctx.expect(panelTop.y < listTop.y, 'on a tablet the item comes before the list');
      await fitsWidth(ctx, page, 'feedback, tablet');
      await page.click('#i-actions button[data-action="assign"]');
      await page.waitForSelector('#fa-assignee option[value="officer"]', { state: 'attached' });
      await page.click('#i-submit');
      ctx.expect((await page.textContent('#fa-assignee-error')).includes('Chọn cán bộ'), 'assignee required');
      await page.selectOption('#fa-assignee', 'officer');
      await page.click('#i-submit');
      await page.waitForSelector('#i-flash:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=feedback-state]')).includes('Đang xử lý'), 'in progress');
      ctx.expect((await page.textContent('#i-body')).includes('officer'), 'the assignee is shown');

      // The officer sees it under "assigned to me", in English, and transfers it.
      await ctx.login(page, 'officer');
      await page.goto(`${ctx.baseURL}/staff/feedback?mine=true`);
      await page.click('[data-testid=lang-switch]');
      await page.waitForLoadState('load');
      await page.waitForSelector(`#rows tr[data-code="${fb.code}"]`);
      ctx.expect((await page.textContent('h1')).includes('Citizen feedback'), 'the page is in English');
      ctx.expect(await page.isChecked('#f-mine'), 'the filter comes from the address');
      await page.click(`#rows tr[data-code="${fb.code}"] a.code`);
      await page.waitForSelector('#i-actions button[data-action="transfer"]');
      await page.click('#i-actions button[data-action="transfer"]');
      await page.waitForSelector(`#fa-agency option[value="${COMMUNE}"]`, { state: 'attached' });
      ctx.expect(await page.locator(`#fa-agency option[value="${NNMT}"]`).count() === 0, 'not to its own agency');
      await page.click('#i-submit');
      ctx.expect((await page.textContent('#fa-agency-error')).includes('Choose the agency'), 'agency required, in English');
      await page.selectOption('#fa-agency', COMMUNE);
      await page.fill('#fa-reason', 'Thuộc thẩm quyền của phường.');
      await page.click('#i-submit');
      await page.waitForSelector('#i-flash:not([hidden])');
      ctx.expect((await page.textContent('#i-flash')).includes('outside your scope'), 'moved out of the officer\'s scope');
      ctx.expect(await page.locator('#i-actions button').count() === 0, 'nothing more to do here');
      await page.click('[data-testid=lang-switch]');
      await page.waitForLoadState('load');

      // The commune's clerk closes it: a reason is needed before an answer.
      await ctx.login(page, 'clerk.hacthanh');
      await page.goto(`${ctx.baseURL}/staff/feedback?code=${fb.code}`);
      await page.waitForSelector('#i-actions button[data-action="close"]');
      ctx.expect((await page.textContent('#i-body')).includes('Hạc Thành'), 'now at the commune');
      await page.click('#i-actions button[data-action="close"]');
      await page.click('#i-submit');
      ctx.expect((await page.textContent('#fa-reason-error')).includes('lý do'), 'reason required');
      await page.fill('#fa-reason', 'Trùng với phản ánh đã trả lời.');
      await page.click('#i-submit');
      await page.waitForSelector('#i-flash:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=feedback-state]')).includes('Đã kết thúc'), 'closed');
      ctx.expect((await page.textContent('[data-testid=feedback-history]')).includes('Trùng với phản ánh'), 'the reason in the milestones');
      const saved = (await ctx.api('GET', `/api/v1/feedback/${fb.code}`, undefined, 'clerk.hacthanh')).json;
      ctx.expect(saved.state === 'closed' && saved.agency.code === COMMUNE, `stored: ${saved.state} at ${saved.agency.code}`);
      await fitsWidth(ctx, page, 'feedback closed, tablet');
    },
  },

  {
    name: 'an online submission refused at the counter needs a reason; the worklist fits a tablet',
    async run(ctx) {
      const ref = await submitOnline(ctx,
        { name: 'Hoàng Văn Từ Chối', id_number: '038088013579', phone: '0913013579' }, 'to-khai.pdf');
      const page = await ctx.newPage(TABLET);
      await ctx.login(page, 'clerk.hacthanh');
      await page.goto(ctx.baseURL + '/staff/?view=online');
      await page.waitForSelector(`#rows tr[data-code="${ref}"]`);
      ctx.expect(await page.isVisible('#online-hint'), 'the tab explains what waits there');
      ctx.expect(/\(\d+\+?\)/.test(await page.textContent('[data-testid=view-online]')), 'the tab shows a count');
      await fitsWidth(ctx, page, 'worklist, online tab, tablet');
      await page.click(`#rows tr[data-code="${ref}"] a.code`);
      await page.waitForSelector('[data-testid=attachments] tr[data-n="1"]');
      await fitsWidth(ctx, page, 'online dossier, tablet');
      await page.click('#action-buttons button[data-action="refuse"]');
      await page.click('#action-submit');
      ctx.expect(await page.getAttribute('#act-reason', 'aria-invalid') === 'true', 'a refusal needs a reason');
      await page.fill('#act-reason', 'Tệp đính kèm không đọc được.');
      await page.click('#action-submit');
      await page.waitForSelector('#flash:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=dossier-state]')).includes('Không được tiếp nhận'), 'not accepted');
      ctx.expect(await page.isHidden('[data-testid=accepted]'), 'no code after a refusal');
      ctx.expect(await page.locator('[data-testid=attachments] tr[data-n="1"]').count() === 1, 'the files stay visible');
      // Back in the tab, it is gone.
      await page.goto(ctx.baseURL + '/staff/?view=online');
      await page.waitForSelector('#rows tr');
      ctx.expect(await page.locator(`#rows tr[data-code="${ref}"]`).count() === 0, 'no longer waiting');
    },
  },
];
