# tests/run.d/245-browser.sh - the what-if page of mtfs serve in a real
# browser, with "save as scenario" and "compare with the base"
# (docs/serve.md).  The server runs on a scratch copy of five shipped
# scenarios.  First the API through curl: POST /api/save (the file written,
# 409 without overwrite, names and requests refused), /api/run.csv,
# /api/mc and /api/compare (the bytes of mtfs run, mc and compare on
# equivalent files).  Then the page in the system Chromium, headless,
# driven by tests/browser/whatif.js with playwright-core (the version
# pinned in tests/browser/package-lock.json, installed once by `npm ci`
# into tests/browser/node_modules; it never downloads a browser): its
# numbers against mtfs run, compare and mc, and the time from a slider
# move to the redrawn chart printed ("browser: move-to-chart ...").  The
# browser part prints a SKIP line and is skipped without node 20+ or
# chromium, under valgrind (Chromium there would take minutes; the server
# is still run under valgrind for the API part) and when
# MTFS_SKIP_BROWSER is set.
# Sourced by tests/run.sh.

browser_skip=
chromium_bin=${CHROMIUM:-/usr/bin/chromium}
# make valgrind: WRAP is valgrind, or (a sample) tests/wrap-sample.sh with SAMPLE_WRAP valgrind.
case "$WRAP ${SAMPLE_WRAP:-}" in *valgrind*) browser_skip="under valgrind" ;; esac
[ -n "${MTFS_SKIP_BROWSER:-}" ] && browser_skip="MTFS_SKIP_BROWSER is set"
[ -z "$browser_skip" ] && ! [ -x "$chromium_bin" ] &&
    browser_skip="no $chromium_bin (the Debian package chromium; make deps installs it)"
[ -z "$browser_skip" ] && ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null &&
    browser_skip="no node 20 or later (the Debian packages nodejs npm; make deps installs them)"
if [ -z "$browser_skip" ] && ! [ -f tests/browser/node_modules/playwright-core/package.json ]; then
    if ! (cd tests/browser && npm ci --no-audit --no-fund) >"$TMP/npm.log" 2>&1; then
        fail "browser: npm ci in tests/browser (the npm registry is needed once): $(grep -m1 'ERR' "$TMP/npm.log")"
        browser_skip="npm ci failed"
    fi
fi

# The folder served: five shipped scenarios (three inherit the other two).
bsite=$TMP/browser-site
mkdir -p "$bsite" "$TMP/browser-work" "$TMP/browser-tmp"
for f in leics_2025_central leics_2025_savings_70 leics_2025_uncertainty leics_2026_budget leics_2026_half_savings; do
    cp "scenarios/$f.cfg" "$bsite/"
done
TMPDIR=$TMP/browser-tmp $WRAP "$MTFS" serve "$bsite" --port 0 >"$TMP/bserve.out" 2>"$TMP/bserve.err" &
bserve_pid=$!
for _ in $(seq 1 300); do
    grep -q '^mtfs serve: http://127.0.0.1:[0-9]*/ (Ctrl-C to stop)$' "$TMP/bserve.out" && break
    kill -0 "$bserve_pid" 2>/dev/null || break
    sleep 0.1
done
burl=$(sed -n 's|^mtfs serve: \(http://127.0.0.1:[0-9]*/\) .*|\1|p' "$TMP/bserve.out")
check "browser: the server started ($(cat "$TMP/bserve.out" "$TMP/bserve.err"))" test -n "$burl"

# --- POST /api/save, through curl ---
# The system's python3 when there is one: a pyenv shim takes a second a call.
bpy=python3
[ -x /usr/bin/python3 ] && bpy=/usr/bin/python3
if [ -n "$burl" ] && command -v curl >/dev/null && command -v "$bpy" >/dev/null; then
    save() { # save BODY-FILE [CURL-ARGS...]: the reply in $TMP/save.json, the status printed
        local body=$1; shift
        curl -s -o "$TMP/save.json" -w '%{http_code}' -H 'Content-Type: application/json' "$@" \
            --data-binary "@$body" "${burl}api/save"
    }
    save_error_is() { # save_error_is KEY MESSAGE: the reply's error, exactly
        "$bpy" -c "import json,sys; e=json.load(open(sys.argv[1]))['error']; sys.exit(not (e['key'] == sys.argv[2] and e['message'] == sys.argv[3]))" \
            "$TMP/save.json" "$1" "$2"
    }
    after_meta() { awk 'done { print } /^  },$/ { done = 1 }' "$1"; }

    cat >"$TMP/save1.json" <<'EOF'
{"scenario": "leics_2025_central", "file": "pay4", "title": "Pay 4%, adults' savings 70%",
 "set": {"economy.pay": 0.04, "services.adults.delivery": 0.7,
         "council_tax.core": [0.0299, 0.0299, 0.0199, 0.0199]}}
