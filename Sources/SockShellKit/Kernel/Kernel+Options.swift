import Glibc

/// Socket options: getsockopt and setsockopt, through the option table.
extension Kernel {
  public func getOption(_ fd: Int32, _ option: SocketOption) -> Result<OptionValue, Errno> {
    var raw = [UInt8](repeating: 0, count: OptionValue.size(of: option.kind))
    let lengthIn = socklen_t(raw.count)
    var length = lengthIn
    let result = run("getsockopt") {
      Int(Glibc.getsockopt(fd, option.level, option.number, &raw, &length))
    }
    let head: [SyscallRecord.Argument] = [
      .fd(fd), .symbol(SocketOption.levelName(option.level)), .symbol(option.name),
    ]
    switch result {
    case .success:
      let value = OptionValue.decode(Array(raw[..<Int(length)]), as: option.kind)
      let lengths = length == lengthIn ? "[\(length)]" : "[\(lengthIn) => \(length)]"
      report("getsockopt", head + [.symbol(value.render(as: option.kind)), .symbol(lengths)], result)
      return .success(value)
    case .failure(let errno):
      let pointer = raw.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
      report("getsockopt", head + [.pointer(pointer), .symbol("[\(lengthIn)]")], result)
      return .failure(errno)
    }
  }

  public func setOption(_ fd: Int32, _ option: SocketOption, _ value: OptionValue) -> Result<Void, Errno> {
    let raw = value.bytes
    let result = run("setsockopt") {
      Int(Glibc.setsockopt(fd, option.level, option.number, raw, socklen_t(raw.count)))
    }
    report(
      "setsockopt",
      [
        .fd(fd), .symbol(SocketOption.levelName(option.level)), .symbol(option.name),
        .symbol(value.render(as: option.kind)), .int(raw.count),
      ], result)
    return result.map { _ in () }
  }
}
