// app.js - the what-if page of `mtfs serve` (docs/serve.md).  It only shows
// what the server's engine computes: /api/scenario gives a scenario's inputs,
// /api/run re-projects it with the levers moved (each lever moved sets its
// key for every year, as one number in a scenario file does).
'use strict';

const $ = (id) => document.getElementById(id);
const money = new Intl.NumberFormat('en-GB', {minimumFractionDigits: 1, maximumFractionDigits: 1});
const pounds = new Intl.NumberFormat('en-GB', {minimumFractionDigits: 2, maximumFractionDigits: 2});
const pct = (v) => (v * 100).toFixed(v * 1000 % 1 === 0 ? 1 : 2) + '%';
const yearLabel = (y) => y + '/' + String((y + 1) % 100).padStart(2, '0');

let info = null;        // the /api/scenario reply
let chart = null;
let sequence = 0;       // the latest run asked for; older replies are dropped
let timer = null;
let drawn = 0;          // results drawn so far (the browser test waits on it)
let moveStarted = null; // performance.now() of the latest lever move, until a result with it is drawn

// The levers: the control, the keys it sets, and where its errors are shown.
const levers = [
  {id: 'pay', path: 'economy.pay', keys: (v) => ({'economy.pay': v}), owns: (k) => k.startsWith('economy.pay')},
  {id: 'cpi', path: 'economy.cpi', keys: (v) => ({'economy.cpi': v}), owns: (k) => k.startsWith('economy.cpi')},
  {id: 'delivery', path: null,
   keys: (v) => Object.fromEntries(info.services.map((s) => ['services.' + s + '.delivery', v])),
   owns: (k) => /^services\..*\.delivery$/.test(k)},
  {id: 'ct', path: 'council_tax.core', keys: (v) => ({'council_tax.core': v}), owns: (k) => k.startsWith('council_tax')},
];
const moved = new Set();

// The fields: the other levers a finance officer moves, each one key of the
// input registry (its label, unit and range come from /api/scenario), typed
// as a scenario file gives it (a rate as a fraction, an amount in £m, a
// year) and set for every year, as one number in a file does.  The server
// checks each value with the scenario files' rules; its message is shown
// under the field.  An empty field is the scenario's own value.
const fieldGroups = [
  {title: 'Wages', match: (p) => p === 'economy.nlw_growth', label: () => 'National Living Wage rise, every year'},
  {title: 'Demand growth by service', match: (p) => /^services\.[^.]+\.demand$/.test(p)},
  {title: 'Savings delivered by service', match: (p) => /^services\.[^.]+\.delivery$/.test(p),
   note: 'A service given here overrides "Savings delivered, every service".'},
  {title: 'Grants', match: (p) => /^grants\..+\.amount$/.test(p)},
  {title: 'Use of reserves', match: (p) => p === 'reserves.contributions',
   label: () => 'Planned contributions to reserves, every year (negative: a planned draw)'},
  {title: 'High-needs (DSG) deficit', match: (p) => ['dsg.in_year', 'dsg.spend_growth', 'dsg.grant_growth',
                                                     'dsg.savings', 'dsg.override_end'].includes(p)},
  {title: 'Capital financing', match: (p) => ['capital.programme', 'capital.rate'].includes(p)},
];
let fields = [];          // {path, id, row}: the fields of the scenario shown
const fieldText = new Map();   // path -> the text typed, for fields not empty

function unitHint(row) {
  if (row.kind === 'year') return 'a year, e.g. 2028 for 2028/29';
  return row.expected || '';
}

function describeRow(row) {
  const one = (v) => (row.unit === 'share' ? pct(v) : row.unit === '£m' ? '£' + money.format(v) + 'm' : String(v));
  if (row.kind === 'year') return 'Scenario: ' + (row.value ? yearLabel(row.value) : 'beyond every year');
  if (row.values && row.values.every((v) => v === row.values[0])) return 'Scenario: ' + one(row.values[0]) + ' every year';
  if (row.values) return 'Scenario: ' + row.values.map((v, t) => info.years[t] + ' ' + one(v)).join(', ');
  return 'Scenario: ' + one(row.value);
}

