import Glibc

/// Socket options, read from the one option table in SocketOption.
enum Options {
  static let commands: [CommandSpec] = [getOption, setOption]

  static let optionList = SocketOption.all.map { "  \($0.name.padded(14)) \($0.summary)" }.joined(
    separator: "\n")

  static let getOption = CommandSpec(
    name: "get_option", aliases: ["socket_get_option", "getopt", "socket_getopt", "getsockopt"],
    family: .options,
    synopsis: "get_option HANDLE LEVEL OPTION",
    prototype: "int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);",
    php: "socket_get_option(Socket $socket, int $level, int $option): array|int|false",
    manPage: "getsockopt(2)",
    summary: "Read a socket option: an integer, [onoff, seconds] for SO_LINGER, seconds for timeouts.",
    notes: "LEVEL is SOL_SOCKET, SOL_TCP (IPPROTO_TCP), IPPROTO_IP or IPPROTO_IPV6. The options:\n"
      + optionList,
    effect: "unchanged (reading SO_ERROR clears the pending error)",
    errors: [
      LikelyError("ENOPROTOOPT", "the option does not exist at that level"),
      LikelyError("EOPNOTSUPP", "the socket's protocol has no such option"),
    ],
    example: "get_option $socket SOL_SOCKET SO_REUSEADDR"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(3...3)
    let handle = try call.handle(0)
    let option = try call.option(1)
    guard case .success(let value) = call.kernel.getOption(handle.fd, option) else { return .bool(false) }
    switch value {
    case .int(let number): return .int(Int(number))
    case .linger(let onoff, let seconds): return .list([.int(Int(onoff)), .int(Int(seconds))])
    case .timeval(let seconds, let micros):
      return micros == 0 ? .int(seconds) : .double(Double(seconds) + Double(micros) / 1e6)
    case .tcpInfo(let raw):
      let state = SocketOption.tcpStates[Int(raw.first ?? 0)] ?? "state \(raw.first ?? 0)"
      var text = state
      for counter in OptionValue.tcpCounters {
        text += " " + counter.name.dropFirst(5) + "=" + String(OptionValue.tcpField(raw, counter.offset))
      }
      return .string(text)
    }
  }

  static let setOption = CommandSpec(
    name: "set_option", aliases: ["socket_set_option", "setopt", "socket_setopt", "setsockopt"],
    family: .options,
    synopsis: "set_option HANDLE LEVEL OPTION VALUE",
    prototype: "int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);",
    php: "socket_set_option(Socket $socket, int $level, int $option, array|string|int $value): bool",
    manPage: "setsockopt(2)",
    summary:
      "Change a socket option: 1 or 0 for flags, [onoff, seconds] for SO_LINGER, seconds for timeouts.",
    notes: """
      SO_REUSEADDR must be set before bind to take a port out of TIME_WAIT. SO_LINGER [1, 0]
      makes close reset the connection: the peer's next read gets ECONNRESET.
      """,
    effect: "the option changes; most must be set before bind or connect to matter",
    errors: [
      LikelyError("ENOPROTOOPT", "the option does not exist at that level"),
      LikelyError("EINVAL", "a value the option does not take"),
      LikelyError("EPERM", "some options need privileges"),
    ],
    example: "set_option $socket SOL_SOCKET SO_REUSEADDR 1"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(4...4)
    let handle = try call.handle(0)
    let option = try call.option(1)
    if option.readOnly {
      throw ShellError("\(call.typedName): \(option.name) can only be read (get_option)")
    }
    let value: OptionValue
    switch option.kind {
    case .linger:
      guard case .array(let array) = call.value(3), array.count == 2, case .int(let onoff)? = array[.int(0)],
        case .int(let seconds)? = array[.int(1)]
      else { throw call.usage("SO_LINGER takes [onoff, seconds], such as [1, 0]") }
      value = .linger(onoff: Int32(clamping: onoff), seconds: Int32(clamping: seconds))
    case .timeval:
      let seconds: Double
      switch call.value(3) {
      case .int(let whole): seconds = Double(whole)
      case .double(let fraction): seconds = fraction
      case .array(let array) where array.count == 2:
        guard case .int(let whole)? = array[.int(0)], case .int(let micros)? = array[.int(1)] else { fallthrough }
        seconds = Double(whole) + Double(micros) / 1e6
      default: throw call.usage("\(option.name) takes seconds, such as 2 or 0.5")
      }
      guard seconds >= 0, seconds < 1e9 else {
        throw call.usage("the timeout must be between 0 and 1e9 seconds")
      }
      let whole = Int(seconds)
      value = .timeval(seconds: whole, microseconds: Int(((seconds - Double(whole)) * 1e6).rounded()))
    default:
      value = .int(Int32(clamping: try call.int(3, "the value")))
    }
    guard case .success = call.kernel.setOption(handle.fd, option, value) else { return .bool(false) }
    return .bool(true)
  }
}

extension Invocation {
  /// LEVEL at `position` and OPTION after it: constants, or names as words. The option must
  /// be in the table and belong to the level.
  func option(_ position: Int) throws(ShellError) -> SocketOption {
    let level: Int32
    switch value(position) {
    case .int(let number): level = Int32(clamping: number)
    case .bytes(let bytes):
      let name = String(decoding: bytes, as: UTF8.self).uppercased()
      switch name {
      case "SOL_SOCKET", "SOCKET": level = SOL_SOCKET
      case "SOL_TCP", "IPPROTO_TCP", "TCP": level = Int32(IPPROTO_TCP)
      case "SOL_IP", "IPPROTO_IP", "IP": level = Int32(IPPROTO_IP)
      case "SOL_IPV6", "IPPROTO_IPV6", "IPV6": level = Int32(IPPROTO_IPV6)
      default: throw usage("unknown level '\(name)' (use SOL_SOCKET, SOL_TCP, IPPROTO_IP or IPPROTO_IPV6)")
      }
    case let other: throw usage("LEVEL must be SOL_SOCKET, SOL_TCP, ... not \(other.kindName)")
    }
    let option: SocketOption?
    let shown: String
    switch value(position + 1) {
    case .int where arguments[position + 1].constant.flatMap(SocketOption.named) != nil:
      shown = arguments[position + 1].constant!
      option = SocketOption.named(shown)
    case .int(let number):
      option = SocketOption.find(level: level, number: Int32(clamping: number))
      shown = String(number)
    case .bytes(let bytes):
      shown = String(decoding: bytes, as: UTF8.self)
      option = SocketOption.named(shown)
    case let other: throw usage("OPTION must be an option name such as SO_REUSEADDR, not \(other.kindName)")
    }
    guard let option else {
      let names = SocketOption.all.map(\.name)
      let close = EditDistance.closest(to: shown, in: names)
      throw ShellError(
        "\(typedName): unknown option \(shown) at level \(SocketOption.levelName(level))"
          + (close.isEmpty ? " (`help get_option` lists the options)" : Interpreter.didYouMean(close)))
    }
    guard option.level == level else {
      throw ShellError(
        "\(typedName): \(option.name) belongs to level \(SocketOption.levelName(option.level)), not \(SocketOption.levelName(level))"
      )
    }
    return option
  }
}

extension String {
  fileprivate func padded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
