/// The board page's inline style and script: no external fonts, scripts or CDNs.
enum BoardPageAssets {
    /// Large type for reading from a few metres (titles 5vw, text 2.6vw at least), near-black
    /// on white with a dark blue band; red with white for an emergency.
    static let style = """
        *{box-sizing:border-box}
        html,body{margin:0;height:100%;overflow:hidden;background:#fff;color:#111;\
        font-family:"Noto Sans","DejaVu Sans","Liberation Sans",Arial,sans-serif}
        header{position:fixed;top:0;left:0;right:0;height:9vh;background:#0b2a5b;color:#fff;display:flex;\
        justify-content:space-between;align-items:center;gap:3vw;padding:0 2.5vw;font-size:2.6vw;font-weight:700}
        header .place{overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
        #clock{white-space:nowrap}
        #stage{position:fixed;top:9vh;left:0;right:0;bottom:0}
        .page{display:none;position:absolute;top:0;left:0;right:0;bottom:0;flex-direction:column;padding:2.5vh 3vw 2vh}
        .page.active{display:flex}
        .kind{font-size:2.6vw;font-weight:700;color:#0b2a5b;text-transform:uppercase}
        h1{font-size:5vw;line-height:1.12;margin:0.5vh 0 1vh;font-weight:800}
        .law{font-size:2.6vw;font-weight:700;color:#0b2a5b;margin-bottom:1vh}
        .content{flex:1 1 auto;overflow:hidden;font-size:2.6vw;line-height:1.35}
        .content p{margin:0 0 1.2vh}
        .content ul{margin:0 0 1.2vh;padding-left:3.5vw}
        table{border-collapse:collapse;width:100%;margin:1vh 0 1.5vh;font-size:2.6vw}
        th,td{border:0.25vw solid #111;padding:0.7vh 1vw;text-align:left;vertical-align:top}
        th{background:#0b2a5b;color:#fff}
        .attachment img{display:block;max-width:100%;max-height:38vh;margin-top:1vh;border:0.25vw solid #111}
        .file{font-weight:700}
        .meta{display:flex;justify-content:space-between;gap:2vw;font-size:2.6vw;font-weight:700;\
        border-top:0.35vw solid #0b2a5b;padding-top:1vh;margin-top:1vh}
        body.takeover{background:#c00000}
        body.takeover header{display:none}
        body.takeover #stage{top:0}
        .page.emergency{background:#c00000;color:#fff;text-align:center;justify-content:center;align-items:center}
        .alarm{font-size:13vw;font-weight:900;letter-spacing:0.6vw;line-height:1}
        .page.emergency h1{font-size:6.5vw;margin:3vh 0}
        .page.emergency .content{flex:0 1 auto;font-size:3.6vw;max-width:90vw}
        .page.empty{justify-content:center;text-align:center}
        """

    /// Rotates `.page`s every `data-rotate` ms, keeps the clock, refreshes `#stage` from
    /// `/board.json` every 30 s (only when its signature changed), scrolls a page too long
    /// for the screen, and reports the notices in rotation to `/displayed` on load and every 60 s.
    static let script = """
        (function () {
          var body = document.body, stage = document.getElementById('stage'), clockEl = document.getElementById('clock');
          var rotate = Number(body.getAttribute('data-rotate')) || 20000;
          var offset = Number(body.getAttribute('data-offset')) * 1000;
          var skew = Number(body.getAttribute('data-now')) - Date.now();
          var signature = body.getAttribute('data-signature');
          var index = 0, timer = null, scroller = null;
          function pages() { return stage.querySelectorAll('.page'); }
          function scroll(page) {
            clearInterval(scroller);
            var content = page.querySelector('.content');
            if (!content) return;
            content.scrollTop = 0;
            var extra = content.scrollHeight - content.clientHeight;
            if (extra <= 0) return;
            var steps = Math.max(1, Math.floor((rotate - 6000) / 100)), step = 0;
            setTimeout(function () {
              scroller = setInterval(function () {
                step += 1; content.scrollTop = extra * step / steps;
                if (step >= steps) clearInterval(scroller);
              }, 100);
            }, 4000);
          }
          function show(i) {
            var list = pages();
            if (!list.length) return;
            index = i % list.length;
            for (var k = 0; k < list.length; k++) list[k].classList.toggle('active', k === index);
            scroll(list[index]);
          }
          function restart() { clearInterval(timer); show(0); timer = setInterval(function () { show(index + 1); }, rotate); }
          function two(n) { return (n < 10 ? '0' : '') + n; }
          function tick() {
            var d = new Date(Date.now() + skew + offset);
            clockEl.textContent = two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ' · ' +
              two(d.getUTCDate()) + '/' + two(d.getUTCMonth() + 1) + '/' + d.getUTCFullYear();
          }
          function report() {
            var ids = [].map.call(stage.querySelectorAll('[data-notice]'), function (e) { return e.getAttribute('data-notice'); });
            fetch('/displayed', { method: 'POST', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ ids: ids }) }).catch(function () {});
          }
          function refresh() {
            fetch('/board.json', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (b) {
              skew = b.nowMs - Date.now(); offset = b.utcOffsetSeconds * 1000;
              if (b.signature === signature) return;
              signature = b.signature;
              stage.innerHTML = b.stage;
              body.className = b.mode === 'normal' ? 'normal' : 'takeover';
              restart(); report();
            }).catch(function () {});
          }
          restart(); tick(); report();
          setInterval(tick, 1000);
          setInterval(refresh, 30000);
          setInterval(report, 60000);
        })();
        """
}
