#!/usr/bin/env bash
# Executes the notebooks headlessly in the Java kernel; any cell error (a compile error, an exception,
# a missing %jar path, a timeout, a dead kernel) fails the run.
#
#   notebooks/run-notebooks.sh                 every notebooks/*.ipynb
#   notebooks/run-notebooks.sh 01-quickstart   only the named ones
#   notebooks/run-notebooks.sh --render        also renders the tutorials: tutorials/NAME.md and their
#                                              figures in tutorials/NAME_files/, and clears the outputs
#                                              of notebooks/*.ipynb (they are committed without them)
#
# Executed copies go to notebooks/target/executed/ and Markdown renderings to notebooks/target/rendered/
# (or tutorials/ with --render). Needs the kernel (notebooks/install-kernel.sh) and the project's jars
# (mvn package, which install-kernel.sh also runs). Prints the time of each notebook; the budget is
# 60 s each on 2 cores.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
KERNEL_NAME=normgrad-java
JUPYTER=/usr/bin/jupyter   # Debian's: another python3 may come first on PATH
BUDGET_SECONDS=60

render=false
names=()
for arg in "$@"; do
  case "$arg" in
    --render) render=true ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-notebooks.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) names+=("${arg%.ipynb}") ;;
  esac
done

fail() { echo "run-notebooks: $*" >&2; exit 1; }

[ -x "$JUPYTER" ] || fail "$JUPYTER not found; run notebooks/install-kernel.sh"
"$JUPYTER" kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx "$KERNEL_NAME" \
  || fail "no Jupyter kernel named $KERNEL_NAME; run notebooks/install-kernel.sh"
jar="$root/tutorials/target/normgrad-tutorials.jar"
[ -f "$jar" ] && [ -d "$root/tutorials/target/lib" ] \
  || fail "the project's jars are missing ($jar, tutorials/target/lib/); run mvn -B package -DskipTests"
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

executed="$here/target/executed"
rendered="$here/target/rendered"
$render && rendered="$root/tutorials"
logs="$here/target/logs"
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
  if ! "$JUPYTER" nbconvert --to notebook --execute \
        --ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
        --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.startup_timeout=60 \
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

printf 'executed %d of %d notebooks in %.1f s (kernel %s)\n' "${#report[@]}" "${#notebooks[@]}" "$total" "$KERNEL_NAME"
if [ ${#failed[@]} -gt 0 ]; then
  fail "failed: ${failed[*]}"
fi
if $render; then
  echo "rendered into $rendered; review and commit notebooks/ and tutorials/"
fi
