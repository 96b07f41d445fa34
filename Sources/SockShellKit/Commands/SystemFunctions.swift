import Glibc

/// PHP's functions for names, time and settings that socket programs call around their
/// sockets: gethostbyname and getservbyname before a connect, date and microtime in a log
/// line, error_reporting and ob_implicit_flush at the top of a server. None of them touches a
/// socket, so nothing is echoed: a bare call shows its value as `=> …`.
enum SystemFunctions {
  static let commands: [CommandSpec] = [
    gethostbyname, getservbyname, getservbyport, getprotobyname, getprotobynumber,
    time, microtime, hrtime, date,
    errorReporting, iniSet, iniGet, obImplicitFlush,
  ]

  // MARK: - Names

  /// The longest host name PHP looks up (MAXFQDNLEN): it refuses longer ones with a warning.
  static let longestHostName = 255

  static let gethostbyname = CommandSpec(
    name: "gethostbyname", family: .system, synopsis: "gethostbyname(NAME)",
    php: "gethostbyname(string $hostname): string",
    summary: "The IPv4 address of a host name, from /etc/hosts only; the name itself when not found.",
    notes: """
      PHP asks the system's resolver, which may send a DNS query; sockshell reads /etc/hosts
      and nothing else, so no query leaves the machine. The first IPv4 line naming the host
      wins (names compare case-insensitively, IPv6 lines are skipped); `localhost` is 127.0.0.1
      even where /etc/hosts forgets it. A name of digits and dots is an address, read as
      inet_aton reads it: 127.1 is 127.0.0.1. A name not found comes back unchanged, as PHP
      returns it when the lookup fails: test the result against the name.
      """,
    example: #"$address = gethostbyname("localhost")"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let name = try call.nameArgument(0, "the host name")
    guard name.count <= longestHostName else {
      call.interpreter.notice(
        "warning: gethostbyname(): Host name cannot be longer than \(longestHostName) characters")
      return .bytes(name)
    }
    if let address = NameDatabase.numericIPv4(name) { return .string(NameDatabase.dottedQuad(address)) }
    let hosts = database(call, call.interpreter.nameFiles.hosts)
    if let address = NameDatabase.hostAddress(of: name, inHosts: hosts) { return .string(address) }
    // RFC 6761: localhost is the loopback address whatever the files say.
    if equalIgnoringCase(name, "localhost") { return .string("127.0.0.1") }
    return .bytes(name)
  }

  static let getservbyname = CommandSpec(
    name: "getservbyname", family: .system, synopsis: "getservbyname(SERVICE, PROTOCOL)",
    php: "getservbyname(string $service, string $protocol): int|false",
    summary: "The port of a service (`http`, `ssh`) over `tcp` or `udp`, from /etc/services.",
    notes: """
      Read from /etc/services itself, never through NSS (which may ask a server). The name or
      one of its aliases must match exactly, as must the protocol: `HTTP` is not `http`.
      false when no line matches.
      """,
    example: #"$port = getservbyname("http", "tcp")"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let service = try call.nameArgument(0, "the service")
    let protocolName = try call.nameArgument(1, "the protocol")
    let text = database(call, call.interpreter.nameFiles.services)
    return NameDatabase.servicePort(service, protocol: protocolName, inServices: text).map(Value.int)
      ?? .bool(false)
  }

  static let getservbyport = CommandSpec(
    name: "getservbyport", family: .system, synopsis: "getservbyport(PORT, PROTOCOL)",
    php: "getservbyport(int $port, string $protocol): string|false",
    summary: "The name of the service on a port over `tcp` or `udp`, from /etc/services.",
    notes: """
      The port is cut to 16 bits as PHP's C cast cuts it: 65616 is port 80. false when no
      line of /etc/services has that port and protocol.
      """,
    example: #"getservbyport(22, "tcp")"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let port = UInt16(truncatingIfNeeded: try call.int(0, "the port"))
    let protocolName = try call.nameArgument(1, "the protocol")
    let text = database(call, call.interpreter.nameFiles.services)
    return NameDatabase.serviceName(port: port, protocol: protocolName, inServices: text).map(Value.bytes)
      ?? .bool(false)
  }

  static let getprotobyname = CommandSpec(
    name: "getprotobyname", family: .system, synopsis: "getprotobyname(NAME)",
    php: "getprotobyname(string $protocol): int|false",
    summary: "The number of a protocol (`tcp` is 6), from /etc/protocols.",
    notes: """
      The number socket_create takes as its third argument. Names and aliases match exactly
      (`tcp` and its alias `TCP`, not `Tcp`); false when none does.
      """,
    example: #"$s = create AF_INET SOCK_STREAM getprotobyname("tcp")"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let name = try call.nameArgument(0, "the protocol name")
    let text = database(call, call.interpreter.nameFiles.protocols)
    return NameDatabase.protocolNumber(name, inProtocols: text).map(Value.int) ?? .bool(false)
  }

