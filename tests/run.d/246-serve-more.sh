# tests/run.d/246-serve-more.sh - mtfs serve's later parts (docs/serve.md):
# the levers beyond the sliders (/api/scenario's more_inputs, and runs
# setting NLW, demand, grants, reserves, DSG and capital keys, byte for
# byte mtfs run on a file setting them, with validation's messages);
# the XLSX and SVG downloads against mtfs run -o DIR --xlsx --plot svg;
# the per-address rate limit (--rate: 429, Retry-After, a JSON error).
# The server runs on a scratch copy of two shipped scenarios, on a free
# port of 127.0.0.1.  Sourced by tests/run.sh.

mpy=python3
[ -x /usr/bin/python3 ] && mpy=/usr/bin/python3
if ! command -v curl >/dev/null || ! command -v "$mpy" >/dev/null; then
    echo "note: curl or python3 missing: the tests of mtfs serve's levers are skipped"
else
    msite=$TMP/more-site
    mkdir -p "$msite" "$TMP/more-cmp" "$TMP/more-tmp"
    cp scenarios/leics_2025_central.cfg scenarios/leics_2026_budget.cfg "$msite/"
    TMPDIR=$TMP/more-tmp $WRAP "$MTFS" serve "$msite" --port 0 >"$TMP/mserve.out" 2>"$TMP/mserve.err" &
    mserve_pid=$!
    for _ in $(seq 1 300); do
        grep -q '^mtfs serve: http://127.0.0.1:[0-9]*/ (Ctrl-C to stop)$' "$TMP/mserve.out" && break
        kill -0 "$mserve_pid" 2>/dev/null || break
        sleep 0.1
    done
    murl=$(sed -n 's|^mtfs serve: \(http://127.0.0.1:[0-9]*\)/ .*|\1|p' "$TMP/mserve.out")
    check "serve-more: the server started ($(cat "$TMP/mserve.out" "$TMP/mserve.err"))" test -n "$murl"

    mapi() { # mapi PATH BODY: POST, the reply in $TMP/more.json, the status printed
        printf '%s' "$2" >"$TMP/more-body.json"
        curl -s -o "$TMP/more.json" -w '%{http_code}' --data-binary "@$TMP/more-body.json" "$murl$1"
    }
    mjson() { # mjson PYTHON-EXPR: true of the reply d
        "$mpy" -c "import json,sys; d=json.load(open('$TMP/more.json')); sys.exit(not ($1))"
    }
    body_after_meta() { awk 'done { print } /^  },$/ { done = 1 }' "$1"; }

    # /api/scenario lists the levers the Inputs sheet does not: grants, dsg, capital.
    curl -s -o "$TMP/more.json" "$murl/api/scenario?name=leics_2026_budget"
    check "serve-more: more_inputs gives a grant's amounts, the dsg and capital rows and the override's end year" \
        mjson "{'path': 'grants.settlement funding and general grants.amount', \
                'label': 'Grant, settlement funding and general grants', 'kind': 'series', 'unit': '£m', \
                'min': 0.0, 'min_open': False, 'max': 1000000.0, 'expected': 'an amount in £m, not negative', \
                'values': [156.761, 156.761, 156.761, 156.761]} in d['more_inputs'] and \
               [r['values'] for r in d['more_inputs'] if r['path'] == 'capital.rate'] == [[0.05] * 4] and \
               [r['values'] for r in d['more_inputs'] if r['path'] == 'dsg.in_year'] == [[45.0] * 4] and \
               {'path': 'dsg.override_end', 'label': 'Last year of the statutory override', 'kind': 'year', \
                'value': 2027} in d['more_inputs']"
    curl -s -o "$TMP/more.json" "$murl/api/scenario?name=leics_2025_central"
    check "serve-more: a scenario without dsg and capital blocks lists only its grants (flat: one number)" \
        mjson "sorted({r['path'].split('.')[0] for r in d['more_inputs']}) == ['grants'] and \
               [r['value'] for r in d['more_inputs'] if r['path'] == 'grants.other specific grants.amount'] == [19.0]"

    # Each lever through the API and in a file: the same bytes after the metadata.
    lever_matches() { # lever_matches NAME SET-JSON CFG-TEXT: /api/run is mtfs run on the file
        local code
        local scen=${lever_scenario:-leics_2026_budget}
        code=$(mapi /api/run "{\"scenario\": \"$scen\", \"set\": {$2}}")
        printf 'base = "%s/%s.cfg";\n%s\n' "$msite" "$scen" "$3" >"$TMP/more-cmp/$scen.cfg"
        mtfs run "$TMP/more-cmp/$scen.cfg" --format json >"$TMP/more-cli.json"
        mtfs run "$msite/$scen.cfg" --format json >"$TMP/more-base.json"
        check "serve-more: $1: 200 ($code)" test "$code" = 200
        check "serve-more: $1: byte for byte mtfs run on a file setting it" \
            cmp -s <(body_after_meta "$TMP/more.json") <(body_after_meta "$TMP/more-cli.json")
        check "serve-more: $1: ... which differs from the scenario's own run" \
            bash -c "! cmp -s <(awk 'done { print } /^  },\$/ { done = 1 }' '$TMP/more.json') <(awk 'done { print } /^  },\$/ { done = 1 }' '$TMP/more-base.json')"
    }
    lever_matches "National Living Wage" '"economy.nlw_growth": 0.05' 'economy = { nlw_growth = 0.05; };'
    lever_matches "demand of one service" '"services.adults.demand": 0.06' \
        'services = ( { name = "adults"; demand = 0.06; } );'
    lever_matches "savings delivered by one service" '"services.children.delivery": 0.5' \
        'services = ( { name = "children"; delivery = 0.5; } );'
    # A grant given year by year stays a list (one number would make it flat: refused below).
    lever_matches "a grant's amounts" '"grants.settlement funding and general grants.amount": [150, 150, 150, 150]' \
        'grants = ( { name = "settlement funding and general grants"; amount = [150, 150, 150, 150]; } );'
    lever_scenario=leics_2025_central lever_matches "a flat grant's amount" '"grants.other specific grants.amount": 10' \
        'grants = ( { name = "other specific grants"; amount = 10; } );'
    lever_matches "use of reserves" '"reserves.contributions": -5' 'reserves = { contributions = -5; };'
    lever_matches "the DSG override's end" '"dsg.override_end": 2028' 'dsg = { override_end = 2028; };'
    lever_matches "DSG in-year deficit" '"dsg.in_year": [40, 35, 30, 25]' 'dsg = { in_year = [40, 35, 30, 25]; };'
    lever_matches "the capital interest rate" '"capital.rate": 0.06' 'capital = { rate = 0.06; };'

    # Their bad values: validation's messages, under the key typed.
    lever_refused() { # lever_refused NAME SET-JSON KEY MESSAGE
        local code
        code=$(mapi /api/run "{\"scenario\": \"leics_2026_budget\", \"set\": {$2}}")
        check "serve-more: $1: 400 ($code)" test "$code" = 400
        check "serve-more: $1: the scenario files' message" \
            "$mpy" -c "import json,sys; e=json.load(open(sys.argv[1]))['error']; sys.exit(not (e['key'] == sys.argv[2] and e['message'] == sys.argv[3]))" \
            "$TMP/more.json" "$3" "$4"
    }
    lever_refused "an NLW rise of 5" '"economy.nlw_growth": 5' economy.nlw_growth \
        "value 5 is outside the sensible range -0.5 to 0.5 (expected a rate as a fraction: 0.05 means 5%; did you mean 0.05?)"
    lever_refused "a negative grant" '"grants.settlement funding and general grants.amount": -1' \
        "grants.settlement funding and general grants.amount" \
        "value -1 is outside the sensible range 0 to 1e+06 (expected an amount in £m, not negative)"
    lever_refused "one number for a grant given year by year" \
        '"grants.settlement funding and general grants.amount": 150' \
        "grants.settlement funding and general grants.base_amount" \
        'only used with rule = "list" (for rule "flat", amount is the base-year amount)'
    lever_refused "delivery of 70 (a percentage)" '"services.adults.delivery": 70' services.adults.delivery \
        "value 70 is outside the sensible range 0 to 1 (expected a share between 0 and 1; did you mean 0.7?)"
    lever_refused "a capital rate of 0.7" '"capital.rate": 0.7' capital.rate \
        "value 0.7 is outside the sensible range 0 to 0.5 (expected an interest rate as a fraction: 0.045 means 4.5%)"

    # Downloads: the workbook and the chart mtfs run -o DIR --xlsx --plot svg writes.
    mkdir -p "$TMP/more-out" "$TMP/more-out-base"
    dl() { # dl EXT BODY: POST /api/run.EXT, the reply in $TMP/more.EXT, "status type" printed
        printf '%s' "$2" >"$TMP/more-body.json"
        curl -s -o "$TMP/more.$1" -w '%{http_code} %{content_type}' --data-binary "@$TMP/more-body.json" "$murl/api/run.$1"
    }
    xlsx_same() { # xlsx_same A B [REQUEST]: the same workbook but the creation time: every member
        # byte for byte; with REQUEST (A names the what-if "(request)", without a hash, so the
        # shared strings are numbered differently) every sheet's cells, strings resolved, but
        # the Summary's file names and hashes
        "$mpy" - "$@" <<'PY'
import re, sys, zipfile
a, b = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2])
request = len(sys.argv) > 3
def cells(z, sheet):
    strings = re.findall(rb'<si><t[^>]*>([^<]*)</t></si>', z.read('xl/sharedStrings.xml'))
    out = []
    for ref, attrs, v in re.findall(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><v>([^<]*)</v>', z.read(sheet)):
        text = strings[int(v)] if b' t="s"' in attrs else v
        if not (text == b'(request)' or text.endswith(b'.cfg') or text.startswith(b'SHA-256 ')):
            out.append((ref, text))
    return out
same = a.namelist() == b.namelist() and len(a.namelist()) > 5
if not request:
    same = same and all(a.read(n) == b.read(n) for n in a.namelist() if n != 'docProps/core.xml')
else:
    sheets = [n for n in a.namelist() if n.startswith('xl/worksheets/sheet')]
    same = (same and len(sheets) >= 5 and all(len(cells(a, n)) > 10 and cells(a, n) == cells(b, n) for n in sheets) and
            b'<t>(request)</t>' in a.read('xl/sharedStrings.xml') and b'mtfs-serve-' not in a.read('xl/sharedStrings.xml'))
sys.exit(not same)
PY
    }
    whatif='{"scenario": "leics_2026_budget", "set": {"economy.pay": 0.045, "dsg.override_end": 2028}}'
    printf 'base = "%s/leics_2026_budget.cfg";\neconomy = { pay = 0.045; };\ndsg = { override_end = 2028; };\n' "$msite" \
        >"$TMP/more-cmp/leics_2026_budget.cfg"
    mtfs run "$TMP/more-cmp/leics_2026_budget.cfg" -o "$TMP/more-out" --xlsx --plot svg >/dev/null
    mtfs run "$msite/leics_2026_budget.cfg" -o "$TMP/more-out-base" --xlsx --plot svg >/dev/null
    check "serve-more: POST /api/run.xlsx is 200 with the workbook's type" test "$(dl xlsx "$whatif")" = \
        "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    check "serve-more: the workbook is mtfs run --xlsx's on a file setting the keys (the what-if named \"(request)\")" \
        xlsx_same "$TMP/more.xlsx" "$TMP/more-out/leics_2026_budget.xlsx" request
    check "serve-more: ... and not the scenario's own" bash -c "! cmp -s <(unzip -p '$TMP/more.xlsx' xl/worksheets/sheet1.xml) \
        <(unzip -p '$TMP/more-out-base/leics_2026_budget.xlsx' xl/worksheets/sheet1.xml)"
    check "serve-more: POST /api/run.svg is 200 with the SVG type" test "$(dl svg "$whatif")" = "200 image/svg+xml"
    check "serve-more: the chart is an SVG of mtfs run's size" \
        bash -c "head -c 300 '$TMP/more.svg' | grep -q 'width=\"900pt\" height=\"675pt\"' && test \$(stat -c %s '$TMP/more.svg') -gt 50000"
    check "serve-more: ... not the scenario's own chart" bash -c "! cmp -s '$TMP/more.svg' '$TMP/more-out-base/leics_2026_budget.svg'"
    cp "$TMP/more.svg" "$TMP/more-first.svg"
    dl svg "$whatif" >/dev/null
    check "serve-more: the same what-if twice: the same SVG bytes (its file is \"(request)\" in the footer)" \
        cmp -s "$TMP/more.svg" "$TMP/more-first.svg"
    dl svg '{"scenario": "leics_2026_budget"}' >/dev/null
    dl svg '{"scenario": "leics_2026_budget"}' >/dev/null   # not the server's first chart (cairo counts them)
    check "serve-more: without changes, the SVG is mtfs run --plot svg's, byte for byte" \
        cmp -s "$TMP/more.svg" "$TMP/more-out-base/leics_2026_budget.svg"
    dl xlsx '{"scenario": "leics_2026_budget"}' >/dev/null
    check "serve-more: ... and the workbook mtfs run --xlsx's (but its creation time)" \
        xlsx_same "$TMP/more.xlsx" "$TMP/more-out-base/leics_2026_budget.xlsx"
    check "serve-more: a bad value in a download is 400 with validation's message" \
        test "$(dl xlsx '{"scenario": "leics_2026_budget", "set": {"capital.rate": 0.7}}')" = "400 application/json"
    check "serve-more: GET /api/run.svg is 405" test "$(curl -s -o /dev/null -w '%{http_code}' "$murl/api/run.svg")" = 405
    check "serve-more: the downloads leave nothing in the scratch folder" \
        test -z "$(find "$TMP/more-tmp" -mindepth 2 2>/dev/null)"

    kill -INT "$mserve_pid"
    wait "$mserve_pid"
    code=$?
    check "serve-more: SIGINT stops it with exit 0 ($code; $(head -3 "$TMP/mserve.err"))" test "$code" = 0

    # The rate limit: --rate 5 is a bucket of 10 requests refilled at 5 a second.
    expect_status 2 "serve-more: --rate out of range" serve --rate -1 --port 0
    check "serve-more: --rate out of range: the message" grep -qxF -- \
        "mtfs: --rate takes a number of requests a second from 0 (no limit) to 100000, not '-1'" "$TMP/err"
    start_rated() { # start_rated RATE: a server with --rate RATE; its address in $rurl
        TMPDIR=$TMP/more-tmp $WRAP "$MTFS" serve "$msite" --port 0 --rate "$1" >"$TMP/rserve.out" 2>"$TMP/rserve.err" &
        rserve_pid=$!
        for _ in $(seq 1 300); do
            grep -q '^mtfs serve: http://127.0.0.1:[0-9]*/ (Ctrl-C to stop)$' "$TMP/rserve.out" && break
            kill -0 "$rserve_pid" 2>/dev/null || break
            sleep 0.1
        done
        rurl=$(sed -n 's|^mtfs serve: \(http://127.0.0.1:[0-9]*\)/ .*|\1|p' "$TMP/rserve.out")
    }
    stop_rated() {
        kill -INT "$rserve_pid"
        wait "$rserve_pid"
        check "serve-more: the rated server stops with exit 0 ($(head -3 "$TMP/rserve.err"))" test "$?" = 0
    }
    burst() { # burst N URL: N GETs on one connection, as fast as curl sends them; their statuses
        local args=() i
        for ((i = 0; i < $1; i++)); do args+=(-o /dev/null "$2"); done
        curl -s -w '%{http_code}\n' "${args[@]}"
    }
    start_rated 5
    # 30 requests at once: the first 10 pass.
    burst 30 "$rurl/style.css" >"$TMP/rate.codes"
    check "serve-more: --rate 5: the first 10 requests of a burst pass ($(head -10 "$TMP/rate.codes" | sort | uniq -c | tr '\n' ' '))" \
        test "$(head -10 "$TMP/rate.codes" | sort -u)" = 200
    n429=$(grep -c '^429$' "$TMP/rate.codes")
    check "serve-more: --rate 5: most of the 30 are refused with 429 ($n429; only 200 or 429)" \
        test "$n429" -ge 15 -a -z "$(grep -v '^200$' "$TMP/rate.codes" | grep -v '^429$')"
    curl -s -D "$TMP/rate.head" -o "$TMP/more.json" "$rurl/api/scenarios"
    check "serve-more: a refused request has Retry-After: 1" grep -qx 'Retry-After: 1.' "$TMP/rate.head"
    check "serve-more: ... and a JSON error saying the limit" \
        mjson "d == {'error': {'key': '', 'message': 'too many requests from this address: at most 5 a second on average, in bursts of 10 (ask again in 1 s)'}}"
    check "serve-more: ... as application/json" grep -qix 'Content-Type: application/json.' "$TMP/rate.head"
    sleep 2.2
    check "serve-more: after two seconds the bucket is full again (10 pass)" \
        test "$(burst 10 "$rurl/style.css" | sort -u)" = 200
    stop_rated
    start_rated 0
    check "serve-more: --rate 0: no limit (300 requests at once pass)" \
        test "$(burst 300 "$rurl/style.css" | sort | uniq -c | tr -s ' ')" = " 300 200"
    stop_rated
fi
