import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// The port a socket is bound to, read with getsockname (tests may call libc directly).
func boundPort(_ fd: Int32) -> Int {
  var storage = sockaddr_storage()
  var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
  _ = withUnsafeMutableBytes(of: &storage) {
    getsockname(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
  }
  return withUnsafeBytes(of: &storage) { raw in
    let family = Int32(raw.load(as: sa_family_t.self))
    if family == AF_INET6 { return Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))) }
    return Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
  }
}

/// A TCP socket of the test's own, bound to 127.0.0.1 on a port the kernel picks (and listening
/// when asked), made with libc so that nothing of it is echoed.
func loopbackSocket(listening: Bool = false) -> Int32 {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
  _ = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  if listening { listen(fd, 1024) }
  return fd
}

/// A TCP socket of the test's own, connected to 127.0.0.1:port.
func loopbackClient(port: Int) -> Int32 {
  let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = UInt16(port).bigEndian
  address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
  let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  #expect(connected == 0)
  return client
}

/// A TCP port on 127.0.0.1 that was free a moment ago: bound to 0, read back, released.
func freePort() -> Int {
  let fd = loopbackSocket()
  defer { close(fd) }
  return boundPort(fd)
}

/// An interpreter writing into a recording, for tests that run statements in-process.
func makeInterpreter(interactive: Bool = false) -> (Interpreter, RecordingOutput) {
  let output = RecordingOutput()
  var settings = Interpreter.Settings()
  settings.interactive = interactive
  return (Interpreter(table: .standard, output: output, settings: settings), output)
}

/// Runs lines in-process, failing the test on any sockshell error unless `allowErrors` (hints
/// and warnings, which follow some calls on purpose, are fine); returns the echo so far.
@discardableResult
func runLines(
  _ interpreter: Interpreter, _ output: RecordingOutput, _ lines: [String], allowErrors: Bool = false
) -> [String] {
  for line in lines { interpreter.run(line: line) }
  if !allowErrors {
    // Warnings (an address beyond loopback) are advice, not errors.
    #expect(
      output.messages.filter { !$0.hasPrefix("hint: ") && !$0.hasPrefix("sockshell: warning: ") } == [],
      "unexpected messages")
  }
  return output.echoes
}

/// Paths of things the end-to-end tests run.
enum Paths {
  /// The package's root: three levels above this file (Tests/SockShellKitTests/Support).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The sockshell binary `swift test` built beside the test bundle.
  static let sockshell: String = {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    // The bundle may be a directory (xctest) or a file beside the products.
    for _ in 0..<3 {
      let candidate = directory.appendingPathComponent("sockshell").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return packageRoot.appendingPathComponent(".build/debug/sockshell").path
  }()

  static func which(_ tool: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let candidate = "\(directory)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// What a finished process printed.
struct ProcessResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var timedOut: Bool
  /// stdout as the bytes it was, for comparisons that a UTF-8 decoding would blur.
  var stdoutBytes: [UInt8] = []
}

// glibc has these, but only under _GNU_SOURCE, which Swift's Glibc module does not define.
@_silgen_name("pipe2") private func gnuPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
func gnuAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32)
  -> Int32

/// posix_spawn as every test child needs it: descriptors 0-2 set up by `fileActions`, none
/// above them inherited, no signal blocked and every one at its default, whatever the spawning
/// thread had. `newSession` makes the child lead a session (for a controlling terminal).
/// Returns the pid, and posix_spawn's error (0 when it worked).
func spawnClean(
  _ executable: String, _ arguments: [String], environment: [String: String]? = nil, newSession: Bool = false,
  fileActions: (inout posix_spawn_file_actions_t) -> Void
) -> (pid: pid_t, error: Int32) {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  fileActions(&actions)
  _ = gnuAddCloseFrom(&actions, 3)
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var noSignals = sigset_t()
  sigemptyset(&noSignals)
  var allSignals = sigset_t()
  sigfillset(&allSignals)
  posix_spawnattr_setsigmask(&attributes, &noSignals)
  posix_spawnattr_setsigdefault(&attributes, &allSignals)
  // POSIX_SPAWN_SETSID is 0x80 in glibc.
  let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (newSession ? 0x80 : 0)
  posix_spawnattr_setflags(&attributes, Int16(flags))

  let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
  let envp: [UnsafeMutablePointer<CChar>?]? = environment.map {
    $0.map { strdup("\($0.key)=\($0.value)") } + [nil]
  }
  defer { for pointer in argv + (envp ?? []) { free(pointer) } }
  var child: pid_t = 0
  let result =
    envp.map { posix_spawn(&child, executable, &actions, &attributes, argv, $0) }
    ?? posix_spawn(&child, executable, &actions, &attributes, argv, environ)
  return (child, result)
}

/// A child process started with posix_spawn: no descriptor of the test process leaks into it
/// (parallel tests hold sockets that a leaked copy would keep open), and it starts with no
/// signal blocked, whatever the spawning thread had blocked.
final class Subprocess {
  let pid: pid_t
  private let stdinFD: Int32
  private let stdoutFD: Int32
  private let stderrFD: Int32
  private var exitStatus: Int32?
  private var pending: [UInt8] = []

