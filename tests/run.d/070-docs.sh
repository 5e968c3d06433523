# tests/run.d/070-docs.sh - mtfs works from anywhere and its documentation is true: mc's
# thread default, the man page against every --help, the installed share directory, and
# every command shown in README.md and docs/ run as shown.
# Sourced by tests/run.sh (uses check, expect_status, mtfs, $TMP, $ROOT).

# --- mc: every online core by default -------------------------------------------------
# The memory a run needs grows with its threads (each keeps one number a path), so the
# refusal message tells which count the default chose.  The results themselves are the
# same for any count (tests/run.d/010-uncertainty.sh).
cores=$(getconf _NPROCESSORS_ONLN)
[ "$cores" -gt 64 ] && cores=64
mtfs mc tests/good/mc/tiny.cfg --paths 100000000 --max-memory 1 -q >/dev/null 2>"$TMP/mc-default.err"
mtfs mc tests/good/mc/tiny.cfg --paths 100000000 --max-memory 1 -q --threads "$cores" \
    >/dev/null 2>"$TMP/mc-cores.err"
check "mc: --threads defaults to the $cores online cores" cmp -s "$TMP/mc-default.err" "$TMP/mc-cores.err"
check "mc --help: the thread default" grep -q 'threads K .*(default: one per online core)' \
    <(mtfs mc --help)

# --- shipped files: found from anywhere -------------------------------------------------
# make install puts data, formulas and scenarios under PREFIX/share/mtfs; the installed
# mtfs finds them from any directory (mtfs(1) FILES).  The binary installed is the one
# under test (BUILD is its directory), so nothing is rebuilt.
mtfs backtest --format csv >"$TMP/bt-repo.csv"
build_dir=${MTFS%/mtfs}
case $build_dir in
"$ROOT") build_dir=build ;;
"$ROOT"/*) build_dir=${build_dir#"$ROOT"/} ;;
*) build_dir= ;;
esac
if [ -n "$build_dir" ] && [ -x "$ROOT/$build_dir/mtfs" ]; then
    make -s -C "$ROOT" install BUILD="$build_dir" PREFIX="$TMP/p" >"$TMP/install.log" 2>&1
    check "make install PREFIX=... works" test $? = 0
    check "make install ships the data, formulas and scenarios" test \
        -s "$TMP/p/share/mtfs/data/authorities.csv" -a -s "$TMP/p/share/mtfs/data/published/economy_outturn.csv" \
        -a -s "$TMP/p/share/mtfs/formulas/ffr_like.cfg" -a -s "$TMP/p/share/mtfs/scenarios/editions/leics_2019.cfg" \
        -a -s "$TMP/p/share/mtfs/scenarios/leics_2025_fair_funding.cfg"
    check "make install ships mtfs serve's page" test -s "$TMP/p/share/mtfs/www/index.html" \
        -a -s "$TMP/p/share/mtfs/www/app.js" -a -s "$TMP/p/share/mtfs/www/style.css"
    mkdir -p "$TMP/elsewhere"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" backtest --format csv) >"$TMP/bt-installed.csv" 2>"$TMP/err"
    check "installed mtfs backtest from another directory exits 0" test $? = 0
    check "installed backtest: the same CSV as in the repository" cmp -s "$TMP/bt-installed.csv" "$TMP/bt-repo.csv"
    # A shipped scenario by its relative name (it names ../formulas/..., which names ../data/...).
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/leics_2025_fair_funding.cfg --format csv) \
        >"$TMP/ff-installed.csv" 2>"$TMP/err"
    check "installed mtfs runs a shipped scenario from another directory" test $? = 0
    mtfs run scenarios/leics_2025_fair_funding.cfg --format csv >"$TMP/ff-repo.csv"
    check "installed scenario: the same projection" cmp -s "$TMP/ff-installed.csv" "$TMP/ff-repo.csv"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/leics_2025_fair_funding.cfg) >"$TMP/out" 2>&1
    check "installed scenario: the header names the shipped file" \
        grep -qx "Scenario file $TMP/p/share/mtfs/scenarios/leics_2025_fair_funding.cfg; base year 2024/25; projection in £m." "$TMP/out"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/no_such.cfg) >"$TMP/out" 2>"$TMP/err"
    check "a file in neither place: the error names it as given" \
        grep -qx "scenarios/no_such.cfg: cannot open: No such file or directory" "$TMP/err"
    # A file of the current directory comes first.
    mkdir -p "$TMP/elsewhere/scenarios"
    sed 's/^name = .*/name = "Local copy";/' scenarios/leics_2025_central.cfg >"$TMP/elsewhere/scenarios/leics_2025_central.cfg"
    (cd "$TMP/elsewhere" && $WRAP "$TMP/p/bin/mtfs" run scenarios/leics_2025_central.cfg) >"$TMP/out" 2>&1
    check "a file in the current directory comes before the shipped one" grep -qx "Local copy" "$TMP/out"
    make -s -C "$ROOT" uninstall BUILD="$build_dir" PREFIX="$TMP/p" >>"$TMP/install.log" 2>&1
    check "make uninstall removes the shipped files" test ! -e "$TMP/p/share/mtfs" -a ! -e "$TMP/p/bin/mtfs"
