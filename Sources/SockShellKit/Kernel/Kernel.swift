import Glibc

/// The one place sockshell calls libc's socket functions. Every call is reported to `observer`
/// before its result is returned, so nothing reaches the kernel without being echoed.
public final class Kernel {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
  /// Receives every call this kernel makes, in order.
  @exclusivity(unchecked) public var observer: (consuming SyscallRecord) -> Void

  /// Faults a test forces: the next call of that name fails with the errno, without reaching libc.
  @exclusivity(unchecked) public var injectedFaults: [String: Errno] = [:]

  public init(observer: @escaping (consuming SyscallRecord) -> Void = { _ in }) {
    self.observer = observer
    // A write to a peer that has gone must come back as EPIPE, not kill the shell.
    signal(SIGPIPE, SIG_IGN)
  }

  private func injected(_ name: String) -> Errno? {
    guard !injectedFaults.isEmpty, let errno = injectedFaults.removeValue(forKey: name) else { return nil }
    return errno
  }

  /// Runs `call`, turning -1 into the errno that came with it.
  func run(_ name: String, _ call: () -> Int) -> Result<Int, Errno> {
    if let errno = injected(name) { return .failure(errno) }
    let result = call()
    return result < 0 ? .failure(Errno.current) : .success(result)
  }

  func report(_ name: String, _ arguments: [SyscallRecord.Argument], _ result: Result<Int, Errno>) {
    switch result {
    case .success(let value):
      observer(SyscallRecord(name: name, arguments: arguments, outcome: .value(value)))
    case .failure(let errno):
      observer(SyscallRecord(name: name, arguments: arguments, outcome: .failure(errno)))
    }
  }

  /// The arguments of the call being reported, in storage kept from call to call: the observer
  /// is done with a record when it returns, so the next call refills the same array.
  @exclusivity(unchecked) private var scratch: [SyscallRecord.Argument] = []

  private func reportScratch(_ name: String, _ result: Result<Int, Errno>) {
    report(name, scratch, result)
    scratch.clearKeepingCapacity()
  }

  func report(_ name: String, _ a: SyscallRecord.Argument, _ result: Result<Int, Errno>) {
    scratch.append(a)
    reportScratch(name, result)
  }

  func report(
    _ name: String, _ a: SyscallRecord.Argument, _ b: SyscallRecord.Argument, _ result: Result<Int, Errno>
  ) {
    scratch.append(a)
    scratch.append(b)
    reportScratch(name, result)
  }

  func report(
    _ name: String, _ a: SyscallRecord.Argument, _ b: SyscallRecord.Argument, _ c: SyscallRecord.Argument,
    _ result: Result<Int, Errno>
  ) {
    scratch.append(a)
    scratch.append(b)
    scratch.append(c)
    reportScratch(name, result)
  }

  public func socket(domain: Int32, type: Int32, protocol proto: Int32) -> Result<Int32, Errno> {
    let result = run("socket") { Int(Glibc.socket(domain, type, proto)) }
    report(
      "socket", .symbol(SocketNames.domain(domain)), .symbol(SocketNames.type(type)),
      .symbol(SocketNames.protocol(proto, domain: domain)), result)
    return result.map { Int32($0) }
  }

  public func bind(_ fd: Int32, _ address: SocketAddress) -> Result<Void, Errno> {
    let result = run("bind") { address.withSockaddr { Int(Glibc.bind(fd, $0, $1)) } }
    report("bind", .fd(fd), .address(address), .int(Int(address.length)), result)
    return result.map { _ in () }
  }

  public func listen(_ fd: Int32, backlog: Int32) -> Result<Void, Errno> {
    let result = run("listen") { Int(Glibc.listen(fd, backlog)) }
    report("listen", .fd(fd), .int(Int(backlog)), result)
    return result.map { _ in () }
  }

  public func accept(_ fd: Int32) -> Result<(fd: Int32, peer: SocketAddress?), Errno> {
    var storage = sockaddr_storage()
    let lengthIn = socklen_t(MemoryLayout<sockaddr_storage>.size)
    var length = lengthIn
    let result = run("accept") {
      withUnsafeMutableBytes(of: &storage) { raw in
        Int(Glibc.accept(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length))
      }
    }
    switch result {
    case .success(let newFD):
      let peer = withUnsafeBytes(of: &storage) { SocketAddress(storage: $0.baseAddress!, length: length) }
      report("accept", .fd(fd), .addressOut(peer, lengthIn: Int(lengthIn), lengthOut: Int(length)), result)
      return .success((Int32(newFD), peer))
    case .failure(let errno):
      let pointer = withUnsafeBytes(of: &storage) { UInt(bitPattern: $0.baseAddress) }
      report(
        "accept", [.fd(fd), .pointer(pointer), .addressOut(nil, lengthIn: Int(lengthIn), lengthOut: nil)],
        result)
      return .failure(errno)
    }
  }

  public func connect(_ fd: Int32, _ address: SocketAddress) -> Result<Void, Errno> {
    let result = run("connect") { address.withSockaddr { Int(Glibc.connect(fd, $0, $1)) } }
    report("connect", .fd(fd), .address(address), .int(Int(address.length)), result)
    return result.map { _ in () }
  }

