#!/usr/bin/env python3
"""tern's end-to-end tests: boot images on QEMU and judge the serial output.

Tests are declared in tests/e2e/manifest.toml (one [[test]] table each, see
the comment at its top). Every test prints one line, PASS <name> or FAIL
<name> (a failure adds indented details: what was missing and the last lines
of output), and the last line is "N passed, N failed". The exit status is
non-zero if any test failed. Each test's full output is kept in
build/e2e/<name>.log.

Standard library only: this runs on Debian's python3 with nothing installed.
"""

import argparse
import codecs
import concurrent.futures
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MANIFEST = REPO / "tests" / "e2e" / "manifest.toml"
LOG_DIR = REPO / "build" / "e2e"

QEMU = {"arm64": "qemu-system-aarch64", "riscv": "qemu-system-riscv64"}
ARCH_ALIASES = {"aarch64": "arm64", "riscv64": "riscv"}
# Every run: no window, serial on stdio (QEMU's default once the monitor is
# off), and a guest reset ends QEMU instead of rebooting into the test again.
QEMU_FIXED_ARGS = ["-nographic", "-no-reboot", "-monitor", "none"]
DEFAULT_TIMEOUT = 30
TAIL_LINES = 20
CRLF_RE = re.compile(r"\r+\n")
SUMMARY_RE = re.compile(r"^SUMMARY: (\d+) tests, (\d+) failures", re.M)
XFAIL_RE = re.compile(r"^XFAIL: .*$", re.M)
KILL_GRACE = 2.0

print_lock = threading.Lock()
# QEMUs still running, so that Ctrl-C can stop them: each leads a session of
# its own and does not see the terminal's SIGINT.
live = set()
live_lock = threading.Lock()


class ManifestError(Exception):
    pass


@dataclass
class Test:
    name: str
    arch: str
    kernel: str | None
    qemu: list
    bios: str | None = None
    append: str | None = None
    dtb: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    expect: list = field(default_factory=list)
    reject: list = field(default_factory=list)
    until: re.Pattern | None = None
    summary: int = 0  # a test guest's SUMMARY must count exactly this many checks
    xfail: int = 0  # ... of which exactly this many are known failures (XFAIL)
    requires: list = field(default_factory=list)
    send: list = field(default_factory=list)  # (regex, text) pairs, in order
    bundle: list | None = None  # scripts/mkbundle.sh arguments

    def bundle_path(self):
        return LOG_DIR / f"{self.name}.bundle.cpio"

    def command(self):
        cmd = [QEMU[self.arch], *self.qemu, *QEMU_FIXED_ARGS]
        if self.kernel:
            cmd += ["-kernel", str(repo_path(self.kernel))]
        if self.bundle is not None:
            cmd += ["-initrd", str(self.bundle_path())]
        if self.bios:
            cmd += ["-bios", bios_arg(self.bios)]
        if self.dtb:
            cmd += ["-dtb", str(repo_path(self.dtb))]
        if self.append is not None:
            cmd += ["-append", self.append]
        return cmd


@dataclass
class Result:
    test: Test
    verdict: str  # PASS, FAIL or SKIP
    details: list = field(default_factory=list)
    output: str = ""


def repo_path(p):
    path = Path(p)
    return path if path.is_absolute() else REPO / path


def bios_arg(bios):
    """QEMU's keywords and the names it finds in its own data directory pass
    through; anything else is a path from the repository top."""
    if bios in ("none", "default") or Path(bios).is_absolute():
        return bios
    path = REPO / bios
    return str(path) if path.exists() else bios


# --- The manifest ------------------------------------------------------------

FIELDS = {
    "name": str, "arch": str, "kernel": str, "qemu": str, "bios": str, "append": str,
    "dtb": str, "timeout": (int, float), "expect": list, "reject": list, "until": str,
    "summary": int, "xfail": int, "requires": list, "send": list, "bundle": str,
}
REQUIRED = ("name", "arch")


def compile_regex(name, key, text):
    if not isinstance(text, str):
        raise ManifestError(f"{name}: {key} entries must be strings")
    try:
        return re.compile(text, re.M)
    except re.error as e:
        raise ManifestError(f"{name}: bad regex in {key} {text!r}: {e}") from None


