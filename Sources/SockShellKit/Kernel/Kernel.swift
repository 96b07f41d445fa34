import Glibc

/// The one place sockshell calls libc's socket functions on the learner's sockets. Each call
/// goes through `run`, where a test's planned faults apply, and is reported to `observer` before
/// its result is returned, a call that a fault stopped short of libc included: the echo shows
/// every call made for the learner. The exception is on purpose: `inspect` (Inspection.swift)
/// looks at sockets for the `handles` table with calls that are neither echoed nor traced, and
/// that change nothing. With `reportsSuccesses` off (the echo off), only failures are reported.
public final class Kernel {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
  /// Receives every call this kernel makes, in order.
  @exclusivity(unchecked) public var observer: (consuming SyscallRecord) -> Void

  /// Faults a test plans: counted failures and short transfers (FaultPlan.swift).
  public var faults = FaultPlan() { didSet { updateWatching() } }

  /// The calls made, in order, while this is not nil (`kernel.trace = []` starts it), so a test
  /// can see which calls reached libc and which a fault stopped. Off by default: the shell keeps
  /// no such list.
  public var trace: [TracedCall]? { didSet { updateWatching() } }

  /// False while nothing looks at a call that succeeded (the echo is off, `-q`): such a call is
  /// not reported, so a program's loop builds no record of it. A failure is always reported.
  @exclusivity(unchecked) public var reportsSuccesses = true

  /// True while a fault is planned or the trace is on. With neither, checking this is all a
  /// call pays for the seam: the script path makes every call through it.
  @exclusivity(unchecked) private var watchesCalls = false

  /// Runs before each call reaches libc, while set: `--wire` reads the segments that came since
  /// the last call, so they show above this one's echo.
  public var beforeCall: (() -> Void)? { didSet { updateWatching() } }

  private func updateWatching() { watchesCalls = !faults.isEmpty || trace != nil || beforeCall != nil }

  public init(observer: @escaping (consuming SyscallRecord) -> Void = { _ in }) {
    self.observer = observer
    // A write to a peer that has gone must come back as EPIPE, not kill the shell.
    signal(SIGPIPE, SIG_IGN)
  }

  /// Runs `call`, turning -1 into the errno that came with it. A planned failure stands in for
  /// the call without reaching libc; the caller reports both alike, as a real failure.
  @inline(__always)
  func run(_ name: String, _ call: () -> Int) -> Result<Int, Errno> {
    guard watchesCalls else { return Kernel.result(call()) }
    let fault = plannedFault(name)
    let result: Result<Int, Errno>
    switch fault {
    case .fail(let errno)?: result = .failure(errno)
    case .shorten?: preconditionFailure("\(name) has no byte count to shorten")
    case nil: result = Kernel.result(call())
    }
    traceCall(name, result, fault)
    return result
  }

  /// Runs a call that moves up to `length` bytes; `call` gets the length to hand libc, which a
  /// planned short transfer clips. The caller still reports the length the learner asked for.
  @inline(__always)
  func run(_ name: String, length: Int, _ call: (_ length: Int) -> Int) -> Result<Int, Errno> {
    guard watchesCalls else { return Kernel.result(call(length)) }
    let fault = plannedFault(name)
    let result: Result<Int, Errno>
    switch fault {
    case .fail(let errno)?: result = .failure(errno)
    case .shorten(let count)?: result = Kernel.result(call(min(length, count)))
    case nil: result = Kernel.result(call(length))
    }
    traceCall(name, result, fault)
    return result
  }

  // Out of line and without the call's closure, so the inlined `run` costs the plain path nothing
  // more than its check (handing the closure on made each write retain its bytes once more).
  @inline(never)
  private func plannedFault(_ name: String) -> FaultPlan.Fault? {
    beforeCall?()
    return faults.isEmpty ? nil : faults.take(name)
  }

  @inline(never)
  private func traceCall(_ name: String, _ result: Result<Int, Errno>, _ fault: FaultPlan.Fault?) {
    trace?.append(TracedCall(name: name, result: result, fault: fault))
  }

  /// A libc return value as a result: -1 becomes the errno it left.
  private static func result(_ returned: Int) -> Result<Int, Errno> {
    returned < 0 ? .failure(Errno.current) : .success(returned)
  }

  func report(_ name: String, _ arguments: [SyscallRecord.Argument], _ result: Result<Int, Errno>) {
    switch result {
    case .success(let value):
      guard reportsSuccesses else { return }
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
    if !reportsSuccesses, case .success = result { return }
    scratch.append(a)
    reportScratch(name, result)
  }

  func report(
    _ name: String, _ a: SyscallRecord.Argument, _ b: SyscallRecord.Argument, _ result: Result<Int, Errno>
  ) {
    if !reportsSuccesses, case .success = result { return }
    scratch.append(a)
    scratch.append(b)
    reportScratch(name, result)
  }

  func report(
    _ name: String, _ a: SyscallRecord.Argument, _ b: SyscallRecord.Argument, _ c: SyscallRecord.Argument,
    _ result: Result<Int, Errno>
  ) {
    if !reportsSuccesses, case .success = result { return }
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
    // The kernel fills the buffer: it is not zeroed first, and only what was read counts.
    var result: Result<Int, Errno> = .success(0)
    var pointer: UInt = 0
    let buffer = [UInt8](unsafeUninitializedCapacity: max(count, 1)) { raw, initialized in
      // Taken here, not in the call, so a planned failure shows the buffer as a real one does.
      pointer = UInt(bitPattern: raw.baseAddress)
      result = run("read", length: count) { length in Glibc.read(fd, raw.baseAddress, length) }
      if case .success(let got) = result { initialized = got } else { initialized = 0 }
    }
    switch result {
    case .success:
      report("read", .fd(fd), .data(buffer), .int(count), result)
      return .success(Kernel.kept(buffer, capacity: count))
    case .failure(let errno):
      report("read", .fd(fd), .pointer(pointer), .int(count), result)
      return .failure(errno)
    }
  }

  /// What a call that read into a buffer of `capacity` bytes gives back: the bytes alone when
  /// they fill less than half of it, so that a short message kept in a variable does not hold
  /// on to the whole buffer.
  static func kept(_ bytes: [UInt8], capacity: Int) -> [UInt8] {
    // Copied through a pointer: Array(bytes[...]) would hand back the same storage.
    bytes.count < capacity / 2 ? bytes.withUnsafeBufferPointer { Array($0) } : bytes
  }

  public func write(_ fd: Int32, _ bytes: [UInt8]) -> Result<Int, Errno> {
    let result = run("write", length: bytes.count) { length in
      bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, length) }
    }
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
      if reportsSuccesses {
        observer(SyscallRecord(name: "fcntl", arguments: arguments, outcome: .flags(flags, text)))
      }
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
      if reportsSuccesses {
        observer(
          SyscallRecord(
            name: "select", arguments: arguments,
            outcome: .ready(count, read: ready.read, write: ready.write, except: ready.except, left: left)))
      }
      return .success(ready)
    case .failure(let errno):
      report("select", arguments, result)
      return .failure(errno)
    }
  }
}
