import Glibc

/// An fd_set, manipulated bit by bit since glibc's FD_SET macros do not reach Swift.
struct FDSet {
  private var storage = fd_set()

  init(_ fds: [Int32]) {
    let bitsPerWord = MemoryLayout<Int>.size * 8
    withUnsafeMutableBytes(of: &storage) { raw in
      let words = raw.bindMemory(to: Int.self)
      for fd in fds { words[Int(fd) / bitsPerWord] |= 1 << (Int(fd) % bitsPerWord) }
    }
  }

  func contains(_ fd: Int32) -> Bool {
    let bitsPerWord = MemoryLayout<Int>.size * 8
    return withUnsafeBytes(of: storage) { raw in
      raw.load(fromByteOffset: (Int(fd) / bitsPerWord) * MemoryLayout<Int>.size, as: Int.self)
        & (1 << (Int(fd) % bitsPerWord)) != 0
    }
  }

  mutating func withPointer<R>(_ present: Bool, _ body: (UnsafeMutablePointer<fd_set>?) -> R) -> R {
    guard present else { return body(nil) }
    return withUnsafeMutablePointer(to: &storage) { body($0) }
  }
}
