#!/usr/bin/env python3
"""sockshell's speed against baselines measured in the same run.

1. 20,000 create/close pairs through `sockshell SCRIPT` against a C program making the same
   calls and printing one line per call; output to /dev/null. Target: at most 1.5x C.
2. Startup: `sockshell -c 'strerror 111'` against `php -r 'echo socket_strerror(111);'`
   (when php is installed; `apt-get install php-cli`). Target: at most 0.6x PHP.

Runs alternate between the contenders and the medians are compared. Usage:
    python3 bench/run.py [--runs N] [--pairs N] [--baseline OTHER_SOCKSHELL]

--baseline runs another sockshell binary (an earlier build) in the same interleaved runs, and
prints its ratio against C beside this build's, so a change is judged on the same machine load.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build():
    # Built the way a Linux release of a Swift tool is shipped: the standard library linked in.
    flags = ["-c", "release", "--static-swift-stdlib", "--scratch-path", os.path.join(ROOT, ".build-bench")]
    subprocess.run(["swift", "build", *flags, "--product", "sockshell"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", *flags, "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/sockshell"
    out = os.path.join(tempfile.gettempdir(), "sockshell-bench-create-close")
    subprocess.run(["gcc", "-O2", "-o", out, os.path.join(ROOT, "bench", "create_close.c")], check=True)
    return binary, out


def timed(argv):
    """Wall time, user CPU time and system CPU time in seconds of one run, output to /dev/null.
    posix_spawn and wait4 keep the harness's own cost small and the same for every contender."""
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{argv[0]} failed (wait status {status}); run it by hand to see why")
    return elapsed, usage.ru_utime, usage.ru_stime


def peak_memory(argv):
    """Peak resident memory in KiB, read by GNU time: a child forked from Python would report
    Python's own size."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with open(os.devnull, "wb") as devnull:
        result = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=devnull, stderr=subprocess.PIPE)
    return int(result.stderr.decode().strip().splitlines()[-1])


def compare(name, contenders, runs, target):
    results = {label: [] for label, _ in contenders}
    memory = {label: peak_memory(argv) for label, argv in contenders}
    for _ in range(runs):
        for label, argv in contenders:
            results[label].append(timed(argv))
    (mine, _), (base, _) = contenders[:2]
    # Medians of wall, user and system time; the verdict is on wall time. User and system time
    # show where it went: both programs make the same system calls, so the kernel's share is
    # about the same, and sockshell's own work is its user time.
    medians = {label: [statistics.median(run[i] for run in runs_) for i in range(3)]
               for label, runs_ in results.items()}
    ratio = medians[mine][0] / medians[base][0]
    print(f"{name}:")
    for label, _ in contenders:
        rss = f"{memory[label] / 1024:6.1f} MiB" if memory[label] else "unknown"
        wall, user, system = (value * 1000 for value in medians[label])
        print(f"  {label:<10} median {wall:8.1f} ms (user {user:6.1f}, sys {system:6.1f})   peak RSS {rss}")
    verdict = "meets" if ratio <= target else "MISSES"
    print(f"  ratio {mine}/{base} = {ratio:.2f}  (target <= {target}: {verdict})")
    for label, _ in contenders[2:]:
        print(f"  ratio {label}/{base} = {medians[label][0] / medians[base][0]:.2f}")
    return ratio <= target


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--baseline", help="another sockshell binary to measure beside this build")
    args = parser.parse_args()

    sockshell, c_program = build()
    script = os.path.join(tempfile.gettempdir(), "sockshell-bench-create-close.ss")
    with open(script, "w") as f:
        for _ in range(args.pairs):
            f.write("$s = create AF_INET SOCK_STREAM 0\nclose $s\n")

    contenders = [("sockshell", [sockshell, script]), ("C", [c_program, str(args.pairs)])]
    if args.baseline:
        contenders.append(("baseline", [os.path.abspath(args.baseline), script]))
    ok = compare(f"{args.pairs} create/close pairs", contenders, args.runs, 1.5)
    php = shutil.which("php")
    if php:
        ok &= compare("startup", [("sockshell", [sockshell, "-c", "strerror 111"]),
                                  ("php", [php, "-r", "echo socket_strerror(111);"])], max(args.runs, 15), 0.6)
    else:
        print("startup: php is not installed (apt-get install php-cli), skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