// The fields for the scenario picked, grouped, in registry order.
function buildFields() {
  const box = $('fields');
  box.replaceChildren();
  fields = [];
  fieldText.clear();
  const rows = info.inputs.concat(info.more_inputs || []);
  let n = 0;
  for (const group of fieldGroups) {
    const mine = rows.filter((r) => group.match(r.path));
    if (!mine.length) continue;
    const set = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = group.title;
    set.appendChild(legend);
    // What to type, once for the group when its fields share it (else under each).
    const hints = [...new Set(mine.map(unitHint))];
    const shared = hints.length === 1 && hints[0] ? 'Type ' + hints[0] + '.' : '';
    if (group.note || shared) {
      const p = document.createElement('p');
      p.className = 'note';
      p.id = 'fields-note-' + fieldGroups.indexOf(group);
      p.textContent = [shared, group.note || ''].filter(Boolean).join(' ');
      set.appendChild(p);
    }
    for (const row of mine) {
      const id = 'field-' + (n++);
      const div = document.createElement('div');
      div.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = group.label ? group.label(row) : row.label + (row.kind === 'year' ? '' : ', every year');
      const input = document.createElement('input');
      input.type = 'text';
      input.id = id;
      input.inputMode = row.kind === 'year' ? 'numeric' : 'decimal';
      input.autocomplete = 'off';
      input.spellcheck = false;
      input.dataset.path = row.path;
      input.placeholder = row.kind === 'year' ? String(row.value || '') : row.values ? String(row.values[0]) : String(row.value);
      const note = document.createElement('p');
      note.className = 'note';
      note.id = id + '-base';
      note.textContent = describeRow(row) + (!shared && unitHint(row) ? '. Type ' + unitHint(row) + '.' : '');
      const error = document.createElement('p');
      error.className = 'error';
      error.id = id + '-error';
      error.setAttribute('role', 'alert');
      input.setAttribute('aria-describedby', (shared ? 'fields-note-' + fieldGroups.indexOf(group) + ' ' : '') +
                         note.id + ' ' + error.id);
      const commit = () => {
        const text = input.value.trim();
        if (text === (fieldText.get(row.path) || '')) return;
        if (text === '') fieldText.delete(row.path);
        else fieldText.set(row.path, text);
        moveStarted = performance.now();
        document.body.dataset.pending = 'yes';
        schedule();
      };
      input.addEventListener('change', commit);
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') commit(); });
      div.append(label, input, note, error);
      set.appendChild(div);
      fields.push({path: row.path, id, row});
    }
    box.appendChild(set);
  }
}

// The fields' values for the request, or the first field whose text is not
// a number (shown under it; the run waits for it to be put right).
function fieldValues(set) {
  let bad = null;
  for (const f of fields) {
    const text = fieldText.get(f.path);
    if (text === undefined) continue;
    const v = Number(text);
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || !Number.isFinite(v)) {
      bad = bad || {key: f.path, message: 'not a number: type ' + (unitHint(f.row) || 'a number') +
                    (f.row.unit === 'share' ? ' (no % sign)' : '')};
      continue;
    }
    // A grant given year by year (rule "list") stays a list: one number
    // there would make it a flat grant, which its base_amount forbids.
    set[f.path] = f.row.values && f.path.startsWith('grants.') ? f.row.values.map(() => v) : v;
  }
  return bad;
}

function input(path) {
  return info.inputs.find((i) => i.path === path);
}

function describe(values) {
  return values.map((v, t) => info.years[t] + ' ' + pct(v)).join(', ');
}

// The scenario's own values of a lever, in words, and a starting point for it.
function scenarioValues(lever) {
  if (lever.id === 'delivery') {
    const rows = info.services.map((s) => input('services.' + s + '.delivery')).filter(Boolean);
    const first = rows.map((r) => r.values[0]);
    const same = rows.every((r) => r.values.every((v) => v === rows[0].values[0]));
    return {start: first.length ? Math.min(...first) : 1,
            text: 'Scenario: ' + (same && rows.length ? pct(rows[0].values[0]) + ' in every service and year'
                                                      : 'varies by service and year')};
  }
  const row = input(lever.path);
  if (!row) return {start: 0, text: 'Scenario: not given'};
  return {start: row.values[0], text: 'Scenario: ' + describe(row.values)};
}