def parse_test(i, raw):
    name = raw.get("name", f"test #{i + 1}")
    for key, value in raw.items():
        if key not in FIELDS:
            raise ManifestError(f"{name}: unknown key {key!r} (known: {', '.join(FIELDS)})")
        if not isinstance(value, FIELDS[key]) or (
                key in ("timeout", "summary", "xfail") and isinstance(value, bool)):
            raise ManifestError(f"{name}: {key} has the wrong type ({type(value).__name__})")
    for key in REQUIRED:
        if key not in raw:
            raise ManifestError(f"{name}: missing required key {key!r}")
    arch = ARCH_ALIASES.get(raw["arch"], raw["arch"])
    if arch not in QEMU:
        raise ManifestError(f"{name}: arch must be one of {', '.join(QEMU)}")
    if ".." in Path(name).parts or name.startswith("/"):
        raise ManifestError(f"{name}: a name must stay inside build/e2e/")
    if raw.get("timeout", 1) <= 0:
        raise ManifestError(f"{name}: timeout must be positive")
    if raw.get("summary", 1) <= 0:
        raise ManifestError(f"{name}: summary is the number of checks the guest must run")
    if "xfail" in raw and not 0 <= raw["xfail"] <= raw.get("summary", 0):
        raise ManifestError(f"{name}: xfail counts known failures among the summary's checks")
    for key in ("requires",):
        if not all(isinstance(p, str) for p in raw.get(key, [])):
            raise ManifestError(f"{name}: {key} entries must be strings")
    send = []
    for pair in raw.get("send", []):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise ManifestError(f"{name}: send entries are [regex, text] pairs")
        send.append((compile_regex(name, "send", pair[0]), pair[1]))
    try:
        qemu = shlex.split(raw.get("qemu", ""))
        bundle = shlex.split(raw["bundle"]) if "bundle" in raw else None
    except ValueError as e:
        raise ManifestError(f"{name}: cannot split qemu or bundle arguments: {e}") from None
    return Test(
        name=name, arch=arch, kernel=raw.get("kernel"), qemu=qemu, send=send, bios=raw.get("bios"),
        bundle=bundle,
        append=raw.get("append"), dtb=raw.get("dtb"),
        timeout=float(raw.get("timeout", DEFAULT_TIMEOUT)),
        expect=[compile_regex(name, "expect", r) for r in raw.get("expect", [])],
        reject=[compile_regex(name, "reject", r) for r in raw.get("reject", [])],
        until=compile_regex(name, "until", raw["until"]) if "until" in raw else None,
        summary=raw.get("summary", 0), xfail=raw.get("xfail", 0),
        requires=list(raw.get("requires", [])),
    )


def load_manifest(path):
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ManifestError(f"{path}: {e}") from None
    unknown = set(data) - {"test"}
    if unknown:
        raise ManifestError(f"{path}: unknown top-level keys {sorted(unknown)}; tests are [[test]]")
    tests = [parse_test(i, raw) for i, raw in enumerate(data.get("test", []))]
    seen = set()
    for t in tests:
        if t.name in seen:
            raise ManifestError(f"{path}: two tests are named {t.name!r}")
        seen.add(t.name)
    return tests


# --- Running QEMU ------------------------------------------------------------

def kill_group(proc):
    """Stops QEMU and anything it started: it leads its own process group."""
    for sig, grace in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


class Streamer:
    """--verbose: output as it comes; prefixed by test name when tests run in
    parallel, so that interleaved lines still say where they are from."""

    def __init__(self, name, prefixed):
        self.name, self.prefixed, self.partial = name, prefixed, ""

    def write(self, text):
        if not self.prefixed:
            with print_lock:
                sys.stdout.write(text)
                sys.stdout.flush()
            return
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        if lines:
            with print_lock:
                for line in lines:
                    print(f"[{self.name}] {line}")
                sys.stdout.flush()

    def close(self):
        if self.partial:
            self.write("\n")


