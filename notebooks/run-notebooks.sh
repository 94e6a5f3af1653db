#!/usr/bin/env bash
# Executes the notebooks headlessly in the Java kernel; any cell error (a compile error, an exception,
# a missing %jar path, a timeout, a dead kernel) fails the run.
#
#   notebooks/run-notebooks.sh                   every notebooks/*.ipynb
#   notebooks/run-notebooks.sh 01-quickstart     only the named ones
#   notebooks/run-notebooks.sh --output DIR ...  executed copies in DIR/executed/, renderings in DIR/rendered/
#   notebooks/run-notebooks.sh --render          the maintainer's path: also writes the tutorials
#                                                (tutorials/NAME.md, figures in tutorials/NAME_files/) and
#                                                clears the outputs of notebooks/*.ipynb (committed without them)
#   notebooks/run-notebooks.sh --check           only says whether Jupyter, the kernel and the jars are
#                                                there (exit 0) or which is missing (exit 3)
#
# Without --render no tracked file is written: executed copies go to notebooks/target/executed/ and
# Markdown renderings to notebooks/target/rendered/ (or under --output DIR). The kernel inherits the
# environment, e.g. JAVA_TOOL_OPTIONS=-Dnormgrad.gemm=ejml or OPENBLAS_NUM_THREADS=1. Needs the kernel
# (notebooks/install-kernel.sh) and the project's jars (mvn package, which install-kernel.sh also runs).
# Prints the time of each notebook; the budget is 90 s each and 8 minutes for the set, on 2 cores.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
KERNEL_NAME=normgrad-java
JUPYTER=/usr/bin/jupyter   # Debian's: another python3 may come first on PATH
BUDGET_SECONDS=90
SET_BUDGET_SECONDS=480

