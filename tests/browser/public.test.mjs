// motcua — browser tests of the citizen pages: lookup, online submission,
// rating, feedback and public statistics, at phone size (360×740) and on
// a desktop. The first test is the "done when": submit from a
// phone with a PDF, the clerk accepts, look it up, rate after return, see
// the rating and the feedback in the agency's figures.
//
// Public lookups are rate-limited per address (10 a minute by default):
// all the tests together stay under that.

const PHONE = { width: 360, height: 740 };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

// The page fits the phone's width: nothing scrolls sideways.
async function fitsWidth(ctx, page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  ctx.expect(scroll <= inner, `${what}: the page is ${scroll}px wide in a ${inner}px window`);
}

async function counterDossier(ctx, phone) {
  const r = await ctx.api('POST', '/api/v1/dossiers', {
    procedure_code: '1.001193', channel: 'direct',
    applicant: { name: 'Lê Thị Hồng Nhung', id_number: '038195007777', phone, address: 'Phường Hạc Thành' },
    documents: [{ name: 'Tờ khai', kind: 'original', count: 1 }],
  }, 'clerk.hacthanh');
  ctx.expect(r.status === 201, `counter intake: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.code;
}

async function act(ctx, user, key, body) {
  const r = await ctx.api('POST', `/api/v1/dossiers/${encodeURIComponent(key)}/actions`, body, user);
  ctx.expect(r.status === 200, `${body.action} by ${user}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

export default [
  {
    name: 'done when: submit online from a phone, clerk accepts, look up, rate after return, figures',
    async run(ctx) {
      ctx.allowConsoleErrors(/status of 404/);
      const page = await ctx.newPage(PHONE);

      // 1. the citizen submits from a phone
      await page.goto(ctx.baseURL + '/submit');
      await page.fill('#proc-q', 'khai sinh');
      await page.click('#proc-search');
      await page.click('#proc-results button[data-code="1.001193"]');
      await page.waitForSelector('[data-testid=chosen-procedure]');
      await page.waitForSelector('#agency option[value="000.00.51.H56"]', { state: 'attached' });
      await fitsWidth(ctx, page, 'submit: applicant form');
      await page.fill('#a-name', 'Trần Thị Bé');
      await page.fill('#a-id', '038190004321');
      await page.fill('#a-phone', '0987 654 321');
      await page.click('#applicant-continue');
      await page.waitForSelector('#step-files:not([hidden])');
      await page.setInputFiles('#file-input', { name: 'tờ khai.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.click('#file-attach');
      await page.waitForSelector('#file-list li[data-slot="1"]');
      ctx.expect((await page.textContent('#file-list')).includes('tờ khai.pdf'), 'the attached file is listed');
      await fitsWidth(ctx, page, 'submit: files');
      await page.click('#submission-send');
      const ref = (await page.textContent('[data-testid=submit-ref]', { timeout: 10000 })).trim();
      ctx.expect(/^OL-\d{6}-[0-9A-Z]{6}$/.test(ref), `a reference is shown: ${ref}`);
      await fitsWidth(ctx, page, 'submit: done');

      // 2. the demo clerk finds it in the queue, with its PDF, and accepts it
      let r = await ctx.api('GET', '/api/v1/dossiers?state=submitted_online&queue=true', undefined, 'clerk.hacthanh');
      ctx.expect(r.json.items.some((d) => d.ref === ref), 'the submission is in the clerk\'s queue');
      r = await ctx.api('GET', `/api/v1/dossiers/${ref}/attachments`, undefined, 'clerk.hacthanh');
      ctx.expect(r.json.items.length === 1 && r.json.items[0].type === 'application/pdf', 'the PDF is attached');
      const accepted = await act(ctx, 'clerk.hacthanh', ref, { action: 'accept' });
      const code = accepted.code;
      ctx.expect(/^000\.00\.51\.H56-\d{6}-\d{4}$/.test(code), `accepting gives a code: ${code}`);

      // 3. the citizen looks it up with the code and the check digits
      await page.goto(ctx.baseURL + '/lookup?code=' + encodeURIComponent(code));
      ctx.expect(await page.inputValue('#code') === code, 'the code is prefilled from the link');
      await page.fill('#check', '4321');
      await page.click('#lookup-submit');
      await page.waitForSelector('[data-testid=lookup-result]:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=result-state]')).includes('Đã tiếp nhận'), 'state in plain words');
      ctx.expect((await page.textContent('[data-testid=result-code]')).includes(code), 'the code is shown');
      const text = await page.textContent('main');
      ctx.expect(!text.includes('Trần Thị Bé') && !text.includes('0987654321') && !text.includes('038190004321'),
        'no personal data on the lookup page');
      await fitsWidth(ctx, page, 'lookup: result');

      // 4. processed and returned (through the API), then rated on the phone
      await act(ctx, 'clerk.hacthanh', code, { action: 'transfer' });
      await act(ctx, 'officer.hacthanh', code, { action: 'resolve', result: 'Cấp Giấy khai sinh' });
      await act(ctx, 'clerk.hacthanh', code, { action: 'return', method: 'counter' });
      r = await ctx.api('GET', `/api/v1/dossiers/${code}/rating-link`, undefined, 'clerk.hacthanh');
      ctx.expect(r.status === 201 && r.json.url.includes('/rate?t='), 'a rating link');
      await page.goto(r.json.url);
      await page.waitForSelector('#rate-form:not([hidden])');
      for (const [name, v] of [['time_score', 5], ['trips', 1], ['attitude_score', 4], ['result_score', 5]]) {
        await page.check(`input[name=${name}][value="${v}"]`);
      }
      await page.check('input[name=unofficial_payment][value=no]');
      await page.fill('#rate-comment', 'Cán bộ hướng dẫn tận tình.');
      await fitsWidth(ctx, page, 'rate: form');
      await page.click('#rate-send');
      await page.waitForSelector('[data-testid=rate-message]:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=rate-message]')).includes('Cảm ơn'), 'thanks after rating');
      r = await ctx.api('GET', `/api/v1/dossiers/${code}/rating`, undefined, 'clerk.hacthanh');
      ctx.expect(r.status === 200 && r.json.attitude_score === 4 && !r.json.dislike, 'the rating is recorded');

      // 5. feedback about the same dossier, from the phone
      await page.goto(ctx.baseURL + '/feedback');
      await page.waitForSelector('#fb-agency option[value="000.00.51.H56"]', { state: 'attached' });
      await page.selectOption('#fb-agency', '000.00.51.H56');
      await page.fill('#fb-subject', 'Thời gian chờ tại quầy');
      await page.fill('#fb-content', 'Đề nghị bố trí thêm ghế chờ.');
      await page.check('input[name=kind][value=suggestion]');
      await page.fill('#fb-dossier', code);
      await page.fill('#fb-check', '4321');
      await fitsWidth(ctx, page, 'feedback: form');
      await page.click('#fb-send');
      const fb = (await page.textContent('[data-testid=fb-code]')).trim();
      ctx.expect(/^PAKN-\d{6}-\d{4}$/.test(fb), `a feedback code: ${fb}`);

      // 6. the agency's figures for the reports: the rating and the feedback
      r = await ctx.api('GET', '/api/v1/citizen/summary?agency=000.00.51.H56', undefined, 'manager');
      ctx.expect(r.status === 200 && r.json.items.length === 1, 'a summary for the agency');
      const s = r.json.items[0];
      ctx.expect(s.ratings.count >= 1 && s.ratings.avg_attitude > 0, `ratings counted: ${JSON.stringify(s.ratings)}`);
      ctx.expect(s.feedback.received >= 1, `feedback counted: ${JSON.stringify(s.feedback)}`);
      ctx.expect(s.complained_dossiers >= 1, 'the dossier with feedback counts for indicator 5.4');
    },
  },
  {
    name: 'lookup: wrong check digits answer like an unknown code; English switch',
    async run(ctx) {
      ctx.allowConsoleErrors(/status of 404/);
      const code = await counterDossier(ctx, '0912005678');
      const page = await ctx.newPage(PHONE);
      await page.goto(ctx.baseURL + '/lookup?code=' + encodeURIComponent(code));
      await page.fill('#check', '1234');
      await page.click('#lookup-submit');
      const box = page.locator('#lookup-form [data-role=form-error]');
      await box.waitFor();
      const wrong = await box.textContent();
      await page.fill('#code', code.replace(/\d{4}$/, '9999'));
      await page.fill('#check', '5678');
      await page.click('#lookup-submit');
      await page.waitForFunction((w) => {
        const el = document.querySelector('#lookup-form [data-role=form-error]');
        return el && !el.hidden && el.textContent === w;
      }, wrong);
      ctx.expect(await page.locator('#result').isHidden(), 'nothing shown for an unknown code');
      // the ID number's last digits work as well as the phone's
      await page.fill('#code', code);
      await page.fill('#check', '7777');
      await page.click('#lookup-submit');
      await page.waitForSelector('[data-testid=lookup-result]:not([hidden])');
      await page.click('#lang-switch');
      await page.waitForLoadState('load');
      ctx.expect((await page.textContent('h1')).includes('Look up'), 'the page switched to English');
      await page.click('#lang-switch');
      await page.waitForLoadState('load');
    },
  },
  {
    name: 'lookup: a refused online submission shows the reason',
    async run(ctx) {
      let r = await fetch(ctx.baseURL + '/api/v1/public/submissions', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          procedure_code: '1.001193', agency_code: '000.00.51.H56',
          applicant: { name: 'Phạm Văn Cường', id_number: '038087002468', phone: '0903002468' },
        }),
      });
      ctx.expect(r.status === 201, `draft: ${r.status}`);
      const draft = await r.json();
      const headers = { 'X-Upload-Token': draft.upload_token };
      r = await fetch(`${ctx.baseURL}/api/v1/public/submissions/${draft.ref}/files/1?name=giay-to.pdf`,
        { method: 'PUT', headers: { ...headers, 'Content-Type': 'application/pdf' }, body: PDF });
      ctx.expect(r.status === 201, `upload: ${r.status}`);
      r = await fetch(`${ctx.baseURL}/api/v1/public/submissions/${draft.ref}/submit`,
        { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' });
      ctx.expect(r.status === 200, `submit: ${r.status}`);
      await act(ctx, 'clerk.hacthanh', draft.ref, { action: 'refuse', reason: 'Thiếu giấy chứng sinh bản chính.' });
      const page = await ctx.newPage();
      await page.goto(ctx.baseURL + '/lookup?code=' + draft.ref);
      await page.fill('#check', '2468');
      await page.click('#lookup-submit');
      await page.waitForSelector('[data-testid=refusal]');
      ctx.expect((await page.textContent('[data-testid=refusal]')).includes('Thiếu giấy chứng sinh'), 'the reason');
      ctx.expect((await page.textContent('[data-testid=result-state]')).includes('Không được tiếp nhận'), 'not accepted');
    },
  },
  {
    name: 'rate: an invalid link and a dossier not yet returned say so',
    async run(ctx) {
      ctx.allowConsoleErrors(/status of 404/);
      const page = await ctx.newPage(PHONE);
      await page.goto(ctx.baseURL + '/rate?t=' + 'x'.repeat(43));
      await page.waitForSelector('[data-testid=rate-message]:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=rate-message]')).includes('không hợp lệ'), 'invalid link');
      const code = await counterDossier(ctx, '0912001111');
      const r = await ctx.api('GET', `/api/v1/dossiers/${code}/rating-link`, undefined, 'clerk.hacthanh');
      await page.goto(r.json.url);
      await page.waitForSelector('[data-testid=rate-message]:not([hidden])');
      ctx.expect((await page.textContent('[data-testid=rate-message]')).includes('chưa trả kết quả'), 'not returned yet');
      ctx.expect(await page.locator('#rate-form').isHidden(), 'no form before the return');
    },
  },
  {
    name: 'feedback: anonymous item, answered publicly by the agency, followed by its code',
    async run(ctx) {
      const page = await ctx.newPage(PHONE);
      await page.goto(ctx.baseURL + '/feedback');
      await page.waitForSelector('#fb-agency option[value="000.01.01.H56"]', { state: 'attached' });
      await page.selectOption('#fb-agency', '000.01.01.H56');
      await page.fill('#fb-subject', 'Bãi gửi xe');
      await page.fill('#fb-content', 'Bãi gửi xe thu tiền không có vé.');
      await page.click('#fb-send');
      const code = (await page.textContent('[data-testid=fb-code]')).trim();
      let r = await ctx.api('GET', '/api/v1/feedback?state=open', undefined, 'clerk');
      ctx.expect(r.json.items.some((f) => f.code === code && f.anonymous), 'in the one-stop\'s queue, anonymous');
      r = await ctx.api('POST', `/api/v1/feedback/${code}/actions`,
        { action: 'answer', answer: 'Đã yêu cầu đơn vị trông xe phát vé.', public: true }, 'clerk');
      ctx.expect(r.status === 200 && r.json.state === 'answered', 'answered');
      await page.goto(ctx.baseURL + '/feedback?code=' + code);
      await page.waitForSelector('[data-testid=fb-answer]');
      ctx.expect((await page.textContent('[data-testid=fb-answer]')).includes('phát vé'), 'the public answer');
      await fitsWidth(ctx, page, 'feedback: answer');
    },
  },
  {
    name: 'stats: year and quarter per agency from the aggregates, on a phone',
    async run(ctx) {
      const page = await ctx.newPage(PHONE);
      await page.goto(ctx.baseURL + '/stats');
      await page.waitForSelector('#stats-body tr.total');
      const r = await ctx.api('GET', '/api/v1/public/stats');
      const cells = await page.$$eval('#stats-body tr.total td', (tds) => tds.map((td) => td.textContent));
      const num = (s) => Number(s.replace(/\D/g, ''));
      ctx.expect(num(cells[1]) === r.json.total.year.received, `year total received ${cells[1]}`);
      ctx.expect(num(cells[2]) === r.json.total.year.resolved, `year total resolved ${cells[2]}`);
      const rates = await page.$$eval('[data-testid=on-time-rate]', (tds) => tds.map((td) => td.textContent));
      ctx.expect(rates.length > 1 && rates.every((s) => /^\d{1,3},\d{2} %$/.test(s) || s === 'Không có'),
        `rates with two decimals or N/A: ${rates.slice(0, 5).join(' | ')}`);
      await fitsWidth(ctx, page, 'stats');
      await page.selectOption('#stats-period', 'quarter');
      const q = await page.$$eval('#stats-body tr.total td', (tds) => tds.map((td) => td.textContent));
      ctx.expect(num(q[1]) === r.json.total.quarter.received, `quarter total received ${q[1]}`);
    },
  },
];
