/*
 * Offline unit tests for static/js/comments.js (highlighting and quoting), run by
 * `make test` when Node.js is present: `npm ci --prefix tests/js && node --test tests/js/`.
 */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');

const SRC = fs.readFileSync(path.join(__dirname, '../../static/js/comments.js'), 'utf8');

function load(body) {
  const dom = new JSDOM(`<!doctype html><html lang="vi"><body>${body}</body></html>`, {
    runScripts: 'outside-only',
    pretendToBeVisual: true,
  });
  const { window } = dom;
  window.Element.prototype.scrollIntoView = function () { this.setAttribute('data-scrolled', '1'); };
  window.eval(SRC);
  // The script starts on DOMContentLoaded, which jsdom fires asynchronously.
  return new Promise((resolve) => {
    if (window.document.readyState !== 'loading') resolve(window);
    else window.document.addEventListener('DOMContentLoaded', () => resolve(window));
  });
}

const PROSE = `
<div class="prose" data-commentable data-label-comment="Góp ý đoạn này" data-label-hint="Gợi ý">
<p>Thành phố Cần Thơ <strong>là đô thị</strong> trung tâm</p>
<p>Nội dung Đề án tập trung vào <em>phát triển hạ tầng giao thông</em>.</p>
<ul><li>Xây dựng <a href="#x">cầu Cần Thơ 2</a> trước năm 2030.</li></ul>
<table><tbody><tr><td>Giao thông</td><td>12.500</td></tr></tbody></table>
</div>`;

const FORM = `
<form id="comment-form">
  <p class="select-hint" hidden>Bôi đen một đoạn văn bản để góp ý về đoạn đó.</p>
  <textarea id="quote" name="quote"></textarea>
  <textarea id="body" name="body"></textarea>
</form>`;

const thread = (n, quote, heading = 'Sở ' + n) =>
  `<article class="comment-thread" id="thread-${n}"${quote === null ? '' : ` data-quote="${quote}"`}><h3>${heading}</h3><p>…</p></article>`;

const marksOf = (w, id) => Array.from(w.document.querySelectorAll(`mark.quote-mark[data-thread="${id}"]`));
const textOf = (marks) => marks.map((m) => m.textContent).join('|');

test('quote across <strong> and two paragraphs is marked per text node', async () => {
  const w = await load(PROSE + thread(1, 'Cần Thơ là đô thị trung tâm Nội dung Đề án') + FORM);
  const marks = marksOf(w, 'thread-1');
  assert.equal(textOf(marks), 'Cần Thơ |là đô thị| trung tâm|Nội dung Đề án');
  // structure intact: still two paragraphs, strong still inside the first
  const ps = w.document.querySelectorAll('.prose > p');
  assert.equal(ps.length, 2);
  assert.equal(ps[0].textContent, 'Thành phố Cần Thơ là đô thị trung tâm');
  assert.equal(ps[0].querySelector('strong > mark').textContent, 'là đô thị');
  for (const m of marks) assert.equal(m.querySelector('p, li, td, tr, table, ul'), null);
  // first mark: id, the only tab stop, role and label
  assert.equal(marks[0].id, 'mark-1');
  assert.equal(marks[0].getAttribute('tabindex'), '0');
  assert.equal(marks[0].getAttribute('role'), 'link');
  assert.equal(marks[0].getAttribute('aria-label'), 'Xem góp ý: Sở 1');
  for (const m of marks.slice(1)) {
    assert.equal(m.hasAttribute('tabindex'), false);
    assert.equal(m.hasAttribute('role'), false);
  }
  // back link from the thread
  const back = w.document.querySelector('#thread-1 > a.quote-backlink');
  assert.equal(back.getAttribute('href'), '#mark-1');
  assert.equal(back.textContent, '↑');
});

test('whitespace-insensitive, case-sensitive, duplicates share one passage', async () => {
  const w = await load(PROSE +
    thread(2, 'phát triển  hạ\n tầng giao thông') +
    thread(3, 'phát triển hạ tầng giao thông') +
    thread(4, 'THÀNH PHỐ') + FORM);
  assert.equal(textOf(marksOf(w, 'thread-2')), 'phát triển hạ tầng giao thông');
  assert.equal(marksOf(w, 'thread-3').length, 0, 'same passage is marked once');
  assert.equal(w.document.querySelector('#thread-3 > a.quote-backlink').getAttribute('href'), '#mark-2');
  assert.equal(w.document.querySelectorAll('mark').length, 1);
  assert.equal(w.document.querySelector('#thread-4 .quote-backlink'), null, 'case differs: not found');
});