EOF
    check "save: a what-if saved as pay4 is 201" test "$(save "$TMP/save1.json")" = 201
    cp "$TMP/save.json" "$TMP/save1.reply"
    cat >"$TMP/save1.want" <<'EOF'
# what-if made by mtfs serve
base = "leics_2025_central.cfg";
economy = {
  pay = 0.04;
};
services = (
  { name = "adults";
    delivery = 0.7;
  }
);
council_tax = {
  core = [0.0299, 0.0299, 0.0199, 0.0199];
};
name = "Pay 4%, adults' savings 70%";
EOF
    check "save: pay4.cfg inherits the scenario by file name, holds only the keys set and the title" \
        cmp -s "$bsite/pay4.cfg" "$TMP/save1.want"
    check "save: the reply names the file and gives its text" \
        "$bpy" -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d['file'] == 'pay4.cfg' and d['id'] == 'pay4' and d['text'] == open(sys.argv[2]).read()))" \
        "$TMP/save1.reply" "$TMP/save1.want"
    check "save: the file is readable by all, like the folder's others (0644)" \
        test "$(stat -c %a "$bsite/pay4.cfg")" = 644
    "$bpy" -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({'scenario': d['scenario'], 'set': d['set']}))" \
        "$TMP/save1.json" >"$TMP/run1.json"
    curl -s -o "$TMP/save-run.json" --data-binary "@$TMP/run1.json" "${burl}api/run"
    mtfs run "$bsite/pay4.cfg" --format json >"$TMP/save-cli.json"
    # The same bytes but the metadata and the scenario's title and id (the file's own).
    after_meta "$TMP/save-run.json" | grep -v '^  "scenario\(_id\)\?": ' >"$TMP/save-run.body"
    after_meta "$TMP/save-cli.json" | grep -v '^  "scenario\(_id\)\?": ' >"$TMP/save-cli.body"
    check "save: mtfs run on the saved file prints the what-if's run (the bytes but metadata, title, id)" \
        cmp -s "$TMP/save-run.body" "$TMP/save-cli.body"
    check "save: ... under the saved file's title and id" \
        "$bpy" -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d['scenario'] == \"Pay 4%, adults' savings 70%\" and d['scenario_id'] == 'pay4'))" \
        "$TMP/save-cli.json"
    check "save: ... which is a run (not empty)" grep -q '"gap"' "$TMP/save-cli.body"

    cp "$bsite/pay4.cfg" "$TMP/pay4.before"
    sed 's/0\.04/0.05/' "$TMP/save1.json" >"$TMP/save2.json"
    check "save: a file of that name is not replaced (409)" test "$(save "$TMP/save2.json")" = 409
    check "save: 409: the message says how to replace it" save_error_is file \
        "'pay4.cfg' is already in the folder (ask again with \"overwrite\": true to replace it)"
    check "save: ... and the file is unchanged" cmp -s "$bsite/pay4.cfg" "$TMP/pay4.before"
    sed 's/"file": "pay4",/"file": "pay4.cfg", "overwrite": true,/' "$TMP/save2.json" >"$TMP/save3.json"
    check "save: \"overwrite\": true replaces it (201)" test "$(save "$TMP/save3.json")" = 201
    check "save: ... with the new value" grep -qx '  pay = 0.05;' "$bsite/pay4.cfg"

    for name in ../escape /etc/x .hidden sub/x 'a b' .cfg; do
        printf '{"scenario": "leics_2025_central", "file": "%s", "set": {"economy.pay": 0.04}}' "$name" >"$TMP/bad-save.json"
        check "save: file name '$name' is refused (403)" test "$(save "$TMP/bad-save.json")" = 403
    done
    check "save: ... with the rule" save_error_is file \
        "the new scenario's file name: letters, digits, '_', '-' and '.' (no '/', no '..', not hidden), in the served folder"
    printf '{"scenario": "leics_2025_central", "file": "leics_2025_central", "overwrite": true, "set": {"economy.pay": 0.04}}' >"$TMP/bad-save.json"
    check "save: not over the scenario it starts from (400)" test "$(save "$TMP/bad-save.json")" = 400
    printf '{"scenario": "leics_2025_central", "file": "typo", "set": {"council_tax.cor": 0.02}}' >"$TMP/bad-save.json"
    check "save: a key that does not run is 400" test "$(save "$TMP/bad-save.json")" = 400
    check "save: ... with the run's message" save_error_is council_tax.cor "unknown key (did you mean 'core'?)"
    check "save: ... and nothing is written" test ! -e "$bsite/typo.cfg"
    printf '{"scenario": "leics_2025_central", "file": "x", "overwrite": 1}' >"$TMP/bad-save.json"
    check "save: overwrite must be true or false (400)" test "$(save "$TMP/bad-save.json")" = 400
    printf '{"scenario": "leics_2025_central", "file": "x", "tilte": "y"}' >"$TMP/bad-save.json"
    check "save: an unknown member is 400" test "$(save "$TMP/bad-save.json")" = 400
    check "save: ... naming the members" save_error_is tilte \
        "unknown member 'tilte' (expected scenario, set, file, title or overwrite)"

    # Only the page itself may write: a JSON body, its own Origin, a Host of this machine.
    printf '{"scenario": "leics_2025_central", "file": "csrf"}' >"$TMP/csrf.json"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary "@$TMP/csrf.json" "${burl}api/save")
    check "save: a body not sent as JSON is 415 (another site's form cannot save)" test "$code" = 415
    check "save: another site's Origin is 403" test "$(save "$TMP/csrf.json" -H 'Origin: http://evil.example')" = 403
    check "save: a Host that is not this machine is 403 (DNS rebinding)" \
        test "$(save "$TMP/csrf.json" -H 'Host: evil.example:8080')" = 403
    check "save: ... and none of them wrote" test ! -e "$bsite/csrf.cfg"
    check "save: the page's own Origin is accepted" \
        test "$(save "$TMP/csrf.json" -H "Origin: ${burl%/}")" = 201
    check "save: GET /api/save is 405" test "$(curl -s -o /dev/null -w '%{http_code}' "${burl}api/save")" = 405
    check "save: no temporary file is left in the folder" test -z "$(ls -A "$bsite" | grep '^\.')"
    rm -f "$bsite/pay4.cfg" "$bsite/csrf.cfg"

    # POST /api/run.csv: mtfs run --format csv on the saved file (no metadata: the same bytes).
    code=$(curl -s -o "$TMP/run-api.csv" -w '%{http_code}' --data-binary "@$TMP/run1.json" "${burl}api/run.csv")
    check "download: POST /api/run.csv is 200" test "$code" = 200
    cp "$TMP/save1.want" "$bsite/pay4.cfg"
    mtfs run "$bsite/pay4.cfg" --format csv >"$TMP/run-cli.csv"
    rm -f "$bsite/pay4.cfg"
    check "download: the CSV is mtfs run --format csv's, byte for byte" cmp -s "$TMP/run-api.csv" "$TMP/run-cli.csv"

    # POST /api/mc: mtfs mc --paths --seed on a file setting the same keys.
    mkdir -p "$TMP/mc-cli"
    printf '{"scenario": "leics_2025_uncertainty", "set": {"economy.pay": 0.04}, "paths": 2000, "seed": 11}' >"$TMP/mc.json"
    code=$(curl -s -o "$TMP/mc-api.json" -w '%{http_code}' --data-binary "@$TMP/mc.json" "${burl}api/mc")
    check "mc: POST /api/mc is 200" test "$code" = 200
    printf 'base = "%s/leics_2025_uncertainty.cfg";\neconomy = { pay = 0.04; };\n' "$bsite" >"$TMP/mc-cli/leics_2025_uncertainty.cfg"
    mtfs mc "$TMP/mc-cli/leics_2025_uncertainty.cfg" --paths 2000 --seed 11 --threads 2 -q --format json >"$TMP/mc-cli.json"
    check "mc: the reply is mtfs mc --paths 2000 --seed 11's (any thread count), byte for byte after the metadata" \
        cmp -s <(after_meta "$TMP/mc-api.json") <(after_meta "$TMP/mc-cli.json")
    check "mc: ... whose seed and paths are the request's" grep -q '"seed": 11,' "$TMP/mc-api.json"
    printf '{"scenario": "leics_2025_uncertainty", "paths": 20001}' >"$TMP/mc.json"
    code=$(curl -s -o "$TMP/save.json" -w '%{http_code}' --data-binary "@$TMP/mc.json" "${burl}api/mc")
    check "mc: more than 20,000 paths is 400" test "$code" = 400
    check "mc: ... saying the bound" save_error_is paths "expected a whole number from 1 to 20000"
    printf '{"scenario": "leics_2025_central"}' >"$TMP/mc.json"
    code=$(curl -s -o "$TMP/save.json" -w '%{http_code}' --data-binary "@$TMP/mc.json" "${burl}api/mc")
    check "mc: a scenario without an uncertainty block is 400 with mtfs mc's message" test "$code" = 400

    # POST /api/compare: mtfs compare of the scenario and ID_whatif.cfg setting the same keys.
    code=$(curl -s -o "$TMP/cmp-api.json" -w '%{http_code}' --data-binary "@$TMP/run1.json" "${burl}api/compare")
    check "compare: POST /api/compare is 200" test "$code" = 200
    mkdir -p "$TMP/cmp-cli"
    sed '/^name = /d; s|^base = "leics_2025_central.cfg";|base = "'"$bsite"'/leics_2025_central.cfg";|' \
        "$TMP/save1.want" >"$TMP/cmp-cli/leics_2025_central_whatif.cfg"
    mtfs compare "$bsite/leics_2025_central.cfg" "$TMP/cmp-cli/leics_2025_central_whatif.cfg" --format json |
        sed "s|\"$TMP/cmp-cli/leics_2025_central_whatif.cfg\"|\"(request)\"|" >"$TMP/cmp-cli.json"
    check "compare: the reply is mtfs compare --format json's, byte for byte after the metadata" \
        cmp -s <(after_meta "$TMP/cmp-api.json") <(after_meta "$TMP/cmp-cli.json")
    check "compare: ... with the bridge of the difference" grep -q '"bridge": {' "$TMP/cmp-api.json"
    printf '{"scenario": "leics_2025_central", "set": {"council_tax.core": 2}}' >"$TMP/bad-cmp.json"
    code=$(curl -s -o "$TMP/save.json" -w '%{http_code}' --data-binary "@$TMP/bad-cmp.json" "${burl}api/compare")
    check "compare: a value out of range is 400 with the run's message" test "$code" = 400
    check "compare: ... the message" save_error_is council_tax.core \
        "value 2 is outside the sensible range -0.5 to 0.5 (expected a rate as a fraction: 0.05 means 5%; did you mean 0.02?)"
