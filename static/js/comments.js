/*
 * Consult: commenting on a section's text.
 *
 * Progressive enhancement only. Without this script the page still works: the
 * reader types or pastes a passage into #quote and writes the comment in #body.
 * With it:
 *   1. selecting text in `.prose[data-commentable]` shows a floating button that
 *      copies the selection into #quote and takes the reader to the form;
 *   2. passages quoted by existing `.comment-thread[data-quote]` are marked in
 *      the text (<mark class="quote-mark">), and marks and threads link to each
 *      other;
 *   3. the form's `.select-hint` is shown, since selecting now does something.
 *
 * Plain ES2019, no dependencies, no inline code or styles that a strict
 * Content-Security-Policy would block (positions are set through the CSSOM,
 * which CSP allows). Load with <script src=".../comments.js" defer>.
 *
 * A small API is exposed as `window.ConsultComments` so the matching logic can
 * be unit-tested (tests/js/) and re-run by other scripts.
 */
(() => {
  'use strict';

  if (window.ConsultComments) return; // included twice: the first copy wins

  const PROSE_SELECTOR = '.prose[data-commentable]';
  const THREAD_SELECTOR = 'article.comment-thread';
  const MAX_QUOTE = 2000;
  // Text kept each side of a selected passage (#quote_prefix, #quote_suffix): which
  // occurrence is meant when a short passage occurs more than once in the section.
  const CONTEXT = 40;
  // selectionchange fires for every character while a selection is extended
  // with the keyboard or with touch handles: only act once it has settled.
  const SETTLE_MS = 250;
  const FLASH_MS = 2000;
  const EDGE = 8; // keep the button this far from the viewport edges
  const GAP = 8; // between the selection and the button
  // Below the selection on touch screens, clear of the native drag handles that
  // hang under the last line (the native copy/share menu sits above it).
  const TOUCH_GAP = 28;

  const DEFAULT_LABELS = {
    comment: 'Góp ý đoạn này',
    hint: 'Bôi đen một đoạn văn bản để góp ý về đoạn đó.',
    view: 'Xem góp ý',
    back: 'Về đoạn được trích dẫn',
  };

  // Characters that never matter when comparing a quote with the text:
  // invisible ones (soft hyphen, zero-width space/joiners, word joiner, BOM)
  // are dropped; whitespace is collapsed for display and dropped for matching.
  const INVISIBLE_G = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
  const IGNORABLE = /[\s\u00ad\u200b-\u200d\u2060\ufeff]/;
  const IGNORABLE_G = /[\s\u00ad\u200b-\u200d\u2060\ufeff]+/g;

  // Text directly inside these cannot be wrapped in a <mark> without making the
  // HTML invalid (and in practice it is only formatting whitespace).
  const NO_MARK_PARENTS = new Set([
    'TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TR', 'COLGROUP', 'UL', 'OL', 'DL',
    'SELECT', 'OPTGROUP', 'SCRIPT', 'STYLE', 'TEXTAREA', 'TEMPLATE', 'NOSCRIPT',
  ]);
  // Entering one of these starts a new line when we rebuild a selection's text
  // ourselves (see rangeText), as selection.toString() would.
  const BLOCK_TAGS = new Set([
    'P', 'DIV', 'LI', 'UL', 'OL', 'DL', 'DT', 'DD', 'TABLE', 'CAPTION', 'TR',
    'TD', 'TH', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE',
    'SECTION', 'ARTICLE', 'FIGURE', 'FIGCAPTION', 'HR', 'ADDRESS',
  ]);

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  const prefersReducedMotion = () =>
    typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  const scrollBehavior = () => (prefersReducedMotion() ? 'auto' : 'smooth');

  // Labels come from data-label-* on the prose element, which the server
  // renders already translated; the defaults are only a safety net.
  function labelsFor(prose) {
    const get = (name, fallback) => {
      const v = prose && prose.getAttribute('data-label-' + name);
      return v && v.trim() ? v.trim() : fallback;
    };
    return {
      comment: get('comment', DEFAULT_LABELS.comment),
      hint: get('hint', DEFAULT_LABELS.hint),
      view: get('view', DEFAULT_LABELS.view),
      back: get('back', DEFAULT_LABELS.back),
    };
  }

  /** Quote as it should be stored: NFC, single spaces, trimmed. */
  function cleanQuote(text) {
    return String(text || '')
      .normalize('NFC')
      .replace(INVISIBLE_G, '')
      .replace(/\s+/g, ' ')
      .trim();
  }

  /**
   * Key used to compare a quote with the text: NFC with all whitespace and
   * invisible characters removed. Dropping whitespace entirely (rather than
   * collapsing it) is what lets a quote match across paragraph and table-cell
   * boundaries, where the DOM often has no whitespace at all ("…tâm</p><p>Nội…")
   * while the copied text has a line break.
   */
  function matchKey(text) {
    return String(text || '').normalize('NFC').replace(IGNORABLE_G, '');
  }

  /** Shorten to at most `max` UTF-16 units, preferring a word boundary. */
  function truncate(text, max) {
    if (text.length <= max) return text;
    let cut = text.slice(0, max);
    if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1); // half an emoji
    const space = cut.lastIndexOf(' ');
    if (space > max * 0.8) cut = cut.slice(0, space);
    return cut.trim();
  }

  const flashTimers = new WeakMap();
  /** Add `cls` for FLASH_MS, restarting the CSS animation if already running. */
  function flash(el, cls) {
    clearTimeout(flashTimers.get(el));
    el.classList.remove(cls);
    void el.offsetWidth; // force a style flush so re-adding restarts the animation
    el.classList.add(cls);
    flashTimers.set(el, setTimeout(() => el.classList.remove(cls), FLASH_MS));
  }

  /* ------------------------------------------------------------------ */
  /* Finding a quoted passage in the prose                               */
  /* ------------------------------------------------------------------ */

  /**
   * Searchable text of `root`: every text node, NFC-normalised, with ignorable
   * characters dropped. For each kept UTF-16 unit we remember the text node and
   * the [start, end) offsets in that node it came from, so a match in the
   * string maps back to DOM positions even when normalisation changed lengths.
   */
  function buildIndex(root) {
    const chars = [];
    const nodes = [];
    const starts = [];
    const ends = [];
    const push = (c, node, s, e) => {
      if (IGNORABLE.test(c)) return;
      chars.push(c);
      nodes.push(node);
      starts.push(s);
      ends.push(e);
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentNode;
        if (!parent || NO_MARK_PARENTS.has(parent.nodeName)) return NodeFilter.FILTER_REJECT;
        if (parent.closest && parent.closest('[hidden]')) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    let node;
    while ((node = walker.nextNode())) {
      const s = node.data;
      if (s.normalize('NFC') === s) {
        // Usual case: already NFC, one output unit per input unit.
        for (let i = 0; i < s.length; i++) push(s[i], node, i, i + 1);
      } else {
        // Decomposed text (e.g. "ế" typed as e + U+0302 + U+0301 on some
        // systems): normalise one base character with its combining marks at
        // a time so each output unit maps back to a whole source cluster.
        const cluster = /\P{M}\p{M}*|\p{M}+/gu;
        let m;
        while ((m = cluster.exec(s))) {
          const norm = m[0].normalize('NFC');
          for (let k = 0; k < norm.length; k++) {
            push(norm[k], node, m.index, m.index + m[0].length);
          }
        }
      }
    }
    return { text: chars.join(''), nodes, starts, ends };
  }

  /**
   * Where `quote` occurs in `root` (first occurrence): a list of
   * {node, start, end} text-node segments in document order, or null.
   * Matching is case-sensitive and ignores whitespace (see matchKey).
   */
  function findPassage(root, quote) {
    const needle = matchKey(quote);
    if (!needle) return null;
    const index = buildIndex(root);
    const at = index.text.indexOf(needle);
    if (at < 0) return null;
    const segments = [];
    for (let i = at; i < at + needle.length; i++) {
      const node = index.nodes[i];
      const last = segments[segments.length - 1];
      if (last && last.node === node) {
        last.end = Math.max(last.end, index.ends[i]);
      } else {
        segments.push({ node, start: index.starts[i], end: index.ends[i] });
      }
    }
    // Take in the spaces between pieces ("Cần Thơ <strong>là…") so the
    // highlight reads as one passage instead of words with gaps.
    const blank = (s) => !s || s.replace(IGNORABLE_G, '') === '';
    segments.forEach((seg, k) => {
      if (k > 0 && blank(seg.node.data.slice(0, seg.start))) seg.start = 0;
      if (k < segments.length - 1 && blank(seg.node.data.slice(seg.end))) seg.end = seg.node.data.length;
    });
    return segments;
  }

  /** Wrap [start, end) of a text node in `mark`, splitting the node as needed. */
  function wrapSegment(seg, mark) {
    let target = seg.node;
    if (seg.start > 0) target = target.splitText(seg.start);
    if (seg.end - seg.start < target.data.length) target.splitText(seg.end - seg.start);
    target.parentNode.insertBefore(mark, target);
    mark.appendChild(target);
    return mark;
  }

  /** Thread's id, giving it one if the template did not. */
  let autoId = 0;
  function threadId(thread) {
    if (!thread.id) {
      do autoId += 1; while (document.getElementById('thread-auto-' + autoId));
      thread.id = 'thread-auto-' + autoId;
    }
    return thread.id;
  }

  /** "mark-N" for thread "thread-N", made unique if that id is taken. */
  function markIdFor(thread) {
    const base = 'mark-' + threadId(thread).replace(/^thread-/, '');
    let id = base;
    for (let n = 2; document.getElementById(id); n++) id = base + '-' + n;
    return id;
  }

  function headingText(thread) {
    const h = thread.querySelector('h1, h2, h3, h4, h5, h6');
    return h ? cleanQuote(h.textContent) : '';
  }

  // thread id -> all threads quoting the same passage, and mark id -> the mark
  // keyboard users land on; both filled by highlightQuotes().
  const threadsByPassage = new Map();
  const focusMarkById = new Map();

  /**
   * Mark the passages quoted by the page's comment threads.
   * Returns the number of passages found.
   */
  function highlightQuotes(proses, threads) {
    proses = Array.from(proses || document.querySelectorAll(PROSE_SELECTOR));
    threads = Array.from(threads || document.querySelectorAll(THREAD_SELECTOR));
    if (!proses.length || !threads.length) return 0;

    // One passage per distinct quote; its marks point at the first thread
    // quoting it (threads come in page order, usually oldest first).
    const groups = new Map();
    for (const thread of threads) {
      if (thread.hasAttribute('data-quote-marked')) continue; // already done
      const key = matchKey(thread.getAttribute('data-quote'));
      if (!key) continue; // a comment on the whole section
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(thread);
    }

    // Longest quotes first: when one quote contains another, the shorter one's
    // marks end up nested inside and so win the click on the shared words.
    const ordered = Array.from(groups.entries()).sort((a, b) => b[0].length - a[0].length);
    let found = 0;
    for (const [, group] of ordered) {
      const quote = group[0].getAttribute('data-quote');
      let segments = null;
      let prose = null;
      for (const p of proses) {
        segments = findPassage(p, quote);
        if (segments) { prose = p; break; }
      }
      if (!segments) continue; // text edited since the comment: just skip it
      found += 1;

      const first = group[0];
      const labels = labelsFor(prose);
      const heading = headingText(first);
      const label = heading ? labels.view + ': ' + heading : labels.view;
      const marks = segments.map((seg) => {
        const mark = document.createElement('mark');
        mark.className = 'quote-mark';
        mark.setAttribute('data-thread', threadId(first));
        mark.title = label;
        return wrapSegment(seg, mark);
      });
      marks[0].id = markIdFor(first);

      // Only one tab stop per passage, and never inside a real link (a focusable
      // "link" inside a link confuses assistive technology).
      const focusMark = marks.find((m) => !m.parentNode.closest('a[href], button, label, summary'));
      if (focusMark) {
        focusMark.tabIndex = 0;
        focusMark.setAttribute('role', 'link');
        focusMark.setAttribute('aria-label', label);
        focusMarkById.set(marks[0].id, focusMark);
      }

      for (const thread of group) {
        threadsByPassage.set(thread.id, group);
        thread.setAttribute('data-quote-marked', marks[0].id);
        addBacklink(thread, marks[0].id, labels.back);
      }
    }
    return found;
  }

  /** Small "↑" link from a thread back to its passage in the text. */
  function addBacklink(thread, markId, label) {
    if (thread.querySelector(':scope > a.quote-backlink')) return;
    const a = document.createElement('a');
    a.className = 'quote-backlink';
    a.href = '#' + markId;
    a.textContent = '↑';
    a.title = label;
    a.setAttribute('aria-label', label);
    // First child, floated right by the CSS: reachable right after the thread
    // gets focus from a mark, and away from the comment's own text.
    thread.insertBefore(a, thread.firstChild);
  }

  function goToThread(mark) {
    const thread = document.getElementById(mark.getAttribute('data-thread'));
    if (!thread) return;
    thread.scrollIntoView({ behavior: scrollBehavior(), block: 'start' });
    // Move keyboard/screen-reader focus too, without a second (instant) scroll.
    if (!thread.hasAttribute('tabindex')) thread.setAttribute('tabindex', '-1');
    thread.focus({ preventScroll: true });
    for (const t of threadsByPassage.get(thread.id) || [thread]) flash(t, 'thread-flash');
  }

  function onDocumentClickForMarks(event) {
    const target = event.target;
    if (!(target instanceof Element)) return;

    const back = target.closest('a.quote-backlink');
    if (back) {
      const id = back.getAttribute('href').slice(1);
      const mark = document.getElementById(id);
      if (!mark) return;
      // Let the browser follow the #mark-N link (URL, history, scroll) and then
      // put focus on the passage so Tab continues from there.
      const focusMark = focusMarkById.get(id);
      if (focusMark) focusMark.focus({ preventScroll: true });
      const threadIdValue = mark.getAttribute('data-thread');
      document.querySelectorAll('mark.quote-mark').forEach((m) => {
        if (m.getAttribute('data-thread') === threadIdValue) flash(m, 'quote-mark-flash');
      });
      return;
    }

    const mark = target.closest('mark.quote-mark');
    if (!mark) return;
    // A real link in or around the passage keeps its own behaviour.
    const link = target.closest('a[href]');
    if (link && (link.contains(mark) || mark.contains(link))) return;
    // The click that ends a drag-selection inside a mark must not jump away.
    const sel = document.getSelection();
    if (sel && !sel.isCollapsed && sel.rangeCount && sel.getRangeAt(0).intersectsNode(mark)) return;
    goToThread(mark);
  }

  // Chrome cannot start a drag-selection that begins exactly at the start of
  // a focusable inline element: the press focuses the mark and the selection
  // degrades to a caret. Marks need focus only from the keyboard, so while a
  // pointer is down on one it is made unfocusable for a moment.
  let unfocusedMark = null;
  function restoreMarkFocus() {
    if (unfocusedMark) unfocusedMark.setAttribute('tabindex', '0');
    unfocusedMark = null;
  }
  function onPointerDownForMarks(event) {
    restoreMarkFocus();
    const mark = event.target instanceof Element && event.target.closest('mark.quote-mark[tabindex="0"]');
    if (!mark) return;
    mark.removeAttribute('tabindex');
    unfocusedMark = mark;
  }

  function onDocumentKeydownForMarks(event) {
    if (event.key !== 'Enter' || event.defaultPrevented) return;
    const mark = event.target instanceof Element && event.target.matches('mark.quote-mark[role="link"]')
      ? event.target : null;
    if (!mark) return;
    event.preventDefault();
    goToThread(mark);
  }

  /* ------------------------------------------------------------------ */
  /* Selection → "comment on this passage" button                        */
  /* ------------------------------------------------------------------ */

  /** Text of a range, with a line break wherever a block starts (or a <br>). */
  function rangeText(range) {
    const root = range.commonAncestorContainer;
    if (root.nodeType === Node.TEXT_NODE) return root.data.slice(range.startOffset, range.endOffset);
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let n;
    while ((n = walker.nextNode())) {
      if (!range.intersectsNode(n)) continue;
      if (n.nodeType === Node.TEXT_NODE) {
        const from = n === range.startContainer ? range.startOffset : 0;
        const to = n === range.endContainer ? range.endOffset : n.data.length;
        out.push(n.data.slice(from, to));
      } else if (n.nodeName === 'BR' || BLOCK_TAGS.has(n.nodeName)) {
        out.push('\n');
      }
    }
    return out.join('');
  }

  /** `range` cut down to the part inside `el`. */
  function clampRange(range, el) {
    const r = range.cloneRange();
    const inner = document.createRange();
    inner.selectNodeContents(el);
    if (r.compareBoundaryPoints(Range.START_TO_START, inner) < 0) r.setStart(inner.startContainer, inner.startOffset);
    if (r.compareBoundaryPoints(Range.END_TO_END, inner) > 0) r.setEnd(inner.endContainer, inner.endOffset);
    return r;
  }

  const sameRange = (a, b) =>
    a.startContainer === b.startContainer && a.startOffset === b.startOffset &&
    a.endContainer === b.endContainer && a.endOffset === b.endOffset;

  /**
   * The current selection as far as commenting is concerned:
   * {prose, range, text, backward} or null when there is nothing to quote.
   * A selection that starts or ends outside the prose (common with triple-click,
   * which extends to the start of the next block) is cut down to the prose
   * rather than refused.
   */
  function readSelection(proses) {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    for (const prose of proses) {
      if (!range.intersectsNode(prose)) continue;
      const startsIn = prose.contains(range.startContainer);
      const endsIn = prose.contains(range.endContainer);
      // Select-all (Ctrl+A) or a drag across the whole page is for copying,
      // not for quoting: only offer the button when one end is in the text.
      if (!startsIn && !endsIn) continue;
      const inside = startsIn && endsIn;
      // selection.toString() follows the rendering (line breaks between
      // paragraphs and cells); Range#toString() would glue "tâm" to "Nội".
      const r = inside ? range.cloneRange() : clampRange(range, prose);
      const text = cleanQuote(inside ? sel.toString() : rangeText(r));
      if (!text) continue; // e.g. only whitespace between two paragraphs
      const backward = !inside ? false
        : sel.focusNode === range.startContainer && sel.focusOffset === range.startOffset;
      return { prose, range: r, text, backward };
    }
    return null;
  }

  /** The prose's text just before and after `range`, as the server stores it. */
  function contextOf(prose, range) {
    const before = document.createRange();
    before.selectNodeContents(prose);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.selectNodeContents(prose);
    after.setStart(range.endContainer, range.endOffset);
    return {
      before: cleanQuote(rangeText(before)).slice(-CONTEXT).trim(),
      after: cleanQuote(rangeText(after)).slice(0, CONTEXT).trim(),
    };
  }

  function initSelectionButton(proses, form) {
    const quoteField = form.querySelector('#quote') || document.getElementById('quote');
    const bodyField = form.querySelector('#body') || document.getElementById('body');
    if (!quoteField) return null;
    const prefixField = form.querySelector('#quote_prefix');
    const suffixField = form.querySelector('#quote_suffix');
    let filling = false;
    // A passage typed or edited by hand has no known place: the server finds it.
    quoteField.addEventListener('input', () => {
      if (filling) return;
      if (prefixField) prefixField.value = '';
      if (suffixField) suffixField.value = '';
    });

    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'quote-button';
    button.hidden = true;
    button.setAttribute('aria-controls', quoteField.id);
    button.textContent = labelsFor(proses[0]).comment;

    let current = null; // what the button would quote right now
    let dismissed = null; // selection the reader closed the button for (Escape)
    let timer = 0;
    let frame = 0;
    let mouseHeld = false; // left button down: the reader is still dragging
    let pressing = false; // pointer down on our button: don't hide under it
    let lastPointer = ''; // 'mouse' | 'touch' | 'pen', from the last pointerdown
    let focusBefore = null; // where focus was before the button got it
    let lastMouseUp = 0; // time of the last mouseup, see selectionchange

    const isTouch = () =>
      lastPointer ? lastPointer !== 'mouse'
        : typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(update, delay);
    }

    function hide() {
      if (button.hidden) { current = null; return; }
      const hadFocus = document.activeElement === button;
      button.hidden = true;
      current = null;
      // Don't strand keyboard focus on <body> when the button disappears.
      if (hadFocus && focusBefore && document.contains(focusBefore)) focusBefore.focus({ preventScroll: true });
    }

    function update() {
      timer = 0;
      if (pressing) return;
      const info = readSelection(proses);
      if (!info) { dismissed = null; hide(); return; }
      if (dismissed && sameRange(dismissed, info.range)) { hide(); return; }
      dismissed = null;
      current = info;
      show();
    }

    function show() {
      const { prose } = current;
      // Keep the button right after its prose in the DOM so Tab reaches it
      // straight after the selected text, not at the end of the page.
      if (button.previousElementSibling !== prose && document.activeElement !== button) {
        prose.insertAdjacentElement('afterend', button);
      }
      button.textContent = labelsFor(prose).comment;
      button.hidden = false;
      position();
    }

    /** Place the button near the end of the selection, inside the viewport. */
    function position() {
      frame = 0;
      if (!current || button.hidden) return;
      const { range, backward } = current;
      if (typeof range.getClientRects !== 'function') { hide(); return; } // no layout engine
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
      const rect = rects.length ? rects[backward ? 0 : rects.length - 1] : range.getBoundingClientRect();
      if (!rect || (rect.width === 0 && rect.height === 0 && rect.top === 0 && rect.left === 0)) {
        hide(); // selection not rendered (inside something hidden)
        return;
      }
      const w = button.offsetWidth;
      const h = button.offsetHeight;
      const vv = window.visualViewport;
      const view = vv
        ? { left: vv.offsetLeft, top: vv.offsetTop, width: vv.width, height: vv.height }
        : { left: 0, top: 0, width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };

      // The end of the selection is where the pointer or the last handle is.
      const endX = backward ? rect.left : rect.right;
      let x = endX - w / 2;
      let y;
      if (isTouch()) {
        y = rect.bottom + TOUCH_GAP;
        if (y + h > view.top + view.height - EDGE) y = rect.top - h - TOUCH_GAP;
      } else if (rects.length > 1) {
        // Over several lines the button must not hide the other selected lines:
        // outside the selection, on the side where it ends (else the other side).
        const above = rects[0].top - h - GAP;
        const below = rects[rects.length - 1].bottom + GAP;
        y = backward ? above : below;
        if (y < view.top + EDGE || y + h > view.top + view.height - EDGE) y = backward ? below : above;
      } else {
        y = rect.top - h - GAP;
        if (y < view.top + EDGE) y = rect.bottom + GAP;
      }
      x = Math.min(Math.max(x, view.left + EDGE), view.left + view.width - w - EDGE);
      y = Math.min(Math.max(y, view.top + EDGE), view.top + view.height - h - EDGE);

      // Viewport → coordinates of the button's containing block.
      const parent = button.offsetParent;
      let left;
      let top;
      if (!parent || (parent === document.body && getComputedStyle(parent).position === 'static')) {
        left = x + window.pageXOffset;
        top = y + window.pageYOffset;
      } else {
        const pr = parent.getBoundingClientRect();
        left = x - pr.left - parent.clientLeft + parent.scrollLeft;
        top = y - pr.top - parent.clientTop + parent.scrollTop;
      }
      button.style.left = Math.round(left) + 'px';
      button.style.top = Math.round(top) + 'px';
    }

    function reposition() {
      if (!button.hidden && !frame) frame = requestAnimationFrame(position);
    }

    /** Copy the passage into the form and take the reader there. */
    function apply() {
      pressing = false;
      const info = readSelection(proses) || current;
      if (!info) { hide(); return; }
      const limit = quoteField.maxLength > 0 ? Math.min(MAX_QUOTE, quoteField.maxLength) : MAX_QUOTE;
      quoteField.value = truncate(info.text, limit);
      const context = contextOf(info.prose, info.range);
      const whole = quoteField.value === info.text;
      if (prefixField) prefixField.value = context.before;
      if (suffixField) suffixField.value = whole ? context.after : '';
      // Let other scripts (auto-grow, character counters, previews) react.
      filling = true;
      try {
        quoteField.dispatchEvent(new Event('input', { bubbles: true }));
      } finally {
        filling = false;
      }
      focusBefore = null;
      hide();
      dismissed = null;
      for (let d = form.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
      form.scrollIntoView({ behavior: scrollBehavior(), block: 'start' });
      (bodyField || quoteField).focus({ preventScroll: true });
    }

    button.addEventListener('click', apply);
    // Keep the selection (and avoid a focus flash) when the mouse presses the
    // button; Enter/Space on a focused button still click natively.
    button.addEventListener('mousedown', (e) => e.preventDefault());
    button.addEventListener('pointerdown', () => {
      pressing = true;
      // No click came (finger slid off): resume normal tracking.
      setTimeout(() => { if (pressing) { pressing = false; schedule(0); } }, 1000);
    });
    button.addEventListener('focus', (e) => { focusBefore = e.relatedTarget; });

    document.addEventListener('selectionchange', () => {
      if (pressing) return;
      const sel = document.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
        // Collapsed: hide at once, no need to wait for it to settle.
        clearTimeout(timer);
        dismissed = null;
        if (document.activeElement !== button) hide();
        return;
      }
      if (mouseHeld) return; // mouseup will handle it when the drag ends
      // Chrome reports a double/triple-click selection just after mouseup;
      // it is final already, so don't make the reader wait.
      schedule(Date.now() - lastMouseUp < 100 ? 20 : SETTLE_MS);
    });

    document.addEventListener('pointerdown', (e) => {
      lastPointer = e.pointerType || 'mouse';
      if (e.pointerType === 'mouse' && e.button === 0 && e.target !== button) mouseHeld = true;
    }, true);
    const release = (e) => { if (!e || e.pointerType === 'mouse') mouseHeld = false; };
    document.addEventListener('pointerup', release, true);
    document.addEventListener('pointercancel', release, true);
    // A drag released outside the window may never send pointerup.
    document.addEventListener('pointermove', (e) => {
      if (mouseHeld && e.pointerType === 'mouse' && e.buttons === 0) { mouseHeld = false; schedule(20); }
    }, { passive: true });
    window.addEventListener('blur', () => release());

    // The selection is final on mouseup (double/triple click too): short delay
    // only to let the browser finish updating it.
    document.addEventListener('mouseup', (e) => {
      lastMouseUp = Date.now();
      if (e.target !== button) schedule(20);
    });
    document.addEventListener('touchend', (e) => {
      lastPointer = 'touch';
      if (e.target !== button) schedule(SETTLE_MS);
    }, { passive: true });
    document.addEventListener('keyup', (e) => {
      if (e.key === 'Escape' || e.key === 'Tab' || e.target === button) return;
      const t = e.target;
      if (button.hidden && t instanceof Element && t.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return;
      schedule(SETTLE_MS);
    });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || button.hidden || !current) return;
      dismissed = current.range.cloneRange();
      hide();
    });

    window.addEventListener('scroll', reposition, { passive: true, capture: true });
    window.addEventListener('resize', reposition);
    if (window.visualViewport) {
      // Pinch-zoom and the on-screen keyboard move the visual viewport only.
      window.visualViewport.addEventListener('resize', reposition);
      window.visualViewport.addEventListener('scroll', reposition);
    }

    return { button, update, apply };
  }

  /* ------------------------------------------------------------------ */
  /* Start                                                               */
  /* ------------------------------------------------------------------ */

  /** Un-hide the form's hint (adding one from data-label-hint if missing). */
  function showHint(form, prose) {
    let hints = Array.from(form.querySelectorAll('.select-hint'));
    if (!hints.length) {
      const p = document.createElement('p');
      p.className = 'select-hint';
      p.textContent = labelsFor(prose).hint;
      form.insertBefore(p, form.firstChild);
      hints = [p];
    }
    for (const hint of hints) {
      if (!hint.textContent.trim()) hint.textContent = labelsFor(prose).hint;
      hint.hidden = false;
    }
  }

  let started = false;
  function init() {
    if (started) return;
    started = true;
    const proses = Array.from(document.querySelectorAll(PROSE_SELECTOR));
    if (!proses.length) return;

    // Highlights are useful to every reader, even one who cannot comment.
    highlightQuotes(proses);
    // A link to #mark-N arrived before the marks existed: honour it now.
    let hash = '';
    try { hash = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { /* malformed */ }
    const target = /^mark-/.test(hash) && document.getElementById(hash);
    if (target) target.scrollIntoView({ block: 'center' });
    document.addEventListener('click', onDocumentClickForMarks);
    document.addEventListener('keydown', onDocumentKeydownForMarks);
    document.addEventListener('pointerdown', onPointerDownForMarks, true);
    document.addEventListener('pointerup', restoreMarkFocus, true);
    document.addEventListener('pointercancel', restoreMarkFocus, true);
    window.addEventListener('blur', restoreMarkFocus);

    const form = document.getElementById('comment-form');
    if (!form) return;
    showHint(form, proses[0]);
    api.selection = initSelectionButton(proses, form);
  }

  const api = {
    init,
    highlightQuotes,
    findPassage,
    matchKey,
    cleanQuote,
    contextOf,
    truncate,
    selection: null,
  };
  window.ConsultComments = api;

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
