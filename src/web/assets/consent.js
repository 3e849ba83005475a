/* Vow consent script: the cookie banner, Google Consent Mode v2 and site measurements.
 * No framework, no inline script needed. Put it BEFORE any Google tag:
 *   <script src="https://vow.example/consent.js" integrity="sha384-…" crossorigin="anonymous"
 *           data-vow-api="https://vow.example"></script>
 * The consent cookie (vow_consent) holds only a random id and the choice, never personal data.
 * Everything refused (or cookies disabled) leaves the page working: nothing here is required.
 * The first banner needs only this file (its stylesheet inside) and /v1/consent/banner. The rest
 * loads on demand: consent-choices.js (checked against the SRI hash below) holds the choices (the
 * categories, their cookies, the preference centre, the Google Analytics switch), whose words and
 * details come from /v1/consent/config, and the sending of measurements once they are allowed.
 */
(() => {
  const script = document.currentScript;
  const api = (
    script?.getAttribute('data-vow-api') || (script?.src ? new URL(script.src).origin : location.origin)
  ).replace(/\/+$/, '');
  const COOKIE = 'vow_consent';
  const COOKIE_MAX_AGE = 60 * 60 * 24 * 395; // thirteen months, then the banner asks again
  const HEARTBEAT_MS = 15000;
  // The floating "Cookie settings" button, or the page's own always-reachable control for cookie
  // choices (an element marked data-vow-choices, such as a header link): the page shows one, not both.
  const OWN_PREFS = '.vow-cc-prefs-link,[data-vow-choices]';
  /** The choices' addresses and the SRI hash of their script, filled in when Vow builds this file. */
  const CHOICES = /*VOW_CHOICES*/ null;
  // The banner speaks the page's language (the tag's data-lang, else <html lang>) when Vow has it;
  // else the visitor's, as Vow picks it (vow_lang, Accept-Language). Vow decides which it has.
  const lang = (script?.dataset.lang || document.documentElement.lang).split('-')[0];
  const q = lang && `?lang=${lang}`;

  // Google Consent Mode v2: everything denied before any Google tag runs.
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== 'function') {
    window.gtag = function gtag() {
      // biome-ignore lint/complexity/noArguments: Google's tags read the Arguments object itself, not an array
      window.dataLayer.push(arguments);
    };
  }
  window.gtag('consent', 'default', {
    ad_storage: 'denied',
    analytics_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
    wait_for_update: 500,
  });

  /**
   * A stylesheet of the banner, carried inside its script (filled in when Vow builds it): a
   * constructed stylesheet needs no request of its own (no response headers, no round trip) and,
   * unlike a <style> element, no 'unsafe-inline' in the shop's Content-Security-Policy. A browser
   * without constructed stylesheets gets the file itself (`href`).
   */
  function addStyles(css, href) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    } catch (_e) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = api + href;
      (document.head || document.documentElement).appendChild(link);
    }
  }
  // The banner's stylesheet (a shop may include consent.css itself instead, marked data-vow-consent-css).
  if (!document.querySelector('link[data-vow-consent-css]')) addStyles(/*VOW_CSS*/ '', '/consent.css');

  const gpc = navigator.globalPrivacyControl === true;
  let config = null;
  /** One of the first banner's words, in the visitor's language (the config's `text`), with {0}… filled in. */
  function t(key, ...args) {
    return String(config.text[key]).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
  }
  /** The server's answer: { visitor, categories, googleAnalytics, gpc, consentMode, gpp, answered }. */
  let state = null;
  let banner = null;
  let pageViewSent = false;
  let visibleSince = document.visibilityState === 'visible' ? performance.now() : null;
  let engagedMs = 0;
  let heartbeat = null;
  /** A request other choices wait for (a GPC signal being recorded). */
  let pending = Promise.resolve();

  function readCookie() {
    try {
      for (const part of document.cookie.split('; ')) {
        if (part.startsWith(`${COOKIE}=`)) {
          const v = JSON.parse(decodeURIComponent(part.slice(COOKIE.length + 1)));
          if (v && typeof v.v === 'string' && /^[A-Za-z0-9_-]{22}$/.test(v.v)) return v;
        }
      }
    } catch (_e) {
      /* cookies disabled or a foreign value: as if no choice */
    }
    return null;
  }

  function writeCookie(s) {
    // Only the random id and the choice.
    const value = encodeURIComponent(
      JSON.stringify({
        v: s.visitor,
        cv: config.consentVersion,
        c: s.categories,
        ga: s.googleAnalytics,
        gpc: s.gpc,
      }),
    );
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    try {
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser
      document.cookie = `${COOKIE}=${value}; Path=/; Max-Age=${COOKIE_MAX_AGE}; SameSite=Lax${secure}`;
    } catch (_e) {
      /* cookies disabled: the choice lasts this page only */
    }
  }

  function post(path, body) {
    return fetch(api + path, {
      method: 'POST',
      // text/plain keeps a cross-origin call a simple request (no preflight); Vow parses it as JSON.
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(body),
      credentials: 'omit',
      keepalive: true,
    }).then((res) => {
      if (!res.ok) {
        const err = new Error(`Vow answered ${res.status}`);
        err.status = res.status;
        throw err;
      }
      return res.json();
    });
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (attrs[k] === true) e.setAttribute(k, '');
      else if (attrs[k] !== false && attrs[k] != null) e.setAttribute(k, attrs[k]);
    }
    for (const c of children || []) if (c) e.appendChild(c);
    return e;
  }

  /** Measurements are allowed only under the analytics channel, as the server's ledger says. */
  function measuring() {
    return !!(state?.channels && state.channels['cookies.analytics'] === true);
  }

  function apply(s) {
    state = s;
    window.gtag('consent', 'update', {
      ad_storage: s.consentMode.ad_storage,
      analytics_storage: s.consentMode.analytics_storage,
      ad_user_data: s.consentMode.ad_user_data,
      ad_personalization: s.consentMode.ad_personalization,
    });
    extras();
    document.dispatchEvent(new CustomEvent('vow:consent', { detail: publicState() }));
    if (measuring()) {
      if (!pageViewSent) {
        pageViewSent = true;
        send('page_view', {});
      }
      startHeartbeat();
    } else {
      stopHeartbeat();
    }
  }

  function publicState() {
    return state
      ? {
          categories: { ...state.categories },
          googleAnalytics: state.googleAnalytics,
          gpc: state.gpc,
          consentMode: { ...state.consentMode },
          gpp: state.gpp,
        }
      : null;
  }

  function choose(categories, source, googleAnalytics) {
    const body = {
      categories: categories,
      googleAnalytics: googleAnalytics,
      gpc: gpc,
      source: source,
      consentVersion: config.consentVersion,
    };
    // After a pending GPC signal, so both land on the same visitor id.
    return pending
      .then(() => {
        if (state?.visitor) body.visitor = state.visitor;
        return post('/v1/consent/choices', body);
      })
      .then(
        (s) => {
          writeCookie(s);
          closeBanner();
          apply(s);
          return s;
        },
        (err) => {
          if (err && err.status === 409) return start(true);
          showProblem();
        },
      );
  }

  /** A browser sending GPC: its opt-out is recorded at once (cause gpc), before any banner click. */
  function recordGpcSignal() {
    pending = post('/v1/consent/choices', {
      categories: {},
      gpc: true,
      source: 'gpc_signal',
      consentVersion: config.consentVersion,
    }).then(
      (s) => {
        if (!state) state = s;
        writeCookie(s);
      },
      () => {},
    );
  }

  function allCategories(on) {
    return Object.fromEntries(config.optional.map((id) => [id, on]));
  }

  // ---- the banner ------------------------------------------------------------------------------

  /** Where focus was before the banner took it, given back after a choice. */
  let returnFocus = null;

  function closeBanner() {
    const had = !!banner;
    const focusInside = banner?.contains(document.activeElement);
    if (banner?.parentNode) banner.parentNode.removeChild(banner);
    banner = null;
    document.removeEventListener('keydown', onEscape);
    if (!had || !focusInside) return;
    // Focus goes back where it was, else to the "Cookie settings" button (never lost to <body>).
    const back =
      returnFocus && returnFocus !== document.body && document.contains(returnFocus)
        ? returnFocus
        : document.querySelector(OWN_PREFS);
    returnFocus = null;
    // Without scrolling: a header link taking focus would otherwise jump the page to its top.
    if (back && typeof back.focus === 'function') back.focus({ preventScroll: true });
  }

  /** Escape, or the close button: only strictly necessary cookies (a change of mind keeps the choice). */
  function dismiss() {
    if (state?.answered && readCookie()?.cv === config.consentVersion) return closeBanner();
    return choose(allCategories(false), 'reject_all', false);
  }

  function onEscape(ev) {
    if (ev.key !== 'Escape' || !banner) return;
    const a = document.activeElement;
    if (a && a !== document.body && !banner.contains(a)) return;
    ev.preventDefault();
    dismiss();
  }

  function showProblem() {
    if (!banner) return;
    const p = banner.querySelector('.vow-cc-problem');
    if (p) p.hidden = false;
  }

  function button(label, action, testId) {
    const b = el('button', {
      type: 'button',
      class: 'vow-cc-btn',
      'data-vow-action': action,
      'data-testid': testId,
      text: label,
    });
    return b;
  }

  /** A line saying that Global Privacy Control was applied (never silently). */
  function gpcLine(testId) {
    if (!gpc) return null;
    const off = config.gpcOff;
    return el('p', {
      class: 'vow-cc-gpc',
      'data-testid': testId,
      text: t('gpcApplied') + (off.length ? t('gpcStaysOff', off.join(', ')) : '.'),
    });
  }

  // ---- the choices, on demand -------------------------------------------------------------------

  /** The choices' script (its helpers below, on its element) and the whole config (descriptions,
   * cookie lists, the choices' words), each asked for once (again only after a failure). */
  let code = null;
  let full = null;
  /** [module, whole config] once both are here. */
  let loaded = null;

  /** The choices' script (their stylesheet and the measurements' sending inside). */
  function loadCode() {
    if (!code) {
      code = new Promise((ready, fail) => {
        const s = el('script', { src: api + CHOICES.js, integrity: CHOICES.sri, crossorigin: 'anonymous' });
        s.vow = {
          ready,
          api,
          el,
          button,
          gpcLine,
          choose,
          allCategories,
          gpc,
          styles: (css) => addStyles(css, '/consent-choices.css'),
          get state() {
            return state;
          },
        };
        // A failed script (network, or not matching its hash) is removed: a retry adds it again.
        s.onerror = () => {
          s.remove();
          fail();
        };
        document.head.appendChild(s);
      });
      code.catch(() => {
        code = null;
      });
    }
    return code;
  }

  /** The choices' script and the whole config, in parallel: [module, config]. */
  function loadChoices() {
    loadCode();
    if (!full) {
      full = fetch(`${api}/v1/consent/config${q}`, { credentials: 'same-origin' }).then((r) => {
        if (!r.ok) throw r.status;
        return r.json();
      });
      full.catch(() => {
        full = null;
      });
    }
    return Promise.all([code, full]).then((m) => {
      loaded = m;
      return m;
    });
  }

  /** The preference centres and Google Analytics switches on the page, if it holds any. */
  function extras() {
    if (!config || !document.querySelector('[data-vow-preference-centre],[data-vow-ga-optout]')) return;
    // Once loaded, at once: what follows a choice (the centre's "Saved") lands on the new form.
    if (loaded) loaded[0].extras(loaded[1]);
    else
      loadChoices().then(
        (m) => m[0].extras(m[1]),
        () => {},
      );
  }

  /**
   * Fills the banner's choices, loading them first if need be: "Loading…" if that takes a moment,
   * a message and "Try again" if it fails. `focus`: the visitor asked for them, so focus moves to
   * the first choice they can change (or to "Try again").
   */
  function fillChoices(list, focus) {
    if (list.vow === 1) return; // loading
    if (list.vow === 2) return focus && focusFirst(list); // there
    list.vow = 1;
    list.setAttribute('aria-busy', 'true');
    list.textContent = '';
    const status = el('p', { class: 'vow-cc-status', role: 'status', 'data-testid': 'vow-choices-status' });
    list.appendChild(status);
    const slow = setTimeout(() => {
      status.textContent = t('loading');
    }, 300);
    const done = (there) => {
      clearTimeout(slow);
      list.vow = there;
      list.removeAttribute('aria-busy');
      list.textContent = '';
      return list.isConnected;
    };
    loadChoices().then(
      (m) => {
        if (!done(2)) return;
        m[0].choices(list, m[1]);
        if (focus) focusFirst(list);
      },
      () => {
        if (!done(0)) return;
        const again = button(t('retry'), 'retry', 'vow-retry');
        list.appendChild(
          el('p', {
            class: 'vow-cc-status',
            role: 'alert',
            'data-testid': 'vow-choices-failed',
            text: t('loadFailed'),
          }),
        );
        list.appendChild(again);
        if (focus) again.focus();
      },
    );
  }

  function focusFirst(list) {
    const first = list.querySelector('input:not([disabled]),button');
    if (first) first.focus();
  }

  function openBanner(showChoices) {
    if (!banner) returnFocus = document.activeElement;
    closeBanner();
    const list = el('div', { class: 'vow-cc-choices', id: 'vow-cc-choices', hidden: !showChoices });

    const titleId = 'vow-cc-title';
    const chooser = button(t('choose'), 'choose', 'vow-choose');
    chooser.setAttribute('aria-expanded', showChoices ? 'true' : 'false');
    chooser.setAttribute('aria-controls', 'vow-cc-choices');
    banner = el(
      'div',
      {
        class: 'vow-cc',
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': titleId,
        'aria-describedby': 'vow-cc-text',
        'data-testid': 'vow-banner',
        lang: config.locale,
      },
      [
        el('div', { class: 'vow-cc-head' }, [
          el('h2', {
            id: titleId,
            class: 'vow-cc-title',
            tabindex: '-1',
            text: t('title', config.controller),
          }),
          el('button', {
            type: 'button',
            class: 'vow-cc-close',
            'data-vow-action': 'close',
            'data-testid': 'vow-close',
            'aria-label': t('close'),
            title: t('close'),
            text: '×',
          }),
        ]),
        el('p', { class: 'vow-cc-text', id: 'vow-cc-text' }, [
          document.createTextNode(t('intro')),
          el('a', { href: api + config.noticePath, text: t('notice') }),
        ]),
        gpcLine('vow-gpc-note'),
        el('div', { class: 'vow-cc-buttons' }, [
          button(t('accept'), 'accept', 'vow-accept'),
          button(t('reject'), 'reject', 'vow-reject'),
          chooser,
        ]),
        list,
        el('p', {
          class: 'vow-cc-problem',
          role: 'alert',
          hidden: true,
          text: t('problem'),
        }),
      ],
    );
    banner.addEventListener('click', (ev) => {
      const t = ev.target;
      const action = t.getAttribute?.('data-vow-action');
      if (action === 'accept') choose(allCategories(true), 'accept_all', true);
      else if (action === 'reject') choose(allCategories(false), 'reject_all', false);
      else if (action === 'close') dismiss();
      else if (action === 'choose') {
        list.hidden = !list.hidden;
        chooser.setAttribute('aria-expanded', !list.hidden);
        if (!list.hidden) fillChoices(list, true);
      } else if (action === 'retry') fillChoices(list, true);
    });
    // A visitor heading for "Choose" (pointer over it, or Tab onto it) starts loading the choices.
    const early = () => {
      loadChoices().catch(() => {});
    };
    chooser.addEventListener('pointerenter', early, { once: true });
    chooser.addEventListener('focus', early, { once: true });
    document.addEventListener('keydown', onEscape);
    document.body.appendChild(banner);
    // Focus moves into the banner (its title, so it is read first; Tab goes on to its buttons).
    const title = banner.querySelector('.vow-cc-title');
    if (title) title.focus({ preventScroll: true });
    if (showChoices) fillChoices(list, false);
  }

  /**
   * The preference link: changing or withdrawing a choice is one click away on every page (the
   * page's own control instead, where it marks one data-vow-choices).
   */
  function renderPreferenceLink() {
    if (!document.querySelector(OWN_PREFS)) {
      const link = button(t('settings'), 'prefs', 'vow-preferences');
      link.className = 'vow-cc-prefs-link';
      link.addEventListener('click', () => openBanner(true));
      document.body.appendChild(link);
      // The page keeps room for it: nothing of the page stays under it (consent.css).
      document.documentElement.classList.add('vow-cc-has-prefs');
    }
    document.querySelectorAll('[data-vow-preferences]').forEach((e) => {
      e.addEventListener('click', (ev) => {
        ev.preventDefault();
        openBanner(true);
      });
    });
  }

  // ---- measurements ----------------------------------------------------------------------------

  /**
   * Sends a measurement if (and only if) the visitor allowed analytics: the choices' script builds
   * and sends it (loaded now if it is not yet; a returning visitor's browser has it in its cache).
   */
  function send(type, extra) {
    if (!measuring()) return false;
    const visitor = state.visitor;
    loadCode().then(
      (m) => m.send(visitor, type, extra),
      () => {},
    );
    return true;
  }

  function flushEngagement() {
    if (visibleSince !== null) {
      engagedMs += performance.now() - visibleSince;
      visibleSince = document.visibilityState === 'visible' ? performance.now() : null;
    }
    const ms = Math.round(engagedMs);
    if (ms > 0 && send('engagement', { durationMs: ms })) engagedMs = 0;
  }

  function startHeartbeat() {
    if (heartbeat === null) heartbeat = setInterval(flushEngagement, HEARTBEAT_MS);
  }
  function stopHeartbeat() {
    if (heartbeat !== null) clearInterval(heartbeat);
    heartbeat = null;
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushEngagement();
    else if (visibleSince === null) visibleSince = performance.now();
  });
  window.addEventListener('pagehide', flushEngagement);

  // ---- start -----------------------------------------------------------------------------------

  // The config is asked for as soon as the script runs, not when the page is parsed: it is on its
  // way while the document loads. Vow lets the browser cache it (ETag, short max-age), so a
  // returning visitor usually reads it from the cache without asking Vow at all.
  function fetchConfig(fresh, href) {
    // Credentials as the tag's <link rel="preload" crossorigin="anonymous"> has them (same-origin:
    // none to another origin), so the browser uses the preloaded answer instead of asking again.
    return fetch(href || `${api}/v1/consent/banner${q}`, {
      credentials: 'same-origin',
      cache: fresh ? 'no-cache' : 'default',
    }).then((r) => r.json());
  }
  // The page's preload of it is used as it is (its address may lack ?lang=), unless its answer is
  // in another language than the page's: then the page's is asked for (Vow answers a language it
  // does not have in the visitor's).
  const firstConfig = fetchConfig(false, document.querySelector('link[href*="consent/banner"]')?.href).then(
    (c) => (q && c.locale.indexOf(lang) ? fetchConfig() : c),
  );
  firstConfig.catch(() => {});
  // A page holding a preference centre or a Google Analytics switch needs the choices whoever
  // visits: they load now, in parallel with the config, not one round trip after it.
  if (
    document.readyState !== 'loading' &&
    document.querySelector('[data-vow-preference-centre],[data-vow-ga-optout]')
  )
    loadChoices().catch(() => {});

  /** After the page has loaded and the browser is idle: a returning visitor's check waits for it. */
  function afterLoad(fn) {
    const idle = () =>
      window.requestIdleCallback ? window.requestIdleCallback(fn, { timeout: 2000 }) : setTimeout(fn, 0);
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle, { once: true });
  }

  function start(fresh) {
    return (fresh ? fetchConfig(true) : firstConfig)
      .then((c) => {
        config = c;
        // A config asked for again (its consentVersion changed) comes with new choices too.
        if (fresh) full = loaded = null;
        const stored = readCookie();
        renderPreferenceLink();
        extras();
        if (!stored) {
          if (gpc) recordGpcSignal();
          return openBanner(false);
        }
        // The server's ledger, not the cookie, says where the visitor stands. A returning visitor
        // asks it once the page has loaded: nothing from Vow competes with the page's own requests.
        return new Promise((resolve) => afterLoad(resolve))
          .then(() => post('/v1/consent/state', { visitor: stored.v }))
          .then((s) => {
            state = s;
            if (!s.answered || stored.cv !== config.consentVersion) return openBanner(false);
            if (gpc && !s.gpc) return choose(s.categories, 'choose', s.googleAnalytics);
            writeCookie(s);
            apply(s);
          });
      })
      .catch(() => {
        /* Vow unreachable: everything stays denied and the page works */
      });
  }

  window.vowConsent = {
    /** Opens the banner with the per-category choices. */
    open: () => {
      if (config) openBanner(true);
    },
    /** Sends a measurement if (and only if) the visitor allowed analytics. */
    track: (type, data) => send(type, data || {}),
    /** The current choice, Consent Mode signals and GPP string (null before any choice). */
    state: publicState,
    /** The IAB GPP string (usnat section) for the visitor's choice. */
    gppString: () => (state ? state.gpp : null),
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(false));
  else start(false);
})();
