// motcua — browser tests of the printable forms (/forms/…; see run.mjs for ctx).
//
// Every form is opened in chromium the way a clerk opens it: the page must
// load its style and script under the strict CSP (no inline code), show
// the print button enabled, call window.print() when it is pressed, hide
// the toolbar on paper, and print to PDF on the right paper: one A5 sheet
// for Form 01, A4 landscape for the register.

const A5 = [420, 595];		// points, portrait
const A4_LANDSCAPE = [842, 595];

const TITLES = {
  '01': 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
  '02': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ',
  '03': 'Phiếu từ chối tiếp nhận giải quyết hồ sơ',
  '04': 'Phiếu xin lỗi và hẹn lại ngày trả kết quả',
  '05': 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
  register: 'Sổ theo dõi hồ sơ',
};

async function receive(ctx, name) {
  const res = await ctx.api('POST', '/api/v1/dossiers', {
    procedure_code: '1.013831', channel: 'direct',
    applicant: { name, id_number: '038090007777', phone: '0912000222', address: 'Phường Hạc Thành' },
    documents: [{ name: 'Đơn đăng ký biến động', kind: 'original', count: 1 }],
  }, 'clerk');
  ctx.expect(res.status === 201, `receive: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function act(ctx, user, code, body) {
  const res = await ctx.api('POST', `/api/v1/dossiers/${code}/actions`, body, user);
  ctx.expect(res.status === 200, `${user} ${body.action}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

// The PDF's pages and the size of the first one, read from the bytes.
function pdfPages(buf) {
  const text = buf.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?!s)/g) || []).length;
  const box = text.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  return { pages, width: box ? Math.round(Number(box[1])) : 0, height: box ? Math.round(Number(box[2])) : 0 };
}