fi

# --- the page in Chromium ---
if [ -n "$browser_skip" ]; then
    echo "SKIP browser: the what-if page is not tested in a browser: $browser_skip"
elif [ -n "$burl" ]; then
    (cd tests/browser && MTFS_URL=$burl MTFS=$MTFS SITE=$bsite WORK=$TMP/browser-work CHROMIUM=$chromium_bin \
        SCREENSHOT=${MTFS_BROWSER_SCREENSHOT:-} timeout 120 node whatif.js) >"$TMP/browser.out" 2>"$TMP/browser.err"
    bstatus=$?
    while IFS= read -r line; do
        case "$line" in
            "ok "*) pass ;;
            "not ok "*) fail "browser: ${line#not ok }" ;;
            "time "*) echo "browser: ${line#time }" ;;
        esac
    done <"$TMP/browser.out"
    check "browser: whatif.js ran to its end (status $bstatus; $(head -c 300 "$TMP/browser.err"))" test "$bstatus" = 0
    check "browser: whatif.js made its checks" grep -q '^ok ' "$TMP/browser.out"
fi

kill -INT "$bserve_pid" 2>/dev/null
wait "$bserve_pid"
check "browser: the server stops on SIGINT with exit 0 (under valgrind: with no leak)" test "$?" = 0
