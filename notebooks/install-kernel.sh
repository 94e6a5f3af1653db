#!/usr/bin/env bash
# Installs the Java Jupyter kernel for NormGrad's notebooks, as the kernelspec "normgrad-java".
#
#   notebooks/install-kernel.sh            Jupyter's execution tools, the kernel, the project's jars
#   notebooks/install-kernel.sh --server   also the interactive server (Debian's jupyter-notebook)
#   notebooks/install-kernel.sh --open     all of the above, then opens Jupyter on notebooks/ (localhost)
#   notebooks/install-kernel.sh --test     also what the build's browser test needs (the server, Debian's
#                                          chromium, chromium-driver and python3-selenium)
#
# Safe to run again (after pulling changes, do): it installs only what is missing, rebuilds the jars,
# replaces the kernelspec, and signs the notebooks so that Jupyter opens them trusted.
# Environment: NORMGRAD_KERNEL_XMX (default 2g) is the kernel's heap; notebook code runs in the kernel's JVM.
# MVN_ARGS is passed to every Maven call (e.g. MVN_ARGS=-o to build offline once everything is cached).
# JUPYTER_DATA_DIR, if set, is where the kernelspec and the notebooks' signatures go (Jupyter's own variable;
# default ~/.local/share/jupyter).
#
# The kernel is io.github.padreati:rapaio-jupyter-kernel (Maven Central, MIT; version pinned in the
# parent pom.xml), with classes of ours in front of it (kernel-fix/): without them rapaio 3.0.1 hangs at
# start-up now and then, loses replies when a browser connects, and cannot interrupt a cell (see README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

KERNEL_NAME=normgrad-java
RJK_VERSION="$(sed -n 's:.*<rapaio-jupyter-kernel.version>\(.*\)</rapaio-jupyter-kernel.version>.*:\1:p' "$root/pom.xml")"
RJK_SHA256=cffac185dafff9a4d62ffdbeb357822b56931c41421c576314a84d3605addd09   # of version 3.0.1
XMX="${NORMGRAD_KERNEL_XMX:-2g}"
JUPYTER=/usr/bin/jupyter   # Debian's: another python3 may come first on PATH
read -r -a mvn_args <<<"${MVN_ARGS:-}"

server=false
open=false
browser=false
for arg in "$@"; do
  case "$arg" in
    --server) server=true ;;
    --open) server=true; open=true ;;
    --test) server=true; browser=true ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-kernel.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "install-kernel: $*"; }

# 1. Debian packages (PyPI is not needed).
packages=(jupyter-nbconvert jupyter-client python3-nbclient fonts-dejavu-core)
$server && packages+=(jupyter-notebook)
$browser && packages+=(chromium chromium-driver python3-selenium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-kernel: need root to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ -x "$JUPYTER" ] || { echo "install-kernel: $JUPYTER not found after installing the packages" >&2; exit 1; }

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java_bin="${java_bin:-$(command -v java || true)}"
[ -n "$java_bin" ] && [ -x "$java_bin" ] || { echo "install-kernel: java (17 or later) not found" >&2; exit 1; }
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
if [ -n "$java_major" ] && [ "$java_major" -ge 20 ]; then
  # Kernel > Interrupt stops a running cell with Thread.stop(), which Java 20 and later no longer support
  say "warning: $java_bin is Java $java_major; on it Kernel > Interrupt cannot stop a loop that ignores interrupts (use Java 17: JAVA_HOME=...)"
fi

# 2. The project's jars (the notebooks load tutorials/target/normgrad-tutorials.jar and tutorials/target/lib
#    with %jar) and the kernel fix.
say "building the project's jars (mvn package -DskipTests)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! mvn -B -q "${mvn_args[@]}" -f "$root/pom.xml" -Pnotebooks -DskipTests package \
      -pl tutorials,notebooks/kernel-fix -am >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-kernel: the build failed" >&2
  exit 1
fi