def run_qemu(test, streamer):
    """Runs the test's QEMU. Returns (output, how it ended, exit code): ended is
    "exited", "until" (stopped after the until pattern appeared) or "timeout"."""
    proc = subprocess.Popen(test.command(), cwd=REPO,
                            stdin=subprocess.PIPE if test.send else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    with live_lock:
        live.add(proc)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = held_cr = ""
    deadline = time.monotonic() + test.timeout
    ended = None
    pending = list(test.send)
    sent_at = 0  # the next send pattern is looked for after the last match
    # until counts only once every expect has appeared, from the line of
    # the last one on: a test can then wait for what follows the second of
    # two identical lines (a reboot), and an until on the last expected
    # line itself still ends the run.
    expects = list(test.expect)
    expect_at = 0
    until_from = 0
    fd = proc.stdout.fileno()
    try:
        while ended is None:
            left = deadline - time.monotonic()
            if left <= 0:
                ended = "timeout"
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                ended = "exited"
                break
            # Serial lines end in CR LF (CR CR LF when a guest console
            # adds its own CR to the tty's); judge plain LF lines. CRs at
            # the end of a read may belong to such an ending: hold them.
            new = held_cr + decoder.decode(chunk)
            held_cr = new[len(new.rstrip("\r")):]
            new = CRLF_RE.sub("\n", new[:len(new) - len(held_cr)])
            # An until pattern is looked for from the start of the line the
            # new output continues, so a line split across reads still counts.
            start = text.rfind("\n") + 1
            text += new
            if streamer:
                streamer.write(new)
            while pending:
                m = pending[0][0].search(text, sent_at)
                if not m:
                    break
                sent_at = m.end()
                proc.stdin.write(pending.pop(0)[1].encode())
                proc.stdin.flush()
            while expects:
                m = expects[0].search(text, expect_at)
                if not m:
                    break
                expect_at = m.end()
                until_from = text.rfind("\n", 0, m.start()) + 1
                expects.pop(0)
            if test.until and not expects and test.until.search(text, max(start, until_from)):
                ended = "until"
    finally:
        if ended != "exited":
            kill_group(proc)
        else:
            # Stdout closed: QEMU is exiting. If it lingers, it is hung.
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), KILL_GRACE))
            except subprocess.TimeoutExpired:
                ended = "timeout"
                kill_group(proc)
        with live_lock:
            live.discard(proc)
        proc.stdout.close()
        text += held_cr + decoder.decode(b"", final=True)
        if streamer:
            streamer.close()
    return text, ended, proc.returncode


# --- Judging -----------------------------------------------------------------

def judge(test, output, ended, code):
    """What is wrong with this run; an empty list is a pass."""
    problems = []
    if ended == "timeout":
        what = f"/{test.until.pattern}/ did not appear" if test.until else "QEMU did not exit"
        problems.append(f"timed out after {test.timeout:g}s: {what}")
    elif ended == "exited" and test.until:
        problems.append(f"QEMU exited (code {code}) before /{test.until.pattern}/ appeared")
    elif ended == "exited" and code != 0:
        problems.append(f"QEMU exited with code {code}")

    pos = 0
    for rx in test.expect:
        m = rx.search(output, pos)
        if m:
            pos = m.end()
        else:
            where = " after the previous expectation" if pos else ""
            problems.append(f"missing expected /{rx.pattern}/{where}")
    for rx in test.reject:
        m = rx.search(output)
        if m:
            line = output[output.rfind("\n", 0, m.start()) + 1:].split("\n", 1)[0]
            problems.append(f"rejected /{rx.pattern}/ matched: {line.strip()}")
    if test.summary:
        sums = SUMMARY_RE.findall(output)
        if not sums:
            problems.append("no 'SUMMARY: N tests, M failures' line")
        else:
            total, failures = (int(n) for n in sums[-1])
            if total != test.summary:
                problems.append(f"SUMMARY counts {total} tests, the manifest pins {test.summary}")
            xfails = XFAIL_RE.findall(output)
            if len(xfails) != test.xfail:
                problems.append(f"{len(xfails)} known failures (XFAIL), the manifest pins {test.xfail}:")
                problems += [f"  {line}" for line in xfails[:10]]
            if failures:
                problems.append(f"SUMMARY reports {failures} failure(s):")
                fails = re.findall(r"^FAIL: .*$", output, re.M)
                problems += [f"  {line}" for line in fails[:10]]
    return problems