  public func read(_ fd: Int32, count: Int) -> Result<[UInt8], Errno> {
    var buffer = [UInt8](repeating: 0, count: count)
    var pointer: UInt = 0
    let result = run("read") {
      buffer.withUnsafeMutableBytes { raw in
        pointer = UInt(bitPattern: raw.baseAddress)
        return Glibc.read(fd, raw.baseAddress, count)
      }
    }
    switch result {
    case .success(let got):
      buffer.removeSubrange(got...)
      report("read", .fd(fd), .data(buffer), .int(count), result)
      return .success(buffer)
    case .failure(let errno):
      report("read", .fd(fd), .pointer(pointer), .int(count), result)
      return .failure(errno)
    }
  }

  public func write(_ fd: Int32, _ bytes: [UInt8]) -> Result<Int, Errno> {
    let result = run("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
    report("write", .fd(fd), .data(bytes), .int(bytes.count), result)
    return result
  }

  public func close(_ fd: Int32) -> Result<Void, Errno> {
    let result = run("close") { Int(Glibc.close(fd)) }
    report("close", .fd(fd), result)
    return result.map { _ in () }
  }

  /// A TCP port on 127.0.0.1 that is free now: bound to port 0, read back, released. The lesson
  /// checker gives each lesson one, so checks can run again at once and side by side.
  public func freeLoopbackPort() -> Int? {
    guard case .success(let fd) = socket(domain: AF_INET, type: Int32(SOCK_STREAM.rawValue), protocol: 0)
    else {
      return nil
    }
    defer { _ = close(fd) }
    guard case .success = bind(fd, .inet(address: [127, 0, 0, 1], port: 0)),
      case .success(let address) = localAddress(fd), let port = address.port
    else { return nil }
    return Int(port)
  }

  public func shutdown(_ fd: Int32, how: Int32) -> Result<Void, Errno> {
    let result = run("shutdown") { Int(Glibc.shutdown(fd, how)) }
    report("shutdown", .fd(fd), .symbol(SocketNames.shutdownHow(how)), result)
    return result.map { _ in () }
  }

  /// `fcntl(fd, F_GETFL)`: the file status flags, O_NONBLOCK among them.
  public func getStatusFlags(_ fd: Int32) -> Result<Int32, Errno> {
    let result = run("fcntl") { Int(Glibc.fcntl(fd, F_GETFL)) }
    let arguments: [SyscallRecord.Argument] = [.fd(fd), .symbol("F_GETFL")]
    switch result {
    case .success(let flags):
      let text =
        "0x" + String(flags, radix: 16) + " (flags " + SocketNames.fileStatusFlags(Int32(flags)) + ")"
      observer(SyscallRecord(name: "fcntl", arguments: arguments, outcome: .flags(flags, text)))
      return .success(Int32(flags))
    case .failure(let errno):
      report("fcntl", arguments, result)
      return .failure(errno)
    }
  }

  /// `fcntl(fd, F_SETFL, flags)`.
  public func setStatusFlags(_ fd: Int32, _ flags: Int32) -> Result<Void, Errno> {
    let result = run("fcntl") { Int(Glibc.fcntl(fd, F_SETFL, flags)) }
    report("fcntl", .fd(fd), .symbol("F_SETFL"), .symbol(SocketNames.fileStatusFlags(flags)), result)
    return result.map { _ in () }
  }

  public struct SelectResult: Sendable {
    public var count: Int
    public var read: [Int32]
    public var write: [Int32]
    public var except: [Int32]
  }

  /// `select(2)`. Every fd must be below FD_SETSIZE; the caller checks, since writing one
  /// beyond it into an fd_set would corrupt memory.
  public func select(
    read: [Int32]?, write: [Int32]?, except: [Int32]?, timeout: (seconds: Int, microseconds: Int)?
  ) -> Result<SelectResult, Errno> {
    let all = (read ?? []) + (write ?? []) + (except ?? [])
    precondition(all.allSatisfy { $0 >= 0 && $0 < FD_SETSIZE }, "fd beyond FD_SETSIZE reached select")
    let nfds = Int32((all.max() ?? -1) + 1)
    var readSet = FDSet(read ?? [])
    var writeSet = FDSet(write ?? [])
    var exceptSet = FDSet(except ?? [])
    var tv = timeval(tv_sec: timeout?.seconds ?? 0, tv_usec: timeout?.microseconds ?? 0)
    let arguments: [SyscallRecord.Argument] = [
      .int(Int(nfds)), .fdSet(read), .fdSet(write), .fdSet(except),
      timeout.map { .timeval(seconds: $0.seconds, microseconds: $0.microseconds) } ?? .null,
    ]
    let result = run("select") {
      readSet.withPointer(read != nil) { r in
        writeSet.withPointer(write != nil) { w in
          exceptSet.withPointer(except != nil) { e in
            timeout == nil ? Int(Glibc.select(nfds, r, w, e, nil)) : Int(Glibc.select(nfds, r, w, e, &tv))
          }
        }
      }
    }
    switch result {
    case .success(let count):
      let ready = SelectResult(
        count: count,
        read: (read ?? []).filter { readSet.contains($0) },
        write: (write ?? []).filter { writeSet.contains($0) },
        except: (except ?? []).filter { exceptSet.contains($0) })
      let left = timeout == nil ? nil : (tv.tv_sec, tv.tv_usec)
      observer(
        SyscallRecord(
          name: "select", arguments: arguments,
          outcome: .ready(count, read: ready.read, write: ready.write, except: ready.except, left: left)))
      return .success(ready)
    case .failure(let errno):
      report("select", arguments, result)
      return .failure(errno)
    }
  }
}

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
