// The console's warning before its idle limit (WCAG 2.2.1 Timing Adjustable): about two minutes
// before a staff session would end for want of activity, a dialog (role=alertdialog, modal, focus
// on its button) says so, and "Stay signed in" extends the session (a POST with the page's
// anti-forgery token, no reload). The server's record of the session's last request decides, so
// activity in another tab counts: the script asks how long is left (GET /staff/session, which does
// not itself count as activity) before it warns, and again while it warns. Without this script the
// server's limit simply applies: the next request after it goes to the log-in page, and a form sent
// then is kept for after the log-in (docs/console.md).
//
// A tab left open also learns that its session was ended elsewhere (a log-out in another tab, the
// single sign-on provider's back-channel log-out or a refused re-check): once a minute, only while
// the tab is visible, it asks GET /staff/session/state (a word: live, lapsed or ended; not counted as
// activity) and goes to the log-in page when the session has ended. A lapsed one gets the warning's
// "signed out" instead, as what was typed is kept when it is sent.
//
// A form kept that way comes back under its page's own labels: as any console form is posted, this
// script notes its fields' labels (and the page's heading) in the tab's sessionStorage, by the form's
// address, never a value typed; the page that shows a kept form back (sign-in-again.ts) puts them on
// its fields, which without this script read as their names in words.
(() => {
  const LABELS = 'vow-form-labels';
  /** The label a field has on its page: a group's legend for check boxes and radio buttons. */
  const labelOf = (field) => {
    const group = field.closest('fieldset')?.querySelector('legend');
    if ((field.type === 'checkbox' || field.type === 'radio') && group) return group.textContent;
    return field.labels?.[0]?.textContent ?? field.getAttribute('aria-label') ?? '';
  };
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.method !== 'post' || form.hasAttribute('data-kept-form'))
        return;
      const labels = {};
      for (const field of form.elements) {
        if (!field.name || field.type === 'hidden' || Object.hasOwn(labels, field.name)) continue;
        const text = labelOf(field).replace(/\s+/g, ' ').trim();
        if (text) labels[field.name] = text;
      }
      const heading = document.querySelector('main h1, h1')?.textContent?.trim() ?? '';
      const target = new URL(form.action, location.href).pathname;
      try {
        sessionStorage.setItem(LABELS, JSON.stringify({ target, heading, labels }));
      } catch {
        // Storage refused (private mode, full): the kept form shows the names as words.
      }
    },
    true,
  );
  const kept = document.querySelector('form[data-kept-form]');
  if (kept instanceof HTMLFormElement) {
    let noted;
    try {
      noted = JSON.parse(sessionStorage.getItem(LABELS) ?? 'null');
      sessionStorage.removeItem(LABELS);
    } catch {
      noted = null;
    }
    if (noted && noted.target === new URL(kept.action, location.href).pathname) {
      for (const label of kept.querySelectorAll('label[data-field]')) {
        const text = noted.labels?.[label.getAttribute('data-field') ?? ''];
        if (typeof text === 'string' && text) label.textContent = text;
      }
      const page = document.querySelector('[data-kept-page]');
      if (page instanceof HTMLElement && noted.heading) {
        page.textContent = `From the page “${noted.heading}”.`;
        page.hidden = false;
      }
    }
  }
})();

