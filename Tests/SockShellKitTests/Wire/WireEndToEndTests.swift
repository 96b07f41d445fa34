import Foundation
import Glibc
import Testing

/// `sockshell --wire` as a learner runs it, checked against tcpdump.
@Suite(.serialized) struct WireEndToEndTests {
  static let tcpdump = Paths.which("tcpdump")
  static let isRoot = geteuid() == 0
  /// Whether this system gives `nobody` a user namespace at all (AppArmor or a sysctl may not):
  /// where it does not, sockshell's refusal is the other test's business.
  static let nobodyGetsNamespaces: Bool = {
    guard isRoot, let setpriv = Paths.which("setpriv"), let unshare = Paths.which("unshare") else {
      return false
    }
    let result = try? runProcess(
      setpriv, ["--reuid=nobody", "--regid=nogroup", "--clear-groups", unshare, "--user", "--net", "true"])
    return result?.status == 0
  }()

  /// The reverse exchange with both ends in one session, and a datagram.
  static let exchange = """
    $s = create inet stream
    bind $s 127.0.0.1 5353
    listen $s 3
    $c = create inet stream
    connect $c 127.0.0.1 5353
    $a = accept $s
    write $c "xiongchao"
    $in = read $a 1024
    write $a strrev($in) . "\\n"
    read $c 1024
    close $c
    close $a
    close $s
    $u = create inet dgram
    bind $u 127.0.0.1 40000
    sendto $u "hi" 127.0.0.1 40001
    $v = create inet6 stream
    connect $v ::1 9

    """