  init(_ executable: String, _ arguments: [String], stdin: String? = nil) throws {
    var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
    guard gnuPipe2(&inPipe, O_CLOEXEC) == 0, gnuPipe2(&outPipe, O_CLOEXEC) == 0,
      gnuPipe2(&errPipe, O_CLOEXEC) == 0
    else {
      throw SubprocessError.spawn(errno)
    }
    let spawned = spawnClean(executable, arguments) { (actions: inout posix_spawn_file_actions_t) in
      posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
      posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
      posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    }
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    guard spawned.error == 0 else {
      close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
      throw SubprocessError.spawn(spawned.error)
    }
    pid = spawned.pid
    stdinFD = inPipe[1]
    stdoutFD = outPipe[0]
    stderrFD = errPipe[0]
    if let stdin {
      // A child that stops reading must not block the test: write what fits, then close.
      let flags = fcntl(stdinFD, F_GETFL)
      _ = fcntl(stdinFD, F_SETFL, flags | O_NONBLOCK)
      _ = Array(stdin.utf8).withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
    }
    close(stdinFD)
  }

  enum SubprocessError: Error { case spawn(Int32) }

  var isRunning: Bool {
    if exitStatus != nil { return false }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid {
      exitStatus = Subprocess.decode(status)
      return false
    }
    return true
  }

  private static func decode(_ status: Int32) -> Int32 {
    (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }

  /// Reads one line of stdout, waiting for it; "" at end of output.
  func readLine() -> String {
    while true {
      if let newline = pending.firstIndex(of: 10) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      var buffer = [UInt8](repeating: 0, count: 4096)
      let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
      if n <= 0 {
        let rest = String(decoding: pending, as: UTF8.self)
        pending.removeAll()
        return rest
      }
      pending += buffer[0..<n]
    }
  }

  /// Waits up to `timeout` seconds for the child to exit (killing it after that) and collects
  /// the rest of its output.
  func finish(timeout: Double = 20) -> ProcessResult {
    nonisolated(unsafe) var out: [UInt8] = []
    nonisolated(unsafe) var err: [UInt8] = []
    let outFD = stdoutFD, errFD = stderrFD
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { out = Subprocess.drain(outFD) }
    DispatchQueue.global().async(group: group) { err = Subprocess.drain(errFD) }
    var timedOut = false
    let deadline = Date().addingTimeInterval(timeout)
    while isRunning {
      if Date() > deadline {
        timedOut = true
        // Its children too: a program under strace outlives a killed strace, and would keep the
        // output pipes open, so that the drains above never end.
        for child in Subprocess.descendants(of: pid) { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        break
      }
      usleep(5_000)
    }
    if exitStatus == nil {
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      exitStatus = Subprocess.decode(status)
    }
    group.wait()
    close(stdoutFD)
    close(stderrFD)
    return ProcessResult(
      status: exitStatus ?? -1, stdout: String(decoding: pending + out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self), timedOut: timedOut, stdoutBytes: pending + out)
  }

  /// The processes below `root`, from each /proc/PID/stat's parent field.
  static func descendants(of root: pid_t) -> [pid_t] {
    var parents: [pid_t: pid_t] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = pid_t(name),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      // After "pid (comm)": the state, then the parent's pid.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
    }
    var found: [pid_t] = []
    var frontier: Set<pid_t> = [root]
    while !frontier.isEmpty {
      let next = parents.filter { frontier.contains($0.value) }.map(\.key)
      found += next
      frontier = Set(next)
    }
    return found
  }

  private static func drain(_ fd: Int32) -> [UInt8] {
    var all: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return all }
      all += buffer[0..<n]
    }
  }

  /// Reads lines until one contains `text`; returns everything read, or nil at end of output.
  func readUntil(_ text: String) -> String? {
    var seen = ""
    while true {
      let line = readLine()
      if line.isEmpty && !isRunning { return nil }
      seen += line + "\n"
      if line.contains(text) { return seen }
    }
  }

  deinit {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
  }
}

/// Runs a program to the end, with `stdin` as its input.
func runProcess(_ executable: String, _ arguments: [String], stdin: String? = nil, timeout: Double = 20)
  throws
  -> ProcessResult
{
  try Subprocess(executable, arguments, stdin: stdin ?? "").finish(timeout: timeout)
}

/// Runs sockshell with a script on stdin.
func runSockshell(_ script: String, arguments: [String] = [], timeout: Double = 20) throws -> ProcessResult {
  try runProcess(Paths.sockshell, arguments, stdin: script, timeout: timeout)
}

/// A Python 3 program running beside a test.
func python(_ source: String, arguments: [String] = []) throws -> Subprocess {
  try Subprocess(Paths.which("python3") ?? "/usr/bin/python3", ["-c", source] + arguments)
}