// The value shown: the slider's once moved, else the scenario's own (the
// slider's position may be rounded to its step).
function showValue(lever) {
  $(lever.id + '-value').textContent = moved.has(lever.id) ? pct(Number($(lever.id).value))
                                                           : pct(lever.start) + ' (as the scenario)';
}

function resetLevers() {
  moved.clear();
  for (const f of fields) $(f.id).value = '';
  fieldText.clear();
  // Council tax: up to the referendum limit unless the scenario allows a referendum.
  const limit = input('council_tax.referendum_limit');
  $('ct').max = String(info.referendum_allowed || !limit ? 0.15 : Math.max(...limit.values));
  for (const lever of levers) {
    const s = scenarioValues(lever);
    lever.start = s.start;
    $(lever.id).value = String(s.start);
    $(lever.id + '-base').textContent = s.text;
    $(lever.id + '-error').textContent = '';
    showValue(lever);
  }
}

function whatIf() {
  const set = {};
  for (const lever of levers)
    if (moved.has(lever.id)) Object.assign(set, lever.keys(Number($(lever.id).value)));
  fieldValues(set);
  return set;
}

async function getJSON(url, options) {
  const res = await fetch(url, options);
  const body = await res.json();
  return {ok: res.ok, status: res.status, body};
}

// A run's error under the field or slider of its key (else under the
// result), with a field's own "not a number" first.
function showError(err) {
  for (const lever of levers) $(lever.id + '-error').textContent = '';
  for (const f of fields) $(f.id + '-error').textContent = '';
  $('run-error').textContent = '';
  err = fieldValues({}) || err;
  if (!err) return;
  const text = (err.key ? err.key + ': ' : '') + err.message;
  const field = fields.find((f) => f.path === err.key);
  const lever = levers.find((l) => err.key && l.owns(err.key));
  $(field ? field.id + '-error' : lever ? lever.id + '-error' : 'run-error').textContent = text;
}

// The run of the what-if, and with "Compare with the base" ticked the
// compare of the scenario and the what-if (/api/compare: mtfs compare's
// JSON, its bridge section the difference item by item); drawn together.
function run() {
  const mine = ++sequence;
  const started = performance.now();
  const since = moveStarted;
  const post = (url) => getJSON(url, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({scenario: info.id, set: whatIf()}),
  });
  const comparing = $('compare').checked;
  Promise.all([post('/api/run'), comparing ? post('/api/compare') : null]).then(([runReply, compareReply]) => {
    if (mine !== sequence) return;
    const failed = !runReply.ok ? runReply : compareReply && !compareReply.ok ? compareReply : null;
    if (failed) {
      showError(failed.body.error);
      if (since === moveStarted) moveStarted = null;
      document.body.dataset.pending = moveStarted === null ? 'no' : 'yes';
      return;
    }
    showError(null);
    if (fieldValues({})) {   // a field that is not a number: said under it; the run shown leaves it out
      if (since === moveStarted) moveStarted = null;
    }
    lastRun = runReply.body;
    drawCompare(compareReply && compareReply.body);
    draw(runReply.body, since, compareReply && compareReply.body);
    document.body.dataset.runMs = String(Math.round(performance.now() - started));
  }).catch((e) => { if (mine === sequence) $('run-error').textContent = 'The server did not answer: ' + e; });
}

