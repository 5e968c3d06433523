# tests/run.d/240-serve.sh - mtfs serve (docs/serve.md): the JSON API on a
# free port of 127.0.0.1, driven with curl.  A what-if run is byte for byte
# what `mtfs run --format json` prints for a file that sets the same keys
# (everything after the metadata, whose first file is the request's);
# bad requests get 4xx and the scenario validation's own message; names
# leading out of the folder are refused; the server stops on SIGINT with
# exit 0 (under WRAP=valgrind: with no leak).  Sourced by tests/run.sh.

serve_usage() { # serve_usage NAME WANT-LINE ARGS...: mtfs serve ARGS exits 2 saying WANT-LINE
    local name=$1 want=$2; shift 2
    expect_status 2 "$name" serve "$@"
    check "$name: the message" grep -qxF -- "$want" "$TMP/err"
}
serve_usage "serve: a non-loopback --host needs --allow-remote" \
    "mtfs: --host 0.0.0.0 would let other machines run scenarios: add --allow-remote to mean it" \
    --host 0.0.0.0 --port 0
serve_usage "serve: --port out of range" \
    "mtfs: --port takes a port number from 0 to 65535, not '70000'" --port 70000
serve_usage "serve: --host not an address" \
    "mtfs: --host takes an IP address such as 127.0.0.1 or ::1, not 'localhost'" --host localhost
expect_status 2 "serve: a folder that is not one" serve "$TMP/no-such-folder" --port 0
check "serve: a folder that is not one: the message" \
    grep -q "^mtfs serve: '$TMP/no-such-folder' is not a folder of scenarios" "$TMP/err"

if ! command -v curl >/dev/null || ! command -v python3 >/dev/null; then
    echo "note: curl or python3 missing: the API tests of mtfs serve are skipped"
else
    # The folder served: a scenario, a link inside it, a link leading out.
    site=$TMP/serve-site
    mkdir -p "$site" "$TMP/serve-cmp"
    cp scenarios/leics_2025_central.cfg "$site/"
    ln -s leics_2025_central.cfg "$site/inside.cfg"
    printf 'name = "outside";\n' >"$TMP/outside.cfg"
    ln -s ../outside.cfg "$site/escape.cfg"

    mkdir -p "$TMP/serve-tmp"
    TMPDIR=$TMP/serve-tmp $WRAP "$MTFS" serve "$site" --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
    serve_pid=$!
    for _ in $(seq 1 300); do
        grep -q '^mtfs serve: http://127.0.0.1:[0-9]*/ (Ctrl-C to stop)$' "$TMP/serve.out" && break
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.1
    done
    port=$(sed -n 's|^mtfs serve: http://127.0.0.1:\([0-9]*\)/ .*|\1|p' "$TMP/serve.out")
    check "serve --port 0 prints the address it listens on ($(cat "$TMP/serve.out"))" test -n "$port"
    url=http://127.0.0.1:$port

    api() { # api METHOD PATH [BODY-FILE]: the reply in $TMP/api.json, the status printed
        if [ -n "${3:-}" ]; then
            curl -s -o "$TMP/api.json" -w '%{http_code}' -X "$1" --data-binary "@$3" "$url$2"
        else
            curl -s -o "$TMP/api.json" -w '%{http_code}' -X "$1" "$url$2"
        fi
    }
    json_is() { # json_is PYTHON-EXPR: true of the reply d
        python3 -c "import json,sys; d=json.load(open('$TMP/api.json')); sys.exit(not ($1))"
    }
    # The message the reply's error carries, exactly.
    error_is() { json_is "d['error']['key'] == '$1' and d['error']['message'] == \"$2\""; }

    check "serve: GET /api/scenarios is 200" test "$(api GET /api/scenarios)" = 200
    check "serve: the scenarios: the files of the folder with id, title and description" \
        json_is "[s['file'] for s in d['scenarios']] == ['escape.cfg', 'inside.cfg', 'leics_2025_central.cfg'] \
                 and d['scenarios'][2]['name'] == 'Leicestershire MTFS 2025/26 central' \
                 and d['scenarios'][2]['description'].startswith('The 2025/26-2028/29 MTFS as approved') \
                 and d['scenarios'][0]['error'].endswith('is a link leading out of the served folder')"

    check "serve: GET /api/scenario is 200" test "$(api GET '/api/scenario?name=leics_2025_central')" = 200
    check "serve: a scenario's inputs: path, label, unit, range and values from the registry" \
        json_is "d['years'] == ['2025/26', '2026/27', '2027/28', '2028/29'] and \
                 {'path': 'economy.pay', 'label': 'Economy series, pay', 'kind': 'series', 'unit': 'share', \
                  'min': -0.5, 'min_open': False, 'max': 0.5, 'expected': 'a rate as a fraction: 0.05 means 5%', \
                  'values': [0.032, 0.03, 0.025, 0.025]} in d['inputs'] and \
                 [i['value'] for i in d['inputs'] if i['path'] == 'reserves.opening'] == [100.0] and \
                 [i['label'] for i in d['inputs'] if i['path'] == 'services.adults.delivery'] == ['Savings delivered, adults']"

    # A what-if through the API and the same keys in a file: the same bytes after the metadata.
    cat >"$TMP/whatif.json" <<'EOF'
{"scenario": "leics_2025_central",
 "set": {"economy.pay": 0.04, "economy.cpi": [0.03, 0.025, 0.02, 0.02],
         "services.adults.delivery": 0.7, "services.children.delivery": 0.85,
         "council_tax.core": 0.0199}}
