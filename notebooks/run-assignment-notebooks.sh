#!/usr/bin/env bash
# Executes the notebook of every assignment, as students get it and with the solution in place; any
# cell error fails the run, and so does a solution that does not score full marks or a handout that
# does not score 0 (the notebook's last code cell runs the public tests and prints "score S / M").
#
#   notebooks/run-assignment-notebooks.sh              every assignment (./normgrad assignment list)
#   notebooks/run-assignment-notebooks.sh layernorm    only the named ones
#
# The assignments' notebooks are not files of this folder: `normgrad assignment make NAME` generates
# each from the assignment's reference class and README (tutorials/src/main/resources/.../assignments/NAME/),
# so they cannot drift from what the grader grades. They are made into notebooks/target/assignments/ and
# executed there. Needs the kernel (notebooks/install-kernel.sh) and the jars (mvn -B package -DskipTests).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
KERNEL_NAME=normgrad-java
JUPYTER=/usr/bin/jupyter
BUDGET_SECONDS=60

fail() { echo "run-assignment-notebooks: $*" >&2; exit 1; }

[ -x "$JUPYTER" ] || fail "$JUPYTER not found; run notebooks/install-kernel.sh"
"$JUPYTER" kernelspec list 2>/dev/null | awk '{print $1}' | grep -qx "$KERNEL_NAME" \
  || fail "no Jupyter kernel named $KERNEL_NAME; run notebooks/install-kernel.sh"
jar="$root/tutorials/target/normgrad-tutorials.jar"
[ -f "$jar" ] && [ -d "$root/tutorials/target/lib" ] \
  || fail "the project's jars are missing ($jar, tutorials/target/lib/); run mvn -B package -DskipTests"
normgrad() { java -cp "$jar:$root/tutorials/target/lib/*" dev.normgrad.tutorials.Main "$@"; }

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(normgrad assignment list | awk 'NF && $1 !~ /^Make$/ {print $1}')
fi
[ ${#names[@]} -gt 0 ] || fail "no assignments listed"

out="$here/target/assignments"
logs="$here/target/logs"
rm -rf "$out"
mkdir -p "$out" "$logs"
failed=()
for name in "${names[@]}"; do
  for variant in handout solution; do
    folder="$out/$name-$variant"
    if [ "$variant" = solution ]; then
      normgrad assignment make "$name" --out "$folder" --solution >/dev/null
    else
      normgrad assignment make "$name" --out "$folder" >/dev/null
    fi
    log="$logs/assignment-$name-$variant.log"
    start=$(date +%s.%N)
    if ! "$JUPYTER" nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
          --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.startup_timeout=60 \
          --output "$name-executed" --output-dir "$folder" "$folder/$name.ipynb" >"$log" 2>&1; then
      echo "---- $name ($variant): failed; the error (full log: $log):" >&2
      sed -n '/An error occurred while executing/,$p' "$log" | head -n 40 >&2
      failed+=("$name ($variant)")
      continue
    fi
    seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    # the score the public tests printed in the executed notebook
    score="$(/usr/bin/python3 - "$folder/$name-executed.ipynb" <<'PY'
import json, re, sys
text = "".join("".join(o.get("text", "")) for c in json.load(open(sys.argv[1]))["cells"] if c["cell_type"] == "code"
               for o in c.get("outputs", []))
m = re.search(r"score (\S+) / (\S+)", text)
print(f"{m.group(1)} {m.group(2)}" if m else "none")
PY
)"
    read -r got max <<<"$score"
    line="$(printf '%-24s %-9s %6.1f s   score %s / %s' "$name" "$variant" "$seconds" "$got" "${max:-?}")"
    if [ "$got" = none ] || { [ "$variant" = solution ] && [ "$got" != "$max" ]; } || { [ "$variant" = handout ] && [ "$got" != 0 ]; }; then
      failed+=("$name ($variant: score $got / ${max:-?})")
      line="$line   WRONG"
    elif awk -v s="$seconds" -v b="$BUDGET_SECONDS" 'BEGIN { exit !(s > b) }'; then
      line="$line   over the ${BUDGET_SECONDS} s budget"
    fi
    echo "$line"
  done
done
printf 'executed %d assignment notebooks\n' "$((2 * ${#names[@]}))"
[ ${#failed[@]} -eq 0 ] || fail "failed: ${failed[*]}"