# 3. The kernelspec folder: kernel.json and both jars, so the spec is relocatable ({resource_dir}).
spec="$here/target/kernelspec/$KERNEL_NAME"
mkdir -p "$spec"
kernel_jar="$spec/rapaio-jupyter-kernel.jar"
if [ ! -f "$kernel_jar" ] || [ "$(sha256sum "$kernel_jar" | cut -d' ' -f1)" != "$RJK_SHA256" ]; then
  say "fetching io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION from Maven Central"
  rm -f "$kernel_jar"
  if ! mvn -B -q "${mvn_args[@]}" -N -f "$root/pom.xml" dependency:copy \
        -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" \
        -DoutputDirectory="$spec" -Dmdep.stripVersion=true >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-kernel: could not fetch the kernel" >&2
    exit 1
  fi
  actual="$(sha256sum "$kernel_jar" | cut -d' ' -f1)"
  if [ "$actual" != "$RJK_SHA256" ]; then
    rm -f "$kernel_jar"
    echo "install-kernel: rapaio-jupyter-kernel-$RJK_VERSION.jar has SHA-256 $actual, expected $RJK_SHA256" >&2
    echo "  (after changing the version in pom.xml, check the new jar and update RJK_SHA256 here)" >&2
    exit 1
  fi
fi
cp "$here/kernel-fix/target/normgrad-kernel-fix.jar" "$spec/"

# The fix jar comes first so that its classes shadow the kernel's. Notebook code runs in this JVM, and
# notebooks train models: as in ./normgrad, a heap that never grows (-Xms = -Xmx, committed but not
# touched) and a fixed 256 MB young generation, so that a training cell's allocations are not slowed by
# page faults on a growing heap for as long as the collector decides; headless for XChart, UTF-8 for
# printed symbols, an English locale so numbers print as in the tutorials.
cat >"$spec/kernel.json" <<EOF
{
  "argv": [
    "$java_bin",
    "-Xms$XMX",
    "-Xmx$XMX",
    "-Xmn256m",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Duser.language=en",
    "-Duser.country=US",
    "-cp",
    "{resource_dir}/normgrad-kernel-fix.jar:{resource_dir}/rapaio-jupyter-kernel.jar",
    "org.rapaio.jupyter.kernel.MainApp",
    "{connection_file}"
  ],
  "display_name": "Java (NormGrad)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {}
}
EOF

"$JUPYTER" kernelspec install --user --replace --name "$KERNEL_NAME" "$spec" >"$log" 2>&1 || {
  cat "$log" >&2; echo "install-kernel: jupyter kernelspec install failed" >&2; exit 1; }
installed="$("$JUPYTER" kernelspec list 2>/dev/null | awk -v k="$KERNEL_NAME" '$1 == k {print $2}')"
say "kernel '$KERNEL_NAME' installed in ${installed:-?} (rapaio-jupyter-kernel $RJK_VERSION + NormGrad's kernel fix, -Xms$XMX -Xmx$XMX -Xmn256m)"

# 4. Trust: Jupyter opens a notebook "Not Trusted" unless this user's signature database holds its signature.
#    The notebooks are committed without outputs, so signing them trusts only their text (what `jupyter trust`
#    does; nbformat's module is called directly, as Debian ships `jupyter trust` in another package). A notebook
#    saved from Jupyter is signed again on save; one changed otherwise (a pull, a re-rendering) is signed here.
/usr/bin/python3 -m nbformat.sign "$here"/*.ipynb >"$log" 2>&1 || {
  cat "$log" >&2; echo "install-kernel: signing the notebooks failed" >&2; exit 1; }
say "notebooks signed: they open trusted"

if $open; then
  root_flag=()
  [ "$(id -u)" -eq 0 ] && root_flag=(--allow-root)
  say "opening Jupyter on $here (localhost only; Ctrl-C to stop)"
  cd "$here"
  exec "$JUPYTER" notebook --ip=127.0.0.1 --notebook-dir="$here" "${root_flag[@]}"
fi
