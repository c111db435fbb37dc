// motcua — online submission. Four steps on one page: find the procedure
// (its checklist, limit and fee shown), choose the receiving one-stop,
// fill in the applicant, then attach files and submit.
//
// Protocol (no multipart): POST /api/v1/public/submissions with the form
// gives a reference and an upload token; each file goes as the raw body
// of PUT …/files/{n} with the token in X-Upload-Token and its name in
// ?name=; POST …/submit sends the dossier to the one-stop's queue.

import {
  papi, ApiError, h, clear, $, initPage, t, lang, limitText, sizeText, fmtNumber, errorText,
  showError, clearErrors, fieldError, digits, row,
} from '/js/public-common.js';

const state = {
  procedure: null,	// the chosen procedure (public JSON)
  draft: null,		// { ref, upload_token, max_files, max_file_bytes }
  files: new Map(),	// slot → file JSON
};

// A call with the upload token (api.js only sends JSON bodies).
async function tokenCall(method, path, body, contentType) {
  const headers = { Accept: 'application/json', 'X-Upload-Token': state.draft.upload_token };
  if (contentType) headers['Content-Type'] = contentType;
  let res;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', 'network', null);
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText, err.field);
  }
  return data;
}

function feeText(p) {
  if (p.fee_vnd === null || p.fee_vnd === undefined) return t('submit.fee_unknown');
  if (p.fee_vnd === 0) return t('submit.fee_free');
  return fmtNumber(p.fee_vnd) + (lang() === 'en' ? ' VND' : ' đồng');
}

// ---- step 1: the procedure -------------------------------------------------

function procedureItem(p) {
  return h('li', null,
    h('div', null,
      h('span', { class: 'proc-name' }, p.name),
      h('span', { class: 'proc-meta' }, `${p.code} · ${limitText(p.online_limit || p.limit)}`)),
    h('button', { type: 'button', class: 'secondary small', 'data-code': p.code, onclick: () => choose(p) },
      t('submit.choose')));
}

async function search(q) {
  const list = clear($('#proc-results'));
  try {
    const { items } = await papi('GET', '/api/v1/public/procedures?online=1&limit=20&q=' + encodeURIComponent(q));
    if (!items.length) list.append(h('li', { class: 'muted' }, t('submit.no_results')));
    for (const p of items) list.append(procedureItem(p));
  } catch (err) {
    list.append(h('li', { class: 'form-error' }, errorText(err)));
  }
}

