import Glibc

/// Lines of a script: from a string, a file, or a stream read as it arrives (so a script piped
/// in from another program runs line by line).
struct ScriptSource {
  private var fd: Int32 = -1
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd = false

  init(text: String) {
    buffer = Array(text.utf8)
    atEnd = true
  }

  init(fd: Int32) { self.fd = fd }

  init?(path: String) {
    let opened = open(path, O_RDONLY | O_CLOEXEC)
    guard opened >= 0 else { return nil }
    var info = stat()
    if fstat(opened, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      Glibc.close(opened)
      errno = EISDIR
      return nil
    }
    // Read it whole and close it, so the learner's first socket gets fd 3 as in every example.
    fd = opened
    while !atEnd { fill() }
  }

  /// The next line without its newline, or nil at the end.
  mutating func nextLine() -> ArraySlice<UInt8>? {
    while true {
      if let newline = buffer[start...].firstIndex(of: 10) {
        var line = buffer[start..<newline]
        if line.last == 13 { line = line.dropLast() }
        start = newline + 1
        return line
      }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = buffer[start...]
        start = buffer.count
        return line
      }
      compact()
      fill()
    }
  }

  /// Drops the lines already returned before reading more.
  private mutating func compact() {
    if start > 0 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
  }

  private mutating func fill() {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    let count = chunk.withUnsafeMutableBytes { raw -> Int in
      while true {
        let n = read(fd, raw.baseAddress, raw.count)
        if n < 0 && errno == EINTR { continue }
        return n
      }
    }
    if count <= 0 {
      atEnd = true
      if fd > 2 { Glibc.close(fd) }
      fd = -1
      return
    }
    buffer += chunk[0..<count]
  }
}
