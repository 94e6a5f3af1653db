#!/usr/bin/python3
"""The notebooks as a learner uses them: a real Chromium driving the real Jupyter Notebook server.

    browser_test.py check                      the suite's test (a minute or two), see check()
    browser_test.py restarts N [CHAPTER]       N x Kernel > Restart & Run All (default 01-quickstart)
    browser_test.py starts N [CHAPTER]         N kernel starts from the page (open the notebook, run a cell)
    browser_test.py interrupts N               N x Kernel > Interrupt of an endless loop, a Thread.sleep and
                                               a training loop that prints

Uses Debian's jupyter-notebook, chromium, chromium-driver and python3-selenium (notebooks/install-kernel.sh
--test installs them), the kernelspec normgrad-java and the checkout's jars (tutorials/target). The
server listens on 127.0.0.1 only, serves copies of the notebooks (so the page's autosave never writes into
the checkout) and honours JUPYTER_DATA_DIR (the kernelspec and the trust database are read from there).
Every failure is reported with its reason; a timeout is a failure. Logs and a JSON line per trial (with the
load average and the kernel fix's SHA-256 as the trial starts) go to notebooks/target/browser-test/ (or
BROWSER_TEST_OUT). BROWSER_TEST_TIMEOUT (seconds, default 240) bounds one
Run All.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOKS = os.path.dirname(HERE)
ROOT = os.path.dirname(NOTEBOOKS)
OUT = os.environ.get("BROWSER_TEST_OUT") or os.path.join(NOTEBOOKS, "target", "browser-test")
JUPYTER = "/usr/bin/jupyter"  # Debian's: another python3 may come first on PATH
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
RUN_ALL_TIMEOUT = float(os.environ.get("BROWSER_TEST_TIMEOUT", "240"))
INTERRUPT_LIMIT = 2.0  # seconds from Kernel > Interrupt to the cell's end

# The page's own events, counted from the moment they are installed (the page is never reloaded during a
# series of restarts, so the counters see every kernel_ready and every cell execution of the session).
COUNTERS_JS = """
if (!window.bt) {
  window.bt = {ready: 0, starting: 0, executed: 0, finished: 0, dead: 0, finishedAt: {}, interruptClicked: null};
  var ev = Jupyter.notebook.events;
  ev.on('kernel_ready.Kernel', function () { bt.ready++; });
  // the page also asks kernel_info (and reports ready again) when it sees the kernel's "starting" status
  ev.on('kernel_starting.Kernel', function () { bt.starting++; });
  ev.on('execute.CodeCell', function () { bt.executed++; });
  ev.on('finished_execute.CodeCell', function (e, d) {
    bt.finished++;
    bt.finishedAt[Jupyter.notebook.find_cell_index(d.cell)] = performance.now();
  });
  // when the learner clicks Kernel > Interrupt, in the page's own clock
  document.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('#int_kernel')) bt.interruptClicked = performance.now();
  }, true);
  ev.on('kernel_dead.Kernel kernel_connection_failed.Kernel', function () { bt.dead++; });
}
bt.ready = 0; bt.starting = 0; bt.executed = 0; bt.finished = 0; bt.dead = 0;
"""

# The state of the page: every code cell (prompt, outputs as the page holds them, images shown) and the
# kernel indicator.
STATE_JS = """
var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
return {
  icon: $('#kernel_indicator_icon').attr('class') || '',
  trusted: $('#notification_trusted').text(),
  counters: window.bt || null,
  ready: !!(Jupyter.notebook.kernel && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.is_connected()),
  cells: cells.map(function (c) {
    var outs = c.output_area.outputs;
    return {
      prompt: c.input_prompt_number === undefined ? null : c.input_prompt_number,
      text: outs.map(function (o) {
        if (o.output_type === 'stream') return o.text;
        if (o.output_type === 'error') return (o.traceback || []).join('\\n') || (o.ename + ': ' + o.evalue);
        if (o.data && o.data['text/plain']) return o.data['text/plain'];
        return '';
      }).join(''),
      errors: outs.filter(function (o) { return o.output_type === 'error'; }).length,
      images: c.output_area.element.find('img').filter(function () { return this.naturalWidth > 0; }).length
    };
  })
};
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Failure(Exception):
    """A check that failed, with what the learner would have seen."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_line(name, record):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".jsonl"), "a") as f:
        f.write(json.dumps(record) + "\n")


class Server:
    """A Jupyter Notebook server on copies of the notebooks, on 127.0.0.1 and a free port."""

    def __init__(self, label):
        target = os.path.join(ROOT, "tutorials", "target")
        jar = os.path.join(target, "normgrad-tutorials.jar")
        if not os.path.isfile(jar):
            raise Failure("%s is missing; build it: mvn -B package -DskipTests" % jar)
        os.makedirs(OUT, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix="normgrad-browser-")
        self.dir = os.path.join(self.work, "notebooks")
        os.makedirs(self.dir)
        for name in os.listdir(NOTEBOOKS):
            if name.endswith(".ipynb"):
                shutil.copy2(os.path.join(NOTEBOOKS, name), self.dir)
        # %jar ../tutorials/target/... resolves against the notebook's folder, as in the checkout; a copy of the
        # jars, so that a build during a long series cannot change them under a starting kernel
        os.makedirs(os.path.join(self.work, "tutorials", "target"))
        shutil.copy2(jar, os.path.join(self.work, "tutorials", "target"))
        shutil.copytree(os.path.join(target, "lib"), os.path.join(self.work, "tutorials", "target", "lib"))
        # the rendered chapters the outputs are compared with, as they were when these notebooks were copied
        self.tutorials = os.path.join(self.work, "tutorials")
        for name in os.listdir(os.path.join(ROOT, "tutorials")):
            if name.endswith(".md"):
                shutil.copy2(os.path.join(ROOT, "tutorials", name), self.tutorials)
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.log_path = os.path.join(OUT, label + "-server.log")
        env = dict(os.environ)
        # private runtime and config folders; the data folder (kernelspecs, trust) is the caller's
        env["JUPYTER_RUNTIME_DIR"] = os.path.join(self.work, "runtime")
        env["JUPYTER_CONFIG_DIR"] = os.path.join(self.work, "config")
        args = [JUPYTER, "notebook", "--no-browser", "--ip=127.0.0.1", "--port=%d" % self.port,
                "--port-retries=0", "--notebook-dir=" + self.dir, "--NotebookApp.token=" + self.token]
        if os.geteuid() == 0:
            args.append("--allow-root")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.api("GET", "status")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise Failure("the notebook server did not start (log: %s)" % self.log_path)
                time.sleep(0.2)

    def url(self, path):
        return "http://127.0.0.1:%d/%s?token=%s" % (self.port, path, self.token)

    def api(self, method, path):
        req = urllib.request.Request(self.url("api/" + path), method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self):
        for session in self.api("GET", "sessions"):
            self.api("DELETE", "sessions/" + session["id"])
        deadline = time.monotonic() + 30
        while self.api("GET", "kernels") and time.monotonic() < deadline:
            time.sleep(0.2)

    def log_tail(self, lines=40):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server shuts its kernels down
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.work, ignore_errors=True)


class Page:
    """Headless Chromium with a fresh profile, on one notebook of the server."""

    def __init__(self, server):
        self.server = server
        self.profile = tempfile.mkdtemp(prefix="normgrad-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + self.profile):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_script_timeout(30)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def state(self):
        return self.js(STATE_JS)

    def open(self, chapter, timeout):
        """Loads the notebook's page (which starts a kernel) and waits until the kernel is ready."""
        t0 = time.monotonic()
        self.driver.get(self.server.url("notebooks/%s.ipynb" % chapter))
        self.wait(lambda: self.js("return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded)"),
                  60, "the notebook page did not load")
        self.js("Jupyter.notebook.set_autosave_interval(0);")
        self.js(COUNTERS_JS)
        self.wait(lambda: self.state()["ready"], timeout - (time.monotonic() - t0),
                  "the kernel did not become ready (no kernel_info_reply on the page's websocket)")
        self.wait_idle(10)
        return time.monotonic() - t0

    def check_links(self):
        """Follows every link of the chapter's rendered Markdown as the page resolves it; fails on one that
        does not open (404). Returns how many there are."""
        results = self.driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            var hrefs = $('.text_cell_render a[href]:not(.anchor-link)').map(function () { return this.href; }).get()
                .filter(function (h) { return h.indexOf(location.origin) === 0; });
            Promise.all(hrefs.map(function (h) {
                return fetch(h, {credentials: 'same-origin'}).then(function (r) { return [h, r.status, r.url]; },
                                                                  function (e) { return [h, 0, String(e)]; });
            })).then(done);
        """)
        broken = [r for r in results if r[1] != 200 or "/login" in r[2]]
        if broken:
            raise Failure("links that do not open inside Jupyter: %s" % broken)
        return len(results)

    def wait(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise Failure("%s within %.0f s" % (what, timeout))
            time.sleep(0.05)

    def wait_idle(self, timeout):
        self.wait(lambda: "kernel_idle_icon" in self.state()["icon"], timeout, "the kernel indicator did not show idle")

    def menu(self, menu_id, item_id):
        """Clicks a menu item as a learner does: the menu, then the item."""
        self.driver.find_element(By.ID, menu_id).click()
        self.wait(lambda: self.driver.find_element(By.ID, item_id).is_displayed(), 5, "menu item %s not shown" % item_id)
        self.driver.find_element(By.CSS_SELECTOR, "#%s > a" % item_id).click()

    def confirm(self, button_text):
        def button():
            for b in self.driver.find_elements(By.CSS_SELECTOR, ".modal-footer button"):
                if b.is_displayed() and b.text.strip() == button_text:
                    return b
            return None
        self.wait(button, 10, "the dialog button '%s' did not appear" % button_text).click()
        self.wait(lambda: not self.driver.find_elements(By.CSS_SELECTOR, ".modal.in"), 10, "the dialog did not close")

    def run_all(self, timeout, restart):
        """Kernel > Restart & Run All (restart) or Cell > Run All; waits until every cell has finished once.
        Returns (seconds, state)."""
        n = len(self.state()["cells"])
        self.js(COUNTERS_JS)
        t0 = time.monotonic()
        if restart:
            self.menu("kernellink", "restart_run_all")
            self.confirm("Restart and Run All Cells")
        else:
            self.menu("celllink", "run_all_cells")

        def finished():
            s = self.state()
            if s["counters"]["dead"]:
                raise Failure("the page reports the kernel dead or its connection failed")
            done = s["counters"]["finished"] >= n and all(isinstance(c["prompt"], int) for c in s["cells"])
            return s if done and "kernel_idle_icon" in s["icon"] else None

        try:
            self.wait(finished, timeout, "Run All did not finish")
        except Failure as e:
            s = self.state()
            pending = [i + 1 for i, c in enumerate(s["cells"]) if not isinstance(c["prompt"], int)]
            raise Failure("%s: kernel_ready %d, cells executed %d, finished %d of %d; code cells without a "
                          "number: %s; indicator %s" % (e, s["counters"]["ready"], s["counters"]["executed"],
                                                        s["counters"]["finished"], n, pending, s["icon"]))
        seconds = time.monotonic() - t0
        time.sleep(1.0)  # a second run of every cell would start within this second
        s = self.state()
        prompts = [c["prompt"] for c in s["cells"]]
        if s["counters"]["executed"] != n or prompts != list(range(1, n + 1)):
            raise Failure("cells ran %d times for %d cells; execution numbers %s; kernel_ready seen %d times"
                          % (s["counters"]["executed"], n, prompts, s["counters"]["ready"]))
        if restart and s["counters"]["ready"] < 1:
            raise Failure("the cells ran without the page seeing the restarted kernel ready")
        errors = [(i + 1, ANSI.sub("", c["text"])[:300]) for i, c in enumerate(s["cells"]) if c["errors"]]
        if errors:
            raise Failure("cells failed: %s" % errors)
        return seconds, s

    def remove_cells_after(self, n):
        self.js("while (Jupyter.notebook.ncells() > arguments[0]) Jupyter.notebook.delete_cell(Jupyter.notebook.ncells() - 1);", n)

    def add_cell(self, source):
        """A new code cell at the bottom; returns its index."""
        return self.js("var c = Jupyter.notebook.insert_cell_at_bottom('code'); c.set_text(arguments[0]);"
                       "Jupyter.notebook.select(Jupyter.notebook.ncells() - 1); return Jupyter.notebook.ncells() - 1;",
                       source)

    def execute(self, index):
        """Runs one cell as Shift-Enter does."""
        self.js("var c = Jupyter.notebook.get_cell(arguments[0]); Jupyter.notebook.select(arguments[0]); c.execute();", index)

    def cell(self, index):
        return self.js("var c = Jupyter.notebook.get_cell(arguments[0]); var outs = c.output_area.outputs;"
                       "return {prompt: c.input_prompt_number === undefined ? null : c.input_prompt_number,"
                       " icon: $('#kernel_indicator_icon').attr('class') || '',"
                       " text: outs.map(function (o) { return o.output_type === 'stream' ? o.text :"
                       "   o.output_type === 'error' ? (o.traceback || []).join('\\n') :"
                       "   (o.data && o.data['text/plain']) || ''; }).join('')};", index)

    def run_cell(self, source, timeout):
        """Adds and runs a cell; returns its output text once it has finished."""
        i = self.add_cell(source)
        self.execute(i)
        self.wait(lambda: isinstance(self.cell(i)["prompt"], int), timeout, "the cell %r did not finish" % source)
        self.wait_idle(10)  # outputs are complete when the kernel reports idle
        return ANSI.sub("", self.cell(i)["text"])

    def interrupt(self, source, busy_for=1.5):
        """Runs a cell that does not end by itself, then Kernel > Interrupt. Returns the seconds from the
        click to the cell's end; fails unless it ends within INTERRUPT_LIMIT with the interrupted message, the
        indicator busy until then and idle after, and a later cell prints."""
        i = self.add_cell(source)
        self.execute(i)
        self.wait(lambda: self.cell(i)["prompt"] == "*" and "kernel_busy_icon" in self.cell(i)["icon"], 10,
                  "the cell did not start")
        time.sleep(busy_for)
        if self.cell(i)["prompt"] != "*":
            raise Failure("the cell %r ended by itself" % source)
        t0 = time.monotonic()
        self.idle_before_reply = 0  # polls that saw "idle" after the message but before the reply (benign)
        self.js("bt.interruptClicked = null; delete bt.finishedAt[arguments[0]];", i)
        self.menu("kernellink", "int_kernel")
        dishonest = 0
        while True:
            c = self.cell(i)
            if isinstance(c["prompt"], int):
                break
            # The kernel publishes the cell's error before its "idle" (one iopub socket, in order); the
            # reply, on another socket, may reach the page a moment after the "idle". So the indicator lies
            # if it shows idle before the page has the "Interrupted" message, not before the prompt changes.
            if "kernel_idle_icon" in c["icon"]:
                if "Interrupted" not in c["text"]:
                    dishonest += 1
                else:
                    self.idle_before_reply += 1
            if time.monotonic() - t0 > 30:
                raise Failure("Kernel > Interrupt: the cell %r still runs after 30 s (indicator %s)" % (source, c["icon"]))
            time.sleep(0.02)
        self.wait_idle(10)  # outputs are complete when the kernel reports idle
        text = ANSI.sub("", self.cell(i)["text"])
        # from the click on Interrupt to the cell's end with all its outputs, measured by the page
        latency = self.wait(lambda: self.js("return bt.finishedAt[arguments[0]] && bt.interruptClicked !== null ?"
                                            " (bt.finishedAt[arguments[0]] - bt.interruptClicked) / 1000 : null;", i),
                            10, "the page did not report the cell finished")
        if dishonest:
            raise Failure("the indicator showed 'Kernel Idle' before the interrupted cell had stopped")
        if "Interrupted" not in text:
            raise Failure("the interrupted cell does not say it was interrupted; it shows %r" % text[-300:])
        if latency > INTERRUPT_LIMIT:
            raise Failure("the cell %r ended %.2f s after Kernel > Interrupt (limit %.1f s)" % (source, latency, INTERRUPT_LIMIT))
        probe = self.run_cell('System.out.println("probe " + 2);', 30)
        if probe.strip() != "probe 2":
            raise Failure("after the interrupt, a cell printing 'probe 2' shows %r" % probe)
        return latency, text


def session(label, body):
    """Starts a server and a browser, runs body(server, page), and always stops both."""
    server = Server(label)
    page = None
    try:
        page = Page(server)
        return body(server, page)
    except (Failure, WebDriverException) as e:
        raise Failure("%s\n  server log (tail, %s):\n%s" % (e, server.log_path, indent(server.log_tail()))) from e
    finally:
        if page:
            page.close()
        server.stop()


def indent(text):
    return "\n".join("    " + line for line in text.rstrip().splitlines())


INTERRUPT_CELLS = {
    "endless loop": "long spins = 0;\nwhile (true) { spins++; }",
    "Thread.sleep": "Thread.sleep(600_000);",
    "training loop": ("Tensor data = Tensor.randn(256, 64, new Random(3));\n"
                      "Tensor weights = Tensor.randn(64, 64, new Random(4)).mul(0.1).requiresGrad(true);\n"
                      "for (long step = 0; ; step++) {\n"
                      "    Tensor l = data.matmul(weights).tanh().pow(2).mean();\n"
                      "    l.backward();\n"
                      "    weights.zeroGrad();\n"
                      "    if (step % 50 == 0) System.out.println(\"step \" + step + \", loss \" + l.item());\n"
                      "}"),
}


def check(args):
    """The suite's test: chapter 1 opens trusted; Run All runs every cell once with its outputs and its
    chart; the set-up prints at most one line; Kernel > Interrupt stops an endless loop and a Thread.sleep
    within 2 s with the message, the indicator honest, and a later cell prints; Restart & Run All runs
    everything again, once."""
    chapter = args.chapter

    def body(server, page):
        t_start = time.monotonic()
        started = page.open(chapter, 120)
        s = page.state()
        if s["trusted"].strip() != "Trusted":
            raise Failure("%s.ipynb opens %r; notebooks/install-kernel.sh signs the notebooks (jupyter trust) in "
                          "the Jupyter data folder the server uses" % (chapter, s["trusted"].strip()))
        links = page.check_links()
        check_links_everywhere(server)
        seconds, s = page.run_all(RUN_ALL_TIMEOUT, restart=False)
        check_outputs(server, chapter, s)
        print("browser-test: %s: kernel ready in %.1f s, Run All %.1f s, %d cells, %d image(s), trusted; its %d "
              "link(s) open in Jupyter, and every chapter's links resolve in Jupyter and in tutorials/"
              % (chapter, started, seconds, len(s["cells"]), sum(c["images"] for c in s["cells"]), links), flush=True)
        cells_before = page.js("return Jupyter.notebook.ncells();")
        for what in ("endless loop", "Thread.sleep"):
            latency, _ = page.interrupt(INTERRUPT_CELLS[what])
            print("browser-test: Kernel > Interrupt stopped the %s in %.2f s; a later cell printed" % (what, latency),
                  flush=True)
        # the cells added by the interrupt checks go, so that the restart runs the chapter as it is
        page.remove_cells_after(cells_before)
        seconds, s = page.run_all(RUN_ALL_TIMEOUT, restart=True)
        check_outputs(server, chapter, s)
        print("browser-test: Restart & Run All ran the %d cells once each in %.1f s" % (len(s["cells"]), seconds),
              flush=True)
        print("browser-test: passed in %.0f s" % (time.monotonic() - t_start))

    session("check", body)


MD_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def relative_links(markdown):
    return [h for h in MD_LINK.findall(markdown) if not re.match(r"[a-z]+:|#", h)]


def check_links_everywhere(server):
    """Every relative link of every chapter resolves through the Jupyter server as the page would resolve it
    (from notebooks/NAME.ipynb), and every relative link of the rendered tutorials names a file of the
    checkout, as a code host resolves it."""
    broken = []
    opener = urllib.request.build_opener()
    opener.addheaders = [("Authorization", "token " + server.token)]
    for name in sorted(os.listdir(NOTEBOOKS)):
        if not name.endswith(".ipynb"):
            continue
        with open(os.path.join(NOTEBOOKS, name)) as f:
            cells = json.load(f)["cells"]
        page = "http://127.0.0.1:%d/notebooks/%s" % (server.port, name)
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            for href in relative_links("".join(cell["source"])):
                url = urllib.parse.urljoin(page, href.split("#")[0])
                try:
                    with opener.open(url, timeout=30) as r:
                        ok = r.status == 200 and "/login" not in r.url
                except OSError:
                    ok = False
                if not ok:
                    broken.append("%s: %s (in Jupyter)" % (name, href))
    tutorials = os.path.join(ROOT, "tutorials")
    for name in sorted(os.listdir(tutorials)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(tutorials, name)) as f:
            md = f.read()
        for href in relative_links(md):
            if not os.path.exists(os.path.normpath(os.path.join(tutorials, href.split("#")[0]))):
                broken.append("tutorials/%s: %s (no such file)" % (name, href))
    if broken:
        raise Failure("links that do not open:\n" + indent("\n".join(broken)))


def check_outputs(server, chapter, state):
    cells = state["cells"]
    setup = ANSI.sub("", cells[1]["text"]).strip()
    if len(setup.splitlines()) > 1:
        raise Failure("the set-up cell (%%jar) prints %d lines:\n%s" % (len(setup.splitlines()), indent(setup)))
    images = sum(c["images"] for c in cells)
    expected = expected_images(server.tutorials, chapter)
    if images != expected:
        raise Failure("the page shows %d image(s), the rendered tutorial %d" % (images, expected))
    silent = [i + 1 for i, c in enumerate(cells) if not c["text"].strip() and not c["images"] and i >= 2]
    expected_silent = expected_silent_cells(server.tutorials, chapter)
    if silent != expected_silent:
        raise Failure("code cells without output: %s; in the rendered tutorial: %s" % (silent, expected_silent))


def expected_images(tutorials, chapter):
    with open(os.path.join(tutorials, chapter + ".md")) as f:
        return len(re.findall(r"^!\[(?:png|svg)\]\(", f.read(), flags=re.M))


def expected_silent_cells(tutorials, chapter):
    """Code cells (1-based, after the two set-up cells) whose rendering shows no output at all: what follows
    the code block up to the next block or Markdown text has no indented output and no image."""
    with open(os.path.join(tutorials, chapter + ".md")) as f:
        md = f.read()
    chunks = re.split(r"^```java\n.*?^```\n", md, flags=re.S | re.M)[1:]
    silent = []
    for i, chunk in enumerate(chunks):
        if i < 2:
            continue
        head = []
        for line in chunk.splitlines():
            if line.startswith("    ") or line.startswith("!["):
                head.append(line)
            elif line.strip():
                break
        if not head:
            silent.append(i + 1)
    return silent


def series(server, label, trials, on_failure=None):
    """Runs trials (a list of (record, run) where run() returns (seconds, extra fields) or raises), logging a
    JSON line per trial and a progress line every 10; returns the seconds of each success, by record["what"]
    if there is one, and the number of failures. After a failure, on_failure() puts the page back in order."""
    failures, seconds = 0, {}
    for i, (record, run) in enumerate(trials, 1):
        record["time"] = time.strftime("%H:%M:%S")
        record["load"] = round(os.getloadavg()[0], 2)  # the machine's 1-minute load average as the trial starts
        record["kernel_fix"] = kernel_fix_sha()
        try:
            took, extra = run()
            record.update(ok=True, seconds=round(took, 3), **extra)
            seconds.setdefault(record.get("what"), []).append(took)
        except (Failure, WebDriverException) as e:
            failures += 1
            record.update(ok=False, error=str(e)[:2000], server_log=server.log_tail(60))
            print("%s %s: FAILED: %s" % (label, record, e), flush=True)
            if on_failure:
                on_failure()
        log_line(label, record)
        if i % 10 == 0:
            every = [x for xs in seconds.values() for x in xs]
            print("%s: %d done, %d failed%s" % (label, i, failures, summary(every)), flush=True)
    return seconds, failures


def kernel_fix_sha():
    """The first 12 hex digits of the SHA-256 of the kernel fix the kernelspec normgrad-java runs (None if
    it has none): a series is one kernel's, even if the kernelspec is reinstalled meanwhile."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        jar = os.path.join(KernelSpecManager().get_kernel_spec("normgrad-java").resource_dir, "normgrad-kernel-fix.jar")
        with open(jar, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()[:12]
    except (NoSuchKernel, OSError):
        return None


def restarts(args):
    def body(server, page):
        page.open(args.chapter, 120)

        def restart_and_run_all():
            seconds, s = page.run_all(RUN_ALL_TIMEOUT, restart=True)
            check_outputs(server, args.chapter, s)
            return seconds, {"kernel_ready": s["counters"]["ready"], "starting_seen": s["counters"]["starting"]}

        trials = [({"trial": t, "chapter": args.chapter}, restart_and_run_all) for t in range(1, args.n + 1)]
        seconds, failures = series(server, "restarts-" + args.chapter, trials,
                                   lambda: recover(server, page, args.chapter))
        print("restarts %s: %d of %d Restart & Run All succeeded%s"
              % (args.chapter, args.n - failures, args.n, summary(seconds.get(None, []))))
        return failures

    return session("restarts-" + args.chapter, body)


def recover(server, page, chapter, run_all=False):
    """After a failure: a fresh kernel and page, so that the next trial starts clean."""
    try:
        server.shut_down_kernels()
        page.open(chapter, 120)
        if run_all:
            page.run_all(RUN_ALL_TIMEOUT, restart=False)
    except Exception as e:  # noqa: BLE001 - reported, the next trial will tell
        print("  (recovery failed: %s)" % e, flush=True)


def starts(args):
    def body(server, page):
        def start(trial):
            server.shut_down_kernels()
            seconds = page.open(args.chapter, 120)
            out = page.run_cell('System.out.println("started " + %d);' % trial, 30)
            if out.strip() != "started %d" % trial:
                raise Failure("the first cell printed %r" % out)
            return seconds, {}

        trials = [({"trial": t}, lambda t=t: start(t)) for t in range(1, args.n + 1)]
        seconds, failures = series(server, "starts", trials)
        print("starts: %d of %d kernel starts from the page succeeded%s"
              % (args.n - failures, args.n, summary(seconds.get(None, []))))
        return failures

    return session("starts", body)


def interrupts(args):
    def body(server, page):
        page.open("01-quickstart", 120)
        page.run_all(RUN_ALL_TIMEOUT, restart=False)
        cells_before = page.js("return Jupyter.notebook.ncells();")

        def interrupt(source, last):
            latency, text = page.interrupt(source)
            if last:
                page.remove_cells_after(cells_before)
            return latency, {"message": text[-400:], "idle_before_reply": page.idle_before_reply}

        trials = [({"trial": t, "what": what}, lambda s=source, last=(what == list(INTERRUPT_CELLS)[-1]): interrupt(s, last))
                  for t in range(1, args.n + 1) for what, source in INTERRUPT_CELLS.items()]
        seconds, failures = series(server, "interrupts", trials,
                                   lambda: recover(server, page, "01-quickstart", run_all=True))
        for what in INTERRUPT_CELLS:
            xs = seconds.get(what, [])
            print("interrupts: %s: %d of %d stopped%s" % (what, len(xs), args.n, summary(xs)))
        return failures

    return session("interrupts", body)


def summary(xs):
    if not xs:
        return ""
    xs = sorted(xs)
    return "; %.2f s median, %.2f s max" % (xs[len(xs) // 2], xs[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check")
    p.add_argument("chapter", nargs="?", default="01-quickstart")
    p.set_defaults(run=check)
    for name, fn in (("restarts", restarts), ("starts", starts)):
        p = sub.add_parser(name)
        p.add_argument("n", type=int)
        p.add_argument("chapter", nargs="?", default="01-quickstart")
        p.set_defaults(run=fn)
    p = sub.add_parser("interrupts")
    p.add_argument("n", type=int)
    p.set_defaults(run=interrupts)
    args = parser.parse_args()
    # stopped by a signal (a background run), the server and the browser still shut down cleanly
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        failures = args.run(args)
    except Failure as e:
        print("browser-test: FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
