import Glibc

/// Where the interactive shell keeps its history, and which lines it keeps.
public enum History {
  /// `$XDG_STATE_HOME/sockshell/history`, else `~/.local/state/sockshell/history`; nil when
  /// neither variable is set (the history then lives only as long as the session).
  public static func path(environment: [String: String]) -> String? {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return state + "/sockshell/history"
    }
    if let home = environment["HOME"], !home.isEmpty {
      return home + "/.local/state/sockshell/history"
    }
    return nil
  }

  /// The line as stored: without the trailing blanks Tab completion leaves (nor a carriage
  /// return, which in the file marks a line that goes on).
  public static func entry(_ line: String) -> String {
    var line = Substring(line)
    while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
    return String(line)
  }

  /// Blank lines and a repeat of the line before are not stored.
  public static func shouldStore(_ line: String, after previous: String?) -> Bool {
    let entry = entry(line)
    return !entry.allSatisfy { $0 == " " || $0 == "\t" } && entry != previous
  }

  /// How many entries the file keeps.
  public static let limit = 2000
}

/// The history file, opened by sockshell itself. readline's own functions open it by path: they
/// follow a symlink planted there (its target was truncated and given the history's mode) and
/// leave a file readable by others as it is. Here every open refuses a symlink (O_NOFOLLOW)
/// and anything but a regular file of this user's, and the file is made private (0600). No
/// descriptor stays open between lines: each append opens, checks, writes and closes.
///
/// An entry is a line, or a statement typed over several lines, whose newlines the file holds
/// as CR LF: read back, it is the same block (no entry ends with CR, History.entry drops it).
public struct HistoryFile: Sendable {
  public let path: String

  /// Why the session goes on without a history file; `message` says so in a sentence.
  public struct Refusal: Error, Equatable, Sendable {
    public let message: String
  }

  /// The most of the file's end that is read at start: the lines kept fit many times over.
  static let readLimit = 1 << 20

  /// Opens the file (making it, and its folders, if missing), makes it private and returns its
  /// last `History.limit` lines; a file holding more is cut to those.
  public static func open(_ path: String) -> Result<(file: HistoryFile, lines: [String]), Refusal> {
    makeFolders(for: path)
    let file = HistoryFile(path: path)
    let fd: Int32
    switch file.openChecked(O_RDWR | O_CREAT) {
    case .success(let opened): fd = opened
    case .failure(let refusal): return .failure(refusal)
    }
    defer { close(fd) }
    var bytes = readEnd(fd)
    var cut = bytes.count < fileSize(fd)
    if cut {
      // Reading started mid-line, maybe mid-entry: that part entry is not history.
      while let newline = bytes.firstIndex(of: 10) {
        let endsEntry = newline == 0 || bytes[newline - 1] != 13
        bytes.removeSubrange(...newline)
        if endsEntry { break }
      }
    }
    var lines = entries(in: bytes)
    if lines.count > History.limit {
      lines.removeFirst(lines.count - History.limit)
      cut = true
    }
    if cut {
      // Rewritten in place, through the descriptor already checked.
      let kept = lines.flatMap(fileLine)
      if ftruncate(fd, 0) != 0 || !writeAll(fd, kept) {
        return .failure(file.refusal("cannot be written: \(Errno.current.message)"))
      }
    }
    return .success((file, lines))
  }

  /// Adds a line at the end of the file; a refusal means the session has no history file from now on.
  public func append(_ line: String) -> Refusal? {
    let fd: Int32
    switch openChecked(O_WRONLY | O_APPEND) {
    case .success(let opened): fd = opened
    case .failure(let refusal): return refusal
    }
    defer { close(fd) }
    guard HistoryFile.writeAll(fd, HistoryFile.fileLine(line)) else {
      return refusal("cannot be written: \(Errno.current.message)")
    }
    return nil
  }

  /// An entry as the file holds it: its newlines as CR LF, and a newline after it.
  static func fileLine(_ entry: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for byte in entry.utf8 {
      if byte == 10 { bytes.append(13) }
      bytes.append(byte)
    }
    bytes.append(10)
    return bytes
  }

  /// The entries of the file's text: a line that ends with CR goes on in the next.
  static func entries(in bytes: [UInt8]) -> [String] {
    var entries: [String] = []
    var entry: [UInt8] = []
    for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
      if line.last == 13 {
        entry += line.dropLast()
        entry.append(10)
        continue
      }
      entry += line
      if !entry.isEmpty { entries.append(String(decoding: entry, as: UTF8.self)) }
      entry = []
    }
    // An entry cut short at the end of the file (a crash mid-write) is kept as far as it goes.
    if entry.last == 10 { entry.removeLast() }
    if !entry.isEmpty { entries.append(String(decoding: entry, as: UTF8.self)) }
    return entries
  }

  /// Opens the file itself, never a symlink's target, and checks that it is a regular file of
  /// this user's (O_NONBLOCK: a FIFO planted there must not hang the open); then makes it 0600.
  private func openChecked(_ flags: Int32) -> Result<Int32, Refusal> {
    let fd = Glibc.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let error = Errno.current
      if error.number == ELOOP {
        return .failure(refusal("is a symbolic link, which sockshell does not follow"))
      }
      if error.number == EISDIR { return .failure(refusal("is a directory, not a regular file")) }
      return .failure(refusal("cannot be opened: \(error.message)"))
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let error = Errno.current
      close(fd)
      return .failure(refusal("cannot be looked at: \(error.message)"))
    }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG else {
      close(fd)
      return .failure(refusal("is \(FileSystem.describe(type)), not a regular file"))
    }
    guard info.st_uid == geteuid() else {
      close(fd)
      return .failure(refusal("belongs to another user"))
    }
    if info.st_mode & 0o777 != 0o600 && fchmod(fd, 0o600) != 0 {
      let error = Errno.current
      close(fd)
      return .failure(refusal("cannot be made private (0600): \(error.message)"))
    }
    return .success(fd)
  }

  private func refusal(_ reason: String) -> Refusal {
    Refusal(message: "the history file \(path) \(reason); this session keeps no history")
  }

  private static func fileSize(_ fd: Int32) -> Int {
    var info = stat()
    return fstat(fd, &info) == 0 ? Int(info.st_size) : 0
  }

  /// The last `readLimit` bytes of the file.
  private static func readEnd(_ fd: Int32) -> [UInt8] {
    let size = fileSize(fd)
    var offset = max(0, size - readLimit)
    var bytes = [UInt8](repeating: 0, count: size - offset)
    var count = 0
    while count < bytes.count {
      let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + count, $0.count - count, offset) }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else { break }
      count += got
      offset += got
    }
    bytes.removeSubrange(count...)
    return bytes
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return false }
      offset += written
    }
    return true
  }

  /// Makes the folders above the file, private to the user, as needed.
  private static func makeFolders(for path: String) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/").dropLast() {
      prefix += "/" + part
      mkdir(prefix, 0o700)
    }
  }
}
