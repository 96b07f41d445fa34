/// A growable run of bytes written through a raw pointer. The echo of every call is built from a
/// few dozen small pieces, and `[UInt8]` checks uniqueness and capacity, and takes a generic
/// path, for each one; here a piece is a bounds check and a copy.
public final class ByteBuffer {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
  @exclusivity(unchecked) public private(set) var base: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) public private(set) var count = 0
  @exclusivity(unchecked) private var capacity: Int

  public init(capacity: Int = 256) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  public var isEmpty: Bool { count == 0 }

  /// The bytes written so far; valid until the next write.
  public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always)
  private func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: count + extra) }
  }

  private func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.update(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  public func removeAll() { count = 0 }

  @inline(__always)
  public func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  @inline(__always)
  public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    reserve(bytes.count)
    (base + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  public func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append($0) }
  }

  @inline(__always)
  public func append(_ literal: StaticString) {
    append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
  }

  @inline(__always)
  public func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  public func append(repeating byte: UInt8, count repeats: Int) {
    guard repeats > 0 else { return }
    reserve(repeats)
    (base + count).initialize(repeating: byte, count: repeats)
    count += repeats
  }

  /// A decimal number, without going through String.
  public func appendDecimal(_ value: Int) {
    reserve(20)
    if value < 0 {
      base[count] = UInt8(ascii: "-")
      count += 1
    }
    var rest = value.magnitude
    if rest < 10 {
      base[count] = 48 + UInt8(rest)
      count += 1
      return
    }
    var digits = 0
    var probe = rest
    while probe > 0 {
      digits += 1
      probe /= 10
    }
    var at = count + digits - 1
    while rest > 0 {
      base[at] = 48 + UInt8(rest % 10)
      rest /= 10
      at -= 1
    }
    count += digits
  }
}
