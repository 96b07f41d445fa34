#!/usr/bin/env python3
"""sockshell's speed against baselines measured in the same run.

1. 20,000 create/close pairs through `sockshell SCRIPT` against a C program making the same
   calls and printing one line per call; output to /dev/null. Target: at most 1.5x C.
2. Startup: `sockshell -c 'strerror 111'` against `php -r 'echo socket_strerror(111);'`
   (when php is installed; `apt-get install php-cli`). Target: at most 0.6x PHP.
3. `handles` over many sockets: 1,000 and 5,000 socketpairs, each end in a variable of its own,
   `select` over those below FD_SETSIZE and `handles`, against the same program in PHP
   (socket_create_pair, socket_select and a table of the same sockets). Target: at most 1.0x
   PHP at each size; the growth from the smaller to the larger is printed beside it.
4. Memory: peak RSS of a sockshell script of 1,000,000 create/close lines against PHP (and
   Python) making the same 500,000 socket/close pairs. Target: at most 1.0x PHP's peak RSS.
5. A PHP for loop of 20,000 socket_create/socket_close pairs (loop_create_close.php), parsed once:
   `sockshell -q` against a C program making the same calls and printing nothing, and against
   php. Target: at most 1.3x C and below PHP. The same loop with its echo, against the C program
   that prints a line per call, is printed for information.
6. 16 MiB through a socket pair in 64 KiB writes, gathered with `.=` (transfer.php): `sockshell
   -q` against Python doing the same (transfer.py), and php. Target: at most 1.0x Python.
7. --wire: the same script with and without it, echoed: 20,000 create/close pairs (no segment
   at all: what reading the capture costs each call), and 1,000 TCP exchanges on loopback
   (connect, accept, write, read, close: ten segments each, decoded and shown). Target: at most
   2.0x the script without --wire.

Runs alternate between the contenders and the medians are compared. Usage:
    python3 bench/run.py [--runs N] [--pairs N] [--baseline OTHER_SOCKSHELL] [--only ROW ...]

--baseline runs another sockshell binary (an earlier build) in the same interleaved runs, and
prints its ratio against C beside this build's, so a change is judged on the same machine load.
"""
import argparse
import os
import resource
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
    programs = {}
    for name in ["create_close", "loop_create_close"]:
        out = os.path.join(tempfile.gettempdir(), "sockshell-bench-" + name.replace("_", "-"))
        subprocess.run(["gcc", "-O2", "-o", out, os.path.join(ROOT, "bench", name + ".c")], check=True)
        programs[name] = out
    return binary, programs


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
    """Medians of interleaved runs; the first contender's wall time against the second's is held
    to `target` (None: printed for information)."""
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
    if target is None:
        print(f"  ratio {mine}/{base} = {ratio:.2f}  (for information)")
    else:
        verdict = "meets" if ratio <= target else "MISSES"
        print(f"  ratio {mine}/{base} = {ratio:.2f}  (target <= {target}: {verdict})")
    for label, _ in contenders[2:]:
        print(f"  ratio {label}/{base} = {medians[label][0] / medians[base][0]:.2f}")
    return target is None or ratio <= target, {label: values[0] for label, values in medians.items()}


def measure_memory(name, contenders, runs, target):
    """Peak RSS (median of `runs` interleaved runs, with the wall time of the same runs); the
    verdict is on the first contender's peak against the second's."""
    if not os.path.exists("/usr/bin/time"):
        print(f"{name}: /usr/bin/time is not installed (apt-get install time), skipped")
        return True
    results = {label: [] for label, _ in contenders}
    for _ in range(runs):
        for label, argv in contenders:
            with open(os.devnull, "wb") as devnull:
                result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *argv], stdout=devnull,
                                        stderr=subprocess.PIPE)
            if result.returncode != 0:
                sys.exit(f"{argv[0]} failed (status {result.returncode}); run it by hand to see why")
            wall, rss = result.stderr.decode().strip().splitlines()[-1].split()
            results[label].append((float(wall), int(rss)))
    medians = {label: (statistics.median(r[0] for r in runs_), statistics.median(r[1] for r in runs_))
               for label, runs_ in results.items()}
    (mine, _), (base, _) = contenders[:2]
    ratio = medians[mine][1] / medians[base][1]
    print(f"{name}:")
    for label, _ in contenders:
        wall, rss = medians[label]
        print(f"  {label:<10} peak RSS {rss / 1024:6.1f} MiB   (wall {wall * 1000:8.1f} ms)")
    verdict = "meets" if ratio <= target else "MISSES"
    print(f"  ratio of peak RSS {mine}/{base} = {ratio:.2f}  (target <= {target}: {verdict})")
    for label, _ in contenders[2:]:
        print(f"  ratio of peak RSS {label}/{base} = {medians[label][1] / medians[base][1]:.2f}")
    return ratio <= target