render=false
check=false
output=""
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --render) render=true ;;
    --check) check=true ;;
    --output)
      [ $# -ge 2 ] || { echo "run-notebooks.sh: --output needs a folder" >&2; exit 2; }
      output="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-notebooks.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) names+=("$(basename "${1%.ipynb}")") ;;
  esac
  shift
done
if $render && [ -n "$output" ]; then
  echo "run-notebooks.sh: --render writes the tutorials; it takes no --output" >&2; exit 2
fi

fail() { echo "run-notebooks: $*" >&2; exit 1; }
missing() { echo "run-notebooks: $*" >&2; exit 3; }

[ -x "$JUPYTER" ] || missing "$JUPYTER not found; run notebooks/install-kernel.sh"
"$JUPYTER" kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx "$KERNEL_NAME" \
  || missing "no Jupyter kernel named $KERNEL_NAME; run notebooks/install-kernel.sh"
jar="$root/tutorials/target/normgrad-tutorials.jar"
[ -f "$jar" ] && [ -d "$root/tutorials/target/lib" ] \
  || missing "the project's jars are missing ($jar, tutorials/target/lib/); run notebooks/install-kernel.sh (or mvn -B package -DskipTests)"
if $check; then
  echo "run-notebooks: Jupyter, the kernel $KERNEL_NAME and the jars are there"
  exit 0
fi
newer="$(find "$root/framework/src/main" "$root/layers/src/main" "$root/tutorials/src/main" -type f -newer "$jar" 2>/dev/null | head -n 1)"
[ -z "$newer" ] || echo "run-notebooks: warning: $newer is newer than the jars the notebooks load; run mvn -B package -DskipTests" >&2

if [ ${#names[@]} -eq 0 ]; then
  notebooks=("$here"/*.ipynb)
  [ -e "${notebooks[0]}" ] || fail "no notebooks in $here"
else
  notebooks=()
  for n in "${names[@]}"; do
    [ -f "$here/$n.ipynb" ] || fail "no notebook $here/$n.ipynb"
    notebooks+=("$here/$n.ipynb")
  done
fi

out="${output:-$here/target}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
executed="$out/executed"
rendered="$out/rendered"
$render && rendered="$root/tutorials"
logs="$out/logs"
# a folder given with --output holds this run only: no rendering of an earlier run stays beside it
[ -n "$output" ] && rm -rf "${executed:?}" "${rendered:?}" "${logs:?}"
mkdir -p "$executed" "$rendered" "$logs"

# The %jar cell prints absolute paths in no fixed order: cells tagged remove-output lose their outputs
# in the rendering (tags survive execution; the tag removal must run on the executed notebook).
remove_tagged=(--TagRemovePreprocessor.enabled=True --TagRemovePreprocessor.remove_all_outputs_tags=remove-output)

total_start=$(date +%s.%N)
failed=()
report=()
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  spec="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"].get("kernelspec",{}).get("name",""))' "$nb")"
  if [ "$spec" != "$KERNEL_NAME" ]; then
    failed+=("$name (kernelspec '$spec', expected '$KERNEL_NAME')")
    continue
  fi
  start=$(date +%s.%N)
  # CPU time of nbconvert and the kernel it ran (user + system): unlike the wall time, it does not grow
  # when other work shares the machine
  timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%U %S' -o "$logs/$name.cpu")
  if ! "${timer[@]}" "$JUPYTER" nbconvert --to notebook --execute \
        --ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
        --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.startup_timeout=60 \
        --output-dir "$executed" "$nb" >"$logs/$name.log" 2>&1; then
    echo "---- $name: failed; the error (full log: $logs/$name.log):" >&2
    if grep -q 'An error occurred while executing' "$logs/$name.log"; then
      sed -n '/An error occurred while executing/,$p' "$logs/$name.log" | head -n 40 >&2
    else
      grep -v -E '^\[20[0-9-]+ [0-9:]+\] \[' "$logs/$name.log" | tail -n 25 >&2
    fi
    failed+=("$name")
    continue
  fi
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  line="$(printf '%-32s %6.1f s' "$name.ipynb" "$seconds")"
  if [ -s "$logs/$name.cpu" ]; then
    line="$line$(awk '{ printf "   (CPU %.1f s)", $1 + $2 }' "$logs/$name.cpu")"
  fi
  if awk -v s="$seconds" -v b="$BUDGET_SECONDS" 'BEGIN { exit !(s > b) }'; then
    line="$line   over the ${BUDGET_SECONDS} s budget"
  fi
  report+=("$line")
  echo "$line"

  # Render: the figures of NAME go to NAME_files/, replaced as a whole so no stale figure stays.
  rm -rf "${rendered:?}/${name}_files" "$rendered/$name.md"
  "$JUPYTER" nbconvert --to markdown "${remove_tagged[@]}" --output-dir "$rendered" \
      "$executed/$name.ipynb" >>"$logs/$name.log" 2>&1 || { failed+=("$name (rendering)"); continue; }
  # A chapter links the next as NN-name.ipynb (opens the notebook in Jupyter); its rendering links NN-name.md.
  sed -i -E 's/\]\(([0-9]{2}-[A-Za-z0-9_-]+)\.ipynb(#[^)]*)?\)/](\1.md\2)/g' "$rendered/$name.md"
  if $render; then
    "$JUPYTER" nbconvert --clear-output --inplace "$nb" >>"$logs/$name.log" 2>&1 || failed+=("$name (clearing outputs)")
    # the rewritten notebook keeps opening trusted in this user's Jupyter (as install-kernel.sh signs them)
    /usr/bin/python3 -m nbformat.sign "$nb" >>"$logs/$name.log" 2>&1 || failed+=("$name (signing)")
  fi
done
total=$(awk -v a="$total_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

printf 'executed %d of %d notebooks in %.1f s (kernel %s)' "${#report[@]}" "${#notebooks[@]}" "$total" "$KERNEL_NAME"
if [ ${#notebooks[@]} -gt 1 ] && awk -v s="$total" -v b="$SET_BUDGET_SECONDS" 'BEGIN { exit !(s > b) }'; then
  printf '   over the %d s budget of the set' "$SET_BUDGET_SECONDS"
fi
printf '; load average %s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
$render || echo "executed notebooks in $executed, renderings in $rendered"
if [ ${#failed[@]} -gt 0 ]; then
  fail "failed: ${failed[*]}"
fi
if $render; then
  echo "rendered into $rendered; review and commit notebooks/ and tutorials/"
fi