def make_bundle(test):
    """Builds the test's guest bundle (tern's initrd); a problem, or None."""
    out = test.bundle_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [str(REPO / "scripts" / "mkbundle.sh"), "-o", str(out), *test.bundle]
    p = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        return f"mkbundle.sh failed: {p.stdout.strip()}"
    return None


def run_test(test, verbose, prefixed):
    missing = [p for p in test.requires if not repo_path(p).exists()]
    if missing:
        return Result(test, "SKIP", [f"missing {', '.join(missing)}"])
    log = LOG_DIR / f"{test.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = test.command()
    problem = None
    if test.kernel and not repo_path(test.kernel).exists():
        problem = f"kernel {test.kernel} does not exist (built yet?)"
    elif test.bundle is not None:
        problem = make_bundle(test)
    if problem:
        result = Result(test, "FAIL", [problem])
    else:
        try:
            streamer = Streamer(test.name, prefixed) if verbose else None
            output, ended, code = run_qemu(test, streamer)
            problems = judge(test, output, ended, code)
            result = Result(test, "FAIL" if problems else "PASS", problems, output)
        except OSError as e:
            result = Result(test, "FAIL", [f"cannot run {cmd[0]}: {e}"])
    with open(log, "w") as f:
        f.write(f"# {shlex.join(cmd)}\n{result.output}")
        if result.output and not result.output.endswith("\n"):
            f.write("\n")
        f.write(f"# {result.verdict}\n")
        f.writelines(f"#   {d}\n" for d in result.details)
    return result


def format_result(result):
    name = result.test.name
    if result.verdict == "PASS":
        known = f" ({result.test.xfail} known failures: XFAIL in the log)" if result.test.xfail else ""
        return f"PASS {name}{known}"
    if result.verdict == "SKIP":
        return f"SKIP {name} ({'; '.join(result.details)})"
    lines = [f"FAIL {name}"] + [f"    {d}" for d in result.details]
    if result.output:
        tail = result.output.rstrip("\n").split("\n")[-TAIL_LINES:]
        lines.append(f"    last {len(tail)} lines of output "
                     f"(all in {(LOG_DIR / result.test.name).relative_to(REPO)}.log):")
        lines += [f"    | {line}" for line in tail]
    return "\n".join(lines)


# --- Command line ------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description="Run tern's end-to-end tests on QEMU.")
    ap.add_argument("--manifest", default=str(DEFAULT_MANIFEST), help="default: %(default)s")
    ap.add_argument("--filter", action="append", default=[], metavar="SUBSTR",
                    help="only tests whose name contains SUBSTR (repeatable: any of them)")
    ap.add_argument("--arch", action="append", default=[],
                    help="only tests for this arch (arm64, riscv; repeatable)")
    ap.add_argument("--list", action="store_true", help="list the selected tests, run nothing")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="tests run in parallel")
    ap.add_argument("-v", "--verbose", action="store_true", help="stream QEMU's output")
    args = ap.parse_args(argv)

    try:
        tests = load_manifest(args.manifest)
    except ManifestError as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2
    arches = {ARCH_ALIASES.get(a, a) for a in args.arch}
    for a in arches - set(QEMU):
        print(f"run.py: unknown arch {a!r} (known: {', '.join(QEMU)})", file=sys.stderr)
        return 2
    tests = [t for t in tests
             if (not arches or t.arch in arches)
             and (not args.filter or any(f in t.name for f in args.filter))]
    if args.list:
        for t in tests:
            print(t.name)
        return 0
    if not tests:
        print("run.py: no test selected", file=sys.stderr)
        return 1
    if args.jobs < 1:
        print("run.py: -j needs at least 1", file=sys.stderr)
        return 2

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    prefixed = args.jobs > 1
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    try:
        # map() yields in manifest order, whatever order the tests end in.
        for result in pool.map(lambda t: run_test(t, args.verbose, prefixed), tests):
            counts[result.verdict] += 1
            with print_lock:
                print(format_result(result), flush=True)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        with live_lock:
            running = list(live)
        for proc in running:
            kill_group(proc)
        print("run.py: interrupted", file=sys.stderr)
        return 130
    finally:
        pool.shutdown(wait=True)
    last = f"{counts['PASS']} passed, {counts['FAIL']} failed"
    if counts["SKIP"]:
        last += f", {counts['SKIP']} skipped"
    print(last)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
