import Foundation
import Glibc

// The pty calls are declared by glibc only under _XOPEN_SOURCE/_GNU_SOURCE.
@_silgen_name("posix_openpt") private func xopenPosixOpenpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func xopenGrantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func xopenUnlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname_r") private func gnuPtsname(
  _ fd: Int32, _ buffer: UnsafeMutablePointer<CChar>, _ size: Int
)
  -> Int32

/// sockshell on a real pseudo-terminal, driven as a learner would: keys in, the screen's bytes
/// out. The child leads a session of its own whose controlling terminal is the pty, so Ctrl-C
/// typed into it becomes SIGINT as it does at a real terminal.
final class PseudoTerminal {
  let pid: pid_t
  private let master: Int32
  /// Everything the terminal has shown so far, escape sequences included.
  private(set) var screen: [UInt8] = []
  private var exitStatus: Int32?

  init(_ executable: String, _ arguments: [String] = [], environment: [String: String], columns: UInt16 = 200) throws {
    master = xopenPosixOpenpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
    guard master >= 0, xopenGrantpt(master) == 0, xopenUnlockpt(master) == 0 else {
      throw TerminalError.openpt(errno)
    }
    var name = [CChar](repeating: 0, count: 128)
    guard gnuPtsname(master, &name, name.count) == 0 else { throw TerminalError.openpt(errno) }
    var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)

    let spawned = spawnClean(executable, arguments, environment: environment, newSession: true) {
      (actions: inout posix_spawn_file_actions_t) in
      // Opened after setsid without O_NOCTTY: the pty becomes the controlling terminal.
      posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
      posix_spawn_file_actions_adddup2(&actions, 0, 1)
      posix_spawn_file_actions_adddup2(&actions, 0, 2)
    }
    guard spawned.error == 0 else {
      close(master)
      throw TerminalError.spawn(spawned.error)
    }
    pid = spawned.pid
  }

  enum TerminalError: Error { case openpt(Int32), spawn(Int32) }

  deinit {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    close(master)
  }

  var text: String { String(decoding: screen, as: UTF8.self) }

  /// Types bytes, then gives the shell a moment to take them in: a Ctrl-C makes the terminal
  /// throw away input that was not read yet, as it would for a person typing ahead.
  func type(_ keys: String, settle: Double = 0.15) {
    _ = Array(keys.utf8).withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    pump(for: settle)
  }

  /// Reads until `needle` has appeared `count` times (from the start), or the timeout passes.
  @discardableResult
  func waitFor(_ needle: String, count: Int = 1, timeout: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while occurrences(of: needle) < count {
      let left = deadline.timeIntervalSinceNow
      if left <= 0 || !readSome(timeout: left) { return occurrences(of: needle) >= count }
    }
    return true
  }

  func occurrences(of needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

  /// Waits for the shell to exit (reading what it still prints): its status, or 128 + the
  /// signal that killed it; nil on timeout.
  func waitForExit(timeout: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      _ = readSome(timeout: 0.05)
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        while readSome(timeout: 0.05) {}
        exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return exitStatus
      }
    }
    return nil
  }

  private func pump(for seconds: Double) {
    let deadline = Date().addingTimeInterval(seconds)
    while deadline.timeIntervalSinceNow > 0 { _ = readSome(timeout: deadline.timeIntervalSinceNow) }
  }

  /// One read with a timeout; false when nothing came (or the child has gone).
  private func readSome(timeout: Double) -> Bool {
    var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&poller, 1, Int32(max(0, timeout * 1000))) > 0 else { return false }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = read(master, &buffer, buffer.count)
    guard count > 0 else { return false }
    screen += buffer[..<count]
    return true
  }
}
