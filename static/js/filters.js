/*
 * Consult: live filters. A form marked `data-live-filters` is submitted as soon as one
 * of its lists changes, so the results follow the choice without pressing "Filter".
 *
 * Progressive enhancement only: without this script the form's own button submits it.
 * After the new page loads, the keyboard focus goes back to the list that was changed,
 * so a keyboard user carries on where they were. No inline code (the portal's CSP).
 */
(() => {
  'use strict';

  const KEY = 'consult.live-filter-focus';

  const forms = document.querySelectorAll('form[data-live-filters]');
  forms.forEach((form) => {
    form.addEventListener('change', (event) => {
      const field = event.target;
      if (!(field instanceof HTMLSelectElement) || !field.id) return;
      try {
        sessionStorage.setItem(KEY, field.id);
      } catch (e) {
        // storage refused (private mode): only the focus restoration is lost
      }
      if (typeof form.requestSubmit === 'function') form.requestSubmit();
      else form.submit();
    });
  });

  let focusId = null;
  try {
    focusId = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch (e) {
    focusId = null;
  }
  if (focusId) {
    const field = document.getElementById(focusId);
    if (field && field.closest('form[data-live-filters]')) field.focus();
  }
})();
