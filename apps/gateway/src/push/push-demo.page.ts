/**
 * The push demo (`{base}/_push/demo`): plain HTML and one external script, so it runs under a
 * strict Content-Security-Policy (no inline script or style). URLs are relative to the page, so
 * it works under any base path; the MQTT WebSocket is the push service's (`push.ws_port`).
 */
const escape = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const pushDemoPage = (app: string, wsPort: number): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(app)}: live events</title>
<link rel="stylesheet" href="demo.css">
</head>
<body data-app="${escape(app)}" data-ws-port="${wsPort}">
<h1>${escape(app)}: live events</h1>
<form id="login">
<label>Email <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in and listen</button>
</form>
<p id="status">Not connected.</p>
<ol id="events"></ol>
<script src="mqtt.min.js"></script>
<script src="demo.js"></script>
</body>
</html>
`;

/** The page's script: log in, connect with the token as password, subscribe, list what arrives. */
export const PUSH_DEMO_SCRIPT = `'use strict';
(function () {
  var body = document.body;
  var app = body.dataset.app;
  var wsPort = body.dataset.wsPort;
  var status = document.getElementById('status');
  var list = document.getElementById('events');
  var client = null;

  function show(text) { status.textContent = text; }

  function subjectOf(token) {
    var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part)).sub;
  }

  function add(topic, text) {
    var item = document.createElement('li');
    var event;
    try { event = JSON.parse(text); } catch (e) { event = null; }
    item.className = 'event';
    item.textContent = event && event.op
      ? '#' + event.seq + ' ' + event.op + ' ' + event.table + ' ' + event.id + ': ' + JSON.stringify(event.row)
      : topic + ': ' + text;
    list.insertBefore(item, list.firstChild);
  }

  document.getElementById('login').addEventListener('submit', function (submit) {
    submit.preventDefault();
    var form = new FormData(submit.target);
    show('Logging in...');
    fetch('../auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    })
      .then(function (answer) { return answer.json(); })
      .then(function (envelope) {
        if (!envelope.success) throw new Error(envelope.error.message);
        var token = envelope.data.token;
        var user = subjectOf(token);
        if (client) client.end(true);
        var scheme = location.protocol === 'https:' ? 'wss' : 'ws';
        client = mqtt.connect(scheme + '://' + location.hostname + ':' + wsPort + '/mqtt', {
          protocolVersion: 4,
          username: 'demo',
          password: token,
          clientId: 'demo-' + user + '-' + Math.random().toString(16).slice(2, 10),
          clean: true,
          reconnectPeriod: 2000,
          // The default keeps its timers in a blob: worker, which a strict CSP refuses.
          timerVariant: 'native',
        });
        client.on('connect', function () {
          client.subscribe([app + '/user/' + user + '/#', app + '/broadcast/#'], { qos: 1 }, function (error) {
            show(error ? 'Subscription refused: ' + error.message : 'Listening as user ' + user + '.');
          });
        });
        client.on('message', function (topic, payload) { add(topic, payload.toString()); });
        client.on('error', function (error) { show('MQTT: ' + error.message); });
        client.on('close', function () { show('Disconnected; retrying...'); });
      })
      .catch(function (error) { show('Login failed: ' + error.message); });
  });
})();
`;

export const PUSH_DEMO_STYLE = `body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; }
form { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: end; }
label { display: flex; flex-direction: column; font-size: 0.9rem; }
#events { font-family: ui-monospace, monospace; font-size: 0.85rem; }
`;
