import Glibc

/// Reading errors back: the errno table and each handle's last error.
enum Errors {
  static let commands: [CommandSpec] = [strerror, lastError, clearError]

  static let strerror = CommandSpec(
    name: "strerror", aliases: ["socket_strerror"], family: .errors,
    synopsis: "strerror ERRNO",
    prototype: "char *strerror(int errnum);",
    php: "socket_strerror(int $error_code): string",
    manPage: "strerror(3)",
    summary: "Explain an errno, given as a number (111) or a name (ECONNREFUSED).",
    notes: "The value is libc's message; as a statement it also shows the name and number.",
    example: "strerror ECONNREFUSED"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let errno: Errno
    switch call.value(0) {
    case .int(let number):
      guard let number = Int32(exactly: number) else { throw call.usage("\(number) is not an errno") }
      errno = Errno(number)
    case .bytes(let bytes):
      let word = String(decoding: bytes, as: UTF8.self)
      if let number = Int32(word) {
        errno = Errno(number)
      } else if let named = Errno(name: word.uppercased()) {
        errno = named
      } else {
        throw ShellError(
          "\(call.typedName): unknown errno name '\(word)'"
            + Interpreter.didYouMean(
              EditDistance.closest(to: word.uppercased(), in: Array(Errno.numbersByName.keys))))
      }
    case let other:
      throw call.usage("ERRNO must be a number or a name such as ECONNREFUSED, not \(other.kindName)")
    }
    if call.isStatement {
      call.interpreter.output.write("\(errno.name) (\(errno.number)): \(errno.message)\n")
    }
    return .string(errno.message)
  }

  static let lastError = CommandSpec(
    name: "last_error", aliases: ["socket_last_error", "lasterror"], family: .errors,
    synopsis: "last_error [HANDLE]",
    php: "socket_last_error(?Socket $socket = null): int",
    summary: "Show the last error of a handle, or of the session; the value is its errno number.",
    notes: """
      Every failed call stores its errno on the handle it was made on and in the session. The
      report names the errno, its number, its meaning and the call that set it. Calls that
      succeed do not clear it; clear_error does.
      """,
    example: "lasterror $client"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    let interpreter = call.interpreter
    var subject = "session"
    var stored: Handle.LastError?
    if call.has(0) {
      let handle = try call.anyHandle(0)
      subject = interpreter.describe(handle).replacingParens()
      stored = handle.lastError
    } else if let last = interpreter.lastError {
      stored = last.error
      if let number = last.handle, let handle = interpreter.handles.handle(number) {
        subject = interpreter.describe(handle).replacingParens()
      }
    }
    guard let stored else {
      if call.isStatement { interpreter.output.write("\(subject): no error\n") }
      return .int(0)
    }
    if call.isStatement {
      let errno = stored.errno
      interpreter.output.write(
        "\(subject): \(errno.name) (\(errno.number)) \(errno.message) — from \(stored.call)\n")
    }
    return .int(Int(stored.errno.number))
  }

  static let clearError = CommandSpec(
    name: "clear_error", aliases: ["socket_clear_error", "clearerror"], family: .errors,
    synopsis: "clear_error [HANDLE]",
    php: "socket_clear_error(?Socket $socket = null): void",
    summary: "Forget the last error of a handle, or of the session.",
    example: "clearerror $client"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(0...1)
    if call.has(0) {
      let handle = try call.anyHandle(0)
      handle.lastError = nil
      if call.interpreter.lastError?.handle == handle.number { call.interpreter.lastError = nil }
    } else {
      call.interpreter.lastError = nil
    }
    return .null
  }
}

extension Invocation {
  /// A handle, open or closed: its last error outlives it.
  func anyHandle(_ position: Int) throws(ShellError) -> Handle {
    switch value(position) {
    case .handle(let number), .int(let number):
      if let handle = interpreter.handles.handle(number) { return handle }
      throw ShellError("\(typedName): there is no handle #\(number)")
    case let other:
      throw usage("argument \(position + 1) must be a handle, not \(other.kindName)")
    }
  }
}

extension String {
  /// `#2 ($client)` becomes `#2 $client` for a report line.
  fileprivate func replacingParens() -> String {
    String(self.filter { $0 != "(" && $0 != ")" })
  }
}