fi
# The command run from its source tree finds the tree's files too.
(cd "$TMP" && $WRAP "$MTFS" backtest --format csv) >"$TMP/bt-elsewhere.csv" 2>"$TMP/err"
check "mtfs backtest run from another directory finds the source tree's data" \
    cmp -s "$TMP/bt-elsewhere.csv" "$TMP/bt-repo.csv"
mtfs --help >"$TMP/help.txt"
check "mtfs --help says shipped files are looked for after the current directory" \
    grep -qF "directory if it is there, else from the files shipped with mtfs (scenarios/," "$TMP/help.txt"
check "mtfs --help names the shipped directory this program uses" \
    grep -qxF "formulas/, data/): $ROOT." "$TMP/help.txt"

# --- the man page: every option of every --help has its entry; it renders cleanly ---------
# An entry is a .TP paragraph whose tag names the option (\-\-name).
commands=$(mtfs --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && $1 != "help" && NF { print $1 }')
check "mtfs --help lists the twelve commands" test "$(echo $commands | wc -w)" -ge 12
: >"$TMP/help-options"
for c in $commands; do
    mtfs "$c" --help | grep -oE -- '--[a-z][a-z-]+' | sed "s/^/$c /" >>"$TMP/help-options"
done
mtfs --help | grep -oE -- '--[a-z][a-z-]+' | sed 's/^/mtfs /' >>"$TMP/help-options"
awk 'prev == ".TP" { print } { prev = $1 }' docs/mtfs.1 | grep -oE -- '\\-\\-[a-z][a-z\\-]+' |
    sed 's/\\-/-/g' | sort -u >"$TMP/man-options"
missing=$(sort -u "$TMP/help-options" | while read -r c o; do
    grep -qxF -- "$o" "$TMP/man-options" || printf '%s %s; ' "$c" "$o"
done)
check "every option of every --help has an entry in docs/mtfs.1 (missing: $missing)" test -z "$missing"
if command -v groff >/dev/null; then
    for width in 65 78 100; do
        groff -man -Tutf8 -ww -rLL=${width}n -z docs/mtfs.1 >"$TMP/groff.err" 2>&1
        check "docs/mtfs.1 renders at $width columns without a warning: $(head -1 "$TMP/groff.err")" \
            test ! -s "$TMP/groff.err"
    done
fi
if command -v man >/dev/null; then
    MANWIDTH=80 man --warnings -l docs/mtfs.1 2>"$TMP/man.err" >/dev/null
    check "man --warnings -l docs/mtfs.1: no warning: $(head -1 "$TMP/man.err")" test ! -s "$TMP/man.err"
fi

# --- every command shown in README.md, docs/*.md and the man page, run as shown -------------
# In a copy of the shipped files (the commands write out/, plots/...): a "$ " line in a
# fenced block is a command whose following lines are its output (stdout and stderr; a line
# "..." stands for any lines; "$ echo $?" shows the previous status); an mtfs line of a sh
# or yaml block, or of the man page's EXAMPLES, must exit 0 (1 with --fail-if: a threshold
# crossed); a ```cfg block is a scenario file (a fragment is put on top of the central case)
# that must validate (saved as scenarios/NAME.cfg when its first line is "# scenarios/NAME.cfg").
docs_run=$TMP/docs-run
mkdir -p "$docs_run/bin" "$docs_run/tests"
cp -R scenarios formulas data "$docs_run/" && cp -R tests/bad tests/good "$docs_run/tests/"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$WRAP" "$MTFS" >"$docs_run/mtfs"
chmod +x "$docs_run/mtfs" && cp "$docs_run/mtfs" "$docs_run/bin/mtfs"
python3 - "$docs_run" README.md docs/*.md docs/mtfs.1 >"$TMP/docs-examples" 2>&1 <<'PY'
import os, re, subprocess, sys

run_dir, files = sys.argv[1], sys.argv[2:]
env = dict(os.environ, PATH=run_dir + "/bin:" + os.environ["PATH"], NO_COLOR="1")
env.pop("CI", None)
env.pop("MTFS_RESTRICT", None)
RUNNABLE = re.compile(r"^(\./mtfs|mtfs)( |$)")

def run(command):
    p = subprocess.run(["bash", "-c", command], cwd=run_dir, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace")

def matches(want, got):
    """want's lines against got's; a line "..." stands for any number of lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])

def report(where, problem):
    head, _, details = (problem or "").partition("\n")
    print(("FAIL " if problem else "ok ") + where + (": " + head if problem else ""))
    for line in details.split("\n") if details else []:
        print("    | " + line)

def join_continued(lines):
    """(line number, text) with backslash continuations joined."""
    out, pending, start = [], "", 0
    for n, text in lines:
        if not pending:
            start = n
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        out.append((start, pending + text))
        pending = ""
    return out

def status_ok(command, status):
    return status == 0 or (status == 1 and "--fail-if" in command)

def blocks(path):
    """(tag, first line number, [(line number, text)]) of each fenced block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    result, inside = [], None
    for n, text in enumerate(lines, 1):
        if text.startswith("```"):
            if inside is None:
                inside = (text[3:].strip(), n, [])
            else:
                result.append(inside)
                inside = None
        elif inside is not None:
            inside[2].append((n, text))
    return result

cfg_count = 0
for path in files:
    if path.endswith(".1"):
        text = open(path, encoding="utf-8").read()
        m = re.search(r"^\.SH EXAMPLES\n\.nf\n(.*?)^\.fi", text, re.S | re.M)
        for k, line in enumerate(m.group(1).splitlines() if m else []):
            command = line.replace("\\-", "-").replace("\\(dq", '"')
            if RUNNABLE.match(command):
                status, out = run(command)
                report(f"{path} EXAMPLES: {command}",
                       None if status_ok(command, status) else f"exit {status}: {out[-300:]}")
        continue
    for tag, first, body in blocks(path):
        if tag == "cfg":
            cfg_count += 1
            name = f"scenarios/doc_example_{cfg_count}.cfg"
            # A block whose first line is "# scenarios/NAME.cfg" is saved under
            # that name, so the page's later commands can run it.
            named = re.match(r"#\s*(scenarios/[A-Za-z0-9_.-]+\.cfg)\s*$", body[0][1]) if body else None
            if named:
                name = named.group(1)
            text = "\n".join(t for _, t in body) + "\n"
            if not re.search(r"^base\s*=", text, re.M):
                text = 'base = "leics_2025_central.cfg";\n' + text
            open(os.path.join(run_dir, name), "w", encoding="utf-8").write(text)
            status, out = run(f"mtfs validate {name}")
            report(f"{path}:{first}: the cfg block validates",
                   None if status == 0 else f"exit {status}: {out.strip()}")
            continue
        if any(t.startswith("$ ") for _, t in body):
            last = 0
            items = []   # (line, command, expected lines)
            for n, t in body:
                if t.startswith("$ "):
                    items.append((n, t[2:], []))
                elif items:
                    items[-1][2].append(t.rstrip())
            for n, command, want in items:
                while want and not want[-1]:
                    want.pop()
                if command.strip() == "echo $?":
                    got = [str(last)]
                elif RUNNABLE.match(command):
                    last, out = run(command)
                    got = [l.rstrip() for l in out.rstrip("\n").split("\n")] if out else []
                else:
                    report(f"{path}:{n}: {command}", "not an mtfs command (the test cannot run it)")
                    continue
                if matches(want, got):
                    report(f"{path}:{n}: {command}", None)
                else:
                    shown = "\n".join(got)
                    report(f"{path}:{n}: {command}", "output differs from the one shown; it is:\n" + shown)
            continue
        if tag in ("sh", "yaml"):
            lines = [(n, re.sub(r"^\s*(- )?(run: )?", "", t)) for n, t in body]
            for n, command in join_continued(lines):
                if RUNNABLE.match(command):
                    status, out = run(command)
                    report(f"{path}:{n}: {command}",
                           None if status_ok(command, status) else f"exit {status}: {out[-300:]}")
PY
check "the docs examples ran (python3)" test $? = 0
n_examples=$(grep -c '^ok ' "$TMP/docs-examples")
check "at least 30 commands and scenario files shown in the docs were checked ($n_examples)" \
    test "$n_examples" -ge 30
while IFS= read -r line; do
    case $line in
    "FAIL "*) fail "docs example ${line#FAIL }" ;;
    "    | "*) printf '%s\n' "$line" ;;
    esac
done <"$TMP/docs-examples"
if [ -n "$build_dir" ]; then
    make -s -C "$ROOT" docs-images BUILD="$build_dir" DOCS_IMAGES="$TMP/docs-images" >/dev/null 2>&1
    check "make docs-images runs" test $? = 0
    for f in docs/images/*.png; do
        check "$f is current (run make docs-images)" cmp -s "$f" "$TMP/docs-images/${f##*/}"
    done
    check "make docs-images draws every image of docs/images" \
        test "$(ls "$TMP/docs-images" | wc -l)" = "$(ls docs/images/*.png | wc -l)"