// The bridge of the difference: each item that moves the final year's gap
// between the scenario and the what-if, largest first, and their sum.
function drawCompare(c) {
  $('compare-box').hidden = !c;
  if (!c) return;
  const col = (name) => c.bridge.columns.indexOf(name);
  const rowsOf = (table) => table.rows.map((r) => (Array.isArray(r) ? r : table.columns.map((k) => r[k])));
  const items = rowsOf(c.bridge).filter((r) => r[col('item')] !== 'base_budget' && r[col('item')] !== 'gap' &&
                                               Math.abs(r[col('difference')]) >= 0.05);
  items.sort((a, b) => Math.abs(b[col('difference')]) - Math.abs(a[col('difference')]));
  const gapRow = rowsOf(c.bridge).find((r) => r[col('item')] === 'gap');
  const year = gapRow ? yearLabel(gapRow[col('year')]) : '';
  $('bridge-table').caption.textContent = 'What makes the what-if\'s gap in ' + year +
    ' differ from the scenario\'s, £m';
  const body = $('bridge-table').tBodies[0];
  body.replaceChildren();
  const add = (label, value, total) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    tr.appendChild(th);
    const td = tr.insertCell();
    td.textContent = (value > 0 ? '+' : '') + money.format(value);
    td.dataset.value = String(value);
    if (total) tr.className = 'gap';
  };
  for (const r of items) add(r[col('label')], r[col('difference')], false);
  if (!items.length) add('No item moves by £0.05m or more', 0, false);
  if (gapRow) add('Gap', gapRow[col('difference')], true);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 20);
  scheduleMc();
}

const rows = [
  ['Expenditure', 'expenditure', money],
  ['Funding', 'funding', money],
  ['Gap', 'gap', money],
  ['Cumulative gap', 'cumulative_gap', money],
  ['Reserves, end of year', 'reserves', money],
  ['Minimum reserves', 'minimum_reserves', money],
  ['Savings planned', 'savings_planned', money],
  ['Savings delivered', 'savings_delivered', money],
  ['Council tax', 'council_tax', money],
  ['Band D (£)', 'band_d', pounds],
  ['Council-tax rise', 'council_tax_rise', {format: pct}],
];

function draw(r, since, c) {
  const last = r.years[r.years.length - 1];
  const below = r.below_minimum_year, gone = r.exhausted_year;
  $('headline').textContent =
    'Gap in ' + last.label + ': £' + money.format(last.gap) + 'm; cumulative £' +
    money.format(last.cumulative_gap) + 'm. ' +
    (below == null ? 'Reserves stay above the minimum.'
                   : 'Reserves fall below the minimum in ' + yearLabel(below) +
                     (gone == null ? '.' : ' and run out in ' + yearLabel(gone) + '.'));

  const head = $('table').tHead, body = $('table').tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  const tr = head.insertRow();
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = '£m';
  tr.appendChild(corner);
  for (const y of r.years) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = y.label;
    tr.appendChild(th);
  }
  for (const [label, key, fmt] of rows) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    row.appendChild(th);
    for (const y of r.years) {
      const td = row.insertCell();
      td.textContent = fmt.format(y[key]);
      td.dataset.key = key;
      td.dataset.value = String(y[key]); // the exact number, for tools and the browser test
    }
    if (key === 'gap') row.className = 'gap';
  }

  if (typeof Chart === 'undefined') {
    $('chart-box').hidden = true;
    $('no-chart').hidden = false;
    shown(since);
    return;
  }
  const labels = r.years.map((y) => y.label);
  // The scenario's own gap and reserves beside the what-if's, when comparing.
  const base = c ? c.rows.filter((x) => x.file !== '(request)') : [];
  const data = [r.years.map((y) => y.gap), r.years.map((y) => y.reserves), r.years.map((y) => y.minimum_reserves),
                base.map((x) => x.gap), base.map((x) => x.reserves)];
  if (chart) {
    chart.data.labels = labels;
    data.forEach((d, i) => { chart.data.datasets[i].data = d; });
    chart.data.datasets[3].hidden = chart.data.datasets[4].hidden = !c;
    chart.update('none');
    shown(since);
    return;
  }
  chart = new Chart($('chart'), {
    data: {
      labels,
      datasets: [
        {type: 'bar', label: 'Gap', data: data[0], backgroundColor: '#b3261e', order: 2},
        {type: 'line', label: 'Reserves, end of year', data: data[1], borderColor: '#0b57d0',
         backgroundColor: '#0b57d0', borderWidth: 3, order: 1},
        {type: 'line', label: 'Minimum reserves', data: data[2], borderColor: '#3c4043',
         backgroundColor: '#3c4043', borderDash: [6, 4], pointRadius: 0, order: 1},
        {type: 'bar', label: 'Gap, the scenario', data: data[3], backgroundColor: '#ffffff',
         borderColor: '#b3261e', borderWidth: 2, order: 3, hidden: !c},
        {type: 'line', label: 'Reserves, the scenario', data: data[4], borderColor: '#0b57d0',
         backgroundColor: '#ffffff', borderWidth: 2, borderDash: [2, 3], order: 1, hidden: !c},
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {y: {title: {display: true, text: '£m'}}},
      plugins: {legend: {position: 'bottom'}},
    },
  });
  shown(since);
}

