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
    buffer.reserveCapacity(Int(info.st_size) + 1)
    while !atEnd { fill() }
  }

  /// The next line without its newline, or nil at the end.
  mutating func nextLine() -> ArraySlice<UInt8>? {
    while true {
      if let newline = newlineIndex() {
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

  /// Where the next newline is, found with memchr: the generic search goes a byte at a time.
  private func newlineIndex() -> Int? {
    buffer.withUnsafeBytes { raw -> Int? in
      guard start < raw.count, let base = raw.baseAddress,
        let found = memchr(base + start, 10, raw.count - start)
      else { return nil }
      return base.distance(to: UnsafeRawPointer(found))
    }
  }

  /// Drops the lines already returned before reading more.
  private mutating func compact() {
    if start > 0 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
  }

  /// Reads what is there (up to 64 KiB) onto the end of the buffer.
  private mutating func fill() {
    let chunk = 1 << 16
    let count = withUnsafeTemporaryAllocation(byteCount: chunk, alignment: 1) { raw -> Int in
      var n: Int
      repeat { n = read(fd, raw.baseAddress, chunk) } while n < 0 && errno == EINTR
      if n > 0 { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<n])) }
      return n
    }
    if count <= 0 {
      atEnd = true
      if fd > 2 { Glibc.close(fd) }
      fd = -1
    }
  }
}
