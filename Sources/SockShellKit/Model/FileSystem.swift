import Glibc

/// The few file operations sockshell needs (`source`, `unlink`, the lesson library), on libc:
/// the library stays free of Foundation.
enum FileSystem {
  static func read(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Why `readScript` read nothing.
  enum ScriptFailure: Error, Equatable {
    /// A FIFO, a device, a directory: read for ever or not at all. The text says which.
    case notRegular(String)
    /// The size found, over the limit.
    case tooLarge(Int)
    /// Ctrl-C or the watchdog's alarm came during a read.
    case interrupted
    case failed(Errno)
  }

  /// A script file for `source`: a regular file of at most `limit` bytes. It is opened
  /// non-blocking (a FIFO with no writer would hang the open) and checked with fstat before a
  /// byte is read: /dev/zero would grow without end and a FIFO could wait for ever. A read a
  /// signal interrupts stops, so Ctrl-C and the watchdog still work on a slow file system.
  static func readScript(_ path: String, limit: Int) -> Result<[UInt8], ScriptFailure> {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return .failure(.failed(Errno.current)) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(.failed(Errno.current)) }
    let type = info.st_mode & S_IFMT
    guard type == S_IFREG else { return .failure(.notRegular(describe(type))) }
    guard info.st_size <= limit else { return .failure(.tooLarge(Int(info.st_size))) }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var count = 0
    while true {
      // The file may have grown since fstat: room for one byte more shows it passed the limit.
      if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(65536, limit + 1 - count)) }
      let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
      if got < 0 {
        return .failure(errno == EINTR ? .interrupted : .failed(Errno.current))
      }
      if got == 0 { break }
      count += got
      if count > limit { return .failure(.tooLarge(count)) }
    }
    bytes.removeSubrange(count...)
    return .success(bytes)
  }

  /// The type of the file at `path` itself (lstat: a symlink is not followed), as S_IFMT bits;
  /// nil when there is none, or it cannot be looked at.
  static func linkType(_ path: [UInt8]) -> mode_t? {
    var info = stat()
    let found = (path + [0]).withUnsafeBufferPointer {
      $0.withMemoryRebound(to: CChar.self) { lstat($0.baseAddress!, &info) }
    }
    return found == 0 ? info.st_mode & S_IFMT : nil
  }

  /// "a regular file", "a FIFO", ...: a file type (S_IFMT bits) in words.
  static func describe(_ type: mode_t) -> String {
    switch type {
    case S_IFREG: "a regular file"
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket file"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
  }

  /// Writes through a temporary file and a rename, so a failed write leaves the lesson whole.
  static func write(_ text: String, to path: String) -> Bool {
    let temporary = path + ".update-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return false }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else {
        close(fd)
        unlink(temporary)
        return false
      }
      offset += written
    }
    close(fd)
    return rename(temporary, path) == 0
  }

  static func list(_ directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  static func isFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  static func executablePath() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  static func basename(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }
}