// A result is on the page (table and chart: with animation off, Chart.js
// draws the canvas before update() returns).  The time from the latest
// lever move (when this result includes it) to here is the measure
// 'mtfs-move-to-chart' (docs/serve.md gives the browser test's numbers);
// data-drawn counts results, data-scenario says
// whose and data-pending whether a lever move still waits for its result,
// so a test can wait for a redraw.
function shown(since) {
  if (since != null && since === moveStarted) {
    performance.measure('mtfs-move-to-chart', {start: since, end: performance.now()});
    moveStarted = null;
  }
  drawn += 1;
  document.body.dataset.pending = moveStarted === null ? 'no' : 'yes';
  document.body.dataset.scenario = info.id;
  document.body.dataset.drawn = String(drawn);
}

// Save as scenario: the levers moved, as a file of the folder inheriting
// this scenario (POST /api/save); a file of that name is kept unless
// "Replace" is ticked (the server answers 409).
async function save() {
  $('save-status').textContent = '';
  $('save-error').textContent = '';
  const file = $('save-file').value.trim();
  const request = {scenario: info.id, set: whatIf(), file, overwrite: $('save-overwrite').checked};
  if ($('save-name').value.trim()) request.title = $('save-name').value.trim();
  let reply;
  try {
    reply = await getJSON('/api/save', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(request),
    });
  } catch (e) {
    $('save-error').textContent = 'The server did not answer: ' + e;
    return;
  }
  const {ok, status, body} = reply;
  if (status === 409) {
    $('save-error').textContent = file.replace(/(\.cfg)?$/, '.cfg') + ' is already in the folder: tick "' +
      $('save-overwrite').labels[0].textContent + '" to replace it, or give another name.';
    return;
  }
  if (!ok) {
    const err = body.error || {message: 'not saved'};
    $('save-error').textContent = (err.key && err.key !== 'file' ? err.key + ': ' : '') + err.message;
    return;
  }
  const keys = Object.keys(request.set).length;
  $('save-status').textContent = 'Saved ' + body.file + ': it inherits ' + info.id + '.cfg and sets ' +
    keys + (keys === 1 ? ' key.' : ' keys.') + ' mtfs run ' + body.file + ' gives these numbers.';
  document.body.dataset.saved = body.file;
  const select = $('scenario');
  if (![...select.options].some((o) => o.value === body.id)) {
    const option = document.createElement('option');
    option.value = body.id;
    option.textContent = request.title || body.id;
    select.appendChild(option);
  }
}

// The uncertainty view: POST /api/mc (what `mtfs mc FILE --paths N --seed
// S --format json` prints for the what-if), at most 20,000 paths, run a
// little after the last move so dragging a slider stays quick.
let mcSequence = 0, mcTimer = null, mcFan = null, mcDrawn = 0, lastRun = null;

function scheduleMc() {
  clearTimeout(mcTimer);
  if ($('mc').checked) mcTimer = setTimeout(runMc, 150);
}

