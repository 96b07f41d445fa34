import Foundation
import Glibc
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

/// A TCP port on 127.0.0.1 that was free a moment ago: bound to 0, read back, released.
func freePort() -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
  _ = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
  }
  return boundPort(fd)
}

/// An interpreter writing into a recording, for tests that run statements in-process.
func makeInterpreter(interactive: Bool = false) -> (Interpreter, RecordingOutput) {
  let output = RecordingOutput()
  var settings = Interpreter.Settings()
  settings.interactive = interactive
  return (Interpreter(table: .standard, output: output, settings: settings), output)
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
}

/// Runs a program with arguments and stdin, killing it after `timeout` seconds.
func runProcess(
  _ executable: String, _ arguments: [String], stdin: String? = nil, timeout: TimeInterval = 20,
  environment: [String: String]? = nil
) throws -> ProcessResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let environment { process.environment = environment }
  let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
  process.standardOutput = outPipe
  process.standardError = errPipe
  process.standardInput = inPipe
  try process.run()
  if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
  try inPipe.fileHandleForWriting.close()

  // Read both pipes concurrently so a chatty child never blocks on a full pipe.
  nonisolated(unsafe) var outData = Data()
  nonisolated(unsafe) var errData = Data()
  let group = DispatchGroup()
  group.enter()
  DispatchQueue.global().async {
    outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  group.enter()
  DispatchQueue.global().async {
    errData = errPipe.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let deadline = Date().addingTimeInterval(timeout)
  var timedOut = false
  while process.isRunning {
    if Date() > deadline {
      timedOut = true
      process.terminate()
      break
    }
    usleep(10_000)
  }
  process.waitUntilExit()
  group.wait()
  return ProcessResult(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self), timedOut: timedOut)
}

/// Runs sockshell with a script on stdin.
func runSockshell(_ script: String, arguments: [String] = [], timeout: TimeInterval = 20) throws -> ProcessResult {
  try runProcess(Paths.sockshell, arguments, stdin: script, timeout: timeout)
}

/// A Python 3 program running beside a test, stopped when the test is done.
final class PythonPeer {
  let process = Process()
  private let outPipe = Pipe()
  private let errPipe = Pipe()

  init(_ source: String, arguments: [String] = []) throws {
    process.executableURL = URL(fileURLWithPath: Paths.which("python3") ?? "/usr/bin/python3")
    process.arguments = ["-c", source] + arguments
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
  }

  /// Waits for the peer to print a line (it prints one when it is ready).
  func readLine() -> String {
    var bytes: [UInt8] = []
    while true {
      let data = outPipe.fileHandleForReading.readData(ofLength: 1)
      guard let byte = data.first, byte != 10 else { break }
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Waits up to `timeout` seconds for the peer to exit, and returns what it printed after that.
  func finish(timeout: TimeInterval = 10) -> (status: Int32, output: String, errors: String) {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    let output = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errors = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (process.terminationStatus, output, errors)
  }

  deinit {
    if process.isRunning { process.terminate() }
  }
}