fi

# --- the equations live in the project: docs/model.md --------------------------------------
# Each section names the function that computes it, written name(); every one is defined in
# src/, and every file it names exists, so a rename cannot leave the page behind.
check "docs/model.md exists" test -s docs/model.md
check "README.md points to docs/model.md" grep -q '](docs/model.md)' README.md
check "no README or docs page points to ../shared for the equations" \
    test -z "$(grep -l 'shared/docs' README.md docs/*.md docs/mtfs.1 2>/dev/null)"
# Users get the repository alone: nothing shipped cites the team's ../shared folder (a
# source is named by its publisher, or by a file under data/).
check "no shipped file cites ../shared (a source is named, not a team folder): $(grep -rlE '\.\./shared|shared/reference' README.md docs scenarios formulas data 2>/dev/null | tr '\n' ' ')" \
    test -z "$(grep -rlE '\.\./shared|shared/reference' README.md docs scenarios formulas data 2>/dev/null)"
missing=
for name in $(grep -oE '\b[a-z_][a-z0-9_]*\(\)' docs/model.md 2>/dev/null | sort -u); do
    grep -qE "^[a-z][^;]*\b${name%()}\(" src/*.c src/*.h src/plot/*.c || missing="$missing $name"
done
check "every function docs/model.md names is defined in src/ (not:$missing)" test -z "$missing"
missing=
for path in $(grep -oE '\b(src|include|data|tests)/[A-Za-z0-9_./*-]*[a-z]' docs/model.md 2>/dev/null | sort -u); do
    compgen -G "$path" >/dev/null || missing="$missing $path"
done
check "every file docs/model.md names exists (not:$missing)" test -z "$missing"
without=$(awk '/^## [0-9]/ { if (title && !named) print title; title = $0; named = 0; next }
               /[a-z_][a-z0-9_]*\(\)/ { named = 1 }
               END { if (title && !named) print title }' docs/model.md 2>/dev/null)
check "every section of docs/model.md names a function (not: $without)" test -z "$without"
check "docs/model.md has its sections" test "$(grep -c '^## [0-9]' docs/model.md 2>/dev/null)" -ge 9
# Every relative link of README.md and docs/*.md leads to a file of the project.
broken=$(python3 - README.md docs/*.md <<'PY'
import os, re, sys
for path in sys.argv[1:]:
    for target in re.findall(r"\]\(([^)#\s]+)", open(path, encoding="utf-8").read()):
        if "://" in target or target.startswith("mailto:"):
            continue
        if not os.path.exists(os.path.join(os.path.dirname(path), target)):
            print(f"{path}: {target}", end="; ")
PY
)
check "every relative link in README.md and docs/ resolves (broken: $broken)" test -z "$broken"

# --- what run writes, as docs/model-notes.md and the man page list it ----------------------
mtfs run scenarios/leics_2025_central.cfg -o "$TMP/run-files" --xlsx >/dev/null 2>&1
unlisted=
for f in "$TMP"/run-files/*; do
    suffix=${f##*/leics_2025_central}
    grep -qF "DIR/<id>$suffix" docs/model-notes.md || unlisted="$unlisted model-notes:$suffix"
    grep -qF "ID $suffix" docs/mtfs.1 || unlisted="$unlisted mtfs.1:$suffix"
done
check "every file run -o writes is listed in model-notes.md and mtfs(1) (not:$unlisted)" test -z "$unlisted"
header=$(mtfs run scenarios/leics_2025_central.cfg --format csv | head -1)
listed=$(python3 - docs/model-notes.md <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^- `--format csv` prints (.*?)(?=^- |^#)", text, re.S | re.M)
names = re.findall(r"`([^`]+)`", m.group(1)) if m else []
print(",".join(n.replace(" ", "").replace("\n", "").strip(",") for n in names[:2]))
PY
)
check "model-notes.md lists the run CSV's columns in order" test "$listed" = "$header"
