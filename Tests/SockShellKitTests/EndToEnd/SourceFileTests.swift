import Foundation
import Glibc
import Testing

/// `source` reads script files only: regular, of bounded size. Each case runs the built binary,
/// so a `source` that reads for ever is stopped by the timeout and one that grows without end by
/// its address space, capped at 1 GiB, instead of by the machine.
@Suite struct SourceFileTests {
  final class Folder {
    let path: String
    init() throws {
      path =
        FileManager.default.temporaryDirectory.appendingPathComponent(
          "sockshell-source-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  /// Runs `script` in sockshell, then `strerror 1` to show that the session went on. A refused
  /// `source` is an error of the script: status 1, and a count ends stderr (removed here).
  func run(_ script: String, refused: Bool = true) throws -> ProcessResult {
    var result = try runProcess(
      "/bin/sh", ["-c", "ulimit -v 1048576; exec \"$0\"", Paths.sockshell], stdin: script + "\nstrerror 1\n",
      timeout: 10)
    #expect(!result.timedOut, "source did not return")
    #expect(result.status == (refused ? 1 : 0), "status \(result.status): \(result.stderr)")
    #expect(result.stdout.hasSuffix("EPERM (1): Operation not permitted\n"), "the session stopped: \(result)")
    let count = "sockshell: 1 statement of this script could not run; exit status 1\n"
    if refused {
      #expect(result.stderr.hasSuffix(count))
      result.stderr = String(result.stderr.dropLast(count.count))
    }
    return result
  }

  @Test func aDeviceIsRefused() throws {
    let result = try run("source /dev/zero")
    #expect(
      result.stderr
        == "sockshell: line 1: source: /dev/zero is a character device, not a regular file; "
        + "source runs script files only\n")
  }

  @Test func aFIFOWithAnIdleWriterIsRefusedAtOnce() throws {
    let folder = try Folder()
    let fifo = folder.path + "/fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    // A writer that never writes: a read of the FIFO would wait for it for ever.
    let writer = open(fifo, O_RDWR | O_CLOEXEC)
    defer { close(writer) }
    let result = try run("set_time_limit(5)\nsource \(fifo)")
    #expect(
      result.stderr
        == "sockshell: line 2: source: \(fifo) is a FIFO, not a regular file; "
        + "source runs script files only\n")
  }

  @Test func aDirectoryIsRefused() throws {
    let folder = try Folder()
    let result = try run("source \(folder.path)")
    #expect(
      result.stderr
        == "sockshell: line 1: source: \(folder.path) is a directory, not a regular file; "
        + "source runs script files only\n")
  }

  @Test func aFileOverSixteenMebibytesIsRefused() throws {
    let folder = try Folder()
    let big = folder.path + "/big.ss"
    let fd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    // Sparse: 16 MiB and one byte of nothing, on no disk.
    #expect(ftruncate(fd, (16 << 20) + 1) == 0)
    close(fd)
    let result = try run("source \(big)")
    #expect(
      result.stderr
        == "sockshell: line 1: source: \(big) has 16777217 bytes; source reads files of at most 16 MiB\n")
  }

  @Test func aScriptFileRunsInTheSession() throws {
    let folder = try Folder()
    let script = folder.path + "/setup.ss"
    try "$s = create inet stream\n$n = 42\n".write(toFile: script, atomically: false, encoding: .utf8)
    let result = try run("source \(script)\necho $n . \"\\n\"\nclose $s", refused: false)
    #expect(result.stderr == "")
    #expect(result.stdout.contains("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"))
    #expect(result.stdout.contains("42\nclose(3) = 0\n"), "\(result.stdout)")
  }
}
