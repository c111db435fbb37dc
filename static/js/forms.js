// motcua — printable forms (/forms/…): the "In / Print" button.
//
// Loaded as a module by every form page; the pages carry no inline script
// so the strict Content-Security-Policy holds. Printing itself is the
// browser's: forms.css sets the paper (A5, or A4 landscape for the
// register) and hides the toolbar.

for (const button of document.querySelectorAll('[data-action="print"]')) {
  button.addEventListener('click', () => window.print());
  button.disabled = false;
}
