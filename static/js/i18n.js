// motcua — messages and dates for the pages: Vietnamese by default,
// English on a switch (kept in localStorage).
//
// Catalogues register themselves: register('vi', {...}); register('en',
// {...}). t(key, params) looks the key up in the current language, then
// Vietnamese, then returns the key itself so a missing message is visible.
// Elements with data-i18n="key" get their text replaced by translate(root);
// data-i18n-placeholder, data-i18n-title and data-i18n-aria-label do the same
// for those attributes. Dates are shown as dd/mm/yyyy hh:mm in the office's
// time zone (Asia/Ho_Chi_Minh unless the page sets another).

const catalogues = { vi: {}, en: {} };
let zone = 'Asia/Ho_Chi_Minh';

export function register(lang, messages) {
  Object.assign(catalogues[lang] || (catalogues[lang] = {}), messages);
}

export function lang() {
  const saved = localStorage.getItem('motcua.lang');
  return saved === 'en' ? 'en' : 'vi';
}

export function setLang(l) {
  localStorage.setItem('motcua.lang', l === 'en' ? 'en' : 'vi');
  document.documentElement.lang = lang();
}

export function setZone(z) {
  zone = z || zone;
}

export function t(key, params) {
  let s = catalogues[lang()][key];
  if (s === undefined) s = catalogues.vi[key];
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined ? String(params[k]) : m));
  return s;
}

export function translate(root = document) {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const attr of ['placeholder', 'title', 'aria-label']) {
    const name = 'data-i18n-' + attr;
    for (const el of root.querySelectorAll('[' + name + ']')) el.setAttribute(attr, t(el.getAttribute(name)));
  }
}

function parts(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return null;
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  const p = {};
  for (const x of f.formatToParts(d)) p[x.type] = x.value;
  return p;
}

// "2026-11-20T10:00:00+07:00" → "20/11/2026 10:00"
export function fmtDateTime(iso) {
  if (!iso) return '';
  const p = parts(iso);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : '';
}

// → "20/11/2026"
export function fmtDate(iso) {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  }
  const p = parts(iso);
  return p ? `${p.day}/${p.month}/${p.year}` : '';
}

// Numbers with Vietnamese grouping (1.234.567) or English (1,234,567).
export function fmtNumber(n) {
  if (n === null || n === undefined) return '';
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'vi-VN').format(n);
}