EOF
    cat >"$TMP/serve-cmp/leics_2025_central.cfg" <<'EOF'
base = "../serve-site/leics_2025_central.cfg";
economy = { pay = 0.04; cpi = [0.03, 0.025, 0.02, 0.02]; };
services = ( { name = "adults"; delivery = 0.7; }, { name = "children"; delivery = 0.85; } );
council_tax = { core = 0.0199; };
EOF
    after_metadata() { awk 'done { print } /^  },$/ { done = 1 }' "$1"; }
    check "serve: POST /api/run is 200" test "$(api POST /api/run "$TMP/whatif.json")" = 200
    mtfs run "$TMP/serve-cmp/leics_2025_central.cfg" --format json >"$TMP/serve-cli.json"
    after_metadata "$TMP/api.json" >"$TMP/serve-api.body"
    after_metadata "$TMP/serve-cli.json" >"$TMP/serve-cli.body"
    check "serve: a what-if run is byte for byte mtfs run --format json on a file setting the same keys" \
        cmp -s "$TMP/serve-api.body" "$TMP/serve-cli.body"
    mtfs run "$site/leics_2025_central.cfg" --format json >"$TMP/serve-base.json"
    after_metadata "$TMP/serve-base.json" >"$TMP/serve-base.body"
    check "serve: ... and the what-if moved the numbers (it is not the base scenario's run)" \
        bash -c "! cmp -s '$TMP/serve-api.body' '$TMP/serve-base.body'"
    check "serve: the run's metadata names the request, then the file it inherits" \
        json_is "[f['path'] for f in d['metadata']['files']] == ['(request)', '$site/leics_2025_central.cfg']"
    printf '{"scenario": "leics_2025_central"}' >"$TMP/plain.json"
    api POST /api/run "$TMP/plain.json" >/dev/null
    after_metadata "$TMP/api.json" >"$TMP/serve-api.body"
    check "serve: a run without changes is mtfs run's" cmp -s "$TMP/serve-api.body" "$TMP/serve-base.body"

    # Bad values and keys: 400 and the scenario validation's message.
    printf '{"scenario": "leics_2025_central", "set": {"council_tax.cor": 0.02}}' >"$TMP/bad.json"
    check "serve: an unknown key is 400" test "$(api POST /api/run "$TMP/bad.json")" = 400
    check "serve: an unknown key: validation's message" error_is council_tax.cor "unknown key (did you mean 'core'?)"
    printf '{"scenario": "leics_2025_central", "set": {"council_tax.core": 2}}' >"$TMP/bad.json"
    check "serve: a value out of range is 400" test "$(api POST /api/run "$TMP/bad.json")" = 400
    check "serve: a value out of range: validation's message" error_is council_tax.core \
        "value 2 is outside the sensible range -0.5 to 0.5 (expected a rate as a fraction: 0.05 means 5%; did you mean 0.02?)"
    printf '{"scenario": "leics_2025_central", "set": {"base": "/etc/passwd"}}' >"$TMP/bad.json"
    check "serve: a file name cannot be set (400)" test "$(api POST /api/run "$TMP/bad.json")" = 400
    printf '{"scenario": "leics_2025_central", "set": {"economy.cpi": {"a": 1}}}' >"$TMP/bad.json"
    check "serve: a value that is not a number, list, boolean or text is 400" \
        test "$(api POST /api/run "$TMP/bad.json")" = 400
    printf '{"scenario": "leics_2025_central", "set": ' >"$TMP/bad.json"
    check "serve: a body that is not JSON is 400" test "$(api POST /api/run "$TMP/bad.json")" = 400

    # Names leading out of the folder.
    check "serve: '..' in a scenario's name is 403" \
        test "$(api GET '/api/scenario?name=../outside')" = 403
    printf '{"scenario": "../serve-site/leics_2025_central"}' >"$TMP/bad.json"
    check "serve: '..' in a run's scenario is 403" test "$(api POST /api/run "$TMP/bad.json")" = 403
    check "serve: an absolute path is 403" test "$(api GET '/api/scenario?name=/etc/passwd')" = 403
    check "serve: a link leading out of the folder is 403" test "$(api GET '/api/scenario?name=escape')" = 403
    check "serve: a link inside the folder is served" test "$(api GET '/api/scenario?name=inside')" = 200
    check "serve: a scenario not in the folder is 404" test "$(api GET '/api/scenario?name=nope')" = 404
    check "serve: an address outside the page is 404" test "$(api GET /../../etc/passwd)" = 404

    # The body limit: 64 KiB, with a length given and chunked.
    head -c 70000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
    check "serve: a body over 64 KiB is 413" test "$(api POST /api/run "$TMP/big.json")" = 413
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary "@$TMP/big.json" "$url/api/run")
    check "serve: a chunked body over 64 KiB is 413" test "$code" = 413
    check "serve: GET /api/run is 405" test "$(api GET /api/run)" = 405

    # The page: its files at fixed addresses, nothing from elsewhere, a label for every control.
    curl -s -D "$TMP/page.head" -o "$TMP/page.html" "$url/"
    check "serve: / is the page" grep -q '<h1>MTFS what-if</h1>' "$TMP/page.html"
    check "serve: the page may load only from this server (Content-Security-Policy)" \
        grep -qi "^Content-Security-Policy: default-src 'self'" "$TMP/page.head"
    check "serve: the page names no address of the internet" \
        bash -c "! grep -qiE '(src|href)=\"(https?:)?//' share/mtfs/www/index.html"
    unlabelled=$(grep -oE '<(input|select)[^>]* id="[^"]*"' share/mtfs/www/index.html | sed 's/.* id="\([^"]*\)"/\1/' |
        while read -r id; do grep -q "<label for=\"$id\">" share/mtfs/www/index.html || printf '%s ' "$id"; done)
    check "serve: every control of the page has a label (not: $unlabelled)" test -z "$unlabelled"
    check "serve: /app.js and /style.css are served" \
        test "$(api GET /app.js)$(api GET /style.css)" = 200200
    if [ -r /usr/share/javascript/chart.js/chart.min.js ]; then
        api GET /chart.js >/dev/null
        check "serve: /chart.js is Debian's Chart.js" cmp -s "$TMP/api.json" /usr/share/javascript/chart.js/chart.min.js
    fi

    expect_status 3 "serve: a port already taken is exit 3" serve "$site" --port "$port"
    check "serve: a port already taken: one line saying so" \
        test "$(cat "$TMP/err")" = "mtfs serve: cannot listen on 127.0.0.1 port $port: Address already in use"

    # Requests at once: each answer is its own.
    pids=
    for i in 1 2 3 4 5 6 7 8; do
        curl -s -o "$TMP/par$i.json" -X POST --data-binary "@$TMP/whatif.json" "$url/api/run" &
        pids="$pids $!"
    done
    # shellcheck disable=SC2086
    wait $pids
    after_metadata "$TMP/serve-cli.json" >"$TMP/serve-cli.body"
    ok=1
    for i in 1 2 3 4 5 6 7 8; do
        after_metadata "$TMP/par$i.json" | cmp -s - "$TMP/serve-cli.body" || ok=0
    done
    check "serve: eight runs at once each give the what-if's numbers" test "$ok" = 1

    kill -INT "$serve_pid"
    wait "$serve_pid"
    code=$?
    check "serve: SIGINT stops it with exit 0 ($code; $(head -3 "$TMP/serve.err"))" test "$code" = 0
    check "serve: its scratch folder is gone" test -z "$(ls -A "$TMP/serve-tmp")"
fi
