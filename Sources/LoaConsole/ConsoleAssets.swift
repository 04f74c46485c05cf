import Hummingbird
import LoaController

/// The console's stylesheet and script, served from the controller itself (the
/// Content-Security-Policy allows nothing else).
enum ConsoleAssets {
    static let stylePath = "/console/assets/console.css"
    static let scriptPath = "/console/assets/console.js"

    static func add(to router: Router<ControllerRequestContext>) {
        router.get(RouterPath(stringLiteral: stylePath)) { _, _ in asset(style, type: "text/css; charset=utf-8") }
        router.get(RouterPath(stringLiteral: scriptPath)) { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let style = """
        :root { --ink: #1d2433; --muted: #5b6474; --line: #d8dde6; --bg: #f5f6f8; --accent: #b3261e; --ok: #1e7a3c;
          --warn: #9a6700; --bad: #b3261e; --info: #1f5fa8; font-size: 17px; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink); background: var(--bg);
          line-height: 1.45; }
        header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1.2rem; background: #7f1d1d; color: #fff;
          flex-wrap: wrap; }
        header a, header button { color: #fff; }
        .brand { font-weight: 700; font-size: 1.05rem; margin-right: .5rem; white-space: nowrap; }
        nav { display: flex; gap: .4rem; flex: 1; flex-wrap: wrap; }
        nav a { text-decoration: none; padding: .3rem .5rem; border-radius: 4px; white-space: nowrap; font-size: .95rem; }
        nav a[aria-current=page], nav a:hover { background: rgba(255,255,255,.18); }
        .who { font-size: .9rem; opacity: .9; white-space: nowrap; }
        .lang { font-size: .9rem; }
        .logout { margin: 0; }
        .logout button { background: transparent; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: .25rem .7rem;
          cursor: pointer; font: inherit; font-size: .9rem; }
        main { max-width: 1200px; margin: 1.2rem auto; padding: 0 1.5rem 3rem; }
        h1 { font-size: 1.6rem; margin: .4rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.6rem 0 .6rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
        section, .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .85rem; color: var(--muted); font-weight: 600; }
        .badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .85rem; font-weight: 600;
          background: #e8ebf0; color: var(--ink); white-space: nowrap; }
        .ok { background: #dcf3e3; color: var(--ok); }
        .bad { background: #fbe0de; color: var(--bad); }
        .warn { background: #fff0c2; color: var(--warn); }
        .info { background: #dde9f8; color: var(--info); }
        .muted { color: var(--muted); font-size: .9rem; }
        .flash { border-left: 5px solid var(--ok); background: #eef8f1; padding: .8rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
        .alert { border-left: 5px solid var(--bad); background: #fdeeee; padding: .8rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
        .notice { border-left: 5px solid var(--warn); background: #fff8e1; padding: .8rem 1rem; border-radius: 6px; margin-bottom: 1rem; }
        .summary { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
        .summary div { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .7rem 1.1rem; min-width: 12rem; }
        .summary strong { display: block; font-size: 1.6rem; }
        .hamlets { display: grid; grid-template-columns: 1fr; gap: 1rem; }
        td.device { white-space: nowrap; }
        .login h2 { margin-top: 0; }
        form.stack label { display: block; font-weight: 600; margin: .9rem 0 .3rem; }
        form.stack .choice { font-weight: 400; display: inline-flex; align-items: center; gap: .35rem; margin: .2rem 1.2rem .2rem 0; }
        input[type=text], input[type=password], input[type=date], input[type=time], input[type=number], select, textarea {
          font: inherit; padding: .45rem .55rem; border: 1px solid #b9c0cc; border-radius: 5px; background: #fff; }
        input[type=text], textarea { width: 100%; }
        textarea { min-height: 8rem; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .8rem 0; padding: .4rem 1rem .9rem; }
        legend { font-weight: 700; padding: 0 .3rem; }
        .hint { color: var(--muted); font-size: .88rem; margin: .2rem 0; }
        .actions { display: flex; gap: .8rem; margin-top: 1.2rem; flex-wrap: wrap; }
        button.primary, button.secondary { font: inherit; font-weight: 600; padding: .6rem 1.3rem; border-radius: 6px; cursor: pointer; }
        button.primary { background: var(--accent); color: #fff; border: 1px solid var(--accent); }
        button.secondary { background: #fff; color: var(--ink); border: 1px solid #9aa3b2; }
        .login { max-width: 26rem; margin: 3rem auto; }
        .login input { width: 100%; }
        blockquote { margin: .4rem 0; padding: .6rem .9rem; background: #f3f4f7; border-left: 4px solid #c4cad4; white-space: pre-wrap; }
        audio { width: 100%; max-width: 28rem; margin: .3rem 0; }
        .two-person { display: flex; gap: .5rem; align-items: center; }
        .two-person span.slot { width: 1.4rem; height: 1.4rem; border-radius: 50%; border: 2px solid var(--bad); display: inline-block; }
        .two-person span.slot.filled { background: var(--ok); border-color: var(--ok); }
        pre { background: #f3f4f7; padding: .7rem; border-radius: 5px; overflow-x: auto; font-size: .85rem; }
        table.calendar th, table.calendar td { font-size: .85rem; border: 1px solid var(--line); }
        table.calendar td.off { background: #eceef2; }
        table.calendar th.today { background: #fff0c2; }
        .slot-item { margin: .15rem 0; }
        fieldset.mode label { margin: .4rem 0; flex-wrap: wrap; }
        fieldset.mode .explain { flex: 1 1 14rem; }
        button.cancel { background: #7f1d1d; border-color: #7f1d1d; font-size: 1.05rem; }
        form.filters { display: flex; gap: 1rem; flex-wrap: wrap; align-items: flex-end; }
        form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
        pre.log { font-size: .78rem; max-height: 40rem; }
        [hidden] { display: none !important; }
        td, th, .flash, .alert, .notice, blockquote { overflow-wrap: anywhere; }
        .table-note { margin: .3rem 0 0; }
        table.log td:nth-child(2), table.data td.nowrap { white-space: nowrap; }
        nav.pages { display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; margin-top: .8rem; }
        .date-field { max-width: 11rem; }
        /* Phones (360–430 px): nothing scrolls sideways; tables stack into labelled cards; touch-sized controls. */
        @media (max-width: 720px) {
          :root { font-size: 16px; }
          header { padding: .5rem .75rem; gap: .3rem .8rem; }
          nav { flex-basis: 100%; order: 3; }
          nav a { padding: .55rem .6rem; }
          main { padding: 0 .75rem 2rem; margin-top: .8rem; }
          h1 { font-size: 1.35rem; }
          h2 { font-size: 1.15rem; }
          section, .card { padding: .75rem .8rem; }
          table.data thead { display: none; }
          table.data, table.data tbody, table.data tr, table.data td, table.data tbody th { display: block; width: 100%; }
          table.data tr { padding: .5rem 0; border-bottom: 1px solid var(--line); }
          table.data td, table.data tbody th { border: 0; padding: .15rem 0; }
          table.data td[data-label]::before { content: attr(data-label); display: block; font-size: .8rem; color: var(--muted);
            font-weight: 600; }
          table.data td:empty { display: none; }
          table.calendar td.off { display: none; }
          table.calendar tbody th { font-size: .95rem; color: var(--ink); }
          td.device { white-space: normal; }
          .summary div { flex: 1 1 100%; min-width: 0; }
          button.primary, button.secondary, .logout button, nav.pages a { min-height: 44px; }
          .actions a, .actions button { flex: 1 1 auto; text-align: center; padding: .6rem .4rem; }
          input[type=checkbox], input[type=radio] { width: 1.3rem; height: 1.3rem; }
          form.stack .choice { display: flex; min-height: 44px; margin-right: 0; }
          input, select, textarea { max-width: 100%; font-size: 16px; }
          form.filters label { flex: 1 1 45%; }
          form.filters label select, form.filters label input { width: 100%; }
          pre, code { white-space: pre-wrap; overflow-wrap: anywhere; }
          td, .flash, .alert, .notice, blockquote { overflow-wrap: anywhere; }
        }
        """

    static let script = """
        'use strict';
        // The console's only script: logging in through POST /login, uploading audio,
        // switching the content fields, and refreshing the live delivery view.
        document.addEventListener('DOMContentLoaded', () => {
          const login = document.getElementById('login-form');
          if (login) {
            login.addEventListener('submit', async (event) => {
              event.preventDefault();
              const error = document.getElementById('login-error');
              error.hidden = true;
              const response = await fetch('/login', { method: 'POST', body: new URLSearchParams(new FormData(login)),
                credentials: 'same-origin' });
              if (response.ok) { location.assign(login.dataset.next || '/console/dashboard'); return; }
              let message = login.dataset.wrong;
              try { message = (await response.json()).error.message; } catch (e) { /* keep the default */ }
              error.textContent = message;
              error.hidden = false;
            });
          }

          // Radio buttons named NAME show the parts marked data-NAME="VALUE …" of the chosen value only.
          ['kind', 'days', 'timing'].forEach((name) => {
            const inputs = document.querySelectorAll('input[name=' + name + ']');
            const show = () => {
              const chosen = document.querySelector('input[name=' + name + ']:checked');
              document.querySelectorAll('[data-' + name + ']').forEach((part) => {
                part.hidden = !chosen || !part.dataset[name].split(' ').includes(chosen.value);
              });
            };
            inputs.forEach((input) => input.addEventListener('change', show));
            if (inputs.length) show();
          });

          const file = document.getElementById('audio-file');
          if (file) {
            file.addEventListener('change', async () => {
              const chosen = file.files[0];
              const status = document.getElementById('upload-status');
              if (!chosen) return;
              status.textContent = file.dataset.uploading;
              const response = await fetch('/api/v1/media', { method: 'POST', body: chosen, credentials: 'same-origin',
                headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': file.dataset.csrf } });
              if (!response.ok) {
                let message = '';
                try { message = (await response.json()).error.message; } catch (e) { /* none */ }
                status.textContent = file.dataset.failed + ': ' + message;
                return;
              }
              const media = await response.json();
              document.getElementById('media').value = media.sha256;
              document.getElementById('audio-name').value = chosen.name;
              status.textContent = file.dataset.uploaded + ': ' + chosen.name + ' (' + Math.round(media.durationMs / 1000) + ' s)';
              const player = document.getElementById('audio-preview');
              player.src = URL.createObjectURL(chosen);
              player.hidden = false;
            });
          }

          document.querySelectorAll('form[data-confirm]').forEach((form) => {
            form.addEventListener('submit', (event) => {
              if (event.submitter && event.submitter.value === 'preview') return;
              if (!window.confirm(form.dataset.confirm)) event.preventDefault();
            });
          });

          const refresh = async () => {
            const live = document.getElementById('live');
            if (!live || !live.dataset.refresh) return;
            try {
              const response = await fetch(location.href, { credentials: 'same-origin' });
              if (response.ok) {
                const page = new DOMParser().parseFromString(await response.text(), 'text/html');
                const fresh = page.getElementById('live');
                if (fresh) live.replaceWith(document.importNode(fresh, true));
              }
            } catch (e) { /* try again next time */ }
            setTimeout(refresh, 2000);
          };
          if (document.getElementById('live')) setTimeout(refresh, 2000);
        });
        """
}
