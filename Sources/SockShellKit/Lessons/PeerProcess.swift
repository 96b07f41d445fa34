import CReadline
import Glibc

/// A second sockshell started by a lesson in check mode (`<!-- check: start LESSON -->`): the
/// client that a server lesson waits for. Its output goes to a pipe read when it ends. It is
/// told the checker's pid (`--parent`) and ends when the checker does, however the checker ends.
public final class PeerProcess {
  let pid: pid_t
  let name: String
  private let outputFD: Int32

  init?(arguments: [String], name: String) {
    guard let executable = FileSystem.executablePath() else { return nil }
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
    // The peer must not inherit the lesson's sockets: a listening socket held open by the
    // client would take the fd numbers its transcript expects, and keep connections alive.
    for name in FileSystem.list("/proc/self/fd") {
      guard let fd = Int32(name), fd > 2 else { continue }
      posix_spawn_file_actions_addclose(&actions, fd)
    }
    let parent = ["--parent", String(getpid())]
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments + parent).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var child: pid_t = 0
    let result = posix_spawn(&child, executable, &actions, nil, argv, environ)
    close(fds[1])
    guard result == 0 else {
      close(fds[0])
      return nil
    }
    // Keep the pipe out of the low descriptors, so the lesson's sockets get the same fd numbers
    // in check mode as when a learner plays it.
    let high = fcntl(fds[0], F_DUPFD_CLOEXEC, 200)
    if high >= 0 {
      close(fds[0])
      fds[0] = high
    }
    pid = child
    outputFD = fds[0]
    self.name = name
  }

  /// Called in the peer as it starts: the kernel sends it SIGTERM when `parent` ends, so a
  /// checker killed in the middle leaves no peer waiting in `accept`. posix_spawn cannot ask
  /// that for the child, so the child asks itself. The signal follows the thread that spawned
  /// the peer: the checker's main thread, which lives as long as the checker. False when the
  /// parent has already gone.
  public static func endWithParent(_ parent: pid_t) -> Bool {
    _ = sockshell_signal_on_parent_exit(SIGTERM)
    // The parent may have ended before the request was made; then no signal will come.
    return getppid() == parent
  }

  /// Waits for the peer, killing it after `timeout` seconds; its status and output.
  func finish(timeout: Int) -> (status: Int32, output: String) {
    var status: Int32 = 0
    var waited = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
      if waited >= timeout * 100 {
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        break
      }
      usleep(10_000)
      waited += 1
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      bytes += chunk[0..<count]
    }
    close(outputFD)
    let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, String(decoding: bytes, as: UTF8.self))
  }
}