  static let getprotobynumber = CommandSpec(
    name: "getprotobynumber", family: .system, synopsis: "getprotobynumber(NUMBER)",
    php: "getprotobynumber(int $protocol): string|false",
    summary: "The name of a protocol number (6 is `tcp`), from /etc/protocols.",
    notes: "The number is cut to a C int, as PHP's cast cuts it. false when no line has it."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let number = Int32(truncatingIfNeeded: try call.int(0, "the protocol number"))
    let text = database(call, call.interpreter.nameFiles.protocols)
    return NameDatabase.protocolName(number, inProtocols: text).map(Value.bytes) ?? .bool(false)
  }

  /// A name database's text; empty, after a word to the learner, when the file cannot be read.
  private static func database(_ call: Invocation, _ path: String) -> [UInt8] {
    switch NameDatabase.read(path) {
    case .success(let bytes):
      return bytes
    case .failure(.missing):
      call.interpreter.hint(
        "\(path) does not exist, so \(call.typedName) finds nothing (Debian's netbase package provides it)")
    case .failure(.unreadable(let reason)):
      call.interpreter.notice("warning: \(path) \(reason); \(call.typedName) found nothing in it")
    }
    return []
  }

  private static func equalIgnoringCase(_ bytes: [UInt8], _ word: String) -> Bool {
    bytes.count == word.utf8.count
      && zip(bytes, word.utf8).allSatisfy { ((65...90).contains($0) ? $0 + 32 : $0) == $1 }
  }

  // MARK: - Time