(() => {
  const dialog = document.getElementById('idle-warning');
  if (!(dialog instanceof HTMLDialogElement) || typeof dialog.showModal !== 'function') return;
  const csrf = dialog.getAttribute('data-csrf') ?? '';
  /** How long before the end the warning comes (ms), and how often it asks again while shown. */
  const LEAD = 120_000;
  const RECHECK = 20_000;
  const stay = dialog.querySelector('[data-idle-stay]');
  const close = dialog.querySelector('[data-idle-close]');
  const title = dialog.querySelector('[data-idle-title]');
  const text = dialog.querySelector('[data-idle-text]');
  let timer = 0;
  /** This page's clock when the session ends (Date.now() based; only differences are used). */
  let endsAt = 0;

  const later = (ms, fn) => {
    clearTimeout(timer);
    timer = setTimeout(fn, Math.max(0, ms));
  };
  /** The session's times as the server has them, or null once it has ended. */
  const ask = async (method) => {
    const res = await fetch('/staff/session', {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers:
        method === 'POST'
          ? { 'x-csrf-token': csrf, accept: 'application/json' }
          : { accept: 'application/json' },
    });
    if (res.status === 401) return null;
    if (!res.ok) throw new Error(`session check answered ${res.status}`);
    return res.json();
  };
  const minutes = (ms) => {
    const s = Math.max(0, Math.ceil(ms / 1000));
    return s >= 60 ? `${Math.ceil(s / 60)} minute${Math.ceil(s / 60) === 1 ? '' : 's'}` : `${s} seconds`;
  };
  const open = () => {
    if (!dialog.open) {
      dialog.showModal();
      (stay instanceof HTMLElement && !stay.hidden ? stay : close)?.focus();
    }
  };
  const shut = () => {
    if (dialog.open) dialog.close();
  };
  const ended = () => {
    clearTimeout(timer);
    dialog.setAttribute('data-state', 'ended');
    if (title) title.textContent = 'You have been signed out';
    if (text)
      text.textContent =
        'Your session ended for want of activity. What you typed on this page is still here: when you send it, you are asked to log in again and it is kept for you.';
    if (stay instanceof HTMLElement) stay.hidden = true;
    if (close instanceof HTMLElement) close.hidden = false;
    // Closed and shown again, so the new words are announced as the dialog opens.
    shut();
    open();
  };
  const warn = (idleMs, absoluteMs) => {
    const absolute = absoluteMs <= idleMs;
    dialog.setAttribute('data-state', absolute ? 'absolute' : 'warning');
    if (stay instanceof HTMLElement) stay.hidden = absolute;
    if (close instanceof HTMLElement) close.hidden = !absolute;
    if (title) title.textContent = 'You will be signed out soon';
    if (text)
      text.textContent = absolute
        ? `Your session ends 12 hours after you logged in, in ${minutes(absoluteMs)}, and cannot be extended. Send what you are working on, then log in again.`
        : `You have not used the console for a while. To protect the data it shows, you will be signed out in ${minutes(idleMs)}.`;
    open();
  };
  let checks = 0;
  /** Counts the answers this page had (data-checks): what a test waits for, never a timer. */
  const checked = () => dialog.setAttribute('data-checks', String(++checks));
  const check = async () => {
    let times;
    try {
      times = await ask('GET');
    } catch {
      later(RECHECK, check); // the network failed: ask again soon
      return;
    }
    checked();
    if (!times) {
      ended();
      return;
    }
    const idle = times.idleEndsInMs;
    const absolute = times.endsInMs;
    const first = Math.min(idle, absolute);
    endsAt = Date.now() + first;
    if (first > LEAD) {
      if (dialog.getAttribute('data-state') !== 'absolute') shut();
      later(first - LEAD, check);
      return;
    }
    warn(idle, absolute);
    // Asked again while shown (another tab may extend it), and once more at the end itself.
    later(Math.min(RECHECK, endsAt - Date.now() + 500), check);
  };
  stay?.addEventListener('click', async () => {
    try {
      const times = await ask('POST');
      checked();
      if (!times) {
        ended();
        return;
      }
      shut();
      dialog.setAttribute('data-state', 'extended');
      later(Math.min(times.idleEndsInMs, times.endsInMs) - LEAD, check);
    } catch {
      if (text) text.textContent = 'The console could not be reached. Check the connection and try again.';
    }
  });
  close?.addEventListener('click', shut);
  // Escape closes it as "not now": the warning comes back at the next check.
  dialog.addEventListener('cancel', () => later(RECHECK, check));
  let polls = 0;
  /** Whether the session still stands; ended elsewhere, the tab goes to the log-in page. */
  const poll = async () => {
    if (document.visibilityState !== 'visible' || dialog.getAttribute('data-state') === 'ended') return;
    let state;
    try {
      const res = await fetch('/staff/session/state', {
        cache: 'no-store',
        headers: { accept: 'application/json' },
      });
      state = (await res.json()).session;
    } catch {
      return; // the network failed: the next poll asks again
    }
    dialog.setAttribute('data-polls', String(++polls));
    if (state === 'ended') location.assign(`/staff/login?next=${encodeURIComponent(location.pathname)}`);
    else if (state === 'lapsed') check();
  };
  setInterval(poll, 60_000);
  // Coming back to a tab (a laptop woken, another tab used): ask again at once.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && dialog.getAttribute('data-state') !== 'ended') {
      check();
      poll();
    }
  });
  check();
})();