// Open a form page and check what every form page must do; returns the page.
async function openForm(ctx, page, path, title) {
  const res = await page.goto(ctx.baseURL + path);
  ctx.expect(res.status() === 200, `${path}: HTTP ${res.status()}`);
  ctx.expect(res.headers()['content-type'] === 'text/html; charset=utf-8', `${path}: content type`);
  const h1 = (await page.textContent('h1.title')).trim();
  ctx.expect(h1 === title, `${path}: title "${h1}"`);
  // The heading is set in capitals by forms.css, so the stylesheet loaded.
  const upper = await page.$eval('h1.title', (e) => getComputedStyle(e).textTransform);
  ctx.expect(upper === 'uppercase', `${path}: forms.css applied (${upper})`);
  const national = await page.textContent('.doc-head .republic');
  ctx.expect(national === 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', `${path}: national heading`);
  // forms.js enables the button (it starts disabled), so the module ran.
  const button = page.locator('[data-action=print]');
  await button.waitFor();
  ctx.expect(await button.isEnabled(), `${path}: print button enabled by forms.js`);
  const before = await page.evaluate(() => window.__printed || 0);
  await button.click();
  const after = await page.evaluate(() => window.__printed || 0);
  ctx.expect(after === before + 1, `${path}: the button calls window.print()`);
  // On paper only the sheet remains.
  await page.emulateMedia({ media: 'print' });
  ctx.expect(!(await page.isVisible('.toolbar')), `${path}: toolbar hidden in print`);
  await page.emulateMedia({ media: 'screen' });
  ctx.expect(await page.isVisible('.toolbar'), `${path}: toolbar shown on screen`);
  await page.emulateMedia({ media: null });	// back to the default: page.pdf() prints
  return page;
}

async function newFormPage(ctx) {
  const page = await ctx.newPage();
  // Count print requests instead of opening the print dialog.
  await page.addInitScript(() => {
    window.print = () => { window.__printed = (window.__printed || 0) + 1; };
  });
  await ctx.login(page, 'clerk');
  return page;
}

export default [
  {
    name: 'every form of a two-agency dossier renders and prints',
    async run(ctx) {
      const d = await receive(ctx, 'Đinh Văn In');
      const code = d.code;
      await act(ctx, 'clerk', code, { action: 'transfer' });
      await act(ctx, 'officer', code, {
        action: 'request_supplement', reason: 'Thiếu hợp đồng chuyển nhượng',
        items: [{ name: 'Hợp đồng chuyển nhượng', kind: 'certified_copy' }],
      });
      await act(ctx, 'clerk', code, { action: 'supplement_received' });
      await act(ctx, 'officer', code, { action: 'transfer' });
      const back = await act(ctx, 'officer.thue', code, { action: 'transfer' });
      const later = new Date(Date.parse(back.appointment_at) + 10 * 86400000).toISOString();
      await act(ctx, 'manager.nnmt', code, { action: 'extend', reason: 'Chờ đo đạc lại', new_appointment: later });
      await act(ctx, 'officer', code, { action: 'resolve', result: 'Cấp Giấy chứng nhận' });
      await act(ctx, 'clerk', code, { action: 'return', method: 'counter' });

      const page = await newFormPage(ctx);
      for (const form of ['01', '02', '04', '05']) {
        await openForm(ctx, page, `/forms/${code}/${form}`, TITLES[form]);
        const text = await page.textContent('main');
        ctx.expect(text.includes(code), `Form ${form} shows the code`);
        ctx.expect(text.includes('Đinh Văn In'), `Form ${form} shows the applicant`);
        const number = await page.textContent('.doc-head .number');
        ctx.expect(/^Số: \d{2}\/[A-Z]+$/.test(number), `Form ${form} is numbered: ${number}`);
      }

      // Form 01: the QR code is drawn, and the slip prints on one A5 sheet.
      await page.goto(`${ctx.baseURL}/forms/${code}/01`);
      const qr = await page.$eval('.qr-box svg', (svg) => {
        const r = svg.getBoundingClientRect();
        return { w: r.width, h: r.height, label: svg.getAttribute('aria-label') };
      });
      ctx.expect(qr.w > 50 && Math.abs(qr.w - qr.h) < 1, `QR code drawn square: ${qr.w}×${qr.h}`);
      ctx.expect(qr.label === `${ctx.baseURL}/lookup?code=${code}`, `QR holds the lookup address: ${qr.label}`);
      const slip = pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      ctx.expect(slip.pages === 1, `Form 01 prints on one sheet (${slip.pages})`);
      ctx.expect(slip.width === A5[0] && slip.height === A5[1], `Form 01 is A5: ${slip.width}×${slip.height}`);
      await page.goto(`${ctx.baseURL}/forms/${code}/05`);
      const sheet = pdfPages(await page.pdf({ preferCSSPageSize: true }));
      ctx.expect(sheet.width === A5[0] && sheet.height === A5[1], `Form 05 is A5: ${sheet.width}×${sheet.height}`);

      // A form that does not apply answers 409 with the error envelope.
      const refused = await page.goto(`${ctx.baseURL}/forms/${code}/03`);
      ctx.expect(refused.status() === 409, `Form 03 of a dossier never refused: ${refused.status()}`);
      const body = JSON.parse(await page.textContent('body'));
      ctx.expect(body.error.code === 'form_not_applicable', `error code: ${body.error.code}`);
    },
  },

  {
    name: 'the refusal (Form 03) renders and prints',
    async run(ctx) {
      const d = await receive(ctx, 'Trần Thị Từ Chối');
      await act(ctx, 'clerk', d.code, { action: 'transfer' });
      await act(ctx, 'officer', d.code, { action: 'refuse', reason: 'Thửa đất đang có tranh chấp' });
      const page = await newFormPage(ctx);
      await openForm(ctx, page, `/forms/${d.code}/03`, TITLES['03']);
      const text = await page.textContent('main');
      ctx.expect(text.includes('Thửa đất đang có tranh chấp'), 'the reason is on the form');
      const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
      ctx.expect(pdf.pages === 1 && pdf.width === A5[0], `one A5 sheet: ${JSON.stringify(pdf)}`);
    },
  },

  {
    name: 'the register of today prints on A4 landscape',
    async run(ctx) {
      const d = await receive(ctx, 'Lý Văn Sổ');
      const today = d.received_at.slice(0, 10);
      const page = await newFormPage(ctx);
      await openForm(ctx, page, `/forms/register?from=${today}&to=${today}`, TITLES.register);
      const codes = await page.$$eval('table.register td.code', (tds) => tds.map((td) => td.textContent));
      ctx.expect(codes.includes(d.code), `today's dossier is in the book (${codes.length} entries)`);
      const stt = await page.$$eval('table.register td.n', (tds) => tds.map((td) => Number(td.textContent)));
      ctx.expect(stt.every((n, i) => i === 0 || n === stt[i - 1] + 1), `entries numbered in a row: ${stt}`);
      const pdf = pdfPages(await page.pdf({ preferCSSPageSize: true }));
      ctx.expect(pdf.width === A4_LANDSCAPE[0] && pdf.height === A4_LANDSCAPE[1],
        `A4 landscape: ${pdf.width}×${pdf.height}`);
    },
  },
];
