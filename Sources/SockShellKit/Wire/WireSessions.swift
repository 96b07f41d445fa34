import CReadline
import Glibc

/// The `--wire` sessions of this user that another terminal can join (`sockshell --join`): one
/// empty file per session, `wire-PID`, in `$XDG_RUNTIME_DIR/sockshell` or `/tmp/sockshell-UID`,
/// made when the session's namespace is and removed when it ends.
public enum WireSessions {
  /// The file this process made, removed by `remove()` at exit.
  nonisolated(unsafe) private static var registered: String?

  /// The folder, made private to the user if it is not there; nil when it cannot be trusted
  /// (someone else's, or a symlink).
  static func folder() -> String? {
    let uid = getuid()
    var path = "/tmp/sockshell-\(uid)"
    if let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), runtime.hasPrefix("/"),
      WireSessions.isPrivateFolder(runtime, uid: uid)
    {
      path = runtime + "/sockshell"
    }
    _ = mkdir(path, 0o700)
    return WireSessions.isPrivateFolder(path, uid: uid) ? path : nil
  }

  private static func isPrivateFolder(_ path: String, uid: uid_t) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0 else { return false }
    return info.st_mode & S_IFMT == S_IFDIR && info.st_uid == uid && info.st_mode & 0o022 == 0
  }

  /// Says that this process runs a `--wire` session others may join.
  public static func register() {
    guard let folder = folder() else { return }
    let path = folder + "/wire-\(getpid())"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    close(fd)
    registered = path
  }

  /// Removes this process's file, if it made one.
  public static func remove() {
    guard let path = registered else { return }
    unlink(path)
    registered = nil
  }

  /// The live sessions, newest first; files of sessions that are gone are removed.
  public static func live() -> [Int32] {
    guard let folder = folder(), let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var found: [(pid: Int32, time: Int)] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name.hasPrefix("wire-"), let pid = Int32(name.dropFirst(5)) else { continue }
      var info = stat()
      guard stat(folder + "/" + name, &info) == 0 else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH {
        unlink(folder + "/" + name)
        continue
      }
      found.append((pid, info.st_mtim.tv_sec))
    }
    return found.sorted { $0.time != $1.time ? $0.time > $1.time : $0.pid > $1.pid }.map(\.pid)
  }

  /// Enters the user and network namespaces of process `pid` (setns), as it is single-threaded.
  public static func join(_ pid: Int32) -> Result<Void, PrivateNetwork.Refusal> {
    // The user namespace first: joining the network namespace needs the capabilities it gives.
    // Root's session made no user namespace, and one cannot join the one it is in.
    for (kind, flag) in [("user", sockshell_clone_newuser), ("net", sockshell_clone_newnet)] {
      let path = "/proc/\(pid)/ns/\(kind)"
      var theirs = stat()
      var ours = stat()
      guard stat(path, &theirs) == 0 else {
        return .failure(PrivateNetwork.Refusal(step: "opening \(path)", errno: Errno.current))
      }
      if stat("/proc/self/ns/\(kind)", &ours) == 0, ours.st_ino == theirs.st_ino, ours.st_dev == theirs.st_dev
      {
        continue
      }
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else {
        return .failure(PrivateNetwork.Refusal(step: "opening \(path)", errno: Errno.current))
      }
      defer { close(fd) }
      guard setns(fd, flag) == 0 else {
        return .failure(PrivateNetwork.Refusal(step: "setns(\(path))", errno: Errno.current))
      }
    }
    return .success(())
  }
}