def handles_programs(pairs, directory):
    """The `handles` row's sockshell script and PHP program for `pairs` socketpairs. Every end gets
    a variable of its own, so that naming each handle's variables is work that grows with both;
    select watches the first 500 pairs, whose descriptors are below FD_SETSIZE (1024)."""
    watched = min(pairs, 500)
    script = os.path.join(directory, f"sockshell-bench-handles-{pairs}.ss")
    with open(script, "w") as f:
        for i in range(1, pairs + 1):
            f.write(f"[$a{i}, $b{i}] = create_pair AF_UNIX SOCK_STREAM 0\n")
        f.write('write $a1 "x"\n')
        f.write("$r = [" + ", ".join(f"$a{i}, $b{i}" for i in range(1, watched + 1)) + "]\n")
        f.write("select $r null null 0\nhandles\n")
    php = os.path.join(directory, f"sockshell-bench-handles-{pairs}.php")
    with open(php, "w") as f:
        f.write("<?php\n$all = [];\n")
        for i in range(1, pairs + 1):
            f.write(f"socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $p); $a{i} = $p[0]; $b{i} = $p[1]; "
                    f"$all[] = $a{i}; $all[] = $b{i};\n")
        f.write('socket_write($a1, "x");\n')
        f.write("$r = [" + ", ".join(f"$a{i}, $b{i}" for i in range(1, watched + 1)) + "];\n")
        f.write("$w = null; $e = null;\nsocket_select($r, $w, $e, 0);\n")
        with open(os.path.join(ROOT, "bench", "handles_table.php")) as table:
            f.write(table.read().split("\n", 1)[1])
    return script, php


