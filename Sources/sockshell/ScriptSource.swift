import Glibc
import SockShellKit

/// Lines of a script: from a string, a file, or a stream read as it arrives (so a script piped
/// in from another program runs line by line).
///
/// A script file is read a chunk at a time, and sockshell holds no descriptor for it while the
/// script's calls run: each chunk is read by opening the file, `pread` at the offset reached and
/// closing it again, so the learner's first socket gets fd 3 as in every example. Reading it
/// whole would cost as much memory as the file is long (a generated script of a million lines is
/// 20 MB); keeping it open would shift every fd the learner sees. A script shorter than a chunk,
/// as lessons and hand-written scripts are, is read whole before its first line runs.
struct ScriptSource {
  /// Bytes read at a time from a script file.
  static let chunkSize = 1 << 18
  /// The longest line a script may have: room for the longest string a script can build, written
  /// out as a literal. Past it (`sockshell < /dev/zero`) the script stops instead of growing.
  static let maximumLineLength = Value.maximumStringLength + (1 << 20)
  /// The most read at once from a pipe or a device given as the script's path.
  static let maximumWholeRead = 4 * maximumLineLength

  private var fd: Int32 = -1
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd = false
  /// The script file read by chunks: its path, what identifies it and how far it has been read.
  private var file: (path: String, device: UInt64, inode: UInt64, offset: Int)?
  /// Why the script stopped before its end, when it did: its file was replaced or cannot be read.
  private(set) var failure: String?
  /// Whether the line nextLine gave last ended with a newline (the last line of a file may not).
  private(set) var lastLineEndedWithNewline = false

  init(text: String) {
    buffer = Array(text.utf8)
    atEnd = true
  }

  init(fd: Int32) { self.fd = fd }

  init?(path: String) {
    let opened = open(path, O_RDONLY | O_CLOEXEC)
    guard opened >= 0 else { return nil }
    var info = stat()
    guard fstat(opened, &info) == 0 else {
      let error = errno
      Glibc.close(opened)
      errno = error
      return nil
    }
    switch info.st_mode & S_IFMT {
    case S_IFDIR:
      Glibc.close(opened)
      errno = EISDIR
      return nil
    case S_IFREG:
      file = (path, UInt64(info.st_dev), UInt64(info.st_ino), 0)
      readChunk(from: opened)
      Glibc.close(opened)
    default:
      // A pipe or a device (`sockshell <(generate)`) cannot be opened again at an offset: it is
      // read whole and closed before the first line runs.
      fd = opened
      while !atEnd {
        fill()
        if buffer.count > ScriptSource.maximumWholeRead {
          Glibc.close(opened)
          fd = -1
          stop("\(path) gives more than \(ScriptSource.maximumWholeRead >> 20) MiB; a script read from a pipe or a device may not")
        }
      }
    }
  }

  /// The next line without its newline, or nil at the end.
  mutating func nextLine() -> ArraySlice<UInt8>? {
    while true {
      if let newline = newlineIndex() {
        var line = buffer[start..<newline]
        if line.last == 13 { line = line.dropLast() }
        start = newline + 1
        lastLineEndedWithNewline = true
        return line
      }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = buffer[start...]
        start = buffer.count
        lastLineEndedWithNewline = false
        return line
      }
      guard buffer.count - start <= ScriptSource.maximumLineLength else {
        stop("a line is longer than \(ScriptSource.maximumLineLength >> 20) MiB; stopping")
        return nil
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

  /// Reads more onto the end of the buffer: the next chunk of the script file, or what a stream
  /// has (up to 64 KiB).
  private mutating func fill() {
    guard let file else {
      let stream = fd
      let count = append(upTo: 1 << 16) { read(stream, $0, $1) }
      if count <= 0 {
        atEnd = true
        if fd > 2 { Glibc.close(fd) }
        fd = -1
      }
      return
    }
    let opened = open(file.path, O_RDONLY | O_CLOEXEC)
    guard opened >= 0 else { return stop("cannot read \(file.path) any more: \(ScriptSource.errnoText)") }
    defer { Glibc.close(opened) }
    var info = stat()
    guard fstat(opened, &info) == 0, UInt64(info.st_dev) == file.device, UInt64(info.st_ino) == file.inode
    else {
      // An editor that saves by writing a new file and renaming it: the rest of the old script
      // is gone, and lines of the new one would start at an arbitrary offset.
      return stop("\(file.path) was replaced while it ran; stopping")
    }
    readChunk(from: opened)
  }

  /// Reads the script file's next chunk from an open descriptor of it.
  private mutating func readChunk(from opened: Int32) {
    guard let offset = file?.offset else { return }
    let count = append(upTo: ScriptSource.chunkSize) { pread(opened, $0, $1, off_t(offset)) }
    if count < 0 { return stop("cannot read \(file?.path ?? ""): \(ScriptSource.errnoText)") }
    file?.offset = offset + count
    // A regular file gives less than was asked only at its end.
    if count < ScriptSource.chunkSize { atEnd = true }
  }

  /// Calls `read` with a temporary buffer of `limit` bytes, retrying when a signal interrupts
  /// it, and appends what it read; returns its count, or -1.
  private mutating func append(upTo limit: Int, _ read: (UnsafeMutableRawPointer?, Int) -> Int) -> Int {
    withUnsafeTemporaryAllocation(byteCount: limit, alignment: 1) { raw -> Int in
      var n: Int
      repeat { n = read(raw.baseAddress, limit) } while n < 0 && errno == EINTR
      if n > 0 { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<n])) }
      return n
    }
  }

  private static var errnoText: String { String(cString: strerror(errno)) }

  /// Ends the script early. What is left in the buffer is the start of a line whose end was
  /// never read (more is read only when no whole line is left), and half a statement must not run.
  private mutating func stop(_ reason: String) {
    failure = reason
    atEnd = true
    buffer.removeAll()
    start = 0
  }
}