  /// The wire lines of sockshell's output, without their marks.
  static func wireLines(_ output: String) -> [String] {
    output.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("  #") || line.hasPrefix("  -- ") else { return nil }
      let text = line.dropFirst(2)
      if text.hasPrefix("-- ") { return String(text.dropFirst(3)) }
      // `#2 > ` or `#1 < `
      guard let space = text.firstIndex(of: " ") else { return nil }
      return String(text[text.index(space, offsetBy: 3)...])
    }
  }

  /// `tcpdump -n -r FILE`, each line without its timestamp, `IP `/`IP6 ` and TCP options; only
  /// TCP and UDP, as --wire shows.
  static func tcpdumpLines(_ file: String) throws -> [String] {
    let result = try runProcess(tcpdump!, ["-n", "-r", file])
    return result.stdout.split(separator: "\n").compactMap { line -> String? in
      var words = line.split(separator: " ", maxSplits: 2).map(String.init)
      guard words.count == 3, words[1] == "IP" || words[1] == "IP6" else { return nil }
      var text = words.removeLast()
      guard text.contains(": Flags [") || text.contains(": UDP, length") else { return nil }
      if let start = text.range(of: ", options ["),
        let end = text.range(of: "], ", range: start.upperBound..<text.endIndex)
      {
        text.removeSubrange(start.lowerBound..<text.index(end.upperBound, offsetBy: -2))
      }
      return text
    }
  }

  static func temporaryFolder() -> String {
    let folder = NSTemporaryDirectory() + "sockshell-wire-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    chmod(folder, 0o777)
    return folder
  }

  @Test(.enabled(if: tcpdump != nil, "tcpdump is not installed (apt-get install tcpdump)"))
  func theSegmentsShownAreTheOnesAPcapOfTheSessionHolds() throws {
    let folder = WireEndToEndTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let file = folder + "/session.pcap"
    let result = try runSockshell(WireEndToEndTests.exchange + "pcap \(file)\n", arguments: ["--wire"])
    #expect(result.stderr.contains("wrote 14 packets to \(file)"), "\(result.stderr)")
    let shown = WireEndToEndTests.wireLines(result.stdout)
    #expect(shown.count == 13, "\(result.stdout)")
    #expect(shown == (try WireEndToEndTests.tcpdumpLines(file)))
  }

  @Test(
    .enabled(if: tcpdump != nil, "tcpdump is not installed (apt-get install tcpdump)"),
    .enabled(
      if: isRoot && Paths.which("unshare") != nil && Paths.which("ip") != nil, "needs root, unshare and ip"))
  func theSegmentsShownAreTheOnesTcpdumpCapturesBesideIt() throws {
    let folder = WireEndToEndTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try WireEndToEndTests.exchange.write(toFile: folder + "/exchange.ss", atomically: true, encoding: .utf8)
    // tcpdump in a network namespace of the test's own, and sockshell in the same one (--wire-here).
    let script = """
      ip link set lo up
      tcpdump --immediate-mode -U -n -i lo -w \(folder)/beside.pcap 2>\(folder)/tcpdump.err &
      dump=$!
      for i in $(seq 100); do grep -q listening \(folder)/tcpdump.err && break; sleep 0.05; done
      \(Paths.sockshell) --wire --wire-here \(folder)/exchange.ss
      sleep 0.3
      kill -INT $dump
      wait $dump
      """
    let result = try runProcess(Paths.which("unshare")!, ["-n", "sh", "-c", script], timeout: 30)
    let shown = WireEndToEndTests.wireLines(result.stdout)
    #expect(shown.count == 13, "\(result.stdout)\n\(result.stderr)")
    #expect(shown == (try WireEndToEndTests.tcpdumpLines(folder + "/beside.pcap")))
  }

  @Test(
    .enabled(
      if: nobodyGetsNamespaces,
      "needs root to become nobody, setpriv and unshare, and user namespaces for nobody"))
  func aUserWithoutPrivilegesGetsTheWireThroughANamespace() throws {
    let result = try runProcess(
      Paths.which("setpriv")!,
      [
        "--reuid=nobody", "--regid=nogroup", "--clear-groups", Paths.sockshell, "--wire", "-c",
        WireEndToEndTests.exchange,
      ])
    #expect(result.stderr.contains("hint: nothing is listening"), "\(result.stderr)")
    #expect(!result.stderr.contains("--wire"), "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let connect = try #require(lines.firstIndex { $0.hasPrefix("connect(4, ") })
    #expect(lines[connect + 1].hasPrefix("  #2 > 127.0.0.1."))
    #expect(lines[connect + 1].contains(" > 127.0.0.1.5353: Flags [S], seq "))
    #expect(lines[connect + 2].hasPrefix("  #1 > 127.0.0.1.5353 > 127.0.0.1."))
    #expect(lines[connect + 3].hasSuffix(": Flags [.], ack 1, win 64, length 0"))
    #expect(lines.contains { $0.hasPrefix("  #4 > 127.0.0.1.40000 > 127.0.0.1.40001: UDP, length 2") })
    #expect(lines.contains { $0.hasPrefix("  #5 < ::1.9 > ::1.") && $0.contains("Flags [R.]") })
  }

  @Test func theLearnersSocketsGetTheSameDescriptorsWithAndWithoutTheWire() throws {
    let script = "$a = create inet stream\n$b = create inet6 dgram\n"
    let plain = try runSockshell(script)
    let wired = try runSockshell(script, arguments: ["--wire"])
    #expect(plain.stdout.contains(") = 3 ") && plain.stdout.contains(") = 4 "))
    #expect(wired.stdout == plain.stdout, "\(wired.stderr)")
  }

  /// Docker's default seccomp profile refuses unshare; a filter that does the same stands in.
  @Test(.enabled(if: Paths.which("python3") != nil, "needs python3"))
  func aRefusedNamespaceIsSaidOnceAndTheSessionGoesOn() throws {
    let refuse = """
      import ctypes, os, platform, struct, sys
      libc = ctypes.CDLL(None, use_errno=True)
      number = {"x86_64": 272, "aarch64": 97}[platform.machine()]
      def op(code, k, jt=0, jf=0): return struct.pack("HBBI", code, jt, jf, k)
      # load the syscall number; unshare fails with EPERM, anything else is allowed
      program = op(0x20, 0) + op(0x15, number, 0, 1) + op(0x06, 0x00050000 | 1) + op(0x06, 0x7fff0000)
      buffer = ctypes.create_string_buffer(program)
      class Fprog(ctypes.Structure): _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
      fprog = Fprog(4, ctypes.addressof(buffer))
      assert libc.prctl(38, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
      assert libc.prctl(22, ctypes.c_ulong(2), ctypes.byref(fprog), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
      os.execv(sys.argv[1], sys.argv[1:])
      """
    let result = try runProcess(
      Paths.which("python3")!,
      [
        "-c", refuse, Paths.sockshell, "--wire", "-c",
        "$a = create inet stream\nconnect $a 127.0.0.1 9\npcap /tmp/x.pcap",
      ])
    let messages = result.stderr.split(separator: "\n")
    #expect(messages.filter { $0.contains("needs a network namespace") }.count == 1, "\(result.stderr)")
    #expect(
      result.stderr.contains("(unshare(CLONE_NEWNET): EPERM")
        || result.stderr.contains("(unshare(CLONE_NEWUSER|CLONE_NEWNET): EPERM"))
    #expect(result.stderr.contains("Going on without the wire."))
    #expect(result.stderr.contains("pcap: the wire is off"))
    #expect(result.stdout.contains("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"))
    #expect(result.stdout.contains("ECONNREFUSED"))
    #expect(!result.stdout.contains("Flags ["))
  }

  /// Lesson 1 and lesson 2 in two terminals: the second joins the first's namespace.
  @Test func aSecondSessionJoinsTheFirstsNamespaceAndSeesItsOwnSegments() throws {
    let server = try Subprocess(
      Paths.sockshell, ["--wire"],
      stdin: """
        $s = create inet stream
        bind $s 127.0.0.1 5353
        listen $s 3
        $a = accept $s
        $in = read $a 1024
        write $a strrev($in)
        close $a

        """)
    let listening = server.readUntil("listen(3, 3) = 0")
    #expect(listening != nil)
    let client = try runProcess(
      Paths.sockshell,
      [
        "--join", String(server.pid), "-c",
        "$c = create inet stream\nconnect $c 127.0.0.1 5353\nwrite $c \"xiongchao\"\nread $c 100\nclose $c",
      ])
    let finished = server.finish()
    #expect(client.stdout.contains("read(3, \"oahcgnoix\", 100) = 9"), "\(client.stdout)\n\(client.stderr)")
    let clientLines = client.stdout.split(separator: "\n")
    #expect(
      clientLines.contains {
        $0.hasPrefix("  #1 > 127.0.0.1.")
          && $0.hasSuffix(" > 127.0.0.1.5353: Flags [P.], seq 1:10, ack 1, win 64, length 9")
      })
    let serverLines = finished.stdout.split(separator: "\n")
    #expect(
      serverLines.contains {
        $0.hasPrefix("  #2 > 127.0.0.1.5353 > 127.0.0.1.") && $0.contains("Flags [P.], seq 1:10")
      }, "\(finished.stdout)")
    // The session's file for --join is gone with it.
    #expect(!WireSessionsFile.exists(pid: server.pid))
  }

  /// What the peer sends while the script sleeps shows above the next call's echo, not under it.
  @Test func segmentsThatCameBetweenCallsShowBeforeTheNextCall() throws {
    let server = try Subprocess(
      Paths.sockshell, ["--wire"],
      stdin: """
        $s = create inet stream
        bind $s 127.0.0.1 5353
        listen $s 3
        $a = accept $s
        usleep(600000)
        read $a 100

        """)
    #expect(server.readUntil("listen(3, 3) = 0") != nil)
    let client = try runProcess(
      Paths.sockshell,
      [
        "--join", String(server.pid), "-c",
        "$c = create inet stream\nconnect $c 127.0.0.1 5353\nusleep(200000)\nwrite $c \"hi\"\nclose $c",
      ])
    #expect(client.status == 0, "\(client.stderr)")
    let lines = server.finish().stdout.split(separator: "\n").map(String.init)
    let accept = try #require(lines.firstIndex { $0.hasPrefix("accept(3, ") })
    let data = try #require(lines.firstIndex { $0.contains("Flags [P.], seq 1:3") }, "\(lines)")
    let read = try #require(lines.firstIndex { $0.hasPrefix("read(4, \"hi\", 100) = 2") }, "\(lines)")
    #expect(accept < data && data < read, "\(lines)")
    #expect(lines[data].hasPrefix("  #2 < 127.0.0.1."))
  }

  /// A lesson recorded under --wire is checked without it: the wire's lines are not recorded.
  @Test func aLessonRecordedUnderTheWirePassesItsCheck() throws {
    let folder = WireEndToEndTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let lesson = folder + "/recorded.md"
    let result = try runSockshell(
      "record \(lesson)\n$s = create inet stream\nbind $s 127.0.0.1 5353\nlisten $s 3\n"
        + "$c = create inet stream\nconnect $c 127.0.0.1 5353\nclose $c\nrecord stop\n",
      arguments: ["--wire"])
    #expect(result.stdout.contains("Flags [S]"))
    let text = try String(contentsOfFile: lesson, encoding: .utf8)
    #expect(!text.contains("Flags ["), "\(text)")
    let check = try runProcess(Paths.sockshell, ["lesson", "--check", lesson])
    #expect(check.status == 0, "\(check.stdout)")
  }

  @Test func joiningWithNoSessionToJoinSaysSoAndGoesOn() throws {
    let result = try runProcess(Paths.sockshell, ["--join", "999999999", "-c", "$a = create inet stream"])
    #expect(
      result.stderr.contains("--join cannot enter the namespaces of process 999999999"), "\(result.stderr)")
    #expect(result.stdout.contains(") = 3"))
  }

  /// A lesson played with the shell's `lesson` command in a --wire session shows its segments too.
  @Test func aLessonPlayedFromAWireShellShowsItsSegments() throws {
    let wired = try runProcess(Paths.sockshell, ["--wire", "-c", "lesson 7"], timeout: 30)
    #expect(wired.stdout.contains("UDP, length 9"), "\(wired.stdout)\(wired.stderr)")
    let plain = try runProcess(Paths.sockshell, ["-c", "lesson 7"], timeout: 30)
    #expect(plain.stdout.contains("sendto(") && !plain.stdout.contains("UDP, length"))
  }
}

enum WireSessionsFile {
  static func exists(pid: pid_t) -> Bool {
    let folders = [
      ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"].map { $0 + "/sockshell" },
      "/tmp/sockshell-\(getuid())",
    ]
    return folders.compactMap { $0 }.contains { FileManager.default.fileExists(atPath: $0 + "/wire-\(pid)") }
  }
}