def raise_descriptor_limit(needed):
    """Raises the soft limit on open files (children inherit it); False when the hard limit is
    too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            return False
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--baseline", help="another sockshell binary to measure beside this build")
    parser.add_argument("--only", nargs="+", choices=ROWS, default=ROWS, help="the rows to run")
    parser.add_argument("--handle-pairs", type=int, nargs="+", default=[1000, 5000],
                        help="socketpairs in the handles row (default: 1000 5000)")
    parser.add_argument("--memory-pairs", type=int, default=500000,
                        help="create/close pairs in the memory row (default: 500000, 1,000,000 lines)")
    parser.add_argument("--memory-runs", type=int, default=3)
    parser.add_argument("--exchanges", type=int, default=1000,
                        help="TCP exchanges in the wire row (default: 1000)")
    args = parser.parse_args()

    sockshell, c_programs = build()
    c_program = c_programs["create_close"]
    bench = os.path.join(ROOT, "bench")
    baseline = [os.path.abspath(args.baseline)] if args.baseline else None
    temp = tempfile.gettempdir()
    php = shutil.which("php")
    ok = True

    if "create-close" in args.only:
        script = os.path.join(temp, "sockshell-bench-create-close.ss")
        with open(script, "w") as f:
            for _ in range(args.pairs):
                f.write("$s = create AF_INET SOCK_STREAM 0\nclose $s\n")
        contenders = [("sockshell", [sockshell, script]), ("C", [c_program, str(args.pairs)])]
        if baseline:
            contenders.append(("baseline", baseline + [script]))
        ok &= compare(f"{args.pairs} create/close pairs", contenders, args.runs, 1.5)[0]

    if "startup" in args.only:
        if php:
            ok &= compare("startup", [("sockshell", [sockshell, "-c", "strerror 111"]),
                                      ("php", [php, "-r", "echo socket_strerror(111);"])],
                          max(args.runs, 15), 0.6)[0]
        else:
            print("startup: php is not installed (apt-get install php-cli), skipped")

    if "handles" in args.only:
        if not php:
            print("handles: php is not installed (apt-get install php-cli), skipped")
        elif not raise_descriptor_limit(2 * max(args.handle_pairs) + 64):
            print(f"handles: the hard limit on open files is below {2 * max(args.handle_pairs) + 64}, "
                  "skipped")
        else:
            walls = {}
            for pairs in args.handle_pairs:
                script, program = handles_programs(pairs, temp)
                contenders = [("sockshell", [sockshell, script]), ("php", [php, program])]
                if baseline:
                    contenders.append(("baseline", baseline + [script]))
                met, walls[pairs] = compare(f"{pairs} socketpairs, select and handles", contenders,
                                            args.runs, 1.0)
                ok &= met
            if len(walls) > 1:
                small, large = min(walls), max(walls)
                growth = ", ".join(f"{label} x{walls[large][label] / walls[small][label]:.1f}"
                                   for label in walls[small])
                print(f"  growth from {small} to {large} pairs (x{large / small:g} the work): {growth}")

    if "memory" in args.only:
        if not php:
            print("memory: php is not installed (apt-get install php-cli), skipped")
        else:
            pairs = args.memory_pairs
            script = os.path.join(temp, "sockshell-bench-memory.ss")
            with open(script, "w") as f:
                for _ in range(pairs):
                    f.write("$s = create AF_INET SOCK_STREAM 0\nclose $s\n")
            contenders = [("sockshell", [sockshell, script]),
                          ("php", [php, os.path.join(bench, "create_close.php"), str(pairs)]),
                          ("python", [sys.executable, os.path.join(bench, "create_close.py"), str(pairs)])]
            if baseline:
                contenders.append(("baseline", baseline + [script]))
            ok &= measure_memory(f"memory: {2 * pairs} create/close lines", contenders, args.memory_runs, 1.0)
    if "loop" in args.only:
        # The loop is parsed once: what this row measures is the cost of each pass.
        program = os.path.join(bench, "loop_create_close.php")
        contenders = [("sockshell", [sockshell, "-q", program]), ("C", [c_programs["loop_create_close"]])]
        if php:
            contenders.append(("php", [php, program]))
        if baseline:
            contenders.append(("baseline", baseline + ["-q", program]))
        met, walls = compare("for loop of 20000 create/close pairs, -q", contenders, args.runs, 1.3)
        if php:
            below = walls["sockshell"] < walls["php"]
            print(f"  sockshell below php: {'meets' if below else 'MISSES'}")
            met &= below
        ok &= met
        contenders = [("sockshell", [sockshell, program]), ("C", [c_program, "20000"])]
        if baseline:
            contenders.append(("baseline", baseline + [program]))
        compare("for loop of 20000 create/close pairs, echoed", contenders, args.runs, None)

    if "transfer" in args.only:
        program = os.path.join(bench, "transfer.php")
        contenders = [("sockshell", [sockshell, "-q", program]),
                      ("python", [sys.executable, os.path.join(bench, "transfer.py")])]
        if php:
            contenders.append(("php", [php, program]))
        if baseline:
            contenders.append(("baseline", baseline + ["-q", program]))
        ok &= compare("16 MiB through a socket pair with .=", contenders, args.runs, 1.0)[0]

    if "wire" in args.only:
        script = os.path.join(temp, "sockshell-bench-wire-create-close.ss")
        with open(script, "w") as f:
            for _ in range(args.pairs):
                f.write("$s = create AF_INET SOCK_STREAM 0\nclose $s\n")
        contenders = [("--wire", [sockshell, "--wire", script]), ("plain", [sockshell, script])]
        ok &= compare(f"--wire: {args.pairs} create/close pairs", contenders, args.runs, 2.0)[0]
        script = os.path.join(temp, "sockshell-bench-wire-exchange.ss")
        with open(script, "w") as f:
            # Port 0: the kernel picks a free one, read back with getsockname.
            f.write("$l = create inet stream\nbind $l 127.0.0.1 0\nlisten $l 8\n"
                    "getsockname $l $host $port\n")
            for _ in range(args.exchanges):
                f.write("$c = create inet stream\nconnect $c 127.0.0.1 $port\n$a = accept $l\n"
                        "write $c \"xiongchao\"\nread $a 1024\nclose $c\nclose $a\n")
        contenders = [("--wire", [sockshell, "--wire", script]), ("plain", [sockshell, script])]
        ok &= compare(f"--wire: {args.exchanges} TCP exchanges", contenders, args.runs, 2.0)[0]
    return 0 if ok else 1


ROWS = ["create-close", "startup", "handles", "memory", "loop", "transfer", "wire"]


if __name__ == "__main__":
    sys.exit(main())
