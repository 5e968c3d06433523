# tests/run.d/245-browser.sh - the what-if page of mtfs serve in a real
# browser (docs/serve.md): the system Chromium, headless, driven by
# tests/browser/whatif.js with playwright-core (the version pinned in
# tests/browser/package-lock.json, installed once by `npm ci` into
# tests/browser/node_modules; it never downloads a browser).  The page's
# numbers are checked against `mtfs run --format json`, and the time from a
# slider move to the redrawn chart is printed ("browser: move-to-chart ...").
# Skipped, with a SKIP line, without node 20+ or chromium, under valgrind
# (the server runs natively for the page; 240-serve.sh checks it under
# valgrind) and when MTFS_SKIP_BROWSER is set.  Sourced by tests/run.sh.

browser_skip=
chromium_bin=${CHROMIUM:-/usr/bin/chromium}
case "$WRAP" in *valgrind*) browser_skip="under valgrind (the page's server is tested by 240-serve)" ;; esac
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

if [ -n "$browser_skip" ]; then
    echo "SKIP browser: the what-if page is not tested in a browser: $browser_skip"
else
    bsite=$TMP/browser-site
    mkdir -p "$bsite" "$TMP/browser-work" "$TMP/browser-tmp"
    for f in leics_2025_central leics_2025_savings_70 leics_2026_budget leics_2026_half_savings; do
        cp "scenarios/$f.cfg" "$bsite/"
    done
    TMPDIR=$TMP/browser-tmp "$MTFS" serve "$bsite" --port 0 >"$TMP/bserve.out" 2>"$TMP/bserve.err" &
    bserve_pid=$!
    for _ in $(seq 1 300); do
        grep -q '^mtfs serve: http://127.0.0.1:[0-9]*/ (Ctrl-C to stop)$' "$TMP/bserve.out" && break
        kill -0 "$bserve_pid" 2>/dev/null || break
        sleep 0.1
    done
    burl=$(sed -n 's|^mtfs serve: \(http://127.0.0.1:[0-9]*/\) .*|\1|p' "$TMP/bserve.out")
    check "browser: the server started ($(cat "$TMP/bserve.out" "$TMP/bserve.err"))" test -n "$burl"

    if [ -n "$burl" ]; then
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
    check "browser: the server stops on SIGINT with exit 0" test "$?" = 0
fi