function runMc() {
  const box = $('mc-box');
  $('mc-error').textContent = '';
  if (!$('mc').checked || !info) {
    box.hidden = true;
    $('mc-summary').textContent = '';
    return;
  }
  const paths = Number($('mc-paths').value), seed = Number($('mc-seed').value);
  if (!Number.isInteger(paths) || paths < 1 || paths > 20000 || !Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
    $('mc-error').textContent = 'Paths: a whole number from 1 to 20,000; seed: a whole number from 0 to 4294967295.';
    return;
  }
  const mine = ++mcSequence;
  getJSON('/api/mc', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({scenario: info.id, set: whatIf(), paths, seed}),
  }).then(({ok, body}) => {
    if (mine !== mcSequence) return;
    if (!ok) {
      box.hidden = true;
      $('mc-summary').textContent = '';
      $('mc-error').textContent = (body.error.file ? body.error.file + ': ' : '') + body.error.message;
    } else {
      drawMc(body);
    }
    mcDrawn += 1;
    document.body.dataset.mcDrawn = String(mcDrawn);
  }).catch((e) => { if (mine === mcSequence) $('mc-error').textContent = 'The server did not answer: ' + e; });
}

function drawMc(m) {
  const last = m.years[m.years.length - 1];
  const pcent = (p) => (p * 100).toFixed(1) + '%';
  $('mc-summary').textContent = 'Seed ' + m.metadata.seed + ', ' + m.metadata.paths.toLocaleString('en-GB') +
    ' paths: the chance reserves are below their minimum in ' + last.label + ' is ' +
    pcent(last.p_reserves_below_minimum) + '; that they run out, ' + pcent(last.p_reserves_exhausted) + '.';
  $('mc-box').hidden = false;
  const table = $('mc-table'), head = table.tHead, body = table.tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  const tr = head.insertRow();
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = '';
  tr.appendChild(corner);
  for (const y of m.years) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = y.label;
    tr.appendChild(th);
  }
  const lines = [
    ['Reserves, 5th percentile', 'reserves.p5', (y) => y.reserves.p5, money],
    ['Reserves, median', 'reserves.p50', (y) => y.reserves.p50, money],
    ['Reserves, 95th percentile', 'reserves.p95', (y) => y.reserves.p95, money],
    ['Reserves without uncertainty', 'reserves.deterministic', (y) => y.reserves.deterministic, money],
    ['Chance below the minimum', 'p_reserves_below_minimum', (y) => y.p_reserves_below_minimum, {format: pcent}],
    ['Chance they run out', 'p_reserves_exhausted', (y) => y.p_reserves_exhausted, {format: pcent}],
  ];
  for (const [label, key, get, fmt] of lines) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    row.appendChild(th);
    for (const y of m.years) {
      const td = row.insertCell();
      td.textContent = fmt.format(get(y));
      td.dataset.key = key;
      td.dataset.value = String(get(y));
    }
  }
  if (typeof Chart === 'undefined') {
    $('fan-box').hidden = true;
    return;
  }
  const labels = m.years.map((y) => y.label);
  const series = (k) => m.years.map((y) => y.reserves[k]);
  const minimum = lastRun ? lastRun.years.map((y) => y.minimum_reserves) : [];
  const data = [series('p5'), series('p95'), series('p25'), series('p75'), series('p50'), minimum];
  if (mcFan) {
    mcFan.data.labels = labels;
    data.forEach((d, i) => { mcFan.data.datasets[i].data = d; });
    mcFan.update('none');
    return;
  }
  mcFan = new Chart($('fan'), {
    type: 'line',
    data: {
      labels,
      datasets: [
        // order: the inner band and the median are drawn over the outer band.
        {label: 'Reserves, 5th percentile', data: data[0], borderColor: '#8ab4f8', backgroundColor: '#d2e3fc',
         pointRadius: 0, fill: false, order: 3},
        {label: 'Reserves, 95th percentile', data: data[1], borderColor: '#8ab4f8', backgroundColor: '#d2e3fc',
         pointRadius: 0, fill: '-1', order: 3},
        {label: 'Reserves, 25th percentile', data: data[2], borderColor: '#4285f4', backgroundColor: '#a8c7fa',
         pointRadius: 0, fill: false, order: 2},
        {label: 'Reserves, 75th percentile', data: data[3], borderColor: '#4285f4', backgroundColor: '#a8c7fa',
         pointRadius: 0, fill: '-1', order: 2},
        {label: 'Reserves, median', data: data[4], borderColor: '#0b57d0', backgroundColor: '#0b57d0', borderWidth: 3,
         order: 1},
        {label: 'Minimum reserves', data: data[5], borderColor: '#3c4043', backgroundColor: '#3c4043', borderDash: [6, 4],
         pointRadius: 0, order: 0},
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {y: {title: {display: true, text: '£m'}}},
      plugins: {legend: {position: 'bottom'}},
    },
  });
}

