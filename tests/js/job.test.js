/*
 * Offline unit tests for static/js/job.js (a job's progress page), run by `make test` when
 * Node.js is present: the page asks the status endpoint until the job ends, then reloads.
 */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { JSDOM } = require('jsdom');

const SRC = fs.readFileSync(path.join(__dirname, '../../static/js/job.js'), 'utf8');

const PAGE = (finished) => `
<section id="job" data-status-url="/jobs/7/status" data-finished="${finished}">
  <strong id="job-state">Đang chờ thực hiện</strong>
  <progress id="job-progress" max="100">0%</progress>
  <p id="job-detail"></p>
</section>`;

function load(body, answers) {
  const dom = new JSDOM(`<!doctype html><html lang="vi"><body>${body}</body></html>`, {
    runScripts: 'outside-only',
  });
  const { window } = dom;
  const asked = [];
  let reloaded = false;
  const timers = [];
  window.setTimeout = (fn) => { timers.push(fn); return timers.length; };
  window.fetch = (url) => {
    asked.push(url);
    const answer = answers.shift();
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({ ok: true, json: () => Promise.resolve(answer) });
  };
  window.__reload = () => { reloaded = true; };
  window.eval(SRC.replace('window.location.reload()', 'window.__reload()'));
  const tick = async () => {
    const fn = timers.shift();
    if (fn) fn();
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { window, asked, tick, reloaded: () => reloaded, timers };
}

const running = (percent, detail) => ({
  state: 'running', label: 'Đang thực hiện', finished: false, percent, detail,
});

test('the bar and the words follow the job, then the page reloads when it ends', async () => {
  const page = load(PAGE('false'), [
    running(40, 'đã xong 40 trên 100 (40%) · còn khoảng 6 giây'),
    { state: 'done', label: 'Đã xong', finished: true, percent: 100, detail: '' },
  ]);
  const doc = page.window.document;
  await page.tick();
  assert.deepEqual(page.asked, ['/jobs/7/status']);
  assert.equal(doc.getElementById('job-progress').value, 40);
  assert.equal(doc.getElementById('job-state').textContent, 'Đang thực hiện');
  assert.match(doc.getElementById('job-detail').textContent, /còn khoảng 6 giây/);
  assert.equal(page.reloaded(), false);
  await page.tick();
  assert.equal(page.asked.length, 2);
  assert.equal(page.reloaded(), true);
});

test('a failed request is tried again later, not given up', async () => {
  const page = load(PAGE('false'), [new Error('offline'), running(10, '')]);
  await page.tick();
  assert.equal(page.timers.length, 1); // asks again
  await page.tick();
  assert.equal(page.window.document.getElementById('job-progress').value, 10);
});

test('a finished job is not polled', async () => {
  const page = load(PAGE('true'), []);
  await page.tick();
  assert.deepEqual(page.asked, []);
});