async function choose(p) {
  state.procedure = p;
  $('#proc-results').hidden = true;
  $('#search-form').hidden = true;
  const box = clear($('#proc-chosen'));
  box.hidden = false;
  box.append(
    h('p', { class: 'muted' }, t('submit.chosen')),
    h('h3', { 'data-testid': 'chosen-procedure' }, p.name),
    h('dl', { class: 'facts' },
      row(t('submit.code'), p.code, { class: 'code' }),
      row(t('submit.limit'), limitText(p.online_limit || p.limit)),
      row(t('submit.fee'), feeText(p))),
    h('h3', null, t('submit.checklist')),
    h('ul', { class: 'checklist' }, p.documents.map((d) =>
      h('li', null, d.name, d.required ? null : ' ' + t('submit.optional')))),
    state.draft ? null : h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary small', id: 'proc-change', onclick: unchoose }, t('submit.change'))));
  await loadAgencies(p.level);
  $('#applicant-form').hidden = false;
  $('#a-name').focus();
}

function unchoose() {
  state.procedure = null;
  $('#proc-chosen').hidden = true;
  $('#proc-results').hidden = false;
  $('#search-form').hidden = false;
  $('#applicant-form').hidden = true;
}

async function loadAgencies(level) {
  const sel = clear($('#agency'));
  const form = $('#applicant-form');
  clearErrors(form);
  try {
    const { items } = await papi('GET', '/api/v1/public/agencies?level=' + encodeURIComponent(level));
    for (const a of items) sel.append(h('option', { value: a.code }, a.name));
    if (!items.length) fieldError(form, 'agency_code', t('submit.agency_none'));
  } catch (err) {
    showError(form, err);
  }
}

// ---- step 3: the applicant → a draft ------------------------------------------

function applicantBody(form) {
  const v = (name) => form.elements[name].value.trim();
  const body = {
    procedure_code: state.procedure.code,
    agency_code: form.agency_code.value,
    applicant: {
      name: v('applicant.name'),
      id_number: digits(v('applicant.id_number')),
      phone: v('applicant.phone').replace(/[\s.-]+/g, ''),
    },
  };
  if (v('applicant.email')) body.applicant.email = v('applicant.email');
  if (v('applicant.address')) body.applicant.address = v('applicant.address');
  if (v('note')) body.note = form.elements.note.value.trim();
  return body;
}

function checkApplicant(form, body) {
  let ok = true;
  const need = (name, value) => {
    if (!value) {
      fieldError(form, name, t('err.missing_field'));
      ok = false;
    }
  };
  need('agency_code', body.agency_code);
  need('applicant.name', body.applicant.name);
  need('applicant.id_number', body.applicant.id_number);
  need('applicant.phone', body.applicant.phone);
  if (body.applicant.id_number && ![9, 10, 12].includes(body.applicant.id_number.length)) {
    fieldError(form, 'applicant.id_number', t('err.invalid_id_number'));
    ok = false;
  }
  if (body.applicant.phone && !/^(0\d{9,10}|\+84[1-9]\d{8,9})$/.test(body.applicant.phone)) {
    fieldError(form, 'applicant.phone', t('err.invalid_phone'));
    ok = false;
  }
  return ok;
}

async function startDraft(form) {
  clearErrors(form);
  const body = applicantBody(form);
  if (!checkApplicant(form, body)) return;
  const button = $('#applicant-continue');
  button.disabled = true;
  try {
    state.draft = await papi('POST', '/api/v1/public/submissions', body);
    for (const el of form.elements) el.disabled = true;
    button.hidden = true;
    const change = $('#proc-change');
    if (change) change.hidden = true;
    showFiles();
  } catch (err) {
    showError(form, err);
    button.disabled = false;
  }
}

// ---- step 4: files ----------------------------------------------------------

function showFiles() {
  const sec = $('#step-files');
  sec.hidden = false;
  $('#files-lead').textContent = t('submit.files_lead', { size: sizeText(state.draft.max_file_bytes) });
  const sel = clear($('#doc-label'));
  for (const d of state.procedure.documents) sel.append(h('option', { value: d.name }, d.name));
  sel.append(h('option', { value: '' }, t('submit.document_other')));
  renderFiles();
  sec.scrollIntoView({ block: 'start' });
}

function renderFiles() {
  const list = clear($('#file-list'));
  if (!state.files.size) {
    list.append(h('li', { class: 'muted' }, t('submit.no_files')));
    return;
  }
  for (const [n, f] of [...state.files.entries()].sort((a, b) => a[0] - b[0])) {
    list.append(h('li', { 'data-slot': n },
      h('span', { class: 'file-name' }, f.name,
        h('span', { class: 'file-meta' }, [f.label, sizeText(f.size)].filter(Boolean).join(' · '))),
      h('button', { type: 'button', class: 'secondary small', onclick: () => removeFile(n) }, t('submit.remove'))));
  }
}

function freeSlot() {
  for (let n = 1; n <= state.draft.max_files; n++) if (!state.files.has(n)) return n;
  return 0;
}

async function attach(form) {
  clearErrors(form);
  const file = form.file.files[0];
  if (!file) {
    fieldError(form, 'file', t('submit.choose_file'));
    return;
  }
  if (file.size > state.draft.max_file_bytes) {
    fieldError(form, 'file', t('err.body_too_large', { size: sizeText(state.draft.max_file_bytes) }));
    return;
  }
  const n = freeSlot();
  if (!n) return;
  const status = $('#file-status');
  const button = $('#file-attach');
  button.disabled = true;
  status.textContent = t('submit.uploading');
  const q = new URLSearchParams({ name: file.name });
  if (form.label.value) q.set('label', form.label.value);
  try {
    const f = await tokenCall('PUT', `/api/v1/public/submissions/${encodeURIComponent(state.draft.ref)}/files/${n}?${q}`,
      file, file.type || 'application/octet-stream');
    state.files.set(n, f);
    form.file.value = '';
    status.textContent = t('submit.attached') + ': ' + f.name;
    renderFiles();
  } catch (err) {
    status.textContent = '';
    const msg = err.code === 'body_too_large'
      ? t('err.body_too_large', { size: sizeText(state.draft.max_file_bytes) }) : errorText(err);
    fieldError(form, 'file', msg);
  } finally {
    button.disabled = false;
  }
}

async function removeFile(n) {
  const form = $('#file-form');
  clearErrors(form);
  try {
    await tokenCall('DELETE', `/api/v1/public/submissions/${encodeURIComponent(state.draft.ref)}/files/${n}`);
    state.files.delete(n);
    renderFiles();
  } catch (err) {
    showError(form, err);
  }
}

async function send(form) {
  clearErrors(form);
  if (!state.files.size) {
    showError(form, t('err.no_attachments'));
    return;
  }
  const button = $('#submission-send');
  button.disabled = true;
  button.textContent = t('submit.sending');
  try {
    const d = await tokenCall('POST', `/api/v1/public/submissions/${encodeURIComponent(state.draft.ref)}/submit`,
      '{}', 'application/json');
    done(d);
  } catch (err) {
    showError(form, err);
    button.disabled = false;
    button.textContent = t('submit.send');
  }
}

function done(d) {
  for (const id of ['#step-procedure', '#applicant-form', '#step-files']) $(id).hidden = true;
  const box = clear($('#done'));
  box.hidden = false;
  box.append(
    h('h2', null, t('submit.done_title')),
    h('p', null, t('submit.done_ref')),
    h('p', { class: 'big-code code', 'data-testid': 'submit-ref' }, d.ref),
    h('p', { class: 'notice info' }, t('submit.done_1')),
    h('p', null, t('submit.done_2', { agency: d.agency.name })),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: d.lookup_url }, t('submit.done_lookup'))));
  box.scrollIntoView({ block: 'start' });
}

function init() {
  initPage('submit.title');
  $('#search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    search($('#proc-q').value.trim());
  });
  $('#applicant-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    startDraft(ev.target);
  });
  $('#file-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    attach(ev.target);
  });
  $('#send-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    send(ev.target);
  });
  const code = new URLSearchParams(location.search).get('procedure');
  search(code || '');
}

init();
