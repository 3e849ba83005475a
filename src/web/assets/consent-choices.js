/* Vow consent script, second layer: the per-category choices in the banner, the policy's cookies
 * under each category, the preference centre ([data-vow-preference-centre]) and the Google
 * Analytics switch ([data-vow-ga-optout]), and the sending of measurements. consent.js loads it
 * (with its SRI hash) only when the choices open, the page holds one of these or the visitor
 * allowed measurements, and hands it its helpers on the script element;
 * the whole config (`/v1/consent/config`: descriptions, cookie lists, these words) comes with it.
 * Its stylesheet (consent-choices.css) is carried inside, filled in when Vow builds this file.
 */
(() => {
  const vow = document.currentScript?.vow;
  if (!vow) return;
  const el = vow.el;
  vow.styles(/*VOW_CSS*/ '');
  /** The config in full, as the last call passed it. */
  let full = null;
  function t(key, ...args) {
    return String(full.text[key]).replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
  }

  /** The policy's cookies and tools behind a category: name, purpose, duration, provider. */
  function cookieList(c) {
    if (!c.cookies || c.cookies.length === 0) return null;
    return el('details', { class: 'vow-cc-cookies' }, [
      el('summary', { text: t('cookiesAndTools', c.cookies.length) }),
      el(
        'ul',
        {},
        c.cookies.map((k) =>
          el('li', {}, [
            el('strong', { text: k.name }),
            document.createTextNode(t('cookieLine', k.purpose, k.duration, k.provider)),
          ]),
        ),
      ),
    ]);
  }

  /** The banner's choices: a checkbox per category (tied to its description), then Save. */
  function choices(list, config) {
    full = config;
    const state = vow.state;
    const current = state?.answered ? state.categories : null;
    full.categories.forEach((c) => {
      const id = `vow-cc-cat-${c.id}`;
      const descId = `${id}-desc`;
      const checked = c.required || (current ? current[c.id] === true : false);
      const locked = c.required || (vow.gpc && c.gpcOptOut);
      const box = el('input', {
        type: 'checkbox',
        id: id,
        name: c.id,
        checked: checked && !(locked && !c.required),
        disabled: locked,
        'aria-describedby': descId,
        'data-vow-category': c.id,
      });
      const note = c.required ? t('alwaysOnNote') : locked ? t('gpcLockedNote') : '';
      const row = el('div', { class: 'vow-cc-cat' }, [
        box,
        el('label', { for: id }, [el('strong', { text: c.title + note })]),
        el('p', { class: 'vow-cc-desc', id: descId, text: c.description }),
        cookieList(c),
      ]);
      if (full.googleAnalytics && c.channels.indexOf('google_analytics') !== -1) {
        const gaId = 'vow-cc-ga';
        row.appendChild(
          el('div', { class: 'vow-cc-sub' }, [
            el('input', {
              type: 'checkbox',
              id: gaId,
              'data-vow-ga': '1',
              'aria-describedby': descId,
              checked: current ? state.googleAnalytics === true : false,
            }),
            el('label', { for: gaId, text: t('includingGa') }),
          ]),
        );
      }
      list.appendChild(row);
    });
    const save = vow.button(t('save'), 'save', 'vow-save');
    save.addEventListener('click', () => {
      const cats = {};
      list.querySelectorAll('input[data-vow-category]').forEach((b) => {
        const c = full.categories.filter((x) => x.id === b.getAttribute('data-vow-category'))[0];
        if (c && !c.required) cats[c.id] = b.checked;
      });
      const ga = list.querySelector('input[data-vow-ga]');
      vow.choose(cats, 'choose', ga ? ga.checked : true);
    });
    list.appendChild(save);
  }

  /**
   * The preference centre, wherever [data-vow-preference-centre] is: a switch per category showing
   * the CURRENT choice, and "Do not sell or share my personal information", which is the same as
   * turning off every category Global Privacy Control turns off.
   */
  function renderPreferenceCentre() {
    const gpc = vow.gpc;
    document.querySelectorAll('[data-vow-preference-centre]').forEach((host) => {
      const state = vow.state;
      const current = state?.answered ? state.categories : null;
      const ads = full.categories.filter((c) => c.gpcOptOut);
      host.textContent = '';
      const form = el('form', { class: 'vow-pc', 'data-testid': 'preference-centre' });
      const status = el('p', { class: 'vow-pc-status', role: 'status', 'data-testid': 'prefs-status' });
      const boxes = {};
      const sync = () => {
        if (!dnss) return;
        const anyOn = ads.some((c) => boxes[c.id]?.checked);
        dnss.checked = !anyOn;
      };
      form.appendChild(vow.gpcLine('prefs-gpc-note') || document.createTextNode(''));
      full.categories.forEach((c) => {
        const id = `vow-pc-${c.id}`;
        const locked = c.required || (gpc && c.gpcOptOut);
        const on = c.required || (!locked && current ? current[c.id] === true : false);
        const box = el('input', {
          type: 'checkbox',
          role: 'switch',
          id: id,
          checked: on,
          disabled: locked,
          'aria-describedby': `${id}-desc`,
          'data-vow-pref': c.id,
        });
        boxes[c.id] = box;
        box.addEventListener('change', sync);
        const stateText = c.required ? t('alwaysOn') : locked ? t('offGpc') : on ? t('on') : t('off');
        form.appendChild(
          el('div', { class: 'vow-pc-row', 'data-category': c.id }, [
            box,
            el('label', { for: id }, [
              el('strong', { text: c.title }),
              el('span', {
                class: 'vow-pc-state',
                'data-testid': `pref-state-${c.id}`,
                text: ` (${stateText})`,
              }),
            ]),
            el('p', { class: 'vow-cc-desc', id: `${id}-desc`, text: c.description }),
            cookieList(c),
          ]),
        );
      });
      let dnss = null;
      if (ads.length > 0) {
        dnss = el('input', {
          type: 'checkbox',
          role: 'switch',
          id: 'vow-pc-dnss',
          disabled: gpc,
          'aria-describedby': 'vow-pc-dnss-desc',
          'data-testid': 'do-not-sell',
        });
        dnss.addEventListener('change', () => {
          ads.forEach((c) => {
            if (boxes[c.id] && !boxes[c.id].disabled) boxes[c.id].checked = !dnss.checked;
          });
        });
        form.appendChild(
          el('div', { class: 'vow-pc-row vow-pc-dnss' }, [
            dnss,
            el('label', { for: 'vow-pc-dnss' }, [el('strong', { text: t('doNotSell') })]),
            el('p', {
              class: 'vow-cc-desc',
              id: 'vow-pc-dnss-desc',
              text:
                t('doNotSellTurnsOff', ads.map((c) => c.title).join(', ')) + (gpc ? t('doNotSellGpc') : ''),
            }),
          ]),
        );
        sync();
        if (gpc) dnss.checked = true;
      }
      const save = el('button', {
        type: 'submit',
        class: 'vow-cc-btn',
        'data-testid': 'prefs-save',
        text: t('save'),
      });
      form.appendChild(save);
      form.appendChild(status);
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const cats = {};
        full.categories.forEach((c) => {
          if (!c.required) cats[c.id] = !!boxes[c.id]?.checked && !boxes[c.id].disabled;
        });
        const ga = vow.state?.answered ? vow.state.googleAnalytics : true;
        vow.choose(cats, 'choose', ga).then((s) => {
          if (s) {
            const fresh = document.querySelector('[data-vow-preference-centre] [data-testid=prefs-status]');
            if (fresh) fresh.textContent = t('saved');
            const again = document.querySelector('[data-vow-preference-centre] [data-testid=prefs-save]');
            if (again) again.focus();
          }
        });
      });
      host.appendChild(form);
    });
  }

  /**
   * "You can opt-out of Google Analytics data gathering on this page": a button wherever
   * [data-vow-ga-optout] is, saying what it does ("Opt out of Google Analytics", "Turn Google
   * Analytics back on"). A button already there is reworded in place, so a keyboard's focus stays
   * on it after a press (a new button left focus on the page's body).
   */
  function renderGaSwitches() {
    if (!full.googleAnalytics) return;
    document.querySelectorAll('[data-vow-ga-optout]').forEach((host) => {
      const on = !!vow.state?.googleAnalytics;
      let b = host.querySelector('[data-testid=vow-ga-switch]');
      if (!b) {
        host.textContent = '';
        b = el('button', { type: 'button', class: 'vow-cc-btn', 'data-testid': 'vow-ga-switch' });
        b.addEventListener('click', () => {
          const state = vow.state;
          const nowOn = !!state?.googleAnalytics;
          const cats = state?.answered ? Object.assign({}, state.categories) : vow.allCategories(false);
          full.categories.forEach((c) => {
            if (!nowOn && c.channels.indexOf('google_analytics') !== -1) cats[c.id] = true;
          });
          vow.choose(cats, 'choose', !nowOn);
        });
        host.appendChild(b);
      }
      b.textContent = on ? t('gaOptOut') : t('gaOff');
    });
  }

  /** The page's area of the site: <meta name="vow-area" content="…"> or any element with data-vow-area. */
  function area() {
    const m = document.querySelector('meta[name="vow-area"]');
    const e = document.querySelector('[data-vow-area]');
    return m ? m.getAttribute('content') : e ? e.getAttribute('data-vow-area') : undefined;
  }

  /** A measurement, sent as the visitor allowed it (consent.js checks that before asking). */
  function send(visitor, type, extra) {
    const body = { visitor: visitor, type: type, path: location.pathname + location.search };
    const a = area();
    if (a) body.area = a;
    for (const k in extra) body[k] = extra[k];
    const data = JSON.stringify(body);
    const url = `${vow.api}/v1/collect`;
    try {
      if (navigator.sendBeacon?.(url, new Blob([data], { type: 'text/plain' }))) return;
    } catch (_e) {
      /* fall through to fetch */
    }
    fetch(url, {
      method: 'POST',
      body: data,
      keepalive: true,
      credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    }).catch(() => {});
  }

  vow.ready({
    send: send,
    choices: choices,
    /** The preference centres and Google Analytics switches on the page, as the choice stands. */
    extras: (config) => {
      full = config;
      renderPreferenceCentre();
      renderGaSwitches();
    },
  });
})();