test('table cells, links, missing and empty quotes', async () => {
  const w = await load(PROSE + thread(5, 'Giao thông 12.500') + thread(6, 'cầu Cần Thơ 2') +
    thread(7, 'không có trong văn bản') + thread(8, '') + thread(9, null) + FORM);
  const cells = marksOf(w, 'thread-5');
  assert.equal(textOf(cells), 'Giao thông|12.500');
  assert.deepEqual(cells.map((m) => m.parentNode.nodeName), ['TD', 'TD']);
  const inLink = marksOf(w, 'thread-6');
  assert.equal(inLink.length, 1);
  assert.equal(inLink[0].parentNode.nodeName, 'A');
  assert.equal(inLink[0].hasAttribute('tabindex'), false, 'no focusable mark inside a link');
  assert.equal(inLink[0].id, 'mark-6');
  for (const n of [7, 8, 9]) assert.equal(w.document.querySelector(`#thread-${n} .quote-backlink`), null);
});

test('decomposed (NFD) text in the page matches an NFC quote', async () => {
  const nfd = 'Thành phố Cần Thơ'.normalize('NFD');
  const w = await load(`<div class="prose" data-commentable><p>Ở ${nfd} hôm nay</p></div>` + thread(1, 'phố Cần') + FORM);
  const marks = marksOf(w, 'thread-1');
  assert.equal(marks.length, 1);
  assert.equal(marks[0].textContent.normalize('NFC'), 'phố Cần');
});

test('a quote contained in another gets the inner (clickable) marks', async () => {
  const w = await load(PROSE + thread(1, 'là đô thị') + thread(2, 'Thành phố Cần Thơ là đô thị trung tâm') + FORM);
  const inner = marksOf(w, 'thread-1');
  assert.equal(textOf(inner), 'là đô thị');
  assert.equal(inner[0].parentNode.closest('mark').getAttribute('data-thread'), 'thread-2');
});

test('hint is shown; clicking a mark flashes its thread', async () => {
  const w = await load(PROSE + thread(1, 'là đô thị') + FORM);
  assert.equal(w.document.querySelector('.select-hint').hidden, false);
  const mark = w.document.getElementById('mark-1');
  mark.dispatchEvent(new w.MouseEvent('click', { bubbles: true }));
  const t = w.document.getElementById('thread-1');
  assert.ok(t.classList.contains('thread-flash'));
  assert.equal(t.getAttribute('data-scrolled'), '1');
  assert.equal(w.document.activeElement, t);
  // keyboard activation
  t.classList.remove('thread-flash');
  mark.dispatchEvent(new w.KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  assert.ok(t.classList.contains('thread-flash'));
});

test('no form: highlights still work, no button, hint untouched', async () => {
  const w = await load(PROSE + thread(1, 'là đô thị'));
  assert.equal(marksOf(w, 'thread-1').length, 1);
  assert.equal(w.document.querySelector('.quote-button'), null);
  assert.equal(w.ConsultComments.selection, null);
});

test('selection button copies the cleaned selection into #quote', async () => {
  const w = await load(PROSE + FORM);
  const { document } = w;
  const p = document.querySelector('.prose p');
  const range = document.createRange();
  range.setStart(p.firstChild, 10); // inside "Thành phố Cần Thơ "
  range.setEnd(p.lastChild, 6); // inside " trung tâm"
  const sel = document.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  let inputs = 0;
  document.getElementById('quote').addEventListener('input', () => { inputs += 1; });
  w.ConsultComments.selection.apply();
  assert.equal(document.getElementById('quote').value, 'Cần Thơ là đô thị trung');
  assert.equal(inputs, 1);
  assert.equal(document.activeElement, document.getElementById('body'));
  assert.equal(document.getElementById('comment-form').getAttribute('data-scrolled'), '1');
});

test('the selection sends the text around it, cleared when the quote is typed by hand', async () => {
  const form = FORM.replace('<textarea id="body"', '<input type="hidden" id="quote_prefix"><input type="hidden" id="quote_suffix"><textarea id="body"');
  const w = await load(PROSE + form);
  const { document } = w;
  const strong = document.querySelector('.prose strong');
  const range = document.createRange();
  range.selectNodeContents(strong); // "là đô thị"
  const sel = document.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  w.ConsultComments.selection.apply();
  assert.equal(document.getElementById('quote').value, 'là đô thị');
  assert.equal(document.getElementById('quote_prefix').value, 'Thành phố Cần Thơ');
  assert.equal(document.getElementById('quote_suffix').value, 'trung tâm Nội dung Đề án tập trung vào p');
  const quote = document.getElementById('quote');
  quote.value = 'là đô';
  quote.dispatchEvent(new w.Event('input', { bubbles: true }));
  assert.equal(document.getElementById('quote_prefix').value, '');
  assert.equal(document.getElementById('quote_suffix').value, '');
});

test('helpers', async () => {
  const w = await load('');
  const { cleanQuote, truncate, matchKey } = w.ConsultComments;
  assert.equal(cleanQuote('  a\n\n b\u00a0 c\u00ad d '), 'a b c d');
  assert.equal(matchKey('Cần\nThơ'), 'CầnThơ');
  const long = ('từ '.repeat(1000)).trim();
  const cut = truncate(long, 2000);
  assert.ok(cut.length <= 2000 && cut.endsWith('từ'));
});