// Downloads: the run's CSV, workbook and SVG chart from the server (what
// `mtfs run` writes for the same inputs) and the page's chart as drawn, on
// white (PNG).
function offer(href, name) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

const downloadName = (ext) => info.id + (Object.keys(whatIf()).length ? '_whatif' : '') + '.' + ext;

// The run's CSV, workbook (XLSX) or the engine's chart (SVG) for the
// levers moved: POST /api/run.EXT, what `mtfs run` writes for them.
async function downloadRun(ext) {
  $('download-error').textContent = '';
  try {
    const res = await fetch('/api/run.' + ext, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({scenario: info.id, set: whatIf()}),
    });
    if (!res.ok) {
      const body = await res.json();
      $('download-error').textContent = body.error.message;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    offer(url, downloadName(ext));
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    $('download-error').textContent = 'The server did not answer: ' + e;
  }
}

function downloadPng() {
  $('download-error').textContent = '';
  if (!chart) {
    $('download-error').textContent = 'There is no chart to download (libjs-chart.js is not installed).';
    return;
  }
  const src = $('chart'), copy = document.createElement('canvas');
  copy.width = src.width;
  copy.height = src.height;
  const g = copy.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, copy.width, copy.height);
  g.drawImage(src, 0, 0);
  offer(copy.toDataURL('image/png'), downloadName('png'));
}

async function pick(id) {
  $('load-error').textContent = '';
  const {ok, body} = await getJSON('/api/scenario?name=' + encodeURIComponent(id));
  if (!ok) {
    $('load-error').textContent = body.error.message;
    return;
  }
  info = body;
  $('description').textContent = info.description || info.name;
  $('save-file').value = info.id + '_whatif';
  $('save-name').value = info.name + ' (what-if)';
  buildFields();
  resetLevers();
  run();
  scheduleMc();
}

async function start() {
  const {ok, body} = await getJSON('/api/scenarios');
  if (!ok) {
    $('load-error').textContent = body.error.message;
    return;
  }
  const select = $('scenario');
  for (const s of body.scenarios) {
    const option = document.createElement('option');
    option.value = s.id || s.file;
    option.textContent = s.error ? s.file + ' (does not load)' : s.name;
    option.disabled = Boolean(s.error);
    select.appendChild(option);
  }
  const first = body.scenarios.find((s) => !s.error && s.id === 'leics_2025_central') ||
                body.scenarios.find((s) => !s.error);
  if (!first) {
    $('load-error').textContent = 'No scenario of this folder loads.';
    return;
  }
  select.value = first.id;
  select.addEventListener('change', () => pick(select.value));
  for (const lever of levers) {
    $(lever.id).addEventListener('input', () => {
      moveStarted = performance.now();
      document.body.dataset.pending = 'yes';
      moved.add(lever.id);
      showValue(lever);
      schedule();
    });
  }
  $('reset').addEventListener('click', () => { resetLevers(); run(); scheduleMc(); });
  $('save').addEventListener('click', save);
  $('compare').addEventListener('change', run);
  $('download-csv').addEventListener('click', () => downloadRun('csv'));
  $('download-xlsx').addEventListener('click', () => downloadRun('xlsx'));
  $('download-svg').addEventListener('click', () => downloadRun('svg'));
  for (const id of ['mc', 'mc-paths', 'mc-seed']) $(id).addEventListener('change', runMc);
  $('download-png').addEventListener('click', downloadPng);
  pick(first.id);
}

start();