  static let time = CommandSpec(
    name: "time", family: .system, synopsis: "time()", php: "time(): int",
    summary: "The current Unix timestamp: seconds since 1970-01-01 00:00:00 UTC."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...0)
    return .int(clock(CLOCK_REALTIME).seconds)
  }

  static let microtime = CommandSpec(
    name: "microtime", family: .system, synopsis: "microtime([AS_FLOAT])",
    php: "microtime(bool $as_float = false): string|float",
    summary: "The current time with microseconds: \"0.12345600 1700000000\", or a float when AS_FLOAT.",
    notes: """
      The string form is PHP's: the fraction of the second, then the whole seconds. The float
      form is the easy one to subtract: `$start = microtime(true)`.
      """
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    let asFloat = try call.flag(0, "AS_FLOAT")
    let now = clock(CLOCK_REALTIME)
    let micros = now.nanoseconds / 1000
    if asFloat { return .double(Double(now.seconds) + Double(micros) / 1e6) }
    return .string("0.\(DateFormat.pad(micros, 6))00 \(now.seconds)")
  }

  static let hrtime = CommandSpec(
    name: "hrtime", family: .system, synopsis: "hrtime([AS_NUMBER])",
    php: "hrtime(bool $as_number = false): array|int|float|false",
    summary: "A monotonic clock: [seconds, nanoseconds], or nanoseconds as one number when AS_NUMBER.",
    notes: """
      CLOCK_MONOTONIC, as PHP reads it: it never goes back when the wall clock is set, so the
      difference of two readings is the time between them. Its zero is arbitrary (boot).
      """
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    let asNumber = try call.flag(0, "AS_NUMBER")
    let now = clock(CLOCK_MONOTONIC)
    guard asNumber else { return .list([.int(now.seconds), .int(now.nanoseconds)]) }
    let (scaled, overflowA) = now.seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (total, overflowB) = scaled.addingReportingOverflow(now.nanoseconds)
    return .int(overflowA || overflowB ? Int.max : total)
  }

  static let date = CommandSpec(
    name: "date", family: .system, synopsis: "date(FORMAT [, TIMESTAMP])",
    php: "date(string $format, ?int $timestamp = null): string",
    summary: "A timestamp (now by default) written by a format: date(\"Y-m-d H:i:s\").",
    notes: """
      Always UTC, PHP's timezone when none is configured. The format characters are PHP's:
      day d D j l N S w z, week W, month F m M n t, year L o X x Y y, time a A B g G h H i s
      u v, timezone e I O P p T Z, full c r U; `\\` writes the next character as it is and
      any other character stands for itself. Every timestamp has a date, years before 1 and
      after 9999 included; a result longer than 16 MiB is refused.
      """,
    example: #"echo date("D, d M Y H:i:s"), "\n""#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...2)
    let format = try call.bytes(0, "the format")
    let timestamp = call.has(1) ? try call.int(1, "the timestamp") : clock(CLOCK_REALTIME).seconds
    guard let text = DateFormat.format(format, timestamp: timestamp, limit: Value.maximumStringLength) else {
      throw ShellError("\(call.typedName): the result would exceed \(Value.maximumStringLength) bytes")
    }
    return .bytes(text)
  }

  private static func clock(_ id: clockid_t) -> (seconds: Int, nanoseconds: Int) {
    var now = timespec()
    clock_gettime(id, &now)
    return (Int(now.tv_sec), Int(now.tv_nsec))
  }

  // MARK: - Settings

  static let errorReporting = CommandSpec(
    name: "error_reporting", family: .system, synopsis: "error_reporting([LEVEL])",
    php: "error_reporting(?int $error_level = null): int",
    summary: "Set which PHP errors are reported; returns the level before (E_ALL, 32767, at first).",
    notes: """
      Kept for the session: a second call returns what the first set, and ini_get
      ("error_reporting") shows it. Without LEVEL it only reads. PHP keeps the level in a C
      int, so a level beyond 32 bits wraps as it does there.
      """,
    example: "error_reporting(E_ALL)"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    guard call.has(0) else { return .int(Int(call.interpreter.phpSettings.errorLevel)) }
    let level = try call.int(0, "the level")
    return .int(Int(call.interpreter.phpSettings.setErrorLevel(level)))
  }

  static let iniSet = CommandSpec(
    name: "ini_set", family: .system, synopsis: "ini_set(SETTING, VALUE)",
    php: "ini_set(string $option, string|int|float|bool|null $value): string|false",
    summary: "Change a PHP setting for the session; returns its old value, false for an unknown one.",
    notes: """
      sockshell knows the settings socket programs touch, with PHP's own defaults:
      display_errors, display_startup_errors, error_reporting, log_errors, html_errors,
      default_socket_timeout (60), max_execution_time (0), implicit_flush and output_buffering
      (which, as in PHP, cannot change once a script runs: false). Setting error_reporting
      sets the level; max_execution_time arms the same watchdog as set_time_limit.
      """,
    example: #"ini_set("display_errors", "1")"#
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(2...2)
    let name = try call.bytes(0, "the setting")
    let value = try call.bytes(1, "the value")
    switch call.interpreter.phpSettings.set(name, to: value) {
    case .success(let old):
      if name.elementsEqual("max_execution_time".utf8) {
        armWatchdog(call, seconds: call.interpreter.phpSettings.executionTimeLimit)
      }
      return .bytes(old)
    case .failure(.unknown):
      unknownSetting(call, name)
      return .bool(false)
    case .failure(.fixedAtStartup):
      return .bool(false)
    }
  }

  static let iniGet = CommandSpec(
    name: "ini_get", family: .system, synopsis: "ini_get(SETTING)",
    php: "ini_get(string $option): string|false",
    summary: "The value of a PHP setting, as a string; false for an unknown one."
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let name = try call.bytes(0, "the setting")
    guard let value = call.interpreter.phpSettings.value(of: name) else {
      unknownSetting(call, name)
      return .bool(false)
    }
    return .bytes(value)
  }

  /// PHP knows hundreds of settings and sockshell a few: a false that PHP would not give is
  /// explained, so the learner does not take it for PHP's answer.
  private static func unknownSetting(_ call: Invocation, _ name: [UInt8]) {
    call.interpreter.hint(
      "sockshell knows no setting \(Value.bytes(name).literal); it knows "
        + PHPSettings.knownNames.joined(separator: ", "))
  }

  /// A limit of 0 or less is none, as PHP's timer reads it; the interactive shell and the
  /// lesson checker keep their own watchdogs, as with set_time_limit.
  private static func armWatchdog(_ call: Invocation, seconds: Int) {
    let settings = call.interpreter.settings
    if settings.scriptWatchdog && !settings.interactive { Signals.armWatchdog(seconds: max(0, seconds)) }
  }

  static let obImplicitFlush = CommandSpec(
    name: "ob_implicit_flush", family: .system, synopsis: "ob_implicit_flush([FLAG])",
    php: "ob_implicit_flush(bool $enable = true): void",
    summary: "Flush output after every write: sockshell already does, so it changes nothing.",
    notes: """
      PHP's talkback server calls it so that each line reaches the terminal at once. sockshell
      writes every echo, `echo` and message as it happens, whatever the flag.
      """
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    _ = try call.flag(0, "FLAG")
    return .null
  }
}

extension Invocation {
  /// A string PHP hands to C (a host, a service, a protocol): a NUL byte would cut it short,
  /// so PHP refuses it, and so does sockshell.
  fileprivate func nameArgument(_ position: Int, _ what: String) throws(ShellError) -> [UInt8] {
    let bytes = try bytes(position, what)
    guard !bytes.contains(0) else { throw usage("\(what) must not contain a NUL byte") }
    return bytes
  }

  /// A PHP bool parameter: any scalar converts by truthiness; left out, it is false.
  fileprivate func flag(_ position: Int, _ what: String) throws(ShellError) -> Bool {
    switch value(position) {
    case .array, .handle, .iovec:
      throw usage("\(what) must be true or false, not \(value(position).kindName)")
    case let scalar: return scalar.isTruthy
    }
  }
}
